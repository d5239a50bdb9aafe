"""The search box that is also the barcode scanner's target (a scanner types the code + Enter).

Typing searches (debounced); Enter looks the code up. With the box empty, ``+``/``-`` and
Delete act on the cart's selected line, since no code or name starts with them; on the sale
screen, a number then ``*`` asks for that many of the next product.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from pos_app.i18n import _

DEBOUNCE_MS = 250


class ScanBox(QLineEdit):
    search_changed = Signal(str)  # the text after the cashier paused typing
    code_entered = Signal(str)  # Enter with a code or name in the box
    qty_step = Signal(int)  # + or - with the box empty
    remove_line = Signal()  # Delete with the box empty
    to_grid = Signal()  # Down arrow: go and pick from the products shown
    times = Signal(int)  # a number then "*": the next product that many times

    def __init__(self, parent: QWidget | None = None, *, takes_multiplier: bool = False) -> None:
        super().__init__(parent)
        self.takes_multiplier = takes_multiplier
        self.setProperty("role", "scan")
        self.setPlaceholderText(_("Search or scan a barcode (F1)"))
        self.setClearButtonEnabled(True)
        self.setMaxLength(120)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(lambda: self.search_changed.emit(self.text().strip()))
        self.textChanged.connect(lambda _text: self._timer.start())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            code = self.text().strip()
            if code:
                self._timer.stop()  # the scanner was faster than the debounce
                self.code_entered.emit(code)
            event.accept()
            return
        if key == Qt.Key.Key_Down:
            self.to_grid.emit()
            event.accept()
            return
        if key == Qt.Key.Key_Escape and self.text():
            self.clear()
            event.accept()
            return
        if self.takes_multiplier and event.text() == "*" and self.text().strip().isdigit():
            qty = int(self.text().strip())
            self.clear()
            self.times.emit(qty)
            event.accept()
            return
        if not self.text():
            if key == Qt.Key.Key_Plus or event.text() == "+":
                self.qty_step.emit(1)
                event.accept()
                return
            if key == Qt.Key.Key_Minus or event.text() == "-":
                self.qty_step.emit(-1)
                event.accept()
                return
            if key == Qt.Key.Key_Delete:
                self.remove_line.emit()
                event.accept()
                return
        super().keyPressEvent(event)

    def show_scanned(self, code: str) -> None:
        """Show a code the scanner sent from elsewhere, as if it had been typed here (no
        search: it is looked up whole)."""
        self._timer.stop()
        self.blockSignals(True)
        self.setText(code)
        self.blockSignals(False)

    def ready_for_next_scan(self) -> None:
        """Keep the code visible but selected, so the next scan replaces it."""
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.selectAll()
