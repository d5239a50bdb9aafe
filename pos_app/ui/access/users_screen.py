"""The users screen, for administrators: who may use this till (name, role, active, locked),
and adding a user, resetting a PIN (typed twice, on the pad or the keyboard), changing a role
and deactivating or reactivating someone. The rules (only an admin, the last admin stays, no
easy or previous PIN) are the service's (``services.access.users``); refusals are shown here
in the user's language. Every call runs as an op."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from pos_app.i18n import _
from pos_app.services.access import auth, users
from pos_app.services.access.auth import NAME_MAX, ROLES, UserInfo
from pos_app.ui.access.pin_twice import PinTwice
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.changes import Change
from pos_app.ui.common.dialog_layout import fit_to_screen, reserve_lines
from pos_app.ui.common.ops import OpFailure
from pos_app.ui.common.pin_pad import role_label
from pos_app.ui.common.rows import Column, RowsModel
from pos_app.ui.common.tables import make_table, selected_rows

__all__ = ["UsersDialog", "open_users"]

ADD, PIN, ROLE = "add", "pin", "role"
FORM_WIDTH = 420


class UsersModel(RowsModel):
    def __init__(self, parent=None) -> None:
        super().__init__([
            Column(_("Name"), lambda u: u.name),
            Column(_("Role"), lambda u: role_label(u.role)),
            Column(_("Status"), lambda u: _("Active") if u.active else _("Inactive")),
            Column(_("Locked"), lambda u: _("Locked") if u.locked else ""),
        ], parent)

    def foreground(self, row: UserInfo, col: int) -> str | None:
        return "#8A8F98" if not row.active else None


class UsersDialog(QDialog):
    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.mode = ""
        self.busy = False
        self.setWindowTitle(_("Users"))
        self.setModal(True)
        fit_to_screen(self, 1180, 740)

        heading = QLabel(_("Users"), self)
        heading.setProperty("role", "title")
        intro = QLabel(_("Who may use this till. Add a user, reset a forgotten PIN, change a "
                         "role, or deactivate someone who has left. A PIN is 4 to 8 digits; "
                         "easy PINs such as 1234 or 0000 are refused."), self)
        intro.setProperty("role", "hint")
        intro.setWordWrap(True)
        reserve_lines(intro, self.width() - 40)

        self.model = UsersModel(self)
        self.table = make_table(self.model, self, stretch=0, editable=False)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.add_button = TouchButton(_("Add a user"), self, role="primary")
        self.add_button.clicked.connect(lambda: self.start(ADD))
        self.pin_button = TouchButton(_("Reset PIN"), self)
        self.pin_button.clicked.connect(lambda: self.start(PIN))
        self.role_button = TouchButton(_("Change role"), self)
        self.role_button.clicked.connect(lambda: self.start(ROLE))
        self.active_button = TouchButton(_("Deactivate"), self, role="danger")
        self.active_button.clicked.connect(self.toggle_active)
        buttons = QGridLayout()
        buttons.setSpacing(8)
        for i, button in enumerate((self.add_button, self.pin_button, self.role_button,
                                    self.active_button)):
            buttons.addWidget(button, i // 2, i % 2)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(buttons)

        self.form = self._make_form()
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addLayout(left, 1)
        right = QVBoxLayout()
        right.addWidget(self.form)
        right.addStretch(1)
        body.addLayout(right)

        self.banner = Banner(self)
        close = TouchButton(_("Close"), self, key="Esc")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.banner, 1)
        bottom.addWidget(close, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)
        self.start("")
        self.reload()

    def _make_form(self) -> QFrame:
        form = QFrame(self)
        form.setProperty("role", "card")
        form.setFixedWidth(FORM_WIDTH)
        self.form_title = QLabel(form)
        self.form_title.setProperty("role", "heading")
        self.name_label = QLabel(_("Name"), form)
        self.name_label.setProperty("role", "field")
        self.name_edit = QLineEdit(form)
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_edit.setPlaceholderText(_("e.g. Yohanes"))
        self.role_label = QLabel(_("Role"), form)
        self.role_label.setProperty("role", "field")
        self.role_box = QComboBox(form)
        for role in ROLES:
            self.role_box.addItem(role_label(role), role)
        self.pins = PinTwice(form)
        self.pins.pad.submitted.connect(self.save)
        for edit in (self.name_edit, self.pins.pin_edit, self.pins.again_edit):
            edit.returnPressed.connect(self.save)
            edit.textEdited.connect(lambda _t: self.banner.clear())
        self.save_button = TouchButton(_("Save"), form, role="primary")
        self.save_button.clicked.connect(self.save)
        cancel = TouchButton(_("Cancel"), form)
        cancel.clicked.connect(lambda: self.start(""))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        grid.addWidget(self.name_label, 0, 0)
        grid.addWidget(self.name_edit, 1, 0)
        grid.addWidget(self.role_label, 0, 1)
        grid.addWidget(self.role_box, 1, 1)
        row = QHBoxLayout()
        row.addWidget(cancel)
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(form)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.form_title)
        layout.addLayout(grid)
        layout.addWidget(self.pins)
        layout.addLayout(row)
        return form

    # -- the list -------------------------------------------------------------------------
    def reload(self, select: str = "") -> None:
        keep = select or self.selected_name()
        self.app_ctx.ops.run(auth.users, self.app_ctx.booth, owner=self, key="users-list",
                             on_success=lambda rows: self._show_rows(rows, keep),
                             on_error=self._failed)

    def _show_rows(self, rows: list[UserInfo], select: str) -> None:
        self.model.set_rows(rows)
        index = self.model.find(lambda u: u.name == select)
        if index is not None:
            self.table.selectRow(index)
        self._selected()

    def selected(self) -> UserInfo | None:
        rows = selected_rows(self.table)
        return self.model.row(rows[0]) if rows else None

    def selected_name(self) -> str:
        user = self.selected()
        return user.name if user is not None else ""

    def select(self, name: str) -> None:
        index = self.model.find(lambda u: u.name == name)
        if index is not None:
            self.table.selectRow(index)

    def _selected(self) -> None:
        user = self.selected()
        for button in (self.pin_button, self.role_button, self.active_button):
            button.setEnabled(user is not None and not self.busy)
        self.active_button.setText(_("Reactivate") if user is not None and not user.active
                                   else _("Deactivate"))
        if self.mode in (PIN, ROLE) and (user is None or user.name != self.target):
            self.start("")

    # -- the form --------------------------------------------------------------------------
    def start(self, mode: str) -> None:
        """Show the form for ``mode`` (add, pin, role) or hide it ("")."""
        user = self.selected()
        if mode in (PIN, ROLE) and user is None:
            return
        self.mode = mode
        self.target = user.name if mode in (PIN, ROLE) and user is not None else ""
        self.form.setVisible(bool(mode))
        self.name_label.setVisible(mode == ADD)
        self.name_edit.setVisible(mode == ADD)
        self.role_label.setVisible(mode in (ADD, ROLE))
        self.role_box.setVisible(mode in (ADD, ROLE))
        self.pins.setVisible(mode in (ADD, PIN))
        self.name_edit.clear()
        self.pins.clear()
        if mode == ADD:
            self.form_title.setText(_("A new user"))
            self.role_box.setCurrentIndex(ROLES.index("cashier"))
            self.name_edit.setFocus()
        elif mode == PIN:
            self.form_title.setText(_("A new PIN for {name}").format(name=self.target))
            self.pins.pin_edit.setFocus()
        elif mode == ROLE and user is not None:
            self.form_title.setText(_("{name}'s role").format(name=self.target))
            self.role_box.setCurrentIndex(ROLES.index(user.role))
            self.role_box.setFocus()

    def save(self) -> None:
        if self.busy or not self.mode:
            return
        actor = self.app_ctx.login_state.user
        booth = self.app_ctx.booth
        role = self.role_box.currentData()
        if self.mode in (ADD, PIN):
            problem = self.pins.problem()
            if problem:
                self.banner.show_error(problem)
                self.pins.again_edit.clear()
                return
        if self.mode == ADD:
            name = self.name_edit.text().strip()
            done = _("{name} was added as {role}").format(name=name, role=role_label(role))
            self._run(users.add_user, booth, name, role, self.pins.pin(), actor,
                      done=done, select=name)
        elif self.mode == PIN:
            done = _("{name}'s PIN was changed").format(name=self.target)
            self._run(users.reset_pin, booth, self.target, self.pins.pin(), actor, done=done,
                      select=self.target)
        else:
            done = _("{name} is now {role}").format(name=self.target, role=role_label(role))
            self._run(users.change_role, booth, self.target, role, actor, done=done,
                      select=self.target)

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None or self.busy:
            return
        done = (_("{name} can log in again") if not user.active
                else _("{name} was deactivated and can no longer log in")).format(name=user.name)
        self._run(users.set_active, self.app_ctx.booth, user.name, not user.active,
                  self.app_ctx.login_state.user, done=done, select=user.name, form=False)

    def _run(self, call, *args, done: str, select: str, form: bool = True) -> None:
        self._set_busy(True)

        def ok(_result) -> None:
            self._set_busy(False)
            if form:
                self.start("")
            self.banner.show_message(done, "success")
            self.reload(select)

        self.app_ctx.ops.run(call, *args, on_success=ok, on_error=self._failed, owner=self,
                             changes={Change.USERS})

    def _failed(self, failure: OpFailure) -> None:
        self._set_busy(False)
        self.banner.show_error(failure.message)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.save_button.setEnabled(not busy)
        self.add_button.setEnabled(not busy)
        self._selected()


def open_users(window: QMainWindow) -> UsersDialog | None:
    """Open the users screen over ``window`` for a logged-in administrator; anyone else is
    told, in the status bar, that it is for administrators."""
    login_state = window.app_ctx.login_state
    if login_state.user is None or login_state.locked:
        return None
    if not login_state.can("manage_users"):
        window.statusBar().showMessage(
            _("Users are managed by an administrator; ask one to log in"), 8_000)
        return None
    dialog = UsersDialog(window.app_ctx, window)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
