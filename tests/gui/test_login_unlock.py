"""The login screen warns before the lockout and unlocks a locked account on the spot with a
coordinator's PIN (issue #14 item 2); the journal says who unlocked whom."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from shiboken6 import isValid

from pos_app.services.access import auth
from tests.gui.cashier import Cashier, journal


@pytest.fixture
def visitor(qtbot, door, ops) -> Cashier:
    return Cashier(qtbot, door, ops)


WRONG = "Wrong name or PIN"
WARNING = ("One try left: one more wrong PIN locks Kasir until a coordinator unlocks it.")


def test_the_fourth_wrong_pin_warns_that_one_try_is_left(visitor: Cashier, booth) -> None:
    screen = visitor.window.login_screen
    texts = []
    for _ in range(4):
        visitor.log_in("Kasir", "9999")
        visitor.wait_idle()
        texts.append(screen.error.text())
    assert texts[:3] == [WRONG] * 3
    assert texts[3] == f"{WRONG}\n{WARNING}"
    assert not screen.unlock_button.isVisible()
    assert auth.tries_left(booth, "Kasir") == 1 and not auth.is_locked(booth, "Kasir")
    visitor.log_in("Kasir", "1234")  # the right PIN still works on the last try
    assert [e.actor for e in journal(booth, "login.ok")] == ["Kasir"]
    visitor.wait_for(lambda: visitor.window.flow.dialog).reject()  # the float: not today


def lock_out(visitor: Cashier, booth) -> None:
    screen = visitor.window.login_screen
    for _ in range(5):
        visitor.log_in("Kasir", "9999")
    visitor.wait_idle()
    assert auth.is_locked(booth, "Kasir")
    visitor.qtbot.waitUntil(lambda: screen.unlock_button.isVisible(), timeout=5000)


def test_a_coordinator_unlocks_a_locked_account_at_the_login_screen(visitor: Cashier,
                                                                    booth) -> None:
    screen = visitor.window.login_screen
    lock_out(visitor, booth)
    assert "locked" in screen.picker.buttons["Kasir"].text()
    dialog = screen.ask_unlock()
    visitor.activate(dialog)
    visitor.qtbot.waitUntil(lambda: list(dialog.picker.buttons) == ["Maria"], timeout=5000)
    assert dialog.picker.selected() == "Maria"  # the only one who may
    for digit in "1111":  # a wrong PIN: refused, and it counts against Maria
        visitor.qtbot.mouseClick(dialog.pad.buttons[digit], Qt.MouseButton.LeftButton)
    visitor.qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    visitor.wait_idle()
    assert dialog.error.text() == WRONG and auth.is_locked(booth, "Kasir")
    for digit in "2468":
        visitor.qtbot.mouseClick(dialog.pad.buttons[digit], Qt.MouseButton.LeftButton)
    visitor.qtbot.mouseClick(dialog.pad.buttons["OK"], Qt.MouseButton.LeftButton)
    visitor.wait_idle()
    visitor.qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=5000)
    assert not auth.is_locked(booth, "Kasir")
    assert screen.error.text() == "Kasir is unlocked; type your PIN"
    [unlock] = journal(booth, "user.unlock")
    assert (unlock.actor, json.loads(unlock.payload)) == ("Maria", {"name": "Kasir",
                                                                    "failures": 5})
    visitor.qtbot.waitUntil(lambda: not screen.unlock_button.isVisible(), timeout=5000)
    visitor.log_in("Kasir", "1234")
    assert [e.actor for e in journal(booth, "login.ok")][-1] == "Kasir"
    visitor.wait_for(lambda: visitor.window.flow.dialog).reject()


def test_a_cashier_cannot_unlock(visitor: Cashier, booth) -> None:
    """Only coordinators and admins are offered; the service refuses a cashier anyway."""
    auth.create_user(booth, "Budi", "cashier", "4826", actor="test")
    lock_out(visitor, booth)
    dialog = visitor.window.login_screen.ask_unlock()
    visitor.qtbot.waitUntil(lambda: bool(dialog.picker.buttons), timeout=5000)
    assert "Budi" not in dialog.picker.buttons
    dialog.reject()
    from pos_app.domain.errors import DomainError
    from pos_app.services.access.unlocking import unlock_with_pin

    with pytest.raises(DomainError) as err:
        unlock_with_pin(booth, "Kasir", "Budi", "4826")
    assert err.value.code == "not_allowed" and auth.is_locked(booth, "Kasir")
