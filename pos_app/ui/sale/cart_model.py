"""The cart table's Qt model: plain rows built from the domain ``Cart`` and its ``PricedCart``."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from pos_app.domain.cart import Cart, PricedCart
from pos_app.domain.money import format_rupiah
from pos_app.i18n import _
from pos_app.ui.common.labels import discount_text
from pos_app.ui.common.rows import CENTER, Column, RowsModel

PRODUCT, QTY, PRICE, DISCOUNT, TOTAL = range(5)
FACILITY_ROLE = Qt.ItemDataRole.UserRole + 1

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


class CartTableModel(RowsModel):
    def __init__(self, parent=None) -> None:
        super().__init__([
            Column(_("Product"), lambda r: r.name, tip=lambda r: f"{r.name}\n{r.facility}"),
            Column(_("Qty"), lambda r: str(r.qty), align=CENTER),
            Column(_("Price"), lambda r: format_rupiah(r.unit_price), numeric=True),
            Column(_("Discount"), lambda r: minus(r.discount), numeric=True,
                   tip=lambda r: _("Line discount: {rule}").format(rule=r.discount_rule)
                   if r.discount_rule else None),
            Column(_("Total"), lambda r: format_rupiah(r.total), numeric=True),
        ], parent)

    def font(self, row: CartRow, col: int) -> QFont | None:
        if col == PRODUCT:
            return None
        font = QFont()
        font.setPixelSize(FIGURE_PX)
        return font

    def extra(self, row: CartRow, col: int, role: int):
        return row.facility if role == FACILITY_ROLE else None
