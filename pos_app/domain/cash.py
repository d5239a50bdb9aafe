"""Counting the cash drawer in rupiah notes and coins.

A count is ``{denomination: pieces}``; the Rp1.000 note and the Rp1.000 coin share one key
(the till does not care which it is). Everything is whole rupiah.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pos_app.domain.errors import DomainError
from pos_app.domain.money import MAX_AMOUNT, Rupiah, format_rupiah, whole_number

NOTES: tuple[Rupiah, ...] = (100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000)
COINS: tuple[Rupiah, ...] = (1_000, 500, 200, 100)
# Largest first: the order of a count sheet and of the Z report.
DENOMINATIONS: tuple[Rupiah, ...] = tuple(sorted(set(NOTES) | set(COINS), reverse=True))
MAX_PIECES = 1_000_000

Count = dict[Rupiah, int]

_ARG = re.compile(r"\s*(?:rp\.?\s*)?(\d{1,3}(?:\.\d{3})+|\d+)\s*[=x:]\s*(-?\d+)\s*",
                  re.ASCII | re.IGNORECASE)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_count(count: Mapping[int, int]) -> Count:
    """A validated copy of ``count``, largest denomination first, zero-piece entries dropped.

    Raises ``bad_denomination`` for anything that is not a rupiah note or coin, and for a
    negative (or absurd) number of pieces.
    """
    out: Count = {}
    for denomination, pieces in count.items():
        if not _whole(denomination) or denomination not in DENOMINATIONS:
            raise DomainError("bad_denomination", value=denomination)
        if not _whole(pieces) or not 0 <= pieces <= MAX_PIECES:
            raise DomainError("bad_denomination", value=f"{denomination}={pieces}")
        if pieces:
            out[denomination] = out.get(denomination, 0) + pieces
    total = count_total(out)
    if total > MAX_AMOUNT:
        raise DomainError("bad_amount", amount=total, max=format_rupiah(MAX_AMOUNT))
    return {d: out[d] for d in DENOMINATIONS if d in out}


def count_total(count: Mapping[int, int]) -> Rupiah:
    """The rupiah a count adds up to."""
    return sum(denomination * pieces for denomination, pieces in count.items())


def breakdown(count: Mapping[int, int]) -> list[tuple[Rupiah, int, Rupiah]]:
    """(denomination, pieces, subtotal) lines, largest first, for a count sheet."""
    return [(d, count[d], d * count[d]) for d in DENOMINATIONS if count.get(d)]


def parse_count_arg(text: str) -> tuple[Rupiah, int]:
    """``100000=3``, ``100.000=3`` or ``Rp500x4``: one denomination and its pieces."""
    match = _ARG.fullmatch(text)
    if not match:
        raise DomainError("bad_denomination", value=text)
    denomination = whole_number(match[1].replace(".", ""))
    pieces = whole_number(match[2])
    check_count({denomination: pieces})
    return denomination, pieces


def parse_count(args: list[str] | tuple[str, ...]) -> Count:
    """A whole count from ``DENOMINATION=PIECES`` arguments (repeats add up)."""
    count: Count = {}
    for arg in args:
        denomination, pieces = parse_count_arg(arg)
        count[denomination] = count.get(denomination, 0) + pieces
    return check_count(count)


def count_to_json(count: Mapping[int, int]) -> dict[str, int]:
    """JSON keys are strings: ``{"100000": 3}``."""
    return {str(d): p for d, p in count.items()}


def count_from_json(data: Mapping[str, int] | None) -> Count:
    return {int(d): int(p) for d, p in (data or {}).items()}
