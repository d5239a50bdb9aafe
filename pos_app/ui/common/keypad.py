"""An on-screen number pad for amounts, for a cashier with only a touch screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLineEdit, QWidget

from pos_app.i18n import _
from pos_app.ui.common.buttons import TouchButton

KEYS = ("7", "8", "9", "4", "5", "6", "1", "2", "3", "000", "0", "⌫")


class Keypad(QWidget):
    """Types into ``target``; the buttons take no focus, so the field keeps the cursor."""

    def __init__(self, target: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for i, key in enumerate(KEYS):
            button = TouchButton(key, self, role="key")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            if key == "⌫":
                button.setToolTip(_("Delete the last digit"))
            button.clicked.connect(lambda _checked=False, k=key: self.press(k))
            grid.addWidget(button, i // 3, i % 3)

    def press(self, key: str) -> None:
        if key == "⌫":
            self.target.backspace()
        else:
            self.target.insert(key)
        self.target.setFocus(Qt.FocusReason.OtherFocusReason)
