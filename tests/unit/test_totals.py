"""The one set of sales totals (``reporting.totals.Totals``) that the screen's report and the
end-of-event pack both add up."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pos_app.services.reporting.report_facts import METHODS, LineFact
from pos_app.services.reporting.totals import Totals


def fact(sign: int, qty: int, gross: int, discount: int, tax: int, total: int,
         methods: dict[str, int]) -> LineFact:
    return LineFact(uuid.uuid4(), "S-1", "sale" if sign > 0 else "refund", None,
                    date(2026, 11, 21), datetime(2026, 11, 21, 11), 19, None, "Kasir", 1,
                    uuid.uuid4(), "LP", "Lapas", "Kriya", "K-1", "Tas", qty, gross // qty,
                    gross, discount, tax, total, sign=sign, methods=methods)


def test_sold_and_returned_lines_and_the_net() -> None:
    t = Totals()
    t.add_sold(2, 100_000, 10_000, 90_000, 0, [50_000, 40_000, 0, 0])
    t.add_returned(1, 45_000, 0, [45_000, 0, 0, 0])
    assert (t.qty, t.gross, t.discounts, t.sales, t.refunds, t.net, t.tax) == (
        1, 100_000, 10_000, 90_000, 45_000, 45_000, 0)
    assert t.net_by_method() == dict(zip(METHODS, [5_000, 40_000, 0, 0], strict=True))


def test_a_line_fact_adds_the_same_as_its_figures() -> None:
    by_fact, by_figures = Totals(), Totals()
    paid = {METHODS[0]: 7_000, METHODS[2]: 4_000}
    by_fact.add(fact(1, 1, 12_000, 1_000, 1_000, 11_000, paid))
    by_fact.add(fact(-1, 1, 12_000, 0, 500, 5_500, {METHODS[0]: 5_500}))
    by_figures.add_sold(1, 12_000, 1_000, 11_000, 1_000, [7_000, 0, 4_000, 0])
    by_figures.add_returned(1, 5_500, 500, [5_500, 0, 0, 0])
    assert by_fact == by_figures


def test_totals_add_up() -> None:
    a, b = Totals(), Totals()
    a.add_sold(1, 10_000, 0, 10_000, 0, [10_000, 0, 0, 0])
    a.count = 1
    b.add_sold(3, 30_000, 3_000, 27_000, 0, [0, 0, 0, 27_000])
    b.add_returned(1, 9_000, 0, [0, 0, 0, 9_000])
    b.count = 2
    both = Totals()
    both.add_totals(a)
    both.add_totals(b)
    assert (both.count, both.qty, both.sales, both.refunds, both.net) == (3, 3, 37_000, 9_000,
                                                                          28_000)
    assert list(both.methods.values()) == [10_000, 0, 0, 27_000]
    assert list(both.refunded_methods.values()) == [0, 0, 0, 9_000]
