"""The users screen (issue #14 item 2): an administrator adds a user, resets a PIN on the pad
(typed twice), changes a role and deactivates someone; the last administrator is kept, with
the refusal in the user's language; nobody else gets the screen. Every test reads the rows
and journal events back."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from pos_app import i18n
from pos_app.services.access import auth
from pos_app.services.shift import shifts
from pos_app.ui.access.users_entry import open_users
from pos_app.ui.access.users_screen import UsersDialog
from pos_app.ui.main_window import MainWindow
from tests.gui.cashier import Cashier, journal
from tests.integration.journal import sql

ADMIN_PIN = "97531"


@pytest.fixture
def admin_window(qtbot, door: MainWindow, booth, ops) -> Cashier:
    """The window with the administrator Ana logged in (and her shift open)."""
    auth.create_user(booth, "Ana", "admin", ADMIN_PIN, actor="test")
    ana = auth.login(booth, "Ana", ADMIN_PIN)
    door.app_ctx.login_state.start(ana, shifts.open_shift(booth, "Ana", 0))
    qtbot.waitUntil(lambda: door.sale_screen.isVisible(), timeout=10_000)
    return Cashier(qtbot, door, ops)


def open_screen(person: Cashier) -> UsersDialog:
    assert person.window.users_action.isVisible()
    person.window.users_action.trigger()
    dialog = person.wait_for(lambda: person.window.findChild(UsersDialog))
    person.qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=5000)
    return dialog


def tap(person: Cashier, button) -> None:
    person.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    person.wait_idle()


def pad_type(person: Cashier, dialog: UsersDialog, edit, pin: str) -> None:
    """Touch ``edit`` (the pad then types into it) and tap ``pin`` on the pad."""
    person.qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    for digit in pin:
        person.qtbot.mouseClick(dialog.pins.pad.buttons[digit], Qt.MouseButton.LeftButton)


def pick(person: Cashier, dialog: UsersDialog, name: str) -> None:
    dialog.select(name)
    person.qtbot.waitUntil(lambda: dialog.selected_name() == name, timeout=5000)


def shown(dialog: UsersDialog) -> list[tuple[str, str, str, str]]:
    model = dialog.model
    return [tuple(model.index(r, c).data() for c in range(4)) for r in range(model.rowCount())]


def test_an_admin_adds_a_user_with_a_pin_typed_twice_on_the_pad(admin_window: Cashier,
                                                                 booth) -> None:
    person = admin_window
    dialog = open_screen(person)
    assert shown(dialog) == [("Ana", "Administrator", "Active", ""),
                             ("Kasir", "Cashier", "Active", ""),
                             ("Maria", "Coordinator", "Active", "")]
    tap(person, dialog.add_button)
    assert dialog.form.isVisible() and dialog.name_edit.isVisible()
    person.qtbot.keyClicks(dialog.name_edit, "Budi")
    dialog.role_box.setCurrentIndex(dialog.role_box.findData("coordinator"))
    pad_type(person, dialog, dialog.pins.pin_edit, "1111")
    pad_type(person, dialog, dialog.pins.again_edit, "1112")
    tap(person, dialog.save_button)
    assert dialog.banner.text() == "The two PINs are not the same"
    assert sql(booth, "SELECT name FROM user WHERE name = 'Budi'") == []

    pad_type(person, dialog, dialog.pins.again_edit, "1111")
    tap(person, dialog.save_button)
    assert dialog.banner.text() == ("That PIN is too easy to guess (one digit repeated or a "
                                    "run such as 1234); choose another")
    assert sql(booth, "SELECT name FROM user WHERE name = 'Budi'") == []

    dialog.pins.clear()
    pad_type(person, dialog, dialog.pins.pin_edit, "4826")
    pad_type(person, dialog, dialog.pins.again_edit, "4826")
    person.qtbot.mouseClick(dialog.pins.pad.buttons["OK"], Qt.MouseButton.LeftButton)
    person.wait_idle()
    person.qtbot.waitUntil(lambda: dialog.model.rowCount() == 4, timeout=5000)
    assert dialog.banner.text() == "Budi was added as Coordinator"
    assert not dialog.form.isVisible()
    assert ("Budi", "Coordinator", "Active", "") in shown(dialog)
    assert auth.login(booth, "Budi", "4826").role == "coordinator"
    [created] = journal(booth, "user.create")[-1:]
    assert (created.actor, json.loads(created.payload)) == (
        "Ana", {"name": "Budi", "role": "coordinator"})
    assert "4826" not in created.payload


def test_reset_a_pin_and_deactivate_then_reactivate(admin_window: Cashier, booth) -> None:
    person = admin_window
    dialog = open_screen(person)
    pick(person, dialog, "Kasir")
    tap(person, dialog.pin_button)
    assert dialog.form_title.text() == "A new PIN for Kasir"
    assert not dialog.name_edit.isVisible() and not dialog.role_box.isVisible()
    pad_type(person, dialog, dialog.pins.pin_edit, "1234")
    pad_type(person, dialog, dialog.pins.again_edit, "1234")
    tap(person, dialog.save_button)
    assert dialog.banner.text().startswith("That PIN is too easy to guess")
    dialog.pins.clear()
    pad_type(person, dialog, dialog.pins.pin_edit, "5829")
    pad_type(person, dialog, dialog.pins.again_edit, "5829")
    tap(person, dialog.save_button)
    person.qtbot.waitUntil(lambda: dialog.banner.text() == "Kasir's PIN was changed",
                           timeout=5000)
    assert auth.login(booth, "Kasir", "5829").name == "Kasir"
    assert [(e.actor, json.loads(e.payload)) for e in journal(booth, "user.pin")] == [
        ("Ana", {"name": "Kasir"})]

    pick(person, dialog, "Kasir")
    assert dialog.active_button.label() == "Deactivate"
    tap(person, dialog.active_button)
    person.qtbot.waitUntil(lambda: ("Kasir", "Cashier", "Inactive", "") in shown(dialog),
                           timeout=5000)
    assert sql(booth, "SELECT active FROM user WHERE name = 'Kasir'") == [{"active": 0}]
    assert dialog.banner.text() == "Kasir was deactivated and can no longer log in"
    assert dialog.active_button.label() == "Reactivate"
    tap(person, dialog.active_button)
    person.qtbot.waitUntil(lambda: ("Kasir", "Cashier", "Active", "") in shown(dialog),
                           timeout=5000)
    assert [e.actor for e in journal(booth, "user.deactivate", "user.activate")] == [
        "Ana", "Ana"]


def test_change_a_role(admin_window: Cashier, booth) -> None:
    person = admin_window
    dialog = open_screen(person)
    pick(person, dialog, "Maria")
    tap(person, dialog.role_button)
    assert dialog.role_box.currentData() == "coordinator" and not dialog.pins.isVisible()
    dialog.role_box.setCurrentIndex(dialog.role_box.findData("admin"))
    tap(person, dialog.save_button)
    person.qtbot.waitUntil(lambda: ("Maria", "Administrator", "Active", "") in shown(dialog),
                           timeout=5000)
    assert sql(booth, "SELECT role FROM user WHERE name = 'Maria'") == [{"role": "admin"}]
    [changed] = journal(booth, "user.role")
    assert (changed.actor, json.loads(changed.payload)) == (
        "Ana", {"name": "Maria", "from": "coordinator", "to": "admin"})


def test_the_last_admin_is_kept_and_told_in_indonesian(admin_window: Cashier, booth) -> None:
    person = admin_window
    dialog = open_screen(person)
    pick(person, dialog, "Ana")
    tap(person, dialog.active_button)
    person.qtbot.waitUntil(lambda: dialog.banner.kind() == "error", timeout=5000)
    assert dialog.banner.text() == ("Ana is the last active administrator; make someone else "
                                    "an administrator first")
    i18n.set_language("id")
    dialog.banner.clear()
    tap(person, dialog.role_button)
    dialog.role_box.setCurrentIndex(dialog.role_box.findData("cashier"))
    tap(person, dialog.save_button)
    person.qtbot.waitUntil(lambda: dialog.banner.kind() == "error", timeout=5000)
    assert dialog.banner.text() == ("Ana adalah administrator aktif terakhir; jadikan orang "
                                    "lain administrator lebih dulu")
    assert sql(booth, "SELECT role, active FROM user WHERE name = 'Ana'") == [
        {"role": "admin", "active": 1}]
    assert journal(booth, "user.role", "user.deactivate") == []


def test_nobody_but_an_admin_gets_the_screen(cashier: Cashier) -> None:
    window = cashier.window
    assert not window.users_action.isVisible()
    assert open_users(window) is None
    assert window.findChild(UsersDialog) is None
    assert window.statusBar().currentMessage() == (
        "Users are managed by an administrator; ask one to log in")


def test_a_demo_database_says_demo_in_the_status_bar(cashier: Cashier) -> None:
    bar = cashier.window.statusBar()
    assert cashier.window.app_ctx.context.demo  # the fixtures are demo databases
    assert bar.demo_label.isVisible() and bar.demo_label.text() == "DEMO"
