"""The first run: nobody can approve, unlock or manage users until an administrator exists.

Asks for the administrator's name and PIN (twice, 4 to 8 digits) and creates the user with
``auth.create_user`` in an op, journaled as done by the set-up.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from pos_app.domain.errors import DomainError
from pos_app.i18n import _
from pos_app.services.access import auth
from pos_app.services.access.auth import UserInfo
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.ops import OpFailure, error_text
from pos_app.ui.common.pin_pad import PinField

SETUP_ACTOR = "setup"


def create_admin(booth, name: str, pin: str) -> UserInfo:
    """Runs in an op: the first administrator."""
    return auth.create_user(booth, name, "admin", pin, actor=SETUP_ACTOR)


class FirstRunDialog(QDialog):
    """Cancelling it (Quit, Esc) closes the app: nothing works until an administrator exists."""

    created = Signal(object)  # UserInfo

    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.busy = False
        self.setWindowTitle(_("Welcome to Lapak POS"))
        self.setModal(True)
        self.setMinimumWidth(560)

        heading = QLabel(_("Create the administrator"), self)
        heading.setProperty("role", "title")
        about = QLabel(_("The administrator manages users and settings and can approve voids, "
                         "refunds and large discounts. Choose a PIN of 4 to 8 digits that "
                         "only you know."), self)
        about.setProperty("role", "caption")
        about.setWordWrap(True)
        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(auth.NAME_MAX)
        self.name_edit.setPlaceholderText(_("e.g. Yohanes"))
        self.pin_edit = PinField(self)
        self.again_edit = PinField(self)
        self.again_edit.setPlaceholderText(_("The same PIN again"))
        self.error = Banner(self)
        self.save_button = TouchButton(_("Create administrator"), self, role="primary",
                                       key="Enter")
        self.save_button.clicked.connect(self.confirm)
        for edit in (self.name_edit, self.pin_edit, self.again_edit):
            edit.returnPressed.connect(self.confirm)
            edit.textEdited.connect(lambda _t: self.error.clear())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(about)
        for text, edit in ((_("Name"), self.name_edit), (_("PIN"), self.pin_edit),
                           (_("PIN again"), self.again_edit)):
            label = QLabel(text, self)
            label.setProperty("role", "field")
            label.setBuddy(edit)
            layout.addWidget(label)
            layout.addWidget(edit)
        layout.addWidget(self.error)
        quit_button = TouchButton(_("Quit"), self, key="Esc")
        quit_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.name_edit.setFocus()

    def confirm(self) -> None:
        if self.busy:
            return
        name, pin = self.name_edit.text().strip(), self.pin_edit.text()
        try:
            auth.clean_name(name)
            auth.check_pin_format(pin)
        except DomainError as exc:
            self.error.show_error(error_text(exc))
            return
        if pin != self.again_edit.text():
            self.error.show_error(_("The two PINs are not the same"))
            self.again_edit.clear()
            self.again_edit.setFocus()
            return
        self.busy = True
        self.save_button.setEnabled(False)
        self.app_ctx.ops.run(create_admin, self.app_ctx.booth, name, pin, on_success=self._created,
                          on_error=self._failed, owner=self)

    def _created(self, user: UserInfo) -> None:
        self.busy = False
        self.created.emit(user)
        self.accept()

    def _failed(self, failure: OpFailure) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        self.error.show_error(failure.message)

    def reject(self) -> None:
        if not self.busy:
            super().reject()
