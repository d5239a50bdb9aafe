"""The Shift menu: cash in, the X report, and the blind close -- the expected amount appears
only after the count is confirmed, with the difference in its colour, the backup, and the
login screen afterwards. Rows and journal events are checked in exact rupiah."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from pos_app.domain.tenders import Method
from pos_app.services.setup.settings import set_setting
from pos_app.ui.shift.close_shift_dialog import CloseShiftDialog
from tests.gui.cashier import Cashier, journal, shift_events

KOPI_BAJAWA = "8994111000016"  # Rp85.000


def sell_for_cash(cashier: Cashier) -> None:
    cashier.scan(KOPI_BAJAWA)
    payment = cashier.open_payment()
    cashier.tender(payment, Method.CASH, "100000")
    cashier.confirm(payment)


def cash_in(cashier: Cashier, amount: str, reason: str) -> None:
    menu = cashier.window.shift_menu
    menu.cash_in_action.trigger()
    dialog = cashier.wait_for(lambda: menu.dialog)
    cashier.qtbot.keyClicks(dialog.amount_edit, amount)
    cashier.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Give a reason"  # nothing written without one
    cashier.qtbot.keyClicks(dialog.reason_edit, reason)
    cashier.qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    cashier.wait_idle()
    assert not dialog.isVisible()


def open_close_dialog(cashier: Cashier) -> CloseShiftDialog:
    menu = cashier.window.shift_menu
    menu.close_action.trigger()
    return cashier.wait_for(lambda: menu.dialog)


def visible_texts(dialog) -> list[str]:
    return [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]


def test_the_blind_close_shows_expected_only_after_the_count(cashier: Cashier, booth,
                                                              shift) -> None:
    sell_for_cash(cashier)  # Rp85.000 cash
    cash_in(cashier, "20.000", "Uang kecil dari koordinator")
    assert cashier.window.statusBar().currentMessage() == "Cash in: Rp20.000"
    dialog = open_close_dialog(cashier)

    # Before the count is confirmed nothing on screen gives away what the drawer should hold.
    assert dialog.figures.expected_label.text() == ""
    assert not dialog.figures.isVisible()
    assert not any("Rp105.000" in text for text in visible_texts(dialog))
    cashier.count_cash(dialog.count, {100_000: 1}, coins={1_000: 2})
    assert dialog.count.total_label.text() == "Rp102.000"
    assert not any("Rp105.000" in text for text in visible_texts(dialog))
    cashier.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    cashier.wait_idle()

    figures = dialog.figures
    assert figures.isVisible()
    assert (figures.expected_label.text(), figures.counted_label.text(),
            figures.difference_label.text()) == ("Rp105.000", "Rp102.000", "Rp3.000 short")
    assert figures.difference_label.property("role") == "figure-warn"  # red
    # backups are on by default: beside the database (after the one made at start-up)
    assert dialog.result.backup_path.parent == booth.db.path.parent / "backups"
    assert dialog.backup.text() == f"Backup saved: {dialog.result.backup_path}"
    assert dialog.summary.text() == "1 sale, Rp85.000 net; Rp0 voided, Rp0 refunded."

    close = shift_events(booth)[-1]
    assert (close.kind, close.shift_id, close.user_name, close.expected, close.counted) == (
        "close", shift.id, "Kasir", 105_000, 102_000)
    assert json.loads(close.payload)["count"] == {"100000": 1, "1000": 2}
    [event] = journal(booth, "shift.close")
    payload = json.loads(event.payload)
    assert (event.actor, payload["expected"], payload["counted"], payload["difference"]) == (
        "Kasir", 105_000, 102_000, -3_000)
    assert [(e.kind, e.amount, e.reason) for e in shift_events(booth)] == [
        ("open", 0, ""), ("cash_in", 20_000, "Uang kecil dari koordinator"),
        ("close", 0, "")]

    cashier.qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    window = cashier.window
    cashier.qtbot.waitUntil(window.login_screen.isVisible, timeout=5000)
    assert window.app_ctx.login_state.user is None and window.app_ctx.login_state.shift is None
    assert window.shift_label.text() == "No shift open"
    assert window.login_screen.heading.text() == "Log in"


def test_an_exact_count_is_green_and_the_backup_says_where_it_went(
        cashier: Cashier, booth, tmp_path: Path) -> None:
    set_setting(booth, "backup_dir", str(tmp_path / "cadangan"))
    sell_for_cash(cashier)
    dialog = open_close_dialog(cashier)
    cashier.count_cash(dialog.count, {50_000: 1, 20_000: 1, 10_000: 1, 5_000: 1})
    cashier.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    cashier.wait_idle()
    assert (dialog.figures.expected_label.text(), dialog.figures.difference_label.text()) == (
        "Rp85.000", "Rp0 — exact")
    assert dialog.figures.difference_label.property("role") == "figure-good"
    assert dialog.result is not None and dialog.result.backup_path is not None
    assert dialog.result.backup_path.parent == tmp_path / "cadangan"
    assert dialog.result.backup_path.exists()
    assert dialog.backup.text() == f"Backup saved: {dialog.result.backup_path}"
    cashier.qtbot.keyClick(dialog.done_button, Qt.Key.Key_Escape)  # Esc is Done now
    cashier.qtbot.waitUntil(cashier.window.login_screen.isVisible, timeout=5000)


def test_cancelling_the_close_keeps_the_shift_open(cashier: Cashier, booth) -> None:
    dialog = open_close_dialog(cashier)
    cashier.count_cash(dialog.count, {100_000: 3})
    cashier.qtbot.keyClick(dialog.count.fields[("note", 100_000)], Qt.Key.Key_Escape)
    cashier.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert [e.kind for e in shift_events(booth)] == ["open"]
    assert cashier.window.sale_screen.isVisible()


def test_the_x_report_is_a_reading_kept_as_a_shift_event(cashier: Cashier, booth) -> None:
    sell_for_cash(cashier)
    menu = cashier.window.shift_menu
    menu.x_report_action.trigger()
    dialog = cashier.wait_for(lambda: menu.dialog)
    cashier.qtbot.waitUntil(lambda: dialog.loaded, timeout=5000)
    assert "Rp85.000" in dialog.preview.text()
    reading = shift_events(booth)[-1]
    assert (reading.kind, reading.user_name, reading.expected) == ("x_report", "Kasir", 85_000)
    cashier.qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert dialog.banner.text() == ("No receipt printer is set up. Set one up in Settings (F9), "
                                    "or save a PDF.")


def test_the_close_summary_says_the_net_after_voids_and_refunds(cashier: Cashier, booth,
                                                                shift) -> None:
    from pos_app.services.sale.refunds import refund
    from tests.gui.cashier import sales

    sell_for_cash(cashier)  # Rp85.000 cash, then paid back in cash
    [sale] = sales(booth)
    refund(booth, sale.number, {1: 1}, method="cash", reason="torn", shift_id=shift.id,
           actor="Maria", actor_role="coordinator")
    dialog = open_close_dialog(cashier)
    cashier.count_cash(dialog.count, {})
    cashier.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    cashier.wait_idle()
    # the sale came to Rp85.000, but the net the booth keeps is nothing
    assert dialog.result.totals.shown_figures().net == 0
    assert dialog.summary.text() == "1 sale, Rp0 net; Rp0 voided, Rp85.000 refunded."
