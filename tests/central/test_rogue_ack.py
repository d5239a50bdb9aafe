"""Issue 16 item 5: a bundle acknowledgement only head office can make.

Head office signs acknowledgements with its own Ed25519 key (kept in the central database,
readable by no booth role); the booth checks them with head office's public key from its
enrollment. Against a real PostgreSQL: a genuine acknowledgement marks what its bundle
carried; one signed with the booth's own bundle key, one naming records the bundle did not
carry, one for a bundle this booth never exported, and a tampered one are refused, with
nothing marked."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select

from pos_app.domain.errors import DomainError
from pos_app.persistence.models import PUSHED, Outbox
from pos_app.services.setup.booth import Booth
from pos_app.services.sync import bundle, enrollment, head_office_key
from pos_app.services.sync.bundle import apply_ack, export_bundle
from pos_app.services.sync.bundle_import import import_bundle
from tests.central.test_bundle import run
from tests.central.test_push import make_sales, states


@pytest.fixture
def enrolled(register, secrets: Path, booth: Booth) -> Booth:
    enrollment.enroll(booth, register(booth))
    return booth


def outbox(booth: Booth) -> dict[tuple[str, uuid.UUID], str]:
    """Every outbox row's state, catalog rows included."""
    with booth.db.read() as s:
        return {(t, i): st for t, i, st in s.execute(
            select(Outbox.table_name, Outbox.record_id, Outbox.state))}


def head_office_private(url: str) -> bytes:
    with psycopg.connect(url, autocommit=True) as conn:
        return bytes(conn.execute("SELECT private_key FROM head_office_key").fetchone()[0])


def write_ack(path: Path, doc: dict, signer) -> Path:
    bundle.write_signed(path, [bundle.json_line(doc)], signer, replace=True)
    return path


def as_head_office(url: str):
    private = head_office_private(url)
    return lambda signed: bundle.json_line({"ed25519": head_office_key.sign(private, signed)})


def exported_and_imported(booth: Booth, shift, url: str, tmp_path: Path) -> tuple[Path, dict]:
    """Three sales exported and imported; the genuine acknowledgement and its header."""
    make_sales(booth, shift, 3)
    path = tmp_path / "b.lapak"
    export_bundle(booth, path)
    res = import_bundle(path, url)
    return res.ack, json.loads(res.ack.read_bytes().split(b"\n")[0])


def refused(booth: Booth, ack: Path, code: str) -> None:
    before = outbox(booth)
    with pytest.raises(DomainError) as err:
        apply_ack(booth, ack)
    assert err.value.code == code
    assert outbox(booth) == before  # nothing marked


def test_the_enrollment_carries_head_office_public_key_and_no_booth_reads_the_private(
        register, booth, central_url) -> None:
    e = enrollment.read_file(register(booth))
    with psycopg.connect(central_url, autocommit=True) as conn:
        public = bytes(conn.execute("SELECT public_key FROM head_office_key").fetchone()[0])
        assert e.head_office_key == public and len(public) == head_office_key.KEY_SIZE
        for role in (e.user, "lapak_device", "lapak_head_office"):
            conn.execute(f'SET ROLE "{role}"')
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("SELECT private_key FROM head_office_key")
            conn.execute("RESET ROLE")
    info = e.conninfo()  # the booth's own login, as the booth would connect
    with psycopg.connect(**info, autocommit=True) as conn, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("SELECT * FROM head_office_key")


def test_a_genuine_ack_marks_what_its_bundle_carried(enrolled, till_shift, central_url,
                                                     tmp_path) -> None:
    ack, header = exported_and_imported(enrolled, till_shift, central_url, tmp_path)
    assert set(states(enrolled)) == {"pending"}
    named = {(t, uuid.UUID(i)) for t, ids in header["received"].items() for i in ids} \
        | {(t, uuid.UUID(i)) for t, i, _r in header["catalog"]["received"]}
    assert len(named) > 20 and not header["quarantined"]
    res = apply_ack(enrolled, ack)
    after = outbox(enrolled)
    assert res.marked_quarantined == 0 and res.marked_sent >= len(named)
    assert {k: st for k, st in after.items() if k in named} == dict.fromkeys(named, "sent")
    # the rest (rows of the demo's other device, which no bundle of this booth carries)
    assert {st for k, st in after.items() if k not in named} <= {"pending"}
    assert uuid.UUID(header["bundle_id"])  # it names the bundle


def test_an_ack_forged_with_the_booths_own_key_is_refused(enrolled, till_shift, central_url,
                                                          tmp_path) -> None:
    """Whoever holds the booth's secrets writes an ack naming every pending record: with the
    bundle key (HMAC, the old form) or with an Ed25519 key made from it. Both refused."""
    ack, header = exported_and_imported(enrolled, till_shift, central_url, tmp_path)
    make_sales(enrolled, till_shift, 2)  # pending, never exported
    pending: dict[str, list[str]] = {}
    for (t, i), st in outbox(enrolled).items():
        if st == "pending" and t in PUSHED:
            pending.setdefault(t, []).append(str(i))
    forged = {**header, "received": pending}
    own = bundle.signing_key(enrolled.context.device_id)
    refused(enrolled, write_ack(tmp_path / "hmac.ack", forged, own), "ack_not_head_office")
    also = write_ack(tmp_path / "ed.ack", forged, lambda signed: bundle.json_line(
        {"ed25519": head_office_key.sign(own, signed)}))
    refused(enrolled, also, "ack_not_head_office")
    assert set(states(enrolled)) == {"pending"}


def test_the_cli_refuses_a_forged_ack_in_one_translated_line(enrolled, till_shift, central_url, db_path,
                                                             tmp_path, capsys) -> None:
    ack, header = exported_and_imported(enrolled, till_shift, central_url, tmp_path)
    own = bundle.signing_key(enrolled.context.device_id)
    forged = write_ack(tmp_path / "forged.ack", header, own)
    before = outbox(enrolled)
    code, out, err = run(capsys, "--db", str(db_path), "bundle", "ack", str(forged))
    assert code != 0 and out == ""
    assert err.strip().splitlines() == [
        f"pos-app: The acknowledgement {forged} is not signed by head office (changed, or "
        "signed with another key); nothing was marked"]
    from pos_app.cli.main import main
    assert main(["--lang", "id", "--db", str(db_path), "bundle", "ack", str(forged)]) != 0
    assert "tidak ditandatangani oleh kantor pusat" in capsys.readouterr().err
    assert outbox(enrolled) == before


def test_an_ack_naming_records_its_bundle_did_not_carry_is_refused(
        enrolled, till_shift, central_url, tmp_path) -> None:
    ack, header = exported_and_imported(enrolled, till_shift, central_url, tmp_path)
    carried = set(header["received"]["sale"])
    make_sales(enrolled, till_shift, 1)  # after the export: not in the bundle
    later = [str(i) for (t, i), st in outbox(enrolled).items()
             if t == "sale" and str(i) not in carried]
    assert len(later) == 1
    doc = {**header, "received": {**header["received"], "sale": [*header["received"]["sale"],
                                                                  *later]}}
    refused(enrolled, write_ack(tmp_path / "more.ack", doc, as_head_office(central_url)),
            "ack_not_in_bundle")
    # a catalog row at a revision the bundle did not carry: refused too
    cat = header["catalog"]["received"][0]
    doc = {**header, "catalog": {"received": [[cat[0], cat[1], cat[2] + 1]],
                                 "quarantined": []}}
    refused(enrolled, write_ack(tmp_path / "rev.ack", doc, as_head_office(central_url)),
            "ack_not_in_bundle")
    assert set(states(enrolled)) == {"pending"}
    apply_ack(enrolled, ack)  # the genuine one still works, and marks only what was carried
    assert [st for (t, i), st in outbox(enrolled).items() if str(i) in later] == ["pending"]


def test_an_ack_for_a_bundle_never_exported_is_refused(enrolled, till_shift, central_url,
                                                       tmp_path) -> None:
    ack, header = exported_and_imported(enrolled, till_shift, central_url, tmp_path)
    signer = as_head_office(central_url)
    refused(enrolled, write_ack(tmp_path / "other.ack", {**header, "bundle_id": str(
        uuid.uuid4())}, signer), "ack_unknown_bundle")
    no_id = {k: v for k, v in header.items() if k != "bundle_id"}  # as before this change
    refused(enrolled, write_ack(tmp_path / "old.ack", no_id, signer), "ack_unknown_bundle")
    assert set(states(enrolled)) == {"pending"}


def test_a_tampered_ack_is_refused(enrolled, till_shift, central_url, tmp_path) -> None:
    ack, _header = exported_and_imported(enrolled, till_shift, central_url, tmp_path)
    raw = ack.read_bytes()
    for k in (10, raw.index(b'"bundle_id"') + 15, len(raw) - 5):  # header, id, signature
        flipped = bytearray(raw)
        flipped[k] ^= 0x01
        path = tmp_path / f"t{k}.ack"
        path.write_bytes(bytes(flipped))
        before = outbox(enrolled)
        with pytest.raises(DomainError) as err:
            apply_ack(enrolled, path)
        assert err.value.code in ("ack_invalid", "ack_not_head_office")
        assert outbox(enrolled) == before
    assert set(states(enrolled)) == {"pending"}


def test_an_enrollment_without_head_office_key_refuses_acks_saying_to_enroll_again(
        enrolled, till_shift, central_url, tmp_path) -> None:
    ack, _header = exported_and_imported(enrolled, till_shift, central_url, tmp_path)
    me = enrolled.context.device_id
    old = {k: v for k, v in enrollment.load_secrets(me).items() if k != "head_office_key"}
    enrollment.secret_path(me).write_text(json.dumps(old), encoding="utf-8")
    refused(enrolled, ack, "ack_no_head_office_key")
