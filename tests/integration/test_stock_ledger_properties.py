"""Property: after any sequence of receipts, sales, refunds, voids, counts, adjustments and
returns, on-hand of every product equals received - sold + refunded - returned + adjusted
(kept here by an independent model of what each operation should do), equals the raw SUM of
its movements, and the on-hand cache equals the ledger."""

from __future__ import annotations

import sqlite3
import tempfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_app.domain.errors import DomainError
from pos_app.domain.tenders import Method, Tender
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.refunds import refund, void_sale
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.clock import FixedClock
from pos_app.services.shift.shifts import open_shift
from pos_app.services.stock import stock, stock_counts, stock_docs
from tests.conftest import copy_database

FACILITY = "LPKA-KPG"
PRODUCTS = ("MAK-004", "MAK-007", "LUK-005")  # LPKA-KPG
OTHER = "KOP-001"  # another facility's product, sold alongside
BOSS = {"actor": "Maria", "actor_role": "coordinator"}
REASONS = ("damaged", "sample", "lost", "found", "miscounted")

sku = st.sampled_from(PRODUCTS)
qty = st.integers(1, 30)
op = st.one_of(
    st.tuples(st.just("receive"), sku, qty),
    st.tuples(st.just("sell"), sku, qty),
    st.tuples(st.just("refund"), st.integers(0, 20), st.integers(1, 5)),
    st.tuples(st.just("void"), st.integers(0, 20), st.just(0)),
    st.tuples(st.just("adjust"), sku, st.integers(-10, 10).filter(bool),
              st.sampled_from(REASONS)),
    st.tuples(st.just("count"), sku, st.integers(0, 60), st.booleans()),
    st.tuples(st.just("return"), st.just(""), st.just(0)),
)


class Model:
    """What the ledger should say, kept without looking at the database."""

    def __init__(self, opening: dict[str, int]) -> None:
        self.received = defaultdict(int, opening)
        self.sold = defaultdict(int)
        self.refunded = defaultdict(int)
        self.returned = defaultdict(int)
        self.adjusted = defaultdict(int)
        self.sales: list[dict] = []  # number, sku, qty, left, voidable

    def on_hand(self, s: str) -> int:
        return (self.received[s] - self.sold[s] + self.refunded[s] - self.returned[s]
                + self.adjusted[s])


def _run(booth: Booth, ops: list[tuple]) -> Model:
    opening = {r.sku: r.on_hand for r in stock.on_hand(booth, facility=FACILITY)}
    model = Model(opening)
    shift = open_shift(booth, "Kasir", 0)
    for step in ops:
        kind = step[0]
        if kind == "receive":
            stock_docs.receive(booth, FACILITY, [(step[1], step[2])], reference="SJ-1", **BOSS)
            model.received[step[1]] += step[2]
        elif kind == "sell":
            sale = checkout(booth, SaleRequest(
                items=(SaleItem(step[2], sku=step[1]), SaleItem(1, sku=OTHER)),
                tenders=(Tender(Method.CASH, 10**9),), shift_id=shift.id))
            model.sold[step[1]] += step[2]
            model.sales.append({"number": sale.number, "sku": step[1], "qty": step[2],
                                "left": step[2], "voidable": True})
        elif kind in ("refund", "void") and model.sales:
            sale = model.sales[step[1] % len(model.sales)]
            if kind == "refund" and sale["left"]:
                n = min(step[2], sale["left"])
                refund(booth, sale["number"], {1: n}, method="cash", reason="r",
                       shift_id=shift.id, **BOSS)
                sale["left"] -= n
                sale["voidable"] = False
                model.refunded[sale["sku"]] += n
            elif kind == "void" and sale["voidable"]:
                void_sale(booth, sale["number"], reason="v", shift_id=shift.id, **BOSS)
                sale["voidable"], sale["left"] = False, 0
                model.refunded[sale["sku"]] += sale["qty"]
        elif kind == "adjust":
            stock_docs.adjust(booth, FACILITY, [(step[1], step[2])], reason=step[3], **BOSS)
            model.adjusted[step[1]] += step[2]
        elif kind == "count":
            count = stock_counts.start_count(booth, FACILITY, **BOSS)
            stock_counts.enter_counts(booth, count.number, [(step[1], step[2])], **BOSS)
            expected = model.on_hand(step[1])
            if step[3]:  # a sale of the counted product between counting and approval
                sale = checkout(booth, SaleRequest(items=(SaleItem(1, sku=step[1]),),
                                                   tenders=(Tender(Method.CASH, 10**9),),
                                                   shift_id=shift.id))
                model.sold[step[1]] += 1
                model.sales.append({"number": sale.number, "sku": step[1], "qty": 1,
                                    "left": 1, "voidable": True})
            stock_counts.approve_count(booth, count.number, **BOSS)
            model.adjusted[step[1]] += step[2] - expected
        elif kind == "return":
            if any(model.on_hand(s) < 0 for s in PRODUCTS):
                with pytest.raises(DomainError) as err:
                    stock_docs.return_goods(booth, FACILITY, **BOSS)
                assert err.value.code == "negative_stock"
            elif not any(model.on_hand(s) > 0 for s in PRODUCTS):
                with pytest.raises(DomainError) as err:
                    stock_docs.return_goods(booth, FACILITY, **BOSS)
                assert err.value.code == "nothing_to_return"
            else:
                for s in PRODUCTS:
                    model.returned[s] += max(model.on_hand(s), 0)
                stock_docs.return_goods(booth, FACILITY, **BOSS)
    return model


@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(op, min_size=1, max_size=12))
def test_on_hand_is_the_sum_of_movements(demo_template: Path, ops: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "booth.db"
        copy_database(demo_template, path)
        booth = Booth.open(path, clock=FixedClock(datetime(2026, 11, 21, 11, 30, tzinfo=UTC)))
        try:
            model = _run(booth, ops)
            shown = {r.sku: r.on_hand for r in stock.on_hand(booth, facility=FACILITY)}
            for s in PRODUCTS:
                assert shown[s] == model.on_hand(s), (s, ops)
            totals = stock_docs.close_out(booth, FACILITY)
            for line in totals.lines:
                if line.sku in PRODUCTS:
                    t = line.totals
                    assert (t.received, t.sold, t.refunded, t.returned, t.adjusted) == (
                        model.received[line.sku], model.sold[line.sku],
                        model.refunded[line.sku], model.returned[line.sku],
                        model.adjusted[line.sku])
            assert stock.check_balances(booth) == []
        finally:
            booth.close()
        with sqlite3.connect(path) as con:
            raw = dict(con.execute(
                "SELECT p.sku, SUM(m.qty) FROM stock_movement m JOIN product p "
                "ON p.id = m.product_id GROUP BY p.sku").fetchall())
            cached = dict(con.execute(
                "SELECT p.sku, b.on_hand FROM stock_balance b JOIN product p "
                "ON p.id = b.product_id").fetchall())
        con.close()
        assert raw == cached
        for s in PRODUCTS:
            assert raw[s] == model.on_hand(s)
