"""Parking a sale (F4) and resuming it (F5): the cart comes back whole; nothing is sold meanwhile."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pos_app.domain.tenders import Method
from pos_app.persistence.models import ParkedSale, Sale, StockMovement
from pos_app.services.sale import parking
from tests.gui.cashier import Cashier, count, sale_lines, sale_movements, sales

KOPI_BAJAWA = "8994111000016"  # Rp85.000
HAIK_LONTAR = "8994101000248"  # Rp35.000


def test_park_then_resume_restores_the_cart(cashier: Cashier, booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    cashier.scan(HAIK_LONTAR)
    cashier.scan(HAIK_LONTAR)
    movements_before = count(booth, StockMovement)

    cashier.press(Qt.Key.Key_F4)
    dialog = cashier.activate(cashier.screen.park_dialog)
    cashier.qtbot.keyClicks(dialog.label_edit, "Ibu baju merah")
    cashier.qtbot.keyClick(dialog.label_edit, Qt.Key.Key_Return)
    cashier.wait_idle()

    assert cashier.cart() == []
    assert cashier.screen.notice.text() == "Sale parked as “Ibu baju merah”. Resume it with F5."
    [row] = parking.parked(booth)
    assert (row.label, row.item_count, row.total) == ("Ibu baju merah", 3, 155_000)
    assert count(booth, Sale) == 0 and count(booth, StockMovement) == movements_before

    cashier.scan("8994102000322")  # serve someone else meanwhile: Kue Rambut, Rp20.000
    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CASH, "20000")
    cashier.confirm(dialog)

    cashier.press(Qt.Key.Key_F5)
    cashier.wait_idle()
    picker = cashier.activate(cashier.screen.parked_dialog)
    assert picker.model.index(0, 1).data() == "Ibu baju merah"
    assert picker.model.index(0, 3).data() == "Rp155.000"
    assert picker.model.index(0, 0).data() == "21/11 19:30"  # WITA, from the fixed clock
    cashier.qtbot.keyClick(picker.table, Qt.Key.Key_Return)
    cashier.wait_idle()

    assert cashier.cart() == [("Kopi Arabika Flores Bajawa 250 g", 1), ("Haik Lontar", 2)]
    assert cashier.total_shown() == "Rp155.000"
    assert parking.parked(booth) == [] and count(booth, ParkedSale) == 0

    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CASH, "200000")
    cashier.confirm(dialog)
    assert [(s.number, s.total, s.change) for s in sales(booth)] == [
        ("KPG-01-000001", 20_000, 0), ("KPG-01-000002", 155_000, 45_000)]
    assert sorted((ln.name, ln.qty) for ln in sale_lines(booth)) == [
        ("Haik Lontar", 2), ("Kopi Arabika Flores Bajawa 250 g", 1), ("Kue Rambut", 1)]
    assert sorted(m.qty for m in sale_movements(booth)) == [-2, -1, -1]


def test_resume_is_refused_while_a_sale_is_in_the_cart(cashier: Cashier, booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    cashier.press(Qt.Key.Key_F4)
    cashier.screen.park_dialog.confirm()
    cashier.wait_idle()
    assert cashier.screen.notice.text() == "Sale parked. Resume it with F5."

    cashier.scan(HAIK_LONTAR)
    cashier.press(Qt.Key.Key_F5)
    cashier.wait_idle()
    assert cashier.screen.notice.text() == \
        "Finish or park the current sale before resuming another."
    assert cashier.screen.parked_dialog is None
    assert cashier.cart() == [("Haik Lontar", 1)]
    assert len(parking.parked(booth)) == 1


def test_resume_with_nothing_parked_says_so(cashier: Cashier) -> None:
    cashier.press(Qt.Key.Key_F5)
    cashier.wait_idle()
    assert cashier.screen.notice.text() == "There are no parked sales."
    assert cashier.screen.parked_dialog is None
