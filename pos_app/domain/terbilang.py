"""Amounts in Indonesian words for the kwitansi ("terbilang"), via num2words.

num2words (and its many language tables) is imported on the first call, not when the
kwitansi module is imported: most runs of the app never print a kwitansi."""

from __future__ import annotations

from pos_app.domain.money import MAX_AMOUNT, Rupiah, check_amount


def terbilang(amount: Rupiah) -> str:
    """``1_250_000`` -> ``"satu juta dua ratus lima puluh ribu rupiah"``."""
    check_amount(amount)
    from num2words import num2words

    words = num2words(amount, lang="id")
    return " ".join(f"{words} rupiah".split())


__all__ = ["terbilang", "MAX_AMOUNT"]
