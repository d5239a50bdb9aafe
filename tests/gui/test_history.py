"""The sales history (F8): search by number, receipt QR, date and amount; the on-screen receipt
is the printer's document; reprint says COPY; Save PDF and the kwitansi write real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from pos_app.domain.tenders import Method, Tender
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.printing import PrinterConfig, print_receipt
from pos_app.ui.history.history_dialog import HistoryDialog
from tests.gui.cashier import Cashier, print_jobs, use_printer
from tests.integration.fake_printer import FakePrinter

TIMEOUT = 10_000


@pytest.fixture
def sold(booth, shift):
    """KPG-01-000001: three facilities, QRIS + cash (Rp569.950); KPG-01-000002: Rp85.000."""
    first = checkout(booth, SaleRequest(
        items=(SaleItem(2, sku="KOP-001"), SaleItem(1, sku="MAK-003"), SaleItem(1, sku="TEN-001")),
        tenders=(Tender(Method.QRIS, 300_000, "QR-1"), Tender(Method.CASH, 300_000)),
        cashier="Kasir", shift_id=shift.id))
    second = checkout(booth, SaleRequest(items=(SaleItem(1, sku="KOP-001"),),
                                         tenders=(Tender(Method.CASH, 100_000),),
                                         cashier="Kasir", shift_id=shift.id))
    assert (first.number, first.total, second.number, second.total) == (
        "KPG-01-000001", 569_950, "KPG-01-000002", 85_000)
    return first, second


def open_history(cashier: Cashier) -> HistoryDialog:
    cashier.press(Qt.Key.Key_F8)
    cashier.qtbot.waitUntil(lambda: cashier.window.history_dialog is not None
                            and cashier.window.history_dialog.isVisible(), timeout=TIMEOUT)
    dialog = cashier.activate(cashier.window.history_dialog)
    cashier.wait_idle()
    return dialog


def search(cashier: Cashier, dialog: HistoryDialog, text: str) -> list[str]:
    """Type (or scan) ``text`` and Enter; the sale numbers found."""
    dialog.search_edit.clear()
    cashier.qtbot.keyClicks(dialog.search_edit, text)
    cashier.qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    cashier.wait_idle()
    return [row.number for row in dialog.model.rows()]


def preview_lines(dialog: HistoryDialog) -> list[str]:
    return dialog.preview.text().splitlines()


def open_kwitansi(cashier: Cashier, dialog: HistoryDialog):
    """Ctrl+K's button: the dialog opens once the service said what a save would do."""
    cashier.qtbot.mouseClick(dialog.kwitansi_button, Qt.MouseButton.LeftButton)
    cashier.qtbot.waitUntil(lambda: dialog.kwitansi_dialog is not None, timeout=TIMEOUT)
    return cashier.activate(dialog.kwitansi_dialog)


def test_search_by_number_qr_date_and_amount(cashier: Cashier, sold) -> None:
    first, second = sold
    dialog = open_history(cashier)
    assert [row.number for row in dialog.model.rows()] == ["KPG-01-000002", "KPG-01-000001"]
    assert [dialog.model.index(0, c).data() for c in range(5)] == [
        "KPG-01-000002", "21/11/2026 19:30", "Kasir", "Rp85.000", "Not printed"]
    assert dialog.count_label.text() == "2 sales"

    assert search(cashier, dialog, "KPG-01-000001") == ["KPG-01-000001"]
    assert search(cashier, dialog, "kpg-01-000002") == ["KPG-01-000002"]
    assert search(cashier, dialog, f"LAPAK:KPG-01-000001:{first.id}") == ["KPG-01-000001"]
    assert dialog.search_edit.selectedText() == f"LAPAK:KPG-01-000001:{first.id}"  # next scan
    assert search(cashier, dialog, "569.950") == ["KPG-01-000001"]
    assert search(cashier, dialog, "85000") == ["KPG-01-000002"]
    assert search(cashier, dialog, "21/11/2026") == ["KPG-01-000002", "KPG-01-000001"]
    assert search(cashier, dialog, "2026-11-22") == []
    assert dialog.count_label.text() == "0 sales"
    assert not dialog.reprint_button.isEnabled() and dialog.preview_hint.isVisible()


def test_the_preview_is_the_printed_receipt(cashier: Cashier, sold) -> None:
    dialog = open_history(cashier)
    search(cashier, dialog, "KPG-01-000001")
    cashier.qtbot.waitUntil(lambda: "KPG-01-000001" in dialog.preview.text(), timeout=TIMEOUT)
    assert preview_lines(dialog) == [  # 58 mm: 32 columns, large text at double width
        " Festival UMKM",
        "  Kupang 2026",
        "         Device KPG-01",
        "     DEMO - not a real sale",  # the fixtures are demo databases
        "-" * 32,
        "No.                KPG-01-000001",
        "Time       21/11/2026 19:30 WITA",
        "Cashier                    Kasir",
        "-" * 32,
        "Kopi Arabika Flores Bajawa 250 g",
        "  2 x Rp85.000         Rp170.000",
        "Se'i Sapi 250 g",
        "  1 x Rp45.000          Rp45.000",
        "  VAT (PPN)              Rp4.950",
        "Selendang Tenun Ikat Sumba",
        "  1 x Rp350.000        Rp350.000",
        "-" * 32,
        "Subtotal               Rp565.000",
        "VAT (PPN) added          Rp4.950",
        "TOTAL  Rp569.950",
        "QRIS                   Rp300.000",
        "  Ref.                      QR-1",
        "Cash                   Rp300.000",
        "Change                  Rp30.050",
        "Prices include VAT (PPN)",
        "Rp16.847",
        "-" * 32,
        " Made by inmates of Lapas Kelas",
        "            IIB Ende",
        " Made by inmates of Lapas Kelas",
        "           IIA Kupang",
        " Made by inmates of Lapas Kelas",
        "          IIA Waingapu",
        "  Thank you for supporting the",
        "   work of NTT's correctional",
        "           facilities",
    ]
    assert not dialog.preview.paper.qr["LAPAK:KPG-01-000001:" + str(sold[0].id)].isNull()


def test_the_preview_follows_the_paper_width(cashier: Cashier, booth, sold, tmp_path) -> None:
    use_printer(cashier.window, booth, f"pdf://{tmp_path / 'unused'}", printer_width="80")
    dialog = open_history(cashier)
    search(cashier, dialog, "KPG-01-000002")
    cashier.qtbot.waitUntil(lambda: "KPG-01-000002" in dialog.preview.text(), timeout=TIMEOUT)
    lines = preview_lines(dialog)
    assert lines[3] == "DEMO - not a real sale".center(48).rstrip()  # a demo database
    assert lines[4] == "-" * 48
    assert "No.                                KPG-01-000002" in lines
    assert "TOTAL           Rp85.000" in lines  # 24 double-width columns


def test_reprint_from_history_is_a_copy(cashier: Cashier, booth, sold) -> None:
    first, _second = sold
    with FakePrinter("ok") as printer:
        use_printer(cashier.window, booth, printer.uri)
        assert print_receipt(booth, first.number, PrinterConfig(printer.uri)).printed
        dialog = open_history(cashier)
        search(cashier, dialog, "KPG-01-000001")
        assert dialog.model.index(0, 4).data() == "Printed"
        cashier.qtbot.waitUntil(lambda: "COPY" in dialog.preview.text(), timeout=TIMEOUT)

        cashier.qtbot.mouseClick(dialog.reprint_button, Qt.MouseButton.LeftButton)
        assert dialog.banner.text() == "Receipt KPG-01-000001 sent to the printer…"
        cashier.qtbot.waitUntil(lambda: len(print_jobs(booth)) == 2, timeout=TIMEOUT)
        cashier.qtbot.waitUntil(
            lambda: dialog.banner.text() == "Copy of receipt KPG-01-000001 printed",
            timeout=TIMEOUT)
        original, copy = printer.wait_closed(2)
    assert [(j.document_kind, j.document_id, j.status, j.copy, j.error_code)
            for j in print_jobs(booth)] == [
        ("receipt", first.id, "printed", False, None), ("receipt", first.id, "printed", True, None)]
    assert b"COPY" not in original.receipt
    assert copy.receipt.count(b"COPY\n") == 1 and b"KPG-01-000001" in copy.receipt
    cashier.wait_idle()
    assert dialog.model.index(0, 4).data() == "Printed"


def test_reprint_without_a_printer_says_how_to_set_one(cashier: Cashier, booth, sold) -> None:
    dialog = open_history(cashier)
    cashier.qtbot.mouseClick(dialog.reprint_button, Qt.MouseButton.LeftButton)
    assert dialog.banner.text() == ("No receipt printer is set up. Set one up in Settings (F9), "
                                    "or save a PDF.")
    assert print_jobs(booth) == []


def fake_save_dialog(monkeypatch, path: Path) -> list[str]:
    """QFileDialog answers ``path``; the suggested names are collected."""
    asked: list[str] = []

    def answer(parent, title, suggested, filters):
        asked.append(Path(suggested).name)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return asked


def pdf_words(path: Path) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(text.split())


def test_save_pdf_writes_the_receipt(cashier: Cashier, booth, sold, tmp_path, monkeypatch
                                     ) -> None:
    out = tmp_path / "struk" / "KPG-01-000001.pdf"
    asked = fake_save_dialog(monkeypatch, out)
    dialog = open_history(cashier)
    search(cashier, dialog, "KPG-01-000001")
    cashier.qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    cashier.wait_idle()
    assert asked == ["KPG-01-000001.pdf"]
    assert dialog.banner.text() == f"Saved: {out}"
    words = pdf_words(out)
    for text in ("KPG-01-000001", "Kopi Arabika Flores Bajawa 250 g", "Rp569.950",
                 "Made by inmates of Lapas Kelas IIB Ende"):
        assert text in words
    assert print_jobs(booth) == []  # a PDF is not a print


def test_kwitansi_needs_a_buyer_and_writes_the_pdf(cashier: Cashier, booth, sold, tmp_path,
                                                   monkeypatch) -> None:
    out = tmp_path / "kwitansi.pdf"
    asked = fake_save_dialog(monkeypatch, out)
    dialog = open_history(cashier)
    search(cashier, dialog, "569950")
    kwitansi = open_kwitansi(cashier, dialog)
    cashier.qtbot.keyClick(kwitansi.buyer_edit, Qt.Key.Key_Return)
    assert kwitansi.isVisible()
    assert kwitansi.error.text() == "Type the name of the buyer"
    assert asked == [] and not out.exists()

    cashier.qtbot.keyClicks(kwitansi.buyer_edit, "Maria Goreti Bria")
    cashier.qtbot.keyClicks(kwitansi.institution_edit, "Dinas Koperasi dan UKM Provinsi NTT")
    cashier.qtbot.mouseClick(kwitansi.save_button, Qt.MouseButton.LeftButton)
    cashier.wait_idle()
    assert not kwitansi.isVisible()
    assert asked == ["kwitansi-KPG-01-000001.pdf"]
    assert dialog.banner.text() == f"Saved: {out}"
    words = pdf_words(out)
    for text in ("KWITANSI", "KPG-01-000001", "Maria Goreti Bria",
                 "Dinas Koperasi dan UKM Provinsi NTT", "Rp569.950",
                 "Purchase of goods made by inmates: 2 Kopi Arabika Flores Bajawa 250 g"):
        assert text in words


def test_kwitansi_button_is_off_for_what_gets_none(cashier: Cashier, booth, shift, sold,
                                                   tmp_path, monkeypatch) -> None:
    """Off (with a tooltip saying why) for a void or refund document, a voided sale and a
    sale refunded in full; a partly refunded sale's kwitansi is for the money kept."""
    from PySide6.QtWidgets import QLabel

    from pos_app.services.sale.refunds import refund, void_sale

    boss = {"actor": "Maria", "actor_role": "coordinator", "shift_id": shift.id}
    void_sale(booth, "KPG-01-000002", reason="batal", **boss)  # 000003
    refund(booth, "KPG-01-000001", {2: 1}, method="cash", reason="salah", **boss)  # 000004
    checkout(booth, SaleRequest(items=(SaleItem(1, sku="KOP-001"),),  # 000005
                                tenders=(Tender(Method.CASH, 100_000),), cashier="Kasir",
                                shift_id=shift.id))
    refund(booth, "KPG-01-000005", {1: 1}, method="cash", reason="rusak", **boss)  # 000006
    dialog = open_history(cashier)
    expected = {
        "KPG-01-000001": (True, "A kwitansi for the money kept of this sale (Ctrl+K)"),
        "KPG-01-000002": (False, "This sale was voided: it gets no kwitansi"),
        "KPG-01-000003": (False, "A void document gets no kwitansi"),
        "KPG-01-000004": (False, "A refund document (money paid out) gets no kwitansi"),
        "KPG-01-000005": (False, "This sale was refunded in full: it gets no kwitansi"),
        "KPG-01-000006": (False, "A refund document (money paid out) gets no kwitansi"),
    }
    for number, (enabled, tip) in expected.items():
        assert search(cashier, dialog, number) == [number]
        assert (dialog.kwitansi_button.isEnabled(), dialog.kwitansi_button.toolTip()) == (
            enabled, tip), number
        if not enabled:  # the shortcut does not get round the button
            cashier.qtbot.keyClick(dialog, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
            assert dialog.kwitansi_dialog is None
    # The on-screen receipt of the voided sale is marked, with the void's number.
    assert search(cashier, dialog, "KPG-01-000002") == ["KPG-01-000002"]
    cashier.qtbot.waitUntil(lambda: "VOIDED" in dialog.preview.text(), timeout=TIMEOUT)
    assert any(line.strip() == "Void: KPG-01-000003" for line in preview_lines(dialog))
    assert search(cashier, dialog, "KPG-01-000001") == ["KPG-01-000001"]
    asked = fake_save_dialog(monkeypatch, tmp_path / "kw.pdf")
    kwitansi = open_kwitansi(cashier, dialog)
    captions = " ".join(label.text() for label in kwitansi.findChildren(QLabel))
    assert "for Rp520.000." in captions  # 569.950 less the refund's 49.950
    cashier.qtbot.keyClicks(kwitansi.buyer_edit, "Maria Goreti Bria")
    cashier.qtbot.mouseClick(kwitansi.save_button, Qt.MouseButton.LeftButton)
    cashier.wait_idle()
    assert asked == ["kwitansi-KPG-01-000001.pdf"]
    words = pdf_words(tmp_path / "kw.pdf")
    assert "KPG-01-KW-000001" in words and "Rp520.000" in words
    assert "Less refunds : KPG-01-000004 Rp49.950" in words


def test_a_second_kwitansi_is_a_copy_with_the_original_filled_in_and_locked(
        cashier: Cashier, booth, sold, tmp_path, monkeypatch) -> None:
    from pos_app.services.sale.kwitansi import kwitansi_for

    kwitansi_for(booth, "KPG-01-000001", "Maria Goreti Bria", "Dinas Koperasi NTT",
                 "Kain tenun untuk seragam")
    asked = fake_save_dialog(monkeypatch, tmp_path / "copy.pdf")
    dialog = open_history(cashier)
    search(cashier, dialog, "KPG-01-000001")
    kwitansi = open_kwitansi(cashier, dialog)
    fields = (kwitansi.buyer_edit, kwitansi.institution_edit, kwitansi.purpose_edit)
    assert [(f.text(), f.isReadOnly()) for f in fields] == [
        ("Maria Goreti Bria", True), ("Dinas Koperasi NTT", True),
        ("Kain tenun untuk seragam", True)]
    from PySide6.QtWidgets import QLabel

    captions = " ".join(label.text() for label in kwitansi.findChildren(QLabel))
    assert "Kwitansi KPG-01-KW-000001 was issued before: this is a copy (SALINAN)" in captions
    cashier.qtbot.mouseClick(kwitansi.save_button, Qt.MouseButton.LeftButton)
    cashier.wait_idle()
    assert asked == ["kwitansi-KPG-01-000001.pdf"]
    words = pdf_words(tmp_path / "copy.pdf")
    assert "COPY" in words and "KPG-01-KW-000001" in words and "Maria Goreti Bria" in words


def test_a_sale_with_nothing_paid_gets_no_kwitansi(cashier: Cashier, booth, shift) -> None:
    from pos_app.domain.cart import Discount

    checkout(booth, SaleRequest(items=(SaleItem(1, sku="KOP-001",
                                                discount=Discount.percent(100)),),
                                tenders=(), source="cli", shift_id=shift.id))
    dialog = open_history(cashier)
    assert search(cashier, dialog, "KPG-01-000001") == ["KPG-01-000001"]
    assert (dialog.kwitansi_button.isEnabled(), dialog.kwitansi_button.toolTip()) == (
        False, "Nothing was paid for this sale: it gets no kwitansi")
