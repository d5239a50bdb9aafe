"""What a coordinator or admin sees in the back office, where the sale screen would be: no
selling without a shift, one button to open one; the back-office screens are in the toolbar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pos_app.i18n import _
from pos_app.ui.common.buttons import TouchButton


class NoShiftPanel(QWidget):
    """``open_shift`` is emitted when the button is pressed."""

    open_shift = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(_("Open a shift to sell"), self)
        self.heading.setProperty("role", "heading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.about = QLabel(_("No cash shift is open. Stock, reports, reconciliation and the "
                              "settings are at the top (Back office); selling needs a shift "
                              "opened with a count of the drawer."), self)
        self.about.setProperty("role", "caption")
        self.about.setWordWrap(True)
        self.about.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.about.setFixedWidth(560)  # a wrapped label needs its width to know its height
        self.open_button = TouchButton(_("Open a shift…"), self, role="primary")
        self.open_button.clicked.connect(self.open_shift)
        layout = QVBoxLayout(self)
        layout.setSpacing(16)
        layout.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.about, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        # a box layout gives a wrapped label one line unless told its height (styled by now)
        self.about.setMinimumHeight(self.about.heightForWidth(self.about.width()))
        super().showEvent(event)
