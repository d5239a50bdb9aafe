"""Splitting a facility's net proceeds into PNBP (state revenue), premi (the makers' wages),
modal (production cost) and program by the facility's percentages, to the rupiah.

Percentages are kept in basis points (1/100 of a percent) and must add up to 100 %. The
rule for the rounding remainder, printed on every statement: each part first gets the whole
rupiah below its exact share; the rupiah left over go one each to the parts with the largest
fractions cut off, and among equal fractions in the order PNBP, premi, modal, program. The
parts therefore always add up exactly to the net. A negative net (more refunded than sold)
is split the same way with the sign carried over.

The largest-remainder rule itself is ``money.allocate`` (also used to say how much of a
split payment belongs to each facility's lines).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pos_app.domain.errors import DomainError
from pos_app.domain.money import allocate

PARTS = ("pnbp", "premi", "modal", "program")
WHOLE = 10_000  # basis points in 100 %
REMAINDER_RULE = ("whole rupiah below each exact share first; the rupiah left over go one "
                  "each to the largest fractions, ties in the order PNBP, premi, modal, program")


@dataclass(frozen=True)
class Shares:
    """A facility's percentages, in basis points (4000 = 40 %)."""

    pnbp: int = 0
    premi: int = 0
    modal: int = 0
    program: int = 0

    @property
    def is_set(self) -> bool:
        return any(self.as_dict().values())

    def as_dict(self) -> dict[str, int]:
        return {part: getattr(self, part) for part in PARTS}

    def check(self) -> Shares:
        values = self.as_dict()
        if any(isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= WHOLE
               for v in values.values()) or sum(values.values()) != WHOLE:
            raise DomainError("bad_shares", total=format_bp(sum(
                v for v in values.values() if isinstance(v, int))))
        return self


def parse_percent(text: str) -> int:
    """``"37.5"`` / ``"37,5"`` / ``"40"`` -> basis points; at most two decimals."""
    value = (text or "").strip().replace(",", ".")
    whole, _, frac = value.partition(".")
    if not re.fullmatch(r"\d{1,18}", whole, re.ASCII) \
            or (frac and not re.fullmatch(r"\d{1,2}", frac, re.ASCII)):
        raise DomainError("bad_percent", value=text)
    bp = int(whole) * 100 + int((frac or "0").ljust(2, "0"))
    if bp > WHOLE:
        raise DomainError("bad_percent", value=text)
    return bp


def format_bp(bp: int) -> str:
    """Basis points as a percentage: 4000 -> "40", 3750 -> "37.5", 1234 -> "12.34"."""
    whole, frac = divmod(abs(bp), 100)
    sign = "-" if bp < 0 else ""
    return f"{sign}{whole}" if not frac else f"{sign}{whole}.{frac:02d}".rstrip("0")


def split(net: int, shares: Shares | Mapping[str, int]) -> dict[str, int]:
    """The net in rupiah per part; the parts add up to ``net`` exactly."""
    values = shares.as_dict() if isinstance(shares, Shares) else dict(shares)
    Shares(**values).check()
    parts = allocate(net, [values[p] for p in PARTS])
    return dict(zip(PARTS, parts, strict=True))
