"""Files, folders and printer addresses the user gets wrong are refused in one translated line
naming what is wrong, never "unexpected error (ValueError)" or the system's English, and the
database is left as it was: a broken printer address, a folder given as the database or as an
export file, a place that cannot be written, a CSV that is not UTF-8 or is missing, and a
printer_uri setting the printing parser would refuse."""

from __future__ import annotations

import errno
import sqlite3
import sys
from pathlib import Path

import pytest

from pos_app import i18n
from pos_app.cli.main import main
from pos_app.domain.errors import DomainError, cannot_write, os_failure
from tests.integration.test_cli import snapshot

NUMBER = "KPG-01-000001"


def run(capsys, lang: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", lang, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, capsys) -> Path:
    """A demo booth with one sale."""
    path = tmp_path / "booth.db"
    assert run(capsys, "en", "--db", str(path), "init", "--demo")[0] == 0
    code, _out, err = run(capsys, "en", "--db", str(path), "sell", "--item", "KOP-001=1",
                          "--pay", "cash=100.000")
    assert (code, err) == (0, "")
    return path


def stored(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as con:
        return dict(con.execute("SELECT key, value FROM setting").fetchall())


# --- printer addresses -------------------------------------------------------------------------

@pytest.mark.parametrize("lang, line", [
    ("en", "pos-app: Not a printer address: tcp://[::1\n"),
    ("id", "pos-app: Bukan alamat printer: tcp://[::1\n"),
])
def test_a_broken_printer_address_is_one_translated_line(db: Path, capsys, lang: str,
                                                         line: str) -> None:
    before = snapshot(db)
    code, out, err = run(capsys, lang, "--db", str(db), "receipt", NUMBER,
                         "--printer", "tcp://[::1")
    assert (code, out, err) == (1, "", line)
    assert snapshot(db) == before


def test_an_unknown_status_value_is_refused_not_defaulted(db: Path, capsys) -> None:
    before = snapshot(db)
    code, out, err = run(capsys, "en", "--db", str(db), "receipt", NUMBER,
                         "--printer", "tcp://127.0.0.1:9?status=maybe")
    assert (code, out) == (1, "")
    assert err == ("pos-app: The printer address tcp://127.0.0.1:9?status=maybe gives status "
                   "the value maybe; it takes 0, off, no, 1, on, yes\n")
    assert snapshot(db) == before


@pytest.mark.parametrize("value, line", [
    ("javascript:alert(1)", "Not a printer address: javascript:alert(1)"),
    ("ftp://x", "Not a printer address: ftp://x"),
    ("tcp://[::1", "Not a printer address: tcp://[::1"),
    ("tcp://10.0.0.5?status=maybe", "The printer address tcp://10.0.0.5?status=maybe gives "
                                    "status the value maybe; it takes 0, off, no, 1, on, yes"),
    ("tcp://10.0.0.5?stauts=0", "The printer address tcp://10.0.0.5?stauts=0 has the option "
                                "stauts, which Lapak does not know; it knows baudrate, status"),
])
def test_settings_set_printer_uri_uses_the_printing_parser(db: Path, capsys, value: str,
                                                           line: str) -> None:
    before = snapshot(db), stored(db)
    code, out, err = run(capsys, "en", "--db", str(db), "settings", "set", "printer_uri", value)
    assert (code, out, err) == (1, "", f"pos-app: {line}\n")
    assert (snapshot(db), stored(db)) == before


def test_settings_set_printer_uri_takes_a_good_address_and_empty(db: Path, capsys) -> None:
    for value in ("tcp://10.0.0.5:9100?status=off", ""):
        code, _out, err = run(capsys, "en", "--db", str(db), "settings", "set", "printer_uri",
                              value)
        assert (code, err) == (0, "")
        assert stored(db).get("printer_uri", "") == value


def test_settings_set_printer_uri_refusal_reads_in_indonesian(db: Path, capsys) -> None:
    code, out, err = run(capsys, "id", "--db", str(db), "settings", "set", "printer_uri",
                         "tcp://10.0.0.5?status=mungkin")
    assert (code, out) == (1, "")
    assert err == ("pos-app: Alamat printer tcp://10.0.0.5?status=mungkin memberi status nilai "
                   "mungkin; nilai yang diterima: 0, off, no, 1, on, yes\n")


# --- the database and export targets ---------------------------------------------------------------

@pytest.mark.parametrize("lang, words", [
    ("en", "is a folder, not a database file"),
    ("id", "adalah folder, bukan berkas basis data"),
])
def test_a_folder_given_as_the_database_is_named(tmp_path: Path, capsys, lang: str,
                                                 words: str) -> None:
    code, out, err = run(capsys, lang, "--db", str(tmp_path), "receipt", NUMBER)
    assert (code, out, err) == (1, "", f"pos-app: {tmp_path} {words}\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("lang, line", [
    ("en", "Cannot write {path}: it is a folder, not a file"),
    ("id", "Tidak dapat menulis {path}: itu folder, bukan berkas"),
])
def test_an_export_onto_a_folder_is_translated(db: Path, tmp_path: Path, capsys, lang: str,
                                               line: str) -> None:
    folder = tmp_path / "laporan.xlsx"
    folder.mkdir()
    code, out, err = run(capsys, lang, "--db", str(db), "export", "--format", "xlsx",
                         "--out", str(folder))
    assert (code, out, err) == (1, "", f"pos-app: {line.format(path=folder)}\n")
    assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == [
        "booth.db", "laporan.xlsx"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc takes no new files")
def test_an_export_where_no_file_can_be_made_names_the_path_in_indonesian(db: Path,
                                                                         capsys) -> None:
    code, out, err = run(capsys, "id", "--db", str(db), "export", "--format", "xlsx",
                         "--out", "/proc/x.xlsx")
    assert (code, out) == (1, "")
    assert err == "pos-app: Tidak dapat menulis /proc/x.xlsx: berkas atau folder itu tidak ada\n"


@pytest.mark.parametrize("number, english, indonesian", [
    (errno.ENOENT, "there is no such file or folder", "berkas atau folder itu tidak ada"),
    (errno.EACCES, "permission denied", "tidak ada izin akses"),
    (errno.EPERM, "permission denied", "tidak ada izin akses"),
    (errno.EROFS, "the disk is read-only", "disk hanya bisa dibaca"),
    (errno.ENOSPC, "the disk is full", "disk penuh"),
    (errno.EISDIR, "it is a folder, not a file", "itu folder, bukan berkas"),
])
def test_the_common_system_reasons_are_translated(number: int, english: str,
                                                  indonesian: str) -> None:
    exc = OSError(number, "system words")
    error = cannot_write(Path("out") / "x.xlsx", exc)
    path = str(Path("out") / "x.xlsx")
    assert error.message() == f"Cannot write {path}: {english}"
    assert error.message(i18n.load("id").gettext) == f"Tidak dapat menulis {path}: {indonesian}"
    other = cannot_write("x.pdf", OSError(errno.EIO, "Input/output error"))
    assert other.message() == "Cannot write x.pdf: Input/output error"  # the system's words


def test_a_failed_backup_names_the_file_and_the_reason_in_indonesian() -> None:
    exc = OSError(errno.ENOSPC, "No space left on device", "/media/usb/lapak.db")
    error = os_failure("backup_failed", "/fallback.db", exc)
    assert isinstance(error, DomainError) and error.code == "backup_failed"
    assert error.message() == "Backup failed: cannot write /media/usb/lapak.db: the disk is full"
    assert error.message(i18n.load("id").gettext).endswith(
        "tidak dapat menulis /media/usb/lapak.db: disk penuh")


# --- imports ---------------------------------------------------------------------------------------

def test_a_latin1_csv_from_excel_is_imported(db: Path, tmp_path: Path, capsys) -> None:
    f = tmp_path / "katalog.csv"
    f.write_bytes("sku,name,category,facility,price\nNEW-1,Café Gayo,kopi,LP-END,25000\n"
                  .encode("cp1252"))
    code, _out, err = run(capsys, "en", "--db", str(db), "catalog", "import", str(f))
    assert (code, err) == (0, "")
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT name FROM product WHERE sku = 'NEW-1'").fetchall() == [
            ("Café Gayo",)]


@pytest.mark.parametrize("lang, line", [
    ("en", "{path} is not UTF-8 text; save it as CSV UTF-8"),
    ("id", "{path} bukan teks UTF-8; simpan sebagai CSV UTF-8"),
])
def test_a_csv_in_no_known_encoding_is_one_translated_line(db: Path, tmp_path: Path, capsys,
                                                           lang: str, line: str) -> None:
    f = tmp_path / "katalog.csv"
    # 0x81 and 0x8d are neither UTF-8 here nor Windows-1252
    f.write_bytes(b"sku,name,category,facility,price\nNEW-1,Kopi \x81\x8d,kopi,LP-END,1\n")
    before = snapshot(db)
    code, out, err = run(capsys, lang, "--db", str(db), "catalog", "import", str(f))
    assert (code, out, err) == (1, "", f"pos-app: {line.format(path=f)}\n")
    assert snapshot(db) == before


@pytest.mark.parametrize("lang, line", [
    ("en", "Cannot read {path}: there is no such file or folder"),
    ("id", "Tidak dapat membaca {path}: berkas atau folder itu tidak ada"),
])
def test_a_missing_import_file_is_one_translated_line(db: Path, tmp_path: Path, capsys,
                                                      lang: str, line: str) -> None:
    f = tmp_path / "tidak-ada.csv"
    before = snapshot(db)
    code, out, err = run(capsys, lang, "--db", str(db), "catalog", "import", str(f))
    assert (code, out, err) == (1, "", f"pos-app: {line.format(path=f)}\n")
    assert snapshot(db) == before


# --- a file error no service foresaw ----------------------------------------------------------

@pytest.mark.parametrize("filename, line", [
    ("/media/usb/x.xlsx", "pos-app: Tidak dapat memakai berkas /media/usb/x.xlsx: disk hanya "
                          "bisa dibaca; tidak ada yang diubah\n"),
    (None, "pos-app: kesalahan tak terduga (OSError); tidak ada yang diubah\n"),
])
def test_a_stray_file_error_names_the_file_in_one_translated_line(
        db: Path, capsys, monkeypatch, filename: str | None, line: str) -> None:
    import pos_app.services.reporting.booth_export as booth_export

    def fail(*_args, **_kwargs):
        raise OSError(errno.EROFS, "Read-only file system", filename)

    monkeypatch.setattr(booth_export, "export_booth", fail)
    code, out, err = run(capsys, "id", "--db", str(db), "export", "--format", "xlsx",
                         "--out", "x.xlsx")
    assert (code, out, err) == (1, "", line)
