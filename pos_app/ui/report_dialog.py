"""Shift reports on screen: an X reading (taken now, kept as a shift event) or a shift's Z
report, drawn exactly as the receipt printer prints it, with Print and Save PDF."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtWidgets import QDialog, QHBoxLayout, QWidget

from pos_app.domain.receipt import Element
from pos_app.i18n import _
from pos_app.services import shift_reports
from pos_app.ui.banner import Banner
from pos_app.ui.buttons import TouchButton
from pos_app.ui.history_dialog import ask_save_path
from pos_app.ui.ops import OpFailure
from pos_app.ui.print_queue import PrintResult
from pos_app.ui.receipt_preview import ReceiptPreview, columns_for
from pos_app.ui.shift_dialogs import shortcut, titled
from pos_app.ui.till import Till


def x_report_now(booth, shift_id: uuid.UUID, by: str) -> list[Element]:
    """Runs in an op: take an X reading (journaled) and lay it out."""
    return shift_reports.elements_of(booth, shift_reports.x_reading(booth, shift_id, by), _)


def z_report(booth, shift_id: uuid.UUID) -> list[Element]:
    """Runs in an op: the Z report as it was kept at the close."""
    return shift_reports.report_elements(booth, shift_id, "z", _)


class ReportActions:
    """Print (through the print queue) and Save PDF (in an op) of one shift report; the
    outcome goes to ``banner``."""

    def __init__(self, till: Till, owner: QWidget, banner: Banner, shift_id: uuid.UUID,
                 kind: str) -> None:
        self.till, self.owner, self.banner = till, owner, banner
        self.shift_id, self.kind = shift_id, kind

    def print(self) -> None:
        if not self.till.printer.configured:
            self.banner.show_error(_("No receipt printer is set up. Set one up in Settings "
                                     "(F9), or save a PDF."))
            return
        self.banner.show_message(_("The report was sent to the printer…"), "info")
        self.till.printer.report(self.shift_id, self.kind, self.till.actor, self._printed,
                                 owner=self.owner)

    def _printed(self, result: PrintResult) -> None:
        if result.printed:
            self.banner.show_message(_("The report was printed"), "success")
        else:
            self.banner.show_error(_("The report was not printed: {reason}").format(
                reason=result.message))

    def save_pdf(self) -> None:
        name = f"{self.kind}-report-{self.till.context.device_code}-{self.shift_id.hex[:8]}.pdf"
        path = ask_save_path(self.owner, _("Save the report as PDF"), name)
        if not path:
            return
        width = 80 if self.till.settings.get("printer_width") == "80" else 58
        self.till.ops.run(shift_reports.save_report_pdf, self.till.booth, self.shift_id, self.kind,
                          Path(path), width, translate=_, by=self.till.actor,
                          on_success=lambda out: self.banner.show_message(
                              _("Saved: {path}").format(path=out), "success"),
                          on_error=self._failed, owner=self.owner)

    def _failed(self, failure: OpFailure) -> None:
        self.banner.show_error(failure.message)


class ReportDialog(QDialog):
    """The X reading of the open shift (``kind`` ``x``) or a closed shift's Z (``z``)."""

    def __init__(self, till: Till, shift_id: uuid.UUID, kind: str = "x",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.till = till
        self.loaded = False
        self.resize(560, 720)
        title = _("X report") if kind == "x" else _("Z report")
        note = (_("A reading of the shift so far; the shift stays open.") if kind == "x"
                else _("The report of the closed shift."))
        layout = titled(self, title, note)
        self.preview = ReceiptPreview(self)
        self.banner = Banner(self)
        self.actions = ReportActions(till, self, self.banner, shift_id, kind)
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
            till.ops.run(x_report_now, till.booth, shift_id, till.actor,
                         on_success=self._show, on_error=self._failed, owner=self)
        else:
            till.ops.run(z_report, till.booth, shift_id, on_success=self._show,
                         on_error=self._failed, owner=self)

    def _show(self, elements: list[Element]) -> None:
        self.loaded = True
        self.preview.show_elements(elements,
                                   columns_for(self.till.settings.get("printer_width", "58")))
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(True)

    def _failed(self, failure: OpFailure) -> None:
        self.banner.show_error(failure.message)
