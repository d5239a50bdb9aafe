"""The login screen, which is also the lock screen: pick your name, type your PIN on the pad.

The PIN is checked by ``auth.login`` in an op (it takes a tenth of a second on purpose);
every failure is journaled there and shown here, inline, in the cashier's language. When one
try is left before the lockout the screen says so; a locked account is unlocked right here
with a coordinator's (or admin's) PIN (:mod:`pos_app.ui.access.unlock_dialog`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from pos_app.i18n import _
from pos_app.services.access import auth
from pos_app.services.access.auth import AuthUser, UserInfo
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.ops import OpFailure
from pos_app.ui.common.pin_pad import PinField, PinPad, UserPicker

CARD_WIDTH = 860


class LoginScreen(QWidget):
    logged_in = Signal(object)  # AuthUser, once the PIN was right

    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.busy = False
        self.locked_by = ""  # the locked user's name while this is the lock screen
        self.users: list[UserInfo] = []

        card = QFrame(self)
        card.setProperty("role", "card")
        card.setFixedWidth(CARD_WIDTH)
        self.heading = QLabel(card)
        self.heading.setProperty("role", "title")
        self.caption = QLabel(card)
        self.caption.setProperty("role", "caption")
        self.caption.setWordWrap(True)
        who = QLabel(_("Who are you?"), card)
        who.setProperty("role", "field")
        self.picker = UserPicker(card)
        self.picker.picked.connect(self._picked)
        self.no_users = QLabel(_("No users yet."), card)
        self.no_users.setProperty("role", "hint")
        self.no_users.hide()

        pin_caption = QLabel(_("PIN"), card)
        pin_caption.setProperty("role", "field")
        self.pin_edit = PinField(card)
        self.pin_edit.returnPressed.connect(self.submit)
        self.pin_edit.textEdited.connect(lambda _t: self.error.clear())
        self.pad = PinPad(self.pin_edit, card)
        self.pad.submitted.connect(self.submit)
        self.error = Banner(card)
        self.unlock_button = TouchButton(_("Unlock with a coordinator's PIN"), card)
        self.unlock_button.clicked.connect(self.ask_unlock)
        self.unlock_button.hide()
        self.unlock_dialog = None  # UnlockDialog while open (tests)

        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(self.heading)
        left.addWidget(self.caption)
        left.addSpacing(6)
        left.addWidget(who)
        left.addWidget(self.picker)
        left.addWidget(self.no_users)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addWidget(pin_caption)
        right.addWidget(self.pin_edit)
        right.addWidget(self.pad)
        right.addWidget(self.error)
        right.addWidget(self.unlock_button)
        right.addStretch(1)
        row = QHBoxLayout(card)
        row.setContentsMargins(28, 24, 28, 24)
        row.setSpacing(28)
        row.addLayout(left, 1)
        row.addLayout(right, 1)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.show_login()

    # -- modes ------------------------------------------------------------------------
    def show_login(self, selected: str = "") -> None:
        """Nobody is logged in: anyone may log in."""
        self.locked_by = ""
        self.heading.setText(_("Log in"))
        self.caption.setText(_("Pick your name and type your PIN."))
        self._reset(selected)

    def show_locked(self, name: str) -> None:
        """``name`` locked the till: their PIN unlocks it, anyone else takes the shift over."""
        self.locked_by = name
        self.heading.setText(_("The till is locked"))
        self.caption.setText(_("{name} is logged in. Type {name}'s PIN to go on; someone else "
                               "who logs in takes the shift over with a cash count.").format(
                                   name=name))
        self._reset(name)

    def _reset(self, selected: str) -> None:
        self.error.clear()
        self.pin_edit.clear()
        self.refresh(selected)
        self.pin_edit.setFocus()

    def refresh(self, selected: str = "") -> None:
        """Load the users (names, roles, locked) in an op."""
        keep = selected or self.picker.selected()
        self.app_ctx.ops.run(auth.users, self.app_ctx.booth,
                          on_success=lambda rows: self._show_users(rows, keep),
                          owner=self, key="login-users")

    def _show_users(self, rows: list[UserInfo], selected: str) -> None:
        self.users = [u for u in rows if u.active and u.has_pin]
        self.picker.set_users(self.users, selected)
        self.no_users.setVisible(not self.users)
        if len(self.users) == 1 and not selected:
            self.picker.select(self.users[0].name)
        self._offer_unlock()

    def _picked(self, _name: str) -> None:
        self.error.clear()
        self._offer_unlock()
        self.pin_edit.setFocus()

    def _offer_unlock(self) -> None:
        """The unlock button, while the picked user is locked."""
        name = self.picker.selected()
        self.unlock_button.setVisible(any(u.name == name and u.locked for u in self.users))

    def ask_unlock(self):
        """A coordinator unlocks the picked user with their own PIN; returns the dialog."""
        from pos_app.ui.access.unlock_dialog import UnlockDialog

        name = self.picker.selected()
        if not name:
            return None
        dialog = UnlockDialog(self.app_ctx, name, self)
        dialog.unlocked.connect(self._unlocked)
        dialog.finished.connect(dialog.deleteLater)
        self.unlock_dialog = dialog
        dialog.open()
        return dialog

    def _unlocked(self, name: str) -> None:
        self.error.show_message(_("{name} is unlocked; type your PIN").format(name=name),
                                "success")
        self.refresh(name)
        self.pin_edit.setFocus()

    # -- logging in ---------------------------------------------------------------------
    def pick(self, name: str) -> None:
        self.picker.select(name)
        self._picked(name)

    def submit(self) -> None:
        if self.busy:
            return
        name = self.picker.selected()
        pin = self.pin_edit.text()
        if not name:
            self.error.show_error(_("Pick your name first"))
            return
        if not pin:
            self.error.show_error(_("Type your PIN"))
            self.pin_edit.setFocus()
            return
        self._set_busy(True)
        self.app_ctx.ops.run(auth.login, self.app_ctx.booth, name, pin, on_success=self._ok,
                             on_error=lambda failure: self._failed(failure, name), owner=self)

    def _ok(self, user: AuthUser) -> None:
        self._set_busy(False)
        self.pin_edit.clear()
        self.error.clear()
        self.logged_in.emit(user)

    def _failed(self, failure: OpFailure, name: str = "") -> None:
        self._set_busy(False)
        self.pin_edit.clear()
        self.error.show_error(failure.message)
        self.pin_edit.setFocus()
        if failure.code == "account_locked":
            self.refresh()
        elif failure.code == "bad_pin" and name:
            self.app_ctx.ops.run(auth.tries_left, self.app_ctx.booth, name, owner=self,
                                 on_success=lambda left: self._warn(failure, name, left),
                                 on_error=lambda _f: None)

    def _warn(self, failure: OpFailure, name: str, left: int) -> None:
        """One wrong PIN more locks ``name``: say so before it happens; none left: offer the
        unlock."""
        if left == 1:
            self.error.show_error(failure.message + "\n" + _(
                "One try left: one more wrong PIN locks {name} until a coordinator unlocks "
                "it.").format(name=name))
        elif left == 0:
            self.refresh(name)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.pad.setEnabled(not busy)
        self.pin_edit.setReadOnly(busy)
