"""The cart: adding, quantities, line and whole-sale discounts, and pricing in exact rupiah."""

from __future__ import annotations

import uuid
from fractions import Fraction

import pytest

from pos_app.domain.cart import MAX_QTY, Cart, CartLine, Discount, ProductRef, check_qty
from pos_app.domain.errors import DomainError
from pos_app.domain.tax import TaxMode, TaxSettings

FAC = uuid.UUID(int=1)
PPN = TaxSettings()


def product(price: int, sku: str = "A", mode: TaxMode = TaxMode.NONE) -> ProductRef:
    return ProductRef(uuid.uuid5(uuid.NAMESPACE_URL, sku), sku, f"Produk {sku}", price, FAC,
                      "Lapas Kupang", mode)


KOPI = product(85_000, "KOP")
TENUN = product(350_000, "TEN")


def test_add_merges_the_same_product() -> None:
    cart = Cart()
    assert cart.add(KOPI) == 0
    assert cart.add(KOPI, 2) == 0
    assert cart.lines == [CartLine(KOPI, 3)]


def test_add_keeps_different_products_apart() -> None:
    cart = Cart()
    cart.add(KOPI)
    assert cart.add(TENUN, 2) == 1
    assert [(line.product.sku, line.qty) for line in cart.lines] == [("KOP", 1), ("TEN", 2)]


def test_add_does_not_merge_into_a_discounted_line() -> None:
    cart = Cart()
    cart.add(KOPI)
    cart.set_line_discount(0, Discount.amount(5_000))
    assert cart.add(KOPI) == 1
    assert [(line.qty, line.discount) for line in cart.lines] == [
        (1, Discount("amount", 5_000)), (1, None)]


def test_set_qty_and_change_qty() -> None:
    cart = Cart()
    cart.add(KOPI)
    cart.add(TENUN)
    cart.set_qty(0, 5)
    cart.change_qty(0, +1)
    cart.change_qty(1, +2)
    assert [line.qty for line in cart.lines] == [6, 3]
    cart.change_qty(0, -5)
    assert [line.qty for line in cart.lines] == [1, 3]


@pytest.mark.parametrize("delta", [-1, -3, -100])
def test_change_qty_below_one_removes_the_line(delta: int) -> None:
    cart = Cart()
    cart.add(KOPI)
    cart.add(TENUN)
    cart.change_qty(0, delta)
    assert [line.product.sku for line in cart.lines] == ["TEN"]


def test_remove_and_clear() -> None:
    cart = Cart()
    cart.add(KOPI)
    cart.add(TENUN)
    cart.set_discount(Discount.amount(1_000))
    cart.remove(0)
    assert [line.product.sku for line in cart.lines] == ["TEN"]
    cart.clear()
    assert cart.lines == []
    assert cart.discount is None


@pytest.mark.parametrize("index", [-1, 2, 99])
def test_bad_line_index(index: int) -> None:
    cart = Cart()
    cart.add(KOPI)
    cart.add(TENUN)
    for action in (lambda: cart.set_qty(index, 1), lambda: cart.remove(index),
                   lambda: cart.change_qty(index, 1),
                   lambda: cart.set_line_discount(index, None)):
        with pytest.raises(DomainError) as exc:
            action()
        assert exc.value.code == "bad_line"
    assert len(cart.lines) == 2


BAD_QTYS = [0, -1, 1.5, True, False, MAX_QTY + 1, "2", None, 2.0]


@pytest.mark.parametrize("qty", BAD_QTYS)
def test_bad_quantity_on_add(qty: object) -> None:
    cart = Cart()
    with pytest.raises(DomainError) as exc:
        cart.add(KOPI, qty)  # type: ignore[arg-type]
    assert exc.value.code == "bad_quantity"
    assert exc.value.params == {"qty": qty, "max": MAX_QTY}
    assert cart.lines == []


@pytest.mark.parametrize("qty", BAD_QTYS)
def test_bad_quantity_on_set_qty_keeps_the_line(qty: object) -> None:
    cart = Cart()
    cart.add(KOPI, 4)
    with pytest.raises(DomainError) as exc:
        cart.set_qty(0, qty)  # type: ignore[arg-type]
    assert exc.value.code == "bad_quantity"
    assert cart.lines == [CartLine(KOPI, 4)]


def test_merging_past_the_maximum_is_a_bad_quantity() -> None:
    cart = Cart()
    cart.add(KOPI, MAX_QTY)
    with pytest.raises(DomainError) as exc:
        cart.add(KOPI, 1)
    assert exc.value.code == "bad_quantity"
    assert cart.lines == [CartLine(KOPI, MAX_QTY)]


def test_check_qty_accepts_the_bounds() -> None:
    assert check_qty(1) == 1
    assert check_qty(MAX_QTY) == MAX_QTY


def test_plain_cart_prices_to_the_sum_of_lines() -> None:
    cart = Cart()
    cart.add(KOPI, 2)
    cart.add(TENUN)
    priced = cart.price(PPN)
    assert [(p.gross, p.net, p.tax, p.total) for p in priced.lines] == [
        (170_000, 170_000, 0, 170_000), (350_000, 350_000, 0, 350_000)]
    assert (priced.subtotal, priced.discount, priced.tax, priced.total) == (520_000, 0, 0, 520_000)


def test_line_discount_amount() -> None:
    cart = Cart()
    cart.add(product(50_000), 2)
    cart.set_line_discount(0, Discount.amount(15_000))
    line = cart.price(PPN).lines[0]
    assert (line.gross, line.line_discount, line.sale_discount, line.net, line.total) == (
        100_000, 15_000, 0, 85_000, 85_000)


def test_line_discount_percent_rounds_half_up_once() -> None:
    cart = Cart()
    cart.add(product(33_333), 3)  # 99.999
    cart.set_line_discount(0, Discount.percent(10))  # 9.999,9 -> 10.000
    line = cart.price(PPN).lines[0]
    assert (line.gross, line.line_discount, line.net) == (99_999, 10_000, 89_999)


def test_line_discount_percent_exact_half_goes_up() -> None:
    cart = Cart()
    cart.add(product(25))
    cart.set_line_discount(0, Discount.percent("10"))  # 2,5 -> 3
    line = cart.price(PPN).lines[0]
    assert (line.line_discount, line.net) == (3, 22)


def test_whole_sale_amount_is_shared_by_largest_remainder() -> None:
    # Rp10.000 over lines of Rp100.000, Rp100.000 and Rp99.999 (total Rp299.999):
    # exact shares 3.333,34 / 3.333,34 / 3.333,31; floors sum to 9.999; the odd rupiah goes
    # to the largest remainder, the first line on a tie.
    cart = Cart()
    cart.add(product(100_000, "A"))
    cart.add(product(50_000, "B"), 2)
    cart.add(product(33_333, "C"), 3)
    cart.set_discount(Discount.amount(10_000))
    priced = cart.price(PPN)
    assert [p.sale_discount for p in priced.lines] == [3_334, 3_333, 3_333]
    assert [p.total for p in priced.lines] == [96_666, 96_667, 96_666]
    assert (priced.subtotal, priced.discount, priced.total) == (299_999, 10_000, 289_999)


def test_whole_sale_amount_applies_after_line_discounts() -> None:
    # line 1: 170.000 - 10% = 153.000; line 2: 350.000. Rp5.000 shared over 503.000:
    # 1.520,87 and 3.479,13 -> floors 1.520 + 3.479 = 4.999, the odd rupiah to line 1.
    cart = Cart()
    cart.add(KOPI, 2)
    cart.add(TENUN)
    cart.set_line_discount(0, Discount.percent(10))
    cart.set_discount(Discount.amount(5_000))
    priced = cart.price(PPN)
    assert [(p.line_discount, p.sale_discount, p.net) for p in priced.lines] == [
        (17_000, 1_521, 151_479), (0, 3_479, 346_521)]
    assert [p.discount for p in priced.lines] == [18_521, 3_479]
    assert (priced.discount, priced.total) == (22_000, 498_000)


def test_whole_sale_percent_is_rounded_per_line() -> None:
    # 10% of Rp15 = 1,5 -> 2 and of Rp25 = 2,5 -> 3: the sale discount is 5, not 10% of 40.
    cart = Cart()
    cart.add(product(15, "A"))
    cart.add(product(25, "B"))
    cart.set_discount(Discount.percent(10))
    priced = cart.price(PPN)
    assert [p.sale_discount for p in priced.lines] == [2, 3]
    assert (priced.discount, priced.total) == (5, 35)


def test_full_discount_gives_zero_total() -> None:
    cart = Cart()
    cart.add(KOPI)
    cart.set_discount(Discount.percent(100))
    priced = cart.price(PPN)
    assert (priced.discount, priced.total) == (85_000, 0)


def test_line_discount_larger_than_the_line_is_refused_and_undone() -> None:
    cart = Cart()
    cart.add(product(10_000), 2)
    with pytest.raises(DomainError) as exc:
        cart.set_line_discount(0, Discount.amount(20_001))
    assert exc.value.code == "discount_exceeds"
    assert cart.lines[0].discount is None
    cart.set_line_discount(0, Discount.amount(20_000))  # exactly the line is fine
    assert cart.price(PPN).total == 0


def test_sale_discount_larger_than_the_sale_is_refused_and_undone() -> None:
    cart = Cart()
    cart.add(product(10_000))
    cart.set_line_discount(0, Discount.amount(4_000))
    cart.set_discount(Discount.amount(1_000))
    with pytest.raises(DomainError) as exc:
        cart.set_discount(Discount.amount(6_001))
    assert exc.value.code == "discount_exceeds"
    assert cart.discount == Discount("amount", 1_000)
    assert cart.price(PPN).total == 5_000


@pytest.mark.parametrize("pct", ["101", "-1", "abc"])
def test_bad_percent_discount(pct: str) -> None:
    with pytest.raises(DomainError) as exc:
        Discount.percent(pct)
    assert exc.value.code == "bad_percent"


@pytest.mark.parametrize("amount", [-1, 1.5, True])
def test_bad_amount_discount(amount: object) -> None:
    with pytest.raises(DomainError) as exc:
        Discount.amount(amount)  # type: ignore[arg-type]
    assert exc.value.code == "bad_amount"


def test_discount_basis_points() -> None:
    assert Discount.percent("12.5").basis_points() == 1_250
    assert Discount.percent(Fraction(1, 3)).basis_points() == 33
    assert Discount.percent(100).basis_points() == 10_000
    assert Discount.amount(5_000).basis_points() is None


def test_amount_overflow_on_add_leaves_the_cart_unchanged() -> None:
    cart = Cart()
    cart.add(KOPI)
    big = product(10**12, "BIG")
    with pytest.raises(DomainError) as exc:
        cart.add(big, 1_001)  # Rp1.001.000.000.000.000 > Rp10^15
    assert exc.value.code == "amount_overflow"
    assert cart.lines == [CartLine(KOPI, 1)]


def test_amount_overflow_on_set_qty_restores_the_old_qty() -> None:
    cart = Cart()
    big = product(10**12, "BIG")
    cart.add(big, 1_000)  # exactly Rp10^15: allowed
    assert cart.price(PPN).total == 10**15
    with pytest.raises(DomainError) as exc:
        cart.set_qty(0, 1_001)
    assert exc.value.code == "amount_overflow"
    assert cart.lines == [CartLine(big, 1_000)]


def test_amount_overflow_from_added_tax() -> None:
    cart = Cart(lines=[CartLine(product(10**12, "BIG", TaxMode.ADDED), 1_000)])
    with pytest.raises(DomainError) as exc:
        cart.price(PPN)  # net is the maximum, PPN on top goes over it
    assert exc.value.code == "amount_overflow"


def test_tax_modes_in_a_cart() -> None:
    cart = Cart()
    cart.add(product(85_000, "INC", TaxMode.INCLUDED), 2)  # 170.000 incl. 16.846,8 -> 16.847
    cart.add(product(45_000, "ADD", TaxMode.ADDED))  # 45.000 + 4.950
    cart.add(product(350_000, "NON"))
    priced = cart.price(PPN)
    assert [(p.net, p.tax, p.total) for p in priced.lines] == [
        (170_000, 16_847, 170_000), (45_000, 4_950, 49_950), (350_000, 0, 350_000)]
    assert (priced.subtotal, priced.tax, priced.total, priced.tax_added) == (
        565_000, 21_797, 569_950, 4_950)


def test_a_price_override_keeps_the_catalog_price_and_is_priced_at_the_new_one() -> None:
    cart = Cart()
    cart.add(KOPI, 2)
    cart.set_price(0, 80_000)
    line = cart.lines[0]
    assert (line.product.unit_price, line.catalog_price, line.overridden) == (80_000, 85_000,
                                                                             True)
    assert cart.price(TaxSettings()).lines[0].gross == 160_000
    cart.add(KOPI, 1)  # a new unit at the catalog price does not merge into the override
    assert [(ln.qty, ln.product.unit_price) for ln in cart.lines] == [(2, 80_000), (1, 85_000)]
    cart.set_price(0, 85_000)  # back to the catalog price: no longer an override
    assert cart.lines[0].overridden is False
    with pytest.raises(DomainError) as exc:
        cart.set_price(0, -1)
    assert exc.value.code == "bad_price" and cart.lines[0].product.unit_price == 85_000
