"""How one product looks in the grid: a card with its name, price and facility code."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QTextLayout, QTextOption
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from pos_app.ui.common import style
from pos_app.ui.sale.product_model import FACILITY_ROLE, PRICE_ROLE

TILE = QSize(180, 128)
MIN_TILE_WIDTH = 142
GAP = 10
PAD = 12
NAME_LINES = 3


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


class ProductTileDelegate(QStyledItemDelegate):
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
        painter.setPen(QPen(border, 2 if selected else 1))
        painter.setBrush(QColor(style.PRIMARY_SOFT if selected else style.SURFACE))
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 10, 10)

        inner = rect.adjusted(PAD, PAD - 2, -PAD, -PAD + 2)
        name_font = QFont(option.font)
        name_font.setPixelSize(14)
        name_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(name_font)
        painter.setPen(QColor(style.TEXT))
        fm = QFontMetrics(name_font)
        y = inner.top()
        for line in elided_lines(str(index.data()), name_font, int(inner.width()), NAME_LINES):
            painter.drawText(QRectF(inner.left(), y, inner.width(), fm.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
            y += fm.height()

        price_font = QFont(option.font)
        price_font.setPixelSize(17)
        price_font.setWeight(QFont.Weight.Bold)
        pfm = QFontMetrics(price_font)
        bottom = QRectF(inner.left(), inner.bottom() - pfm.height(), inner.width(), pfm.height())
        painter.setFont(price_font)
        painter.setPen(QColor(style.PRIMARY_DARK))
        painter.drawText(bottom, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         str(index.data(PRICE_ROLE)))

        chip_font = QFont(option.font)
        chip_font.setPixelSize(11)
        chip_font.setWeight(QFont.Weight.DemiBold)
        cfm = QFontMetrics(chip_font)
        code = str(index.data(FACILITY_ROLE))
        chip_w = min(cfm.horizontalAdvance(code) + 12, inner.width())
        chip = QRectF(inner.left(), bottom.top() - 24, chip_w, 20)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#EDF1F4"))
        painter.drawRoundedRect(chip, 6, 6)
        painter.setFont(chip_font)
        painter.setPen(QColor(style.MUTED))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, code)
        painter.restore()
