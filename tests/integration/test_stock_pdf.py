"""Printed stock documents (A4 PDF) built through the real stock services on the demo booth:
tanda terima, surat retur with the close-out, adjustment slip, blind count sheet, variance
report and close-out. Their text is read back with pypdf and checked to the rupiah."""

from __future__ import annotations

import re
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from pos_app.domain.errors import DomainError
from pos_app.domain.tenders import Method, Tender
from pos_app.i18n import load
from pos_app.services.catalog.catalog_edit import create_product
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.refunds import refund
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import ShiftRow
from pos_app.services.stock.stock_counts import (
    approve_count,
    cancel_count,
    enter_counts,
    start_count,
)
from pos_app.services.stock.stock_docs import adjust, receive, return_goods
from pos_app.services.stock.stock_print import (
    save_close_out_pdf,
    save_count_sheet_pdf,
    save_stock_document_pdf,
    save_variance_pdf,
)
from tests.integration.test_receipt_pdf import assert_dejavu_embedded

MARIA = {"actor": "Maria", "actor_role": "coordinator"}
KASIR = {"actor": "Kasir", "actor_role": "cashier"}
FACILITY = "LPKA-KPG — LPKA Kelas I Kupang (LPKA)"
DATE = "21 November 2026"  # the fixture clock: 19:30 WITA


def words_of(path: Path) -> tuple[PdfReader, str]:
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def absent(number: str, text: str) -> bool:
    """``number`` does not appear as a figure of its own (not inside a barcode or a date)."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", text) is None


@dataclass
class Event:
    """What the story below produced: document numbers."""

    receipt: str
    adjustment: str
    count: str
    adjustment_id: uuid.UUID


def sell(booth: Booth, till_shift: ShiftRow, items) -> str:
    total = sum(q * p for _, q, p in items)
    result = checkout(booth, SaleRequest(items=tuple(SaleItem(q, sku=s) for s, q, _ in items),
                                         tenders=(Tender(Method.CASH, total),),
                                         shift_id=till_shift.id))
    assert result.total == total
    return result.number


@pytest.fixture
def event(booth: Booth, till_shift: ShiftRow) -> Event:
    """LPKA Kupang at the festival. Opening stock from the demo: MAK-004 80, MAK-007 70,
    KER-008 20, LUK-005 3, MIN-008 20. Then: 24 + 12 + 2 received, 5 MAK-004 and 1 KER-008
    sold, 1 MAK-004 refunded, MIN-008 -2 and KER-008 -1 written off as damaged, a count
    finding MAK-004 97 (expected 100) and MAK-007 83 (expected 82)."""
    rec = receive(booth, "LPKA-KPG", [("MAK-004", 24), ("MAK-007", 12), ("LUK-005", 2)],
                  reference="SP-LPKA/117/XI/2026", **MARIA)
    sale = sell(booth, till_shift, [("MAK-004", 5, 15_000), ("KER-008", 1, 45_000)])
    refund(booth, sale, {1: 1}, method="cash", reason="changed mind", **MARIA)
    adj = adjust(booth, "LPKA-KPG", [("MIN-008", -2), ("KER-008", -1)], reason="damaged",
                 note="dropped at unloading", **MARIA)
    count = start_count(booth, "LPKA-KPG", **KASIR)
    enter_counts(booth, count.number, [("MAK-004", 97), ("MAK-007", 83)], **KASIR)
    return Event(rec.number, adj.number, count.number, adj.id)


def test_tanda_terima_lists_every_line_with_exact_totals(booth, event, tmp_path) -> None:
    out = save_stock_document_pdf(booth, event.receipt, tmp_path / "tt.pdf")
    assert out == tmp_path / "tt.pdf"
    reader, text = words_of(out)
    assert event.receipt == "KPG-01-TT-00001"
    assert_dejavu_embedded(reader)
    assert reader.metadata.title == "Goods received note KPG-01-TT-00001"
    for part in ("GOODS RECEIVED NOTE", "No. KPG-01-TT-00001", FACILITY, DATE,
                 "21 November 2026, 19:30 WITA", "Recorded by Maria",
                 "Delivery note no. SP-LPKA/117/XI/2026",
                 "1 MAK-004 8994103000352 Keripik Pisang Kepok 24 Rp15.000 Rp360.000",
                 "2 MAK-007 8994103000383 Keripik Ubi Ungu Pedas 12 Rp12.000 Rp144.000",
                 "3 LUK-005 8994103000505 Lukisan Akrilik Sasando 30x40 2 Rp250.000 Rp500.000",
                 "Total 38 Rp1.004.000", "Products 3", "Total units 38",
                 "Total value Rp1.004.000", "Kupang, 21 November 2026",
                 "Handed over by Received by", "Facility officer Booth officer", "( Maria )",
                 "Page 1 of 1"):
        assert part in text, part
    assert len(reader.pages) == 1
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)


def test_adjustment_slip_prints_signed_quantities_values_and_reasons(booth, event,
                                                                       tmp_path) -> None:
    out = tmp_path / "slips" / "sa.pdf"
    out.parent.mkdir()
    out.write_bytes(b"an older print")
    # By id, as text: the file is replaced in one step and no temporary file is left.
    assert save_stock_document_pdf(booth, str(event.adjustment_id), out) == out
    assert [p.name for p in out.parent.iterdir()] == ["sa.pdf"]
    by_number = save_stock_document_pdf(booth, event.adjustment.lower(), tmp_path / "n.pdf")
    _, text = words_of(out)
    assert words_of(by_number)[1] == text
    assert event.adjustment == "KPG-01-SA-00001"
    for part in ("STOCK ADJUSTMENT SLIP", "No. KPG-01-SA-00001", FACILITY,
                 "Note dropped at unloading",
                 "1 MIN-008 Miniatur Sasando Mini -2 Rp50.000 -Rp100.000 Damaged",
                 "2 KER-008 Sendok Kayu Set, isi 3 -1 Rp45.000 -Rp45.000 Damaged",
                 "Total -3 -Rp145.000", "Net units -3", "Net value -Rp145.000",
                 "Recorded by Acknowledged by", "( Maria )"):
        assert part in text, part


def test_count_sheet_is_blind(booth, event, tmp_path) -> None:
    reader, text = words_of(save_count_sheet_pdf(booth, event.count, tmp_path / "so.pdf"))
    for part in ("STOCK COUNT SHEET", "No. KPG-01-SO-00001", FACILITY, "Status Open",
                 "Recorded by Kasir", "No. SKU Barcode Product Counted Remarks",
                 "1 MAK-004 8994103000352 Keripik Pisang Kepok",
                 "2 MAK-007 8994103000383 Keripik Ubi Ungu Pedas",
                 "3 LUK-005 8994103000505 Lukisan Akrilik Sasando 30x40",
                 "4 MIN-008 8994103000659 Miniatur Sasando Mini",
                 "5 KER-008 8994103000482 Sendok Kayu Set, isi 3",
                 "Counted by Checked by"):
        assert part in text, part
    # Expected on-hand is 100, 82, 5, 18 and 18; counted so far 97 and 83: none printed.
    for figure in ("100", "82", "18", "97", "83"):
        assert absent(figure, text), figure
    assert "Expected" not in text and "Rp" not in text


def test_variance_report_open_then_approved(booth, event, tmp_path) -> None:
    _, text = words_of(save_variance_pdf(booth, event.count, tmp_path / "open.pdf"))
    for part in ("STOCK COUNT VARIANCE REPORT", "No. KPG-01-SO-00001", "Status Open",
                 "Counted 2 of 5 products",
                 "1 MAK-004 Keripik Pisang Kepok 100 97 -3 -Rp45.000 Lost",
                 "2 MAK-007 Keripik Ubi Ungu Pedas 82 83 +1 +Rp12.000 Found",
                 "3 LUK-005 Lukisan Akrilik Sasando 30x40 5 — — —",
                 "5 KER-008 Sendok Kayu Set, isi 3 18 — — —",
                 "Total -2 -Rp33.000", "Shortage value -Rp45.000",
                 "Surplus value +Rp12.000", "Net value -Rp33.000",
                 "Counted by Approved by", "( Kasir )"):
        assert part in text, part

    approve_count(booth, event.count, reasons={"MAK-004": "damaged"}, **MARIA)
    # A count number given to the generic document printer prints the variance report.
    _, text = words_of(save_stock_document_pdf(booth, event.count, tmp_path / "done.pdf"))
    # the sheet listed five products: an approved count still says so
    for part in ("Status Approved", "Approved by Maria", "Counted 2 of 5 products",
                 "1 MAK-004 Keripik Pisang Kepok 100 97 -3 -Rp45.000 Damaged",
                 "2 MAK-007 Keripik Ubi Ungu Pedas 82 83 +1 +Rp12.000 Found",
                 "Shortage value -Rp45.000", "Net value -Rp33.000", "( Kasir ) ( Maria )"):
        assert part in text, part
    assert "LUK-005" not in text
    indonesian = load("id").gettext
    out = save_variance_pdf(booth, event.count, tmp_path / "id.pdf", indonesian, "id")
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    assert "Dihitung 2 dari 5 produk" in text


def test_close_out_and_surat_retur(booth, event, tmp_path) -> None:
    approve_count(booth, event.count, **MARIA)
    _, text = words_of(save_close_out_pdf(booth, "lpka-kpg", tmp_path / "co.pdf"))
    head = "No. SKU Product Received Sold Refunded Adjusted Returned Remaining"
    for part in ("STOCK CLOSE-OUT", "LPKA-KPG — LPKA Kelas I Kupang",
                 "As of 21 November 2026, 19:30 WITA", head,
                 "1 MAK-004 Keripik Pisang Kepok 104 5 1 -3 0 97",
                 "2 MAK-007 Keripik Ubi Ungu Pedas 82 0 0 +1 0 83",
                 "3 LUK-005 Lukisan Akrilik Sasando 30x40 5 0 0 0 0 5",
                 "4 MIN-008 Miniatur Sasando Mini 20 0 0 -2 0 18",
                 "5 KER-008 Sendok Kayu Set, isi 3 20 1 0 -1 0 18",
                 "Total 231 6 1 -5 0 221", "Remaining value Rp5.411.000"):
        assert part in text, part

    ret = return_goods(booth, "LPKA-KPG", reference="BA-RETUR/LPKA/05", **MARIA)
    _, text = words_of(save_stock_document_pdf(booth, ret.number, tmp_path / "sr.pdf"))
    assert ret.number == "KPG-01-SR-00001"
    for part in ("GOODS RETURN NOTE", "No. KPG-01-SR-00001", FACILITY,
                 "Reference BA-RETUR/LPKA/05",
                 "1 MAK-004 8994103000352 Keripik Pisang Kepok 97 Rp15.000 Rp1.455.000",
                 "2 MAK-007 8994103000383 Keripik Ubi Ungu Pedas 83 Rp12.000 Rp996.000",
                 "3 LUK-005 8994103000505 Lukisan Akrilik Sasando 30x40 5 Rp250.000 "
                 "Rp1.250.000",
                 "4 MIN-008 8994103000659 Miniatur Sasando Mini 18 Rp50.000 Rp900.000",
                 "5 KER-008 8994103000482 Sendok Kayu Set, isi 3 18 Rp45.000 Rp810.000",
                 "Total 221 Rp5.411.000", "Total units 221", "Total value Rp5.411.000",
                 head, "1 MAK-004 Keripik Pisang Kepok 104 5 1 -3 97 0",
                 "Total 231 6 1 -5 221 0", "Remaining value Rp0",
                 "Handed over by Received by", "Booth officer Facility officer", "( Maria )"):
        assert part in text, part


def test_long_receipt_spans_pages_with_the_header_repeated(booth, tmp_path) -> None:
    """60 lines, long names, prices up to Rp12.500.000: every line, every page numbered."""
    items, value = [], 0
    for i in range(1, 61):
        price = 12_500_000 if i == 60 else 10_000 * i
        name = (f"Tenun Ikat Sumba Timur motif kuda dan rusa no. {i} dengan pewarna alam "
                f"akar mengkudu, panjang 250 cm")
        row = create_product(booth, name=name, facility_code="LP-WGP", category_code="tenun",
                             price=price, sku=f"TEN-X{i:02d}", **MARIA)
        items.append((row.sku, i))
        value += i * price
    doc = receive(booth, "LP-WGP", items, reference="SP/WGP/" + "9" * 40, **MARIA)
    reader, text = words_of(save_stock_document_pdf(booth, doc.number, tmp_path / "long.pdf"))
    pages = len(reader.pages)
    assert pages >= 3
    assert value == 1_452_100_000
    for n in range(1, pages + 1):
        assert f"Page {n} of {pages}" in reader.pages[n - 1].extract_text()
        assert "Unit price" in reader.pages[n - 1].extract_text()  # header on every page
    for i in range(1, 61):
        assert f"TEN-X{i:02d}" in text
    assert "60 Rp12.500.000 Rp750.000.000" in text
    assert "Total 1.830 Rp1.452.100.000" in text
    assert "Total value Rp1.452.100.000" in reader.pages[-1].extract_text().replace("\n", " ")


def test_unknown_documents_are_refused_and_leave_no_file(booth, event, tmp_path) -> None:
    folder = tmp_path / "pdf"
    folder.mkdir()
    for call, ref in ((save_stock_document_pdf, "KPG-01-TT-09999"),
                      (save_variance_pdf, event.receipt), (save_count_sheet_pdf, "nope")):
        with pytest.raises(DomainError) as err:
            call(booth, ref, folder / "x.pdf")
        assert err.value.code in {"unknown_stock_document", "unknown_count"}
    with pytest.raises(DomainError) as err:
        save_close_out_pdf(booth, "LP-NOWHERE", folder / "x.pdf")
    assert err.value.code == "unknown_facility_code"
    assert list(folder.iterdir()) == []


def test_below_zero_and_cancelled_counts_print_plainly(booth, till_shift, tmp_path) -> None:
    """Selling 4 of a painting with 3 in stock (the booth warns, not blocks) leaves -1."""
    sell(booth, till_shift, [("LUK-005", 4, 250_000)])
    _, text = words_of(save_close_out_pdf(booth, "LPKA-KPG", tmp_path / "co.pdf"))
    for part in ("1 MAK-004 Keripik Pisang Kepok 80 0 0 0 0 80",
                 "3 LUK-005 Lukisan Akrilik Sasando 30x40 3 4 0 0 0 -1",
                 "Total 193 4 0 0 0 189", "Remaining value Rp3.940.000",
                 "Below zero, count these first: LUK-005"):
        assert part in text, part

    count = start_count(booth, "LPKA-KPG", **MARIA)
    enter_counts(booth, count.number, [("LUK-005", 0)], **MARIA)
    cancel_count(booth, count.number, **MARIA)
    _, text = words_of(save_variance_pdf(booth, count.id, tmp_path / "so.pdf"))
    for part in ("Status Cancelled", "Cancelled by Maria",
                 "3 LUK-005 Lukisan Akrilik Sasando 30x40 -1 0 +1 +Rp250.000 Found",
                 "Surplus value +Rp250.000", "Net value +Rp250.000", "Counted by Cancelled by",
                 "( Maria ) ( Maria )"):
        assert part in text, part
