"""The one largest-remainder split (``money.allocate``): the shares add up to the amount,
each is within one rupiah of its exact share, and the odd rupiah go by the stated rule."""

from __future__ import annotations

from fractions import Fraction
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.cart import Cart, Discount, ProductRef
from pos_app.domain.money import allocate
from pos_app.domain.tax import TaxSettings


@given(amount=st.integers(-10**12, 10**12),
       weights=st.lists(st.integers(0, 10**9), min_size=1, max_size=12))
def test_the_sum_is_kept_and_each_share_is_within_one_rupiah(amount: int,
                                                             weights: list[int]) -> None:
    out = allocate(amount, weights)
    assert len(out) == len(weights) and sum(out) == amount
    total = sum(weights)
    if total:
        for share, w in zip(out, weights, strict=True):
            assert abs(share - Fraction(amount * w, total)) < 1


def test_the_odd_rupiah_go_to_the_largest_remainders_then_the_earlier() -> None:
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]  # 3.33 each: the first takes the odd rupiah
    assert allocate(100, [1, 2]) == [33, 67]  # 33.3 and 66.7: the larger fraction wins
    assert allocate(-10, [1, 1, 1]) == [-4, -3, -3]
    assert allocate(7, [0, 0]) == [7, 0]  # nothing to weigh by: all on the first
    assert allocate(0, [5, 0, 3]) == [0, 0, 0]


def test_bad_weights_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        allocate(5, [])
    with pytest.raises(ValueError):
        allocate(5, [3, -1])


def test_a_whole_sale_discount_is_spread_by_the_same_rule() -> None:
    cart = Cart()
    facility = uuid4()
    for i in range(3):
        cart.add(ProductRef(uuid4(), f"S{i}", f"P{i}", 10_000, facility, "Kopi"))
    cart.set_discount(Discount.amount(1_000))
    priced = cart.price(TaxSettings())
    assert [line.sale_discount for line in priced.lines] == [334, 333, 333]
