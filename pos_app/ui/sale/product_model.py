"""The product grid's Qt model: a list of plain ``ProductRow``s, fetched a page at a time."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from pos_app.domain.money import format_rupiah
from pos_app.services.catalog.catalog import ProductRow

PRICE_ROLE = Qt.ItemDataRole.UserRole + 1
FACILITY_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


class ProductListModel(QAbstractListModel):
    """Rows come from ``services.catalog``; asking for more (scrolling down) emits
    :attr:`more_wanted` and the grid loads the next page in an op."""

    more_wanted = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[ProductRow] = []
        self._prices: list[str] = []  # formatted once per row, not once per paint
        self.has_more = False
        self._fetching = False

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == PRICE_ROLE:
            return self._prices[index.row()]
        if role == FACILITY_ROLE:
            return row.facility_code
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{row.name}\n{self._prices[index.row()]} · {row.facility_name}"
        return None

    def row(self, i: int) -> ProductRow:
        return self._rows[i]

    def rows(self) -> list[ProductRow]:
        return list(self._rows)

    def set_rows(self, rows: list[ProductRow], has_more: bool) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._prices = [format_rupiah(r.price) for r in rows]
        self.has_more, self._fetching = has_more, False
        self.endResetModel()

    def append_rows(self, rows: list[ProductRow], has_more: bool) -> None:
        self._fetching = False
        self.has_more = has_more
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._prices.extend(format_rupiah(r.price) for r in rows)
        self.endInsertRows()

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802 - Qt override
        return not parent.isValid() and self.has_more and not self._fetching

    def fetchMore(self, parent: Index) -> None:  # noqa: N802 - Qt override
        if self.canFetchMore(parent):
            self._fetching = True
            self.more_wanted.emit()
