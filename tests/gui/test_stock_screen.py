"""The stock screen (F6) as a coordinator uses it: receiving goods by scanning, a product made
on the spot, a stock count with reasons (and a sale in the middle of it), close-out and
return, labels, export; what a cashier and a bad input get. Figures are checked against the
stock services and the rows they write."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QApplication, QFileDialog
from stdnum import ean

from pos_app.domain.tenders import Method, Tender
from pos_app.persistence.models import StockCountLine, StockDocument, StockMovement
from pos_app.services.access import auth
from pos_app.services.catalog import catalog
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.stock import stock
from pos_app.services.stock.stock_export import COLUMNS, row_values
from pos_app.ui.common.style import DANGER_SOFT, WARNING_SOFT
from pos_app.ui.stock.stock_count import CountDialog
from pos_app.ui.stock.stock_count_model import V_COUNTED, V_DIFFERENCE, V_EXPECTED, V_VALUE
from pos_app.ui.stock.stock_models import (
    D_NUMBER,
    D_STATUS,
    M_DOCUMENT,
    M_KIND,
    M_QTY,
    M_REASON,
    M_TIME,
    ON_HAND,
)
from pos_app.ui.stock.stock_receive import QTY, ReceiveDialog
from pos_app.ui.stock.stock_screen import DOCUMENTS_TAB, MOVEMENTS_TAB, StockScreen
from tests.gui.cashier import Cashier, count

TIMEOUT = 10_000
KOPI_BAJAWA = "8994111000016"  # KOP-001, Lapas Ende, Rp85.000, 40 on hand
KOPI_LIO = "8994111000092"  # KOP-009, Lapas Ende, Rp42.000, 30 on hand, no longer sold
PERAHU = "8994111000610"  # MIN-004, Lapas Ende, Rp300.000, 4 on hand
SASANDO = "8994101000590"  # MIN-002, Lapas Kupang


@pytest.fixture
def coordinator(qtbot, window, ops, booth, shift) -> Cashier:
    """Maria (coordinator) at the till during the shift."""
    maria = auth.login(booth, "Maria", "2468")
    window.app_ctx.login_state.start(maria, shift)
    window.activateWindow()
    return Cashier(qtbot, window, ops)


def on_hand_of(booth, sku: str) -> int:
    [row] = [r for r in stock.on_hand(booth, query=sku) if r.sku == sku]
    return row.on_hand


def open_stock(c: Cashier) -> StockScreen:
    c.press(Qt.Key.Key_F6)
    screen = c.wait_for(lambda: c.window.stock_dialog)
    c.qtbot.waitUntil(lambda: bool(screen.facilities and screen.on_hand_model.rowCount()),
                      timeout=TIMEOUT)
    c.wait_idle()
    return screen


def open_receive(c: Cashier, screen: StockScreen) -> ReceiveDialog:
    c.qtbot.mouseClick(screen.receive_button, Qt.MouseButton.LeftButton)
    return c.wait_for(lambda: screen.dialog)


def open_count(c: Cashier, screen: StockScreen, facility: str) -> CountDialog:
    c.qtbot.mouseClick(screen.count_button, Qt.MouseButton.LeftButton)
    dialog = c.wait_for(lambda: screen.dialog)
    dialog.facility_box.select(facility)
    c.wait_idle()
    c.qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    return dialog


def scan(c: Cashier, box, code: str) -> None:
    box.setFocus()
    box.clear()
    c.qtbot.keyClicks(box, code)
    c.qtbot.keyClick(box, Qt.Key.Key_Return)
    c.wait_idle()


def type_in_cell(c: Cashier, table, row: int, col: int, text: str) -> None:
    """Select the cell, start typing (the table opens its editor), Enter."""
    index = table.model().index(row, col)
    table.setCurrentIndex(index)
    table.setFocus()
    table.edit(index)
    editor = QApplication.focusWidget()
    assert editor is not table
    editor.selectAll()
    c.qtbot.keyClicks(editor, text)
    c.qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view commits on its next turn
    c.qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState,
                      timeout=TIMEOUT)
    c.wait_idle()


def cells(model, row: int, *cols: int) -> list[str]:
    return [model.index(row, col).data() for col in cols]


def row_of(model, sku: str) -> int:
    return next(i for i, r in enumerate(model.rows()) if (getattr(r, "sku", None)
                                                           or r.product.sku) == sku)


def fake_save_dialog(monkeypatch, path: Path, chosen: str = "") -> list[str]:
    asked: list[str] = []

    def answer(parent, title, suggested, filters):
        asked.append(Path(suggested).name)
        return str(path), chosen or filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return asked


def pdf_words(path: Path) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_receiving_by_scanning_shows_the_new_figures_and_movements(
        coordinator: Cashier, booth, tmp_path, monkeypatch) -> None:
    c = coordinator
    screen = open_stock(c)
    assert [(r.sku, r.on_hand) for r in screen.on_hand_model.rows()] == [
        (r.sku, r.on_hand) for r in stock.on_hand(booth)]
    dialog = open_receive(c, screen)
    dialog.facility_box.select("LP-END")
    c.qtbot.keyClicks(dialog.note_edit, "SJ-END/2026/045")
    scan(c, dialog.scan_box, KOPI_BAJAWA)
    scan(c, dialog.scan_box, KOPI_BAJAWA)  # the same piece again: the line goes to 2
    scan(c, dialog.scan_box, KOPI_LIO)
    assert dialog.items() == [("KOP-001", 2), ("KOP-009", 1)]
    type_in_cell(c, dialog.table, 1, QTY, "12")
    assert dialog.items() == [("KOP-001", 2), ("KOP-009", 12)]
    assert dialog.totals_label.text() == "2 lines · 14 units · Rp674.000"
    assert not dialog.facility_box.isEnabled()  # one receipt, one facility

    c.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    assert dialog.result.number == "KPG-01-TT-00001"
    assert dialog.banner.text() == ("Tanda terima KPG-01-TT-00001 recorded: 14 units from "
                                    "LP-END")
    assert (on_hand_of(booth, "KOP-001"), on_hand_of(booth, "KOP-009")) == (42, 42)

    # the on-hand view shows the ledger's new figures while the dialog is still open
    c.qtbot.waitUntil(lambda: not c.ops.busy, timeout=TIMEOUT)
    assert [(r.sku, r.on_hand, r.value) for r in screen.on_hand_model.rows()] == [
        (r.sku, r.on_hand, r.value) for r in stock.on_hand(booth)]
    kopi = row_of(screen.on_hand_model, "KOP-001")
    assert cells(screen.on_hand_model, kopi, ON_HAND) == ["42"]

    out = tmp_path / "tt.pdf"
    asked = fake_save_dialog(monkeypatch, out)
    c.qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    assert asked == ["KPG-01-TT-00001.pdf"]
    assert dialog.banner.text() == f"Saved: {out}"
    assert "KPG-01-TT-00001" in pdf_words(out) and "SJ-END/2026/045" in pdf_words(out)
    dialog.reject()
    c.wait_idle()

    screen.on_hand_table.selectRow(row_of(screen.on_hand_model, "KOP-001"))
    screen.tabs.setCurrentIndex(MOVEMENTS_TAB)
    c.wait_idle()
    model = screen.movement_model
    last = model.rowCount() - 1
    assert cells(model, last, M_TIME, M_KIND, M_QTY, M_DOCUMENT) == [
        "21/11/2026 19:30", "Received", "+2", "KPG-01-TT-00001"]
    assert model.row(last).balance == 42
    assert screen.product_label.text() == ("Kopi Arabika Flores Bajawa 250 g · KOP-001 · "
                                           "LP-END · on hand 42")


def test_a_new_product_made_while_receiving_gets_an_ean13_and_is_on_hand(
        coordinator: Cashier, booth) -> None:
    c = coordinator
    screen = open_stock(c)
    dialog = open_receive(c, screen)
    dialog.facility_box.select("LPKA-KPG")
    c.qtbot.keyClicks(dialog.note_edit, "LPKA/SJ/07")
    c.qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    product = c.wait_for(lambda: dialog.product_dialog)
    assert product.caption_label.text().startswith("Made by LPKA Kelas I Kupang.")
    c.qtbot.keyClicks(product.name_edit, "Lukisan Akrilik Pantai Kolbano 40x60")
    product.category_box.setCurrentIndex(product.category_box.findData("lukisan"))
    c.qtbot.keyClicks(product.price_edit, "350.000")
    c.qtbot.keyClick(product.price_edit, Qt.Key.Key_Return)
    c.wait_idle()
    assert not product.isVisible()
    made = product.product
    assert made.name == "Lukisan Akrilik Pantai Kolbano 40x60" and made.price == 350_000
    assert made.facility_code == "LPKA-KPG"
    assert len(made.barcode) == 13 and ean.is_valid(made.barcode)
    assert dialog.items() == [(made.sku, 1)]
    assert dialog.banner.text() == (f"New product Lukisan Akrilik Pantai Kolbano 40x60: SKU "
                                    f"{made.sku}, barcode {made.barcode}")

    scan(c, dialog.scan_box, made.barcode)  # its new barcode scans like any other
    assert dialog.items() == [(made.sku, 2)]
    c.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    assert dialog.result is not None
    assert on_hand_of(booth, made.sku) == 2
    assert catalog.find_by_code(booth, made.barcode).id == made.id
    c.qtbot.waitUntil(lambda: made.sku in [r.sku for r in screen.on_hand_model.rows()],
                      timeout=TIMEOUT)
    row = screen.on_hand_model.row(row_of(screen.on_hand_model, made.sku))
    assert (row.on_hand, row.value, row.category) == (2, 700_000, "Lukisan")


def test_a_count_shows_the_variance_and_approval_posts_it_with_reasons(
        coordinator: Cashier, booth, tmp_path, monkeypatch) -> None:
    c = coordinator
    screen = open_stock(c)
    dialog = open_count(c, screen, "LP-END")
    assert dialog.report.header.number == "KPG-01-SO-00001"
    assert dialog.status_label.text() == "Count KPG-01-SO-00001 · Lapas Kelas IIB Ende · Open"
    for _piece in range(5):
        scan(c, dialog.scan_box, PERAHU)
    assert dialog.last_label.text() == "Miniatur Perahu Peledang Lamalera: 5 counted"
    kopi = row_of(dialog.model, "KOP-001")
    type_in_cell(c, dialog.table, kopi, V_COUNTED, "38")

    model = dialog.model
    kopi, perahu = row_of(model, "KOP-001"), row_of(model, "MIN-004")
    assert cells(model, kopi, V_EXPECTED, V_COUNTED, V_DIFFERENCE, V_VALUE) == [
        "40", "38", "−2", "−Rp170.000"]
    assert cells(model, perahu, V_EXPECTED, V_COUNTED, V_DIFFERENCE, V_VALUE) == [
        "4", "5", "+1", "Rp300.000"]
    lio = row_of(model, "KOP-009")
    assert cells(model, lio, V_EXPECTED, V_COUNTED, V_DIFFERENCE) == ["30", "—", ""]
    assert dialog.figures_label.text() == ("Counted 2 of 7 products · shortage −Rp170.000 · "
                                           "surplus Rp300.000 · net Rp130.000")
    assert sorted(dialog.reason_boxes) == ["KOP-001", "MIN-004"]
    assert dialog.reason_boxes["KOP-001"].currentData() == "lost"  # the default for a shortage
    box = dialog.reason_boxes["KOP-001"]
    box.setCurrentIndex(box.findData("damaged"))
    assert (on_hand_of(booth, "KOP-001"), on_hand_of(booth, "MIN-004")) == (40, 4)

    movements = count(booth, StockMovement)
    c.qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    assert dialog.confirm.isVisible() and dialog.confirm.label.text() == (
        "Approve count KPG-01-SO-00001? 2 products counted; 2 changed by −1 units "
        "(Rp130.000). The differences are posted to stock.")
    assert count(booth, StockMovement) == movements  # asked, not yet done
    c.qtbot.mouseClick(dialog.confirm.yes_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    assert dialog.banner.text() == ("Count KPG-01-SO-00001 approved: 2 products adjusted "
                                    "(−1 units)")
    assert dialog.report.status == "approved" and not dialog.scan_box.isEnabled()
    assert (on_hand_of(booth, "KOP-001"), on_hand_of(booth, "MIN-004")) == (38, 5)
    for sku, qty, reason in (("KOP-001", -2, "damaged"), ("MIN-004", 1, "found")):
        product = catalog.find_by_code(booth, sku)
        last = stock.movements(booth, product.id)[-1]
        assert (last.kind, last.qty, last.reason, last.document_number, last.balance) == (
            "count", qty, reason, "KPG-01-SO-00001", on_hand_of(booth, sku))
    assert on_hand_of(booth, "KOP-009") == 30  # not counted: left alone

    dialog.reject()
    c.wait_idle()
    screen.on_hand_table.selectRow(row_of(screen.on_hand_model, "KOP-001"))
    screen.tabs.setCurrentIndex(MOVEMENTS_TAB)
    c.wait_idle()
    last = screen.movement_model.rowCount() - 1
    assert cells(screen.movement_model, last, M_KIND, M_QTY, M_DOCUMENT, M_REASON) == [
        "Count", "−2", "KPG-01-SO-00001", "Damaged"]

    screen.tabs.setCurrentIndex(DOCUMENTS_TAB)
    c.wait_idle()
    assert cells(screen.document_model, 0, D_NUMBER, D_STATUS) == ["KPG-01-SO-00001",
                                                                   "Approved"]
    screen.document_table.selectRow(0)
    out = tmp_path / "variance.pdf"
    asked = fake_save_dialog(monkeypatch, out)
    c.qtbot.mouseClick(screen.document_pdf_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    assert asked == ["variance-KPG-01-SO-00001.pdf"]
    assert screen.banner.text() == f"Saved: {out}" and "KPG-01-SO-00001" in pdf_words(out)


def test_a_sale_between_counting_and_approving_is_not_counted_twice(
        coordinator: Cashier, booth, shift, tmp_path, monkeypatch) -> None:
    c = coordinator
    screen = open_stock(c)
    dialog = open_count(c, screen, "LP-END")
    out = tmp_path / "sheet.pdf"
    asked = fake_save_dialog(monkeypatch, out)
    c.qtbot.mouseClick(dialog.sheet_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    assert asked == ["count-sheet-KPG-01-SO-00001.pdf"]
    assert "Miniatur Perahu Peledang Lamalera" in pdf_words(out)
    for _piece in range(2):
        scan(c, dialog.scan_box, PERAHU)
    dialog.reject()  # the count stays open, with what was counted
    c.wait_idle()
    c.qtbot.mouseClick(screen.count_button, Qt.MouseButton.LeftButton)
    dialog = c.wait_for(lambda: screen.dialog)
    dialog.facility_box.select("LP-END")
    c.wait_idle()
    assert dialog.start_button.text() == "Continue count KPG-01-SO-00001"
    c.qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    perahu = row_of(dialog.model, "MIN-004")
    assert cells(dialog.model, perahu, V_EXPECTED, V_COUNTED) == ["4", "2"]
    scan(c, dialog.scan_box, PERAHU)  # 3 on the shelf; the ledger says 4
    sale = checkout(booth, SaleRequest(items=(SaleItem(1, sku="MIN-004"),),
                                       tenders=(Tender(Method.CASH, 300_000),),
                                       cashier="Kasir", shift_id=shift.id))
    assert sale.total == 300_000 and on_hand_of(booth, "MIN-004") == 3
    c.qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    c.qtbot.mouseClick(dialog.confirm.yes_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    assert dialog.report.status == "approved"
    # 3 counted, one of them sold after: 2 left, not 3 (sale lost) nor 1 (sale twice)
    assert on_hand_of(booth, "MIN-004") == 2
    perahu = catalog.find_by_code(booth, PERAHU)
    assert [(m.kind, m.qty) for m in stock.movements(booth, perahu.id)][-2:] == [
        ("sale", -1), ("count", -1)]


def test_typing_a_name_offers_the_matching_products(coordinator: Cashier) -> None:
    c = coordinator
    screen = open_stock(c)
    dialog = open_receive(c, screen)
    dialog.facility_box.select("LP-END")
    scan(c, dialog.scan_box, "kopi")
    assert dialog.matches.isVisible()
    assert dialog.banner.text() == "2 products match: pick one"  # sold products of Ende
    texts = [dialog.matches.item(i).text() for i in range(dialog.matches.count())]
    assert [t.split("   ·   ")[1] for t in texts] == ["KOP-007", "KOP-001"]
    item = dialog.matches.item(1)
    c.qtbot.mouseClick(dialog.matches.viewport(), Qt.MouseButton.LeftButton,
                       pos=dialog.matches.visualItemRect(item).center())
    assert not dialog.matches.isVisible()
    assert dialog.items() == [("KOP-001", 1)]
    scan(c, dialog.scan_box, "kopi flores")  # one match in Ende: added at once
    assert dialog.items() == [("KOP-001", 2)]


def test_a_cashier_cannot_open_the_stock_screen(cashier: Cashier, booth) -> None:
    window = cashier.window
    assert not window.stock_action.isVisible()
    cashier.press(Qt.Key.Key_F6)
    cashier.wait_idle()
    assert window.stock_dialog is None
    assert window.sale_screen.notice.text() == ("The stock screen is for coordinators and "
                                                "admins; ask one to log in")


def test_a_coordinator_sees_the_stock_button(coordinator: Cashier) -> None:
    window = coordinator.window
    assert window.stock_action.isVisible() and window.stock_action.isEnabled()
    window.stock_action.trigger()
    coordinator.wait_for(lambda: window.stock_dialog)


def test_bad_input_shows_a_message_and_writes_nothing(coordinator: Cashier, booth) -> None:
    c = coordinator
    screen = open_stock(c)
    movements, documents = count(booth, StockMovement), count(booth, StockDocument)
    dialog = open_receive(c, screen)
    dialog.facility_box.select("LP-END")
    scan(c, dialog.scan_box, "8990000000000")
    assert dialog.banner.text() == "Unknown product: 8990000000000"
    assert dialog.items() == []
    scan(c, dialog.scan_box, SASANDO)  # made in Kupang, not in Ende
    assert dialog.banner.text() == ("Miniatur Sasando (MIN-002) belongs to another facility, "
                                    "not LP-END")
    scan(c, dialog.scan_box, KOPI_BAJAWA)
    c.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # no delivery note
    c.wait_idle()
    assert dialog.banner.text() == "Give the number of the facility's delivery note"
    assert dialog.result is None and dialog.isVisible()
    assert (count(booth, StockMovement), count(booth, StockDocument)) == (movements, documents)
    dialog.reject()

    counting = open_count(c, screen, "LP-END")
    scan(c, counting.scan_box, "8990000000000")
    assert counting.banner.text() == "Unknown product: 8990000000000"
    assert count(booth, StockCountLine) == 0
    assert count(booth, StockMovement) == movements


def test_export_writes_the_rows_of_the_view(coordinator: Cashier, booth, tmp_path,
                                            monkeypatch) -> None:
    c = coordinator
    checkout(booth, SaleRequest(items=(SaleItem(2, sku="LUK-001"),),  # 1 on hand: now -1
                                tenders=(Tender(Method.CASH, 1_500_000),), cashier="Kasir",
                                shift_id=c.window.app_ctx.login_state.shift_id))
    screen = open_stock(c)
    screen.facility_box.select("LP-KPG")
    c.wait_idle()
    rows = screen.on_hand_model.rows()
    assert [r.sku for r in rows] == [r.sku for r in stock.on_hand(booth, facility="LP-KPG")]
    assert len(rows) == 14
    lukisan = row_of(screen.on_hand_model, "LUK-001")
    patung = row_of(screen.on_hand_model, "KER-001")  # 3 on hand: low
    background = Qt.ItemDataRole.BackgroundRole
    assert screen.on_hand_model.index(lukisan, 0).data(background) == QColor(DANGER_SOFT)
    assert screen.on_hand_model.index(patung, 0).data(background) == QColor(WARNING_SOFT)
    assert cells(screen.on_hand_model, lukisan, ON_HAND) == ["−1"]

    out = tmp_path / "export" / "stok.csv"
    asked = fake_save_dialog(monkeypatch, out)
    c.qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    assert asked == ["stock-KPG-01-20261121.csv"]
    assert screen.banner.text() == f"Saved: {out}"
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark, for Excel
    with out.open(newline="", encoding="utf-8-sig") as fh:
        table = list(csv.reader(fh))
    assert table[0] == list(COLUMNS)
    assert table[1:] == [[str(v) for v in row_values(r)] for r in rows]
    assert ["LUK-001", "", "Lukisan Kanvas Pantai Lasiana 40x60", "Lukisan", "LP-KPG",
            "Lapas Kelas IIA Kupang", "750000", "-1", "-750000", "1"] in table

    screen.low_check.setChecked(True)
    c.wait_idle()
    low = screen.on_hand_model.rows()
    assert [r.sku for r in low] == ["LUK-001", "KER-001"]
    sheet = tmp_path / "stok.xlsx"
    fake_save_dialog(monkeypatch, sheet)
    c.qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    values = list(load_workbook(sheet, read_only=True)["on_hand"].values)
    assert values == [COLUMNS] + [tuple(v if v != "" else None for v in row_values(r))
                                  for r in low]


def test_close_out_returns_everything_left_with_a_surat_retur(
        coordinator: Cashier, booth, tmp_path, monkeypatch) -> None:
    c = coordinator
    screen = open_stock(c)
    c.qtbot.mouseClick(screen.closeout_button, Qt.MouseButton.LeftButton)
    dialog = c.wait_for(lambda: screen.dialog)
    dialog.facility_box.select("BP-KPG")
    c.wait_idle()
    assert dialog.totals_label.text() == ("Received 225 · sold 0 · refunded 0 · adjusted 0 · "
                                          "returned 0 · remaining 225 (Rp7.295.000)")
    c.qtbot.mouseClick(dialog.return_button, Qt.MouseButton.LeftButton)
    assert dialog.confirm.label.text() == ("Return 225 remaining units (Rp7.295.000) to Bapas "
                                           "Kelas II Kupang? The booth then holds none of its "
                                           "goods.")
    assert all(on_hand_of(booth, r.sku) > 0 for r in stock.on_hand(booth, facility="BP-KPG"))
    c.qtbot.mouseClick(dialog.confirm.yes_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    assert dialog.banner.text() == ("Surat retur KPG-01-SR-00001 recorded: 225 units back to "
                                    "BP-KPG")
    assert [r.on_hand for r in stock.on_hand(booth, facility="BP-KPG")] == [0] * 6
    assert dialog.totals_label.text().endswith("returned 225 · remaining 0 (Rp0)")
    out = tmp_path / "retur.pdf"
    asked = fake_save_dialog(monkeypatch, out)
    c.qtbot.mouseClick(dialog.retur_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    assert asked == ["KPG-01-SR-00001.pdf"] and "KPG-01-SR-00001" in pdf_words(out)


def test_labels_for_the_selected_products(coordinator: Cashier, booth, tmp_path,
                                          monkeypatch) -> None:
    c = coordinator
    screen = open_stock(c)
    screen.facility_box.select("LP-END")
    c.wait_idle()
    table, model = screen.on_hand_table, screen.on_hand_model
    c.qtbot.mouseClick(screen.labels_button, Qt.MouseButton.LeftButton)
    assert screen.banner.text().startswith("Select the products on the On hand list first")
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for sku in ("LUK-003", "MIN-004"):
        table.selectionModel().select(model.index(row_of(model, sku), 0), flags)
    c.qtbot.mouseClick(screen.labels_button, Qt.MouseButton.LeftButton)
    dialog = c.wait_for(lambda: screen.dialog)
    assert dialog.items() == [("LUK-003", 1), ("MIN-004", 4)]  # one per piece on hand
    type_in_cell(c, dialog.table, 1, 5, "2")
    assert dialog.total_label.text() == "3 labels"
    out = tmp_path / "labels.pdf"
    fake_save_dialog(monkeypatch, out)
    c.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    assert dialog.banner.text() == f"Saved: {out}"
    words = pdf_words(out)
    assert words.count("Miniatur Perahu Peledang Lamalera") == 2
    assert words.count("Lukisan Danau Kelimutu 50x70") == 1
