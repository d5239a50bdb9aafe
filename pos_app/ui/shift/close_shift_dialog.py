"""Closing the shift blind: the cashier counts the drawer by denomination first; only once the
count is confirmed (and the close recorded) does the dialog show what the drawer should have
held, the count and the difference. Then the Z report and where the backup went."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from pos_app.domain.money import format_rupiah
from pos_app.i18n import _, ngettext
from pos_app.services.shift import shifts
from pos_app.services.shift.shifts import CloseResult
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.busy import BusyDialog
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import button_row, shortcut, titled
from pos_app.ui.common.figures import signed_rupiah
from pos_app.ui.common.ops import OpFailure, error_text
from pos_app.ui.reporting.report_dialog import ReportActions
from pos_app.ui.shift.cash_count import CashCount, CountFigures

COUNT_PAGE, RESULT_PAGE = 0, 1


class CloseShiftDialog(BusyDialog):
    """:attr:`closed` fires once the close is on disk; after that the dialog can only be
    left with Done (the shift is over whatever the cashier presses)."""

    closed = Signal(object)  # CloseResult

    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(app_ctx, parent)
        self.shift_id = app_ctx.login_state.shift_id
        self.result: CloseResult | None = None
        self.setMinimumWidth(900)
        layout = titled(self, _("Close the shift"), _(
            "Count all the cash in the drawer, note by note and coin by coin. What the drawer "
            "should hold is shown only after you confirm the count."))
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._count_page())
        self.pages.addWidget(self._result_page())
        layout.addWidget(self.pages, 1)
        self.count.focus_first()

    def _count_page(self) -> QWidget:
        page = QWidget(self)
        self.count = CashCount(page)
        self.error = Banner(page)
        cancel = TouchButton(_("Cancel"), page, key="Esc")
        cancel.clicked.connect(self.reject)
        self.confirm_button = TouchButton(_("Confirm count and close shift"), page,
                                          role="primary", key="Enter")
        self.confirm_button.clicked.connect(self.confirm)
        for edit in self.count.fields.values():
            edit.textEdited.connect(lambda _t: self.error.clear())
            edit.returnPressed.connect(self.confirm)  # Enter confirms, as at the shift open
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(12)
        box.addWidget(self.count, 1)
        box.addWidget(self.error)
        box.addLayout(button_row(cancel, self.confirm_button))
        return page

    def _result_page(self) -> QWidget:
        page = QWidget(self)
        heading = QLabel(_("The shift is closed"), page)
        heading.setProperty("role", "title")
        self.figures = CountFigures(page)
        self.summary = QLabel(page)
        self.summary.setProperty("role", "hint")
        self.summary.setWordWrap(True)
        self.backup = Banner(page)
        self.report_banner = Banner(page)
        self.print_button = TouchButton(_("Print Z report"), page, key="Ctrl+P")
        self.pdf_button = TouchButton(_("Save Z report PDF"), page)
        self.done_button = TouchButton(_("Done"), page, role="primary", key="Enter")
        self.done_button.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addWidget(self.pdf_button)
        row.addStretch(1)
        row.addWidget(self.done_button)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(12)
        box.addWidget(heading)
        box.addWidget(self.figures)
        box.addWidget(self.summary)
        box.addWidget(self.backup)
        box.addStretch(1)
        box.addWidget(self.report_banner)
        box.addLayout(row)
        return page

    # -- closing ----------------------------------------------------------------------
    def confirm(self) -> None:
        if self.busy or self.result is not None:
            return
        self.run_op(shifts.close_shift, self.app_ctx.booth, self.shift_id,
                    self.count.count(), self.app_ctx.actor, on_success=self._closed,
                    on_error=self._failed, button=self.confirm_button)

    def _failed(self, failure: OpFailure) -> None:
        self.error.show_error(failure.message)

    def _closed(self, result: CloseResult) -> None:
        self.result = result
        self.figures.show_result(result.expected, result.counted, result.difference)
        totals = result.totals
        self.summary.setText(ngettext(
            "{count} sale, {net} net; {voids} voided, {refunds} refunded.",
            "{count} sales, {net} net; {voids} voided, {refunds} refunded.",
            # "net" is the figures' net (after voids and refunds), not what the sales came to
            totals.sales).format(count=totals.sales,
                                 net=signed_rupiah(totals.shown_figures().net),
                                 voids=format_rupiah(totals.voids_total),
                                 refunds=format_rupiah(totals.refunds_total)))
        if result.backup_error is not None and result.backup_path is not None:
            self.backup.show_error(_("Backup saved: {path}").format(path=result.backup_path)
                                   + "\n" + error_text(result.backup_error))  # second folder
        elif result.backup_error is not None:
            self.backup.show_error(_("The shift is closed, but the backup failed: {reason}")
                                   .format(reason=error_text(result.backup_error)))
        else:
            self.backup.show_message(_("Backup saved: {path}").format(
                path=result.backup_path), "success")
        actions = ReportActions(self.app_ctx, self, self.report_banner, result.shift_id, "z")
        self.print_button.clicked.connect(actions.print)
        self.pdf_button.clicked.connect(actions.save_pdf)
        shortcut(self, "Ctrl+P", actions.print)
        self.caption_label.setText(_(
            "Expected: the float and the cash taken on sales and put in, less the cash paid "
            "back on voids and refunds and taken out."))
        self.pages.setCurrentIndex(RESULT_PAGE)
        self.done_button.setFocus()
        self.closed.emit(result)

    def is_done(self) -> bool:
        return self.result is not None  # closed: Esc is Done
