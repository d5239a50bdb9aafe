"""The variance table of a stock count, and the count's steps as they run in an op (each
returns the count's new variance, so the dialog shows what was recorded)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_number
from pos_app.domain.stock import VarianceLine, VarianceReport
from pos_app.i18n import _
from pos_app.services.catalog import catalog
from pos_app.services.stock import stock_counts
from pos_app.services.stock.stock_docs import DocResult
from pos_app.ui.common.figures import signed, signed_rupiah
from pos_app.ui.common.rows import Column, EditSignals
from pos_app.ui.common.style import DANGER, MUTED, WARNING
from pos_app.ui.stock.stock_models import reason_label

V_PRODUCT, V_SKU, V_EXPECTED, V_COUNTED, V_DIFFERENCE, V_VALUE, V_REASON = range(7)


class VarianceModel(EditSignals):
    def __init__(self, parent=None) -> None:
        super().__init__([
            Column(_("Product"), lambda r: r.name),
            Column(_("SKU"), lambda r: r.sku),
            Column(_("Expected"), lambda r: format_number(r.expected) if r.expected >= 0
                   else signed(r.expected), numeric=True,
                   tip=lambda _r: _("On hand by the ledger when the product was counted")),
            Column(_("Counted"), lambda r: "—" if r.counted is None else format_number(r.counted),
                   numeric=True, editable=True, tip=lambda _r: _("Type a number to change it")),
            Column(_("Difference"), lambda r: "" if r.counted is None else signed(r.difference),
                   numeric=True),
            Column(_("Value"), lambda r: "" if r.counted is None else signed_rupiah(r.value),
                   numeric=True),
            Column(_("Reason"), lambda r: reason_label(r.reason)),
        ], parent)
        self.open = True

    def flags(self, index):
        flags = super().flags(index)
        if not self.open:
            flags &= ~Qt.ItemFlag.ItemIsEditable
        return flags

    def edit_value(self, row: VarianceLine, col: int):
        return (row.counted or 0) if col == V_COUNTED else None

    def foreground(self, row: VarianceLine, col: int) -> str | None:
        if row.counted is None:
            return MUTED
        if col in (V_DIFFERENCE, V_VALUE) and row.difference:
            return DANGER if row.difference < 0 else WARNING
        return None

    def bold(self, row: VarianceLine, col: int) -> bool:
        return col in (V_COUNTED, V_DIFFERENCE) and row.counted is not None


def _report(booth, number: str) -> VarianceReport:
    return stock_counts.variance(booth, number)


def begin_count(booth, facility_code: str, actor: str, role: str) -> VarianceReport:
    """Runs in an op: the facility's open count, or a new one."""
    number = stock_counts.open_count_of(booth, facility_code)
    if number is None:
        number = stock_counts.start_count(booth, facility_code, actor=actor,
                                          actor_role=role).number
    return _report(booth, number)


def count_scanned(booth, number: str, code: str, actor: str, role: str
                  ) -> tuple[str, VarianceReport]:
    """Runs in an op: one more piece of the scanned product; its SKU and the new variance."""
    row = catalog.find_by_code(booth, code)
    if row is None:
        raise DomainError("unknown_product", ref=code)
    current = next((line.counted for line in _report(booth, number).lines
                    if line.sku == row.sku), None)
    stock_counts.enter_counts(booth, number, [(row.sku, (current or 0) + 1)], actor=actor,
                              actor_role=role)
    return row.sku, _report(booth, number)


def count_typed(booth, number: str, sku: str, qty: int, actor: str, role: str
                ) -> tuple[str, VarianceReport]:
    """Runs in an op: the counted quantity of one product, typed."""
    stock_counts.enter_counts(booth, number, [(sku, qty)], actor=actor, actor_role=role)
    return sku, _report(booth, number)


def approve(booth, number: str, actor: str, role: str, reasons: dict[str, str]
            ) -> tuple[DocResult, VarianceReport]:
    result = stock_counts.approve_count(booth, number, actor=actor, actor_role=role,
                                        reasons=reasons)
    return result, _report(booth, number)


def cancel(booth, number: str, actor: str, role: str) -> VarianceReport:
    stock_counts.cancel_count(booth, number, actor=actor, actor_role=role)
    return _report(booth, number)
