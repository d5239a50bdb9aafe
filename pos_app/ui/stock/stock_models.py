"""Tables of the stock screen: the on-hand, movement and stock-document tables, and the names
of kinds, reasons and statuses as a coordinator reads them."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox, QWidget

from pos_app.domain.calendar import local_time
from pos_app.domain.money import format_number, format_rupiah
from pos_app.domain.stock import MAX_STOCK_QTY, REASON_LABELS
from pos_app.i18n import _
from pos_app.services.stock.stock import MovementRow, OnHandRow
from pos_app.services.stock.stock_docs import DocSummary
from pos_app.ui.common.figures import signed, signed_rupiah
from pos_app.ui.common.rows import RIGHT, Column, Index, RowsModel
from pos_app.ui.common.style import DANGER, DANGER_SOFT, MUTED, SUCCESS, WARNING, WARNING_SOFT
from pos_app.ui.common.tables import TintDelegate


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
    return _(REASON_LABELS[reason]) if reason in REASON_LABELS else reason


def status_label(status: str) -> str:
    return {"done": _("Done"), "open": _("Open"), "approved": _("Approved"),
            "cancelled": _("Cancelled")}.get(status, status)


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
        return self.find(lambda r: r.product_id == product_id)

    @property
    def units(self) -> int:
        return sum(r.on_hand for r in self.rows())

    @property
    def value(self) -> int:
        return sum(r.value for r in self.rows())

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
