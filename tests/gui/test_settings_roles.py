"""Who sees which settings: a cashier is offered none (F9 says why) and the service refuses
the QRIS image, the printer and the stock rules anyway; a coordinator sees and saves them,
journaled as hers; the screen refuses a bad value with the service's own words."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from pos_app.domain.errors import DomainError
from pos_app.persistence.models import Setting
from pos_app.services.setup.booth import Booth
from pos_app.ui.setup.settings_dialog import SettingsDialog, store_settings
from tests.gui.cashier import Cashier, journal

TIMEOUT = 10_000


def stored(booth: Booth) -> dict[str, str]:
    with booth.db.read() as s:
        return dict(s.execute(select(Setting.key, Setting.value)).all())


def test_a_cashier_is_offered_no_settings(cashier: Cashier, booth: Booth) -> None:
    window = cashier.window
    assert window.app_ctx.role == "cashier"
    assert not window.settings_action.isVisible()
    cashier.press(Qt.Key.Key_F9)
    cashier.wait_idle()
    assert window.settings_dialog is None
    assert window.sale_screen.notice.text() == ("Settings are for coordinators and admins; "
                                                "ask one to log in")
    dialog = SettingsDialog(window.app_ctx, window)  # built anyway: nothing to change
    try:
        assert dialog.tabs.count() == 0
        assert (dialog.printer_page, dialog.qris_page, dialog.stock_page) == (None, None, None)
        assert not dialog.save_button.isEnabled()
    finally:
        dialog.deleteLater()


@pytest.mark.parametrize("changes, image", [
    ({}, "another-qris.png"),  # the QRIS sticker swap (refused before it is read)
    ({"printer_uri": "tcp://10.0.0.9:9100"}, None),
    ({"negative_stock": "block"}, None),
    ({"qris_payload": "000201010211"}, None),
])
def test_the_service_refuses_a_cashier_anyway(cashier: Cashier, booth: Booth, changes,
                                              image) -> None:
    before = stored(booth)
    with pytest.raises(DomainError) as err:
        store_settings(booth, changes, image, "Kasir", "cashier")
    key = next(iter(changes), "qris_image")
    assert (err.value.code, err.value.params) == (
        "setting_not_allowed", {"name": "Kasir", "role": "cashier", "key": key})
    assert stored(booth) == before and journal(booth, "setting") == []


def test_a_coordinator_sees_every_tab_and_saves_as_herself(coordinator_at_till: Cashier,
                                                          booth: Booth) -> None:
    maria = coordinator_at_till
    window = maria.window
    assert window.settings_action.isVisible()
    maria.press(Qt.Key.Key_F9)
    dialog = maria.wait_for(lambda: window.settings_dialog)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Printer and receipt", "QRIS", "Stock", "Backups", "Customer display"]
    dialog.stock_page.negative.setCurrentIndex(dialog.stock_page.negative.findData("block"))
    maria.qtbot.waitUntil(dialog.save_button.isEnabled, timeout=TIMEOUT)
    maria.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    maria.wait_idle()
    assert not dialog.isVisible()
    assert stored(booth)["negative_stock"] == "block"
    [event] = journal(booth, "setting")
    assert (event.actor, json.loads(event.payload)) == (
        "Maria", {"key": "negative_stock", "from": "warn", "to": "block",
                  "role": "coordinator"})


def test_the_screen_refuses_a_bad_value_with_the_services_words(
        coordinator_at_till: Cashier, booth: Booth, monkeypatch) -> None:
    """The dialog's fields only offer good values; a bad one that gets through (here: a
    width the model does not take) is refused by set_setting and said on the dialog."""
    maria = coordinator_at_till
    window = maria.window
    maria.press(Qt.Key.Key_F9)
    dialog = maria.wait_for(lambda: window.settings_dialog)
    monkeypatch.setattr(dialog.printer_page, "changes", lambda: {"printer_width": "72"})
    before = stored(booth)
    maria.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    maria.wait_idle()
    assert dialog.isVisible()
    assert dialog.error.text() == ("72 is not a valid value for the setting printer_width: "
                                   "it takes one of: 58, 80")
    assert stored(booth) == before and journal(booth, "setting") == []


def test_a_coordinator_pastes_or_photographs_the_qris_and_confirms_what_it_names(
        coordinator_at_till: Cashier, booth: Booth, monkeypatch, tmp_path) -> None:
    """Issue 18 item 1 in the app: the text is checked as it is typed (merchant, city, NMID
    shown; a bad one names its fault and Save is off); a photo of the sticker fills it in;
    Save keeps it, journaled as Maria's."""
    from pos_app.ui.setup import qris_settings
    from tests.integration.test_qris_payments import sticker_photo
    from tests.unit.test_qris import AHASS, BAZNAS

    maria = coordinator_at_till
    window = maria.window
    maria.press(Qt.Key.Key_F9)
    dialog = maria.wait_for(lambda: window.settings_dialog)
    box = dialog.qris_box
    dialog.tabs.setCurrentWidget(dialog.qris_page)
    box.edit.setText(AHASS[:-4] + "0000")
    assert not box.valid and not dialog.save_button.isEnabled()
    assert box.status.text() == ("This QRIS cannot be used: its checksum (CRC, tag 63) does not "
                                 "match: a character was lost or changed")
    box.edit.setText(AHASS)
    assert box.valid and box.status.text() == (
        "Merchant: AHASS TDM Natar · City: Jakarta · NMID: ID2021066246392")
    photo = sticker_photo(BAZNAS, tmp_path / "stiker.jpg")
    monkeypatch.setattr(qris_settings, "ask_open_path", lambda *_a: photo)
    box.read_photo()
    maria.qtbot.waitUntil(lambda: box.value == BAZNAS, timeout=TIMEOUT)
    assert box.status.text().startswith("Merchant: Baznas · City: Jakarta Pusat")
    maria.qtbot.waitUntil(dialog.save_button.isEnabled, timeout=TIMEOUT)
    maria.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    maria.wait_idle()
    assert not dialog.isVisible()
    assert stored(booth)["qris_payload"] == BAZNAS
    [event] = journal(booth, "setting")
    assert (event.actor, json.loads(event.payload)["key"]) == ("Maria", "qris_payload")
