"""The cart table: big rows with the facility under each product, and keys for quantities."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from pos_app.ui.common import style
from pos_app.ui.sale.cart_model import DISCOUNT, FACILITY_ROLE, PRICE, PRODUCT, QTY, TOTAL
from pos_app.ui.sale.product_tile import elided_lines

ROW_HEIGHT = 58


class ProductCellDelegate(QStyledItemDelegate):
    """Product name in bold (two lines if it needs them) over its facility in small grey type."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = option.widget
        (widget.style() if widget else QStyle()).drawControl(
            QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        painter.save()
        rect = option.rect.adjusted(10, 4, -6, -4)
        name_font = QFont(option.font)
        name_font.setWeight(QFont.Weight.DemiBold)
        small = QFont(option.font)
        small.setPixelSize(12)
        name_fm, small_fm = QFontMetrics(name_font), QFontMetrics(small)
        lines = elided_lines(str(index.data()), name_font, rect.width(), 2)
        height = len(lines) * name_fm.height() + small_fm.height()
        y = rect.top() + (rect.height() - height) // 2
        painter.setFont(name_font)
        painter.setPen(QColor(style.TEXT))
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        for line in lines:
            painter.drawText(QRect(rect.left(), y, rect.width(), name_fm.height()), left, line)
            y += name_fm.height()
        painter.setFont(small)
        painter.setPen(QColor(style.MUTED))
        facility = small_fm.elidedText(str(index.data(FACILITY_ROLE) or ""),
                                       Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.left(), y, rect.width(), small_fm.height()), left, facility)
        painter.restore()


class CartView(QTableView):
    """``+``/``-`` change the selected line's quantity; Delete removes it. ``key_hook`` sees
    every key first (typed quantities); when it returns True the key was its."""

    qty_step = Signal(int)
    remove_line = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.setItemDelegateForColumn(PRODUCT, ProductCellDelegate(self))
        self.key_hook: Callable[[QKeyEvent], bool] | None = None

    def setModel(self, model) -> None:  # noqa: N802 - Qt override
        super().setModel(model)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(PRODUCT, QHeaderView.ResizeMode.Stretch)
        for col, width in ((QTY, 56), (PRICE, 100), (DISCOUNT, 100), (TOTAL, 112)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, width)

    def selected_row(self) -> int | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return rows[0].row() if rows else None

    def select_row(self, row: int | None) -> None:
        if row is None or not 0 <= row < self.model().rowCount():
            self.clearSelection()
            return
        self.selectRow(row)
        self.scrollTo(self.model().index(row, 0))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key, text = event.key(), event.text()
        if self.key_hook is not None and self.key_hook(event):
            pass
        elif key == Qt.Key.Key_Plus or text == "+":
            self.qty_step.emit(1)
        elif key == Qt.Key.Key_Minus or text == "-":
            self.qty_step.emit(-1)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_line.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()
