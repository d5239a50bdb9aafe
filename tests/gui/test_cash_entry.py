"""Cash entry without surprises: thousands dots as the amount is typed, Enter on an empty cash
amount pays the exact amount, and a card payment is announced as card with its approval code."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pos_app.domain.tenders import Method
from tests.gui.cashier import Cashier, payments, sales

KOPI_BAJAWA = "8994111000016"  # Rp85.000


def test_typed_amounts_show_thousands_dots_as_typed(cashier: Cashier) -> None:
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    edit = dialog.form.amount_edit
    shown = []
    for key in "150000":
        cashier.qtbot.keyClicks(edit, key)
        shown.append(edit.text())
    assert shown == ["1", "15", "150", "1.500", "15.000", "150.000"]
    assert edit.cursorPosition() == len("150.000")
    edit.setCursorPosition(1)  # "1|50.000": a 2 typed there makes 1.250.000, cursor after it
    cashier.qtbot.keyClicks(edit, "2")
    assert (edit.text(), edit.cursorPosition()) == ("1.250.000", 3)
    cashier.qtbot.keyClick(edit, Qt.Key.Key_Backspace)  # "1.|250.000" loses the 2 again
    assert (edit.text(), edit.cursorPosition()) == ("150.000", 1)
    assert dialog.change_label.text() == "Rp65.000"
    cashier.confirm(dialog)
    assert [(s.total, s.tendered, s.change) for s in sales(cashier.window.app_ctx.booth)] == [
        (85_000, 150_000, 65_000)]


def test_enter_on_an_empty_cash_amount_pays_the_exact_amount(cashier: Cashier, booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    assert dialog.form.method is Method.CASH and dialog.form.amount_edit.text() == ""
    cashier.confirm(dialog)
    assert [(s.number, s.total, s.tendered, s.change) for s in sales(booth)] == [
        ("KPG-01-000001", 85_000, 85_000, 0)]
    assert [(p.method, p.amount) for p in payments(booth)] == [("cash", 85_000)]
    assert cashier.screen.panel.sale_banner.text() == (
        "Sale KPG-01-000001 — paid exactly, no change")


def test_a_card_payment_is_announced_as_card_with_its_reference(cashier: Cashier,
                                                                booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CARD, "85000", reference="APR 004512")
    cashier.confirm(dialog)
    assert [(p.method, p.amount, p.reference) for p in payments(booth)] == [
        ("card", 85_000, "APR 004512")]
    assert cashier.screen.panel.sale_banner.text() == (
        "Sale KPG-01-000001 — paid by Card (EDC) Rp85.000, approval APR 004512")


def test_card_and_cash_together_name_both(cashier: Cashier, booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CARD, "50000", reference="778899", add=True)
    cashier.tender(dialog, Method.CASH, "50000")
    cashier.confirm(dialog)
    assert sorted((p.method, p.amount) for p in payments(booth)) == [
        ("card", 50_000), ("cash", 35_000)]
    assert cashier.screen.panel.sale_banner.text() == (
        "Sale KPG-01-000001 — change Rp15.000; Card (EDC) Rp50.000, approval 778899")
