"""Reading tables from CSV or XLSX files as header + numbered rows of text.

Row numbers are the ones a person sees in a spreadsheet: the header is row 1.
Cell values come back as stripped strings; integral numbers from XLSX lose their ``.0``.
An XLSX cell that is no plain text or number (TRUE/FALSE, a date, a formula) comes back as a
:class:`Typed` string that says so, so a number column can refuse it instead of reading
``TRUE`` as 1 or a date as its serial number.

:func:`open_tables` streams (CSV line by line, XLSX through openpyxl's read-only mode), so a
file of a million rows never sits in memory; :func:`read_tables` reads it all into lists.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from pos_app.domain.errors import DomainError, cannot_read

_CHUNK = 1 << 20


class Typed(str):
    """A cell's text, from a cell that held a boolean, a date or a formula (``kind``)."""

    kind: str

    def __new__(cls, text: str, kind: str) -> Typed:
        cell = super().__new__(cls, text)
        cell.kind = kind
        return cell


@dataclass(frozen=True)
class Sheet:
    name: str | None  # None for CSV
    header: list[str]
    # (row number, column -> text): a list from read_tables, one pass from open_tables
    rows: Sequence[tuple[int, dict[str, str]]] | Iterator[tuple[int, dict[str, str]]]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return Typed("TRUE" if value else "FALSE", "boolean")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return Typed(str(value), "date")
    if hasattr(value, "is_integer") and value.is_integer():  # an integral float from Excel
        return str(int(value))
    if isinstance(value, str):
        text = value.strip()
        return Typed(text, "formula") if text.startswith("=") else text
    text = getattr(value, "text", None)  # openpyxl's ArrayFormula / DataTableFormula
    if isinstance(text, str):
        return Typed(text if text.startswith("=") else "=" + text, "formula")
    return str(value).strip()


def _plain(value: object) -> str:
    return "" if value is None else str(value).strip()


def _sheet(name: str | None, raw_rows: Iterator[Sequence[object]], cell) -> Sheet | None:
    """The first non-empty row is the header; rows keep the number they have in the file."""
    number = 0
    for raw in raw_rows:
        number += 1
        header = [cell(v).strip().lower() for v in raw]
        if any(header):
            return Sheet(name, header, _body(raw_rows, header, number, cell))
    return None


def _body(raw_rows: Iterator[Sequence[object]], header: list[str], number: int,
          cell) -> Iterator[tuple[int, dict[str, str]]]:
    width = len(header)
    for raw in raw_rows:
        number += 1
        values = [cell(v) for v in raw]
        if not any(values):
            continue
        values += [""] * (width - len(values))
        yield number, {h: values[i] for i, h in enumerate(header) if h}


def _encoding(path: Path) -> str:
    """UTF-8 (with or without the BOM Excel writes), else Windows-1252 (what Excel's plain
    "CSV" saves on an Indonesian or English Windows, Latin-1 included); a file that is
    neither is refused in one line (``import_not_utf8``). Checked a chunk at a time."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise DomainError("import_not_utf8", path=str(path))


def csv_text(path: Path) -> str:
    """A CSV file's whole text, in the encoding :func:`_encoding` finds."""
    return path.read_text(encoding=_encoding(path))


def _guarded(path: Path, rows: Iterable) -> Iterator:
    """``rows`` with a damaged file's errors turned into one translated line."""
    try:
        yield from rows
    except DomainError:
        raise
    except OSError as exc:
        raise cannot_read(path, exc) from exc
    except (csv.Error, ValueError, KeyError) as exc:
        raise DomainError("import_unreadable", path=str(path), reason=str(exc)) from exc
    except Exception as exc:  # openpyxl raises zipfile/xml errors for damaged files
        raise DomainError("import_unreadable", path=str(path), reason=type(exc).__name__) \
            from exc


@contextmanager
def open_tables(path: Path, *, formulas: bool = False) -> Iterator[list[Sheet]]:
    """The file's sheets with their headers read and their rows still to stream (each sheet's
    rows once, while the block is open). With ``formulas`` an XLSX formula comes back as
    its text (a :class:`Typed` ``formula``) instead of the value Excel last saved for it."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DomainError("import_unknown_format", path=str(path))
    with ExitStack() as stack:
        sheets = list(_guarded(path, _headers(path, suffix, formulas, stack)))
        yield [s for s in sheets if s]


def _headers(path: Path, suffix: str, formulas: bool, stack: ExitStack) -> Iterator[Sheet | None]:
    """Each sheet, its header read; the open file is closed by ``stack``."""
    if suffix == ".csv":
        fh = stack.enter_context(path.open(encoding=_encoding(path), newline=""))
        try:
            dialect = csv.Sniffer().sniff(fh.read(4096), delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        fh.seek(0)  # the decoder starts again: a BOM is skipped again
        yield _sheet(None, _guarded(path, csv.reader(fh, dialect)), _plain)
        return
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=not formulas)
    stack.callback(wb.close)
    for ws in wb.worksheets:
        yield _sheet(ws.title, _guarded(path, ws.iter_rows(values_only=True)), _cell)


def read_tables(path: Path) -> list[Sheet]:
    """Every sheet with its rows in a list (small files: a bank statement)."""
    with open_tables(path) as sheets:
        return [Sheet(s.name, s.header, list(s.rows)) for s in sheets]
