"""The pack's tables as CSV files: UTF-8 with a byte-order mark (so Excel reads ``— × É ñ``
right), a header row, one file per table, written a chunk of rows at a time.

Text that a spreadsheet would take for a formula (a cell starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return: the OWASP CSV-injection rule) is written with a leading
``'``, so ``=HYPERLINK(...)`` stays the words it was typed as; numbers are never touched
(``-45000`` stays a number). :func:`safe_text` is that one rule, for every CSV writer.

Money and counts are plain integers; dates are ISO (``2026-11-21``), local times ISO 8601
with their UTC offset (``2026-11-21T19:30:05+08:00``), booleans ``true``/``false``,
percentages like ``37.5``; an empty cell is a missing value.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from pos_app.domain.settlement import format_bp

Spec = tuple[str, Sequence[tuple[str, str, int]]]

ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark; readers use utf-8-sig too
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """``value`` as a CSV cell no spreadsheet runs: text starting like a formula gets a
    leading ``'``; anything that is not text (an int, None) comes back as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def open_csv(path: Path | str) -> TextIO:
    """A CSV file opened for writing the way every CSV of the app is written."""
    return Path(path).open("w", newline="", encoding=ENCODING)


def _datetime(v):
    return v.isoformat(timespec="seconds") if v is not None else None


def _bool(v):
    return None if v is None else ("true" if v else "false")


def _percent(v):
    return None if v is None else format_bp(v)


CONVERT: dict[str, Callable] = {"datetime": _datetime, "bool": _bool, "percent": _percent,
                                "text": safe_text}


class CsvTables:
    """One CSV file per table in ``folder`` (``<table>.csv``)."""

    def __init__(self, folder: Path | str, specs: Sequence[Spec]) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, tuple] = {}
        try:
            for name, columns in specs:
                fh = open_csv(self.folder / f"{name}.csv")
                writer = csv.writer(fh)
                writer.writerow([safe_text(c[0]) for c in columns])
                convert = tuple((i, CONVERT[c[1]]) for i, c in enumerate(columns)
                                if c[1] in CONVERT)
                self._files[name] = (fh, writer, convert)
        except BaseException:
            self.discard()
            raise

    def rows(self, name: str, rows: Sequence[Sequence]) -> None:
        _fh, writer, convert = self._files[name]
        if convert:
            rows = [_converted(row, convert) for row in rows]
        writer.writerows(rows)

    def close(self) -> None:
        files, self._files = self._files, {}
        for fh, _w, _c in files.values():
            fh.close()

    def discard(self) -> None:
        files, self._files = self._files, {}
        for fh, _w, _c in files.values():
            try:
                fh.close()
            except OSError:
                pass


def _converted(row: Sequence, convert) -> list:
    out = list(row)
    for i, fn in convert:
        out[i] = fn(out[i])
    return out
