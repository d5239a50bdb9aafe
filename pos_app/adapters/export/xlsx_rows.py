"""Many rows of a constant-memory XlsxWriter worksheet written in one go.

XlsxWriter serializes each cell through several method calls (about 4-6 microseconds a cell
on the booth laptop), which makes a 250,000-line sheet take longer than the whole export
may. :class:`BulkWorksheet` writes the same ``<row>``/``<c>`` XML that XlsxWriter writes in
constant-memory mode for cells without a format of their own (the column's format applies):
numbers, inline strings (escaped exactly as XlsxWriter escapes them), booleans and dates as
serial numbers, a whole chunk of rows per write. The rest of the workbook (styles, columns,
the sheet around the data, the zip) is XlsxWriter's own.

It relies on a few XlsxWriter 3.x internals (the row-data file handle, the pending row, the
dimensions); :func:`bulk_sheet_class` returns None when they are not there, and the caller
then writes with ``write_row``. The tests read both back and compare every cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

NEEDS_ESCAPING = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
INTERNALS = ("fh", "previous_row", "constant_memory", "date_1904", "remove_timezone",
             "_write_single_row", "_check_dimensions", "_escape_control_characters",
             "_escape_data")

Encoder = Callable[[str, object], str]


def bulk_sheet_class():
    """The worksheet class to use, or None to write cell by cell."""
    try:
        import xlsxwriter
        from xlsxwriter.utility import _datetime_to_excel_datetime, _preserve_whitespace
        from xlsxwriter.worksheet import Worksheet
    except ImportError:
        return None
    if not xlsxwriter.__version__.startswith("3."):
        return None
    probe = Worksheet()
    if not all(hasattr(probe, name) or hasattr(Worksheet, name) for name in INTERNALS):
        return None

    class BulkWorksheet(Worksheet):
        def write_rows(self, first_row: int, rows: Sequence[Sequence], kinds: Sequence[str],
                       formats: Sequence) -> None:
            """Rows ``first_row``, ``first_row + 1``, ...: values of the given column kinds
            (None: no cell), each column with its (column) format."""
            if not rows:
                return
            if not self.constant_memory or first_row < self.previous_row:
                raise ValueError("rows must come in order, in constant-memory mode")
            if first_row > self.previous_row:  # the pending row (the header) goes out first
                self._write_single_row(first_row)
            cols = [(f"{_col_name(i)}", _encoder(self, kind, fmt))
                    for i, (kind, fmt) in enumerate(zip(kinds, formats, strict=True))]
            out = []
            for n, row in enumerate(rows, first_row + 1):
                r = str(n)
                cells = "".join([enc(col + r, v) for (col, enc), v in zip(cols, row, strict=True)
                                 if v is not None])
                out.append(f'<row r="{r}">{cells}</row>')
            self.fh.write("".join(out))
            last = first_row + len(rows) - 1
            self._check_dimensions(last, len(kinds) - 1)
            self.previous_row = last + 1  # nothing pending; earlier rows are closed

    def _encoder(sheet, kind: str, fmt) -> Encoder:
        style = f' s="{fmt._get_xf_index()}"' if fmt is not None else ""
        if kind in ("int", "money"):
            return lambda ref, v: f'<c r="{ref}"{style}><v>{v}</v></c>'
        if kind == "percent":
            return lambda ref, v: f'<c r="{ref}"{style}><v>{v:.16G}</v></c>'
        if kind == "bool":
            return lambda ref, v: f'<c r="{ref}"{style} t="b"><v>{1 if v else 0}</v></c>'
        if kind in ("date", "datetime"):
            d1904, no_tz = sheet.date_1904, sheet.remove_timezone

            def date_cell(ref: str, v) -> str:
                serial = _datetime_to_excel_datetime(v, d1904, no_tz)
                return f'<c r="{ref}"{style}><v>{serial:.16G}</v></c>'
            return date_cell

        def text_cell(ref: str, v) -> str:
            text = v if isinstance(v, str) else str(v)
            if not text:
                return ""  # XlsxWriter writes no cell for an empty string either
            preserve = ""
            if NEEDS_ESCAPING.search(text):
                text = sheet._escape_control_characters(text)
                if _preserve_whitespace(text):
                    preserve = ' xml:space="preserve"'
                text = sheet._escape_data(text)
            return f'<c r="{ref}"{style} t="inlineStr"><is><t{preserve}>{text}</t></is></c>'
        return text_cell

    return BulkWorksheet


def _col_name(index: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(index)
