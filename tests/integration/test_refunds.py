"""Voids and refunds are new documents pointing at the sale: exact amounts, exact stock, one
journal event with both names, and nothing at all written when one is refused."""

from __future__ import annotations

import getpass
import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from pos_app.adapters import secrets as secret_store
from pos_app.cli.main import main
from pos_app.domain.cart import Discount
from pos_app.domain.errors import DomainError
from pos_app.domain.tenders import Method, Tender
from pos_app.services.access import approvals, audit
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.receipts import receipt_for
from pos_app.services.sale.refunds import refund, refund_amounts, refundable, void_sale
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.setup import DEMO_USERS
from pos_app.services.shift.shifts import ShiftRow
from tests.conftest import seeded_secrets

TABLES = ("sale", "sale_line", "payment", "stock_movement", "audit_event", "approval",
          "approval_use", "outbox", "counter", "user")
CASH, QRIS, CARD = Method.CASH, Method.QRIS, Method.CARD
LINE_FIELDS = ("line_no", "product_id", "facility_id", "sku", "name", "facility_name", "qty",
               "unit_price", "gross", "line_discount", "sale_discount", "discount_bp",
               "tax_mode", "tax", "net", "total")
AMOUNTS = ("gross", "line_discount", "sale_discount", "tax", "net", "total")
PAY_ALL = (Tender(CASH, 10**9),)


# --- helpers ---------------------------------------------------------------------------------

def snapshot(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as con:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in TABLES}


def rows(path: Path, sql: str, *params) -> list[sqlite3.Row]:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def on_hand(booth: Booth, sku: str) -> int:
    return rows(booth.db.path, "SELECT coalesce(sum(m.qty), 0) AS n FROM stock_movement m "
                "JOIN product p ON p.id = m.product_id WHERE p.sku = ?", sku)[0]["n"]


def sell(booth: Booth, till_shift: ShiftRow, *items, pay=PAY_ALL, discount=None):
    """A till sale into the open shift ``till``. ``items``: (sku, qty) or (sku, qty, line
    discount)."""
    return checkout(booth, SaleRequest(
        items=tuple(SaleItem(i[1], sku=i[0], discount=i[2] if len(i) > 2 else None)
                    for i in items),
        tenders=tuple(pay), discount=discount, shift_id=till_shift.id))


def refused(code: str, booth: Booth, fn, *args, **kw) -> DomainError:
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as exc:
        fn(booth, *args, **kw)
    assert exc.value.code == code
    assert snapshot(booth.db.path) == before  # nothing half-written, no number used up
    return exc.value


def line_rows(path: Path, sale_id: uuid.UUID) -> list[dict]:
    return [{f: r[f] for f in LINE_FIELDS} for r in rows(
        path, "SELECT * FROM sale_line WHERE sale_id = ? ORDER BY line_no", sale_id.hex)]


def journal(path: Path, subject: uuid.UUID) -> sqlite3.Row:
    found = rows(path, "SELECT * FROM audit_event WHERE subject_id = ?", subject.hex)
    assert len(found) == 1
    return found[0]


def verify(booth: Booth) -> audit.VerifyResult:
    with booth.db.read() as s:
        return audit.verify(s.connection(), booth.context.device_id)


# --- approvals (the real module: a coordinator's PIN gives a single-use token) --------------

@pytest.fixture(autouse=True)
def _device_secret(tmp_path: Path, monkeypatch) -> None:
    """PIN hashes use a pepper in a test directory, never the OS keyring."""
    seeded_secrets(tmp_path / "secrets", monkeypatch)
    monkeypatch.setattr(secret_store, "keyring_usable", lambda: None)


@pytest.fixture
def grant(booth: Booth):
    """``grant(action, sale_id, requested_by="Ani") -> token``: the demo's coordinator Maria
    approves with her PIN."""
    assert ("Maria", "coordinator", "2468") in DEMO_USERS

    def make(action: str, sale_id: uuid.UUID, requested_by: str = "Ani") -> uuid.UUID:
        return approvals.approve(booth, "Maria", "2468", action,
                                 approvals.sale_subject(sale_id), requested_by).id

    return make


# --- void ------------------------------------------------------------------------------------

def test_a_cashiers_void_is_refused_without_approval_and_accepted_with_it(
        booth: Booth, till_shift: ShiftRow, grant) -> None:
    path = booth.db.path
    stock_before = {sku: on_hand(booth, sku) for sku in ("KOP-001", "MAK-003", "TEN-001")}
    sale = sell(booth, till_shift, ("KOP-001", 2), ("MAK-003", 1), ("TEN-001", 1),
                pay=(Tender(QRIS, 300_000, "QR-1"), Tender(CASH, 300_000)))
    assert sale.total == 569_950

    err = refused("approval_required", booth, void_sale, sale.number, actor="Ani",
                  actor_role="cashier", reason="wrong item")
    assert err.params == {"action": "void"}

    token = grant("void", sale.id)
    before = {t: len(v) for t, v in snapshot(path).items()}
    doc = void_sale(booth, sale.number, actor="Ani", actor_role="cashier", approval_id=token,
                    reason="  wrong   item ")
    after = {t: len(v) for t, v in snapshot(path).items()}
    # the void document, the approval spent, and two journal events (approval.use, void)
    assert {t: after[t] - before[t] for t in TABLES} == {
        "sale": 1, "sale_line": 3, "payment": 2, "stock_movement": 3, "audit_event": 2,
        "approval": 0, "approval_use": 1, "outbox": 12, "counter": 0, "user": 0}

    assert (doc.number, doc.kind, doc.refers_to, doc.refers_to_id) == (
        "KPG-01-000002", "void", "KPG-01-000001", sale.id)
    assert (doc.cashier, doc.approved_by, doc.reason) == ("Ani", "Maria", "wrong item")
    assert (doc.subtotal, doc.discount, doc.tax, doc.total) == (565_000, 0, 21_797, 569_950)

    row = rows(path, "SELECT * FROM sale WHERE id = ?", doc.id.hex)[0]
    assert (row["number"], row["kind"], row["refers_to_id"], row["cashier_name"],
            row["total"], row["tendered"], row["change"], row["source"]) == (
        "KPG-01-000002", "void", sale.id.hex, "Ani", 569_950, 569_950, 0, "pos")
    assert line_rows(path, doc.id) == line_rows(path, sale.id)
    new_ids = {r["id"] for r in rows(path, "SELECT id FROM sale_line WHERE sale_id = ?",
                                     doc.id.hex)}
    old_ids = {r["id"] for r in rows(path, "SELECT id FROM sale_line WHERE sale_id = ?",
                                     sale.id.hex)}
    assert len(new_ids) == 3 and not new_ids & old_ids
    pays = rows(path, "SELECT * FROM payment WHERE sale_id = ? ORDER BY line_no", doc.id.hex)
    assert [(p["line_no"], p["method"], p["amount"], p["tendered"], p["change"],
             p["reference"], p["verified"]) for p in pays] == [
        (1, "qris", 300_000, 300_000, 0, "QR-1", 0), (2, "cash", 269_950, 269_950, 0, None, 1)]
    moves = rows(path, "SELECT m.*, p.sku FROM stock_movement m JOIN product p "
                       "ON p.id = m.product_id WHERE document_id = ? ORDER BY p.sku", doc.id.hex)
    assert [(m["sku"], m["qty"], m["kind"], m["document_kind"], m["note"]) for m in moves] == [
        ("KOP-001", 2, "refund", "sale", "KPG-01-000002"),
        ("MAK-003", 1, "refund", "sale", "KPG-01-000002"),
        ("TEN-001", 1, "refund", "sale", "KPG-01-000002")]
    assert {sku: on_hand(booth, sku) for sku in stock_before} == stock_before

    event = journal(path, doc.id)
    assert (event["actor"], event["action"], event["subject_kind"]) == ("Ani", "void", "sale")
    with booth.db.read() as s:
        digest = audit.stored_document_digest(s.connection(), doc.id)
    assert json.loads(event["payload"]) == {
        "number": "KPG-01-000002", "total": 569_950, "refers_to": "KPG-01-000001",
        "reason": "wrong item", "approved_by": "Maria", "digest": digest}
    use = rows(path, "SELECT * FROM approval_use")
    assert [(u["approval_id"], u["used_by"]) for u in use] == [(token.hex, "Ani")]
    spent = journal(path, token)
    assert (spent["action"], spent["actor"], spent["chain_index"]) == (
        "approval.use", "Ani", event["chain_index"] - 1)
    assert json.loads(spent["payload"]) == {
        "action": "void", "subject": sale.id.hex, "approver": "Maria", "requested_by": "Ani",
        "used_by": "Ani"}
    # 2 x user.create (demo), shift.open (the till fixture), sale, approval.grant,
    # approval.use, void
    result = verify(booth)
    assert (result.ok, result.events, result.documents) == (True, 7, 2)

    receipt = receipt_for(booth, doc.id)
    assert (receipt.kind, receipt.number, receipt.refers_to, receipt.total) == (
        "void", "KPG-01-000002", "KPG-01-000001", 569_950)


def test_voiding_twice_or_voiding_a_void_is_refused(booth: Booth, till_shift: ShiftRow,
                                                    grant) -> None:
    sale = sell(booth, till_shift, ("KOP-002", 1))
    doc = void_sale(booth, sale.id, actor="Budi", actor_role="coordinator", reason="test")
    assert (doc.approved_by, doc.number) == (None, "KPG-01-000002")
    refused("already_voided", booth, void_sale, sale.number, actor="Budi",
            actor_role="coordinator", reason="again")
    # refused before the approval is spent: the cashier's token stays usable
    token = grant("void", sale.id)
    refused("already_voided", booth, void_sale, sale.number, actor="Ani", actor_role="cashier",
            approval_id=token, reason="again")
    err = refused("not_refundable", booth, void_sale, doc.number, actor="Budi",
                  actor_role="admin", reason="undo")
    assert err.params["number"] == "KPG-01-000002"
    refused("already_voided", booth, refund, sale.number, {1: 1}, method="cash", actor="Budi",
            actor_role="coordinator", reason="late")
    refused("not_refundable", booth, refund, doc.number, {1: 1}, method="cash", actor="Budi",
            actor_role="coordinator", reason="late")
    assert [(r.sold, r.refunded, r.left) for r in refundable(booth, sale.number).lines] == [
        (1, 0, 0)]


def test_a_partly_refunded_sale_cannot_be_voided(booth: Booth, till_shift: ShiftRow) -> None:
    sale = sell(booth, till_shift, ("KOP-002", 2))
    refund(booth, sale.number, {1: 1}, method="cash", actor="Budi", actor_role="coordinator",
           reason="one broken")
    err = refused("not_refundable", booth, void_sale, sale.number, actor="Budi",
                  actor_role="coordinator", reason="all")
    assert err.message() == ("Sale KPG-01-000001 cannot be refunded or voided: "
                             "partly refunded; refund the rest instead")


def test_an_approval_counts_once_for_its_sale_action_and_cashier(booth: Booth, till_shift: ShiftRow,
                                                                   grant, clock) -> None:
    a, b = sell(booth, till_shift, ("KOP-002", 2)), sell(booth, till_shift, ("KOP-002", 1))
    cashier = {"actor": "Ani", "actor_role": "cashier", "reason": "x"}
    refused("approval_invalid", booth, void_sale, b.number, approval_id=grant("void", a.id),
            **cashier)
    refused("approval_invalid", booth, void_sale, a.number, approval_id=grant("refund", a.id),
            **cashier)
    refused("approval_invalid", booth, void_sale, a.number,
            approval_id=grant("void", a.id, requested_by="Budi"), **cashier)
    token = grant("refund", a.id)
    refund(booth, a.number, {1: 1}, method="cash", approval_id=token, **cashier)
    refused("approval_used", booth, refund, a.number, {1: 1}, method="cash",
            approval_id=token, **cashier)
    late = grant("refund", a.id)
    clock.advance(minutes=5)
    refused("approval_expired", booth, refund, a.number, {1: 1}, method="cash",
            approval_id=late, **cashier)
    # refused for the sale itself before the approval is looked at: the token stays usable
    refused("refund_exceeds", booth, refund, a.number, {1: 2}, method="cash",
            approval_id=(fresh := grant("refund", a.id)), **cashier)
    assert refund(booth, a.number, {1: 1}, method="cash", approval_id=fresh,
                  **cashier).approved_by == "Maria"


# --- refund ----------------------------------------------------------------------------------

def test_a_partial_refund_restores_exactly_the_refunded_stock(booth: Booth, till_shift: ShiftRow,
                                                               grant) -> None:
    path = booth.db.path
    a0, b0 = on_hand(booth, "KOP-002"), on_hand(booth, "KOP-005")
    sale = sell(booth, till_shift, ("KOP-002", 3), ("KOP-005", 2))
    assert (on_hand(booth, "KOP-002"), on_hand(booth, "KOP-005")) == (a0 - 3, b0 - 2)

    refused("approval_required", booth, refund, sale.number, {1: 1}, method="cash",
            actor="Ani", actor_role="cashier", reason="dented")
    token = grant("refund", sale.id)
    before = {t: len(v) for t, v in snapshot(path).items()}
    first = refund(booth, sale.number, {1: 1}, method="cash", actor="Ani", actor_role="cashier",
                   approval_id=token, reason="dented")
    after = {t: len(v) for t, v in snapshot(path).items()}
    assert {t: after[t] - before[t] for t in TABLES} == {
        "sale": 1, "sale_line": 1, "payment": 1, "stock_movement": 1, "audit_event": 2,
        "approval": 0, "approval_use": 1, "outbox": 7, "counter": 0, "user": 0}
    assert (on_hand(booth, "KOP-002"), on_hand(booth, "KOP-005")) == (a0 - 2, b0 - 2)
    assert (first.number, first.kind, first.total, first.approved_by) == (
        "KPG-01-000002", "refund", 45_000, "Maria")
    assert [(ln.sku, ln.qty, ln.total) for ln in first.lines] == [("KOP-002", 1, 45_000)]
    pay = rows(path, "SELECT * FROM payment WHERE sale_id = ?", first.id.hex)
    assert [(p["method"], p["amount"], p["tendered"], p["change"], p["verified"])
            for p in pay] == [("cash", 45_000, 45_000, 0, 1)]
    event = journal(path, first.id)
    assert (event["actor"], event["action"]) == ("Ani", "refund")
    assert {k: v for k, v in json.loads(event["payload"]).items() if k != "digest"} == {
        "number": "KPG-01-000002", "total": 45_000, "refers_to": "KPG-01-000001",
        "reason": "dented", "approved_by": "Maria"}

    second = refund(booth, sale.number, {1: 2}, method="cash", actor="Budi",
                    actor_role="coordinator", reason="all dented")
    assert (second.number, second.total) == ("KPG-01-000003", 90_000)
    assert (on_hand(booth, "KOP-002"), on_hand(booth, "KOP-005")) == (a0, b0 - 2)
    err = refused("refund_exceeds", booth, refund, sale.number, {1: 1}, method="cash",
                  actor="Budi", actor_role="coordinator", reason="more")
    assert err.params == {"qty": 1, "name": "Kopi Robusta Manggarai 200 g", "left": 0}
    err = refused("refund_exceeds", booth, refund, sale.number, {2: 3}, method="cash",
                  actor="Budi", actor_role="coordinator", reason="more")
    assert err.params["left"] == 2
    assert [(r.line_no, r.sold, r.refunded, r.left, r.refunded_total)
            for r in refundable(booth, sale.number).lines] == [
        (1, 3, 3, 0, 135_000), (2, 2, 0, 2, 0)]
    assert verify(booth).ok


def test_three_single_refunds_sum_exactly_to_the_line_total(booth: Booth,
                                                             till_shift: ShiftRow) -> None:
    # 3 x Rp10.000 with a Rp1.000 line discount: 29.000 does not divide by 3
    sale = sell(booth, till_shift, ("MAK-006", 3, Discount.amount(1_000)))
    assert sale.total == 29_000
    docs = [refund(booth, sale.number, {1: 1}, method="cash", actor="Budi",
                   actor_role="coordinator", reason=f"#{i}") for i in range(3)]
    assert [d.total for d in docs] == [9_667, 9_666, 9_667]
    assert sum(d.total for d in docs) == 29_000
    got = [rows(booth.db.path, "SELECT * FROM sale_line WHERE sale_id = ?", d.id.hex)[0]
           for d in docs]
    assert [(r["gross"], r["line_discount"], r["sale_discount"], r["net"], r["total"])
            for r in got] == [(10_000, 333, 0, 9_667, 9_667), (10_000, 334, 0, 9_666, 9_666),
                              (10_000, 333, 0, 9_667, 9_667)]
    assert [d.number for d in docs] == ["KPG-01-000002", "KPG-01-000003", "KPG-01-000004"]
    assert [r.left for r in refundable(booth, sale.number).lines] == [0]


def test_refunding_two_at_once_costs_what_one_and_one_cost(booth: Booth,
                                                            till_shift: ShiftRow) -> None:
    a = sell(booth, till_shift, ("MAK-006", 3, Discount.amount(1_000)))
    b = sell(booth, till_shift, ("MAK-006", 3, Discount.amount(1_000)))
    two = refund(booth, a.number, {1: 2}, method="cash", actor="B", actor_role="admin",
                 reason="x")
    ones = [refund(booth, b.number, {1: 1}, method="cash", actor="B", actor_role="admin",
                   reason="x") for _ in range(2)]
    assert two.total == sum(d.total for d in ones) == 19_333


@pytest.mark.parametrize("splits", [[1, 1, 1, 1, 1, 1, 1], [2, 5], [3, 1, 3], [6, 1], [7]])
def test_refunds_of_taxed_and_discounted_lines_add_up_to_the_sale(booth: Booth, till_shift: ShiftRow,
                                                                  splits) -> None:
    # included PPN, added PPN and no PPN, each with a line discount, plus a sale discount
    sale = sell(booth, till_shift, ("KOP-001", 7, Discount.percent("7")),
                ("MAK-003", 7, Discount.amount(7)), ("MAK-006", 7, Discount.percent("3")),
                discount=Discount.amount(10_001))
    original = {r["line_no"]: r for r in rows(booth.db.path, "SELECT * FROM sale_line "
                                              "WHERE sale_id = ?", sale.id.hex)}
    totals = []
    for qty in splits:
        doc = refund(booth, sale.number, {1: qty, 2: qty, 3: qty}, method="transfer",
                     reference="TRF-9", actor="B", actor_role="coordinator", reason="x")
        totals.append(doc.total)
    refunded = rows(booth.db.path, "SELECT l.* FROM sale_line l JOIN sale s ON s.id = l.sale_id "
                    "WHERE s.kind = 'refund'")
    for r in refunded:
        assert r["net"] == r["gross"] - r["line_discount"] - r["sale_discount"]
        assert r["total"] == r["net"] + (r["tax"] if r["tax_mode"] == "added" else 0)
        assert r["gross"] == r["qty"] * r["unit_price"]
    for no, line in original.items():
        mine = [r for r in refunded if r["line_no"] == no]
        for f in ("qty", *AMOUNTS):
            assert sum(r[f] for r in mine) == line[f], (no, f)
    assert sum(totals) == sale.total
    with booth.db.read() as s:
        assert audit.verify(s.connection(), booth.context.device_id).ok


def test_refund_amounts_never_go_below_zero() -> None:
    # Q=4 units carrying 2 rupiah of discount: independent rounding would give 1, 1, 1, -1
    line = {"qty": 4, "unit_price": 1, "gross": 4, "line_discount": 2, "sale_discount": 1,
            "tax": 1, "net": 1, "total": 2, "tax_mode": "added"}
    done = dict.fromkeys(("qty", *AMOUNTS), 0)
    for _ in range(4):
        part = refund_amounts(line, done, 1)
        assert all(v >= 0 for v in part.values())
        done = {"qty": done["qty"] + 1, **{f: done[f] + part[f] for f in AMOUNTS}}
    assert done == {f: line[f] for f in ("qty", *AMOUNTS)}


@pytest.mark.parametrize(("code", "lines", "kw"), [
    ("refund_exceeds", {1: 3}, {}),
    ("unknown_sale_line", {3: 1}, {}),
    ("bad_quantity", {1: 0}, {}),
    ("nothing_to_refund", {}, {}),
    ("reference_required", {1: 1}, {"method": "card"}),
    ("unknown_method", {1: 1}, {"method": "cheque"}),
    ("reason_required", {1: 1}, {"reason": "  "}),
    ("approval_required", {1: 1}, {"actor_role": "cashier"}),
])
def test_a_refused_refund_writes_nothing(booth: Booth, till_shift: ShiftRow, code, lines,
                                         kw) -> None:
    sale = sell(booth, till_shift, ("KOP-002", 2), ("KOP-005", 1))
    args = {"method": "cash", "actor": "Budi", "actor_role": "coordinator", "reason": "x", **kw}
    refused(code, booth, refund, sale.number, lines, **args)


def test_unknown_sales_are_refused(booth: Booth) -> None:
    refused("unknown_sale", booth, void_sale, "KPG-01-000099", actor="B",
            actor_role="admin", reason="x")
    refused("unknown_sale", booth, refund, uuid.uuid4(), {1: 1}, method="cash", actor="B",
            actor_role="admin", reason="x")


def test_card_and_qris_refunds_record_the_reference(booth: Booth, till_shift: ShiftRow) -> None:
    sale = sell(booth, till_shift, ("KOP-002", 2))
    card = refund(booth, sale.number, {1: 1}, method="card", reference=" EDC-77 ", actor="B",
                  actor_role="admin", reason="x")
    qris = refund(booth, sale.number, {1: 1}, method=QRIS, actor="B", actor_role="admin",
                  reason="x")
    assert [(p.method, p.amount, p.reference, p.verified) for p in card.payments + qris.payments
            ] == [(CARD, 45_000, "EDC-77", True), (QRIS, 45_000, None, False)]


# --- command line ----------------------------------------------------------------------------

def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_back_office_void_and_refund_from_the_command_line(booth: Booth, till_shift: ShiftRow,
                                                            capsys) -> None:
    path = booth.db.path
    a = sell(booth, till_shift, ("KOP-002", 3))
    b = sell(booth, till_shift, ("KOP-002", 1))
    db = str(path)
    code, out, err = run(capsys, "--db", db, "refund", a.number, "--line", "1=1",
                         "--line", "1=1", "--method", "cash", "--reason", "dented")
    assert (code, err) == (0, "")
    assert out == "Refund KPG-01-000003 of sale KPG-01-000001: Rp90.000 back\n"
    code, out, err = run(capsys, "--db", db, "--json", "void", b.number.lower(), "--reason",
                         "double rung", "--cashier", "Sari")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["number"], data["kind"], data["refers_to"], data["total"], data["cashier"]) == (
        "KPG-01-000004", "void", "KPG-01-000002", 45_000, "Sari")
    actors = [(r["action"], r["actor"]) for r in rows(
        path, "SELECT * FROM audit_event WHERE action IN ('sale', 'void', 'refund') "
              "ORDER BY chain_index")]
    assert actors == [("sale", "pos"), ("sale", "pos"), ("refund", f"os:{getpass.getuser()}"),
                      ("void", "Sari")]
    assert rows(path, "SELECT source FROM sale WHERE number = 'KPG-01-000004'")[0][0] == "cli"

    before = snapshot(path)
    code, out, err = run(capsys, "--db", db, "refund", a.number, "--line", "1=2", "--method",
                         "cash", "--reason", "more")
    assert (code, out) == (1, "")
    assert err == ("pos-app: Cannot refund 2 of Kopi Robusta Manggarai 200 g: "
                   "only 1 left to refund\n")
    code, out, err = run(capsys, "--db", db, "refund", a.number, "--line", "one", "--method",
                         "cash", "--reason", "more")
    assert (code, out, err) == (1, "", "pos-app: Expected LINE=QTY, got one\n")
    code, out, err = run(capsys, "--db", db, "void", b.number, "--reason", "again")
    assert (code, err) == (1, "pos-app: Sale KPG-01-000002 is already voided\n")
    assert snapshot(path) == before


def test_money_cannot_go_back_through_a_closed_shift(booth: Booth, till_shift: ShiftRow) -> None:
    """A closed shift's count is final: a refund or void naming it is refused and writes
    nothing; with no shift named, a back-office refund stays outside every drawer."""
    from pos_app.services.shift.shifts import close_shift, shift_totals

    sale = sell(booth, till_shift, ("KOP-001", 2))
    close_shift(booth, till_shift.id, {50_000: 4}, by="Kasir")
    expected = shift_totals(booth, till_shift.id).expected_cash
    refused("shift_closed", booth, refund, sale.number, {1: 1}, method="cash",
            actor="Maria", actor_role="coordinator", reason="rusak", shift_id=till_shift.id)
    refused("shift_closed", booth, void_sale, sale.number, actor="Maria",
            actor_role="coordinator", reason="salah", shift_id=till_shift.id)
    back_office = refund(booth, sale.number, {1: 1}, method="cash", actor="Maria",
                                 actor_role="coordinator", reason="rusak")
    assert rows(booth.db.path, "SELECT shift_id FROM sale WHERE number = ?",
                back_office.number)[0]["shift_id"] is None
    assert shift_totals(booth, till_shift.id).expected_cash == expected  # the closed count holds
