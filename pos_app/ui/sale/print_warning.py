"""The amber strip on the sale screen that says a receipt did not print, with one-click Reprint."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from pos_app.i18n import _
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.sale.print_queue import PrintQueue


class PrintWarning(QFrame):
    """A view of the queue's unprinted receipts; never modal, the sale screen stays usable.

    Reprint queues every unprinted receipt again; ``×`` dismisses the warning (the sales stay
    reprintable from the sales history).
    """

    def __init__(self, queue: PrintQueue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue = queue
        self.setProperty("kind", "warning")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 8, 6)
        layout.setSpacing(10)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reprint_button = TouchButton(_("Reprint"), self)
        self.reprint_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan box keeps it
        self.reprint_button.setToolTip(_("Send the receipts that did not print again"))
        self.reprint_button.clicked.connect(self.reprint)
        close = QPushButton("×", self)
        close.setProperty("role", "close")
        close.setToolTip(_("Close"))
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.setAutoDefault(False)
        close.clicked.connect(queue.dismiss)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.reprint_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        queue.state_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        unprinted = list(self.queue.unprinted.values())
        if not unprinted:
            self.label.clear()
            self.hide()
            return
        reason = self.queue.last_error
        if len(unprinted) == 1:
            text = _("Receipt {number} was not printed: {reason}").format(
                number=unprinted[0], reason=reason)
        else:
            text = _("{count} receipts were not printed (last {number}): {reason}").format(
                count=len(unprinted), number=unprinted[-1], reason=reason)
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()

    def reprint(self) -> None:
        self.queue.reprint_unprinted()
