"""The table of recorded sales in the sales history: number, local time, cashier, total, print."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from pos_app.domain.calendar import local_time
from pos_app.domain.money import format_rupiah
from pos_app.i18n import _
from pos_app.services.sale.history import SaleSummary
from pos_app.ui.common.style import DANGER, MUTED, SUCCESS

Index = QModelIndex | QPersistentModelIndex
NUMBER, TIME, CASHIER, TOTAL, PRINTED = range(5)


def print_status_text(status: str | None) -> str:
    """How the last print attempt of a receipt reads in the table."""
    if status == "printed":
        return _("Printed")
    if status == "failed":
        return _("Failed")
    return _("Not printed")


def kind_label(kind: str) -> str:
    """What a take-back document is, for its row's tooltip."""
    return {"void": _("Void of a sale"), "refund": _("Refund of part of a sale")}.get(kind, kind)


class SalesModel(QAbstractTableModel):
    def __init__(self, timezone: str, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[SaleSummary] = []
        self._tz = timezone

    def set_rows(self, rows: list[SaleSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[SaleSummary]:
        return list(self._rows)

    def sale(self, row: int) -> SaleSummary:
        return self._rows[row]

    def row_of(self, sale_id) -> int | None:
        for i, summary in enumerate(self._rows):
            if summary.id == sale_id:
                return i
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (_("No."), _("Time"), _("Cashier"), _("Total"), _("Receipt"))[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(section)
        return None

    @staticmethod
    def _alignment(col: int) -> Qt.AlignmentFlag:
        side = Qt.AlignmentFlag.AlignRight if col == TOTAL else Qt.AlignmentFlag.AlignLeft
        return side | Qt.AlignmentFlag.AlignVCenter

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == NUMBER:
                return row.number
            if col == TIME:
                return local_time(row.created_at, self._tz).strftime("%d/%m/%Y %H:%M")
            if col == CASHIER:
                return row.cashier
            if col == TOTAL:  # a void or refund is money going back
                return format_rupiah(row.total) if row.kind == "sale" else f"−{format_rupiah(row.total)}"
            return print_status_text(row.print_status)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(col)
        if role == Qt.ItemDataRole.ToolTipRole and row.kind != "sale":
            return kind_label(row.kind)
        if role == Qt.ItemDataRole.ForegroundRole and col == TOTAL and row.kind != "sale":
            return QColor(DANGER)
        if role == Qt.ItemDataRole.ForegroundRole and col == PRINTED:
            return QColor({"printed": SUCCESS, "failed": DANGER}.get(row.print_status or "",
                                                                     MUTED))
        return None
