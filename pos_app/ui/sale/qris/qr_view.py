"""A QR code painted crisply: whole-pixel modules, black on white, with a quiet zone, as large
as the widget's square allows; or a picture (the booth's sticker photo) scaled smoothly."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

QUIET = 2  # modules of white added around the matrix's own border (4 in all, as ISO asks)
FRAME = "#D8DFE5"


def paint_modules(p: QPainter, box: QRect, modules: list[list[bool]]) -> None:
    """Paint ``modules`` black in the white square ``box`` (whose side is a whole multiple
    of the modules plus :data:`QUIET` on each side): one rectangle per run of dark modules.
    The payment dialog's code and the customer display's are painted by this alone."""
    scale = box.width() // (len(modules) + 2 * QUIET)
    left, top = box.left() + QUIET * scale, box.top() + QUIET * scale
    black = QColor("black")
    for y, row in enumerate(modules):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            p.fillRect(left + start * scale, top + y * scale, (x - start) * scale, scale,
                       black)


class QrView(QWidget):
    """Paints ``modules`` (rows of dark modules) or ``image`` in the largest square that fits."""

    def __init__(self, parent: QWidget | None = None, *, least: int = 180,
                 hint: int = 360) -> None:
        super().__init__(parent)
        self.modules: list[list[bool]] | None = None
        self.image: QImage | None = None
        self._hint = hint
        self.setMinimumSize(least, least)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._hint, self._hint)

    def set_modules(self, modules: list[list[bool]] | None) -> None:
        self.modules, self.image = modules, None
        self.update()

    def set_image(self, image: QImage | None) -> None:
        self.modules, self.image = None, image
        self.update()

    def is_empty(self) -> bool:
        return self.modules is None and self.image is None

    def square(self) -> QRect:
        """The white square painted (centred at the top of the widget)."""
        side = min(self.width(), self.height())
        if self.modules:
            count = len(self.modules) + 2 * QUIET
            side = side // count * count  # whole pixels per module
        return QRect((self.width() - side) // 2, 0, side, side)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if self.is_empty():
            return
        box = self.square()
        p = QPainter(self)
        p.fillRect(box, QColor("white"))
        if self.modules:
            paint_modules(p, box, self.modules)
        elif self.image is not None:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            scaled = self.image.size().scaled(box.size() * 0.94,
                                              Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, scaled.width(), scaled.height())
            target.moveCenter(box.center())
            p.drawImage(target, self.image)
        p.setPen(QColor(FRAME))
        p.drawRect(box.adjusted(0, 0, -1, -1))
        p.end()
