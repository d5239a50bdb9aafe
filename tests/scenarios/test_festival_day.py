"""A festival evening at the Kupang booth, in exact rupiah.

Eleven sales from 19:30 to 04:15 WITA across nine facilities: cash with change, QRIS,
transfer, card, splits, line and whole-sale discounts, PPN-included and PPN-added products.
The 01:30 sale still books on the evening's business day; the 04:15 one on the next.
Every figure below is worked out by hand.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from pos_app.domain.cart import Discount
from pos_app.domain.tenders import Method, Tender
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.clock import FixedClock
from pos_app.services.shift import shifts
from pos_app.services.shift.shifts import ShiftRow
from tests.conftest import TILL_FLOAT

CASH, QRIS, TRANSFER, CARD = Method.CASH, Method.QRIS, Method.TRANSFER, Method.CARD


def item(sku: str, qty: int, discount: Discount | None = None) -> SaleItem:
    return SaleItem(qty, sku=sku, discount=discount)


# (minutes after the previous sale, items, tenders, whole-sale discount, expected total, change)
EVENING = [
    # 19:30 two Bajawa coffees, PPN included: 170.000 (tax 16.846,8 -> 16.847)
    (0, [item("KOP-001", 2)], [Tender(CASH, 200_000)], None, 170_000, 30_000),
    # 19:45 a Sumba shawl by QRIS
    (15, [item("TEN-001", 1)], [Tender(QRIS, 350_000, "QR-0001")], None, 350_000, 0),
    # 20:00 snacks from two facilities: 3 x 20.000 + 2 x 15.000
    (15, [item("MAK-001", 3), item("MAK-004", 2)], [Tender(CASH, 100_000)], None, 90_000, 10_000),
    # 20:15 Buna Insana cloth: transfer + cash
    (15, [item("TEN-002", 1)], [Tender(TRANSFER, 1_000_000, "TRF-77"), Tender(CASH, 500_000)],
     None, 1_500_000, 0),
    # 20:30 two lontar bags at 10% off (240.000 - 24.000) + 4 sasando key rings, by card
    (15, [item("ANY-002", 2, Discount.percent(10)), item("KER-002", 4)],
     [Tender(CARD, 276_000, "APR-4411")], None, 276_000, 0),
    # 21:00 se'i with PPN added: 90.000 + 9.900
    (30, [item("MAK-003", 2)], [Tender(CASH, 100_000)], None, 99_900, 100),
    # 21:30 Rp9.999 off the whole sale, shared 5.199 / 2.000 / 2.800 over 130.000 / 50.000 /
    # 70.000 (exact 5.199,48 / 1.999,80 / 2.799,72; the two odd rupiah to the largest remainders)
    (30, [item("MAD-003", 1), item("KOP-005", 1), item("BAN-001", 20)],
     [Tender(QRIS, 200_000, "QR-0002"), Tender(CASH, 50_000)], Discount.amount(9_999),
     240_001, 9_999),
    # 22:00 5% off two PPN-included items: 57.000 (tax 5.649) + 114.000 (tax 11.297)
    (30, [item("KOP-003", 1), item("MAD-001", 1)], [Tender(CASH, 171_000)],
     Discount.percent(5), 171_000, 0),
    # 23:30 Amarasi shawl with Rp25.000 off the line, by QRIS
    (90, [item("TEN-005", 1, Discount.amount(25_000))], [Tender(QRIS, 225_000, "QR-0003")],
     None, 225_000, 0),
    # 01:30 (next calendar day, same business day): coconut oil with PPN added
    # (105.000 + 11.550) and Manggarai coffee
    (120, [item("SAB-001", 3), item("KOP-002", 2)], [Tender(CASH, 210_000)], None,
     206_550, 3_450),
    # 04:15: a new business day
    (165, [item("MAK-006", 5)], [Tender(CASH, 50_000)], None, 50_000, 0),
]

PER_FACILITY = {
    "LP-END": 170_000 + 50_000,
    "LP-WGP": 350_000 + 124_801,
    "LPP-KPG": 60_000 + 216_000 + 225_000 + 116_550,
    "LPKA-KPG": 30_000,
    "RT-KFM": 1_500_000,
    "LP-KPG": 60_000 + 99_900 + 67_200,
    "LP-MME": 48_000,
    "RT-RTG": 57_000 + 90_000,
    "RT-SOE": 114_000,
}
GRAND_TOTAL = 3_378_451

SOLD = {"KOP-001": 2, "TEN-001": 1, "MAK-001": 3, "MAK-004": 2, "TEN-002": 1, "ANY-002": 2,
        "KER-002": 4, "MAK-003": 2, "MAD-003": 1, "KOP-005": 1, "BAN-001": 20, "KOP-003": 1,
        "MAD-001": 1, "TEN-005": 1, "SAB-001": 3, "KOP-002": 2, "MAK-006": 5}
OPENING = {"KOP-001": 40, "TEN-001": 10, "MAK-001": 60, "MAK-004": 80, "TEN-002": 4,
           "ANY-002": 15, "KER-002": 100, "MAK-003": 30, "MAD-003": 20, "KOP-005": 40,
           "BAN-001": 2_000, "KOP-003": 35, "MAD-001": 25, "TEN-005": 12, "SAB-001": 40,
           "KOP-002": 50, "MAK-006": 100, "TEN-004": 3, "KOP-009": 30}


def q(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as con:
        return con.execute(sql).fetchall()


def test_festival_evening(booth: Booth, till_shift: ShiftRow, clock: FixedClock) -> None:
    # Kasir opened the till's shift at 19:30 (the till fixture) and keeps it all night
    results = []
    for minutes, items, tenders, discount, total, change in EVENING:
        clock.advance(minutes=minutes)
        sale = checkout(booth, SaleRequest(tuple(items), tuple(tenders), discount,
                                           cashier="Kasir", shift_id=till_shift.id))
        assert (sale.total, sale.change) == (total, change), sale.number
        results.append(sale)
    path = booth.db.path

    assert [s.number for s in results] == [f"KPG-01-{n:06d}" for n in range(1, 12)]
    assert sum(s.total for s in results) == GRAND_TOTAL
    assert q(path, "SELECT shift_id, count(*) FROM sale GROUP BY shift_id") == [
        (till_shift.id.hex, 11)]

    by_facility = dict(q(path, "SELECT f.code, sum(l.total) FROM sale_line l "
                               "JOIN facility f ON f.id = l.facility_id GROUP BY f.code"))
    assert by_facility == PER_FACILITY
    assert sum(PER_FACILITY.values()) == GRAND_TOTAL
    # the frozen facility name agrees with the facility the line points at
    assert q(path, "SELECT count(*) FROM sale_line l JOIN facility f ON f.id = l.facility_id "
                   "WHERE l.facility_name <> f.name") == [(0,)]

    assert q(path, "SELECT sum(total), sum(tax), sum(discount), sum(tendered), sum(change) "
                   "FROM sale") == [(GRAND_TOTAL, 55_243, 67_999, 3_432_000, 53_549)]
    assert q(path, "SELECT sum(amount) FROM payment") == [(GRAND_TOTAL,)]
    assert dict(q(path, "SELECT method, sum(amount) FROM payment GROUP BY method")) == {
        "cash": 1_327_451, "qris": 775_000, "transfer": 1_000_000, "card": 276_000}
    assert q(path, "SELECT sum(amount) FROM payment WHERE verified = 0") == [(1_775_000,)]
    # the drawer should hold the float and the evening's cash, to the rupiah
    assert shifts.expected_cash(booth, till_shift.id) == TILL_FLOAT + 1_327_451
    # per sale, payments add up to the sale and lines add up to the sale
    assert q(path, "SELECT count(*) FROM sale s WHERE s.total <> "
                   "(SELECT sum(amount) FROM payment p WHERE p.sale_id = s.id) OR s.total <> "
                   "(SELECT sum(total) FROM sale_line l WHERE l.sale_id = s.id)") == [(0,)]

    assert dict(q(path, "SELECT business_date, sum(total) FROM sale GROUP BY business_date")) == {
        "2026-11-21": 3_328_451, "2026-11-22": 50_000}
    assert q(path, "SELECT number, business_date, created_at FROM sale "
                   "WHERE number IN ('KPG-01-000010', 'KPG-01-000011') ORDER BY number") == [
        ("KPG-01-000010", "2026-11-21", "2026-11-21T17:30:00.000000+00:00"),  # 01:30 WITA
        ("KPG-01-000011", "2026-11-22", "2026-11-21T20:15:00.000000+00:00"),  # 04:15 WITA
    ]
    assert date.fromisoformat(q(path, "SELECT max(business_date) FROM sale")[0][0]) == date(
        2026, 11, 22)

    lines7 = q(path, "SELECT l.sku, l.sale_discount, l.total FROM sale_line l JOIN sale s "
                     "ON s.id = l.sale_id WHERE s.number = 'KPG-01-000007' ORDER BY l.line_no")
    assert lines7 == [("MAD-003", 5_199, 124_801), ("KOP-005", 2_000, 48_000),
                      ("BAN-001", 2_800, 67_200)]
    lines8 = q(path, "SELECT l.sku, l.sale_discount, l.tax, l.total FROM sale_line l JOIN sale s "
                     "ON s.id = l.sale_id WHERE s.number = 'KPG-01-000008' ORDER BY l.line_no")
    assert lines8 == [("KOP-003", 3_000, 5_649, 57_000), ("MAD-001", 6_000, 11_297, 114_000)]

    on_hand = dict(q(path, "SELECT p.sku, sum(m.qty) FROM stock_movement m "
                           "JOIN product p ON p.id = m.product_id GROUP BY p.sku"))
    for sku, opening in OPENING.items():
        assert on_hand[sku] == opening - SOLD.get(sku, 0), sku
    sold_moves = dict(q(path, "SELECT p.sku, -sum(m.qty) FROM stock_movement m "
                              "JOIN product p ON p.id = m.product_id WHERE m.kind = 'sale' "
                              "GROUP BY p.sku"))
    assert sold_moves == SOLD
    assert on_hand["BAN-001"] == 1_980

    # every record of the evening waits in the outbox, once
    pending = q(path, "SELECT o.table_name, count(*), count(DISTINCT o.record_id) FROM outbox o "
                      "WHERE o.state = 'pending' AND (o.table_name IN ('sale', 'sale_line', "
                      "'payment') OR o.record_id IN "
                      "(SELECT id FROM stock_movement WHERE kind = 'sale')) "
                      "GROUP BY o.table_name")
    assert sorted(pending) == [("payment", 13, 13), ("sale", 11, 11), ("sale_line", 17, 17),
                               ("stock_movement", 17, 17)]
