"""The table of recorded sales in the sales history: number, local time, cashier, total, and
its state (voided, refunded) or, for a sale nothing was taken back of, its print status."""

from __future__ import annotations

from pos_app.domain.calendar import local_time
from pos_app.domain.money import format_rupiah
from pos_app.i18n import _
from pos_app.services.sale.history import SaleSummary
from pos_app.ui.common.rows import Column, RowsModel
from pos_app.ui.common.style import DANGER, MUTED, SUCCESS

NUMBER, TIME, CASHIER, TOTAL, PRINTED = range(5)


def print_status_text(status: str | None) -> str:
    """How the last print attempt of a receipt reads in the table."""
    if status == "printed":
        return _("Printed")
    if status == "sent":  # the printer took it and does not report its status
        return _("Sent")
    if status == "failed":
        return _("Failed")
    return _("Not printed")


def state_text(row: SaleSummary) -> str:
    """A voided or refunded sale says so (not "Printed"); any other its print status."""
    state = {"voided": _("Voided"), "partly_refunded": _("Partly refunded"),
             "refunded": _("Fully refunded")}.get(row.state)
    return state or print_status_text(row.print_status)


def kind_label(kind: str) -> str:
    """What a take-back document is, for its row's tooltip."""
    return {"void": _("Void of a sale"), "refund": _("Refund of part of a sale")}.get(kind, kind)


def total_text(row: SaleSummary) -> str:
    """A void or refund is money going back."""
    return format_rupiah(row.total) if row.kind == "sale" else f"−{format_rupiah(row.total)}"


class SalesModel(RowsModel):
    def __init__(self, timezone: str, parent=None) -> None:
        self.tz = timezone
        super().__init__([
            Column(_("No."), lambda r: r.number),
            Column(_("Time"), lambda r: local_time(r.created_at, self.tz)
                   .strftime("%d/%m/%Y %H:%M")),
            Column(_("Cashier"), lambda r: r.cashier),
            Column(_("Total"), total_text, numeric=True),
            Column(_("Receipt"), state_text),
        ], parent)

    def sale(self, row: int) -> SaleSummary:
        return self.row(row)

    def row_of(self, sale_id) -> int | None:
        return self.find(lambda summary: summary.id == sale_id)

    def tip(self, row: SaleSummary, col: int) -> str | None:
        if row.kind != "sale":
            return kind_label(row.kind)
        if col == PRINTED and row.state != "open":
            return print_status_text(row.print_status)
        return None

    def foreground(self, row: SaleSummary, col: int) -> str | None:
        if col == TOTAL and row.kind != "sale":
            return DANGER
        if col == PRINTED and row.state != "open":
            return DANGER if row.state == "voided" else MUTED
        if col == PRINTED:
            return {"printed": SUCCESS, "sent": SUCCESS, "failed": DANGER}.get(
                row.print_status or "", MUTED)
        return None
