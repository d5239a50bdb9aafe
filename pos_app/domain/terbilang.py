"""Amounts in Indonesian words for the kwitansi ("terbilang"), via num2words."""

from __future__ import annotations

from num2words import num2words

from pos_app.domain.money import MAX_AMOUNT, Rupiah, check_amount


def terbilang(amount: Rupiah) -> str:
    """``1_250_000`` -> ``"satu juta dua ratus lima puluh ribu rupiah"``."""
    check_amount(amount)
    words = num2words(amount, lang="id")
    return " ".join(f"{words} rupiah".split())


__all__ = ["terbilang", "MAX_AMOUNT"]
