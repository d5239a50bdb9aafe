"""Shift reports on screen: an X reading (taken now, kept as a shift event) or a shift's Z
report, drawn exactly as the receipt printer prints it, with Print and Save PDF."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtWidgets import QDialog, QHBoxLayout, QWidget

from pos_app.domain.receipt import Element
from pos_app.i18n import _
from pos_app.services.sale.printing import printer_settings
from pos_app.services.shift import shift_reports
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import fit_to_screen, shortcut, titled
from pos_app.ui.common.files import ask_pdf_path
from pos_app.ui.common.ops import OpFailure
from pos_app.ui.sale.print_queue import PrintResult
from pos_app.ui.sale.receipt_preview import ReceiptPreview, columns_for


def x_report_now(booth, shift_id: uuid.UUID, by: str) -> list[Element]:
    """Runs in an op: take an X reading (journaled) and lay it out."""
    return shift_reports.elements_of(booth, shift_reports.x_reading(booth, shift_id, by), _)


def z_report(booth, shift_id: uuid.UUID) -> list[Element]:
    """Runs in an op: the Z report as it was kept at the close."""
    return shift_reports.report_elements(booth, shift_id, "z", _)


class ReportActions:
    """Print (through the print queue) and Save PDF (in an op) of one shift report; the
    outcome goes to ``banner``."""

    def __init__(self, app_ctx: AppContext, owner: QWidget, banner: Banner, shift_id: uuid.UUID,
                 kind: str) -> None:
        self.app_ctx, self.owner, self.banner = app_ctx, owner, banner
        self.shift_id, self.kind = shift_id, kind

    def print(self) -> None:
        if not self.app_ctx.printer.configured:
            self.banner.show_error(_("No receipt printer is set up. Set one up in Settings "
                                     "(F9), or save a PDF."))
            return
        self.banner.show_message(_("The report was sent to the printer…"), "info")
        self.app_ctx.printer.report(self.shift_id, self.kind, self.app_ctx.actor, self._printed,
                                 owner=self.owner)

    def _printed(self, result: PrintResult) -> None:
        if result.printed:
            self.banner.show_message(_("The report was printed"), "success")
        else:
            self.banner.show_error(_("The report was not printed: {reason}").format(
                reason=result.message))

    def save_pdf(self) -> None:
        name = f"{self.kind}-report-{self.app_ctx.context.device_code}-{self.shift_id.hex[:8]}.pdf"
        path = ask_pdf_path(self.owner, _("Save the report as PDF"), name)
        if not path:
            return
        width = printer_settings(self.app_ctx.settings).config.width_mm
        self.app_ctx.ops.run(shift_reports.save_report_pdf, self.app_ctx.booth, self.shift_id, self.kind,
                          Path(path), width, translate=_, by=self.app_ctx.actor,
                          on_success=lambda out: self.banner.show_message(
                              _("Saved: {path}").format(path=out), "success"),
                          on_error=self._failed, owner=self.owner)

    def _failed(self, failure: OpFailure) -> None:
        self.banner.show_error(failure.message)


class ReportDialog(QDialog):
    """The X reading of the open shift (``kind`` ``x``) or a closed shift's Z (``z``)."""

    def __init__(self, app_ctx: AppContext, shift_id: uuid.UUID, kind: str = "x",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.loaded = False
        fit_to_screen(self, 560, 720)
        title = _("X report") if kind == "x" else _("Z report")
        note = (_("A reading of the shift so far; the shift stays open.") if kind == "x"
                else _("The report of the closed shift."))
        layout = titled(self, title, note)
        self.preview = ReceiptPreview(self)
        self.banner = Banner(self)
        self.actions = ReportActions(app_ctx, self, self.banner, shift_id, kind)
        self.print_button = TouchButton(_("Print"), self, role="primary", key="Ctrl+P")
        self.print_button.clicked.connect(self.actions.print)
        shortcut(self, "Ctrl+P", lambda: self.print_button.isEnabled() and self.actions.print())
        self.pdf_button = TouchButton(_("Save PDF"), self)
        self.pdf_button.clicked.connect(self.actions.save_pdf)
        close = TouchButton(_("Close"), self, key="Esc")
        close.clicked.connect(self.reject)
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(close)
        row.addStretch(1)
        row.addWidget(self.pdf_button)
        row.addWidget(self.print_button)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.banner)
        layout.addLayout(row)
        if kind == "x":
            app_ctx.ops.run(x_report_now, app_ctx.booth, shift_id, app_ctx.actor,
                         on_success=self._show, on_error=self._failed, owner=self)
        else:
            app_ctx.ops.run(z_report, app_ctx.booth, shift_id, on_success=self._show,
                         on_error=self._failed, owner=self)

    def _show(self, elements: list[Element]) -> None:
        self.loaded = True
        self.preview.show_elements(elements,
                                   columns_for(self.app_ctx.settings))
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(True)

    def _failed(self, failure: OpFailure) -> None:
        self.banner.show_error(failure.message)
