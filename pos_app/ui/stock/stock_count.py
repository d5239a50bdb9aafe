"""A stock count (stock opname) of one facility: start it (or continue its open count), print
the blind count sheet, enter counted quantities by scanning (each scan adds one) or typing,
see the variance with a reason per difference, and approve or cancel.

Every entry is recorded as it is made, keeping the on-hand of that moment, so sales may go on
during the count and the count survives closing the dialog."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from pos_app.domain.money import format_number, format_rupiah
from pos_app.domain.stock import REASONS, VarianceLine, VarianceReport, default_reason
from pos_app.i18n import _, ngettext
from pos_app.services.catalog.catalog import FacilityRow
from pos_app.services.stock import stock_counts
from pos_app.services.stock.stock_docs import DocResult
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.busy import BusyDialog
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.confirm_bar import ConfirmBar
from pos_app.ui.common.dialog_layout import fit_to_screen, titled
from pos_app.ui.common.facility_box import FacilityBox
from pos_app.ui.common.figures import figure_label, signed, signed_rupiah
from pos_app.ui.common.ops import OpFailure
from pos_app.ui.common.roles import actor_of
from pos_app.ui.common.tables import fix_widths, make_table
from pos_app.ui.sale.scan_box import ScanBox
from pos_app.ui.stock.stock_count_model import (
    V_COUNTED,
    V_PRODUCT,
    V_REASON,
    VarianceModel,
    approve,
    begin_count,
    cancel,
    count_scanned,
    count_typed,
)
from pos_app.ui.stock.stock_files import PdfSaver
from pos_app.ui.stock.stock_models import QtyDelegate, reason_label, status_label

REASON_WIDTH = 180


class CountDialog(BusyDialog):
    recorded = Signal(object)  # DocResult of an approval, or None after a cancel

    def __init__(self, app_ctx: AppContext, facilities: Sequence[FacilityRow], facility_code: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(app_ctx, parent)
        self.report: VarianceReport | None = None
        self.reasons: dict[str, str] = {}  # SKU -> chosen reason, kept across reloads
        self.reason_boxes: dict[str, QComboBox] = {}
        self.result: DocResult | None = None
        self.setMinimumWidth(1000)
        fit_to_screen(self, 1160, 740)
        layout = titled(self, _("Stock count (stock opname)"), _(
            "Scan every piece on the shelf (each scan adds one) or type the number counted. "
            "Sales may go on: a sale after a product was counted is not counted twice."))
        self.facility_box = FacilityBox(_("Choose the facility…"), self)
        self.facility_box.set_facilities(facilities, facility_code)
        self.facility_box.picked.connect(self._facility_picked)
        self.start_button = TouchButton(_("Start count"), self, role="primary")
        self.start_button.clicked.connect(self.start)
        self.sheet_button = TouchButton(_("Count sheet PDF…"), self)
        self.sheet_button.setToolTip(_("A blind sheet to count on paper (no expected figures)"))
        self.sheet_button.clicked.connect(lambda: self.report and self.pdf.count_sheet(
            self.report.header.number))
        top = QHBoxLayout()
        top.addWidget(self.facility_box, 1)
        top.addWidget(self.start_button)
        top.addWidget(self.sheet_button)
        layout.addLayout(top)

        self.status_label = QLabel(self)
        self.status_label.setProperty("role", "heading")
        self.scan_box = ScanBox(self)
        self.scan_box.setPlaceholderText(_("Scan each piece, or type a barcode or SKU + Enter"))
        self.scan_box.code_entered.connect(self.scan)
        self.last_label = figure_label(self, "hint")
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan_box, 3)
        scan_row.addWidget(self.last_label, 2)
        layout.addWidget(self.status_label)
        layout.addLayout(scan_row)

        self.model = VarianceModel(self)
        self.model.edited.connect(self.type_count)
        self.table = make_table(self.model, self, V_PRODUCT, row_height=50)
        self.table.setItemDelegateForColumn(V_COUNTED, QtyDelegate(0, self.table))
        fix_widths(self.table, ((V_REASON, REASON_WIDTH),))
        layout.addWidget(self.table, 1)
        self.figures_label = figure_label(self, "field")
        layout.addWidget(self.figures_label)
        self.confirm = ConfirmBar(self)
        layout.addWidget(self.confirm)
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        self.pdf = PdfSaver(app_ctx, self, self.banner)

        close = TouchButton(_("Close"), self, key="Esc")
        close.setToolTip(_("An open count stays open; continue it later"))
        close.clicked.connect(self.reject)
        self.cancel_button = TouchButton(_("Cancel count…"), self, role="danger")
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.variance_button = TouchButton(_("Variance PDF…"), self)
        self.variance_button.clicked.connect(lambda: self.report and self.pdf.variance(
            self.report.header.number))
        self.approve_button = TouchButton(_("Approve…"), self, role="primary")
        self.approve_button.setToolTip(_("Post the differences to stock, with their reasons"))
        self.approve_button.clicked.connect(self.ask_approve)
        buttons = QHBoxLayout()
        buttons.addWidget(close)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.variance_button)
        buttons.addWidget(self.approve_button)
        layout.addLayout(buttons)
        self._show(None)
        self._facility_picked(self.facility_box.code())

    # -- starting --------------------------------------------------------------------------
    def _facility_picked(self, code: str) -> None:
        if self.report is not None and self.report.header.facility_code != code:
            self._show(None)
        self.start_button.setText(_("Start count"))
        self.start_button.setEnabled(bool(code))
        if code:
            self.app_ctx.ops.run(stock_counts.open_count_of, self.app_ctx.booth, code,
                              on_success=self._open_count, on_error=self._failed, owner=self,
                              key="count-open")

    def _open_count(self, number: str | None) -> None:
        if number is not None:
            self.start_button.setText(_("Continue count {number}").format(number=number))

    def start(self) -> None:
        code = self.facility_box.code()
        if not code or self.busy:
            return
        actor, role = actor_of(self.app_ctx)
        self._run(begin_count, code, actor, role, done=self._started)

    def _started(self, report: VarianceReport) -> None:
        self.reasons.clear()
        self.result = None
        self._show(report)
        self.scan_box.ready_for_next_scan()

    # -- counting ----------------------------------------------------------------------------
    def number(self) -> str | None:
        report = self.report
        return report.header.number if report is not None and report.status == "open" else None

    def scan(self, code: str) -> None:
        number = self.number()
        if number is None:
            return
        actor, role = actor_of(self.app_ctx)
        self._run(count_scanned, number, code, actor, role, done=self._counted)

    def accepts_scan(self) -> bool:  # a scan from anywhere in the dialog (ui/common/scanner)
        return self.number() is not None

    def take_scan(self, code: str) -> None:
        self.scan_box.show_scanned(code)
        self.scan(code)

    def type_count(self, line: VarianceLine, qty: int) -> None:
        number = self.number()
        if number is None:
            return
        actor, role = actor_of(self.app_ctx)
        self._run(count_typed, number, line.sku, qty, actor, role, done=self._counted)

    def _counted(self, result: tuple[str, VarianceReport]) -> None:
        sku, report = result
        self._show(report)
        row = next((i for i, line in enumerate(report.lines) if line.sku == sku), None)
        if row is not None:
            line = report.lines[row]
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
            self.last_label.setText(_("{name}: {counted} counted").format(
                name=line.name, counted=format_number(line.counted or 0)))
        self.scan_box.ready_for_next_scan()

    def _reason_chosen(self, sku: str, box: QComboBox) -> None:
        self.reasons[sku] = box.currentData()

    def chosen_reasons(self) -> dict[str, str]:
        """SKU -> reason for every counted product with a difference."""
        report = self.report
        if report is None:
            return {}
        return {line.sku: self.reasons.get(line.sku) or default_reason(line.difference)
                for line in report.counted_lines if line.difference}

    # -- approving or cancelling ---------------------------------------------------------------
    def ask_approve(self) -> None:
        report = self.report
        if report is None or report.status != "open":
            return
        changed = [line for line in report.counted_lines if line.difference]
        text = ngettext(
            "Approve count {number}? {counted} product counted; {changed} changed by {units} "
            "units ({value}). The differences are posted to stock.",
            "Approve count {number}? {counted} products counted; {changed} changed by {units} "
            "units ({value}). The differences are posted to stock.",
            len(report.counted_lines)).format(
                number=report.header.number, counted=len(report.counted_lines),
                changed=len(changed), units=signed(report.difference_units),
                value=signed_rupiah(report.net_value))
        self.confirm.ask(text, _("Approve"), self.approve)

    def approve(self) -> None:
        number = self.number()
        if number is None:
            return
        actor, role = actor_of(self.app_ctx)
        self._run(approve, number, actor, role, self.chosen_reasons(), done=self._approved)

    def _approved(self, result: tuple[DocResult, VarianceReport]) -> None:
        doc, report = result
        self.result = doc
        self._show(report)
        self.banner.show_message(ngettext(
            "Count {number} approved: {lines} product adjusted ({units} units)",
            "Count {number} approved: {lines} products adjusted ({units} units)",
            doc.lines).format(number=doc.number, lines=doc.lines, units=signed(doc.units)),
            "success")
        self.recorded.emit(doc)

    def ask_cancel(self) -> None:
        report = self.report
        if report is None or report.status != "open":
            return
        self.confirm.ask(_("Cancel count {number}? What was counted is set aside; stock stays "
                           "as it is.").format(number=report.header.number),
                         _("Cancel the count"), self.cancel)

    def cancel(self) -> None:
        number = self.number()
        if number is None:
            return
        actor, role = actor_of(self.app_ctx)
        self._run(cancel, number, actor, role, done=self._cancelled)

    def _cancelled(self, report: VarianceReport) -> None:
        self._show(report)
        self.banner.show_message(_("Count {number} cancelled; stock is unchanged").format(
            number=report.header.number), "info")
        self.recorded.emit(None)

    # -- showing -----------------------------------------------------------------------------
    def _run(self, fn, *args, done) -> None:
        self.confirm.dismiss()

        def finished(result) -> None:
            self.banner.clear()
            done(result)

        self.run_op(fn, self.app_ctx.booth, *args, on_success=finished, on_error=self._failed)

    def _show(self, report: VarianceReport | None) -> None:
        self.report = report
        is_open = report is not None and report.status == "open"
        self.model.open = is_open
        self.model.set_rows(report.lines if report is not None else [])
        self._reason_boxes()
        for widget in (self.scan_box, self.approve_button, self.cancel_button):
            widget.setEnabled(is_open)
        self.sheet_button.setEnabled(is_open)
        self.variance_button.setEnabled(report is not None)
        self.start_button.setVisible(not is_open)
        self.facility_box.setEnabled(not is_open)
        if report is None:
            self.status_label.setText(_("Choose the facility, then start its count"))
            self.figures_label.clear()
            self.last_label.clear()
            return
        header = report.header
        self.status_label.setText(_("Count {number} · {facility} · {status}").format(
            number=header.number, facility=header.facility_name,
            status=status_label(report.status)))
        self.figures_label.setText(_(
            "Counted {counted} of {total} products · shortage {shortage} · surplus {surplus} · "
            "net {net}").format(
                counted=len(report.counted_lines), total=report.sheet_count,
                shortage=signed_rupiah(report.shortage_value),
                surplus=format_rupiah(report.surplus_value), net=signed_rupiah(report.net_value)))

    def _reason_boxes(self) -> None:
        """A reason picker on every counted line with a difference (while the count is open)."""
        self.reason_boxes = {}
        report = self.report
        if report is None or report.status != "open":
            return
        for row, line in enumerate(report.lines):
            if not line.difference:
                continue
            cell = QWidget(self.table)
            box = QComboBox(cell)
            box.setStyleSheet("QComboBox { min-height: 34px; font-size: 14px; }")
            box.setToolTip(_("Why the count differs"))
            fit = QHBoxLayout(cell)
            fit.setContentsMargins(4, 4, 8, 4)
            fit.addWidget(box)
            for reason in REASONS:
                box.addItem(reason_label(reason), reason)
            chosen = self.reasons.get(line.sku) or line.reason or default_reason(line.difference)
            box.setCurrentIndex(max(box.findData(chosen), 0))
            box.currentIndexChanged.connect(lambda _i, s=line.sku, b=box: self._reason_chosen(s, b))
            self.table.setIndexWidget(self.model.index(row, V_REASON), cell)
            self.reason_boxes[line.sku] = box

    def _failed(self, failure: OpFailure) -> None:
        self.banner.show_error(failure.message)
        self.scan_box.ready_for_next_scan()
