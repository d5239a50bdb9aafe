"""How one product looks in the grid: a card with its name, price and facility code, and its
photo across the top when the grid shows photos (``PHOTO_TILE``, taller)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from pos_app.ui.common import style
from pos_app.ui.sale.product_model import FACILITY_ROLE, PHOTO_ROLE, PRICE_ROLE

TILE = QSize(180, 128)
PHOTO_TILE = QSize(180, 184)  # a grid showing photos: the photo, then two lines of name
PHOTO_HEIGHT = 92
PHOTO_NAME_LINES = 2
MIN_TILE_WIDTH = 142
GAP = 10
PAD = 12
NAME_LINES = 3


def fitted_font(font: QFont, text: str, width: float, smallest: int = 11) -> QFont:
    """``font``, made smaller (down to ``smallest`` px) when ``text`` is wider than
    ``width``: a long price on a narrow tile is drawn whole, not cut."""
    advance = QFontMetrics(font).horizontalAdvance(text)
    size = font.pixelSize()
    if advance <= width or size <= smallest:
        return font
    fitted = QFont(font)
    size = max(smallest, int(size * width / advance))
    fitted.setPixelSize(size)
    while size > smallest and QFontMetrics(fitted).horizontalAdvance(text) > width:
        size -= 1
        fitted.setPixelSize(size)
    return fitted


def elided_lines(text: str, font: QFont, width: int, max_lines: int) -> list[str]:
    """Word-wrap ``text`` into at most ``max_lines`` lines; the last one ends in … if cut."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines: list[str] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        if len(lines) == max_lines - 1:
            rest = text[line.textStart():]
            lines.append(QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width))
            break
        lines.append(text[line.textStart(): line.textStart() + line.textLength()].rstrip())
    layout.endLayout()
    return lines


def cover(image: QImage, target: QRectF) -> QRectF:
    """The part of ``image`` that fills ``target`` at ``target``'s proportions, centred."""
    scale = max(target.width() / image.width(), target.height() / image.height())
    w, h = target.width() / scale, target.height() / scale
    return QRectF((image.width() - w) / 2, (image.height() - h) / 2, w, h)


class ProductTileDelegate(QStyledItemDelegate):
    """A text tile (name, facility, price); with a photo (the ``grid_photos`` setting, and
    the product has one) the photo across the top, the facility on it, the name below it.
    A photo still being decoded is a quiet grey box of its size, so nothing jumps."""

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt override
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        grid = option.widget.gridSize() if option.widget is not None else QSize()
        return grid if grid.isValid() else TILE

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(option.rect).adjusted(GAP / 2, GAP / 2, -GAP / 2, -GAP / 2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hover = bool(option.state & QStyle.StateFlag.State_MouseOver)
        border = QColor(style.PRIMARY if (selected or hover) else style.BORDER)
        frame = rect.adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(border, 2 if selected else 1))
        painter.setBrush(QColor(style.PRIMARY_SOFT if selected else style.SURFACE))
        painter.drawRoundedRect(frame, 10, 10)

        photo = index.data(PHOTO_ROLE)
        inner = rect.adjusted(PAD, PAD - 2, -PAD, -PAD + 2)
        lines, chip_at = NAME_LINES, None
        if photo is not None:
            box = QRectF(rect.left() + 1, rect.top() + 1, rect.width() - 2, PHOTO_HEIGHT)
            clip = QPainterPath()
            clip.addRoundedRect(frame, 10, 10)
            painter.save()
            painter.setClipPath(clip)
            if isinstance(photo, QImage):
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                painter.drawImage(box, photo, cover(photo, box))
            else:
                painter.fillRect(box, QColor("#E4E8EC"))
            painter.restore()
            inner.setTop(box.bottom() + 6)
            lines, chip_at = PHOTO_NAME_LINES, box.bottom() - 26
        self._texts(painter, option, index, inner, lines, chip_at)
        painter.restore()

    def _texts(self, painter: QPainter, option: QStyleOptionViewItem,
               index: QModelIndex | QPersistentModelIndex, inner: QRectF, lines: int,
               chip_at: float | None) -> None:
        """The name (``lines`` at most), the price at the bottom and the facility's chip
        (above the price, or at ``chip_at`` on the photo)."""
        name_font = QFont(option.font)
        name_font.setPixelSize(14)
        name_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(name_font)
        painter.setPen(QColor(style.TEXT))
        fm = QFontMetrics(name_font)
        y = inner.top()
        for line in elided_lines(str(index.data()), name_font, int(inner.width()), lines):
            painter.drawText(QRectF(inner.left(), y, inner.width(), fm.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
            y += fm.height()

        price_font = QFont(option.font)
        price_font.setPixelSize(17)
        price_font.setWeight(QFont.Weight.Bold)
        pfm = QFontMetrics(price_font)
        bottom = QRectF(inner.left(), inner.bottom() - pfm.height(), inner.width(), pfm.height())
        price = str(index.data(PRICE_ROLE))
        painter.setFont(fitted_font(price_font, price, inner.width()))
        painter.setPen(QColor(style.PRIMARY_DARK))
        painter.drawText(bottom, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         price)

        chip_font = QFont(option.font)
        chip_font.setPixelSize(11)
        chip_font.setWeight(QFont.Weight.DemiBold)
        cfm = QFontMetrics(chip_font)
        code = str(index.data(FACILITY_ROLE))
        chip_w = min(cfm.horizontalAdvance(code) + 12, inner.width())
        top = bottom.top() - 24 if chip_at is None else chip_at
        chip = QRectF(inner.left(), top, chip_w, 20)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#EDF1F4"))
        painter.drawRoundedRect(chip, 6, 6)
        painter.setFont(chip_font)
        painter.setPen(QColor(style.MUTED))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, code)
