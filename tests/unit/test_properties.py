"""Property tests: pricing and settlement keep their sums exact for any valid input."""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_app.domain.cart import Cart, CartLine, Discount, ProductRef
from pos_app.domain.errors import DomainError
from pos_app.domain.money import (
    MAX_AMOUNT,
    format_number,
    format_rupiah,
    parse_rupiah,
    round_half_up,
)
from pos_app.domain.numbering import DEVICE_CODE, parse_sale_number, sale_number
from pos_app.domain.tax import TaxMode, TaxSettings
from pos_app.domain.tenders import Method, Tender, settle

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TAXES = st.sampled_from([
    TaxSettings(),
    TaxSettings(Fraction(11), Fraction(1)),
    TaxSettings(Fraction(0), Fraction(1)),
    TaxSettings(Fraction(25, 2), Fraction(2, 3)),
])
PERCENTS = st.integers(0, 10_000).map(lambda bp: Fraction(bp, 100))


@st.composite
def carts(draw) -> tuple[Cart, Discount | None]:
    """A cart of 1-8 lines with valid line discounts, plus a valid whole-sale discount."""
    lines = []
    for n in range(draw(st.integers(1, 8))):
        price = draw(st.integers(0, 10**9))
        qty = draw(st.integers(1, 1_000))
        product = ProductRef(uuid.UUID(int=n + 1), f"P{n}", f"Produk {n}", price,
                             uuid.UUID(int=100 + n % 3), f"Lapas {n % 3}",
                             draw(st.sampled_from(list(TaxMode))))
        kind = draw(st.sampled_from(["none", "amount", "percent"]))
        if kind == "amount":
            discount = Discount.amount(draw(st.integers(0, price * qty)))
        elif kind == "percent":
            discount = Discount.percent(draw(PERCENTS))
        else:
            discount = None
        lines.append(CartLine(product, qty, discount))
    cart = Cart(lines=lines)
    after_lines = sum(p.net for p in cart.price(TaxSettings(Fraction(0), Fraction(1))).lines)
    kind = draw(st.sampled_from(["none", "amount", "percent"]))
    if kind == "amount":
        sale_discount = Discount.amount(draw(st.integers(0, after_lines)))
    elif kind == "percent":
        sale_discount = Discount.percent(draw(PERCENTS))
    else:
        sale_discount = None
    return cart, sale_discount


@FAST
@given(carts(), TAXES)
def test_pricing_sums_are_exact(cart_and_discount, tax: TaxSettings) -> None:
    cart, sale_discount = cart_and_discount
    cart.set_discount(sale_discount)
    priced = cart.price(tax)

    assert priced.total == sum(p.total for p in priced.lines)
    assert priced.subtotal == sum(p.gross for p in priced.lines)
    assert priced.discount == sum(p.line_discount + p.sale_discount for p in priced.lines)
    assert priced.tax == sum(p.tax for p in priced.lines)
    for p, line in zip(priced.lines, cart.lines, strict=True):
        for value in (p.gross, p.line_discount, p.sale_discount, p.net, p.tax, p.total):
            assert type(value) is int
        assert p.gross == line.qty * line.product.unit_price
        assert p.net == p.gross - p.line_discount - p.sale_discount
        assert p.net >= 0
        assert p.tax >= 0
        if line.product.tax_mode is TaxMode.ADDED:
            assert p.total == p.net + p.tax
            assert p.tax == round_half_up(p.net * tax.effective)
        else:
            assert p.total == p.net
        if line.product.tax_mode is TaxMode.NONE:
            assert p.tax == 0
        if line.discount is not None and line.discount.kind == "percent":
            assert p.line_discount == round_half_up(p.gross * line.discount.value / 100)
    if sale_discount is not None and sale_discount.kind == "amount":
        shares = [p.sale_discount for p in priced.lines]
        assert sum(shares) == sale_discount.value
        bases = [p.gross - p.line_discount for p in priced.lines]
        base_total = sum(bases)
        for share, base in zip(shares, bases, strict=True):
            # largest remainder: every share is its exact part rounded down or up
            exact = Fraction(sale_discount.value * base, base_total) if base_total else 0
            assert abs(share - exact) < 1
            assert 0 <= share <= base
    if sale_discount is None:
        assert all(p.sale_discount == 0 for p in priced.lines)


@st.composite
def tenders(draw) -> tuple[int, list[Tender]]:
    total = draw(st.integers(0, 10**7))
    out = []
    for _ in range(draw(st.integers(0, 4))):
        method = draw(st.sampled_from(list(Method)))
        amount = draw(st.integers(1, 10**7))
        ref = "APR-1" if method is Method.CARD else draw(st.sampled_from([None, "REF-1"]))
        out.append(Tender(method, amount, ref))
    return total, out


@st.composite
def settling_tenders(draw) -> tuple[int, list[Tender]]:
    """Tenders built to settle: non-cash up to the total, cash covering the rest and more."""
    total = draw(st.integers(1, 10**9))
    out: list[Tender] = []
    left = total
    for _ in range(draw(st.integers(0, 3))):
        if left == 0:
            break
        amount = draw(st.integers(1, left))
        method = draw(st.sampled_from([Method.QRIS, Method.TRANSFER, Method.CARD]))
        out.append(Tender(method, amount, "R-1"))
        left -= amount
    if left or draw(st.booleans()):
        cash = left + draw(st.integers(0, 200_000))
        if cash:
            for part in _split(draw, cash):
                out.insert(draw(st.integers(0, len(out))), Tender(Method.CASH, part))
    return total, out


def _split(draw, amount: int) -> list[int]:
    cuts = sorted(draw(st.sets(st.integers(1, amount - 1), max_size=2))) if amount > 1 else []
    edges = [0, *cuts, amount]
    return [b - a for a, b in zip(edges, edges[1:], strict=False)]


def _check_settlement(total: int, ts: list[Tender]) -> None:
    s = settle(total, ts)
    assert s.change >= 0
    assert s.tendered == sum(t.amount for t in ts)
    assert s.change == s.tendered - total
    assert sum(p.amount for p in s.payments) == total
    assert sum(p.change for p in s.payments) == s.change
    for p, t in zip(s.payments, ts, strict=True):
        assert p.method is t.method
        assert p.tendered == t.amount
        assert p.amount == p.tendered - p.change
        assert 0 <= p.amount <= p.tendered
        assert p.verified is (p.method in (Method.CASH, Method.CARD))
        if p.method is not Method.CASH:
            assert p.change == 0


@FAST
@given(settling_tenders())
def test_settling_tenders_balance(case) -> None:
    _check_settlement(*case)


@FAST
@given(tenders())
def test_any_tenders_settle_or_are_refused_for_the_right_reason(case) -> None:
    total, ts = case
    noncash = sum(t.amount for t in ts if t.method is not Method.CASH)
    tendered = sum(t.amount for t in ts)
    try:
        _check_settlement(total, ts)
    except DomainError as exc:
        if noncash > total:
            assert exc.code == "overpaid_noncash"
        else:
            assert exc.code == "payment_short"
            assert tendered < total
    else:
        assert noncash <= total <= tendered


@FAST
@given(st.integers(-10**12, 10**12), st.integers(1, 10**6))
def test_round_half_up_matches_decimal(numerator: int, denominator: int) -> None:
    expected = (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP)
    # Decimal division is exact enough here: 28 significant digits cover 10^12 / 10^6.
    assert round_half_up(Fraction(numerator, denominator)) == int(expected)


@FAST
@given(st.integers(0, MAX_AMOUNT))
def test_formatted_amounts_parse_back(amount: int) -> None:
    assert parse_rupiah(format_rupiah(amount)) == amount
    assert parse_rupiah(format_number(amount)) == amount
    assert parse_rupiah(str(amount)) == amount


@FAST
@given(st.from_regex(DEVICE_CODE, fullmatch=True), st.integers(1, 10**9))
def test_sale_numbers_round_trip(device: str, seq: int) -> None:
    assert parse_sale_number(sale_number(device, seq)) == (device, seq)
