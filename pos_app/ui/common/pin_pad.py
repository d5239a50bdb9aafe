"""A PIN field and the big number pad that types into it (a touch screen has no keyboard).

Also the user picker the login, lock, approval and handover screens share: one big button
per person, so nobody has to type a name on a touch screen.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLineEdit, QSizePolicy, QWidget

from pos_app.i18n import _
from pos_app.services.access.auth import PIN_MAX, UserInfo
from pos_app.ui.common.buttons import TouchButton

PAD_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK")


def role_label(role: str) -> str:
    return {"cashier": _("Cashier"), "coordinator": _("Coordinator"),
            "admin": _("Administrator")}.get(role, role)


class PinField(QLineEdit):
    """Digits only, shown as dots; Enter submits."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "pin")
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setMaxLength(PIN_MAX)
        self.setValidator(QRegularExpressionValidator(
            QRegularExpression(f"[0-9]{{0,{PIN_MAX}}}"), self))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(60)
        self.setPlaceholderText(_("PIN"))
        self.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly
                                 | Qt.InputMethodHint.ImhSensitiveData)


class PinPad(QWidget):
    """1–9, ⌫, 0 and OK; the keys take no focus, so the field keeps the cursor."""

    submitted = Signal()

    def __init__(self, target: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        self.buttons: dict[str, TouchButton] = {}
        for i, key in enumerate(PAD_KEYS):
            button = TouchButton(_("OK") if key == "OK" else key, self,
                                 role="pin-ok" if key == "OK" else "pin")
            button.setMinimumHeight(64)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            if key == "⌫":
                button.setToolTip(_("Delete the last digit"))
            button.clicked.connect(lambda _c=False, k=key: self.press(k))
            grid.addWidget(button, i // 3, i % 3)
            self.buttons[key] = button
        for row in range(len(PAD_KEYS) // 3):
            grid.setRowMinimumHeight(row, 64)

    def press(self, key: str) -> None:
        if key == "OK":
            self.submitted.emit()
            return
        if key == "⌫":
            self.target.backspace()
        elif len(self.target.text()) < self.target.maxLength():
            self.target.insert(key)
        self.target.setFocus(Qt.FocusReason.OtherFocusReason)

    def type_pin(self, pin: str) -> None:
        """Tap the digits of ``pin`` (tests, screenshots)."""
        for digit in pin:
            self.press(digit)


class UserPicker(QWidget):
    """One checkable button per user, two to a row; :attr:`picked` gives the name."""

    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None, columns: int = 2) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(8)
        self._columns = columns
        self._group = QButtonGroup(self)
        self.buttons: dict[str, TouchButton] = {}
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def set_users(self, users: list[UserInfo], selected: str = "") -> None:
        for button in self.buttons.values():
            self._group.removeButton(button)
            button.deleteLater()
        self.buttons = {}
        locked = _("locked")
        for i, user in enumerate(users):
            text = f"{user.name}\n{locked if user.locked else role_label(user.role)}"
            button = TouchButton(text, self, role="user")
            button.setCheckable(True)
            button.setMinimumHeight(64)
            button.clicked.connect(lambda _c=False, n=user.name: self.picked.emit(n))
            self._group.addButton(button)
            self._grid.addWidget(button, i // self._columns, i % self._columns)
            self.buttons[user.name] = button
        if selected:
            self.select(selected)

    def select(self, name: str) -> None:
        button = self.buttons.get(name)
        if button is not None:
            button.setChecked(True)

    def selected(self) -> str:
        button = self._group.checkedButton()
        for name, candidate in self.buttons.items():
            if candidate is button:
                return name
        return ""
