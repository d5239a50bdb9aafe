"""Every kind of PDF the app makes, checked with tools nobody here wrote: ``qpdf --check`` (the
file is sound), ``pdffonts`` (every font it declares is embedded: no bare Helvetica) and
``zbarimg`` on a 200 dpi rendering (``pdftoppm``) for the receipt QR and every price tag. The
documents come from the command line, as a back office makes them; ``.ci/smoke_docs.sh`` runs
the same checks on the frozen binary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pos_app.services.setup.booth import Booth
from pos_app.services.stock.stock_print import label_items
from tests.integration.test_cli_stock import ok

TOOLS = ("qpdf", "pdffonts", "pdftoppm", "zbarimg")
# Skipped only on a developer's machine without the tools: under .ci/test (which installs
# them and sets LAPAK_REQUIRE_TOOLS) a missing tool is a failure, never a quiet skip.
pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS) and not os.environ.get("LAPAK_REQUIRE_TOOLS"),
    reason="needs qpdf, poppler-utils and zbar-tools (.ci/lib.sh APT_TEST_TOOLS)")

# EAN-13 and Code 128 (no barcode), one tag each: zbarimg reports two equal symbols on one
# page once.
TAGS = (("KOP-001", 1), ("KOP-002", 1), ("MAK-004", 1), ("KER-001", 1), ("KER-003", 1))
KINDS = {"receipt", "receipt_voided", "receipt_printer", "kwitansi", "labels", "tanda_terima",
         "count_sheet", "variance", "x_report", "z_report", "settlement", "summary",
         "pack_summary", "close_out"}


def declared_fonts(pdf: Path) -> list[tuple[str, str]]:
    """(name, emb) of every font ``pdffonts`` lists."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    return [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]


def qpdf_problems(pdf: Path) -> str | None:
    done = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    if done.returncode != 0 or "No syntax or stream encoding errors" not in done.stdout:
        return (done.stdout + done.stderr).strip()
    return None


def decoded(pdf: Path, folder: Path) -> list[str]:
    """Every symbol zbarimg finds on the pages of ``pdf``, as TYPE:VALUE, page by page."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(folder / "page")], check=True)
    found = []
    for page in sorted(folder.glob("page*.png")):
        done = subprocess.run(["zbarimg", "-q", str(page)], capture_output=True, text=True)
        assert done.returncode in (0, 4), done.stderr  # 4: nothing found on this page
        found += done.stdout.split()
    return found


@pytest.fixture
def documents(booth: Booth, capsys, tmp_path: Path) -> dict[str, object]:
    """Every kind of PDF, made from one small day at the booth: two sales (one voided), a
    kwitansi, a pdf:// printer, price tags, a tanda terima, a stock count, X and Z reports,
    the settlement, the summary PDF and the head-office pack."""
    out = tmp_path / "docs"
    out.mkdir()
    pdf: dict[str, object] = {}
    ok(capsys, booth, "shift", "open", "--cashier", "Kasir", "--float", "200000")
    kept = json.loads(ok(capsys, booth, "--json", "sell", "--item", "KOP-001=1",
                         "--pay", "cash=100000", "--cashier", "Kasir"))
    voided = json.loads(ok(capsys, booth, "--json", "sell", "--item", "KOP-002=2",
                           "--pay", "cash=90000", "--cashier", "Kasir"))
    ok(capsys, booth, "void", voided["number"], "--reason", "salah input", "--cashier", "Maria")
    pdf["sale"] = kept
    for name, number in (("receipt", kept["number"]), ("receipt_voided", voided["number"])):
        ok(capsys, booth, "receipt", number, "--pdf", str(out / f"{name}.pdf"))
        pdf[name] = out / f"{name}.pdf"
    ok(capsys, booth, "receipt", kept["number"], "--pdf", str(out / "kwitansi.pdf"),
       "--kwitansi", "--buyer", "Budi")
    pdf["kwitansi"] = out / "kwitansi.pdf"
    printer = out / "printer"
    printer.mkdir()
    ok(capsys, booth, "receipt", kept["number"], "--printer", f"pdf://{printer}")
    (pdf["receipt_printer"],) = printer.glob("*.pdf")
    ok(capsys, booth, "stock", "labels", *[a for sku, n in TAGS for a in ("--item", f"{sku}={n}")],
       "--out", str(out / "labels.pdf"))
    pdf["labels"] = out / "labels.pdf"
    ok(capsys, booth, "stock", "receive", "--facility", "LPKA-KPG", "--note", "SJ-5",
       "--item", "MAK-004=4", "--cashier", "Maria")
    ok(capsys, booth, "stock", "print", "KPG-01-TT-00001", "--out", str(out / "tanda_terima.pdf"))
    pdf["tanda_terima"] = out / "tanda_terima.pdf"
    ok(capsys, booth, "stock", "count", "--facility", "LPKA-KPG", "--item", "MAK-004=83",
       "--cashier", "Maria")
    ok(capsys, booth, "stock", "sheet", "--facility", "LPKA-KPG", "--out",
       str(out / "count_sheet.pdf"))
    pdf["count_sheet"] = out / "count_sheet.pdf"
    ok(capsys, booth, "stock", "count", "--facility", "LPKA-KPG", "--approve", "--cashier", "Maria")
    ok(capsys, booth, "stock", "print", "KPG-01-SO-00001", "--out", str(out / "variance.pdf"))
    pdf["variance"] = out / "variance.pdf"
    ok(capsys, booth, "stock", "close-out-pdf", "--facility", "LPKA-KPG", "--out",
       str(out / "close_out.pdf"))
    pdf["close_out"] = out / "close_out.pdf"
    ok(capsys, booth, "shift", "report", "--x", "--pdf", str(out / "x_report.pdf"))
    pdf["x_report"] = out / "x_report.pdf"
    ok(capsys, booth, "shift", "close", "--count", "100000=2", "--cashier", "Kasir")
    ok(capsys, booth, "shift", "report", "--z", "--pdf", str(out / "z_report.pdf"))
    pdf["z_report"] = out / "z_report.pdf"
    ok(capsys, booth, "report", "settlement", "--pdf", str(out / "settlement.pdf"))
    pdf["settlement"] = out / "settlement.pdf"
    ok(capsys, booth, "export", "--format", "pdf", "--out", str(out / "summary.pdf"))
    pdf["summary"] = out / "summary.pdf"
    ok(capsys, booth, "export", "--format", "pack", "--out", str(out / "pack"))
    pdf["pack_summary"] = out / "pack" / "summary.pdf"
    return pdf


def test_every_kind_of_pdf_is_sound_and_embeds_every_font_it_declares(documents) -> None:
    made = {name: path for name, path in documents.items() if name != "sale"}
    assert set(made) == KINDS
    problems = {}
    for name, path in sorted(made.items()):
        assert path.read_bytes().startswith(b"%PDF-"), name
        if (why := qpdf_problems(path)) is not None:
            problems[name] = f"qpdf: {why}"
        fonts = declared_fonts(path)
        assert fonts, f"{name}: pdffonts lists no font at all"
        if bare := [font for font, emb in fonts if emb != "yes"]:
            problems[name] = f"not embedded: {bare}"
    assert problems == {}


def test_the_receipt_qr_decodes_to_the_sale(documents, tmp_path: Path) -> None:
    sale = documents["sale"]
    expected = f"QR-Code:LAPAK:{sale['number']}:{sale['id']}"
    assert decoded(documents["receipt"], tmp_path / "receipt") == [expected]
    assert decoded(documents["receipt_printer"], tmp_path / "printer") == [expected]


def test_every_price_tag_decodes_to_its_product_code(documents, booth: Booth,
                                                     tmp_path: Path) -> None:
    kind = {"ean13": "EAN-13", "code128": "CODE-128"}
    expected = sorted(f"{kind[item.code.symbology]}:{item.code.value}"
                      for item in label_items(booth, list(TAGS)))
    assert len(set(expected)) == len(TAGS) and {e.split(":")[0] for e in expected} == {"EAN-13", "CODE-128"}
    assert sorted(decoded(documents["labels"], tmp_path / "labels")) == expected
