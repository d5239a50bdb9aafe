"""Reconciliation with real sales: QRIS and transfer payments rung up through checkout, matched
against a statement by amount and time window (matched, ambiguous, unmatched, outside the
window), and a coordinator's confirmation: a ``payment_match`` row naming who confirmed it and
a journal event; refused (writing nothing) twice over or for a cashier."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.domain.errors import DomainError, ImportRejected
from pos_app.domain.reconcile import StatementLine
from pos_app.domain.tenders import Method, Tender
from pos_app.services.access import audit
from pos_app.services.reporting.reports import unverified_payments
from pos_app.services.sale.checkout import SaleItem, SaleRequest, SaleResult, checkout
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.clock import FixedClock
from pos_app.services.shift import reconcile
from pos_app.services.shift.shifts import ShiftRow
from pos_app.services.shift.statement_import import StatementMapping, saved_mappings
from tests.integration.journal import events, sql
from tests.integration.test_statement_import import snapshot, write_csv

MARIA = {"actor": "Maria", "actor_role": "coordinator"}
SOURCE = "BRI QRIS"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def sell(booth: Booth, till_shift: ShiftRow, clock: FixedClock, at: datetime, sku: str,
         method: Method, ref: str | None = None) -> SaleResult:
    clock.current = at
    price = {"KOP-001": 85_000, "KOP-002": 45_000, "KOP-006": 35_000, "KOP-007": 120_000,
             "TEN-001": 350_000}[sku]
    return checkout(booth, SaleRequest(items=(SaleItem(1, sku=sku),),
                                       tenders=(Tender(method, price, ref),), shift_id=till_shift.id,
                                       cashier="Kasir"))


@pytest.fixture
def evening(booth: Booth, till_shift: ShiftRow, clock: FixedClock) -> dict[str, SaleResult]:
    """An evening at the booth (WITA = UTC+8): what was paid how, and when."""
    sales = {
        "kopi": sell(booth, till_shift, clock, utc(2026, 11, 21, 11, 30), "KOP-001", Method.QRIS,
                     "QR-1"),
        "robusta": sell(booth, till_shift, clock, utc(2026, 11, 21, 11, 40), "KOP-002", Method.QRIS),
        "cash": sell(booth, till_shift, clock, utc(2026, 11, 21, 11, 45), "KOP-001", Method.CASH),
        "bijian": sell(booth, till_shift, clock, utc(2026, 11, 21, 11, 50), "KOP-007",
                       Method.TRANSFER, "TRF-7"),
        "bijian2": sell(booth, till_shift, clock, utc(2026, 11, 21, 11, 55), "KOP-007", Method.QRIS),
        "jahe": sell(booth, till_shift, clock, utc(2026, 11, 21, 12, 0), "KOP-006", Method.QRIS),
        "tenun": sell(booth, till_shift, clock, utc(2026, 11, 21, 12, 10), "TEN-001",
                      Method.TRANSFER, "TRF-9"),
    }
    clock.current = utc(2026, 11, 22, 2, 0)  # the next morning, when the statement comes in
    return sales


def pid(booth: Booth, sale: SaleResult) -> uuid.UUID:
    """The id of the sale's one payment."""
    [row] = sql(booth, "SELECT id FROM payment WHERE sale_id = ?", sale.id.hex)
    return uuid.UUID(row["id"])


STATEMENT = [  # (row in the file, local time, amount, reference)
    "Tanggal,Nominal,Referensi,Keterangan",
    "21/11/2026 19:33,85.000,RRN-101,QRIS KOPI",  # 2: the kopi sale, three minutes later
    "21/11/2026 19:41,45.000,RRN-102,QRIS",  # 3, 4: two lines of 45.000 for one payment
    "21/11/2026 19:47,45.000,RRN-103,QRIS",
    "21/11/2026 19:58,120.000,TRF-7,TRF YOHANES",  # 5, 6: two 120.000 for two payments
    "21/11/2026 20:01,120.000,RRN-104,QRIS",
    "21/11/2026 23:30,350.000,TRF-9,TRF MARIA",  # 7: three hours and more after: outside
    "21/11/2026 19:20,35.000,RRN-105,QRIS",  # 8: forty minutes before the jahe sale: outside
]


def lines(booth: Booth, tmp_path: Path) -> list[StatementLine]:
    f = write_csv(tmp_path / "bri-qris.csv", *STATEMENT)
    mapping = StatementMapping(source=SOURCE, date="tanggal", amount="nominal",
                               reference="referensi", description="keterangan")
    return list(reconcile.load_statement(booth, f, mapping, actor="Maria").statement.lines)


def row_of(found: list[StatementLine], row: int) -> StatementLine:
    return next(line for line in found if line.row == row)


def test_exact_ambiguous_unmatched_and_outside_the_window(booth: Booth, evening, tmp_path):
    found = lines(booth, tmp_path)
    m = reconcile.propose(booth, found)
    assert [(p.sale_number, line.row) for p, line in m.matched] == [
        (evening["kopi"].number, 2)]
    assert [(p.sale_number, p.method, [line.row for line in options])
            for p, options in m.ambiguous] == [
        (evening["robusta"].number, "qris", [3, 4]),  # two equal amounts in the window
        (evening["bijian"].number, "transfer", [5, 6]),  # two payments, two lines
        (evening["bijian2"].number, "qris", [5, 6])]
    assert [(p.sale_number, p.amount) for p in m.unmatched] == [
        (evening["jahe"].number, 35_000), (evening["tenun"].number, 350_000)]
    assert [line.row for line in m.unused_lines] == [7, 8]
    # the cash sale is nobody's business here; the statement's times are WITA
    assert evening["cash"].number not in {p.sale_number for p in m.unmatched}
    assert row_of(found, 2).at == utc(2026, 11, 21, 11, 33)


def test_confirm_writes_a_match_with_who_confirmed_it_and_a_journal_event(
        booth: Booth, evening, tmp_path) -> None:
    found = lines(booth, tmp_path)
    kopi = evening["kopi"]
    match_id = reconcile.confirm(booth, pid(booth, kopi), row_of(found, 2), source="bri-qris.csv",
                                 **MARIA)
    [row] = sql(booth, "SELECT * FROM payment_match")
    assert (row["id"], row["payment_id"], row["statement_at"], row["statement_amount"],
            row["statement_reference"], row["statement_text"], row["source"],
            row["confirmed_by"]) == (
        match_id.hex, pid(booth, kopi).hex, "2026-11-21T11:33:00.000000+00:00", 85_000, "RRN-101",
        "QRIS KOPI", "bri-qris.csv", "Maria")
    [event] = events(booth, "payment.match")
    assert (event["actor"], event["subject_kind"], event["subject_id"]) == (
        "Maria", "payment", pid(booth, kopi).hex)
    assert event["payload"] == {"number": kopi.number, "method": "qris", "amount": 85_000,
                                "statement_reference": "RRN-101", "source": "bri-qris.csv"}
    assert sql(booth, "SELECT table_name FROM outbox WHERE record_id = ?", match_id.hex) == [
        {"table_name": "payment_match"}]
    with booth.db.read() as s:
        assert audit.verify(s.connection(), booth.context.device_id).ok
        open_numbers = [u.sale_number for u in unverified_payments(s.connection())]
    assert kopi.number not in open_numbers
    assert open_numbers == [evening[k].number
                            for k in ("robusta", "bijian", "bijian2", "jahe", "tenun")]
    # the payment row itself never changes
    assert sql(booth, "SELECT verified FROM payment WHERE id = ?", pid(booth, kopi).hex) == [
        {"verified": 0}]


def test_a_confirmed_line_is_not_offered_again(booth: Booth, evening, tmp_path) -> None:
    found = lines(booth, tmp_path)
    reconcile.confirm(booth, pid(booth, evening["kopi"]), row_of(found, 2), **MARIA)
    m = reconcile.propose(booth, found)  # the same statement, loaded again
    assert m.matched == ()
    assert 2 not in [line.row for line in m.unused_lines]


def test_resolving_the_ambiguous_ones(booth: Booth, evening, tmp_path) -> None:
    found = lines(booth, tmp_path)
    # one payment, two lines of its amount: the coordinator picks the one that is it
    reconcile.confirm(booth, pid(booth, evening["robusta"]), row_of(found, 4), **MARIA)
    m = reconcile.propose(booth, found)
    assert [line.row for line in m.unused_lines] == [3, 7, 8]
    # two payments, two lines: pick one, and the other falls into place as a plain match
    reconcile.confirm(booth, pid(booth, evening["bijian"]), row_of(found, 5), **MARIA)
    m = reconcile.propose(booth, found)
    assert [(p.sale_number, line.row) for p, line in m.matched] == [
        (evening["kopi"].number, 2), (evening["bijian2"].number, 6)]
    assert m.ambiguous == ()
    assert sorted((r["statement_reference"], r["confirmed_by"])
                  for r in sql(booth, "SELECT * FROM payment_match")) == [
        ("RRN-103", "Maria"), ("TRF-7", "Maria")]


def test_confirm_all_matched_is_all_or_nothing(booth: Booth, evening, tmp_path) -> None:
    found = lines(booth, tmp_path)
    reconcile.confirm(booth, pid(booth, evening["bijian"]), row_of(found, 5), **MARIA)
    m = reconcile.propose(booth, found)
    pairs = [(p.payment_id, line) for p, line in m.matched]
    assert len(pairs) == 2
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as exc:  # one of them was confirmed meanwhile
        reconcile.confirm_all(booth, [*pairs, (pid(booth, evening["bijian"]), row_of(found, 6))],
                              **MARIA)
    assert exc.value.code == "statement_line_used"  # line 6 twice in one batch
    with pytest.raises(DomainError) as exc:
        reconcile.confirm_all(booth, [*pairs, (pid(booth, evening["bijian"]), row_of(found, 4))],
                              **MARIA)
    assert exc.value.code == "already_matched"
    assert snapshot(booth.db.path) == before
    reconcile.confirm_all(booth, pairs, **MARIA)
    assert len(events(booth, "payment.match")) == 3
    with booth.db.read() as s:
        assert [u.sale_number for u in unverified_payments(s.connection())] == [
            evening[k].number for k in ("robusta", "jahe", "tenun")]


def test_confirming_twice_writes_nothing_the_second_time(booth: Booth, evening,
                                                         tmp_path) -> None:
    found = lines(booth, tmp_path)
    reconcile.confirm(booth, pid(booth, evening["kopi"]), row_of(found, 2), **MARIA)
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as exc:
        reconcile.confirm(booth, pid(booth, evening["kopi"]), row_of(found, 2), actor="Yohana",
                          actor_role="admin")
    assert exc.value.code == "already_matched"
    assert exc.value.message() == (
        f"The payment of sale {evening['kopi'].number} is already confirmed")
    assert snapshot(booth.db.path) == before


def test_a_cashier_cannot_confirm(booth: Booth, evening, tmp_path) -> None:
    found = lines(booth, tmp_path)
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as exc:
        reconcile.confirm(booth, pid(booth, evening["kopi"]), row_of(found, 2), actor="Kasir",
                          actor_role="cashier")
    assert exc.value.code == "not_allowed"
    assert exc.value.message() == "Kasir (cashier) may not reconcile"
    assert snapshot(booth.db.path) == before


def test_refusals_that_write_nothing(booth: Booth, evening, tmp_path) -> None:
    found = lines(booth, tmp_path)
    reconcile.confirm(booth, pid(booth, evening["bijian"]), row_of(found, 5), **MARIA)
    before = snapshot(booth.db.path)
    cases = [
        (pid(booth, evening["kopi"]), row_of(found, 3), "match_amount"),  # 45.000, not 85.000
        (pid(booth, evening["bijian2"]), row_of(found, 5), "statement_line_used"),  # TRF-7 taken
        (pid(booth, evening["cash"]), StatementLine(9, utc(2026, 11, 21, 11, 46), 85_000),
         "not_reconcilable"),  # cash is verified at the till
        (uuid.uuid4(), row_of(found, 2), "not_reconcilable"),
    ]
    for payment_id, line, code in cases:
        with pytest.raises(DomainError) as exc:
            reconcile.confirm(booth, payment_id, line, **MARIA)
        assert exc.value.code == code
    assert snapshot(booth.db.path) == before


def test_a_bad_statement_matches_nothing_and_writes_nothing(booth: Booth, evening,
                                                            tmp_path) -> None:
    before = snapshot(booth.db.path)
    f = write_csv(tmp_path / "rusak.csv", "Tanggal,Nominal", "21/11/2026 19:33,85.000",
                  "kemarin,45.000")
    with pytest.raises(ImportRejected) as exc:
        reconcile.load_statement(booth, f, StatementMapping(source=SOURCE, date="tanggal",
                                                            amount="nominal"), actor="Maria")
    assert [(e.row, e.column, e.code) for e in exc.value.errors] == [(3, "tanggal", "bad_date")]
    assert snapshot(booth.db.path) == before
    assert saved_mappings(booth) == {}


def test_a_day_only_statement_matches_within_the_day(booth: Booth, evening, tmp_path) -> None:
    f = write_csv(tmp_path / "harian.csv", "Tanggal,Kredit", "21-11-2026,35.000",
                  "20-11-2026,350.000")
    review = reconcile.load_statement(booth, f, StatementMapping(
        source="Harian", date="tanggal", credit="kredit"))
    assert [(p.sale_number, line.row) for p, line in review.matching.matched] == [
        (evening["jahe"].number, 2)]
    assert [line.row for line in review.matching.unused_lines] == [3]  # the day before


def test_the_raw_database_agrees(booth: Booth, evening, tmp_path) -> None:
    found = lines(booth, tmp_path)
    reconcile.confirm(booth, pid(booth, evening["kopi"]), row_of(found, 2), **MARIA)
    with sqlite3.connect(booth.db.path) as con:
        (count,) = con.execute(
            "SELECT count(*) FROM payment p JOIN sale s ON s.id = p.sale_id "
            "LEFT JOIN payment_match m ON m.payment_id = p.id "
            "WHERE p.verified = 0 AND s.kind = 'sale' AND m.id IS NULL").fetchone()
    con.close()
    assert count == 5
