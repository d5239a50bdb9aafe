"""Counting the drawer in rupiah notes and coins: only real denominations, whole pieces."""

from __future__ import annotations

import pytest

from pos_app.domain.cash import (
    COINS,
    DENOMINATIONS,
    NOTES,
    breakdown,
    check_count,
    count_from_json,
    count_to_json,
    count_total,
    parse_count,
    parse_count_arg,
)
from pos_app.domain.errors import DomainError


def test_the_rupiah_notes_and_coins() -> None:
    assert NOTES == (100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000)
    assert COINS == (1_000, 500, 200, 100)
    assert DENOMINATIONS == (100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200,
                             100)


def test_total_and_breakdown_are_exact() -> None:
    count = check_count({500: 4, 100_000: 3, 2_000: 7, 100: 9, 50_000: 0})
    assert list(count) == [100_000, 2_000, 500, 100]  # largest first, zero pieces dropped
    assert count_total(count) == 300_000 + 14_000 + 2_000 + 900 == 316_900
    assert breakdown(count) == [(100_000, 3, 300_000), (2_000, 7, 14_000), (500, 4, 2_000),
                                (100, 9, 900)]
    assert count_total({}) == 0
    assert check_count({}) == {}


@pytest.mark.parametrize("bad", [
    {300: 1},  # no such note or coin
    {0: 5},
    {-100: 1},
    {25_000: 1},
    {75_000: 1},
    {100_000: -1},  # negative pieces
    {500: -3},
    {True: 1},
    {1_000.0: 1},
    {500: 1.5},
    {500: True},
    {100_000: 10**7},  # absurd
])
def test_bad_denominations_and_pieces(bad) -> None:
    with pytest.raises(DomainError) as info:
        check_count(bad)
    assert info.value.code == "bad_denomination"


@pytest.mark.parametrize(("arg", "parsed"), [
    ("100000=3", (100_000, 3)),
    ("100.000=3", (100_000, 3)),
    ("Rp500x4", (500, 4)),
    (" 2000 = 0 ", (2_000, 0)),
    ("100:12", (100, 12)),
])
def test_parse_count_arg(arg: str, parsed) -> None:
    assert parse_count_arg(arg) == parsed


@pytest.mark.parametrize("arg", ["300=1", "100000", "=3", "100000=-1", "100000=a", "50.00=1",
                                 "100000=3=4", ""])
def test_parse_count_arg_refuses(arg: str) -> None:
    with pytest.raises(DomainError) as info:
        parse_count_arg(arg)
    assert info.value.code == "bad_denomination"


def test_parse_count_adds_repeats() -> None:
    assert parse_count(["100000=3", "500=4", "100.000=2"]) == {100_000: 5, 500: 4}


def test_json_round_trip() -> None:
    count = {100_000: 3, 500: 4}
    assert count_to_json(count) == {"100000": 3, "500": 4}
    assert count_from_json(count_to_json(count)) == count
    assert count_from_json(None) == {}
