"""Close-out of a facility at the end of the event: what each of its products did here
(received, sold, refunded, adjusted, returned, remaining), and the return of every remaining
piece with a surat retur (asked twice, then offered as a PDF)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QWidget

from pos_app.domain.money import format_number, format_rupiah
from pos_app.domain.stock import CloseOut, CloseOutLine
from pos_app.i18n import _, ngettext
from pos_app.services.catalog.catalog import FacilityRow
from pos_app.services.stock import stock_docs
from pos_app.services.stock.stock_docs import DocResult
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.confirm_bar import ConfirmBar
from pos_app.ui.common.dialog_layout import fit_to_screen, titled
from pos_app.ui.common.facility_box import FacilityBox
from pos_app.ui.common.figures import figure_label, signed
from pos_app.ui.common.ops import OpFailure
from pos_app.ui.common.roles import actor_of
from pos_app.ui.common.rows import Column, RowsModel
from pos_app.ui.common.style import DANGER, DANGER_SOFT
from pos_app.ui.common.tables import make_table
from pos_app.ui.stock.stock_files import PdfSaver

C_REMAINING = 8


def _units(qty: int) -> str:
    return format_number(qty) if qty >= 0 else signed(qty)


class CloseOutModel(RowsModel):
    def __init__(self, parent=None) -> None:
        super().__init__([
            Column(_("Product"), lambda r: r.name),
            Column(_("SKU"), lambda r: r.sku),
            Column(_("Price"), lambda r: format_rupiah(r.unit_price), numeric=True),
            Column(_("Received"), lambda r: _units(r.totals.received), numeric=True),
            Column(_("Sold"), lambda r: _units(r.totals.sold), numeric=True),
            Column(_("Refunded"), lambda r: _units(r.totals.refunded), numeric=True),
            Column(_("Adjusted"), lambda r: signed(r.totals.adjusted), numeric=True),
            Column(_("Returned"), lambda r: _units(r.totals.returned), numeric=True),
            Column(_("Remaining"), lambda r: _units(r.remaining), numeric=True),
            Column(_("Value"), lambda r: format_rupiah(max(r.remaining, 0) * r.unit_price),
                   numeric=True),
        ], parent)

    def background(self, row: CloseOutLine) -> str | None:
        return DANGER_SOFT if row.remaining < 0 else None

    def foreground(self, row: CloseOutLine, col: int) -> str | None:
        return DANGER if row.remaining < 0 else None

    def bold(self, row: CloseOutLine, col: int) -> bool:
        return col == C_REMAINING


def return_remaining(booth, facility_code: str, actor: str, role: str, reference: str
                     ) -> tuple[DocResult, CloseOut]:
    """Runs in an op: the surat retur, then the close-out as it now stands."""
    result = stock_docs.return_goods(booth, facility_code, actor=actor, actor_role=role,
                                     reference=reference)
    return result, stock_docs.close_out(booth, facility_code)


class CloseOutDialog(QDialog):
    recorded = Signal(object)  # DocResult of the return

    def __init__(self, app_ctx: AppContext, facilities: Sequence[FacilityRow], facility_code: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.report: CloseOut | None = None
        self.result: DocResult | None = None
        self.busy = False
        self.setMinimumWidth(1000)
        fit_to_screen(self, 1160, 700)
        layout = titled(self, _("Close-out and return (surat retur)"), _(
            "What each product of the facility did at this event. At the end, send every "
            "remaining piece back with a surat retur: the booth then holds none of it."))
        self.facility_box = FacilityBox(_("Choose the facility…"), self)
        self.facility_box.set_facilities(facilities, facility_code)
        self.facility_box.picked.connect(lambda _c: self.load())
        self.pdf_button = TouchButton(_("Close-out PDF…"), self)
        self.pdf_button.clicked.connect(
            lambda: self.report and self.pdf.close_out(self.report.facility_code))
        top = QHBoxLayout()
        top.addWidget(self.facility_box, 1)
        top.addWidget(self.pdf_button)
        layout.addLayout(top)

        self.model = CloseOutModel(self)
        self.table = make_table(self.model, self, 0)
        layout.addWidget(self.table, 1)
        self.totals_label = figure_label(self, "field")
        self.totals_label.setWordWrap(True)
        layout.addWidget(self.totals_label)
        self.reference_edit = QLineEdit(self)
        self.reference_edit.setMaxLength(stock_docs.TEXT_MAX["reference"])
        self.reference_edit.setPlaceholderText(_("Reference for the surat retur (optional), "
                                                 "e.g. the facility's letter number"))
        layout.addWidget(self.reference_edit)
        self.confirm = ConfirmBar(self)
        layout.addWidget(self.confirm)
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        self.pdf = PdfSaver(app_ctx, self, self.banner)

        close = TouchButton(_("Close"), self, key="Esc")
        close.clicked.connect(self.reject)
        self.retur_button = TouchButton(_("Surat retur PDF…"), self)
        self.retur_button.clicked.connect(
            lambda: self.result and self.pdf.document(self.result.number))
        self.retur_button.hide()
        self.return_button = TouchButton(_("Return all remaining…"), self, role="primary")
        self.return_button.clicked.connect(self.ask_return)
        buttons = QHBoxLayout()
        buttons.addWidget(close)
        buttons.addStretch(1)
        buttons.addWidget(self.retur_button)
        buttons.addWidget(self.return_button)
        layout.addLayout(buttons)
        self._show(None)
        self.load()

    def load(self) -> None:
        code = self.facility_box.code()
        self.confirm.dismiss()
        self.banner.clear()
        if not code:
            self._show(None)
            return
        self.app_ctx.ops.run(stock_docs.close_out, self.app_ctx.booth, code, on_success=self._show,
                          on_error=self._failed, owner=self, key="close-out")

    def _show(self, report: CloseOut | None) -> None:
        if report is not None and report.facility_code != self.facility_box.code():
            return  # the facility was changed meanwhile
        self.report = report
        self.model.set_rows(report.lines if report is not None else [])
        self.pdf_button.setEnabled(report is not None)
        self.return_button.setEnabled(report is not None and report.total("remaining") > 0
                                      and not self.busy)
        if report is None:
            self.totals_label.setText(_("Choose the facility to see its close-out"))
            return
        self.totals_label.setText(_(
            "Received {received} · sold {sold} · refunded {refunded} · adjusted {adjusted} · "
            "returned {returned} · remaining {remaining} ({value})").format(
                received=format_number(report.total("received")),
                sold=format_number(report.total("sold")),
                refunded=format_number(report.total("refunded")),
                adjusted=signed(report.total("adjusted")),
                returned=format_number(report.total("returned")),
                remaining=_units(report.total("remaining")),
                value=format_rupiah(report.remaining_value)))
        if report.negatives:
            self.banner.show_error(_("Below zero: {skus}. Count them before returning the "
                                     "goods.").format(skus=", ".join(report.negatives)))

    def ask_return(self) -> None:
        report = self.report
        if report is None:
            return
        units = sum(max(line.remaining, 0) for line in report.lines)
        self.confirm.ask(ngettext(
            "Return {units} remaining unit ({value}) to {facility}? The booth then holds none "
            "of its goods.",
            "Return {units} remaining units ({value}) to {facility}? The booth then holds none "
            "of its goods.", units).format(units=format_number(units),
                                           value=format_rupiah(report.remaining_value),
                                           facility=report.facility_name),
            _("Return them"), self.return_all)

    def return_all(self) -> None:
        report = self.report
        if report is None or self.busy:
            return
        actor, role = actor_of(self.app_ctx)
        self.busy = True
        self.return_button.setEnabled(False)
        self.app_ctx.ops.run(return_remaining, self.app_ctx.booth, report.facility_code, actor, role,
                          self.reference_edit.text(), on_success=self._returned,
                          on_error=self._refused, owner=self)

    def _returned(self, outcome: tuple[DocResult, CloseOut]) -> None:
        self.busy = False
        result, report = outcome
        self.result = result
        self._show(report)
        self.retur_button.show()
        self.retur_button.setFocus()
        self.banner.show_message(ngettext(
            "Surat retur {number} recorded: {units} unit back to {facility}",
            "Surat retur {number} recorded: {units} units back to {facility}",
            -result.units).format(number=result.number, units=format_number(-result.units),
                                  facility=result.facility_code), "success")
        self.recorded.emit(result)

    def _refused(self, failure: OpFailure) -> None:
        self.busy = False
        self._show(self.report)
        self.banner.show_error(failure.message)

    def _failed(self, failure: OpFailure) -> None:
        self.banner.show_error(failure.message)

    def reject(self) -> None:
        if not self.busy:
            super().reject()
