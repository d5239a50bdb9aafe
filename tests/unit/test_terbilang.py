"""Terbilang: rupiah amounts in Indonesian words, exactly as written on a kwitansi."""

from __future__ import annotations

from datetime import date

import pytest

from pos_app.domain.errors import DomainError
from pos_app.domain.kwitansi import KwitansiDoc
from pos_app.domain.money import MAX_AMOUNT
from pos_app.domain.terbilang import terbilang

NINES = ("sembilan ratus sembilan puluh sembilan triliun "
         "sembilan ratus sembilan puluh sembilan miliar "
         "sembilan ratus sembilan puluh sembilan juta "
         "sembilan ratus sembilan puluh sembilan ribu "
         "sembilan ratus sembilan puluh sembilan rupiah")


@pytest.mark.parametrize(("amount", "words"), [
    (0, "nol rupiah"),
    (1, "satu rupiah"),
    (9, "sembilan rupiah"),
    (10, "sepuluh rupiah"),
    (11, "sebelas rupiah"),
    (12, "dua belas rupiah"),
    (19, "sembilan belas rupiah"),
    (20, "dua puluh rupiah"),
    (21, "dua puluh satu rupiah"),
    (99, "sembilan puluh sembilan rupiah"),
    (100, "seratus rupiah"),
    (101, "seratus satu rupiah"),
    (110, "seratus sepuluh rupiah"),
    (111, "seratus sebelas rupiah"),
    (199, "seratus sembilan puluh sembilan rupiah"),
    (200, "dua ratus rupiah"),
    (999, "sembilan ratus sembilan puluh sembilan rupiah"),
    (1_000, "seribu rupiah"),
    (1_001, "seribu satu rupiah"),
    (1_010, "seribu sepuluh rupiah"),
    (1_011, "seribu sebelas rupiah"),
    (1_100, "seribu seratus rupiah"),
    (1_999, "seribu sembilan ratus sembilan puluh sembilan rupiah"),
    (2_000, "dua ribu rupiah"),
    (2_001, "dua ribu satu rupiah"),
    (10_000, "sepuluh ribu rupiah"),
    (11_000, "sebelas ribu rupiah"),
    (12_000, "dua belas ribu rupiah"),
    (21_000, "dua puluh satu ribu rupiah"),
    (100_000, "seratus ribu rupiah"),
    (101_000, "seratus satu ribu rupiah"),
    (111_111, "seratus sebelas ribu seratus sebelas rupiah"),
    (999_999, "sembilan ratus sembilan puluh sembilan ribu "
              "sembilan ratus sembilan puluh sembilan rupiah"),
    (1_000_000, "satu juta rupiah"),
    (1_000_001, "satu juta satu rupiah"),
    (1_001_000, "satu juta seribu rupiah"),
    (1_001_500, "satu juta seribu lima ratus rupiah"),
    (2_001_000, "dua juta seribu rupiah"),
    (1_100_000, "satu juta seratus ribu rupiah"),
    (1_250_000, "satu juta dua ratus lima puluh ribu rupiah"),
    (1_750_000, "satu juta tujuh ratus lima puluh ribu rupiah"),
    (10_000_000, "sepuluh juta rupiah"),
    (11_000_000, "sebelas juta rupiah"),
    (100_000_000, "seratus juta rupiah"),
    (1_000_000_000, "satu miliar rupiah"),
    (1_001_000_000, "satu miliar satu juta rupiah"),
    (1_000_001_000, "satu miliar seribu rupiah"),
    (1_000_000_000_000, "satu triliun rupiah"),
    (1_001_001_001_001, "satu triliun satu miliar satu juta seribu satu rupiah"),
    (11_000_000_000_000, "sebelas triliun rupiah"),
    (999_999_999_999_999, NINES),
    (MAX_AMOUNT, "seribu triliun rupiah"),
])
def test_terbilang_exact_words(amount: int, words: str) -> None:
    assert terbilang(amount) == words


def test_words_have_single_spaces_and_no_stray_characters() -> None:
    for amount in (0, 7, 15, 99, 215_000, 569_950, 1_500_000, 2_500_000, 123_456_789):
        words = terbilang(amount)
        assert words == " ".join(words.split())
        assert words.endswith(" rupiah")
        assert set(words) <= set("abcdefghijklmnopqrstuvwxyz ")


@pytest.mark.parametrize("bad", [-1, -1_000, MAX_AMOUNT + 1, 10**18])
def test_out_of_range_amounts_are_refused(bad: int) -> None:
    with pytest.raises(DomainError) as info:
        terbilang(bad)
    assert info.value.code == "bad_amount"


@pytest.mark.parametrize("bad", [1.0, 1_250_000.0, 0.5, True, False, "1000", None])
def test_non_integers_are_refused(bad: object) -> None:
    with pytest.raises((DomainError, TypeError)):
        terbilang(bad)  # type: ignore[arg-type]


def _kwitansi(amount: int) -> KwitansiDoc:
    return KwitansiDoc(number="KPG-01-000007", issued_on=date(2026, 11, 21), place="Kupang",
                       buyer="Ibu Maria Seran", institution="Dinas Koperasi NTT",
                       amount=amount, purpose="Pembelian kain tenun",
                       booth_name="Festival UMKM Kupang 2026", receiver="Yohana")


@pytest.mark.parametrize(("amount", "words"), [
    (1_750_000, "Satu juta tujuh ratus lima puluh ribu rupiah"),
    (0, "Nol rupiah"),
    (11_000, "Sebelas ribu rupiah"),
    (1_000_000_000, "Satu miliar rupiah"),
])
def test_kwitansi_capitalises_only_the_first_letter(amount: int, words: str) -> None:
    assert _kwitansi(amount).amount_in_words == words


def test_kwitansi_refuses_an_impossible_amount() -> None:
    with pytest.raises(DomainError):
        _ = _kwitansi(-5).amount_in_words
