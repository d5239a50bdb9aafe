"""Quantities by typing: a number on the selected cart line then Enter, and "number then *"
before a scan or a tap; the cart's limits and messages apply."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pos_app.domain.tenders import Method
from tests.gui.cashier import Cashier, sale_lines
from tests.gui.scanner_keys import Wedge

KOPI_BAJAWA = "8994111000016"  # KOP-001, Rp85.000
KERIPIK = "Keripik Pisang Kepok"  # MAK-004, Rp15.000


def select_line(c: Cashier, row: int) -> None:
    view = c.screen.panel.view
    c.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                       pos=view.visualRect(view.model().index(row, 0)).center())
    assert view.hasFocus() and view.selected_row() == row


def test_five_times_then_a_scan_adds_five_and_they_are_sold(cashier: Cashier, booth) -> None:
    c = cashier
    c.type_in_scan_box("5*")
    pending = c.screen.intake.label
    assert pending.isVisible() and pending.text() == "5 ×"
    assert c.screen.scan_box.text() == ""
    c.scan(KOPI_BAJAWA)
    assert c.cart() == [("Kopi Arabika Flores Bajawa 250 g", 5)]
    assert not pending.isVisible()
    c.scan(KOPI_BAJAWA)  # the multiplier was for one product only
    assert c.cart() == [("Kopi Arabika Flores Bajawa 250 g", 6)]

    dialog = c.open_payment()
    c.tender(dialog, Method.CASH, "510000")
    c.confirm(dialog)
    assert [(line.sku, line.qty, line.total) for line in sale_lines(booth)] == [
        ("KOP-001", 6, 510_000)]


def test_five_times_then_a_scan_from_the_wedge_scanner(cashier: Cashier, window) -> None:
    c = cashier
    c.type_in_scan_box("5*")
    wedge = Wedge(window.scanner)
    try:
        wedge.scan(KOPI_BAJAWA)
        c.wait_idle()
    finally:
        wedge.stop()
    assert c.cart() == [("Kopi Arabika Flores Bajawa 250 g", 5)]


def test_a_number_then_star_on_a_line_then_a_tap_adds_that_many(cashier: Cashier) -> None:
    c = cashier
    c.scan(KOPI_BAJAWA)
    select_line(c, 0)
    c.qtbot.keyClicks(c.screen.panel.view, "3*")
    assert c.screen.intake.label.text() == "3 ×"
    c.tap_product(KERIPIK)
    assert c.cart() == [("Kopi Arabika Flores Bajawa 250 g", 1), ("Keripik Pisang Kepok", 3)]


def test_typing_a_number_on_the_selected_line_sets_its_quantity(cashier: Cashier) -> None:
    c = cashier
    c.tap_product(KERIPIK)
    c.scan(KOPI_BAJAWA)
    select_line(c, 0)
    view = c.screen.panel.view
    c.qtbot.keyClicks(view, "12")
    assert c.screen.intake.label.text() == "Qty 12: Enter sets it"
    assert c.cart()[0] == ("Keripik Pisang Kepok", 1)  # nothing changes before Enter
    c.qtbot.keyClick(view, Qt.Key.Key_Return)
    assert c.cart() == [("Keripik Pisang Kepok", 12), ("Kopi Arabika Flores Bajawa 250 g", 1)]
    assert not c.screen.intake.label.isVisible()
    assert c.total_shown() == "Rp265.000"
    c.qtbot.keyClicks(view, "7")  # Backspace takes a digit back, Escape forgets the number
    c.qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert c.cart()[0] == ("Keripik Pisang Kepok", 12) and c.screen.intake.typed == ""
    c.qtbot.keyClick(view, Qt.Key.Key_Backspace)  # with no number typed: removes the line
    assert c.cart() == [("Kopi Arabika Flores Bajawa 250 g", 1)]


def test_a_quantity_over_the_limit_is_refused_with_the_limit_message(cashier: Cashier) -> None:
    c = cashier
    c.tap_product(KERIPIK)
    select_line(c, 0)
    view = c.screen.panel.view
    c.qtbot.keyClicks(view, "100001")
    c.qtbot.keyClick(view, Qt.Key.Key_Return)
    assert c.cart() == [("Keripik Pisang Kepok", 1)]
    assert c.screen.notice.text() == "Quantity must be a whole number from 1 to 100000: 100001"
    c.qtbot.keyClicks(view, "100000")  # the limit itself is allowed
    c.qtbot.keyClick(view, Qt.Key.Key_Return)
    assert c.cart() == [("Keripik Pisang Kepok", 100_000)]

    c.type_in_scan_box("100001*")
    assert c.screen.notice.text() == "Quantity must be a whole number from 1 to 100000: 100001"
    assert not c.screen.intake.label.isVisible()
