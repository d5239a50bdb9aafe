"""The QR code on the customer display: whole-pixel modules, black on white, four modules of
quiet zone, in the largest square the widget allows (a phone reads it from a metre)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from pos_app.ui.sale.qris.qr_view import QUIET, paint_modules

EXTRA_QUIET = QUIET  # modules added around the matrix's own border of 2: four in all


class QrSquare(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.modules: list[list[bool]] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 120)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(420, 420)

    def set_modules(self, modules: list[list[bool]] | None) -> None:
        self.modules = modules
        self.update()

    def square(self) -> QRect:
        """The white square painted, centred."""
        side = min(self.width(), self.height())
        if self.modules:
            count = len(self.modules) + 2 * EXTRA_QUIET
            side = max(side // count, 1) * count
        return QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if not self.modules:
            return
        box = self.square()
        p = QPainter(self)
        p.fillRect(box, QColor("white"))
        paint_modules(p, box, self.modules)
        p.end()
