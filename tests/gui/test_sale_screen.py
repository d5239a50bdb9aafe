"""The sale screen driven like a cashier would: scanner, grid taps, +/- keys, discounts."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pos_app.domain.tenders import Method
from pos_app.persistence.models import Sale, SaleLine
from pos_app.services.catalog import catalog
from pos_app.ui.sale.product_grid import PAGE
from tests.gui.cashier import Cashier, count, sale_lines, sale_movements, sales

KOPI_BAJAWA = "8994111000016"  # Kopi Arabika Flores Bajawa 250 g, Rp85.000, LP-END (PPN included)


def test_a_scanned_barcode_goes_into_the_cart_and_is_sold(cashier: Cashier, booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    assert cashier.cart() == [("Kopi Arabika Flores Bajawa 250 g", 1)]
    assert cashier.screen.scan_box.text() == ""  # ready for the next scan
    assert cashier.screen.scan_box.hasFocus()
    assert cashier.total_shown() == "Rp85.000"

    cashier.scan(KOPI_BAJAWA)  # the same product again: one line, two pieces
    assert cashier.cart() == [("Kopi Arabika Flores Bajawa 250 g", 2)]
    model = cashier.screen.panel.model
    assert [model.index(0, c).data() for c in range(5)] == [
        "Kopi Arabika Flores Bajawa 250 g", "2", "Rp85.000", "", "Rp170.000"]

    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CASH, "170000")
    cashier.confirm(dialog)

    [line] = sale_lines(booth)
    assert (line.sku, line.name, line.facility_name, line.qty, line.unit_price, line.gross,
            line.line_discount, line.sale_discount, line.tax_mode, line.tax, line.total) == (
        "KOP-001", "Kopi Arabika Flores Bajawa 250 g", "Lapas Kelas IIB Ende", 2, 85_000,
        170_000, 0, 0, "included", 16_847, 170_000)
    [movement] = sale_movements(booth)
    assert (movement.qty, movement.document_id, movement.note) == (-2, line.sale_id,
                                                                   "KPG-01-000001")


def test_an_unknown_code_is_said_inline_and_selected_for_the_next_scan(cashier: Cashier,
                                                                      booth) -> None:
    cashier.scan("8990000000000")
    notice = cashier.screen.notice
    assert notice.kind() == "error"
    assert notice.text() == "No product has the code “8990000000000”"
    box = cashier.screen.scan_box
    assert box.hasFocus() and box.selectedText() == "8990000000000"
    assert cashier.cart() == []

    cashier.scan(KOPI_BAJAWA)  # the next scan replaces the selected code and clears the notice
    assert cashier.cart() == [("Kopi Arabika Flores Bajawa 250 g", 1)]
    assert notice.text() == ""
    assert count(booth, Sale) == 0


def test_plus_and_minus_keys_change_the_selected_line(cashier: Cashier, booth) -> None:
    cashier.tap_product("Keripik Pisang Kepok")  # Rp15.000, LPKA-KPG
    cashier.tap_product("Kue Rambut")  # Rp20.000, LPP-KPG
    assert cashier.cart() == [("Keripik Pisang Kepok", 1), ("Kue Rambut", 1)]

    view = cashier.screen.panel.view
    view.setFocus()
    view.select_row(0)
    for key in (Qt.Key.Key_Plus, Qt.Key.Key_Plus, Qt.Key.Key_Plus, Qt.Key.Key_Minus):
        cashier.press(key, view)
    assert cashier.cart() == [("Keripik Pisang Kepok", 3), ("Kue Rambut", 1)]

    view.select_row(1)  # with the scan box empty, + and - work there too
    cashier.press(Qt.Key.Key_Plus, cashier.screen.scan_box)
    assert cashier.cart() == [("Keripik Pisang Kepok", 3), ("Kue Rambut", 2)]
    cashier.press(Qt.Key.Key_Minus, cashier.screen.scan_box)
    cashier.press(Qt.Key.Key_Minus, cashier.screen.scan_box)  # below one: the line goes
    assert cashier.cart() == [("Keripik Pisang Kepok", 3)]
    assert cashier.total_shown() == "Rp45.000"

    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CASH, "50000")
    cashier.confirm(dialog)
    [sale] = sales(booth)
    assert (sale.total, sale.tendered, sale.change) == (45_000, 50_000, 5_000)
    assert [(ln.name, ln.qty, ln.total) for ln in sale_lines(booth)] == [
        ("Keripik Pisang Kepok", 3, 45_000)]
    assert [m.qty for m in sale_movements(booth)] == [-3]


def test_delete_removes_the_selected_line(cashier: Cashier, booth) -> None:
    cashier.tap_product("Kue Rambut")
    cashier.tap_product("Haik Lontar")
    view = cashier.screen.panel.view
    view.select_row(0)
    cashier.press(Qt.Key.Key_Delete, view)
    assert cashier.cart() == [("Haik Lontar", 1)]
    assert count(booth, SaleLine) == 0


def test_categories_facilities_and_search_narrow_the_grid(cashier: Cashier, booth) -> None:
    grid = cashier.screen.grid
    first_page = [r.name for r in catalog.products(booth, limit=PAGE)]
    assert cashier.grid_names() == first_page
    assert "Kopi Lio Ende 200 g" not in first_page  # inactive in the demo catalog
    kopi = next(b for b in grid.category_buttons() if b.label() == "Kopi")
    cashier.qtbot.mouseClick(kopi, Qt.MouseButton.LeftButton)
    cashier.wait_idle()
    assert cashier.grid_names() == [
        "Kopi Arabika Bajawa Biji Sangrai 500 g", "Kopi Arabika Flores Bajawa 250 g",
        "Kopi Arabika Manggarai Juria 250 g", "Kopi Jahe Timor 200 g", "Kopi Kolo Ruteng 250 g",
        "Kopi Robusta Flores Sikka 250 g", "Kopi Robusta Kapan Mollo 250 g",
        "Kopi Robusta Manggarai 200 g"]
    combo = grid.facility_combo
    combo.setCurrentIndex(combo.findText("Rutan Kelas IIB Ruteng (RT-RTG)"))
    cashier.wait_idle()
    assert cashier.grid_names() == ["Kopi Arabika Manggarai Juria 250 g",
                                    "Kopi Kolo Ruteng 250 g", "Kopi Robusta Manggarai 200 g"]
    combo.setCurrentIndex(0)

    cashier.type_in_scan_box("sasando")
    cashier.qtbot.waitUntil(lambda: grid.caption.text() == "4 found for “sasando”", timeout=5000)
    assert cashier.grid_names() == ["Gantungan Kunci Sasando", "Lukisan Akrilik Sasando 30x40",
                                    "Miniatur Sasando", "Miniatur Sasando Mini"]
    cashier.tap_product("Miniatur Sasando Mini")
    assert cashier.cart() == [("Miniatur Sasando Mini", 1)]


def test_line_and_whole_sale_discounts_are_priced_and_recorded(cashier: Cashier, booth) -> None:
    cashier.tap_product("Selendang Tenun Amarasi")  # Rp250.000, LPP-KPG
    cashier.tap_product("Madu Hutan Timor 250 ml")  # Rp65.000, RT-SOE
    screen = cashier.screen
    screen.panel.view.select_row(0)

    cashier.press(Qt.Key.Key_F2)  # line discount
    dialog = screen.discount_dialog
    assert dialog.isVisible()
    dialog.set_percent("10")
    cashier.qtbot.keyClick(dialog.value_edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()

    cashier.press(Qt.Key.Key_F3)  # whole-sale discount larger than the sale: refused inline
    dialog = screen.discount_dialog
    dialog.set_amount("400.000")
    dialog.confirm()
    assert dialog.isVisible()
    assert dialog.error.text() == "The discount is larger than the amount it applies to"
    dialog.set_amount("5.000")
    dialog.confirm()
    assert not dialog.isVisible()
    # 250.000 - 10% = 225.000; 65.000; Rp5.000 shared 225:65 -> 3.879 + 1.121
    assert cashier.total_shown() == "Rp285.000"

    payment = cashier.open_payment()
    cashier.tender(payment, Method.CASH, "300000")
    cashier.confirm(payment)
    [sale] = sales(booth)
    assert (sale.subtotal, sale.discount, sale.total, sale.change) == (
        315_000, 30_000, 285_000, 15_000)
    assert [(ln.name, ln.gross, ln.line_discount, ln.sale_discount, ln.discount_bp, ln.total)
            for ln in sale_lines(booth)] == [
        ("Selendang Tenun Amarasi", 250_000, 25_000, 3_879, 1000, 221_121),
        ("Madu Hutan Timor 250 ml", 65_000, 0, 1_121, None, 63_879)]
    assert sorted(m.qty for m in sale_movements(booth)) == [-1, -1]


def test_the_grid_works_by_keyboard(cashier: Cashier) -> None:
    cashier.press(Qt.Key.Key_Down)  # from the scan box into the grid, on the first tile
    view = cashier.screen.grid.view
    assert view.hasFocus()
    cashier.press(Qt.Key.Key_Right, view)
    cashier.press(Qt.Key.Key_Return, view)
    assert cashier.cart() == [(cashier.grid_names()[1], 1)]
    cashier.press(Qt.Key.Key_F1, view)
    assert cashier.screen.scan_box.hasFocus()


def test_a_big_catalog_is_loaded_a_page_at_a_time(cashier: Cashier, booth, tmp_path) -> None:
    from pos_app.services.catalog.catalog_import import import_catalog

    csv = tmp_path / "big.csv"
    rows = [f"ZZ-{i:04d},,Zz Produk {i:04d},kopi,LP-KPG,{1000 + i},none,1," for i in range(300)]
    csv.write_text("sku,barcode,name,category,facility,price,tax_mode,active,stock\n"
                   + "\n".join(rows) + "\n", encoding="utf-8")
    import_catalog(booth, csv)
    total = catalog.count_products(booth) - 2  # two demo products are inactive

    grid = cashier.screen.grid
    grid.reload()
    cashier.wait_idle()
    assert grid.model.rowCount() == PAGE
    bar = grid.view.verticalScrollBar()

    def scrolled_to_the_end_and_more_came(before: int) -> bool:
        bar.setValue(bar.maximum())  # at the end the view asks the model for the next page
        return grid.model.rowCount() > before

    while grid.model.rowCount() < total:
        before = grid.model.rowCount()
        cashier.qtbot.waitUntil(lambda b=before: scrolled_to_the_end_and_more_came(b),
                                timeout=5000)
    cashier.wait_idle()
    names = cashier.grid_names()
    assert len(names) == total == len(set(names))
    assert names[-1] == "Zz Produk 0299"
    assert not grid.model.canFetchMore(grid.model.index(-1, 0).parent())
