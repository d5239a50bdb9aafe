"""Writing an on-hand list (what the stock screen shows) to a CSV or XLSX file.

Columns, in this order (one row per product; money in whole rupiah, quantities in units):

=============  =============================================================
sku            the product's SKU
barcode        its EAN-13 (empty when it has none)
name           product name
category       category name
facility_code  the facility that made it (e.g. ``LP-KPG``)
facility_name  its full name
price          unit price, rupiah
on_hand        units at the booth (may be negative before a count)
value          on_hand × price, rupiah
low            1 when at or below the low-stock level, else 0
=============  =============================================================

CSV is UTF-8 with a byte-order mark (for Excel), comma-separated, with a header row; text
that a spreadsheet would take for a formula gets a leading ``'`` (the pack's rule). XLSX has one
sheet ``on_hand`` with the same header, numbers as numbers. The file is written under a
temporary name next to the target and renamed into place, so a half-written file never
carries the real name.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from pos_app.domain.errors import DomainError
from pos_app.services.stock.stock import OnHandRow

COLUMNS = ("sku", "barcode", "name", "category", "facility_code", "facility_name", "price",
           "on_hand", "value", "low")
FORMATS = (".csv", ".xlsx")


def row_values(row: OnHandRow) -> tuple[str | int, ...]:
    """One product as the exported columns (integers stay integers)."""
    return (row.sku, row.barcode or "", row.name, row.category, row.facility_code,
            row.facility_name, row.price, row.on_hand, row.value, 1 if row.low else 0)


def _write_csv(rows: Iterable[OnHandRow], tmp: Path) -> None:
    from pos_app.adapters.export.csv_pack import open_csv, safe_text

    with open_csv(tmp) as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows([safe_text(v) for v in row_values(row)] for row in rows)


def _write_xlsx(rows: Iterable[OnHandRow], tmp: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("on_hand")
    sheet.append(list(COLUMNS))

    def cell(value):
        if not isinstance(value, str):
            return value
        text = WriteOnlyCell(sheet, value=value)
        text.data_type = "s"  # a name starting with "=" is words, never a formula
        return text

    for row in rows:
        sheet.append([cell(v) for v in row_values(row)])
    book.save(tmp)


def export_on_hand(rows: Sequence[OnHandRow], path: Path | str) -> Path:
    """Write ``rows`` to ``path``; the format follows its suffix (.csv or .xlsx)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise DomainError("import_unknown_format", path=str(path))
    from pos_app.services.stock.stock_print import write_atomically

    return write_atomically(path, lambda tmp: (_write_csv if suffix == ".csv"
                                               else _write_xlsx)(rows, tmp))
