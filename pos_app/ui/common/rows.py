"""One Qt table model over plain rows: each :class:`Column` says how a row reads in it; a
subclass only colours rows and cells. Every table of the app is built on it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column:
    """A column's title and how a row reads in it; figures (``numeric``) sit on the right,
    unless ``align`` says otherwise."""

    title: str
    text: Callable[[Any], str]
    numeric: bool = False
    tip: Callable[[Any], str | None] | None = None
    editable: bool = False
    align: Qt.AlignmentFlag | None = None

    @property
    def alignment(self) -> Qt.AlignmentFlag:
        if self.align is not None:
            return self.align
        return RIGHT if self.numeric else LEFT


class RowsModel(QAbstractTableModel):
    """Plain rows shown through :class:`Column`\\ s; subclasses colour rows and cells."""

    def __init__(self, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row(self, index: int) -> Any:
        return self._rows[index]

    def find(self, match: Callable[[Any], bool]) -> int | None:
        """The number of the first row ``match`` accepts, None when there is none."""
        return next((i for i, r in enumerate(self._rows) if match(r)), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.alignment
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.columns[index.column()].editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.EditRole:
            return self.edit_value(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.alignment
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip(row) if column.tip is not None else self.tip(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            color = self.background(row)
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.ForegroundRole:
            color = self.foreground(row, index.column())
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.FontRole:
            return self.font(row, index.column())
        return self.extra(row, index.column(), role)

    def edit_value(self, row: Any, col: int) -> Any:
        return None

    def tip(self, row: Any, col: int) -> str | None:
        """A tooltip for a column without its own ``tip``."""
        return None

    def background(self, row: Any) -> str | None:
        return None

    def foreground(self, row: Any, col: int) -> str | None:
        return None

    def bold(self, row: Any, col: int) -> bool:
        return False

    def font(self, row: Any, col: int) -> QFont | None:
        """Bold where :meth:`bold` says so; a subclass may size figures differently."""
        if not self.bold(row, col):
            return None
        font = QFont()
        font.setBold(True)
        return font

    def extra(self, row: Any, col: int, role: int) -> Any:
        """A role of the subclass's own (e.g. a row's facility for the cart's delegate)."""
        return None


class EditSignals(RowsModel):
    """A rows model whose editable cells report edits instead of storing them: the dialog
    writes through an op and reloads, so what is shown is always what was recorded."""

    edited = Signal(object, int)  # the row, the new value

    def setData(self, index: Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not self.columns[index.column()].editable:
            return False
        try:
            number = int(value)
        except (TypeError, ValueError):
            return False
        self.edited.emit(self._rows[index.row()], number)
        return True
