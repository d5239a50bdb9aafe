"""PPN per product: not charged, included, or added; 12% on a DPP of 11/12, rounded half up."""

from __future__ import annotations

from fractions import Fraction

import pytest

from pos_app.domain.errors import DomainError
from pos_app.domain.tax import TaxMode, TaxSettings, line_tax

PPN = TaxSettings()


def test_default_settings_are_12_percent_on_11_12() -> None:
    assert PPN.rate_percent == 12
    assert PPN.dpp_fraction == Fraction(11, 12)
    assert PPN.effective == Fraction(11, 100)


@pytest.mark.parametrize(
    ("mode", "net", "tax", "total"),
    [
        (TaxMode.ADDED, 100_000, 11_000, 111_000),
        (TaxMode.INCLUDED, 111_000, 11_000, 111_000),
        (TaxMode.NONE, 100_000, 0, 100_000),
        (TaxMode.ADDED, 45_000, 4_950, 49_950),
        (TaxMode.ADDED, 50, 6, 56),  # 5,5 -> 6 (half up)
        (TaxMode.ADDED, 150, 17, 167),  # 16,5 -> 17
        (TaxMode.ADDED, 49, 5, 54),  # 5,39 -> 5
        (TaxMode.ADDED, 55, 6, 61),  # 6,05 -> 6
        (TaxMode.INCLUDED, 1_000, 99, 1_000),  # 99,099 -> 99
        (TaxMode.INCLUDED, 85_000, 8_423, 85_000),  # 8.423,42 -> 8.423
        (TaxMode.INCLUDED, 170_000, 16_847, 170_000),  # 16.846,85 -> 16.847
        (TaxMode.INCLUDED, 0, 0, 0),
        (TaxMode.ADDED, 0, 0, 0),
    ],
)
def test_line_tax(mode: TaxMode, net: int, tax: int, total: int) -> None:
    assert line_tax(net, mode, PPN) == (tax, total)


def test_other_rate_and_dpp() -> None:
    ten_full = TaxSettings(Fraction(10), Fraction(1))
    assert line_tax(100_000, TaxMode.ADDED, ten_full) == (10_000, 110_000)
    assert line_tax(110_000, TaxMode.INCLUDED, ten_full) == (10_000, 110_000)


def test_parse_settings() -> None:
    assert TaxSettings.parse("12", "11/12") == PPN
    assert TaxSettings.parse("11", "1").effective == Fraction(11, 100)
    assert TaxSettings.parse("12.5", "1").rate_percent == Fraction(25, 2)


@pytest.mark.parametrize(
    ("rate", "dpp", "key"),
    [
        ("abc", "1", "ppn"),
        ("12", "x", "ppn"),
        ("12", "1/0", "ppn"),
        ("150", "1", "ppn_rate"),
        ("-1", "1", "ppn_rate"),
        ("12", "0", "ppn_dpp"),
        ("12", "3/2", "ppn_dpp"),
    ],
)
def test_parse_refuses_bad_settings(rate: str, dpp: str, key: str) -> None:
    with pytest.raises(DomainError) as exc:
        TaxSettings.parse(rate, dpp)
    assert exc.value.code == "bad_tax_setting"
    assert exc.value.params["key"] == key


def test_tax_mode_values() -> None:
    assert [m.value for m in TaxMode] == ["none", "included", "added"]
    assert TaxMode("included") is TaxMode.INCLUDED
