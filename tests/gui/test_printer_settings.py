"""Printer settings (F9): an invalid address is said inline and never stored; the test print
runs without closing the dialog and is recorded; Save stores every printer and receipt key."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from pos_app.persistence.models import Setting
from pos_app.services.setup.booth import Booth
from pos_app.ui.setup.settings_dialog import SettingsDialog
from tests.gui.cashier import Cashier, print_jobs
from tests.integration.fake_printer import FakePrinter, refused_port

TIMEOUT = 15_000


@pytest.fixture
def maria(coordinator_at_till: Cashier) -> Cashier:
    """The settings are a coordinator's: Maria at the till."""
    return coordinator_at_till


def stored_settings(booth: Booth) -> dict[str, str]:
    with booth.db.read() as s:
        return dict(s.execute(select(Setting.key, Setting.value)).all())


def open_settings(maria: Cashier) -> SettingsDialog:
    maria.press(Qt.Key.Key_F9)
    maria.qtbot.waitUntil(lambda: maria.window.settings_dialog is not None
                            and maria.window.settings_dialog.isVisible(), timeout=TIMEOUT)
    dialog = maria.activate(maria.window.settings_dialog)
    maria.wait_idle()
    return dialog


def type_uri(maria: Cashier, dialog: SettingsDialog, uri: str) -> None:
    page = dialog.printer_page
    page.uri_edit.clear()
    maria.qtbot.keyClicks(page.uri_edit, uri)


def test_an_invalid_printer_address_is_said_inline_and_not_saved(maria: Cashier,
                                                                 booth) -> None:
    dialog = open_settings(maria)
    page = dialog.printer_page
    assert dialog.tabs.currentWidget() is page
    for uri in ("tcp://", "usb://04b8", "lpt1", "serial://"):
        type_uri(maria, dialog, uri)
        assert page.uri_error.isVisible()
        assert page.uri_error.text() == f"Not a printer address: {uri}"
        assert not dialog.save_button.isEnabled()
    dialog.save()  # even when forced, nothing is stored
    maria.wait_idle()
    assert dialog.isVisible()
    assert "printer_uri" not in stored_settings(booth)
    maria.qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    assert page.test_result.text() == "Not a printer address: serial://"
    assert print_jobs(booth) == []

    type_uri(maria, dialog, "tcp://192.168.1.50:9100")
    assert not page.uri_error.isVisible() and dialog.save_button.isEnabled()


def test_test_print_reports_inline_and_is_recorded(maria: Cashier, booth) -> None:
    dialog = open_settings(maria)
    page = dialog.printer_page
    with FakePrinter("ok") as printer:
        type_uri(maria, dialog, printer.uri)
        maria.qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
        maria.qtbot.waitUntil(lambda: page.test_result.kind() == "success", timeout=TIMEOUT)
        [conn] = printer.wait_closed(1)
    target = printer.uri.removeprefix("tcp://")
    assert page.test_result.text() == f"Test page printed on {target}"
    assert page.test_button.isEnabled() and dialog.isVisible()
    assert b"Test print" in conn.receipt and b"Device" in conn.receipt
    [job] = print_jobs(booth)
    assert (job.document_kind, job.document_id, job.printer, job.copy, job.status,
            job.error_code, job.error) == ("test", None, printer.uri, False, "printed", None,
                                           None)
    assert "printer_uri" not in stored_settings(booth)  # a test print saves nothing

    with refused_port() as port:
        type_uri(maria, dialog, f"tcp://127.0.0.1:{port}")
        maria.qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
        maria.qtbot.waitUntil(lambda: page.test_result.kind() == "error", timeout=TIMEOUT)
    assert page.test_result.text() == (
        "The receipt printer does not answer. Check that it is switched on and that its cable "
        f"(USB or network) is plugged in (The printer at 127.0.0.1:{port} refused the connection)")
    assert [(j.document_kind, j.status, j.error_code) for j in print_jobs(booth)] == [
        ("test", "printed", None), ("test", "failed", "printer_refused")]
    assert dialog.isVisible()


def test_save_stores_every_printer_and_receipt_setting(maria: Cashier, booth) -> None:
    window = maria.window
    assert window.printer_label.text() == "Printer: not set"
    dialog = open_settings(maria)
    page = dialog.printer_page
    assert (page.width_combo.currentData(), page.timeout_combo.currentData(),
            page.auto_print_check.isChecked(), page.drawer_check.isChecked()) == (
        "58", 8, True, False)
    type_uri(maria, dialog, "  tcp://192.168.1.50:9100 ")
    page.width_combo.setCurrentIndex(1)
    page.timeout_combo.setCurrentIndex(page.timeout_combo.findData(5))
    page.drawer_check.setChecked(True)
    page.auto_print_check.setChecked(False)
    maria.qtbot.keyClicks(page.booth_name_edit, "Lapak WBP NTT")
    page.footer_edit.setPlainText("Terima kasih  \nIG @lapakwbp.ntt\n\n")
    page.place_edit.clear()
    maria.qtbot.keyClicks(page.place_edit, "Atambua")
    maria.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    maria.wait_idle()

    assert not dialog.isVisible()
    stored = stored_settings(booth)
    assert {key: stored[key] for key in (
        "printer_uri", "printer_width", "printer_timeout", "drawer_enabled", "auto_print",
        "booth_name", "receipt_footer", "kwitansi_place")} == {
        "printer_uri": "tcp://192.168.1.50:9100", "printer_width": "80",
        "printer_timeout": "5", "drawer_enabled": "1", "auto_print": "0",
        "booth_name": "Lapak WBP NTT", "receipt_footer": "Terima kasih\nIG @lapakwbp.ntt",
        "kwitansi_place": "Atambua"}
    assert window.app_ctx.settings["printer_width"] == "80"
    assert window.app_ctx.printer.configured and not window.app_ctx.printer.auto_print
    assert window.printer_label.text() == "Printer: ready"

    dialog = open_settings(maria)  # opens with what was stored
    page = dialog.printer_page
    assert (page.uri_edit.text(), page.width_combo.currentData(), page.timeout_combo.currentData(),
            page.drawer_check.isChecked(), page.auto_print_check.isChecked(),
            page.footer_edit.toPlainText()) == (
        "tcp://192.168.1.50:9100", "80", 5, True, False, "Terima kasih\nIG @lapakwbp.ntt")


def test_the_stock_tab_stores_the_stock_settings(maria: Cashier, booth) -> None:
    dialog = open_settings(maria)
    page = dialog.stock_page
    assert (page.negative.currentData(), page.low.value(), page.cols.value(),
            page.rows.value()) == ("warn", 3, 3, 8)
    page.negative.setCurrentIndex(page.negative.findData("block"))
    page.low.setValue(5)
    page.cols.setValue(4)
    page.rows.setValue(10)
    maria.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    maria.wait_idle()
    assert not dialog.isVisible()
    stored = stored_settings(booth)
    assert {k: stored[k] for k in ("negative_stock", "low_stock", "label_cols",
                                   "label_rows")} == {
        "negative_stock": "block", "low_stock": "5", "label_cols": "4", "label_rows": "10"}
    assert maria.window.app_ctx.context.block_negative_stock


def test_test_print_to_a_printer_that_never_answers_says_sent(maria: Cashier, booth) -> None:
    dialog = open_settings(maria)
    page = dialog.printer_page
    with FakePrinter("silent") as printer:
        type_uri(maria, dialog, printer.uri)
        maria.qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
        maria.qtbot.waitUntil(lambda: page.test_result.kind() == "success", timeout=TIMEOUT)
        [conn] = printer.wait_closed(1)
    target = printer.uri.removeprefix("tcp://")
    assert page.test_result.text() == (
        f"Test page sent to {target}. This printer does not report its status: check that the "
        "page came out; receipts to it will show as sent")
    assert b"Test print" in conn.receipt and conn.status_queries == 1
    [job] = print_jobs(booth)
    assert (job.document_kind, job.status, job.error_code) == ("test", "printed", "sent")
    assert stored_settings(booth)["printer_status"] == f'{{"{printer.uri}": false}}'
