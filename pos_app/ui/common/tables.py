"""Tables set up the same way everywhere: whole rows selected, no grid, touch-height rows,
a row's tint painted under the stylesheet, and helpers to size columns and read the selection."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from pos_app.ui.common.rows import Index
from pos_app.ui.common.style import HEADER_PX

ROW_HEIGHT = 42
EDIT_TRIGGERS = (QAbstractItemView.EditTrigger.DoubleClicked
                 | QAbstractItemView.EditTrigger.EditKeyPressed
                 | QAbstractItemView.EditTrigger.AnyKeyPressed)


class TintDelegate(QStyledItemDelegate):
    """Paints a row's BackgroundRole colour under the cell (the stylesheet's item rule
    would otherwise hide it); a selected row keeps the selection colour."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        color = index.data(Qt.ItemDataRole.BackgroundRole)
        if color is not None and not option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, color)
        super().paint(painter, option, index)


def make_table(model: QAbstractItemModel, parent: QWidget, stretch: int = 0, *,
               multi: bool = False, row_height: int = ROW_HEIGHT,
               editable: bool = True) -> QTableView:
    """A read-mostly table: whole rows selected, no grid, touch-height rows, column
    ``stretch`` taking the spare width and the others sized to their contents."""
    table = QTableView(parent)
    table.setModel(model)
    table.setItemDelegate(TintDelegate(table))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(EDIT_TRIGGERS if editable
                          else QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(row_height)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setMinimumSectionSize(70)
    for col in range(model.columnCount()):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    if 0 <= stretch < model.columnCount():  # the others are sized to their heading already
        title = model.headerData(stretch, Qt.Orientation.Horizontal)
        header.setMinimumSectionSize(max(70, heading_width(header, str(title or ""))))
    return table


def heading_width(header: QHeaderView, title: str) -> int:
    """The width a column needs for its heading as the stylesheet draws it (its padding and
    a sort arrow's room included); a narrower column would cut it."""
    font = QFont(header.font())
    font.setPixelSize(HEADER_PX)
    font.setWeight(QFont.Weight.DemiBold)
    return QFontMetrics(font).horizontalAdvance(title) + 2 * 8 + 12


def fix_widths(table: QTableView, widths: Iterable[tuple[int, int]]) -> None:
    """Columns of a set width, in pixels: ``(column, width)`` pairs."""
    header = table.horizontalHeader()
    for col, width in widths:
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(col, width)


def selected_rows(table: QTableView) -> list[int]:
    return sorted(index.row() for index in table.selectionModel().selectedRows())
