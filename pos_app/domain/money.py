"""Integer rupiah: the one formatter, the one parser, the one rounding rule, the one split.

Rupiah have no minor unit in practice, so every amount is a Python ``int``.
Fractions of a rupiah appear only inside a calculation and are rounded once, half up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from babel.numbers import format_currency, format_decimal

from pos_app.domain.errors import DomainError

Rupiah = int

# Far above any booth sale, far below SQL BIGINT (9.2e18): Rp 1 quadrillion.
MAX_AMOUNT: Rupiah = 10**15
MONEY_LOCALE = "id_ID"


def round_half_up(value: Fraction | int) -> int:
    """Round an exact value to whole rupiah, halves away from zero (the named rule)."""
    value = Fraction(value)
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    return sign * int(magnitude + Fraction(1, 2))


def check_amount(amount: object, code: str = "bad_amount") -> Rupiah:
    """Return ``amount`` if it is a whole, non-negative, bounded rupiah amount."""
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= MAX_AMOUNT:
        raise DomainError(code, amount=amount, max=format_rupiah(MAX_AMOUNT))
    return amount


def format_rupiah(amount: Rupiah) -> str:
    """``Rp10.000`` style, Indonesian grouping, no decimals."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"rupiah must be int, got {type(amount).__name__}")
    return format_currency(
        amount, "IDR", format="¤#,##0", locale=MONEY_LOCALE, currency_digits=False
    )


def format_number(amount: int | Decimal, decimals: int = 0) -> str:
    """``1.250.000``: the grouped figure without the currency sign; a ``Decimal`` keeps up to
    ``decimals`` decimals after a decimal comma (``400.400,35``)."""
    if decimals:
        return format_decimal(amount, format="#,##0." + "#" * decimals, locale=MONEY_LOCALE)
    return format_decimal(amount, locale=MONEY_LOCALE)


def format_percent(value: int | Fraction, *, basis_points: bool = True,
                   locale: str = MONEY_LOCALE) -> str:
    """The one percentage formatter (every PDF): ``4250`` basis points -> ``42,5 %``, with
    the locale's decimal comma and grouping, at most two decimals, no float on the way.
    ``basis_points=False`` takes a percentage (``Fraction(85, 2)`` -> ``42,5 %``)."""
    exact = Fraction(value) / 100 if basis_points else Fraction(value)
    hundredths = round_half_up(exact * 100)
    return f"{format_decimal(Decimal(hundredths) / 100, locale=locale)} %"


# Plain digits, or digits grouped by '.' in threes (Indonesian thousands); ASCII only.
RUPIAH_TEXT = re.compile(r"(?:\d+|\d{1,3}(?:\.\d{3})+)", re.ASCII)


def parse_rupiah(text: str) -> Rupiah:
    """Read what a cashier types: ``50000``, ``50.000``, ``Rp 50.000``. No decimals allowed:
    ``50.5`` or ``50000.0`` are refused rather than misread."""
    if not isinstance(text, str):
        raise TypeError(f"parse_rupiah reads text, got {type(text).__name__}")
    cleaned = re.sub(r"(?i)^\s*rp\.?", "", text).replace(" ", "").strip()
    digits = cleaned.replace(".", "").lstrip("0")
    # Past MAX_AMOUNT's length the number is refused unread (Python reads at most 4,300).
    if not RUPIAH_TEXT.fullmatch(cleaned) or len(digits) > len(str(MAX_AMOUNT)):
        raise DomainError("bad_amount", amount=text, max=format_rupiah(MAX_AMOUNT))
    return check_amount(int(digits or "0"))


def parse_percent(text: str | int | Fraction) -> Fraction:
    """A percentage as an exact fraction (``"12.5"`` -> 25/2), between 0 and 100."""
    try:
        value = Fraction(str(text).strip().replace(",", "."))
    except (ValueError, ZeroDivisionError):
        raise DomainError("bad_percent", value=text) from None
    if not 0 <= value <= 100:
        raise DomainError("bad_percent", value=text)
    return value


def allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """``amount`` spread over ``weights`` (non-negative integers) in proportion, exactly (the
    largest-remainder rule): floors first, then one rupiah each to the largest remainders,
    ties to the earlier weight. The shares add up to ``amount`` and each is within one rupiah
    of its exact share. All-zero weights put everything on the first; a negative amount is
    split the same way with the sign carried over."""
    if not weights:
        raise ValueError("nothing to allocate over")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    total = sum(weights)
    sign, amount = (-1, -amount) if amount < 0 else (1, amount)
    if total == 0:
        out = [0] * len(weights)
        out[0] = amount
        return [sign * x for x in out]
    floors = [amount * w // total for w in weights]
    rest = amount - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in order[:rest]:
        floors[i] += 1
    return [sign * x for x in floors]


# --- whole numbers people type: a quantity, a line number, pieces of a note, an index.
# Python refuses to read a number of more than 4,300 digits (``ValueError``), and one of
# thousands of digits cannot be shown back either: no limit in the app comes near
# MAX_DIGITS digits, so a longer number is refused here, before anything tries to read it.

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
