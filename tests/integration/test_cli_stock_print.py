"""``pos-app stock print|sheet|close-out-pdf|labels``: PDFs of the stock documents from the
back office, and one-line refusals that leave no file behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pos_app.services.setup.booth import Booth
from tests.integration.test_cli_stock import cli, ok
from tests.integration.test_stock_pdf import words_of


def test_every_stock_document_prints_from_the_command_line(booth: Booth, capsys,
                                                           tmp_path: Path) -> None:
    ok(capsys, booth, "stock", "receive", "--facility", "LPKA-KPG", "--note", "SJ-5",
       "--item", "MAK-004=4")
    ok(capsys, booth, "stock", "count", "--facility", "LPKA-KPG", "--item", "MAK-004=83")
    out = ok(capsys, booth, "stock", "sheet", "--facility", "lpka-kpg", "--out",
             str(tmp_path / "sheet.pdf"))
    assert out.startswith("Count sheet KPG-01-SO-00001 saved to ")
    assert "STOCK COUNT SHEET" in words_of(tmp_path / "sheet.pdf")[1]
    ok(capsys, booth, "stock", "count", "--facility", "LPKA-KPG", "--approve")
    ok(capsys, booth, "stock", "return", "--facility", "LPKA-KPG")
    for number, title in (("KPG-01-TT-00001", "GOODS RECEIVED NOTE"),
                          ("kpg-01-so-00001", "STOCK COUNT VARIANCE REPORT"),
                          ("KPG-01-SR-00001", "GOODS RETURN NOTE")):
        target = tmp_path / f"{number}.pdf"
        data = json.loads(ok(capsys, booth, "stock", "print", number, "--out", str(target),
                             "--json"))
        assert data == {"pdf": str(target)}
        _, text = words_of(target)
        assert title in text and number.upper() in text
    ok(capsys, booth, "stock", "close-out-pdf", "--facility", "LPKA-KPG", "--out",
       str(tmp_path / "close.pdf"))
    assert "STOCK CLOSE-OUT" in words_of(tmp_path / "close.pdf")[1]
    out = ok(capsys, booth, "stock", "labels", "--item", "MAK-004=3", "--item", "KER-001=2",
             "--out", str(tmp_path / "tags.pdf"))
    assert out.startswith("5 price tags saved to ")
    assert (tmp_path / "tags.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("argv", "message"), [
    (("print", "KPG-01-TT-00099"), "No stock document numbered KPG-01-TT-00099"),
    (("sheet", "--facility", "LPKA-KPG"), "LPKA-KPG has no open stock count"),
    (("sheet", "--facility", "NOPE"), "Unknown facility: NOPE"),
    (("close-out-pdf", "--facility", "NOPE"), "Unknown facility: NOPE"),
    (("labels", "--item", "NOPE=1"), "Unknown product: NOPE"),
    (("labels", "--item", "MAK-004=0"), "Quantity must be a whole number from 1 to 1000: 0"),
])
def test_refusals_are_one_line_and_leave_no_file(booth: Booth, capsys, tmp_path: Path,
                                                 argv, message) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    code, out, err = cli(capsys, booth, "stock", *argv, "--out", str(folder / "out.pdf"))
    assert (code, out, err) == (1, "", f"pos-app: {message}\n")
    assert list(folder.iterdir()) == []


def test_an_unwritable_place_is_one_line(booth: Booth, capsys, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, out, err = cli(capsys, booth, "stock", "close-out-pdf", "--facility", "LPKA-KPG",
                         "--out", str(blocker / "close.pdf"))
    assert (code, out) == (1, "")
    assert err.startswith(f"pos-app: Cannot write {blocker / 'close.pdf'}: ")
    assert len(err.splitlines()) == 1
