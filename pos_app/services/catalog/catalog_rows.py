"""The rows of a catalog file, checked one by one: which table a sheet is (by its header),
each cell read as the column wants it (typed XLSX cells are no numbers), and every problem
kept as a row-numbered, column-named error (the first ``MAX_ERRORS`` listed, all counted).
:mod:`pos_app.services.catalog.catalog_import` streams the file through these twice: once to
check, once to write."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pos_app.adapters.tabular import Sheet, Typed
from pos_app.domain.cart import MAX_QTY
from pos_app.domain.errors import DomainError, ImportRejected, RowError
from pos_app.domain.money import MAX_AMOUNT, RUPIAH_TEXT
from pos_app.domain.settlement import PARTS, WHOLE, format_bp, parse_percent
from pos_app.domain.text import has_control
from pos_app.services.catalog.import_photos import photo_column
from pos_app.services.catalog.product_rules import (
    barcode_problem,
    clean_name,
    clean_sku,
    name_problem,
    sku_problem,
)

MAX_ERRORS = 100  # listed; the rest only counted


KINDS = ("Lapas", "Rutan", "Bapas", "LPKA")


TAX_MODES = ("none", "included", "added")


TRUE, FALSE = {"1", "y", "yes", "ya", "true", "aktif"}, {"0", "n", "no", "tidak", "false"}


SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


FACILITY_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


_INTEGER = re.compile(r"-?\d+", re.ASCII)


_PRICE = re.compile(r"-?" + RUPIAH_TEXT.pattern, re.ASCII)  # a sign only to say "out of range"


SHAPES = {  # table kind -> (required columns, optional columns)
    "facilities": ({"code", "name", "kind"}, {"region", *PARTS}),
    "categories": ({"code", "name"}, {"sort"}),
    "products": ({"sku", "name", "category", "facility", "price"},
                 {"barcode", "tax_mode", "active", "stock", "photo", "foto"}),
}


def kind_of(sheet: Sheet) -> str | None:
    cols = set(sheet.header)
    for kind in ("products", "facilities", "categories"):  # most specific first
        if SHAPES[kind][0] <= cols:
            return kind
    return None


class Rows:
    """Collects row errors while reading typed values out of one sheet."""

    def __init__(self, sheet: Sheet, errors: Errors) -> None:
        self.sheet, self.errors = sheet, errors

    def err(self, row: int, col: str, code: str, **params: object) -> None:
        self.errors.add(RowError(row, col, code, sheet=self.sheet.name, **params))

    def typed(self, row: int, values: dict[str, str], col: str, *, number: bool) -> bool:
        """Refuse a formula anywhere, and a TRUE/FALSE or date cell where a number goes: a
        spreadsheet's TRUE is no price of Rp1, nor a date its serial number."""
        cell = values.get(col)
        if isinstance(cell, Typed) and (number or cell.kind == "formula"):
            self.err(row, col, f"{cell.kind}_cell", value=str(cell))
            return True
        return False

    def text(self, row: int, values: dict[str, str], col: str, *, required: bool = False,
             max_len: int = 160) -> str:
        value = values.get(col, "").strip()
        if self.typed(row, values, col, number=False):
            pass
        elif required and not value:
            self.err(row, col, "required")
        elif has_control(value):
            self.err(row, col, "control_char")
        elif len(value) > max_len:
            self.err(row, col, "too_long", max=max_len)
        return value

    def checked(self, row: int, values: dict[str, str], col: str, clean, problem) -> str:
        """A product field cleaned and checked by the rules product-add uses too."""
        value = clean(values.get(col, ""))
        found = problem(value or None) if col == "barcode" else problem(value)
        if self.typed(row, values, col, number=False):
            pass
        elif found is not None:
            self.err(row, col, found.code, **found.params)
        return value

    def integer(self, row: int, values: dict[str, str], col: str, lo: int, hi: int,
                default: int | None = None) -> int | None:
        raw = values.get(col, "").strip()
        if self.typed(row, values, col, number=True):
            return None
        if raw == "":
            if default is None:
                self.err(row, col, "required")
            return default
        # Prices may be grouped the Indonesian way (12.500); a decimal part is refused.
        pattern = _PRICE if col == "price" else _INTEGER
        if not pattern.fullmatch(raw):
            self.err(row, col, "not_integer", value=raw)
            return None
        number = int(raw.replace(".", ""))
        if not lo <= number <= hi:
            self.err(row, col, "out_of_range", value=raw)
            return None
        return number

    def shares(self, row: int, values: dict[str, str]) -> dict[str, int]:
        """The four settlement percentages in basis points: all given and adding up to 100,
        or all blank (not set: zeros)."""
        if any([self.typed(row, values, part, number=True) for part in PARTS]):
            return {}
        raw = {part: values.get(part, "").strip() for part in PARTS}
        if not any(raw.values()):
            return {f"{part}_bp": 0 for part in PARTS}
        missing = [part for part in PARTS if not raw[part]]
        if missing:
            self.err(row, missing[0], "shares_incomplete")
            return {}
        out = {}
        for part in PARTS:
            try:
                out[f"{part}_bp"] = parse_percent(raw[part])
            except DomainError:
                self.err(row, part, "bad_share", value=raw[part])
        if len(out) == len(PARTS) and sum(out.values()) != WHOLE:
            self.err(row, "+".join(PARTS), "shares_total", total=format_bp(sum(out.values())))
        return out

    def choice(self, row: int, values: dict[str, str], col: str, choices: tuple[str, ...],
               default: str, fold=str.lower) -> str:
        raw = values.get(col, "").strip()
        if self.typed(row, values, col, number=False) or not raw:
            return default
        for c in choices:
            if fold(c) == fold(raw):
                return c
        self.err(row, col, "unknown_choice", choices=", ".join(choices), value=raw)
        return default


class Errors:
    """The row errors of one import: the first ``MAX_ERRORS`` kept, all of them counted (a
    million wrong rows must not fill the memory with a million messages)."""

    def __init__(self) -> None:
        self.kept: list[RowError] = []
        self.count = 0

    def add(self, error: RowError) -> None:
        self.count += 1
        if len(self.kept) < MAX_ERRORS:
            self.kept.append(error)

    def reject(self, path: Path) -> None:
        if self.count:
            raise ImportRejected(str(path), self.kept, count=self.count)


class Parse:
    """Turn each sheet's rows into column dicts for the models, noting errors as it goes."""

    @staticmethod
    def facilities(rows: Rows, facilities: dict, categories: dict) -> Iterator[tuple[int, dict]]:
        seen = set()
        with_shares = any(part in rows.sheet.header for part in PARTS)
        for n, v in rows.sheet.rows:
            code = rows.text(n, v, "code", required=True, max_len=32).upper()
            if code and not FACILITY_CODE.match(code):
                rows.err(n, "code", "unknown_choice", choices="A-Z 0-9 -", value=code)
            if code in seen:
                rows.err(n, "code", "duplicate", value=code)
            seen.add(code)
            yield n, {
                "code": code,
                "name": rows.text(n, v, "name", required=True),
                "kind": rows.choice(n, v, "kind", KINDS, "Lapas"),
                "region": rows.text(n, v, "region", max_len=80),
                "active": True,
                **(rows.shares(n, v) if with_shares else {}),
            }
            facilities.setdefault(code, None)

    @staticmethod
    def categories(rows: Rows, facilities: dict, categories: dict) -> Iterator[tuple[int, dict]]:
        seen = set()
        for n, v in rows.sheet.rows:
            code = rows.text(n, v, "code", required=True, max_len=32).lower()
            if code and not SLUG.match(code):
                rows.err(n, "code", "unknown_choice", choices="a-z 0-9 - _", value=code)
            if code in seen:
                rows.err(n, "code", "duplicate", value=code)
            seen.add(code)
            yield n, {"code": code, "name": rows.text(n, v, "name", required=True, max_len=80),
                      "sort": rows.integer(n, v, "sort", 0, 10**6, default=0)}
            categories.setdefault(code, None)

    @staticmethod
    def products(rows: Rows, facilities: dict, categories: dict) -> Iterator[tuple[int, dict]]:
        seen_sku, seen_barcode = set(), set()
        photo = photo_column(rows.sheet)  # a picture file's name: import_photos checks it
        for n, v in rows.sheet.rows:
            sku = rows.checked(n, v, "sku", clean_sku, sku_problem)
            if sku and sku in seen_sku:
                rows.err(n, "sku", "duplicate", value=sku)
            seen_sku.add(sku)
            barcode = rows.checked(n, v, "barcode", str.strip, barcode_problem) or None
            if barcode is not None and barcode in seen_barcode:
                rows.err(n, "barcode", "duplicate", value=barcode)
            seen_barcode.add(barcode)
            category = rows.text(n, v, "category", required=True, max_len=32).lower()
            if category and not SLUG.match(category):
                rows.err(n, "category", "unknown_choice", choices="a-z 0-9 - _", value=category)
            facility = rows.text(n, v, "facility", required=True, max_len=32).upper()
            if facility and facility not in facilities:
                rows.err(n, "facility", "unknown_facility", value=facility)
            active = v.get("active", "").strip().lower()
            if rows.typed(n, v, "active", number=False):
                active = ""
            elif active and active not in TRUE | FALSE:
                rows.err(n, "active", "unknown_choice", choices="1, 0", value=active)
            yield n, {
                "sku": sku, "barcode": barcode,
                "name": rows.checked(n, v, "name", clean_name, name_problem),
                "category": category, "facility": facility,
                "price": rows.integer(n, v, "price", 0, MAX_AMOUNT),
                "tax_mode": rows.choice(n, v, "tax_mode", TAX_MODES, "none"),
                "active": active not in FALSE,
                "stock": rows.integer(n, v, "stock", 0, MAX_QTY, default=0),
                "photo": rows.text(n, v, photo, max_len=255) if photo else "",
            }
