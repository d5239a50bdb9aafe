"""Refunds and voids show the money: the refund dialog's prices and a total that follows the
quantities, the void's total and method, the approval pad's action, sale, amount and reason,
and the history's state of each sale with Void/Refund enabled only while they apply."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pos_app.domain.tenders import Method, Tender
from pos_app.services.sale import refunds
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.ui.history.history_dialog import HistoryDialog
from pos_app.ui.history.history_model import PRINTED
from tests.gui.cashier import Cashier, sales
from tests.gui.test_approvals import approve, open_history

TIMEOUT = 10_000


@pytest.fixture
def sold(booth, shift):
    """KPG-01-000001: 2 x KOP-001 (Rp85.000) + 1 x MAK-003 (Rp45.000 + PPN = Rp49.950), cash."""
    sale = checkout(booth, SaleRequest(
        items=(SaleItem(2, sku="KOP-001"), SaleItem(1, sku="MAK-003")),
        tenders=(Tender(Method.CASH, 250_000),), cashier="Kasir", shift_id=shift.id))
    assert (sale.number, sale.total) == ("KPG-01-000001", 219_950)
    return sale


def click(cashier: Cashier, button) -> None:
    cashier.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def row_of(history: HistoryDialog, number: str) -> tuple[str, bool, bool]:
    """The sale's state as the table reads it, and whether Void and Refund are enabled."""
    row = next(i for i, r in enumerate(history.model.rows()) if r.number == number)
    history.table.selectRow(row)
    return history.model.index(row, PRINTED).data(), history.void_button.isEnabled(), history.refund_button.isEnabled()


def test_the_refund_shows_prices_and_a_total_that_follows_the_quantities(
        cashier: Cashier, booth, sold) -> None:
    history = open_history(cashier)
    click(cashier, history.refund_button)
    refund = cashier.wait_for(lambda: history.reversal_dialog)
    assert {n: label.text() for n, label in refund.price_labels.items()} == {
        1: "Rp85.000", 2: "Rp45.000"}
    assert refund.money.text() == ("Refund total Rp0, paid back by Cash (the sale was paid "
                                   "by Cash)")
    click(cashier, refund.plus_buttons[1])
    assert refund.refund_total() == 85_000
    click(cashier, refund.plus_buttons[2])
    assert refund.money.text().startswith("Refund total Rp134.950, paid back by Cash")
    click(cashier, refund.minus_buttons[1])
    assert refund.refund_total() == 49_950
    refund.choose_method(Method.TRANSFER)
    assert refund.money.text().startswith("Refund total Rp49.950, paid back by Bank transfer")
    cashier.qtbot.keyClicks(refund.reference_edit, "BRI 7781")
    cashier.qtbot.keyClicks(refund.reason_edit, "Kemasan rusak")
    click(cashier, refund.confirm_button)

    prompt = cashier.wait_for(lambda: refund.approval_dialog)  # Kasir needs Maria
    assert prompt.about.isVisible()
    assert prompt.about.text().splitlines() == [
        "Sale KPG-01-000001",
        "Refund total Rp49.950, paid back by Bank transfer (the sale was paid by Cash)",
        "Reason: Kemasan rusak"]
    assert any(label.text().startswith("A refund needs a coordinator's approval")
               for label in prompt.findChildren(type(prompt.about)))
    approve(cashier, prompt, "Maria", "2468")
    _original, back = sales(booth)
    assert (back.kind, back.total) == ("refund", 49_950)  # what the dialog said


def test_the_void_and_its_approval_show_the_total_and_method(cashier: Cashier, sold) -> None:
    history = open_history(cashier)
    click(cashier, history.void_button)
    void = cashier.wait_for(lambda: history.reversal_dialog)
    assert void.money.text() == "Sale total Rp219.950, paid back by Cash"
    cashier.qtbot.keyClicks(void.reason_edit, "Pembeli batal")
    click(cashier, void.confirm_button)
    prompt = cashier.wait_for(lambda: void.approval_dialog)
    assert prompt.about.text().splitlines() == [
        "Sale KPG-01-000001", "Sale total Rp219.950, paid back by Cash", "Reason: Pembeli batal"]
    assert any(label.text().startswith("Voiding a sale needs a coordinator's approval")
               for label in prompt.findChildren(type(prompt.about)))


def test_history_states_and_buttons_after_a_void(cashier: Cashier, booth, sold) -> None:
    refunds.void_sale(booth, sold.id, actor="Maria", actor_role="coordinator", reason="Batal")
    history = open_history(cashier)
    assert row_of(history, "KPG-01-000001") == ("Voided", False, False)  # not "Not printed"
    assert row_of(history, "KPG-01-000002") == ("Not printed", False, False)  # the void itself


def test_history_states_and_buttons_after_refunds(cashier: Cashier, booth, sold) -> None:
    refunds.refund(booth, sold.id, {1: 1}, method="cash", actor="Maria",
                   actor_role="coordinator", reason="Rusak")
    history = open_history(cashier)
    assert row_of(history, "KPG-01-000001") == ("Partly refunded", False, True)
    refunds.refund(booth, sold.id, {1: 1, 2: 1}, method="cash", actor="Maria",
                   actor_role="coordinator", reason="Rusak")
    history.search()
    cashier.wait_idle()
    assert row_of(history, "KPG-01-000001") == ("Fully refunded", False, False)
