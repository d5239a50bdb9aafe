"""`pos-app receipt`: print, re-print (COPY), save as PDF, kwitansi; one-line errors and exit
codes. In-process through ``pos_app.cli.main`` (English) and once as a real process."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from pypdf import PdfReader

from pos_app.cli.main import main
from tests.integration.fake_printer import STATUS_QUERY, FakePrinter, refused_port

NUMBER = "KPG-01-000001"
MM = 72 / 25.4


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def print_jobs(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as con:
        return con.execute("SELECT id, printer, copy, status, error_code FROM print_job "
                           "ORDER BY rowid").fetchall()


@pytest.fixture
def db(tmp_path: Path, capsys) -> Path:
    """A demo booth with one sale: 2 x KOP-001 + 1 x MAK-003, cash, total Rp219.950."""
    path = tmp_path / "cli.db"
    assert run(capsys, "--db", str(path), "init", "--demo")[0] == 0
    code, out, err = run(capsys, "sell", "--db", str(path), "--item", "KOP-001=2",
                         "--item", "MAK-003=1", "--pay", "cash=250.000")
    assert (code, err) == (0, "")
    assert out == f"Sale {NUMBER}: total Rp219.950, paid Rp250.000, change Rp30.050\n"
    return path


@pytest.fixture
def printer():
    with FakePrinter("ok") as p:
        yield p


def test_receipt_pdf(db: Path, tmp_path: Path, capsys) -> None:
    out_file = tmp_path / "struk" / "1.pdf"
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--pdf", str(out_file))
    assert (code, err) == (0, "")
    assert out == f"Receipt saved: {out_file}\n"
    reader = PdfReader(out_file)
    text = " ".join(reader.pages[0].extract_text().split())
    assert f"No. {NUMBER}" in text and "TOTAL Rp219.950" in text
    assert abs(float(reader.pages[0].mediabox.width) - 58 * MM) <= 0.5
    assert print_jobs(db) == []


def test_receipt_pdf_80mm_from_qr_payload(db: Path, tmp_path: Path, capsys) -> None:
    out_file = tmp_path / "80.pdf"
    code, out, err = run(capsys, "receipt", f"LAPAK:{NUMBER}:whatever", "--db", str(db),
                         "--pdf", str(out_file), "--width", "80")
    assert (code, err) == (0, "")
    assert out == f"Receipt saved: {out_file}\n"
    assert abs(float(PdfReader(out_file).pages[0].mediabox.width) - 80 * MM) <= 0.5


@pytest.mark.parametrize("ref", [NUMBER.lower(), f"LAPAK:{NUMBER}:whatever"])
def test_pdf_json_names_the_sale_by_its_number(db: Path, tmp_path: Path, capsys,
                                               ref: str) -> None:
    """BUG: --pdf/--kwitansi JSON echo the argument as typed ("sale": "kpg-01-000001" or the
    whole QR payload) while the print JSON gives the sale number; scripts need one form."""
    out_file = tmp_path / "j.pdf"
    code, out, err = run(capsys, "receipt", ref, "--db", str(db), "--pdf", str(out_file),
                         "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"sale": NUMBER, "pdf": str(out_file)}


def test_print_then_copy(db: Path, printer: FakePrinter, capsys) -> None:
    target = f"127.0.0.1:{printer.port}"
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--printer", printer.uri)
    assert (code, err) == (0, "")
    assert out == f"Receipt {NUMBER} printed on {target}\n"
    code, out, err = run(capsys, "receipt", NUMBER.lower(), "--db", str(db),
                         "--printer", printer.uri)
    assert (code, err) == (0, "")
    assert out == f"Copy of receipt {NUMBER} printed on {target}\n"
    first, second = printer.wait_closed(2)
    assert b"COPY" not in first.receipt
    assert second.receipt.count(b"COPY\n") == 1
    assert first.data.endswith(STATUS_QUERY) and b"Rp219.950" in first.receipt
    assert [(p, c, s, e) for _id, p, c, s, e in print_jobs(db)] == [
        (printer.uri, 0, "printed", None), (printer.uri, 1, "printed", None)]


def test_print_json(db: Path, printer: FakePrinter, capsys) -> None:
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--printer", printer.uri,
                         "--width", "80", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    (job,) = print_jobs(db)
    assert data == {"sale": NUMBER, "copy": False, "printed": True, "sent": False,
                    "destination": f"127.0.0.1:{printer.port}", "job": str(uuid.UUID(job[0]))}
    (conn,) = printer.wait_closed(1)
    assert b"-" * 48 + b"\n" in conn.receipt  # 80 mm: 48 columns


def test_a_printer_that_never_answers_status_is_sent(db: Path, capsys) -> None:
    with FakePrinter("silent") as silent:
        code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--printer",
                             silent.uri)
        (conn,) = silent.wait_closed(1)
    assert (code, err) == (0, "")
    assert out == f"Receipt {NUMBER} sent to 127.0.0.1:{silent.port}\n"
    assert conn.status_queries == 1 and NUMBER.encode() in conn.receipt
    assert [(j[3], j[4]) for j in print_jobs(db)] == [("printed", "sent")]


def test_refused_printer_is_one_line_exit_1(db: Path, capsys) -> None:
    with refused_port() as port:
        uri = f"tcp://127.0.0.1:{port}"
        code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--printer", uri)
    assert (code, out) == (1, "")
    assert err == f"pos-app: The printer at 127.0.0.1:{port} refused the connection\n"
    assert [(p, c, s, e) for _id, p, c, s, e in print_jobs(db)] == [
        (uri, 0, "failed", "printer_refused")]


def test_no_printer_configured(db: Path, capsys) -> None:
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db))
    assert (code, out, err) == (1, "", "pos-app: No receipt printer is set up\n")
    assert print_jobs(db) == []


def test_unknown_sale(db: Path, tmp_path: Path, capsys) -> None:
    out_file = tmp_path / "x.pdf"
    code, out, err = run(capsys, "receipt", "KPG-01-000099", "--db", str(db),
                         "--pdf", str(out_file))
    assert (code, out, err) == (1, "", "pos-app: No sale numbered KPG-01-000099\n")
    assert not out_file.exists()
    code, out, err = run(capsys, "receipt", "nonsense", "--db", str(db), "--pdf", str(out_file))
    assert (code, out, err) == (1, "", "pos-app: Not a sale number: nonsense\n")


def test_bad_printer_uri(db: Path, capsys) -> None:
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--printer", "http://x")
    assert (code, out, err) == (1, "", "pos-app: Not a printer address: http://x\n")


def test_kwitansi(db: Path, tmp_path: Path, capsys) -> None:
    out_file = tmp_path / "kw.pdf"
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--kwitansi",
                         "--buyer", "Ibu Maria Seran", "--institution", "Dinas Koperasi NTT",
                         "--pdf", str(out_file), "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"sale": NUMBER, "kwitansi": str(out_file),
                               "number": "KPG-01-KW-000001", "copy": False}
    text = " ".join(PdfReader(out_file).pages[0].extract_text().split())
    assert "Ibu Maria Seran" in text and "Dinas Koperasi NTT" in text
    assert "Rp219.950" in text
    assert "Dua ratus sembilan belas ribu sembilan ratus lima puluh rupiah" in text
    assert "COPY" not in text
    assert print_jobs(db) == []
    # The second one keeps the number and says so, on the PDF and on the terminal.
    again = tmp_path / "kw2.pdf"
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--kwitansi",
                         "--buyer", "Ibu Maria Seran", "--pdf", str(again))
    assert (code, out, err) == (0, f"Copy of kwitansi KPG-01-KW-000001 saved: {again}\n", "")
    assert "COPY" in " ".join(PdfReader(again).pages[0].extract_text().split())


def kwitansi_journal(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as con:
        rows = con.execute("SELECT action, payload FROM audit_event WHERE action LIKE "
                           "'kwitansi.%' ORDER BY chain_index").fetchall()
    return [(action, json.loads(payload)["number"]) for action, payload in rows]


def test_kwitansi_to_a_folder_is_refused_and_uses_no_number(db: Path, tmp_path: Path,
                                                            capsys) -> None:
    """A folder as --pdf: one translated line (not "unexpected error"), no number journaled;
    the next good save is the original, not a copy."""
    folder = tmp_path / "out"
    folder.mkdir()
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--kwitansi",
                         "--buyer", "Ibu Maria", "--pdf", str(folder))
    assert (code, out) == (1, "")
    assert err == f"pos-app: Cannot write {folder}: it is a folder, not a file\n"
    code = main(["--lang", "id", "receipt", NUMBER, "--db", str(db), "--kwitansi",
                 "--buyer", "Ibu Maria", "--pdf", str(folder)])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err == f"pos-app: Tidak dapat menulis {folder}: itu folder, bukan berkas\n"
    assert kwitansi_journal(db) == [] and list(folder.iterdir()) == []
    good = folder / "kw.pdf"
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--kwitansi",
                         "--buyer", "Ibu Maria", "--pdf", str(good))
    assert (code, out, err) == (0, f"Kwitansi KPG-01-KW-000001 saved: {good}\n", "")
    assert "COPY" not in " ".join(PdfReader(good).pages[0].extract_text().split())
    assert kwitansi_journal(db) == [("kwitansi.issue", "KPG-01-KW-000001")]


def test_kwitansi_copy_refuses_another_buyer(db: Path, tmp_path: Path, capsys) -> None:
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--kwitansi",
                         "--buyer", "Ibu Maria Seran", "--institution", "Dinas Koperasi NTT",
                         "--pdf", str(tmp_path / "1.pdf"))
    assert (code, err) == (0, "")
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--kwitansi",
                         "--buyer", "Bpk. Yosef", "--pdf", str(tmp_path / "2.pdf"))
    assert (code, out) == (1, "")
    assert err == ("pos-app: Kwitansi KPG-01-KW-000001 was issued to Ibu Maria Seran; a copy "
                   "repeats its buyer, institution and purpose\n")
    assert not (tmp_path / "2.pdf").exists()
    # The same buyer: a copy that repeats the original's institution too.
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--kwitansi",
                         "--buyer", "Ibu Maria Seran", "--pdf", str(tmp_path / "3.pdf"))
    assert (code, err) == (0, "")
    text = " ".join(PdfReader(tmp_path / "3.pdf").pages[0].extract_text().split())
    assert "COPY" in text and "Dinas Koperasi NTT" in text
    assert kwitansi_journal(db) == [("kwitansi.issue", "KPG-01-KW-000001"),
                                    ("kwitansi.copy", "KPG-01-KW-000001")]


@pytest.mark.parametrize(("buyer", "message"), [
    ("   ", "A kwitansi needs the name of the buyer"),
    ("Ibu\tMaria", '"Received from" on a kwitansi may not hold control characters (such as '
                   'NUL, a tab or a line break)'),
    ("M" * 121, '"Received from" on a kwitansi is at most 120 characters'),
])
def test_kwitansi_buyer_is_checked(db: Path, tmp_path: Path, capsys, buyer, message) -> None:
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--kwitansi",
                         "--buyer", buyer, "--pdf", str(tmp_path / "k.pdf"))
    assert (code, out, err) == (1, "", f"pos-app: {message}\n")
    assert kwitansi_journal(db) == [] and not (tmp_path / "k.pdf").exists()


@pytest.mark.parametrize("argv", [
    ("--kwitansi", "--pdf", "kw.pdf"),
    ("--kwitansi", "--buyer", "Ibu Maria"),
])
def test_kwitansi_needs_buyer_and_pdf(db: Path, tmp_path: Path, capsys, monkeypatch,
                                     argv) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), *argv)
    assert (code, out) == (2, "")
    assert err == "pos-app: --kwitansi needs --buyer NAME and --pdf FILE\n"
    assert not (tmp_path / "kw.pdf").exists()


def test_printer_and_pdf_are_exclusive(db: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "receipt", NUMBER, "--db", str(db), "--pdf", "a.pdf",
                         "--printer", "tcp://127.0.0.1:9")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("pos-app: argument --printer")
    assert not (tmp_path / "a.pdf").exists()


def test_real_process(db: Path, tmp_path: Path, printer: FakePrinter) -> None:
    def pos_app(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pos_app", "--lang", "en", *argv],
                              capture_output=True, text=True, cwd=tmp_path, timeout=120)

    done = pos_app("receipt", NUMBER, "--db", str(db), "--printer", printer.uri)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"Receipt {NUMBER} printed on 127.0.0.1:{printer.port}\n"
    (conn,) = printer.wait_closed(1)
    assert b"TOTAL" in conn.receipt and conn.data.endswith(STATUS_QUERY)
    with refused_port() as port:
        failed = pos_app("receipt", NUMBER, "--db", str(db), "--printer",
                         f"tcp://127.0.0.1:{port}")
    assert (failed.returncode, failed.stdout) == (1, "")
    assert failed.stderr == f"pos-app: The printer at 127.0.0.1:{port} refused the connection\n"


def kwitansi_refusal(capsys, db: Path, ref: str, out_file: Path) -> tuple[int, str, str]:
    return run(capsys, "receipt", ref, "--db", str(db), "--kwitansi", "--buyer", "Ibu Maria",
               "--pdf", str(out_file))


def test_kwitansi_refusals_are_one_line(db: Path, tmp_path: Path, capsys) -> None:
    out_file = tmp_path / "kw.pdf"
    assert run(capsys, "void", NUMBER, "--db", str(db), "--reason", "salah")[0] == 0
    assert kwitansi_refusal(capsys, db, NUMBER, out_file) == (
        1, "", f"pos-app: Sale {NUMBER} was voided (KPG-01-000002); it gets no kwitansi\n")
    assert kwitansi_refusal(capsys, db, "KPG-01-000002", out_file) == (
        1, "", "pos-app: KPG-01-000002 is a void document; a kwitansi is made only for a sale\n")
    assert run(capsys, "sell", "--db", str(db), "--item", "KOP-001=1",
               "--pay", "cash=85000")[0] == 0  # 000003
    assert run(capsys, "refund", "KPG-01-000003", "--db", str(db), "--line", "1=1",
               "--method", "cash", "--reason", "rusak")[0] == 0  # 000004
    assert kwitansi_refusal(capsys, db, "KPG-01-000004", out_file) == (
        1, "", "pos-app: KPG-01-000004 is a refund document (money paid out); a kwitansi is "
        "made only for a sale\n")
    assert kwitansi_refusal(capsys, db, "KPG-01-000003", out_file) == (
        1, "", "pos-app: Sale KPG-01-000003 was refunded in full; it gets no kwitansi\n")
    assert not out_file.exists()
    with sqlite3.connect(db) as con:
        issued = con.execute("SELECT count(*) FROM audit_event "
                             "WHERE action LIKE 'kwitansi.%'").fetchone()[0]
    con.close()
    assert issued == 0


def test_kwitansi_refusal_in_indonesian(db: Path, tmp_path: Path, capsys) -> None:
    assert run(capsys, "void", NUMBER, "--db", str(db), "--reason", "salah")[0] == 0
    code = main(["--lang", "id", "receipt", NUMBER, "--db", str(db), "--kwitansi",
                 "--buyer", "Ibu Maria", "--pdf", str(tmp_path / "kw.pdf")])
    out, err = capsys.readouterr()
    assert (code, out, err) == (1, "", f"pos-app: Penjualan {NUMBER} sudah dibatalkan "
                                       "(KPG-01-000002); tidak dapat dibuatkan kwitansi\n")
