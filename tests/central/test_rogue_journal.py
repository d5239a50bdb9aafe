"""Issue 16 item 6: the journal keyed with a device secret, and anchored.

The forge from the issue, done as someone holding only the database file does it: drop the
append-only triggers, lower sale KPG-01-000002 from Rp85.000 to Rp35.000 (line, sale,
payment), recompute its digest and every hash after it with the project's own functions
(plain SHA-256, or the HMAC with a guessed secret), put the triggers back. ``audit verify``
reports it, the next sync reports it (central refuses the re-chained journal) and head
office's bundle import reports it. Deleting the last sale and its events is reported as a
truncated tail against an anchor from central, from head office's acknowledgement and from
a Z report. An old unkeyed database upgrades and verifies; a copied database without the
secret says the keyed part cannot be checked here. Against a real PostgreSQL.
"""

from __future__ import annotations

import json
import secrets as random
import shutil
import sqlite3
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select, text

from pos_app.cli.main import main
from pos_app.domain.tenders import Method, Tender
from pos_app.persistence.models import APPEND_ONLY, AuditEvent, Outbox, Sale
from pos_app.services.access import audit, journal_key
from pos_app.services.access.journal_check import check_journal
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import close_shift
from pos_app.services.sync import enrollment
from pos_app.services.sync.bundle import apply_ack, export_bundle
from pos_app.services.sync.bundle_import import import_bundle
from pos_app.services.sync.record import describe
from pos_app.services.sync.sync_push import push
from pos_app.services.sync.sync_status import read_record, run_push
from tests.conftest import seeded_secrets


@pytest.fixture
def enrolled(register, secrets: Path, booth: Booth) -> Booth:
    enrollment.enroll(booth, register(booth))
    return booth


def sell(booth: Booth, shift, sku: str) -> str:
    """One unit of ``sku``, paid in exact cash; the sale's number."""
    with booth.db.read() as s:
        price = s.execute(text("SELECT price FROM product WHERE sku = :s"), {"s": sku}).scalar()
    done = checkout(booth, SaleRequest((SaleItem(1, sku=sku),), (Tender(Method.CASH, price),),
                                       actor="Kasir", shift_id=shift.id))
    return done.number


def sales(booth: Booth, shift) -> str:
    """Three sales; the second is KOP-001 for Rp85.000 (its number is returned)."""
    sell(booth, shift, "MAK-006")
    number = sell(booth, shift, "KOP-001")
    sell(booth, shift, "KER-002")
    return number


def connect_as(booth: Booth):
    e = enrollment.load_secrets(booth.context.device_id)
    assert e is not None
    return lambda: enrollment_connect(booth)


def enrollment_connect(booth: Booth):
    from pos_app.services.sync.sync_status import connect_from_enrollment

    return connect_from_enrollment(booth)


def forge(booth: Booth, number: str, secret: bytes | None) -> None:
    """The issue's forge on the booth's database file: triggers dropped, the sale lowered to
    Rp35.000, digests and hashes recomputed with the project's functions (``secret`` None:
    SHA-256; else the HMAC with that secret), triggers put back."""
    with booth.db.engine.begin() as conn:
        triggers = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all()
        guards = [(n, sql) for n, sql in triggers
                  if any(n in (f"{t}_no_update", f"{t}_no_delete") for t in APPEND_ONLY)]
        assert guards
        for name, _sql in guards:
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
        sale_id = conn.execute(select(Sale.id).where(Sale.number == number)).scalar_one()
        sid = sale_id.hex
        assert conn.exec_driver_sql("SELECT total FROM sale WHERE id = ?", (sid,)).scalar() \
            == 85_000
        conn.exec_driver_sql("UPDATE sale_line SET unit_price = 35000, gross = 35000,"
                             " net = 35000, total = 35000 WHERE sale_id = ?", (sid,))
        conn.exec_driver_sql("UPDATE sale SET subtotal = 35000, total = 35000,"
                             " tendered = 35000 WHERE id = ?", (sid,))
        conn.exec_driver_sql("UPDATE payment SET amount = 35000, tendered = 35000"
                             " WHERE sale_id = ?", (sid,))
        digest = audit.stored_document_digest(conn, sale_id)
        rows = conn.execute(select(AuditEvent.__table__).order_by(
            AuditEvent.chain_index)).mappings().all()
        start = next(r["chain_index"] for r in rows
                     if r["action"] == "sale" and r["subject_id"] == sid)
        prev = None
        for r in rows:
            r = dict(r)
            if r["chain_index"] < start:
                prev = r["hash"]
                continue
            if r["chain_index"] == start:
                payload = json.loads(r["payload"])
                payload.update(digest=digest, total=35_000)
                r["payload"] = audit.canonical(payload)
            r["prev_hash"] = prev
            r["hash"] = audit.event_hash(r, secret)
            conn.execute(AuditEvent.__table__.update().where(AuditEvent.id == r["id"]).values(
                payload=r["payload"], prev_hash=r["prev_hash"], hash=r["hash"]))
            prev = r["hash"]
        for _name, sql in guards:
            conn.exec_driver_sql(sql)


def cut_tail(booth: Booth, number: str) -> int:
    """Delete sale ``number`` and every journal event from its own on (triggers dropped and
    put back); returns the index of its event."""
    with booth.db.engine.begin() as conn:
        guards = [(n, sql) for n, sql in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all()
            if any(n in (f"{t}_no_update", f"{t}_no_delete") for t in APPEND_ONLY)]
        for name, _sql in guards:
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
        sid = conn.execute(select(Sale.id).where(Sale.number == number)).scalar_one().hex
        index = conn.exec_driver_sql("SELECT chain_index FROM audit_event WHERE action = 'sale'"
                                     " AND subject_id = ?", (sid,)).scalar()
        for table in ("sale_line", "payment"):
            conn.exec_driver_sql(f"DELETE FROM {table} WHERE sale_id = ?", (sid,))
        conn.exec_driver_sql("DELETE FROM stock_movement WHERE document_id = ?", (sid,))
        conn.exec_driver_sql("DELETE FROM sale WHERE id = ?", (sid,))
        conn.exec_driver_sql("DELETE FROM audit_event WHERE chain_index >= ?", (index,))
        for _name, sql in guards:
            conn.exec_driver_sql(sql)
    return index


def head_of(booth: Booth) -> audit.ChainHead:
    with booth.db.read() as s:
        return audit.head(s.connection(), booth.context.device_id)


def verified(booth: Booth) -> audit.VerifyResult:
    with booth.db.read() as s:
        return audit.verify(s.connection(), booth.context.device_id)


def verify_cli(capsys, booth: Booth, *extra: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", "--db", str(booth.db.path), "audit", "verify", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def held(url: str, booth: Booth) -> tuple[int, str]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT chain_index, hash FROM journal_anchor WHERE device_id = %s",
                            (booth.context.device_id,)).fetchone()


FORGES = {"sha256": lambda: None, "guessed_secret": lambda: random.token_bytes(32)}


@pytest.mark.parametrize("how", sorted(FORGES))
def test_the_forge_is_reported_by_verify_and_refused_by_the_next_sync(
        enrolled, till_shift, central_url, capsys, how) -> None:
    number = sales(enrolled, till_shift)
    connect = connect_as(enrolled)
    first = push(enrolled, connect)
    assert not first.quarantined and first.journal is None
    head = head_of(enrolled)
    assert held(central_url, enrolled) == (head.index, head.hash)

    forge(enrolled, number, FORGES[how]())
    code, out, err = verify_cli(capsys, enrolled, "--offline")
    reason = "unkeyed" if how == "sha256" else "hash"
    assert code == 1 and out == ""
    assert err.strip().endswith(f"({reason})"), err
    assert "The journal is broken at event" in err

    sell(enrolled, till_shift, "MAK-006")  # the next sale, on the re-chained journal
    res = run_push(enrolled, connect=connect)  # as the sync runner and `pos-app sync` do
    refused = [q for q in res.quarantined if q.table_name == "audit_event"]
    assert refused and all("does not extend the chain central holds" in q.reason
                           for q in refused)
    assert {q.table_name for q in res.quarantined} == {"audit_event"}
    assert res.journal is not None and res.journal.kind == "rewritten"
    assert f"Journal rewritten after anchor {head.index} (anchor from the central database)" \
        in describe(read_record(enrolled), lambda m: m)  # the sync screen's and status bar's
    assert held(central_url, enrolled) == (head.index, head.hash)  # central's chain stands
    with psycopg.connect(central_url, autocommit=True) as conn:  # and the sale's Rp85.000
        assert conn.execute("SELECT total FROM sale WHERE number = %s",
                            (number,)).fetchone() == (85_000,)


@pytest.mark.parametrize("how", sorted(FORGES))
def test_the_forge_is_reported_by_the_bundle_import(enrolled, till_shift, central_url,
                                                    tmp_path, capsys, how) -> None:
    number = sales(enrolled, till_shift)
    res = import_bundle(export_bundle(enrolled, tmp_path / "one.lapak").path, central_url)
    apply_ack(enrolled, res.ack)
    assert res.journal is None
    forge(enrolled, number, FORGES[how]())
    sell(enrolled, till_shift, "MAK-006")
    second = export_bundle(enrolled, tmp_path / "two.lapak").path
    code = main(["--lang", "en", "bundle", "import", str(second), "--central", central_url])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "does not extend the chain head office holds" in out
    assert "it was re-written or cut" in out
    res2 = import_bundle(second, central_url)  # the same again: the same refusal
    assert res2.journal is not None and res2.journal[1] == held(central_url, enrolled)[0]
    assert {q.table_name for q in res2.quarantined} == {"audit_event"}


def test_a_truncated_tail_against_central(enrolled, till_shift, central_url, capsys) -> None:
    sales(enrolled, till_shift)
    last = sell(enrolled, till_shift, "KOP-001")
    push(enrolled, connect_as(enrolled))
    top = held(central_url, enrolled)[0]
    code, out, err = verify_cli(capsys, enrolled)  # asks central: the same head
    assert (code, err) == (0, "") and out.startswith(f"Journal intact: {top} events")
    index = cut_tail(enrolled, last)
    assert verified(enrolled).ok
    code, out, err = verify_cli(capsys, enrolled)  # asks central
    assert code == 1
    assert f"Journal truncated tail: events {index}..{top} missing (anchor from the central " \
           "database)" in err
    code, out, err = verify_cli(capsys, enrolled, "--offline", "--json")  # the kept anchor
    assert code == 1
    data = json.loads(out)
    assert data["problem"] == {"kind": "truncated", "first": index, "last": top}
    assert data["anchor"]["source"] == "central"
    # the next sync (nothing left to push) says so too, and remembers it for the sync screen
    code = main(["--lang", "en", "--db", str(enrolled.db.path), "sync"])
    out, err = capsys.readouterr()
    assert code == 0, err
    line = f"Journal truncated tail: events {index}..{top} missing (anchor from the central " \
           "database)"
    assert line in out.splitlines()
    assert line in describe(read_record(enrolled), lambda m: m)


def test_a_truncated_tail_against_head_office_acknowledgement(enrolled, till_shift, central_url,
                                                               tmp_path, capsys) -> None:
    sales(enrolled, till_shift)
    last = sell(enrolled, till_shift, "KOP-001")
    res = import_bundle(export_bundle(enrolled, tmp_path / "b.lapak").path, central_url)
    header = json.loads(res.ack.read_bytes().split(b"\n")[0])
    top = held(central_url, enrolled)
    assert header["journal_head"] == {"index": top[0], "hash": top[1]}
    apply_ack(enrolled, res.ack)
    index = cut_tail(enrolled, last)
    code, out, err = verify_cli(capsys, enrolled, "--offline")
    assert code == 1
    assert f"events {index}..{top[0]} missing (anchor from head office's acknowledgement)" \
        in err
    # an acknowledgement anchor whose signed document was altered no longer counts
    with enrolled.db.engine.begin() as conn:
        evidence = json.loads(conn.exec_driver_sql(
            "SELECT evidence FROM journal_anchor WHERE source = 'ack'").scalar())
        evidence["signature"] = "00" * 64
        conn.exec_driver_sql("UPDATE journal_anchor SET evidence = ? WHERE source = 'ack'",
                             (json.dumps(evidence),))
    check = check_journal(enrolled, ask_central=False)
    assert check.anchor is None and check.problem is None


def test_a_truncated_tail_against_a_z_report(secrets, booth, till_shift, capsys) -> None:
    sales(booth, till_shift)
    last = sell(booth, till_shift, "KOP-001")
    closed = close_shift(booth, till_shift.id, {100_000: 1}, "Kasir")
    printed = f"{closed.chain_head.index}:{closed.chain_head.hash[:16]}"
    code, out, err = verify_cli(capsys, booth, "--offline", "--anchor", printed)
    assert (code, err) == (0, "") and out.startswith("Journal intact:")
    index = cut_tail(booth, last)
    code, out, err = verify_cli(capsys, booth, "--offline")
    assert code == 1
    assert f"events {index}..{closed.chain_head.index} missing (anchor from a Z report)" in err
    # a Z anchor row forged without the journal secret does not count
    with booth.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE journal_anchor SET mac = ? WHERE source = 'z'",
                             ("0" * 64,))
    assert check_journal(booth, ask_central=False).anchor is None
    # the kept anchors gone, the head printed on the Z report still tells, in Indonesian too
    code = main(["--lang", "id", "--db", str(booth.db.path), "audit", "verify", "--offline",
                 "--anchor", printed])
    out, err = capsys.readouterr()
    assert code == 1
    assert f"Ekor jurnal terpotong: peristiwa {index}..{closed.chain_head.index} hilang " \
           "(jangkar dari laporan Z tercetak yang diberikan)" in err
    code, out, err = verify_cli(capsys, booth, "--offline", "--anchor", "2:zz")
    assert code == 2 and "--anchor is INDEX:HASH" in err


def test_an_old_unkeyed_database_upgrades_and_verifies(secrets, booth, till_shift,
                                                       capsys) -> None:
    sales(booth, till_shift)
    me = booth.context.device_id
    # as a database from before the keyed journal: every hash plain SHA-256, no secret here
    with booth.db.engine.begin() as conn:
        guards = [(n, sql) for n, sql in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all()
            if n == "audit_event_no_update"]
        conn.exec_driver_sql("DROP TRIGGER audit_event_no_update")
        prev = audit.GENESIS
        for r in conn.execute(select(AuditEvent.__table__).order_by(
                AuditEvent.chain_index)).mappings().all():
            r = {**r, "prev_hash": prev}
            r["hash"] = audit.event_hash(r)
            conn.execute(AuditEvent.__table__.update().where(AuditEvent.id == r["id"]).values(
                prev_hash=prev, hash=r["hash"]))
            prev = r["hash"]
        for _n, sql in guards:
            conn.exec_driver_sql(sql)
    journal_key.file_path(me).unlink()
    journal_key.forget_cache()
    before = verified(booth)
    assert before.ok and before.keyed_from is None and before.unchecked is None

    sell(booth, till_shift, "MAK-006")  # the first event after the upgrade
    with booth.db.read() as s:
        actions = s.execute(select(AuditEvent.chain_index, AuditEvent.action).where(
            AuditEvent.chain_index > before.head.index).order_by(AuditEvent.chain_index)).all()
    assert actions == [(before.head.index + 1, "journal.keyed"),
                       (before.head.index + 2, "sale")]
    code, out, err = verify_cli(capsys, booth, "--offline")
    assert code == 0 and out.startswith("Journal intact:"), err
    after = verified(booth)
    assert after.keyed_from == before.head.index + 1
    # an unkeyed event after the keyed marker is refused
    with booth.db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_event_no_update")
        row = dict(conn.execute(select(AuditEvent.__table__).where(
            AuditEvent.chain_index == after.head.index)).mappings().one())
        conn.execute(AuditEvent.__table__.update().where(AuditEvent.id == row["id"]).values(
            hash=audit.event_hash(row)))
    broken = verified(booth).broken
    assert (broken.index, broken.reason) == (after.head.index, "unkeyed")


def test_a_copied_database_without_the_secret_cannot_be_checked_there(
        secrets, booth, till_shift, tmp_path, monkeypatch, capsys) -> None:
    sales(booth, till_shift)
    top = head_of(booth)
    copy = tmp_path / "elsewhere.db"
    booth.close()  # the whole file (no write-ahead log beside it)
    shutil.copy2(booth.db.path, copy)
    seeded_secrets(tmp_path / "other-machine", monkeypatch)  # no journal secret there
    journal_key.forget_cache()
    code, out, err = main(["--lang", "en", "--db", str(copy), "--json", "audit", "verify",
                           "--offline"]), *capsys.readouterr()
    assert code == 1
    assert json.loads(out)["unchecked"] == {"first": 1, "last": top.index}
    code = main(["--lang", "en", "--db", str(copy), "audit", "verify", "--offline"])
    out, err = capsys.readouterr()
    assert code == 1 and "Journal intact" not in out
    assert err.strip() == (f"pos-app: Journal events 1..{top.index} were keyed with a secret "
                           "this computer does not hold: they cannot be checked here")


def test_the_journal_secret_stays_out_of_the_database_backups_and_bundles(
        enrolled, till_shift, tmp_path) -> None:
    sales(enrolled, till_shift)
    secret = journal_key.load(enrolled.context.device_id)
    assert secret is not None and len(secret) == 32
    hexed = secret.hex().encode()
    bundle = export_bundle(enrolled, tmp_path / "b.lapak").path
    assert hexed not in bundle.read_bytes() and secret not in bundle.read_bytes()
    con = sqlite3.connect(enrolled.db.path)
    try:
        dump = "\n".join(con.iterdump()).encode()
    finally:
        con.close()
    assert hexed not in dump
    # the sync secrets file (enrollment) does not carry it either
    stored = json.dumps(enrollment.load_secrets(enrolled.context.device_id)).encode()
    assert hexed not in stored


def test_central_refuses_a_raw_journal_event_that_does_not_extend(enrolled, till_shift,
                                                                   central_url) -> None:
    sales(enrolled, till_shift)
    connect = connect_as(enrolled)
    push(enrolled, connect)
    index, digest = held(central_url, enrolled)
    me = enrolled.context.device_id
    with connect() as conn:
        row = conn.execute("SELECT * FROM audit_event WHERE device_id = %s AND chain_index = %s",
                           (me, index)).fetchone()
        assert row is not None
        for chain_index, prev in ((index + 2, digest), (index + 1, "f" * 64)):
            with pytest.raises(psycopg.errors.CheckViolation, match="does not extend"):
                conn.execute(
                    "INSERT INTO audit_event (id, device_id, chain_index, created_at, actor,"
                    " action, subject_kind, payload, prev_hash, hash) VALUES (%s, %s, %s,"
                    " now(), 'x', 'sale', 'sale', '{}', %s, %s)",
                    (uuid.uuid4(), me, chain_index, prev, "e" * 64))
    assert held(central_url, enrolled) == (index, digest)
    with enrolled.db.read() as s:  # the booth's own journal went up whole
        assert not s.execute(select(Outbox.id).where(Outbox.state != "sent",
                                                     Outbox.table_name == "audit_event")).all()


def test_a_central_database_upgraded_holds_each_booth_s_newest_event_as_its_head(
        enrolled, till_shift, central_url) -> None:
    """Events pushed before the journal anchors existed centrally: the upgrade takes each
    booth's newest as the head central holds, and refuses a re-written chain from there."""
    from alembic import command

    from pos_app.persistence import central as db
    from pos_app.services.sync import central

    number = sales(enrolled, till_shift)
    connect = connect_as(enrolled)
    push(enrolled, connect)
    top = held(central_url, enrolled)
    engine = db.engine(central_url)
    try:
        with engine.begin() as conn:  # back to before the anchors
            cfg = db.alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "c0007")
    finally:
        engine.dispose()
    with psycopg.connect(central_url, autocommit=True) as conn:
        assert conn.execute("SELECT to_regclass('journal_anchor')").fetchone() == (None,)
    assert central.init_central(central_url).after == db.HEAD
    assert held(central_url, enrolled) == top
    forge(enrolled, number, None)
    sell(enrolled, till_shift, "MAK-006")
    res = push(enrolled, connect)
    assert {q.table_name for q in res.quarantined} == {"audit_event"}
    assert held(central_url, enrolled) == top
