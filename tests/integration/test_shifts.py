"""Shifts: every step a row of its own, a blind close, X/Z reports whose totals equal the sums
of the shift's sales and payments to the rupiah, handovers, back-office shifts, business days."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from pos_app.cli.main import main
from pos_app.domain.cart import Discount
from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_rupiah
from pos_app.domain.tenders import Method, Tender
from pos_app.persistence.models import User
from pos_app.services.access import audit
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.printing import PrinterConfig
from pos_app.services.setup.booth import Booth, write_setting
from pos_app.services.setup.clock import FixedClock
from pos_app.services.setup.records import Recorder
from pos_app.services.shift import backoffice, shift_reports, shifts

CASH, QRIS, TRANSFER, CARD = Method.CASH, Method.QRIS, Method.TRANSFER, Method.CARD
FLOAT = {100_000: 3, 50_000: 3, 20_000: 2, 10_000: 1}  # Rp500.000
TABLES = ("shift", "shift_event", "audit_event", "outbox", "sale")


def add_users(booth: Booth, *names: str) -> None:
    """Cashiers by name (those the demo lacks)."""
    with booth.db.write() as s:
        have = set(s.execute(select(User.name)).scalars())
        Recorder(s, booth.context.device_id, booth.clock.now()).insert(
            User, [{"name": n, "role": "cashier", "active": True} for n in names
                   if n not in have])


def sell(booth: Booth, items, *tenders: Tender, shift_id=None, discount=None, **kw):
    return checkout(booth, SaleRequest(
        items=tuple(SaleItem(q, sku=s, discount=d) for s, q, d in
                    ((i + (None,))[:3] for i in items)),
        tenders=tenders, discount=discount, shift_id=shift_id, **kw))


def rows(path: Path, sql: str, *params) -> list[sqlite3.Row]:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def one(path: Path, sql: str, *params):
    return rows(path, sql, *params)[0][0]


def counts(path: Path) -> dict[str, int]:
    return {t: one(path, f"SELECT count(*) FROM {t}") for t in TABLES}


def pdf_words(path: Path) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(path).pages).split())


@pytest.fixture
def shift(booth: Booth) -> shifts.ShiftRow:
    add_users(booth, "Maria", "Yohanes")
    return shifts.open_shift(booth, "Kasir", 500_000, FLOAT)


# ------------------------------------------------------------------------------ opening


def test_open_writes_a_shift_an_open_event_and_a_journal_event(booth: Booth,
                                                                shift: shifts.ShiftRow) -> None:
    path = booth.db.path
    assert (shift.cashier, shift.opened_by, shift.opening_float, shift.kind) == (
        "Kasir", "Kasir", 500_000, "pos")
    assert shift.business_date == date(2026, 11, 21)
    assert shifts.current_shift(booth) == shift
    row = rows(path, "SELECT * FROM shift")[0]
    assert (row["id"], row["cashier_name"], row["kind"], row["opening_float"],
            row["business_date"]) == (shift.id.hex, "Kasir", "pos", 500_000, "2026-11-21")
    assert row["cashier_id"] == one(path, "SELECT id FROM user WHERE name='Kasir'")
    ev = rows(path, "SELECT * FROM shift_event")
    assert [(e["kind"], e["amount"], e["counted"], e["user_name"]) for e in ev] == [
        ("open", 500_000, 500_000, "Kasir")]
    assert json.loads(ev[0]["payload"]) == {"count": {"100000": 3, "50000": 3, "20000": 2,
                                                      "10000": 1}}
    journal = rows(path, "SELECT * FROM audit_event WHERE action LIKE 'shift.%'")
    assert [(j["action"], j["actor"], j["subject_id"]) for j in journal] == [
        ("shift.open", "Kasir", shift.id.hex)]
    assert json.loads(journal[0]["payload"])["opening_float"] == 500_000
    # synced rows queued for sync
    assert one(path, "SELECT count(*) FROM outbox WHERE table_name IN ('shift','shift_event')") \
        == 2


@pytest.mark.parametrize(("args", "code"), [
    (("Kasir", 500_000, {100_000: 4}), "count_mismatch"),
    (("Kasir", 500_000, {300: 1}), "bad_denomination"),
    (("Kasir", 500_000, {100_000: -5}), "bad_denomination"),
    (("Kasir", -1, None), "bad_amount"),
    (("Kasir", None, None), "bad_amount"),
    (("Nobody", 500_000, None), "unknown_cashier"),
])
def test_bad_opening_writes_nothing(booth: Booth, args, code: str) -> None:
    before = counts(booth.db.path)
    with pytest.raises(DomainError) as info:
        shifts.open_shift(booth, *args)
    assert info.value.code == code
    assert counts(booth.db.path) == before
    assert shifts.current_shift(booth) is None


def test_the_float_can_come_from_the_count_alone(booth: Booth) -> None:
    opened = shifts.open_shift(booth, "Kasir", None, {50_000: 2, 500: 10})
    assert opened.opening_float == 105_000


def test_one_open_shift_per_device(booth: Booth, shift: shifts.ShiftRow) -> None:
    before = counts(booth.db.path)
    with pytest.raises(DomainError) as info:
        shifts.open_shift(booth, "Maria", 100_000)
    assert info.value.code == "shift_already_open"
    assert info.value.params == {"cashier": "Kasir"}
    assert counts(booth.db.path) == before


# ------------------------------------------------------------------ the Z totals, exactly


def ring_up_a_shift(booth: Booth, shift_id: uuid.UUID):
    """Cash, QRIS, split, card and transfer sales with line and sale discounts and PPN;
    cash in and out; a void and a cash refund; and one sale outside the shift."""
    from pos_app.services.sale.refunds import refund, void_sale

    sales = [
        sell(booth, [("KOP-001", 2), ("MAK-003", 1), ("TEN-001", 1)],
             Tender(QRIS, 300_000, "QR-1"), Tender(CASH, 300_000), shift_id=shift_id),
        sell(booth, [("KOP-001", 1, Discount.percent(10))], Tender(CASH, 100_000),
             shift_id=shift_id),
        sell(booth, [("MAK-003", 3), ("KOP-001", 1)], Tender(QRIS, 100_000, "QR-2"),
             Tender(CASH, 200_000), shift_id=shift_id, discount=Discount.amount(5_000)),
        sell(booth, [("TEN-001", 1)], Tender(CARD, 350_000, "APPR-77"), shift_id=shift_id),
        sell(booth, [("MAK-003", 2)], Tender(TRANSFER, 50_000, "TRF-1"),
             Tender(CASH, 60_000), shift_id=shift_id, discount=Discount.percent("12.5"),
             cashier="Maria"),  # above the cashier limit: a coordinator gives it
        sell(booth, [("KOP-001", 1)], Tender(QRIS, 85_000, "QR-3"), shift_id=shift_id),
    ]
    shifts.cash_in(booth, shift_id, 200_000, "tambah uang kembalian", "Kasir")
    shifts.cash_out(booth, shift_id, 150_000, "setor ke koordinator", "Kasir")
    void_sale(booth, sales[3].number, actor="Maria", actor_role="coordinator",
              reason="salah ketik", shift_id=shift_id)
    refund(booth, sales[0].number, {1: 1}, method="cash", actor="Maria",
           actor_role="coordinator", reason="kemasan rusak", shift_id=shift_id)
    # not in the shift: a till sale needs the open shift, so the sale outside it is a
    # command-line back-entry into a back-office shift of its own
    with backoffice.backoffice_shift(booth, "os:maria") as elsewhere:
        sell(booth, [("KOP-001", 1)], Tender(CASH, 85_000), shift_id=elsewhere,
             actor="os:maria", source="cli")
    return sales


def independent_totals(path: Path, shift_id: uuid.UUID) -> dict:
    """The shift's figures straight from the tables, without the service."""
    sid = shift_id.hex
    q = "SELECT {} FROM sale WHERE shift_id = ? AND kind = ?"
    n, disc, tax, net = rows(path, q.format("count(*), total(discount), total(tax), "
                                            "total(total)"), sid, "sale")[0]
    gross, added = rows(path, "SELECT total(l.gross), total(CASE WHEN l.tax_mode='added' "
                              "THEN l.tax END) FROM sale_line l JOIN sale s ON s.id = l.sale_id "
                              "WHERE s.shift_id = ? AND s.kind = 'sale'", sid)[0]
    voids = rows(path, q.format("count(*), total(total)"), sid, "void")[0]
    refunds = rows(path, q.format("count(*), total(total)"), sid, "refund")[0]
    pay = {}
    for method, kind, amount in rows(path, "SELECT p.method, s.kind, sum(p.amount) FROM payment p "
                                           "JOIN sale s ON s.id = p.sale_id WHERE s.shift_id = ? "
                                           "GROUP BY 1, 2", sid):
        pay[method] = pay.get(method, 0) + (amount if kind == "sale" else -amount)
    cash_sales = one(path, "SELECT total(p.amount) FROM payment p JOIN sale s ON s.id=p.sale_id "
                           "WHERE s.shift_id=? AND s.kind='sale' AND p.method='cash'", sid)
    cash_back = one(path, "SELECT total(p.amount) FROM payment p JOIN sale s ON s.id=p.sale_id "
                          "WHERE s.shift_id=? AND s.kind IN ('void','refund') "
                          "AND p.method='cash'", sid)
    moved = dict(rows(path, "SELECT kind, total(amount) FROM shift_event WHERE shift_id=? "
                            "GROUP BY kind", sid))
    opening = one(path, "SELECT opening_float FROM shift WHERE id=?", sid)
    return {
        "sales": n, "gross": int(gross), "discounts": int(disc), "tax": int(tax),
        "tax_added": int(added), "net_sales": int(net), "voids": voids[0],
        "voids_total": int(voids[1]), "refunds": refunds[0], "refunds_total": int(refunds[1]),
        "payments": pay, "opening_float": opening, "cash_sales": int(cash_sales),
        "cash_refunds": int(cash_back), "cash_in": int(moved.get("cash_in", 0)),
        "cash_out": int(moved.get("cash_out", 0)),
        "expected_cash": int(opening + cash_sales - cash_back + moved.get("cash_in", 0)
                             - moved.get("cash_out", 0)),
    }


def test_z_totals_equal_the_sums_of_its_sales_and_payments(booth: Booth,
                                                           shift: shifts.ShiftRow) -> None:
    sales = ring_up_a_shift(booth, shift.id)
    path = booth.db.path
    want = independent_totals(path, shift.id)

    # the same figures from the sale results themselves (what the cashier saw)
    assert want["sales"] == 6
    assert want["net_sales"] == sum(s.total for s in sales)
    assert want["discounts"] == sum(s.discount for s in sales) > 0
    assert want["gross"] == sum(s.subtotal for s in sales)
    assert want["tax"] == sum(s.tax for s in sales) > 0
    assert want["cash_sales"] == sum(p.amount for s in sales for p in s.payments
                                     if p.method is CASH)
    assert want["voids"] == 1 and want["voids_total"] == sales[3].total == 350_000
    assert want["refunds"] == 1 and want["refunds_total"] == 85_000
    assert want["cash_refunds"] == 85_000
    assert want["payments"]["card"] == 0  # the voided card sale nets out

    x = shifts.x_report(booth, shift.id, "Kasir")
    result = shifts.close_shift(booth, shift.id, {100_000: 6, 50_000: 1, 2_000: 3, 500: 1},
                                "Kasir")
    z = result.totals
    for totals in (x, z, shifts.shift_totals(booth, shift.id)):
        got = {k: getattr(totals, k) for k in want if k != "payments"}
        assert got == {k: v for k, v in want.items() if k != "payments"}
        assert dict(totals.payments) == want["payments"]
        assert [m for m, _ in totals.payments] == ["cash", "qris", "transfer", "card"]
        # the identities that make the report add up
        assert totals.gross - totals.discounts + totals.tax_added == totals.net_sales
        assert totals.net_payments == (totals.net_sales - totals.voids_total
                                       - totals.refunds_total)
        assert totals.payment("cash") == totals.cash_sales - totals.cash_refunds
    assert shifts.expected_cash(booth, shift.id) == want["expected_cash"]
    assert (result.expected, result.counted) == (want["expected_cash"], 656_500)
    assert result.difference == 656_500 - want["expected_cash"]
    assert (z.counted_cash, z.difference) == (result.counted, result.difference)
    assert z.count == ((100_000, 6), (50_000, 1), (2_000, 3), (500, 1))
    assert z.days == ((date(2026, 11, 21), 6, want["net_sales"]),)
    # every figure is whole rupiah
    assert all(type(v) is int for k, v in vars(z).items()
               if k in want and k != "payments")


def test_expected_cash_follows_every_movement(booth: Booth, shift: shifts.ShiftRow) -> None:
    assert shifts.expected_cash(booth, shift.id) == 500_000
    sell(booth, [("KOP-001", 1)], Tender(CASH, 100_000), shift_id=shift.id)  # change 15.000
    assert shifts.expected_cash(booth, shift.id) == 585_000
    sell(booth, [("KOP-001", 1)], Tender(QRIS, 85_000, "Q"), shift_id=shift.id)
    assert shifts.expected_cash(booth, shift.id) == 585_000
    shifts.cash_in(booth, shift.id, 50_000, "receh", "Kasir")
    shifts.cash_out(booth, shift.id, 35_000, "beli es batu", "Kasir")
    assert shifts.expected_cash(booth, shift.id) == 600_000


@pytest.mark.parametrize(("amount", "reason", "code"), [
    (0, "x", "bad_positive_amount"), (-5, "x", "bad_amount"), (1.5, "x", "bad_amount"),
    (10_000, "", "reason_required"), (10_000, "   ", "reason_required"),
])
def test_cash_in_and_out_need_an_amount_and_a_reason(booth: Booth, shift: shifts.ShiftRow,
                                                     amount, reason, code) -> None:
    before = counts(booth.db.path)
    for move in (shifts.cash_in, shifts.cash_out):
        with pytest.raises(DomainError) as info:
            move(booth, shift.id, amount, reason, "Kasir")
        assert info.value.code == code
    assert counts(booth.db.path) == before


# --------------------------------------------------------------------------- blind close


def test_blind_close_records_counted_expected_and_difference(booth: Booth,
                                                             shift: shifts.ShiftRow) -> None:
    sell(booth, [("KOP-001", 2)], Tender(CASH, 200_000), shift_id=shift.id)  # +170.000 cash
    path = booth.db.path
    result = shifts.close_shift(booth, shift.id, {100_000: 6, 50_000: 1, 10_000: 1,
                                                  5_000: 1, 500: 2}, "Maria")
    assert (result.expected, result.counted, result.difference) == (670_000, 666_000, -4_000)
    # backups are on by default: into the backups folder beside the database
    assert result.backup_error is None
    assert result.backup_path == path.parent / "backups" / "lapak-KPG-01-20261121-193000.db"
    close = rows(path, "SELECT * FROM shift_event WHERE kind='close'")
    assert len(close) == 1
    assert (close[0]["expected"], close[0]["counted"], close[0]["user_name"]) == (
        670_000, 666_000, "Maria")
    payload = json.loads(close[0]["payload"])
    assert payload["count"] == {"100000": 6, "50000": 1, "10000": 1, "5000": 1, "500": 2}
    assert payload["totals"]["expected_cash"] == 670_000
    assert payload["totals"]["difference"] == -4_000
    assert payload["chain_head"] == {"index": result.chain_head.index,
                                     "hash": result.chain_head.hash}
    # the printed chain head is the journal event of the close itself
    last = rows(path, "SELECT * FROM audit_event ORDER BY chain_index DESC LIMIT 1")[0]
    assert (last["action"], last["chain_index"], last["hash"]) == (
        "shift.close", result.chain_head.index, result.chain_head.hash)
    journaled = json.loads(last["payload"])
    assert (journaled["expected"], journaled["counted"], journaled["difference"]) == (
        670_000, 666_000, -4_000)
    assert shifts.current_shift(booth) is None
    assert shifts.get_shift(booth, shift.id).closed_at == booth.clock.now()
    # the shift row itself never changed
    assert rows(path, "SELECT cashier_name, opening_float FROM shift")[0][:] == ("Kasir",
                                                                                500_000)
    with booth.db.read() as s:
        assert audit.verify(s.connection(), booth.context.device_id).ok


def test_a_closed_shift_takes_no_more_steps(booth: Booth, shift: shifts.ShiftRow) -> None:
    shifts.close_shift(booth, shift.id, {100_000: 5}, "Kasir")
    before = counts(booth.db.path)
    for step in (lambda: shifts.close_shift(booth, shift.id, {100_000: 5}, "Kasir"),
                 lambda: shifts.cash_in(booth, shift.id, 1_000, "x", "Kasir"),
                 lambda: shifts.cash_out(booth, shift.id, 1_000, "x", "Kasir"),
                 lambda: shifts.handover(booth, shift.id, "Maria", {}),
                 lambda: shifts.x_report(booth, shift.id, "Kasir")):
        with pytest.raises(DomainError) as info:
            step()
        assert info.value.code == "shift_closed"
    assert counts(booth.db.path) == before
    # and a new shift can open
    assert shifts.open_shift(booth, "Maria", 0).cashier == "Maria"


def test_bad_close_count_writes_nothing(booth: Booth, shift: shifts.ShiftRow) -> None:
    before = counts(booth.db.path)
    with pytest.raises(DomainError) as info:
        shifts.close_shift(booth, shift.id, {100_000: 5, 300: 1}, "Kasir")
    assert info.value.code == "bad_denomination"
    with pytest.raises(DomainError) as info:
        shifts.close_shift(booth, uuid.uuid4(), {100_000: 5}, "Kasir")
    assert info.value.code == "unknown_shift"
    assert counts(booth.db.path) == before


# ----------------------------------------------------------------------------- handover


def test_handover_changes_the_cashier_and_records_both(booth: Booth,
                                                       shift: shifts.ShiftRow) -> None:
    sell(booth, [("KOP-001", 1)], Tender(CASH, 85_000), shift_id=shift.id)
    res = shifts.handover(booth, shift.id, "Maria", {100_000: 5, 50_000: 1, 20_000: 1,
                                                      10_000: 1, 5_000: 1})
    assert (res.expected, res.counted, res.difference) == (585_000, 585_000, 0)
    assert shifts.current_shift(booth).cashier == "Maria"
    assert shifts.current_shift(booth).opened_by == "Kasir"
    res2 = shifts.handover(booth, shift.id, "Yohanes", {100_000: 5}, by="Maria")
    assert (res2.expected, res2.counted, res2.difference) == (585_000, 500_000, -85_000)
    assert shifts.current_shift(booth).cashier == "Yohanes"

    path = booth.db.path
    ev = rows(path, "SELECT * FROM shift_event WHERE kind='handover' ORDER BY seq")
    assert [(e["user_name"], e["expected"], e["counted"]) for e in ev] == [
        ("Maria", 585_000, 585_000), ("Yohanes", 585_000, 500_000)]
    assert ev[0]["user_id"] == one(path, "SELECT id FROM user WHERE name='Maria'")
    assert json.loads(ev[0]["payload"])["from"] == "Kasir"
    assert json.loads(ev[1]["payload"])["from"] == "Maria"
    journal = [(r["actor"], json.loads(r["payload"])) for r in rows(
        path, "SELECT * FROM audit_event WHERE action='shift.handover' ORDER BY chain_index")]
    assert [(a, p["from"], p["to"], p["difference"]) for a, p in journal] == [
        ("Kasir", "Kasir", "Maria", 0), ("Maria", "Maria", "Yohanes", -85_000)]
    assert one(path, "SELECT cashier_name FROM shift") == "Kasir"  # never updated
    totals = shifts.shift_totals(booth, shift.id)
    assert (totals.cashier, totals.handovers) == ("Yohanes", ("Maria", "Yohanes"))
    with pytest.raises(DomainError) as info:
        shifts.handover(booth, shift.id, "Nobody", {})
    assert info.value.code == "unknown_cashier"


# ------------------------------------------------------------------------------ reports


def test_x_report_is_kept_as_an_event(booth: Booth, shift: shifts.ShiftRow) -> None:
    sell(booth, [("KOP-001", 1)], Tender(QRIS, 85_000, "Q"), shift_id=shift.id)
    x = shifts.x_report(booth, shift.id, "Kasir")
    assert (x.sales, x.net_sales, x.expected_cash, x.closed_at) == (1, 85_000, 500_000, None)
    path = booth.db.path
    ev = rows(path, "SELECT * FROM shift_event WHERE kind='x_report'")
    assert len(ev) == 1 and ev[0]["expected"] == 500_000
    assert json.loads(ev[0]["payload"])["totals"] == x.to_json()
    assert one(path, "SELECT count(*) FROM audit_event WHERE action='shift.x_report'") == 1
    assert shifts.current_shift(booth) is not None  # still open
    kept = shift_reports.kept_report(booth, shift.id, "x")
    assert (kept.event_id.hex, kept.totals) == (ev[0]["id"], x)
    # Z of an open shift does not exist yet
    with pytest.raises(DomainError) as info:
        shift_reports.kept_report(booth, shift.id, "z")
    assert info.value.code == "shift_open"


def test_z_report_pdf_shows_totals_count_and_journal_head(booth: Booth,
                                                          shift: shifts.ShiftRow,
                                                          tmp_path: Path) -> None:
    sales = ring_up_a_shift(booth, shift.id)
    result = shifts.close_shift(booth, shift.id, {100_000: 6, 50_000: 1, 500: 3}, "Kasir")
    z = result.totals
    out = shift_reports.save_report_pdf(booth, shift.id, "z", tmp_path / "z.pdf")
    words = pdf_words(out)
    head = f"Journal head: #{result.chain_head.index} {result.chain_head.hash[:16]}"
    assert head in words
    assert "Z REPORT" in words
    fig = z.shown_figures()
    assert f"Net after voids and refunds {format_rupiah(fig.net)}" in words
    assert fig.net == z.net_payments
    assert f"Sales {format_rupiah(fig.sales)}" in words
    assert z.net_sales == sum(s.total for s in sales)
    assert f"Gross sales {format_rupiah(z.gross)}" in words
    assert f"Discounts -{format_rupiah(z.discounts)}" in words
    assert f"EXPECTED CASH {format_rupiah(result.expected)}" in words
    assert f"COUNTED CASH {format_rupiah(651_500)}" in words
    sign = "+" if result.difference > 0 else "-"
    assert f"DIFFERENCE {sign}{format_rupiah(abs(result.difference))}" in words
    assert f"100.000 x 6 {format_rupiah(600_000)}" in words
    assert f"500 x 3 {format_rupiah(1_500)}" in words
    assert f"QRIS {format_rupiah(z.payment('qris'))}" in words
    assert "Business day 21/11/2026" in words

    # kept: later, with the booth moved on, the same Z comes back from the stored totals
    booth.clock.advance(hours=20)
    later = shifts.open_shift(booth, "Maria", 100_000)
    sell(booth, [("KOP-001", 1)], Tender(CASH, 85_000), shift_id=later.id)
    again = shift_reports.save_report_pdf(booth, shift.id, "z", tmp_path / "z2.pdf")
    words2 = pdf_words(again)
    assert head in words2 and f"after voids and refunds {format_rupiah(fig.net)}" in words2
    assert shift_reports.kept_report(booth, shift.id, "z").totals == z

    data = shift_reports.report_bytes(booth, shift.id, "z")
    assert b"Z REPORT" in data and result.chain_head.hash[:16].encode() in data


def test_reports_print_as_recorded_print_jobs(booth: Booth, shift: shifts.ShiftRow,
                                              tmp_path: Path) -> None:
    config = PrinterConfig(f"pdf://{tmp_path}/out", 80)
    x_outcome = shift_reports.print_report(booth, shift.id, "x", config, by="Kasir")
    assert x_outcome.printed and Path(x_outcome.destination).exists()
    result = shifts.close_shift(booth, shift.id, {100_000: 5}, "Kasir")
    z_outcome = shift_reports.print_report(booth, shift.id, "z", config)
    assert z_outcome.printed
    assert f"#{result.chain_head.index} {result.chain_head.hash[:16]}" in pdf_words(
        Path(z_outcome.destination))
    jobs = rows(booth.db.path, "SELECT document_kind, document_id, status FROM print_job "
                               "ORDER BY seq")
    close_id = one(booth.db.path, "SELECT id FROM shift_event WHERE kind='close'")
    x_id = one(booth.db.path, "SELECT id FROM shift_event WHERE kind='x_report'")
    assert [tuple(j) for j in jobs] == [("x_report", x_id, "printed"),
                                        ("z_report", close_id, "printed")]
    failed = shift_reports.print_report(booth, shift.id, "z", PrinterConfig("tcp://127.0.0.1:9", 58,
                                                                     timeout=1))
    assert not failed.printed and failed.error is not None
    assert one(booth.db.path, "SELECT status FROM print_job ORDER BY seq DESC LIMIT 1") == \
        "failed"


# ------------------------------------------------------------------------- business days


def wita(d: int, hh: int, mm: int = 0) -> datetime:
    """A WITA wall-clock time in November 2026 as the aware UTC instant."""
    return datetime(2026, 11, d, hh, mm, tzinfo=UTC) - timedelta(hours=8)


def test_a_0130_wita_sale_belongs_to_the_evening_before(booth: Booth,
                                                        clock: FixedClock) -> None:
    clock.current = wita(21, 19, 30)
    opened = shifts.open_shift(booth, "Kasir", 0)
    assert opened.business_date == date(2026, 11, 21)
    first = sell(booth, [("KOP-001", 1)], Tender(CASH, 85_000), shift_id=opened.id)
    clock.current = wita(22, 1, 30)  # after midnight, before the 04:00 cut-off
    late = sell(booth, [("MAK-003", 1)], Tender(CASH, 50_000), shift_id=opened.id)
    assert one(booth.db.path, "SELECT business_date FROM sale WHERE number=?",
               late.number) == "2026-11-21"
    x = shifts.x_report(booth, opened.id, "Kasir")
    assert x.business_date == date(2026, 11, 21)
    assert x.days == ((date(2026, 11, 21), 2, first.total + late.total),)
    clock.current = wita(22, 4, 30)  # past the cut-off: the 22nd
    early = sell(booth, [("KOP-001", 1)], Tender(CASH, 85_000), shift_id=opened.id)
    z = shifts.close_shift(booth, opened.id, {}, "Kasir").totals
    assert z.business_date == date(2026, 11, 21)
    assert z.days == ((date(2026, 11, 21), 2, first.total + late.total),
                      (date(2026, 11, 22), 1, early.total))


def test_a_shift_opened_at_0130_wita_is_on_the_day_before(booth: Booth,
                                                          clock: FixedClock) -> None:
    clock.current = wita(22, 1, 30)
    opened = shifts.open_shift(booth, "Kasir", 0)
    assert opened.business_date == date(2026, 11, 21)
    assert one(booth.db.path, "SELECT business_date FROM shift") == "2026-11-21"


# -------------------------------------------------------------------- back-office shifts


def test_backoffice_shift_wraps_a_command_line_sale(booth: Booth) -> None:
    with booth.db.read() as s:
        start = audit.head(s.connection(), booth.context.device_id).index
    with backoffice.sale_shift(booth, "os:maria") as shift_id:
        sale = checkout(booth, SaleRequest(items=(SaleItem(1, sku="KOP-001"),),
                                           tenders=(Tender(CASH, 85_000),), actor="os:maria",
                                           source="cli", shift_id=shift_id))
    path = booth.db.path
    shift = rows(path, "SELECT * FROM shift")[0]
    assert (shift["kind"], shift["opening_float"], shift["cashier_name"]) == (
        "backoffice", 0, "os:maria")
    assert one(path, "SELECT shift_id FROM sale WHERE id=?", sale.id.hex) == shift["id"]
    ev = rows(path, "SELECT kind, counted, expected FROM shift_event ORDER BY seq")
    assert [tuple(e) for e in ev] == [("open", None, None), ("close", None, 85_000)]
    journal = [(r["action"], r["actor"]) for r in rows(
        path, "SELECT * FROM audit_event WHERE chain_index > ? ORDER BY chain_index", start)]
    assert journal == [("shift.open", "os:maria"), ("sale", "os:maria"),
                       ("shift.close", "os:maria")]
    assert json.loads(rows(path, "SELECT payload FROM audit_event WHERE action='shift.open'")
                      [0][0])["kind"] == "backoffice"
    assert shifts.current_shift(booth) is None  # never a till shift
    # with a till shift open, command-line sales go into it
    opened = shifts.open_shift(booth, "Kasir", 0)
    with backoffice.sale_shift(booth, "os:maria") as shift_id:
        assert shift_id == opened.id
    assert one(path, "SELECT count(*) FROM shift") == 2


def test_backoffice_shift_closes_even_when_the_sale_fails(booth: Booth) -> None:
    with pytest.raises(DomainError), backoffice.backoffice_shift(booth, "os:root") as shift_id:
        checkout(booth, SaleRequest(items=(SaleItem(1, sku="NOPE"),),
                                    tenders=(Tender(CASH, 1),), shift_id=shift_id))
    assert shifts.get_shift(booth, shift_id).closed_at is not None


# ----------------------------------------------------------------------------- the CLI


def cli(capsys, db: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", "--db", str(db), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_shift_open_close_report(booth: Booth, capsys, tmp_path: Path) -> None:
    db = booth.db.path
    code, out, err = cli(capsys, db, "shift", "open", "--cashier", "Kasir", "--float",
                         "500.000", "--count", "100000=5")
    assert (code, err, out) == (0, "", "Shift opened for Kasir with a float of Rp500.000\n")
    shift_id = shifts.current_shift(booth).id
    sell(booth, [("KOP-001", 2)], Tender(CASH, 200_000), shift_id=shift_id)
    code, out, err = cli(capsys, db, "shift", "open", "--cashier", "Kasir", "--float", "0")
    assert (code, out) == (1, "")
    assert err == "pos-app: A shift is already open on this device (Kasir)\n"

    code, out, err = cli(capsys, db, "shift", "report", "--x", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["totals"]["expected_cash"] == 670_000

    before = counts(db)
    code, out, err = cli(capsys, db, "shift", "close", "--count", "100000=6", "--count", "300=1")
    assert (code, out, err) == (1, "", "pos-app: Not a rupiah note or coin: 300\n")
    assert counts(db) == before

    code, out, err = cli(capsys, db, "shift", "close", "--count", "100000=6", "--count",
                         "50000=1", "--count", "10000=1", "--json", "--cashier", "Kasir")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["expected"], data["counted"], data["difference"]) == (670_000, 660_000,
                                                                        -10_000)
    code, out, err = cli(capsys, db, "shift", "close", "--count", "100000=6")
    assert (code, out, err) == (1, "", "pos-app: No shift is open; open a shift with a cash "
                                       "count first\n")
    code, out, err = cli(capsys, db, "shift", "report", "--z", "--pdf",
                         str(tmp_path / "z.pdf"))
    assert (code, err) == (0, "")
    assert f"Journal head: #{data['journal_head']['index']} " \
           f"{data['journal_head']['hash'][:16]}" in pdf_words(tmp_path / "z.pdf")
    code, out, err = cli(capsys, db, "shift", "report")
    assert code == 0 and "Z REPORT" in out and "DIFFERENCE" in out and "-Rp10.000" in out


def test_cli_shift_close_human_output_and_backup(booth: Booth, capsys,
                                                 tmp_path: Path) -> None:
    with booth.db.write() as s:
        write_setting(s, "backup_dir", str(tmp_path / "backups"))
    shifts.open_shift(booth, "Kasir", 100_000)
    code, out, err = cli(capsys, booth.db.path, "shift", "close", "--count", "100000=1",
                         "--count", "500=2")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Shift closed. Expected Rp100.000, counted Rp101.000, " \
                       "difference +Rp1.000"
    assert re.fullmatch(rf"Backup saved: {re.escape(str(tmp_path))}/backups/"
                        r"lapak-KPG-01-\d{8}-\d{6}\.db", lines[1])  # the CLI's own clock
