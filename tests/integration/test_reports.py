"""Reports add up: every breakdown's net equals the total net, money by method equals the
payments, and every total equals the database's own sums (raw SQL)."""

from __future__ import annotations

import sqlite3

from pos_app.domain.cart import Discount
from pos_app.domain.tenders import Method, Tender
from pos_app.services.reporting.report_facts import ReportFilter
from pos_app.services.reporting.reports import report
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.refunds import refund, void_sale
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import ShiftRow

BOSS = {"actor": "Maria", "actor_role": "coordinator"}


def _day(booth: Booth, till_shift: ShiftRow) -> list[str]:
    sales = [
        checkout(booth, SaleRequest(items=(SaleItem(2, sku="KOP-001"), SaleItem(1, sku="TEN-001"),
                                           SaleItem(3, sku="MAK-004")),
                                    tenders=(Tender(Method.QRIS, 200_000, "QR-1"),
                                             Tender(Method.CASH, 500_000)),
                                    discount=Discount.percent(5), shift_id=till_shift.id)),
        checkout(booth, SaleRequest(items=(SaleItem(1, sku="LUK-005"),),
                                    tenders=(Tender(Method.TRANSFER, 250_000, "TRF-9"),),
                                    shift_id=till_shift.id)),
        checkout(booth, SaleRequest(items=(SaleItem(5, sku="MAK-007"), SaleItem(1, sku="KOP-002")),
                                    tenders=(Tender(Method.CARD, 105_000, "APPR-1"),),
                                    shift_id=till_shift.id)),
    ]
    refund(booth, sales[0].number, {3: 1}, method="cash", reason="torn", shift_id=till_shift.id,
           **BOSS)
    void_sale(booth, sales[2].number, reason="card declined later", shift_id=till_shift.id, **BOSS)
    return [s.number for s in sales]


def raw(booth: Booth, sql: str):
    with sqlite3.connect(booth.db.path) as con:
        value = con.execute(sql).fetchone()
    con.close()
    return value


def test_totals_equal_the_database_and_every_breakdown_adds_up(booth: Booth,
                                                               till_shift: ShiftRow) -> None:
    _day(booth, till_shift)
    rep = report(booth)
    t = rep.totals
    sales_total, sales_tax, count = raw(booth, "SELECT sum(total), sum(tax), count(*) FROM sale "
                                               "WHERE kind = 'sale'")
    back_total, back_tax = raw(booth, "SELECT sum(total), sum(tax) FROM sale "
                                      "WHERE kind IN ('refund','void')")
    gross, discounts = raw(booth, "SELECT sum(l.gross), sum(l.line_discount + l.sale_discount) "
                                  "FROM sale_line l JOIN sale s ON s.id = l.sale_id "
                                  "WHERE s.kind = 'sale'")
    assert (t.sales, t.refunds, t.tax, t.count, t.gross, t.discounts) == (
        sales_total, back_total, sales_tax - back_tax, count, gross, discounts)
    assert t.net == sales_total - back_total
    for breakdown in (rep.by_facility, rep.by_product, rep.by_category, rep.by_hour):
        assert sum(x.net for x in breakdown.values()) == t.net
        assert sum(x.refunds for x in breakdown.values()) == t.refunds
    pay_in = dict(raw(booth, "SELECT group_concat(method || '=' || amount) FROM ("
                             "SELECT p.method, sum(p.amount) AS amount FROM payment p JOIN sale s "
                             "ON s.id = p.sale_id WHERE s.kind = 'sale' GROUP BY p.method)")[0]
                  .replace("=", ",").split(",")[i:i + 2] for i in range(0, 8, 2))
    assert {m: str(v) for m, v in t.methods.items() if v} == pay_in
    assert sum(t.net_by_method().values()) == t.net
    for facility in rep.by_facility.values():
        assert sum(facility.net_by_method().values()) == facility.net
    assert [(u.method, u.amount, u.reference) for u in rep.unverified] == [
        ("qris", 200_000, "QR-1"), ("transfer", 250_000, "TRF-9")]
    top = rep.top_products(3)
    assert [sku for sku, _ in top] == sorted(rep.by_product,
                                             key=lambda k: -rep.by_product[k].net)[:3]
    assert top[0][1].net == max(x.net for x in rep.by_product.values())


def test_filters(booth: Booth, till_shift: ShiftRow) -> None:
    _day(booth, till_shift)
    whole = report(booth)
    ende = next(f for f in whole.by_facility if f == "LP-END")
    only = report(booth, ReportFilter(facility_id=_facility_id(booth, ende)))
    assert only.totals.net == whole.by_facility[ende].net
    assert list(only.by_facility) == [ende]
    card = report(booth, ReportFilter(method="card"))
    assert card.totals.count == 1 and card.totals.net == 0  # the card sale was voided
    assert report(booth, ReportFilter(cashier="nobody")).totals.count == 0
    assert report(booth, ReportFilter(shift_id=till_shift.id)).totals.net == whole.totals.net


def _facility_id(booth: Booth, code: str):
    from pos_app.services.catalog.catalog import facilities

    return next(f.id for f in facilities(booth) if f.code == code)


def test_a_sale_counts_once_for_every_facility_and_product_it_touches(booth: Booth,
                                                                       till_shift: ShiftRow) -> None:
    _day(booth, till_shift)
    rep = report(booth)
    # the first sale has lines of LP-END (KOP-001), another facility (TEN-001) and LPKA-KPG
    # (MAK-004); the third has MAK-007 (LPKA-KPG) and KOP-002
    assert rep.totals.count == 3
    assert rep.by_product["KOP-001"].count == 1 and rep.by_product["MAK-004"].count == 1
    assert rep.by_facility["LPKA-KPG"].count == 3  # MAK-004, LUK-005, MAK-007: three sales
    assert sum(x.count for x in rep.by_facility.values()) >= rep.totals.count
