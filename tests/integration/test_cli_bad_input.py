"""Bad input a person can type gets one clear translated line and changes nothing (issue 17):
numbers of thousands of digits in every amount, quantity and count argument, a folder given as
the database or as the file to write, a 100 kB search, a zero payment ("from 1", not "from 0
...: 0"), and values that would flood or break the line (clipped, control characters
escaped). Never "unexpected error"."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pos_app.cli.main import main
from tests.conftest import copy_database
from tests.integration.test_cli import snapshot

HUGE = "9" * 5000
# How a message quotes HUGE: its first and last 59 characters around an ellipsis.
SHOWN = "9" * 59 + "…" + "9" * 59
MAX = "Rp1.000.000.000.000.000"
NUMBER = "KPG-01-000001"


def run(capsys, *argv: str, lang: str = "en") -> tuple[int, str, str]:
    code = main(["--lang", lang, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path, demo_template: Path, capsys) -> Path:
    """A demo booth with one sale (KOP-001 at Rp85.000)."""
    path = tmp_path / "booth.db"
    copy_database(demo_template, path)
    code, _out, err = run(capsys, "--db", str(path), "sell", "--item", "KOP-001=1",
                          "--pay", "cash=100.000")
    assert (code, err) == (0, "")
    return path


def refused(capsys, db: Path, argv: tuple[str, ...], code: int, line: str,
            lang: str = "en") -> None:
    """``argv`` exits ``code`` with exactly ``line`` on stderr, prints nothing, and leaves the
    database file byte for byte as it was."""
    before, rows = digest(db), snapshot(db)
    assert run(capsys, "--db", str(db), *argv, lang=lang) == (code, "", f"pos-app: {line}\n")
    assert snapshot(db) == rows
    assert digest(db) == before


TOO_LONG = f"The number {SHOWN} is too large (more than 18 digits)"


@pytest.mark.parametrize("argv, line", [
    (("sell", "--item", "KOP-001=1", "--pay", f"cash={HUGE}"),
     f"Amount must be a whole number of rupiah from 0 to {MAX}: {SHOWN}"),
    (("sell", "--item", f"KOP-001={HUGE}", "--pay", "cash=100000"), TOO_LONG),
    (("sell", "--item", "KOP-001=1", "--pay", "cash=100000", "--discount", HUGE),
     f"Amount must be a whole number of rupiah from 0 to {MAX}: {SHOWN}"),
    (("shift", "open", "--cashier", "Kasir", "--float", HUGE),
     f"Amount must be a whole number of rupiah from 0 to {MAX}: {SHOWN}"),
    (("shift", "open", "--cashier", "Kasir", "--count", f"100000={HUGE}"), TOO_LONG),
    (("shift", "open", "--cashier", "Kasir", "--count", f"{HUGE}=1"), TOO_LONG),
    (("stock", "product-add", "--facility", "LP-ATB", "--category", "KOP", "--name", "Kopi",
      "--price", HUGE),
     f"Price must be a whole number of rupiah from 0 to {MAX}: {SHOWN}"),
    (("stock", "receive", "--facility", "LP-ATB", "--item", f"KOP-001={HUGE}"), TOO_LONG),
    (("stock", "adjust", "--facility", "LP-ATB", "--item", f"KOP-001=-{HUGE}",
      "--reason", "damaged"), f"The number -{SHOWN[1:]} is too large (more than 18 digits)"),
    (("stock", "count", "--facility", "LP-ATB", "--item", f"KOP-001={HUGE}"), TOO_LONG),
    (("refund", NUMBER, "--line", f"1={HUGE}", "--method", "cash", "--reason", "rusak"),
     TOO_LONG),
    (("refund", NUMBER, "--line", f"{HUGE}=1", "--method", "cash", "--reason", "rusak"),
     TOO_LONG),
    (("facility", "shares", "LP-ATB", "--pnbp", HUGE, "--premi", "0", "--modal", "0",
      "--program", "0"), f"Percentage must be between 0 and 100: {SHOWN}"),
    (("sell", "--item", "KOP-001=1", "--pay", "cash=0"),
     f"Amount must be a whole number of rupiah from 1 to {MAX}: 0"),
    (("sell", "--item", "KOP-001=1", "--pay", "cash=100000", "--cashier", "a\x1bb\u202ec"),
     "Unknown cashier: a\\x1bb\\u202ec"),
    (("stock", "movements", "X" * 100_000), f"Unknown product: {'X' * 59}…{'X' * 59}"),
    (("receipt", HUGE), f"Not a sale number: {SHOWN}"),
    (("settings", "set", "low_stock", "1000000"),
     "1000000 is not a valid value for the setting low_stock: it takes a whole number from 0 "
     "to 100000"),
])
def test_a_huge_or_broken_value_is_one_clear_line(db: Path, capsys, argv, line) -> None:
    refused(capsys, db, argv, 1, line)


def test_a_huge_number_is_refused_in_indonesian_too(db: Path, capsys) -> None:
    refused(capsys, db, ("sell", "--item", f"KOP-001={HUGE}", "--pay", "cash=100000"), 1,
            f"Angka {SHOWN} terlalu besar (lebih dari 18 digit)", lang="id")
    refused(capsys, db, ("sell", "--item", "KOP-001=1", "--pay", "cash=0"), 1,
            f"Nominal harus rupiah bulat dari 1 sampai {MAX}: 0", lang="id")


@pytest.mark.parametrize("argv, line", [
    (("sync", "--batch", HUGE), f"argument --batch: invalid int value: '{SHOWN}'"),
    (("backup", "--out", "a\x00b"), "a command-line argument may not hold a NUL character"),
    (("stock", "receive", "--facility", "\udcff", "--item", "KOP-001=5"),
     "a command-line argument is not UTF-8 text: \\udcff"),
    (("audit", "verify", "--offline", "--anchor", f"{HUGE}:{'a' * 16}"),
     "--anchor is INDEX:HASH as the Z report prints it (#12 3f9a0c1d2e4b5a6f: "
     "12:3f9a0c1d2e4b5a6f)"),
])
def test_a_huge_number_on_the_command_line_is_a_usage_error(db: Path, capsys, argv,
                                                            line) -> None:
    refused(capsys, db, argv, 2, line)


def test_a_folder_as_the_database(db: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "folder.db"
    folder.mkdir()
    code, out, err = run(capsys, "--db", str(folder), "sell", "--item", "KOP-001=1",
                         "--pay", "cash=100000")
    assert (code, out, err) == (1, "", f"pos-app: {folder} is a folder, not a database file\n")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("argv, line", [
    (("receipt", NUMBER, "--pdf", "{folder}"),
     "Cannot use the file {folder}: it is a folder, not a file; nothing was changed"),
    (("report", "settlement", "--pdf", "{folder}"),
     "Cannot write {folder}: it is a folder, not a file"),
    (("stock", "labels", "--item", "KOP-001=1", "--out", "{folder}"),
     "Cannot write {folder}: it is a folder, not a file"),
    (("export", "--format", "xlsx", "--out", "{folder}"),
     "Cannot write {folder}: it is a folder, not a file"),
])
def test_a_folder_as_the_file_to_write(db: Path, tmp_path: Path, capsys, argv, line) -> None:
    folder = tmp_path / "out.pdf"
    folder.mkdir()
    refused(capsys, db, tuple(a.format(folder=folder) for a in argv), 1,
            line.format(folder=folder))
    assert list(folder.iterdir()) == []


def test_an_empty_file_name_is_the_current_folder(db: Path, tmp_path: Path, capsys,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    refused(capsys, db, ("stock", "labels", "--item", "KOP-001=1", "--out", ""), 1,
            "Cannot write .: it is a folder, not a file")


def test_a_100_kb_search_reads_its_first_200_characters(db: Path, capsys) -> None:
    """SQLite refuses a LIKE pattern past 50,000 bytes; the search reads 200 characters."""
    before = digest(db)
    code, out, err = run(capsys, "--db", str(db), "--json", "stock", "on-hand",
                         "--search", "KOP-001" + "%" * 100_000)
    assert (code, err) == (0, "")
    assert '"KOP-001"' in out and '"KOP-002"' not in out
    code, out, err = run(capsys, "--db", str(db), "stock", "on-hand", "--search", "x" * 100_000)
    assert (code, err) == (0, "")
    assert digest(db) == before


def test_a_stock_level_setting_cannot_overflow_the_low_stock_list(db: Path, capsys) -> None:
    """A low-stock level of 10**35 was stored, then every ``--low`` list overflowed SQLite."""
    code, _out, err = run(capsys, "--db", str(db), "settings", "set", "low_stock", "100000")
    assert (code, err) == (0, "")
    code, out, err = run(capsys, "--db", str(db), "stock", "on-hand", "--low")
    assert (code, err) == (0, "")
    assert "KOP-001" in out
