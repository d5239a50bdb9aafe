"""Terbilang over random amounts: the words read back to the number with a parser written
here (not the one under test), and they follow Indonesian usage."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.money import MAX_AMOUNT
from pos_app.domain.terbilang import terbilang

UNITS = {"nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6,
         "tujuh": 7, "delapan": 8, "sembilan": 9}
SCALE = {"triliun": 10**12, "miliar": 10**9, "juta": 10**6}
ORDER = ["triliun", "miliar", "juta", "ribu"]


def read_small(words: list[str]) -> int:
    """1..999 from words, left to right, with a running sum per place."""
    total, current = 0, 0
    for word in words:
        if word in UNITS:
            current += UNITS[word]
        elif word == "sebelas":
            current += 11
        elif word == "sepuluh":
            current += 10
        elif word == "seratus":
            current += 100
        elif word == "belas":
            current += 10
        elif word == "puluh":
            current *= 10
        elif word == "ratus":
            current *= 100
        else:
            raise ValueError(word)
        if word in ("puluh", "ratus", "seratus", "sepuluh", "sebelas", "belas"):
            total, current = total + current, 0
    return total + current


def parse(text: str) -> int:
    """Words (with the trailing 'rupiah') back to an int."""
    words = text.split()
    assert words[-1] == "rupiah"
    words = words[:-1]
    if words == ["nol"]:
        return 0
    value, group = 0, []
    for word in words:
        if word in SCALE:
            value += read_small(group) * SCALE[word]
            group = []
        elif word == "ribu":
            value += read_small(group) * 1000
            group = []
        elif word == "seribu":
            assert not group, text
            value += 1000
        else:
            group.append(word)
    return value + read_small(group)


amounts = st.one_of(
    st.integers(min_value=0, max_value=MAX_AMOUNT - 1),  # up to 999 trillion
    st.integers(min_value=0, max_value=10_000_000),
    # Amounts built of small groups, where se- and the 1.001.000 trap live.
    st.lists(st.sampled_from([0, 1, 10, 11, 100, 101, 110, 111, 999]), min_size=5, max_size=5)
    .map(lambda g: sum(v * 1000**i for i, v in enumerate(g))),
)


@given(amounts)
def test_words_read_back_to_the_amount(amount: int) -> None:
    assert parse(terbilang(amount)) == amount


@given(amounts)
def test_indonesian_usage(amount: int) -> None:
    text = terbilang(amount)
    words = text.split()
    for wrong in ("satu ratus", "satu puluh", "satu belas", "sejuta", "semiliar", "setriliun"):
        assert wrong not in text, (amount, text)
    # "satu ribu" only ends a larger group (dua puluh satu ribu, seratus satu ribu);
    # a thousands group of exactly one is "seribu".
    for i, word in enumerate(words[:-1]):
        if word == "satu" and words[i + 1] == "ribu":
            assert i > 0 and words[i - 1] in ("puluh", "ratus", "seratus"), (amount, text)
    assert ("nol" in words) == (amount == 0), (amount, text)
    assert re.fullmatch(r"[a-z]+( [a-z]+)*", text)


@given(amounts)
def test_scales_appear_once_each_largest_first(amount: int) -> None:
    words = terbilang(amount).split()
    scales = [("ribu" if w == "seribu" else w) for w in words if w in ORDER or w == "seribu"]
    assert scales == sorted(set(scales), key=ORDER.index), (amount, words)
