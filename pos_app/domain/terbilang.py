"""Amounts in Indonesian words for the kwitansi ("terbilang"), in Indonesian usage.

The prefix ``se-`` stands for "one" before belas, puluh, ratus and ribu (sebelas, sepuluh,
seratus, seribu) but never before juta, miliar or triliun ("satu juta", not "sejuta").
So 1.001.000 is "satu juta seribu", which general-purpose libraries get wrong."""

from __future__ import annotations

from pos_app.domain.money import MAX_AMOUNT, Rupiah, check_amount

DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
# Scales above a thousand, largest first; a thousand itself is handled apart (seribu).
SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def below_thousand(n: int) -> list[str]:
    """Words for 1..999 (an empty list for 0)."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append("seratus" if hundreds == 1 else f"{DIGITS[hundreds]} ratus")
    tens, ones = divmod(rest, 10)
    if tens == 1:
        words.append({0: "sepuluh", 1: "sebelas"}.get(ones, f"{DIGITS[ones]} belas"))
        return words
    if tens:
        words.append(f"{DIGITS[tens]} puluh")
    if ones:
        words.append(DIGITS[ones])
    return words


def below_million(n: int) -> list[str]:
    """Words for 1..999.999: the thousands group takes ``se-`` when it is exactly one."""
    thousands, rest = divmod(n, 1000)
    words: list[str] = []
    if thousands == 1:
        words.append("seribu")
    elif thousands:
        words += below_thousand(thousands) + ["ribu"]
    return words + below_thousand(rest)


def number_words(n: int) -> list[str]:
    """Words for any whole number from 0 up; groups of three digits, largest first."""
    if n == 0:
        return ["nol"]
    words: list[str] = []
    for scale, name in SCALES:
        group, n = divmod(n, scale)
        if group:
            # A group may itself exceed 999 only above the largest scale (seribu triliun).
            words += number_words(group) + [name]
    return words + below_million(n)


def terbilang(amount: Rupiah) -> str:
    """``1_001_000`` -> ``"satu juta seribu rupiah"``."""
    check_amount(amount)
    return " ".join(number_words(amount) + ["rupiah"])


__all__ = ["terbilang", "MAX_AMOUNT"]
