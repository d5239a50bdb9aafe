"""An inline message under the thing it is about: error, information or success; never modal."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from pos_app.i18n import _
from pos_app.ui.common.style import set_role


class Banner(QFrame):
    """Hidden until :meth:`show_message`; stays until cleared or closed with its ``×``."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None, *, large: bool = False) -> None:
        super().__init__(parent)
        self.setProperty("kind", "info")
        if large:
            self.setProperty("emphasis", "large")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10 if not large else 14, 8, 10 if not large else 14)
        self._label = QLabel(self)
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self._label, 1)
        close = QPushButton("×", self)
        close.setProperty("role", "close")
        close.setToolTip(_("Close"))
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.setAutoDefault(False)
        close.clicked.connect(self.clear)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        """``kind`` is ``error``, ``info`` or ``success``."""
        self._label.setText(text)
        if self.property("kind") != kind:
            set_role(self, "kind", kind)
        self.show()

    def show_error(self, text: str) -> None:
        self.show_message(text, "error")

    def clear(self) -> None:
        """Hide the banner (also one shown on a page that is hidden itself) and forget its text."""
        if not self.isHidden():
            self.hide()
            self.closed.emit()
        self._label.clear()

    def text(self) -> str:
        return self._label.text() if self.isVisible() else ""

    def kind(self) -> str:
        return str(self.property("kind"))
