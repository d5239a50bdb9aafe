"""The rules a product's own fields obey, whichever way it enters: typed in (``product-add``,
the stock screen), imported from CSV/XLSX, or published to head office's catalog.

Each check returns the problem as a row-error code (see ``ROW_MESSAGES``) with its
parameters, or None: an import reports it against the row and column, product-add turns it
into its one-line refusal. So a SKU one path refuses, the other refuses too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stdnum import ean

from pos_app.domain.money import MAX_AMOUNT
from pos_app.domain.text import has_control

NAME_MAX = 160
SKU_MAX = 32
SKU = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,31}", re.ASCII)
SKU_CHARS = "A-Z 0-9 - _"
_SPACES = re.compile(" {2,}")


@dataclass(frozen=True)
class Problem:
    """One field's problem: ``code`` is a row-error code, ``params`` fill its message."""

    field: str
    code: str
    params: dict[str, object] = field(default_factory=dict)


def clean_sku(raw: str) -> str:
    """A SKU as stored: trimmed and in capitals."""
    return raw.strip().upper()


def clean_name(raw: str) -> str:
    """A product name as stored: ends trimmed, runs of spaces made one. A tab or a line
    break inside is left for :func:`name_problem` to refuse, not quietly made a space."""
    return _SPACES.sub(" ", raw.strip())


def sku_problem(sku: str) -> Problem | None:
    """A cleaned SKU: required, no control characters, at most 32 of A-Z 0-9 - _ (not
    starting with - or _)."""
    if not sku:
        return Problem("sku", "required")
    if has_control(sku):
        return Problem("sku", "control_char")
    if len(sku) > SKU_MAX:
        return Problem("sku", "too_long", {"max": SKU_MAX})
    if not SKU.fullmatch(sku):
        return Problem("sku", "unknown_choice", {"choices": SKU_CHARS, "value": sku})
    return None


def name_problem(name: str) -> Problem | None:
    """A cleaned product name: required, no control characters, at most 160 characters."""
    if not name:
        return Problem("name", "required")
    if has_control(name):
        return Problem("name", "control_char")
    if len(name) > NAME_MAX:
        return Problem("name", "too_long", {"max": NAME_MAX})
    return None


def barcode_problem(barcode: str | None) -> Problem | None:
    """A barcode, if given: ASCII digits forming a valid EAN-13, EAN-8 or UPC."""
    if barcode is None:
        return None
    if not (barcode.isascii() and barcode.isdigit() and ean.is_valid(barcode)):
        shown = barcode if not has_control(barcode) else barcode.encode("unicode_escape").decode()
        return Problem("barcode", "bad_barcode", {"value": shown})
    return None


def price_problem(price: object) -> Problem | None:
    """A price: a whole number of rupiah (not a boolean) from 0 to the largest amount."""
    if isinstance(price, bool) or not isinstance(price, int):
        return Problem("price", "not_integer", {"value": str(price)})
    if not 0 <= price <= MAX_AMOUNT:
        return Problem("price", "out_of_range", {"value": str(price)})
    return None


def product_problems(*, sku: str, name: str, barcode: str | None,
                     price: object) -> list[Problem]:
    """Every problem of a product's own fields (already cleaned), in column order."""
    found = (sku_problem(sku), barcode_problem(barcode), name_problem(name),
             price_problem(price))
    return [p for p in found if p is not None]


__all__ = ["NAME_MAX", "SKU", "SKU_MAX", "Problem", "barcode_problem", "clean_name",
           "clean_sku", "name_problem", "price_problem", "product_problems", "sku_problem"]
