"""An inline "are you sure?" bar, so a big step needs a second, deliberate tap without a
modal box."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from pos_app.i18n import _
from pos_app.ui.common.buttons import TouchButton


class ConfirmBar(QFrame):
    """An inline question with two buttons ("Return everything?" Yes / Keep)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("kind", "warning")
        self._action: Callable[[], None] | None = None
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.yes_button = TouchButton("", self, role="primary")
        self.yes_button.clicked.connect(self._yes)
        self.no_button = TouchButton(_("Not now"), self)
        self.no_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 10, 10)
        layout.setSpacing(10)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.no_button)
        layout.addWidget(self.yes_button)
        self.hide()

    def ask(self, text: str, yes: str, action: Callable[[], None]) -> None:
        self.label.setText(text)
        self.yes_button.setText(yes)
        self._action = action
        self.show()
        self.yes_button.setFocus()

    def dismiss(self) -> None:
        self._action = None
        self.hide()

    def _yes(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            action()
