"""The pack's XLSX workbook, written row by row with XlsxWriter in constant-memory mode.

Sheets are declared up front (name and columns with their type) and filled a chunk of rows
at a time, in any interleaving of sheets. Money is written as integer numbers with a rupiah
number format, dates and local times as real dates; formats sit on the columns, so a row is
one ``write_row`` call. :class:`XlsxProcess` runs the same writer in a child process fed
through a pipe, so the workbook (the slowest part of a big export) is written on a second
core while the caller streams the database and writes the CSV files and the PDF.

Only plain values cross this module's edge: ``specs`` are ``(sheet, [(column, kind,
width)])`` tuples and rows are tuples of str, int, bool, date, aware datetime or None.
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path

from pos_app.adapters.export.xlsx_rows import bulk_sheet_class

Spec = tuple[str, Sequence[tuple[str, str, int]]]

MONEY_FORMAT = '"Rp"#,##0;-"Rp"#,##0'
FORMATS = {"money": MONEY_FORMAT, "int": "0", "date": "yyyy-mm-dd",
           "datetime": "yyyy-mm-dd hh:mm:ss", "percent": "0.00"}
WIDTHS = {"money": 14, "int": 8, "date": 11, "datetime": 19, "bool": 9, "percent": 9,
          "text": 14}


class XlsxBook:
    """One workbook being written. ``rows`` appends to a sheet; ``close`` finishes the file
    (autofilters, then the zip). Nothing is held in memory beyond the current rows."""

    def __init__(self, path: Path | str, specs: Sequence[Spec], *, bulk: bool = True) -> None:
        import xlsxwriter

        # XlsxWriter's temporary row files go next to the workbook: a failed export's
        # folder is removed with everything in it.
        self._book = xlsxwriter.Workbook(str(path), {
            "constant_memory": True, "remove_timezone": True, "strings_to_formulas": False,
            "strings_to_urls": False, "strings_to_numbers": False,
            "tmpdir": str(Path(path).parent)})
        head = self._book.add_format({"bold": True, "bottom": 1, "bg_color": "#E4E4E4"})
        self._note = self._book.add_format({"italic": True, "font_color": "#444444"})
        formats = {kind: self._book.add_format({"num_format": f}) for kind, f in FORMATS.items()}
        sheet_class = bulk_sheet_class() if bulk else None
        self._sheets: dict[str, _Sheet] = {}
        for name, columns in specs:
            ws = self._book.add_worksheet(name, worksheet_class=sheet_class)
            for i, (_col, kind, width) in enumerate(columns):
                ws.set_column(i, i, width or WIDTHS[kind], formats.get(kind))
            ws.write_row(0, 0, [c[0] for c in columns], head)
            ws.freeze_panes(1, 0)
            self._sheets[name] = _Sheet(ws, [c[1] for c in columns],
                                        [formats.get(c[1]) for c in columns])

    def rows(self, name: str, rows: Sequence[Sequence]) -> None:
        sheet = self._sheets[name]
        if sheet.percent:  # basis points -> a percentage figure (small tables only)
            rows = [tuple(v / 100 if i in sheet.percent and v is not None else v
                          for i, v in enumerate(row)) for row in rows]
        ws, r = sheet.ws, sheet.next_row
        if hasattr(ws, "write_rows"):
            ws.write_rows(r, rows, sheet.kinds, sheet.formats)
        else:
            write = ws.write_row
            for i, row in enumerate(rows):
                write(r + i, 0, row)
        sheet.next_row = sheet.end = r + len(rows)

    def note(self, name: str, text: str) -> None:
        """A line of text two rows under the sheet's table (e.g. the remainder rule)."""
        sheet = self._sheets[name]
        sheet.ws.write_string(sheet.next_row + 1, 0, text, self._note)
        sheet.next_row += 2

    def close(self) -> None:
        for sheet in self._sheets.values():
            sheet.ws.autofilter(0, 0, max(sheet.end - 1, 1), len(sheet.kinds) - 1)
        self._book.close()

    def discard(self) -> None:
        """Give up: close the temporary row files without assembling the workbook (the
        caller removes the folder)."""
        for sheet in self._sheets.values():
            handle = getattr(sheet.ws, "row_data_fh", None)
            if handle is not None and not handle.closed:
                handle.close()
        self._sheets = {}


class _Sheet:
    def __init__(self, ws, kinds: list[str], formats: list) -> None:
        self.ws, self.kinds, self.formats = ws, kinds, formats
        self.percent = frozenset(i for i, k in enumerate(kinds) if k == "percent")
        self.next_row = self.end = 1


def _serve(inp, out) -> int:
    """The child process: build the workbook from the pickled messages on ``inp``; answer
    on ``out`` when it is done (or what went wrong)."""
    book = None
    try:
        msg = pickle.load(inp)
        book = XlsxBook(msg[1], msg[2])
        while True:
            msg = pickle.load(inp)
            if msg[0] == "rows":
                book.rows(msg[1], msg[2])
            elif msg[0] == "note":
                book.note(msg[1], msg[2])
            elif msg[0] == "close":
                book.close()
                book = None
                answer: tuple = ("done", None, None)
                break
    except EOFError:  # the parent gave up (or went away): no workbook
        return 1
    except OSError as exc:
        answer = ("oserror", exc.errno, exc.strerror or str(exc))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        answer = ("error", type(exc).__name__, traceback.format_exc(limit=5))
    finally:
        if book is not None:
            book.discard()
    pickle.dump(answer, out)
    out.flush()
    return 0


class XlsxProcess:
    """:class:`XlsxBook` in a child Python process (``python -m`` this module) fed pickled
    rows through its stdin; ``close`` waits for the file and raises what went wrong there
    (an ``OSError`` for a write that failed). A small queue and a sender thread let this
    process run a few chunks ahead of the child (and no further: memory stays bounded)."""

    QUEUE = 8  # messages (chunks of rows) in flight at most

    def __init__(self, path: Path | str, specs: Sequence[Spec]) -> None:
        import pos_app

        root = str(Path(pos_app.__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (root, os.environ.get("PYTHONPATH")) if p)}
        self._proc = subprocess.Popen(
            [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=env)
        self._queue: queue.Queue[bytes | None] = queue.Queue(self.QUEUE)
        self._failed = False
        self._sender = threading.Thread(target=self._send_all, name="lapak-xlsx-sender",
                                        daemon=True)
        self._sender.start()
        self._send(("open", str(path), [(n, list(c)) for n, c in specs]))

    def _send_all(self) -> None:
        pipe = self._proc.stdin
        while (data := self._queue.get()) is not None:
            if self._failed:
                continue  # drain: the child is gone, nothing more can be sent
            try:
                pipe.write(data)
            except (BrokenPipeError, ConnectionResetError, ValueError):
                self._failed = True
        try:
            pipe.close()
        except OSError:
            pass

    def _send(self, msg: tuple) -> None:
        if self._failed:
            self._finish()
            raise RuntimeError("the XLSX writer process stopped")
        self._queue.put(pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL))

    def rows(self, name: str, rows: Sequence[Sequence]) -> None:
        self._send(("rows", name, rows))

    def note(self, name: str, text: str) -> None:
        self._send(("note", name, text))

    def close(self) -> None:
        self._send(("close",))
        self._finish()

    def _finish(self) -> None:
        """Stop the sender, wait for the child's answer and raise what it reports."""
        self._queue.put(None)
        self._sender.join()
        try:
            kind, a, b = pickle.load(self._proc.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):
            code = self._proc.wait()
            raise RuntimeError(f"the XLSX writer process stopped ({code})") from None
        finally:
            self._proc.stdout.close()
        self._proc.wait()
        if kind == "oserror":
            raise OSError(a, b)
        if kind == "error":
            raise RuntimeError(f"XLSX writer failed: {a}\n{b}")

    def discard(self) -> None:
        """Stop the child at once; its half-written files are in the caller's temporary
        folder (XlsxWriter's ``tmpdir`` too), which the caller removes."""
        self._failed = True  # the sender drops what is still queued
        self._proc.kill()
        if self._sender.is_alive():
            self._queue.put(None)
            self._sender.join()
        self._proc.wait()
        for stream in (self._proc.stdin, self._proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


def can_fork_writer() -> bool:
    """A child process needs a Python to start: not in a frozen (PyInstaller) build."""
    return bool(sys.executable) and not getattr(sys, "frozen", False)


if __name__ == "__main__":
    sys.exit(_serve(sys.stdin.buffer, sys.stdout.buffer))
