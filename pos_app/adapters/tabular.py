"""Reading tables from CSV or XLSX files as header + numbered rows of text.

Row numbers are the ones a person sees in a spreadsheet: the header is row 1.
Cell values come back as stripped strings; integral numbers from XLSX lose their ``.0``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pos_app.domain.errors import DomainError, cannot_read


@dataclass(frozen=True)
class Sheet:
    name: str | None  # None for CSV
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if hasattr(value, "is_integer") and value.is_integer():  # an integral float from Excel
        return str(int(value))
    return str(value).strip()


def _sheet(name: str | None, raw_rows: list[list[object]]) -> Sheet | None:
    """The first non-empty row is the header; rows keep the number they have in the file."""
    rows = [[_cell(v) for v in r] for r in raw_rows]
    start = next((i for i, r in enumerate(rows) if any(r)), None)
    if start is None:
        return None
    header = [h.strip().lower() for h in rows[start]]
    body = []
    for index in range(start + 1, len(rows)):
        values = rows[index]
        if not any(values):
            continue
        padded = values + [""] * (len(header) - len(values))
        body.append((index + 1, {h: padded[i] for i, h in enumerate(header) if h}))
    return Sheet(name, header, body)


def csv_text(path: Path) -> str:
    """A CSV file's text: UTF-8 (with or without the BOM Excel writes), else Windows-1252 (what
    Excel's plain "CSV" saves on an Indonesian or English Windows, Latin-1 included); a file
    that is neither is refused in one line (``import_not_utf8``)."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError("import_not_utf8", path=str(path))


def read_tables(path: Path) -> list[Sheet]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            text = csv_text(path)
            try:
                dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            sheet = _sheet(None, list(csv.reader(io.StringIO(text, newline=""), dialect)))
            return [sheet] if sheet else []
        if suffix == ".xlsx":
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True, data_only=True)
            try:
                sheets = [_sheet(ws.title, [list(r) for r in ws.iter_rows(values_only=True)])
                          for ws in wb.worksheets]
            finally:
                wb.close()
            return [s for s in sheets if s]
    except DomainError:
        raise
    except OSError as exc:
        raise cannot_read(path, exc) from exc
    except (csv.Error, ValueError, KeyError) as exc:
        raise DomainError("import_unreadable", path=str(path), reason=str(exc)) from exc
    except Exception as exc:  # openpyxl raises zipfile/xml errors for damaged files
        raise DomainError("import_unreadable", path=str(path), reason=type(exc).__name__) from exc
    raise DomainError("import_unknown_format", path=str(path))
