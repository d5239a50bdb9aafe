"""The cart table's Qt model: plain rows built from the domain ``Cart`` and its ``PricedCart``."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from pos_app.domain.cart import Cart, PricedCart
from pos_app.domain.money import format_rupiah
from pos_app.i18n import _
from pos_app.ui.common.labels import discount_text

PRODUCT, QTY, PRICE, DISCOUNT, TOTAL = range(5)
FACILITY_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex
FIGURE_PX = 14  # amounts a little smaller than names, so the product name gets the width


@dataclass(frozen=True)
class CartRow:
    name: str
    facility: str
    qty: int
    unit_price: int
    discount: int  # the line's own discount plus its share of a whole-sale discount
    discount_rule: str  # "10%" or "Rp5.000" when the line has its own discount, else ""
    total: int


def cart_rows(cart: Cart, priced: PricedCart) -> list[CartRow]:
    return [
        CartRow(p.product.name, p.product.facility_name, p.qty, p.unit_price, p.discount,
                discount_text(line.discount), p.total)
        for line, p in zip(cart.lines, priced.lines, strict=True)
    ]


def minus(amount: int) -> str:
    """A discount as the buyer sees it: ``−Rp10.000`` (nothing when zero)."""
    return f"−{format_rupiah(amount)}" if amount else ""


class CartTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[CartRow] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (_("Product"), _("Qty"), _("Price"), _("Discount"), _("Total"))[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(section)
        return None

    @staticmethod
    def _alignment(column: int) -> Qt.AlignmentFlag:
        v = Qt.AlignmentFlag.AlignVCenter
        if column == PRODUCT:
            return Qt.AlignmentFlag.AlignLeft | v
        if column == QTY:
            return Qt.AlignmentFlag.AlignHCenter | v
        return Qt.AlignmentFlag.AlignRight | v

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                PRODUCT: row.name,
                QTY: str(row.qty),
                PRICE: format_rupiah(row.unit_price),
                DISCOUNT: minus(row.discount),
                TOTAL: format_rupiah(row.total),
            }[col]
        if role == FACILITY_ROLE:
            return row.facility
        if role == Qt.ItemDataRole.FontRole and col != PRODUCT:
            font = QFont()
            font.setPixelSize(FIGURE_PX)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == DISCOUNT and row.discount_rule:
                return _("Line discount: {rule}").format(rule=row.discount_rule)
            if col == PRODUCT:
                return f"{row.name}\n{row.facility}"
        return None

    def rows(self) -> list[CartRow]:
        return list(self._rows)

    def set_rows(self, rows: list[CartRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()
