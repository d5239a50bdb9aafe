"""`pos-app shift report`: an X reading is taken (and kept) once per command, whether it is
shown, saved as PDF or printed, and the PDF or the print carries that reading; a print goes
on the printer asked for and is recorded as a print job."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from pypdf import PdfReader

from pos_app.cli.main import main
from pos_app.services.setup.booth import Booth
from pos_app.services.shift import shifts


def cli(capsys, db: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", "--db", str(db), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as con:
        found = con.execute(sql).fetchall()
    con.close()
    return found


def x_readings(db: Path) -> int:
    return rows(db, "SELECT count(*) FROM shift_event WHERE kind = 'x_report'")[0][0]


def pdf_words(path: Path) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_an_x_reading_is_taken_once_and_saved_as_pdf(booth: Booth, capsys,
                                                    tmp_path: Path) -> None:
    shift = shifts.open_shift(booth, "Kasir", 250_000)
    db = booth.db.path
    code, out, err = cli(capsys, db, "shift", "report", "--x", "--pdf", str(tmp_path / "x.pdf"),
                         "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["kind"], data["shift"], data["pdf"]) == ("x", str(shift.id),
                                                          str(tmp_path / "x.pdf"))
    assert data["totals"]["expected_cash"] == 250_000 and "journal_head" not in data
    assert x_readings(db) == 1
    words = pdf_words(tmp_path / "x.pdf")
    assert "X REPORT" in words and "Rp250.000" in words
    code, out, err = cli(capsys, db, "shift", "report", "--width", "58")
    assert (code, err) == (0, "")
    assert "X REPORT" in out and max(len(line) for line in out.splitlines()) == 32
    assert x_readings(db) == 2


def test_an_x_reading_printed_on_the_printer_asked_for(booth: Booth, capsys,
                                                       tmp_path: Path) -> None:
    shifts.open_shift(booth, "Kasir", 100_000)
    db = booth.db.path
    folder = tmp_path / "printed"
    folder.mkdir()
    code, out, err = cli(capsys, db, "shift", "report", "--x", "--printer", f"pdf://{folder}")
    assert (code, err) == (0, "")
    assert out.startswith("Report printed on ")
    (printed,) = folder.iterdir()
    assert printed.name.startswith("x-report-KPG-01-") and "Rp100.000" in pdf_words(printed)
    assert rows(db, "SELECT document_kind, printer, status FROM print_job") == [
        ("x_report", f"pdf://{folder}", "printed")]
    assert x_readings(db) == 1
