"""A clean screen for the next customer: after a sale the search and the grid's filters reset;
the change banner goes when the next sale starts or the user changes; the Resume button counts
the parked sales waiting; Enter confirms the shift close."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pos_app.domain.tenders import Method
from tests.gui.cashier import TIMEOUT, Cashier, sales
from tests.gui.test_shift_close import open_close_dialog

KOPI_BAJAWA = "8994111000016"  # Rp85.000
HAIK_LONTAR = "8994101000248"  # Rp35.000


def pay_exact(cashier: Cashier) -> None:
    dialog = cashier.open_payment()
    cashier.confirm(dialog)  # Enter on the empty cash amount: uang pas


def test_after_a_sale_the_search_and_filters_are_reset(cashier: Cashier, booth) -> None:
    grid = cashier.screen.grid
    everything = cashier.grid_names()
    grid.category_buttons()[1].click()
    combo = grid.facility_combo
    combo.setCurrentIndex(next(i for i in range(combo.count()) if "(LP-END)" in combo.itemText(i)))
    cashier.wait_idle()
    cashier.type_in_scan_box("kopi")
    cashier.qtbot.waitUntil(lambda: "found" in grid.caption.text(), timeout=TIMEOUT)
    assert 0 < len(cashier.grid_names()) < len(everything)
    cashier.tap_product(cashier.grid_names()[0])
    pay_exact(cashier)
    assert len(sales(booth)) == 1

    cashier.qtbot.waitUntil(lambda: grid.caption.text() == "All products", timeout=TIMEOUT)
    cashier.wait_idle()
    assert cashier.screen.scan_box.text() == ""
    assert grid.category_buttons()[0].isChecked()
    assert grid.facility_combo.currentIndex() == 0
    assert cashier.grid_names() == everything


def test_the_change_banner_goes_with_the_next_sale_and_with_the_user(cashier: Cashier) -> None:
    banner = cashier.screen.panel.sale_banner
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CASH, "100000")
    cashier.confirm(dialog)
    assert banner.text() == "Sale KPG-01-000001 — change Rp15.000"
    cashier.scan(HAIK_LONTAR)  # the next customer's first line
    assert banner.isHidden() and banner.text() == ""

    pay_exact(cashier)
    assert banner.text() == "Sale KPG-01-000002 — paid exactly, no change"
    cashier.window.lock()
    assert cashier.window.login_screen.isVisible()
    assert banner.isHidden()


def test_the_resume_button_counts_the_parked_sales(cashier: Cashier) -> None:
    button = cashier.screen.panel.resume_button
    cashier.wait_idle()
    assert button.text() == "Resume   F5"
    for code in (KOPI_BAJAWA, HAIK_LONTAR):
        cashier.scan(code)
        cashier.press(Qt.Key.Key_F4)
        park = cashier.activate(cashier.screen.park_dialog)
        cashier.qtbot.keyClick(park.label_edit, Qt.Key.Key_Return)
        cashier.wait_idle()
    assert button.text() == "Resume (2)   F5"

    cashier.press(Qt.Key.Key_F5)
    cashier.wait_idle()
    picker = cashier.activate(cashier.screen.parked_dialog)
    cashier.qtbot.keyClick(picker.table, Qt.Key.Key_Return)
    cashier.wait_idle()
    assert cashier.cart() == [("Kopi Arabika Flores Bajawa 250 g", 1)]
    assert button.text() == "Resume (1)   F5"  # still waiting, shown while this sale runs


def test_enter_confirms_the_shift_close(cashier: Cashier, booth) -> None:
    dialog = open_close_dialog(cashier)
    cashier.count_cash(dialog.count, {})
    edit = next(iter(dialog.count.fields.values()))
    cashier.qtbot.keyClicks(edit, "0")
    cashier.qtbot.keyClick(edit, Qt.Key.Key_Return)
    cashier.wait_idle()
    assert dialog.result is not None
    assert (dialog.result.expected, dialog.result.counted) == (0, 0)
