"""The device secret ("pepper") that keys every PIN hash, checked against the database.

The settings key ``pepper_check`` holds a keyed fingerprint of the pepper the PINs were made
with. If the pepper is missing or different (a restored database on another computer, a
wiped keyring) every PIN check fails with ``secret_unavailable`` instead of counting as a
wrong PIN; a missing pepper is never replaced once a PIN has been hashed with it.
"""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos_app.domain.errors import DomainError
from pos_app.persistence.models import Setting
from pos_app.services.setup import pepper
from pos_app.services.setup.booth import Booth, stored_value
from pos_app.services.setup.records import Recorder

__all__ = ["PEPPER_CHECK", "fingerprint", "pepper_for_checking", "pepper_for_writing",
           "verified_pepper"]

PEPPER_CHECK = "pepper_check"


def fingerprint(pepper_bytes: bytes) -> str:
    return hmac.new(pepper_bytes, b"lapak-pos pepper check", hashlib.sha256).hexdigest()[:32]


def verified_pepper(booth: Booth, check: str | None) -> bytes | None:
    """This device's pepper, verified against ``check``; None if none was ever made."""
    try:
        value = pepper.load(booth.context.device_id)
    except pepper.PepperMissing as exc:
        if check:
            raise DomainError("secret_unavailable", reason=str(exc)) from None
        return None
    except pepper.PepperError as exc:
        raise DomainError("secret_unavailable", reason=str(exc)) from None
    if check and not hmac.compare_digest(check, fingerprint(value)):
        raise DomainError("secret_unavailable",
                          reason="it is not the secret these PINs were made with")
    return value


def pepper_for_writing(booth: Booth, rec: Recorder) -> bytes:
    """The pepper for a new hash, made on first use. Call inside a write transaction: the
    database lock makes sure only one process ever creates it."""
    check = stored_value(rec.conn, PEPPER_CHECK) or None
    value = verified_pepper(booth, check)
    if value is None:
        try:
            value = pepper.load(booth.context.device_id, create=True)
        except pepper.PepperError as exc:
            raise DomainError("secret_unavailable", reason=str(exc)) from None
    if not check:
        stmt = sqlite_insert(Setting).values(key=PEPPER_CHECK, value=fingerprint(value))
        rec.conn.execute(stmt.on_conflict_do_update(index_elements=[Setting.key],
                                                    set_={"value": stmt.excluded.value}))
    return value


def pepper_for_checking(booth: Booth) -> bytes | None:
    """The pepper to check PINs with (loaded before the write transaction: a keyring may be
    slow to answer, and the database lock must not wait on it)."""
    return verified_pepper(booth, booth.stored(PEPPER_CHECK) or None)
