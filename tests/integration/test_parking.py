"""Parked sales: put a cart aside, list it, resume it once; no money or stock is written."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart, CartLine, Discount
from pos_app.domain.errors import DomainError
from pos_app.services.catalog import catalog
from pos_app.services.sale.parking import ParkedRow, discard, park, parked, resume
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.clock import FixedClock

MONEY_TABLES = ("sale", "sale_line", "payment", "stock_movement", "outbox", "counter")


def snapshot(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as con:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in MONEY_TABLES}


def ref(booth: Booth, code: str):
    return catalog.find_by_code(booth, code).ref()


def a_cart(booth: Booth) -> Cart:
    cart = Cart()
    cart.add(ref(booth, "KOP-001"), 2)
    cart.add(ref(booth, "TEN-001"))
    cart.set_line_discount(0, Discount.percent("10"))
    cart.set_discount(Discount.amount(5_000))
    return cart


def test_park_lists_the_cart_with_total_and_count(booth: Booth) -> None:
    cart = a_cart(booth)
    # 170.000 - 17.000 = 153.000 and 350.000; Rp5.000 shared 1.521 / 3.479
    assert cart.price(booth.context.tax).total == 498_000
    parked_id = park(booth, cart, "  Ibu baju merah  ")
    assert parked(booth) == [ParkedRow(parked_id, datetime(2026, 11, 21, 11, 30, tzinfo=UTC),
                                       "Ibu baju merah", 3, 498_000)]


def test_resume_gives_back_an_equal_cart_and_removes_it(booth: Booth) -> None:
    cart = a_cart(booth)
    parked_id = park(booth, cart)
    back = resume(booth, parked_id)
    assert back == cart
    assert back.lines[0].discount == Discount("percent", 10)
    assert back.discount == Discount("amount", 5_000)
    assert back.price(booth.context.tax).total == 498_000
    assert parked(booth) == []


def test_resume_twice_is_unknown(booth: Booth) -> None:
    parked_id = park(booth, a_cart(booth))
    resume(booth, parked_id)
    with pytest.raises(DomainError) as exc:
        resume(booth, parked_id)
    assert exc.value.code == "unknown_parked"
    assert exc.value.message() == "That parked sale no longer exists"


def test_parking_writes_no_money_or_stock(booth: Booth) -> None:
    before = snapshot(booth.db.path)
    parked_id = park(booth, a_cart(booth))
    assert snapshot(booth.db.path) == before
    resume(booth, parked_id)
    assert snapshot(booth.db.path) == before
    with sqlite3.connect(booth.db.path) as con:
        assert con.execute("SELECT count(*) FROM parked_sale").fetchone() == (0,)


def test_several_parked_carts_in_time_order(booth: Booth, clock: FixedClock) -> None:
    first = Cart(lines=[CartLine(ref(booth, "MAK-006"), 5)])
    second = Cart(lines=[CartLine(ref(booth, "BAN-001"), 100), CartLine(ref(booth, "KOP-002"), 1)])
    id1 = park(booth, first, "A")
    clock.advance(minutes=5)
    id2 = park(booth, second, "B")
    assert [(r.id, r.label, r.item_count, r.total) for r in parked(booth)] == [
        (id1, "A", 5, 50_000), (id2, "B", 101, 395_000)]
    assert resume(booth, id2) == second
    assert [r.id for r in parked(booth)] == [id1]


def test_park_with_percent_sale_discount_round_trips(booth: Booth) -> None:
    cart = Cart()
    cart.add(ref(booth, "MAK-003"), 3)
    cart.set_discount(Discount.percent("12.5"))
    parked_id = park(booth, cart)
    # 135.000 - 12,5% (16.875) = 118.125, PPN added 12.993,75 -> 12.994
    assert parked(booth)[0].total == 131_119
    assert resume(booth, parked_id) == cart


def test_resume_uses_todays_catalog(booth: Booth) -> None:
    parked_id = park(booth, Cart(lines=[CartLine(ref(booth, "KOP-002"), 2)]))
    with sqlite3.connect(booth.db.path) as con:
        con.execute("UPDATE product SET price = 47500 WHERE sku = 'KOP-002'")
    back = resume(booth, parked_id)
    assert [(line.product.sku, line.product.unit_price, line.qty) for line in back.lines] == [
        ("KOP-002", 47_500, 2)]


def test_empty_cart_cannot_be_parked(booth: Booth) -> None:
    with pytest.raises(DomainError) as exc:
        park(booth, Cart())
    assert exc.value.code == "empty_cart"
    assert parked(booth) == []


def test_discard(booth: Booth) -> None:
    parked_id = park(booth, a_cart(booth))
    discard(booth, parked_id)
    assert parked(booth) == []
    with pytest.raises(DomainError) as exc:
        resume(booth, parked_id)
    assert exc.value.code == "unknown_parked"
