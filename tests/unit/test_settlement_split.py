"""The settlement split: parts always add up to the net, the remainder goes by the stated
rule, and allocation over lines is exact."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.errors import DomainError
from pos_app.domain.settlement import Shares, allocate, format_bp, parse_percent, split


def test_an_even_split_and_the_remainder_rule() -> None:
    shares = Shares(pnbp=4000, premi=3500, modal=2000, program=500)
    assert split(1_000_000, shares) == {"pnbp": 400_000, "premi": 350_000, "modal": 200_000,
                                        "program": 50_000}
    # 1001 rupiah: exact shares 400.4 / 350.35 / 200.2 / 50.05 -> floors 1000, one left,
    # the largest fraction (pnbp .4) takes it
    assert split(1001, shares) == {"pnbp": 401, "premi": 350, "modal": 200, "program": 50}
    # equal fractions: the earlier part in the order PNBP, premi, modal, program
    thirds = Shares(pnbp=3333, premi=3333, modal=3334, program=0)
    assert split(2, thirds) == {"pnbp": 1, "premi": 0, "modal": 1, "program": 0}
    assert split(-1001, shares) == {"pnbp": -401, "premi": -350, "modal": -200,
                                    "program": -50}


@given(net=st.integers(-10**12, 10**12),
       bp=st.lists(st.integers(0, 10_000), min_size=3, max_size=3).filter(
           lambda xs: sum(xs) <= 10_000))
def test_the_parts_always_add_up_to_the_net(net: int, bp: list[int]) -> None:
    shares = Shares(bp[0], bp[1], bp[2], 10_000 - sum(bp))
    parts = split(net, shares)
    assert sum(parts.values()) == net
    for name, part in parts.items():  # each within one rupiah of its exact share
        exact = net * getattr(shares, name) / 10_000
        assert abs(part - exact) < 1


@given(amount=st.integers(-10**9, 10**9), weights=st.lists(st.integers(0, 10**7), min_size=1,
                                                            max_size=8))
def test_allocation_is_exact(amount: int, weights: list[int]) -> None:
    out = allocate(amount, weights)
    assert sum(out) == amount and len(out) == len(weights)
    if sum(weights):
        assert all(x == 0 for x, w in zip(out, weights, strict=True) if w == 0)


@pytest.mark.parametrize("shares", [Shares(4000, 3500, 2000, 400), Shares(),
                                    Shares(10_001, 0, 0, 0), Shares(-1, 5001, 5000, 0)])
def test_shares_must_add_up_to_a_hundred_percent(shares: Shares) -> None:
    with pytest.raises(DomainError) as err:
        split(100, shares)
    assert err.value.code == "bad_shares"


def test_percent_text() -> None:
    assert [parse_percent(t) for t in ("40", "37.5", "37,5", "0.05", "100")] == [
        4000, 3750, 3750, 5, 10_000]
    for bad in ("", "abc", "1.234", "-5", "100.01", "1e2"):
        with pytest.raises(DomainError):
            parse_percent(bad)
    assert [format_bp(x) for x in (4000, 3750, 1234, 5, 0)] == ["40", "37.5", "12.34",
                                                                "0.05", "0"]
