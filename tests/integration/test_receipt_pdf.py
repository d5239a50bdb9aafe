"""Receipt PDFs (58/80 mm roll width) and the A4 kwitansi: exact figures and words, DejaVu Sans
embedded, the right page size. Text is read back with pypdf."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from pos_app.domain.tenders import Method, Tender
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.kwitansi import save_kwitansi_pdf
from pos_app.services.sale.printing import save_receipt_pdf
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import ShiftRow
from tests.integration.fake_printer import FakePrinter

MM = 72 / 25.4
LINE_NAMES = ("Kopi Arabika Flores Bajawa 250 g", "Se'i Sapi 250 g", "Selendang Tenun Ikat Sumba")


def sell(booth: Booth, till_shift: ShiftRow, items, *tenders: Tender):
    """A till sale into the open shift ``till``."""
    return checkout(booth, SaleRequest(items=tuple(SaleItem(q, sku=s) for s, q in items),
                                       tenders=tenders, shift_id=till_shift.id))


@pytest.fixture
def sale(booth: Booth, till_shift: ShiftRow):
    result = sell(booth, till_shift, (("KOP-001", 2), ("MAK-003", 1), ("TEN-001", 1)),
                  Tender(Method.QRIS, 300_000, "QR-1"), Tender(Method.CASH, 300_000))
    assert (result.number, result.total) == ("KPG-01-000001", 569_950)
    return result


def words_of(path: Path) -> tuple[PdfReader, str]:
    """The PDF and its text with all whitespace collapsed to single spaces."""
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def fonts_used(reader: PdfReader) -> set[str]:
    """BaseFont of every font that actually shows text (Tj, TJ, ', ") - reportlab's page
    preamble selects Helvetica in an empty text object, which draws nothing."""
    used = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        current = None
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"Tf":
                current = str(fonts[operands[0]].get_object()["/BaseFont"])
            elif op in (b"Tj", b"TJ", b"'", b'"'):
                used.add(current)
    return used


def assert_dejavu_embedded(reader: PdfReader) -> None:
    used = fonts_used(reader)
    assert used and all("DejaVuSans" in name for name in used), used
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        if "DejaVuSans" in str(font["/BaseFont"]):
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # the TrueType program is in the file


def print_jobs(booth: Booth) -> int:
    with sqlite3.connect(booth.db.path) as con:
        return con.execute("SELECT count(*) FROM print_job").fetchone()[0]


@pytest.mark.parametrize("width", [58, 80])
def test_receipt_pdf(booth: Booth, sale, tmp_path: Path, width: int) -> None:
    out = tmp_path / f"struk-{width}.pdf"
    assert save_receipt_pdf(booth, sale.number, out, width) == out
    reader, text = words_of(out)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert abs(float(page.mediabox.width) - width * MM) <= 0.5
    assert float(page.mediabox.height) > 100 * MM  # as long as the receipt needs

    assert "No. KPG-01-000001" in text
    assert "Time 21/11/2026 19:30 WITA" in text
    assert "Cashier pos" in text
    for name in LINE_NAMES:
        assert name in text
    for figure in ("2 x Rp85.000 Rp170.000", "1 x Rp45.000 Rp45.000",
                   "1 x Rp350.000 Rp350.000", "VAT (PPN) Rp4.950",
                   "Subtotal Rp565.000", "VAT (PPN) added Rp4.950", "TOTAL Rp569.950",
                   "QRIS Rp300.000 Ref. QR-1",
                   "Cash Rp300.000 Change Rp30.050",
                   "Prices include VAT (PPN) Rp16.847"):
        assert figure in text, figure
    for facility in ("Lapas Kelas IIB Ende", "Lapas Kelas IIA Kupang",
                     "Lapas Kelas IIA Waingapu"):
        assert text.count(f"Made by inmates of {facility}") == 1
    assert "COPY" not in text
    assert_dejavu_embedded(reader)
    assert print_jobs(booth) == 0  # saving a PDF is not a print


def test_receipt_pdf_says_copy_after_a_print(booth: Booth, sale, tmp_path: Path) -> None:
    from pos_app.services.sale.printing import PrinterConfig, print_receipt

    save_receipt_pdf(booth, sale.number, tmp_path / "a.pdf")
    assert "COPY" not in words_of(tmp_path / "a.pdf")[1]  # a PDF save does not count
    save_receipt_pdf(booth, sale.number, tmp_path / "b.pdf")
    assert "COPY" not in words_of(tmp_path / "b.pdf")[1]
    with FakePrinter("ok") as printer:
        assert print_receipt(booth, sale.number, PrinterConfig(printer.uri, 58, 2.0)).printed
    save_receipt_pdf(booth, sale.number, tmp_path / "c.pdf")
    assert words_of(tmp_path / "c.pdf")[1].count("COPY") == 1


def test_pdf_keeps_non_ascii_text(booth: Booth, till_shift: ShiftRow, tmp_path: Path) -> None:
    """The PDF is not folded to ASCII: DejaVu draws what the printer cannot."""
    with booth.db.write() as s:
        from sqlalchemy import text

        s.execute(text("UPDATE product SET name = 'Kopi Café Ende – “Spesial”' "
                       "WHERE sku = 'KOP-007'"))
    sold = sell(booth, till_shift, (("KOP-007", 1),), Tender(Method.CASH, 120_000))
    out = save_receipt_pdf(booth, sold.number, tmp_path / "cafe.pdf", 80)
    reader, text = words_of(out)
    assert "Kopi Café Ende – “Spesial”" in text
    assert "TOTAL Rp120.000" in text
    assert_dejavu_embedded(reader)


def test_kwitansi_pdf(booth: Booth, till_shift: ShiftRow, tmp_path: Path) -> None:
    sold = sell(booth, till_shift, (("TEN-002", 1), ("TEN-005", 1)),
                Tender(Method.TRANSFER, 1_750_000, "TRF-1"))
    assert sold.total == 1_750_000
    out = tmp_path / "kwitansi.pdf"
    assert save_kwitansi_pdf(booth, sold.number, out, "  Ibu Maria Seran ",
                             "Dinas Koperasi NTT") == out
    reader, text = words_of(out)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 210 * MM) <= 0.5
    assert abs(float(box.height) - 297 * MM) <= 0.5
    assert "KWITANSI" in text
    assert "No. KPG-01-KW-000001" in text  # numbered per device, apart from sales
    assert "Sale : KPG-01-000001" in text
    assert "COPY" not in text
    assert "Received from : Ibu Maria Seran" in text
    assert "Institution : Dinas Koperasi NTT" in text
    assert "The sum of : Satu juta tujuh ratus lima puluh ribu rupiah" in text
    assert ("For payment of : Purchase of goods made by inmates: "
            "1 Kain Tenun Buna Insana 2 m, 1 Selendang Tenun Amarasi") in text
    assert "Rp1.750.000" in text
    assert "Kupang, 21 November 2026" in text
    assert "( pos )" in text
    assert "Festival UMKM Kupang 2026" in text
    assert_dejavu_embedded(reader)


def test_kwitansi_pdf_custom_purpose_no_institution(booth: Booth, till_shift: ShiftRow,
                                                    tmp_path: Path) -> None:
    sold = sell(booth, till_shift, (("TEN-004", 1),), Tender(Method.CASH, 2_500_000))
    out = save_kwitansi_pdf(booth, sold.number, tmp_path / "k.pdf", "Bpk. Yosef Lede",
                            purpose="Cendera mata tamu gubernur")
    _reader, text = words_of(out)
    assert "Received from : Bpk. Yosef Lede" in text
    assert "Institution" not in text
    assert "The sum of : Dua juta lima ratus ribu rupiah" in text
    assert "For payment of : Cendera mata tamu gubernur" in text
    assert "Rp2.500.000" in text
