"""Touch-sized buttons that the keyboard can press too (Enter or Return when focused)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from pos_app.ui.common.style import TOUCH


class TouchButton(QPushButton):
    """A push button at least 48 px tall; ``role`` picks its look in the stylesheet."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *,
                 role: str | None = None, key: str | None = None) -> None:
        super().__init__(parent)
        self._label, self._key = text, key
        self.setText(text)
        self.setAutoDefault(False)
        self.setDefault(False)
        self.setMinimumHeight(TOUCH)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        if role:
            self.setProperty("role", role)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        """The label, followed by its key (``Bayar  F12``) so every key can be learnt."""
        self._label = text
        key = getattr(self, "_key", None)
        super().setText(f"{text}   {key}" if key else text)

    def label(self) -> str:
        return self._label

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.isEnabled():
            self.click()
            event.accept()
            return
        super().keyPressEvent(event)
