"""PPN per product: not charged, included in the price, or added on top.

The rate (12%) and the DPP rule (tax base = 11/12 of the price, so 11% effective) are settings.
Tax is computed exactly and rounded once per line, half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from pos_app.domain.errors import DomainError
from pos_app.domain.money import Rupiah, round_half_up


class TaxMode(StrEnum):
    NONE = "none"  # not charged: most facility products
    INCLUDED = "included"  # the price already contains PPN
    ADDED = "added"  # PPN is added on top of the price


@dataclass(frozen=True)
class TaxSettings:
    """PPN rate in percent and the fraction of the price that is the tax base (DPP)."""

    rate_percent: Fraction = Fraction(12)
    dpp_fraction: Fraction = Fraction(11, 12)

    def __post_init__(self) -> None:
        if not 0 <= self.rate_percent <= 100:
            raise DomainError("bad_tax_setting", key="ppn_rate", value=self.rate_percent)
        if not 0 < self.dpp_fraction <= 1:
            raise DomainError("bad_tax_setting", key="ppn_dpp", value=self.dpp_fraction)

    @property
    def effective(self) -> Fraction:
        """The share of the tax base that is tax: 12% x 11/12 = 11%."""
        return self.rate_percent / 100 * self.dpp_fraction

    @classmethod
    def parse(cls, rate: str, dpp: str) -> TaxSettings:
        try:
            return cls(Fraction(rate), Fraction(dpp))
        except (ValueError, ZeroDivisionError):
            raise DomainError("bad_tax_setting", key="ppn", value=f"{rate} / {dpp}") from None


def line_tax(net: Rupiah, mode: TaxMode, settings: TaxSettings) -> tuple[Rupiah, Rupiah]:
    """Return ``(tax, line_total)`` for a line whose price after discounts is ``net``."""
    eff = settings.effective
    if mode is TaxMode.ADDED:
        tax = round_half_up(net * eff)
        return tax, net + tax
    if mode is TaxMode.INCLUDED:
        return round_half_up(net * eff / (1 + eff)), net
    return 0, net
