"""Whole numbers people type: a quantity, a line number, pieces of a note, an index.

Python refuses to read a number of more than 4,300 digits (``ValueError``), and a number of
thousands of digits cannot be shown back either. No limit in the app comes near
:data:`MAX_DIGITS` digits, so a longer number is refused here, in one translated line,
before anything tries to read it.
"""

from __future__ import annotations

import re

from pos_app.domain.errors import DomainError

# Every limit (Rp1 quadrillion, quantities, pieces) is far below 10**18; SQL BIGINT is 9.2e18.
MAX_DIGITS = 18

_WHOLE = re.compile(r"\s*(-?)0*(\d+)\s*", re.ASCII)


def is_whole(text: str, *, signed: bool = True) -> bool:
    """Does ``text`` spell a whole number in ASCII digits (a leading minus if ``signed``),
    spaces around allowed? (It may still be too long for :func:`whole_number`.)"""
    match = _WHOLE.fullmatch(text)
    return match is not None and (signed or not match[1])


def whole_number(text: str, *, signed: bool = True) -> int:
    """The whole number ``text`` spells (see :func:`is_whole`, which the caller checks
    first). More than :data:`MAX_DIGITS` digits, leading zeros aside, is ``number_too_long``
    naming ``text``."""
    match = _WHOLE.fullmatch(text)
    if match is None or (match[1] and not signed):
        raise ValueError(f"not a whole number: {text!r}")
    if len(match[2]) > MAX_DIGITS:
        raise DomainError("number_too_long", value=text.strip(), digits=MAX_DIGITS)
    return int(match[1] + match[2])


__all__ = ["MAX_DIGITS", "is_whole", "whole_number"]
