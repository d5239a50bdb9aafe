"""Audit verify catches an edit, a deletion and a reordering made directly with sqlite3.

The attacker has the database file and the sqlite3 shell: they drop the append-only triggers
first, then change rows. ``pos-app audit verify`` must name the first broken link in one
line and exit 1; the service must say the same with the event's id.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from pos_app.adapters import secrets as secret_store
from pos_app.cli.main import main
from pos_app.domain.tenders import Method, Tender
from pos_app.persistence.models import APPEND_ONLY
from pos_app.services.access import audit
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.refunds import refund, void_sale
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import ShiftRow
from tests.conftest import seeded_secrets

BACK_OFFICE = {"actor": "os:budi", "actor_role": "coordinator"}


@pytest.fixture(autouse=True)
def _device_secret(tmp_path: Path, monkeypatch) -> None:
    """The demo users' PIN hashes use a pepper in a test directory, never the OS keyring."""
    seeded_secrets(tmp_path / "secrets", monkeypatch)
    monkeypatch.setattr(secret_store, "keyring_usable", lambda: None)


@pytest.fixture
def journaled(booth: Booth, till_shift: ShiftRow) -> Path:
    """A booth whose chain is: 1-2 user.create (demo users), 3 shift.open (the till's shift,
    which the sales need), 4-6 sales KPG-01-000001..3, 7 refund KPG-01-000004 (of ...01),
    8 void KPG-01-000005 (of ...02)."""
    for sku, qty in (("KOP-002", 3), ("TEN-001", 1), ("MAK-003", 2)):
        checkout(booth, SaleRequest(items=(SaleItem(qty, sku=sku),),
                                    tenders=(Tender(Method.CASH, 10**9),), shift_id=till_shift.id))
    refund(booth, "KPG-01-000001", {1: 1}, method="qris", reason="dented", **BACK_OFFICE)
    void_sale(booth, "KPG-01-000002", reason="rung twice", **BACK_OFFICE)
    path = booth.db.path
    booth.close()
    assert [(r[0], r[1]) for r in query(path, "SELECT chain_index, action FROM audit_event "
                                              "ORDER BY chain_index")] == [
        (1, "user.create"), (2, "user.create"), (3, "shift.open"), (4, "sale"), (5, "sale"),
        (6, "sale"), (7, "refund"), (8, "void")]
    return path


def query(path: Path, sql: str, *params) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def event_id(path: Path, index: int) -> str:
    """The id of the event at ``index``, as verify reports it (a UUID string)."""
    raw = query(path, "SELECT id FROM audit_event WHERE chain_index = ?", index)[0][0]
    return str(uuid.UUID(raw))


def tamper(path: Path, *statements: str) -> None:
    """What an attacker does with the sqlite3 shell: drop the guards, then edit."""
    con = sqlite3.connect(path)
    try:
        for table in APPEND_ONLY:
            for verb in ("update", "delete"):
                con.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
        for sql in statements:
            con.execute(sql)
        con.commit()
    finally:
        con.close()


def verify_cli(capsys, path: Path, *extra: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", "--db", str(path), *extra, "audit", "verify"])
    out, err = capsys.readouterr()
    return code, out, err


def verify_service(path: Path) -> audit.VerifyResult:
    booth = Booth.open(path)
    try:
        with booth.db.read() as s:
            return audit.verify(s.connection(), booth.context.device_id)
    finally:
        booth.close()


def test_an_intact_journal_passes(journaled: Path, capsys) -> None:
    head = query(journaled, "SELECT hash FROM audit_event WHERE chain_index = 8")[0][0]
    code, out, err = verify_cli(capsys, journaled)
    assert (code, err) == (0, "")
    assert out == f"Journal intact: 8 events, 5 documents, head #8 {head[:16]}\n"
    code, out, err = verify_cli(capsys, journaled, "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"ok": True, "events": 8, "documents": 5,
                               "head": {"index": 8, "hash": head}, "broken": None,
                               "keyed_from": 1, "unchecked": None, "anchor": None,
                               "problem": None}
    result = verify_service(journaled)
    assert (result.ok, result.events, result.documents, result.head) == (
        True, 8, 5, audit.ChainHead(8, head))


def test_the_triggers_stop_a_plain_edit(journaled: Path) -> None:
    con = sqlite3.connect(journaled)
    try:
        for sql in ("UPDATE sale SET total = 1", "DELETE FROM audit_event",
                    "UPDATE sale_line SET qty = 9", "DELETE FROM stock_movement"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                con.execute(sql)
    finally:
        con.close()


SALE_2 = "(SELECT id FROM sale WHERE number = 'KPG-01-000002')"
SALE_3 = "(SELECT id FROM sale WHERE number = 'KPG-01-000003')"
REFUND_4 = "(SELECT id FROM sale WHERE number = 'KPG-01-000004')"
VOID_5 = "(SELECT id FROM sale WHERE number = 'KPG-01-000005')"
SWAP_5_6 = ("UPDATE audit_event SET chain_index = -1 WHERE chain_index = 5",  # sales 2 and 3
            "UPDATE audit_event SET chain_index = 5 WHERE chain_index = 6",
            "UPDATE audit_event SET chain_index = 6 WHERE chain_index = -1")
_SALE_COLUMNS = ("device_id, created_at, event_id, business_date, cashier_id, cashier_name, "
                 "kind, refers_to_id, source, subtotal, discount, tax, total, tendered, "
                 "change, shift_id")
COPY_SALE_3 = (  # a sale slipped in with no journal event: a made-up id, number and seq
    f"INSERT INTO sale (id, number, seq, {_SALE_COLUMNS}) "
    f"SELECT 'f00d' || substr(id, 5), 'KPG-01-000009', seq + 1000, {_SALE_COLUMNS} "
    "FROM sale WHERE number = 'KPG-01-000003'")


# (what the attacker does, SQL, the index reported, the event found there before tampering,
#  the reason). Chain indexes as in ``journaled``: sales 4-6, refund 7, void 8.
CASES = [
    ("edit a sale's total", (f"UPDATE sale SET total = 1 WHERE id = {SALE_2}",), 5, 5,
     "document"),
    ("edit a sale line's qty", (f"UPDATE sale_line SET qty = 1 WHERE sale_id = {SALE_3}",), 6,
     6, "document"),
    ("edit a refund's payment", (f"UPDATE payment SET amount = 1 WHERE sale_id = {REFUND_4}",),
     7, 7, "document"),
    ("edit a void's stock movement",
     (f"UPDATE stock_movement SET qty = 5 WHERE document_id = {VOID_5}",), 8, 8, "document"),
    ("edit a journal payload",
     ("UPDATE audit_event SET payload = replace(payload, '\"total\":', '\"total\":1') "
      "WHERE chain_index = 5",), 5, 5, "hash"),
    ("edit a journal actor", ("UPDATE audit_event SET actor = 'x' WHERE chain_index = 7",), 7,
     7, "hash"),
    ("delete a journal event in the middle", ("DELETE FROM audit_event WHERE chain_index = 5",),
     6, 6, "gap"),
    ("delete a sale row", (f"DELETE FROM sale WHERE id = {SALE_3}",), 6, 6, "document"),
    ("delete a sale's lines", (f"DELETE FROM sale_line WHERE sale_id = {SALE_2}",), 5, 5,
     "document"),
    ("swap two journal events", SWAP_5_6, 5, 6, "prev_hash"),
]


@pytest.mark.parametrize(("sql", "index", "found", "reason"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_verify_names_the_first_broken_link(journaled: Path, capsys, sql, index, found,
                                            reason) -> None:
    expected_id = event_id(journaled, found)
    number = json.loads(query(journaled, "SELECT payload FROM audit_event "
                                         "WHERE chain_index = ?", found)[0][0])["number"]
    tamper(journaled, *sql)

    code, out, err = verify_cli(capsys, journaled)
    assert (code, out) == (1, "")
    assert err == f"pos-app: The journal is broken at event {index} ({reason})\n"

    result = verify_service(journaled)
    assert result.broken == audit.BrokenLink(index, expected_id, reason)
    assert not result.ok

    code, out, err = verify_cli(capsys, journaled, "--json")
    assert code == 1
    assert err == f"pos-app: The journal is broken at event {index} ({reason})\n"
    data = json.loads(out)
    assert (data["ok"], data["broken"]) == (False, {
        "index": index, "reason": reason, "event_id": expected_id, "sale": number})


def test_a_sale_no_event_covers_is_unjournaled(journaled: Path, capsys) -> None:
    tamper(journaled, COPY_SALE_3)
    code, out, err = verify_cli(capsys, journaled)
    assert (code, out) == (1, "")
    assert err == "pos-app: The journal is broken at event 0 (unjournaled: KPG-01-000009)\n"
    result = verify_service(journaled)
    assert (result.events, result.documents) == (8, 5)
    assert result.broken == audit.BrokenLink(0, "KPG-01-000009", "unjournaled")
    code, out, err = verify_cli(capsys, journaled, "--json")
    assert code == 1 and err.count("\n") == 1
    assert json.loads(out)["broken"] == {"index": 0, "reason": "unjournaled", "event_id": None,
                                         "sale": "KPG-01-000009"}


def test_deleting_the_newest_event_leaves_its_void_unjournaled(journaled: Path, capsys) -> None:
    tamper(journaled, "DELETE FROM audit_event WHERE chain_index = 8")
    code, out, err = verify_cli(capsys, journaled)
    assert (code, out) == (1, "")
    assert err == "pos-app: The journal is broken at event 0 (unjournaled: KPG-01-000005)\n"


def test_the_first_of_two_breaks_is_named(journaled: Path, capsys) -> None:
    tamper(journaled, f"UPDATE sale SET total = 1 WHERE id = {VOID_5}",
           "UPDATE audit_event SET actor = 'x' WHERE chain_index = 4")  # the first sale
    code, _out, err = verify_cli(capsys, journaled)
    assert (code, err) == (1, "pos-app: The journal is broken at event 4 (hash)\n")
