"""Tables of the stock screen: a small column-driven Qt model over plain rows, and the on-hand,
movement and stock-document tables built on it; the names of kinds, reasons and statuses as a
coordinator reads them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from pos_app.domain.calendar import local_time
from pos_app.domain.money import format_number, format_rupiah
from pos_app.domain.stock import MAX_STOCK_QTY
from pos_app.i18n import _
from pos_app.services.stock.stock import MovementRow, OnHandRow
from pos_app.services.stock.stock_docs import DocSummary
from pos_app.ui.common.style import DANGER, DANGER_SOFT, MUTED, SUCCESS, WARNING, WARNING_SOFT

Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def kind_label(kind: str) -> str:
    """A movement kind (``receive``…) or a stock document kind (``receipt``…)."""
    return {
        "receive": _("Received"), "sale": _("Sale"), "refund": _("Refund / void"),
        "return": _("Returned"), "adjust": _("Adjustment"), "count": _("Count"),
        "receipt": _("Tanda terima"), "import": _("Import"),
    }.get(kind, kind)


def document_label(kind: str) -> str:
    return {"receipt": _("Tanda terima (receipt)"), "count": _("Stock opname (count)"),
            "return": _("Surat retur (return)"), "adjust": _("Adjustment")}.get(kind, kind)


def reason_label(reason: str | None) -> str:
    if not reason:
        return ""
    return {"damaged": _("Damaged"), "sample": _("Sample"), "lost": _("Lost"),
            "found": _("Found"), "miscounted": _("Miscounted")}.get(reason, reason)


def status_label(status: str) -> str:
    return {"done": _("Done"), "open": _("Open"), "approved": _("Approved"),
            "cancelled": _("Cancelled")}.get(status, status)


def signed(qty: int) -> str:
    """``+5`` / ``−3`` / ``0``: a change of stock, grouped like every figure."""
    text = format_number(abs(qty))
    return f"+{text}" if qty > 0 else f"−{text}" if qty < 0 else "0"


def signed_rupiah(amount: int) -> str:
    return f"−{format_rupiah(-amount)}" if amount < 0 else format_rupiah(amount)


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    numeric: bool = False
    tip: Callable[[Any], str] | None = None
    editable: bool = False


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
            return RIGHT if column.numeric else LEFT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.columns[index.column()].editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.EditRole:
            return self.edit_value(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.numeric else LEFT
        if role == Qt.ItemDataRole.ToolTipRole and column.tip is not None:
            return column.tip(row)
        if role == Qt.ItemDataRole.BackgroundRole:
            color = self.background(row)
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.ForegroundRole:
            color = self.foreground(row, index.column())
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.FontRole and self.bold(row, index.column()):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def edit_value(self, row: Any, col: int) -> Any:
        return None

    def background(self, row: Any) -> str | None:
        return None

    def foreground(self, row: Any, col: int) -> str | None:
        return None

    def bold(self, row: Any, col: int) -> bool:
        return False


class TintDelegate(QStyledItemDelegate):
    """Paints a row's BackgroundRole colour under the cell (the stylesheet's item rule
    would otherwise hide it); a selected row keeps the selection colour."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        color = index.data(Qt.ItemDataRole.BackgroundRole)
        if color is not None and not option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, color)
        super().paint(painter, option, index)


class QtyDelegate(TintDelegate):
    """Edits a quantity cell with a spin box of ``low``..MAX_STOCK_QTY units."""

    def __init__(self, low: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.low = low

    def createEditor(self, parent: QWidget, option, index: Index) -> QWidget:  # noqa: N802
        editor = QSpinBox(parent)
        editor.setRange(self.low, MAX_STOCK_QTY)
        editor.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        editor.setAlignment(RIGHT)
        editor.setFrame(False)
        return editor


# -- on hand ------------------------------------------------------------------------------------
PRODUCT, SKU, CATEGORY, FACILITY, PRICE, ON_HAND, VALUE = range(7)


class OnHandModel(RowsModel):
    """Products with their on-hand; low rows amber, negative rows red."""

    def __init__(self, parent=None) -> None:
        super().__init__([
            Column(_("Product"), lambda r: r.name, tip=lambda r: r.barcode or ""),
            Column(_("SKU"), lambda r: r.sku),
            Column(_("Category"), lambda r: r.category),
            Column(_("Facility"), lambda r: r.facility_code, tip=lambda r: r.facility_name),
            Column(_("Price"), lambda r: format_rupiah(r.price), numeric=True),
            Column(_("On hand"), lambda r: signed(r.on_hand) if r.on_hand < 0
                   else format_number(r.on_hand), numeric=True, tip=self._stock_tip),
            Column(_("Value"), lambda r: signed_rupiah(r.value), numeric=True),
        ], parent)

    @staticmethod
    def _stock_tip(row: OnHandRow) -> str:
        if row.on_hand < 0:
            return _("Below zero: sold more than was received. Count it.")
        return _("Low stock") if row.low else ""

    def row_of(self, product_id) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.product_id == product_id), None)

    @property
    def units(self) -> int:
        return sum(r.on_hand for r in self._rows)

    @property
    def value(self) -> int:
        return sum(r.value for r in self._rows)

    def background(self, row: OnHandRow) -> str | None:
        if row.on_hand < 0:
            return DANGER_SOFT
        return WARNING_SOFT if row.low else None

    def foreground(self, row: OnHandRow, col: int) -> str | None:
        if row.on_hand < 0:
            return DANGER
        if row.low and col == ON_HAND:
            return WARNING
        return MUTED if col in (SKU, FACILITY) else None

    def bold(self, row: OnHandRow, col: int) -> bool:
        return col == ON_HAND


# -- movements ----------------------------------------------------------------------------------
M_TIME, M_KIND, M_QTY, M_BALANCE, M_DOCUMENT, M_REASON = range(6)


class MovementModel(RowsModel):
    def __init__(self, timezone: str, parent=None) -> None:
        self.tz = timezone
        super().__init__([
            Column(_("Time"), lambda r: local_time(r.created_at, self.tz)
                   .strftime("%d/%m/%Y %H:%M")),
            Column(_("Kind"), lambda r: kind_label(r.kind)),
            Column(_("Qty"), lambda r: signed(r.qty), numeric=True),
            Column(_("Balance after"), lambda r: signed(r.balance) if r.balance < 0
                   else format_number(r.balance), numeric=True),
            Column(_("Document"), lambda r: r.document_number,
                   tip=lambda r: document_label(r.document_kind)),
            Column(_("Reason"), lambda r: reason_label(r.reason), tip=lambda r: r.note),
        ], parent)

    def foreground(self, row: MovementRow, col: int) -> str | None:
        if col == M_QTY:
            return SUCCESS if row.qty > 0 else None
        if col == M_BALANCE and row.balance < 0:
            return DANGER
        return None

    def bold(self, row: MovementRow, col: int) -> bool:
        return col == M_BALANCE


# -- documents ----------------------------------------------------------------------------------
D_NUMBER, D_KIND, D_FACILITY, D_REFERENCE, D_DATE, D_BY, D_STATUS = range(7)


class DocumentModel(RowsModel):
    def __init__(self, parent=None) -> None:
        super().__init__([
            Column(_("No."), lambda r: r.number),
            Column(_("Document"), lambda r: document_label(r.kind)),
            Column(_("Facility"), lambda r: r.facility_code, tip=lambda r: r.facility_name),
            Column(_("Delivery note / ref."), lambda r: r.reference),
            Column(_("Date"), lambda r: r.doc_date.strftime("%d/%m/%Y")),
            Column(_("By"), lambda r: r.actor),
            Column(_("Status"), lambda r: status_label(r.status)),
        ], parent)

    def foreground(self, row: DocSummary, col: int) -> str | None:
        if col == D_STATUS:
            return {"open": WARNING, "cancelled": MUTED}.get(row.status)
        return MUTED if col == D_FACILITY else None


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
