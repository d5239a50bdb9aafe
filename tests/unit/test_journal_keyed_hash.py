"""The journal's keyed hash: HMAC-SHA256 under the device's journal secret, over the same
material as the plain SHA-256 of an unkeyed event; the secret kept once per device, outside
the database, never replaced."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.adapters import secrets as secret_store
from pos_app.services.access import audit, journal_key

EVENT = {"chain_index": 7, "device_id": uuid.UUID(int=5),
         "created_at": datetime(2026, 11, 21, 11, 30, tzinfo=UTC), "actor": "Kasir",
         "action": "sale", "subject_kind": "sale", "subject_id": "ab" * 16,
         "payload": '{"total":85000}', "prev_hash": "0" * 64}


def test_the_keyed_hash_is_the_hmac_of_the_unkeyed_material() -> None:
    material = audit.hash_material(EVENT)
    secret = bytes(range(32))
    assert audit.event_hash(EVENT) == hashlib.sha256(material).hexdigest()
    assert audit.event_hash(EVENT, secret) == hmac.new(secret, material,
                                                       hashlib.sha256).hexdigest()
    assert audit.event_hash(EVENT, secret) != audit.event_hash(EVENT, bytes(32))
    lowered = {**EVENT, "payload": '{"total":35000}'}
    assert audit.event_hash(lowered, secret) != audit.event_hash(EVENT, secret)


def test_the_fingerprint_names_a_secret_without_revealing_it() -> None:
    secret = bytes(range(32))
    print_ = journal_key.fingerprint(secret)
    assert len(print_) == 32 and secret.hex() not in print_
    assert print_ != journal_key.fingerprint(bytes(32))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv(secret_store.ENV_DIR, str(tmp_path))
    monkeypatch.setattr(secret_store, "keyring_usable", lambda: None)
    journal_key.forget_cache()
    yield tmp_path
    journal_key.forget_cache()


def test_the_secret_is_made_once_in_a_private_file_and_never_replaced(folder: Path) -> None:
    device = uuid.UUID(int=9)
    assert journal_key.load(device) is None  # not made unless asked
    made = journal_key.load(device, create=True)
    path = folder / f"journal-{device.hex}"
    assert made is not None and len(made) == 32
    assert path.read_text().strip() == made.hex() and path.stat().st_mode & 0o777 == 0o600
    journal_key.forget_cache()
    assert journal_key.load(device, create=True) == made
    path.write_text("not hex\n")
    journal_key.forget_cache()
    with pytest.raises(journal_key.JournalKeyError):
        journal_key.load(device, create=True)
    assert path.read_text() == "not hex\n"  # a damaged secret is reported, not replaced


def test_the_sync_record_says_a_journal_central_does_not_confirm() -> None:
    """The sync screen and the status bar say it (through the remembered record), in the
    reader's language."""
    from pos_app import i18n
    from pos_app.services.access.journal_anchor import Anchor, AnchorProblem
    from pos_app.services.sync.record import SyncRecord, describe, record_of
    from pos_app.services.sync.sync_push import PushResult

    cut = AnchorProblem("truncated", Anchor("central", 40, "a" * 64), 31, 40)
    record = SyncRecord.from_json(record_of(PushResult(sent=3, journal=cut)).to_json())
    assert record.journal is not None and record.journal.code == "audit_truncated"
    assert describe(record, lambda s: s).endswith(
        "; Journal truncated tail: events 31..40 missing (anchor from the central database)")
    said = describe(record, i18n.load("id").gettext)
    assert "Ekor jurnal terpotong: peristiwa 31..40 hilang (jangkar dari basis data pusat)" \
        in said
    assert record_of(PushResult(sent=3)).journal is None
