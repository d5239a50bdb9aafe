"""Unlocking a locked account at the login screen: a coordinator (or admin) picks their own
name and types their own PIN; ``unlocking.unlock_with_pin`` checks it (a wrong one counts
against them as at the till) and journals who unlocked whom (``user.unlock``)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from pos_app.i18n import _
from pos_app.services.access import auth, roles, unlocking
from pos_app.services.access.auth import UserInfo
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.busy import BusyDialog
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import button_row, titled
from pos_app.ui.common.ops import OpFailure
from pos_app.ui.common.pin_pad import PinField, PinPad, UserPicker


class UnlockDialog(BusyDialog):
    unlocked = Signal(str)  # the unlocked user's name

    def __init__(self, app_ctx: AppContext, name: str, parent: QWidget | None = None) -> None:
        super().__init__(app_ctx, parent)
        self.name = name
        self.setMinimumWidth(760)
        layout = titled(self, _("Unlock {name}").format(name=name), _(
            "{name} typed too many wrong PINs. A coordinator or administrator picks their own "
            "name and types their own PIN to unlock the account.").format(name=name))
        self.picker = UserPicker(self)
        self.picker.picked.connect(lambda _n: self._picked())
        self.none_label = QLabel(_("There is no coordinator to unlock it yet."), self)
        self.none_label.setProperty("role", "hint")
        self.none_label.hide()
        self.pin_edit = PinField(self)
        self.pin_edit.returnPressed.connect(self.confirm)
        self.pin_edit.textEdited.connect(lambda _t: self.error.clear())
        self.pad = PinPad(self.pin_edit, self)
        self.pad.submitted.connect(self.confirm)
        self.error = Banner(self)
        cancel = TouchButton(_("Cancel"), self, key="Esc")
        cancel.clicked.connect(self.reject)
        self.unlock_button = TouchButton(_("Unlock"), self, role="primary", key="Enter")
        self.unlock_button.clicked.connect(self.confirm)
        left = QVBoxLayout()
        left.addWidget(self.picker)
        left.addWidget(self.none_label)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.pin_edit)
        right.addWidget(self.pad)
        row = QHBoxLayout()
        row.setSpacing(20)
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        layout.addLayout(row, 1)
        layout.addWidget(self.error)
        layout.addLayout(button_row(cancel, self.unlock_button))
        app_ctx.ops.run(auth.users, app_ctx.booth, on_success=self._show_users, owner=self)
        self.pin_edit.setFocus()

    def _show_users(self, rows: list[UserInfo]) -> None:
        who = [u for u in rows if u.active and u.has_pin and not u.locked
               and roles.can(u, "unlock_user") and u.name != self.name]
        self.picker.set_users(who)
        self.none_label.setVisible(not who)
        if len(who) == 1:
            self.picker.select(who[0].name)

    def _picked(self) -> None:
        self.error.clear()
        self.pin_edit.setFocus()

    def confirm(self) -> None:
        if self.busy:
            return
        by = self.picker.selected()
        if not by:
            self.error.show_error(_("The coordinator picks their name first"))
            return
        if not self.pin_edit.text():
            self.error.show_error(_("Type your PIN"))
            return
        self.run_op(unlocking.unlock_with_pin, self.app_ctx.booth, self.name, by,
                    self.pin_edit.text(), on_success=lambda _r: self._unlocked(),
                    on_error=self._failed, button=self.unlock_button)

    def _unlocked(self) -> None:
        self.unlocked.emit(self.name)
        self.accept()

    def _failed(self, failure: OpFailure) -> None:
        self.pin_edit.clear()
        self.error.show_error(failure.message)
        self.pin_edit.setFocus()
