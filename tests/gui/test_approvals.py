"""Voids, refunds and large discounts from a cashier need a coordinator's PIN on the spot.

Approved: the void document, the approval and its use, and journal events naming both people.
Refused (wrong PIN) or cancelled: no document and no approval. A coordinator needs no prompt.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from pos_app.domain.tenders import Method, Tender
from pos_app.services.access import approvals, auth
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.ui.history.history_dialog import HistoryDialog
from tests.gui.cashier import (
    Cashier,
    approval_rows,
    approval_uses,
    journal,
    payments,
    sale_lines,
    sales,
)

TIMEOUT = 10_000


@pytest.fixture
def sold(booth, shift):
    """KPG-01-000001: 2 x KOP-001 (Rp85.000) + 1 x MAK-003 (Rp45.000 + PPN), cash."""
    sale = checkout(booth, SaleRequest(
        items=(SaleItem(2, sku="KOP-001"), SaleItem(1, sku="MAK-003")),
        tenders=(Tender(Method.CASH, 250_000),), cashier="Kasir", shift_id=shift.id))
    assert (sale.number, sale.total) == ("KPG-01-000001", 219_950)
    return sale


def open_history(cashier: Cashier) -> HistoryDialog:
    cashier.press(Qt.Key.Key_F8)
    dialog = cashier.wait_for(lambda: cashier.window.history_dialog)
    cashier.wait_idle()
    return dialog


def ask_void(cashier: Cashier, reason: str):
    history = open_history(cashier)
    assert history.current is not None and history.current.number == "KPG-01-000001"
    assert history.void_button.isEnabled()
    cashier.qtbot.mouseClick(history.void_button, Qt.MouseButton.LeftButton)
    void = cashier.wait_for(lambda: history.reversal_dialog)
    cashier.qtbot.mouseClick(void.confirm_button, Qt.MouseButton.LeftButton)
    assert void.error.text() == "Give a reason" and void.approval_dialog is None
    cashier.qtbot.keyClicks(void.reason_edit, reason)
    cashier.qtbot.mouseClick(void.confirm_button, Qt.MouseButton.LeftButton)
    return history, void


def approve(cashier: Cashier, dialog, name: str, pin: str) -> None:
    cashier.qtbot.waitUntil(lambda: name in dialog.picker.buttons, timeout=TIMEOUT)
    cashier.qtbot.mouseClick(dialog.picker.buttons[name], Qt.MouseButton.LeftButton)
    dialog.pin_edit.clear()
    for digit in pin:
        cashier.qtbot.mouseClick(dialog.pad.buttons[digit], Qt.MouseButton.LeftButton)
    cashier.qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    cashier.wait_idle()


def test_a_cashiers_void_is_approved_by_maria_and_records_both(cashier: Cashier, booth,
                                                                sold, shift) -> None:
    history, void = ask_void(cashier, "Salah input barang")
    prompt = cashier.wait_for(lambda: void.approval_dialog)
    assert prompt.windowTitle() == "Approval needed"
    assert list(prompt.picker.buttons) == ["Maria"]  # coordinators and admins only

    approve(cashier, prompt, "Maria", "1111")  # a wrong PIN: refused, nothing recorded
    assert prompt.error.text() == "Wrong name or PIN" and prompt.isVisible()
    assert [s.kind for s in sales(booth)] == ["sale"]
    assert approval_rows(booth) == [] and approval_uses(booth) == []
    [failed] = journal(booth, "login.failed")
    assert (failed.actor, json.loads(failed.payload)["purpose"]) == ("Maria", "approval")

    approve(cashier, prompt, "Maria", "2468")
    assert not prompt.isVisible()
    original, voided = sales(booth)
    assert (voided.kind, voided.number, voided.refers_to_id, voided.cashier_name,
            voided.shift_id, voided.total) == (
        "void", "KPG-01-000002", original.id, "Kasir", shift.id, 219_950)
    assert [(ln.sale_id, ln.sku, ln.qty, ln.total) for ln in sale_lines(booth)
            if ln.sale_id == voided.id] == [
        (voided.id, "KOP-001", 2, 170_000), (voided.id, "MAK-003", 1, 49_950)]
    assert [(p.method, p.amount) for p in payments(booth) if p.sale_id == voided.id] == [
        ("cash", 219_950)]
    [approval] = approval_rows(booth)
    assert (approval.action, approval.subject, approval.approver_name,
            approval.requested_by) == ("void", original.id.hex, "Maria", "Kasir")
    [use] = approval_uses(booth)
    assert (use.approval_id, use.used_by) == (approval.id, "Kasir")
    grant, used, event = journal(booth, "approval.grant", "approval.use", "void")
    assert (grant.action, grant.actor, json.loads(grant.payload)["requested_by"]) == (
        "approval.grant", "Maria", "Kasir")
    assert (used.action, used.actor, json.loads(used.payload)["approver"]) == (
        "approval.use", "Kasir", "Maria")
    payload = json.loads(event.payload)
    assert (event.action, event.actor, payload["approved_by"], payload["reason"],
            payload["refers_to"]) == ("void", "Kasir", "Maria", "Salah input barang",
                                      "KPG-01-000001")

    assert void.done_banner.text() == "Void KPG-01-000002 recorded"
    assert void.done_detail.text() == ("For sale KPG-01-000001: Rp219.950 goes back. "
                                       "Approved by Maria.")
    cashier.qtbot.mouseClick(void.print_button, Qt.MouseButton.LeftButton)
    assert void.print_banner.text().startswith("No receipt printer is set up.")
    cashier.qtbot.mouseClick(void.close_button, Qt.MouseButton.LeftButton)
    cashier.qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=TIMEOUT)
    assert [history.model.index(0, c).data() for c in (0, 3)] == [
        "KPG-01-000002", "−Rp219.950"]  # money going back
    assert history.banner.text() == "Void KPG-01-000002 recorded"


def test_a_void_without_the_approval_writes_nothing(cashier: Cashier, booth, sold) -> None:
    _history, void = ask_void(cashier, "Pembeli batal")
    prompt = cashier.wait_for(lambda: void.approval_dialog)
    cashier.qtbot.keyClick(prompt.pin_edit, Qt.Key.Key_Escape)
    cashier.qtbot.waitUntil(lambda: not prompt.isVisible(), timeout=TIMEOUT)
    cashier.wait_idle()
    assert void.isVisible() and void.result is None
    assert [s.kind for s in sales(booth)] == ["sale"]
    assert approval_rows(booth) == [] and approval_uses(booth) == []
    assert journal(booth, "void", "approval.grant", "approval.use", "login.failed") == []


def test_a_coordinator_refunds_without_a_prompt(cashier: Cashier, booth, sold, shift) -> None:
    cashier.window.app_ctx.login_state.start(auth.login(booth, "Maria", "2468"), shift)
    history = open_history(cashier)
    cashier.qtbot.mouseClick(history.refund_button, Qt.MouseButton.LeftButton)
    refund = cashier.wait_for(lambda: history.reversal_dialog)
    assert [line.left for line in refund.refundable.lines] == [2, 1]
    for _ in range(3):  # only 2 were sold
        cashier.qtbot.mouseClick(refund.plus_buttons[1], Qt.MouseButton.LeftButton)
    assert refund.qty_labels[1].text() == "2"
    cashier.qtbot.mouseClick(refund.minus_buttons[1], Qt.MouseButton.LeftButton)
    refund.choose_method(Method.TRANSFER)
    cashier.qtbot.keyClicks(refund.reference_edit, "BRI 7781")
    cashier.qtbot.keyClicks(refund.reason_edit, "Kemasan rusak")
    cashier.qtbot.mouseClick(refund.confirm_button, Qt.MouseButton.LeftButton)
    cashier.wait_idle()
    assert refund.approval_dialog is None
    original, back = sales(booth)
    assert (back.kind, back.refers_to_id, back.cashier_name, back.total) == (
        "refund", original.id, "Maria", 85_000)
    assert [(p.method, p.amount, p.reference, p.verified) for p in payments(booth)
            if p.sale_id == back.id] == [("transfer", 85_000, "BRI 7781", False)]
    assert approval_rows(booth) == []
    [event] = journal(booth, "refund")
    assert (event.actor, json.loads(event.payload)["approved_by"]) == ("Maria", None)
    assert refund.done_banner.text() == "Refund KPG-01-000002 recorded"


def test_a_large_discount_from_a_cashier_waits_for_approval(cashier: Cashier, booth) -> None:
    cashier.scan("8994111000016")  # Rp85.000
    cashier.press(Qt.Key.Key_F2)
    dialog = cashier.wait_for(lambda: cashier.screen.discount_dialog)
    dialog.set_percent("10")  # the limit itself: no approval
    dialog.confirm()
    assert not dialog.isVisible() and cashier.total_shown() == "Rp76.500"

    cashier.qtbot.waitUntil(cashier.window.isActiveWindow, timeout=TIMEOUT)
    cashier.press(Qt.Key.Key_F2)
    dialog = cashier.wait_for(lambda: cashier.screen.discount_dialog)
    dialog.set_percent("20")
    dialog.confirm()
    prompt = cashier.wait_for(lambda: cashier.screen.discount_gate.dialog)
    assert cashier.total_shown() == "Rp76.500"  # not yet
    approve(cashier, prompt, "Maria", "2468")
    assert not dialog.isVisible() and cashier.total_shown() == "Rp68.000"
    [approval] = approval_rows(booth)
    assert (approval.action, approval.approver_name, approval.requested_by) == (
        "discount", "Maria", "Kasir")
    screen = cashier.screen  # bound to this cart with this discount, and readable later
    assert approval.subject == approvals.line_discount_change(
        screen.cart_key, screen.cart, 0, booth.context.tax).subject
    [grant] = journal(booth, "approval.grant")
    assert json.loads(grant.payload)["change"] == {
        "scope": "line:KOP-001", "value": "20%", "cart_total": 85_000, "amount": 17_000}


def test_a_cashier_opens_the_drawer_without_a_sale_only_with_maria(cashier: Cashier,
                                                                   booth) -> None:
    """Shift menu → Open the cash drawer: a coordinator's PIN first; the opening is journaled
    with both names, and the printer gets the drawer pulse (ESC p)."""
    from tests.gui.cashier import print_jobs, use_printer
    from tests.integration.fake_printer import FakePrinter

    menu = cashier.window.shift_menu
    with FakePrinter("ok") as printer:
        use_printer(cashier.window, booth, printer.uri)
        menu.drawer_action.trigger()
        prompt = cashier.wait_for(lambda: menu.approval)
        prompt.reject()  # cancelled: nothing is opened or written
        cashier.wait_idle()
        assert journal(booth, "drawer.open") == [] and print_jobs(booth) == []

        menu.drawer_action.trigger()
        prompt = cashier.wait_for(lambda: menu.approval if menu.approval is not prompt
                                  else None)
        approve(cashier, prompt, "Maria", "2468")
        cashier.qtbot.waitUntil(lambda: len(print_jobs(booth)) == 1, timeout=TIMEOUT)
        [conn] = printer.wait_closed(1)
        assert b"\x1bp" in conn.receipt
    [event] = journal(booth, "drawer.open")
    payload = json.loads(event.payload)
    assert (event.actor, payload["approved_by"]) == ("Kasir", "Maria")
    [job] = print_jobs(booth)
    assert (job.document_kind, job.status) == ("drawer", "printed")
    [use] = approval_uses(booth)
    assert use.used_by == "Kasir"


def test_a_cashiers_price_change_needs_maria_and_is_sold_at_that_price(cashier: Cashier,
                                                                       booth) -> None:
    """F7 on a line: the new price needs a coordinator's PIN; the sale line carries it, the
    catalog keeps its price, and the approval is spent by the sale."""
    from pos_app.domain.tenders import Method as M
    from pos_app.services.catalog import catalog

    cashier.scan("8994111000016")  # KOP-001, Rp85.000
    cashier.press(Qt.Key.Key_F7)
    price = cashier.wait_for(lambda: cashier.screen.price_dialog)
    price.price_edit.setText("80.000")
    price.confirm()
    prompt = cashier.wait_for(lambda: cashier.screen.price_approval)
    approve(cashier, prompt, "Maria", "2468")
    assert cashier.total_shown() == "Rp80.000"
    cashier.screen.pay()  # (the Pay button; F12 needs the window focused after the prompts)
    payment = cashier.wait_for(lambda: cashier.screen.payment_dialog)
    cashier.tender(payment, M.CASH, "80000")
    cashier.confirm(payment)
    [line] = sale_lines(booth)
    assert (line.sku, line.unit_price, line.total) == ("KOP-001", 80_000, 80_000)
    assert catalog.find_by_code(booth, "KOP-001").price == 85_000
    [use] = approval_uses(booth)
    [grant] = approval_rows(booth)
    assert (grant.action, grant.approver_name, use.used_by) == ("price_override", "Maria",
                                                                 "Kasir")
    [event] = journal(booth, "sale")
    assert "Maria" in json.dumps(json.loads(event.payload)["approved_by"])


def test_an_approval_is_asked_again_when_the_cart_changes_after_it(cashier: Cashier,
                                                                  booth) -> None:
    """20% approved on one Rp85.000 item, then a second one added: the sale is refused with
    one clear line and nothing written; the discount given again asks Maria again, and the
    sale goes through on the new approval."""
    cashier.scan("8994111000016")  # Rp85.000
    cashier.press(Qt.Key.Key_F2)
    dialog = cashier.wait_for(lambda: cashier.screen.discount_dialog)
    dialog.set_percent("20")
    dialog.confirm()
    approve(cashier, cashier.wait_for(lambda: cashier.screen.discount_gate.dialog),
            "Maria", "2468")
    cashier.qtbot.mouseClick(cashier.screen.panel.plus_button, Qt.MouseButton.LeftButton)
    assert [qty for _name, qty in cashier.cart()] == [2]
    pay = cashier.open_payment()
    cashier.tender(pay, Method.CASH, "200000")
    cashier.confirm(pay)
    assert pay.error.text() == ("The cart changed after the coordinator's approval: "
                                "ask the coordinator again")
    assert sales(booth) == [] and approval_uses(booth) == []
    pay.reject()
    cashier.wait_idle()

    cashier.qtbot.waitUntil(cashier.window.isActiveWindow, timeout=TIMEOUT)
    cashier.press(Qt.Key.Key_F2)
    dialog = cashier.wait_for(lambda: cashier.screen.discount_dialog)
    dialog.set_percent("20")
    dialog.confirm()
    approve(cashier, cashier.wait_for(lambda: cashier.screen.discount_gate.dialog),
            "Maria", "2468")
    assert cashier.total_shown() == "Rp136.000"
    pay = cashier.open_payment()
    cashier.tender(pay, Method.CASH, "200000")
    cashier.confirm(pay)
    [sale] = sales(booth)
    assert (sale.discount, sale.total) == (34_000, 136_000)
    assert len(approval_rows(booth)) == 2 and len(approval_uses(booth)) == 1
