"""Checkout writes one sale completely (lines frozen, payments, stock, outbox) or nothing."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart, Discount
from pos_app.domain.errors import DomainError
from pos_app.domain.tenders import Method, Tender
from pos_app.services.catalog import catalog
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout, request_from_cart
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.clock import FixedClock
from pos_app.services.shift import shifts
from pos_app.services.shift.shifts import ShiftRow

CASH, QRIS, TRANSFER, CARD = Method.CASH, Method.QRIS, Method.TRANSFER, Method.CARD
WRITTEN = ("sale", "sale_line", "payment", "stock_movement", "outbox", "counter")
CREATED_AT = "2026-11-21T11:30:00.000000+00:00"  # the fixture clock, 19:30 WITA


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table a checkout writes (the counter values too)."""
    with sqlite3.connect(path) as con:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in WRITTEN}


def rows(path: Path, sql: str, *params) -> list[sqlite3.Row]:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def sell(booth: Booth, till_shift: ShiftRow, *items: tuple[str, int],
         pay: tuple[Tender, ...] | None = None, **kw):
    """A till sale into the open shift ``till``."""
    request = SaleRequest(items=tuple(SaleItem(q, sku=s) for s, q in items),
                          tenders=pay if pay is not None else (Tender(CASH, 10**10),),
                          shift_id=till_shift.id, **kw)
    return checkout(booth, request)


def test_a_sale_writes_everything_once(booth: Booth, till_shift: ShiftRow) -> None:
    path = booth.db.path
    outbox_before = rows(path, "SELECT max(id) AS id, max(seq) AS seq FROM outbox")[0]
    result = sell(booth, till_shift, ("KOP-001", 2), ("MAK-003", 1), ("TEN-001", 1),
                  pay=(Tender(QRIS, 300_000, "QR-1"), Tender(CASH, 300_000)))

    assert result.number == "KPG-01-000001"
    assert (result.subtotal, result.discount, result.tax, result.total) == (
        565_000, 0, 21_797, 569_950)
    assert (result.tendered, result.change) == (600_000, 30_050)
    assert result.cashier == "pos"
    assert [(ln.sku, ln.qty, ln.unit_price, ln.tax, ln.total) for ln in result.lines] == [
        ("KOP-001", 2, 85_000, 16_847, 170_000),
        ("MAK-003", 1, 45_000, 4_950, 49_950),
        ("TEN-001", 1, 350_000, 0, 350_000),
    ]

    device = booth.context.device_id.hex
    sales = rows(path, "SELECT * FROM sale")
    assert len(sales) == 1
    sale = sales[0]
    assert sale["id"] == result.id.hex
    assert (sale["number"], sale["kind"], sale["source"], sale["cashier_name"]) == (
        "KPG-01-000001", "sale", "pos", "pos")
    assert (sale["subtotal"], sale["discount"], sale["tax"], sale["total"], sale["tendered"],
            sale["change"]) == (565_000, 0, 21_797, 569_950, 600_000, 30_050)
    assert sale["business_date"] == "2026-11-21"
    assert sale["device_id"] == device
    assert sale["created_at"] == CREATED_AT
    assert sale["event_id"] == booth.context.event_id.hex
    assert sale["seq"] is not None
    assert sale["shift_id"] == till_shift.id.hex

    lines = rows(path, "SELECT l.*, f.code AS fcode FROM sale_line l "
                       "JOIN facility f ON f.id = l.facility_id ORDER BY line_no")
    assert [(ln["line_no"], ln["sku"], ln["name"], ln["facility_name"], ln["fcode"], ln["qty"],
             ln["unit_price"], ln["gross"], ln["tax_mode"], ln["tax"], ln["net"], ln["total"])
            for ln in lines] == [
        (1, "KOP-001", "Kopi Arabika Flores Bajawa 250 g", "Lapas Kelas IIB Ende", "LP-END", 2,
         85_000, 170_000, "included", 16_847, 170_000, 170_000),
        (2, "MAK-003", "Se'i Sapi 250 g", "Lapas Kelas IIA Kupang", "LP-KPG", 1,
         45_000, 45_000, "added", 4_950, 45_000, 49_950),
        (3, "TEN-001", "Selendang Tenun Ikat Sumba", "Lapas Kelas IIA Waingapu", "LP-WGP", 1,
         350_000, 350_000, "none", 0, 350_000, 350_000),
    ]
    assert {ln["sale_id"] for ln in lines} == {result.id.hex}
    assert all(ln["device_id"] == device and ln["created_at"] == CREATED_AT for ln in lines)

    payments = rows(path, "SELECT * FROM payment ORDER BY line_no")
    assert [(p["line_no"], p["method"], p["amount"], p["tendered"], p["change"], p["reference"],
             p["verified"]) for p in payments] == [
        (1, "qris", 300_000, 300_000, 0, "QR-1", 0),
        (2, "cash", 269_950, 300_000, 30_050, None, 1),
    ]

    moves = rows(path, "SELECT m.*, p.sku FROM stock_movement m JOIN product p "
                       "ON p.id = m.product_id WHERE m.kind = 'sale' ORDER BY p.sku")
    assert [(m["sku"], m["qty"], m["document_kind"], m["document_id"], m["note"])
            for m in moves] == [
        ("KOP-001", -2, "sale", result.id.hex, "KPG-01-000001"),
        ("MAK-003", -1, "sale", result.id.hex, "KPG-01-000001"),
        ("TEN-001", -1, "sale", result.id.hex, "KPG-01-000001"),
    ]

    # outbox_before is taken after the till's shift opened (its rows are older): what follows
    # is the sale's alone - its nine records and its journal event, written in the same
    # transaction (the journal is synced too)
    outbox = rows(path, "SELECT * FROM outbox WHERE id > ? ORDER BY id", outbox_before["id"])
    assert [o["table_name"] for o in outbox] == (
        ["sale"] + ["sale_line"] * 3 + ["payment"] * 2 + ["stock_movement"] * 3
        + ["audit_event"])
    assert all(o["state"] == "pending" and o["attempts"] == 0 and o["sent_at"] is None
               for o in outbox)
    seqs = [o["seq"] for o in outbox]
    assert seqs == list(range(outbox_before["seq"] + 1, outbox_before["seq"] + 11))
    written = {}
    for table in ("sale", "sale_line", "payment", "stock_movement"):
        for r in rows(path, f"SELECT id, seq FROM {table} WHERE created_at = ?", CREATED_AT):
            written[r["id"]] = (table, r["seq"])
    journaled = rows(path, "SELECT id, seq, action FROM audit_event WHERE subject_id = ?",
                     result.id.hex)
    assert [j["action"] for j in journaled] == ["sale"]
    written[journaled[0]["id"]] = ("audit_event", journaled[0]["seq"])
    assert {o["record_id"]: (o["table_name"], o["seq"]) for o in outbox} == written


def test_sale_line_keeps_name_price_and_facility_after_catalog_changes(booth: Booth,
                                                                      till_shift: ShiftRow) -> None:
    path = booth.db.path
    first = sell(booth, till_shift, ("KOP-001", 1))
    with sqlite3.connect(path) as con:
        other_facility = con.execute("SELECT id FROM facility WHERE code='RT-SOE'").fetchone()[0]
        con.execute("UPDATE product SET price = 99000, name = 'Kopi Bajawa Baru', "
                    "facility_id = ? WHERE sku = 'KOP-001'", (other_facility,))
    second = sell(booth, till_shift, ("KOP-001", 1))
    got = rows(path, "SELECT s.number, l.name, l.unit_price, l.facility_name, f.code "
                     "FROM sale_line l JOIN sale s ON s.id = l.sale_id "
                     "JOIN facility f ON f.id = l.facility_id ORDER BY s.number")
    assert [tuple(r) for r in got] == [
        (first.number, "Kopi Arabika Flores Bajawa 250 g", 85_000, "Lapas Kelas IIB Ende",
         "LP-END"),
        (second.number, "Kopi Bajawa Baru", 99_000, "Rutan Kelas IIB Soe", "RT-SOE"),
    ]
    moves = rows(path, "SELECT m.document_id, f.code FROM stock_movement m "
                       "JOIN facility f ON f.id = m.facility_id WHERE m.kind = 'sale' "
                       "ORDER BY m.seq")
    assert [tuple(m) for m in moves] == [(first.id.hex, "LP-END"), (second.id.hex, "RT-SOE")]


def test_sale_numbers_are_gap_free(booth: Booth, till_shift: ShiftRow) -> None:
    numbers = [sell(booth, till_shift, ("MAK-006", 1)).number for _ in range(3)]
    assert numbers == ["KPG-01-000001", "KPG-01-000002", "KPG-01-000003"]
    stored = rows(booth.db.path, "SELECT number, seq FROM sale ORDER BY seq")
    assert [r["number"] for r in stored] == numbers
    assert rows(booth.db.path, "SELECT value FROM counter WHERE name = 'sale'")[0][0] == 3


def test_business_date_follows_the_clock_and_cutoff(booth: Booth, till_shift: ShiftRow,
                                                    clock: FixedClock) -> None:
    sell(booth, till_shift, ("MAK-006", 1))  # 19:30 WITA on the 21st
    clock.advance(hours=6)  # 01:30 WITA on the 22nd
    late = sell(booth, till_shift, ("MAK-006", 1))
    clock.advance(hours=2, minutes=30)  # 04:00 WITA on the 22nd
    morning = sell(booth, till_shift, ("MAK-006", 1))
    got = rows(booth.db.path, "SELECT number, business_date, created_at FROM sale ORDER BY seq")
    assert [tuple(r) for r in got] == [
        ("KPG-01-000001", "2026-11-21", "2026-11-21T11:30:00.000000+00:00"),
        ("KPG-01-000002", "2026-11-21", "2026-11-21T17:30:00.000000+00:00"),
        ("KPG-01-000003", "2026-11-22", "2026-11-21T20:00:00.000000+00:00"),
    ]
    assert late.created_at.isoformat() == "2026-11-21T17:30:00+00:00"
    assert morning.number == "KPG-01-000003"
    assert date.fromisoformat(got[2]["business_date"]) == date(2026, 11, 22)


def test_named_cashier_and_discounts_from_a_cart(booth: Booth, till_shift: ShiftRow) -> None:
    cart = Cart()
    cart.add(catalog.find_by_code(booth, "KOP-001").ref(), 2)
    cart.add(catalog.find_by_code(booth, "TEN-001").ref())
    cart.set_line_discount(0, Discount.percent("10"))
    cart.set_discount(Discount.amount(5_000))
    # request_from_cart names no shift: the till puts its open shift in
    request = request_from_cart(cart, [Tender(CASH, 500_000)], cashier="Kasir")
    result = checkout(booth, replace(request, shift_id=till_shift.id))
    # 170.000 - 17.000 = 153.000; Rp5.000 shared 1.521 / 3.479 (largest remainder)
    assert (result.subtotal, result.discount, result.total, result.change) == (
        520_000, 22_000, 498_000, 2_000)
    assert result.cashier == "Kasir"
    sale = rows(booth.db.path, "SELECT * FROM sale")[0]
    user = rows(booth.db.path, "SELECT id FROM user WHERE name = 'Kasir'")[0]
    assert (sale["cashier_id"], sale["cashier_name"]) == (user["id"], "Kasir")
    lines = rows(booth.db.path, "SELECT line_discount, sale_discount, discount_bp, net, tax, "
                                "total FROM sale_line ORDER BY line_no")
    # KOP-001 is PPN-included: 151.479 x 11/111 = 15.011,2 -> 15.011
    assert [tuple(r) for r in lines] == [(17_000, 1_521, 1_000, 151_479, 15_011, 151_479),
                                         (0, 3_479, None, 346_521, 0, 346_521)]


def test_split_payment_with_card_and_transfer(booth: Booth, till_shift: ShiftRow) -> None:
    result = sell(booth, till_shift, ("TEN-002", 1),
                  pay=(Tender(TRANSFER, 1_000_000, "TRF-1"), Tender(CARD, 400_000, "APR-7"),
                       Tender(CASH, 150_000)))
    assert (result.total, result.tendered, result.change) == (1_500_000, 1_550_000, 50_000)
    pays = rows(booth.db.path, "SELECT method, amount, tendered, change, reference, verified "
                               "FROM payment ORDER BY line_no")
    assert [tuple(p) for p in pays] == [("transfer", 1_000_000, 1_000_000, 0, "TRF-1", 0),
                                        ("card", 400_000, 400_000, 0, "APR-7", 1),
                                        ("cash", 100_000, 150_000, 50_000, None, 1)]


def _huge_price(booth: Booth) -> None:
    with sqlite3.connect(booth.db.path) as con:
        con.execute("UPDATE product SET price = 600000000000000 WHERE sku = 'LUK-006'")


REJECTED = [
    ("unknown product", [("NOPE-1", 1)], None, {}, "unknown_product"),
    ("qty 0", [("KOP-001", 0)], None, {}, "bad_quantity"),
    ("qty -1", [("KOP-001", -1)], None, {}, "bad_quantity"),
    ("qty 1.5", [("KOP-001", 1.5)], None, {}, "bad_quantity"),
    ("qty True", [("KOP-001", True)], None, {}, "bad_quantity"),
    ("absurd qty", [("KOP-001", 100_001)], None, {}, "bad_quantity"),
    ("amount overflow", [("LUK-006", 2)], None, {}, "amount_overflow"),
    ("short", [("KOP-001", 1)], (Tender(CASH, 84_999),), {}, "payment_short"),
    ("no payment", [("KOP-001", 1)], (), {}, "payment_short"),
    ("inactive", [("KOP-001", 1), ("KOP-009", 1)], None, {}, "inactive_product"),
    ("unknown cashier", [("KOP-001", 1)], None, {"cashier": "Nobody"}, "unknown_cashier"),
    ("empty cart", [], None, {}, "empty_cart"),
    ("card without reference", [("KOP-001", 1)], (Tender(CARD, 85_000),), {},
     "reference_required"),
    ("qris over total", [("KOP-001", 1)], (Tender(QRIS, 90_000, "Q"),), {}, "overpaid_noncash"),
    ("discount too big", [("KOP-001", 1)], None, {"discount": Discount.amount(85_001)},
     "discount_exceeds"),
]


@pytest.mark.parametrize(("items", "pay", "kw", "code"), [r[1:] for r in REJECTED],
                         ids=[r[0] for r in REJECTED])
def test_rejected_sale_writes_nothing(booth: Booth, till_shift: ShiftRow, items, pay, kw,
                                      code: str) -> None:
    _huge_price(booth)
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as exc:
        sell(booth, till_shift, *items, pay=pay, **kw)
    assert exc.value.code == code
    assert snapshot(booth.db.path) == before


def test_unknown_product_id_writes_nothing(booth: Booth, till_shift: ShiftRow) -> None:
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as exc:
        checkout(booth, SaleRequest((SaleItem(1, product_id=uuid.uuid4()),),
                                    (Tender(CASH, 100_000),), shift_id=till_shift.id))
    assert exc.value.code == "unknown_product"
    assert snapshot(booth.db.path) == before


def test_rejected_sale_does_not_use_up_a_number(booth: Booth, till_shift: ShiftRow) -> None:
    assert sell(booth, till_shift, ("MAK-006", 1)).number == "KPG-01-000001"
    for items, pay in ([("KOP-001", 1)], (Tender(CASH, 1_000),)), ([("NOPE", 1)], None):
        with pytest.raises(DomainError):
            sell(booth, till_shift, *items, pay=pay)
    assert sell(booth, till_shift, ("MAK-006", 1)).number == "KPG-01-000002"
    assert [r[0] for r in rows(booth.db.path, "SELECT number FROM sale ORDER BY seq")] == [
        "KPG-01-000001", "KPG-01-000002"]


def test_sku_lookup_is_case_insensitive(booth: Booth, till_shift: ShiftRow) -> None:
    result = sell(booth, till_shift, (" kop-002 ", 3))
    assert [(ln.sku, ln.qty, ln.total) for ln in result.lines] == [("KOP-002", 3, 135_000)]


def test_same_sku_twice_gives_two_lines_and_two_movements(booth: Booth, till_shift: ShiftRow) -> None:
    result = sell(booth, till_shift, ("MAK-001", 1), ("MAK-001", 2))
    assert [ln.qty for ln in result.lines] == [1, 2]
    assert result.total == 60_000
    on_hand = rows(booth.db.path, "SELECT sum(m.qty) FROM stock_movement m JOIN product p "
                                  "ON p.id = m.product_id WHERE p.sku = 'MAK-001'")[0][0]
    assert on_hand == 57


def every_table(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table in the database."""
    with sqlite3.connect(path) as con:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in names}


def counts(path: Path) -> dict[str, int]:
    return {t: len(v) for t, v in every_table(path).items()}


def test_a_till_sale_needs_an_open_shift_and_a_back_entry_brings_its_own(
        booth: Booth) -> None:
    path = booth.db.path
    kop = (SaleItem(1, sku="KOP-001"),)  # Rp85.000

    def till_sale(**kw) -> SaleRequest:
        return SaleRequest(kop, (Tender(CASH, 100_000),), **kw)

    def back_entry(*tenders: Tender, **kw) -> SaleRequest:
        return SaleRequest(kop, tenders or (Tender(CASH, 100_000),), actor="os:maria",
                           source="cli", **kw)

    def refused(code: str, request: SaleRequest) -> None:
        before = every_table(path)
        with pytest.raises(DomainError) as exc:
            checkout(booth, request)
        assert exc.value.code == code
        assert every_table(path) == before  # every table, every row: nothing written

    # No shift at all: the till cannot sell, whoever rings it up.
    assert shifts.current_shift(booth) is None
    refused("no_open_shift", till_sale())
    refused("no_open_shift", till_sale(cashier="Kasir"))
    # A refused back-entry opens no back-office shift either.
    refused("payment_short", back_entry(Tender(CASH, 84_999)))
    refused("unknown_cashier", back_entry(cashier="Nobody"))

    # A back-entry with no shift open: exactly one back-office shift, opened and closed
    # around the sale in the sale's own transaction.
    before = counts(path)
    with sqlite3.connect(path) as con:
        start = con.execute("SELECT max(chain_index) FROM audit_event").fetchone()[0]
    entered = checkout(booth, back_entry())
    after = counts(path)
    # the sale (1 line, 1 payment, 1 stock movement), the shift with its open and close
    # events, three journal events (shift.open, sale, shift.close) and an outbox row for
    # each of those 10 records; the first sale also starts the 'sale' counter; the close's
    # journal head is kept as a local anchor (the Z report's)
    assert {t: after[t] - before[t] for t in after if after[t] != before[t]} == {
        "sale": 1, "sale_line": 1, "payment": 1, "stock_movement": 1, "shift": 1,
        "shift_event": 2, "audit_event": 3, "outbox": 10, "counter": 1, "journal_anchor": 1}
    shift = rows(path, "SELECT * FROM shift")[0]
    assert (shift["kind"], shift["opening_float"], shift["cashier_name"]) == (
        "backoffice", 0, "os:maria")
    sale = rows(path, "SELECT * FROM sale WHERE id = ?", entered.id.hex)[0]
    assert (sale["shift_id"], sale["source"], sale["number"]) == (
        shift["id"], "cli", "KPG-01-000001")
    events = rows(path, "SELECT kind, user_name, amount, counted, expected, created_at "
                        "FROM shift_event WHERE shift_id = ? ORDER BY seq", shift["id"])
    assert [tuple(e) for e in events] == [("open", "os:maria", 0, None, None, CREATED_AT),
                                          ("close", "os:maria", 0, None, 85_000, CREATED_AT)]
    journal = rows(path, "SELECT action, actor, subject_id FROM audit_event "
                         "WHERE chain_index > ? ORDER BY chain_index", start)
    assert [tuple(j) for j in journal] == [("shift.open", "os:maria", shift["id"]),
                                           ("sale", "os:maria", entered.id.hex),
                                           ("shift.close", "os:maria", shift["id"])]
    assert shifts.current_shift(booth) is None  # a back-office shift is never the till's
    refused("no_open_shift", till_sale())

    # A closed shift takes no sale, from the till or the command line.
    closed = shifts.open_shift(booth, "Kasir", 0)
    shifts.close_shift(booth, closed.id, {}, "Kasir")
    refused("shift_closed", till_sale(shift_id=closed.id))
    refused("shift_closed", back_entry(shift_id=closed.id))
    refused("shift_closed", till_sale(shift_id=uuid.UUID(shift["id"])))  # the back-office one

    # With the till's shift open, a back-entry goes into it and opens nothing.
    opened = shifts.open_shift(booth, "Kasir", 0)
    before = counts(path)
    entered = checkout(booth, back_entry())
    after = counts(path)
    assert (after["shift"] - before["shift"], after["shift_event"] - before["shift_event"],
            after["audit_event"] - before["audit_event"]) == (0, 0, 1)
    assert rows(path, "SELECT shift_id FROM sale WHERE id = ?", entered.id.hex)[0][0] == \
        opened.id.hex
    assert checkout(booth, till_sale(shift_id=opened.id)).number == "KPG-01-000003"


def test_checkout_without_a_device_is_refused(tmp_path: Path) -> None:
    booth = Booth.open(tmp_path / "nodevice.db")
    try:
        with pytest.raises(DomainError) as exc:
            # refused for the device before any shift is looked at
            checkout(booth, SaleRequest((SaleItem(1, sku="KOP-001"),), (Tender(CASH, 10**10),),
                                        shift_id=uuid.uuid4()))
        assert exc.value.code == "no_device"
    finally:
        booth.close()
