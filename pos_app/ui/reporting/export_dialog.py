"""The end-of-event pack in one action: the coordinator picks where it goes and presses
Export; the XLSX workbook, CSV tables, PDF summary and manifest are written on a thread of
their own (the till's op queue stays free), with a progress bar and a Cancel button. A
cancelled or failed export leaves nothing under the chosen name (the service writes into a
temporary folder and renames it at the end)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.errors import DomainError
from pos_app.i18n import _, language
from pos_app.services.reporting.report_facts import ReportFilter
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.files import ask_folder, documents_folder
from pos_app.ui.common.ops import error_text
from pos_app.ui.common.roles import actor_of


class ExportWorker(QThread):
    """Runs ``export_pack`` off the GUI thread; reports progress and the outcome by signal."""

    progressed = Signal(int, int)
    done = Signal(object)  # PackResult
    failed = Signal(str, str)  # message, code

    def __init__(self, booth, out: Path, flt: ReportFilter, actor: tuple[str, str],
                 parent=None) -> None:
        super().__init__(parent)
        self.booth, self.out, self.flt = booth, out, flt
        self.actor, self.actor_role = actor
        self.cancel = threading.Event()

    def run(self) -> None:
        from pos_app.services.reporting.export_pack import export_pack_as

        try:
            result = export_pack_as(self.booth, self.out, self.flt, actor=self.actor,
                                    actor_role=self.actor_role,
                                 progress=lambda done, total: self.progressed.emit(done, total),
                                 cancel=self.cancel, translate=_, language=language())
        except DomainError as exc:
            self.failed.emit(error_text(exc), exc.code)
        except Exception:  # a bug, not bad input: logged, and a plain message for the user
            import logging

            logging.getLogger("pos_app").exception("export failed")
            self.failed.emit(_("Something went wrong. The details were written to the log."),
                             "")
        else:
            self.done.emit(result)


def default_folder(event_name: str, flt: ReportFilter) -> Path:
    stem = "-".join(part for part in (
        "lapak", "".join(c if c.isalnum() else "-" for c in event_name).strip("-").lower(),
        flt.date_from.isoformat() if flt.date_from else "",
        flt.date_to.isoformat() if flt.date_to else "") if part)
    return documents_folder() / stem


class ExportDialog(QDialog):
    """Export the pack for the filter the reports screen shows."""

    def __init__(self, app_ctx: AppContext, flt: ReportFilter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx, self.flt = app_ctx, flt
        self.worker: ExportWorker | None = None
        self.result = None
        self.setWindowTitle(_("End-of-event pack"))
        self.setModal(True)
        self.setMinimumWidth(760)
        about = QLabel(_("Writes the XLSX workbook, the same tables as CSV, a PDF summary with "
                         "charts and a manifest with totals and checksums into one folder."),
                       self)
        about.setWordWrap(True)
        about.setProperty("role", "caption")
        self.folder_edit = QLineEdit(str(default_folder(app_ctx.context.event_name, flt)), self)
        choose = TouchButton(_("Choose…"), self)
        choose.clicked.connect(self.choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(choose)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.state = QLabel("", self)
        self.banner = Banner(self)
        self.close_button = TouchButton(_("Close"), self, key="Esc")
        self.close_button.clicked.connect(self.reject)
        self.cancel_button = TouchButton(_("Cancel export"), self, role="danger")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.start_button = TouchButton(_("Export"), self, role="primary")
        self.start_button.clicked.connect(self.start)
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(about)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.state)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)

    def choose_folder(self) -> None:
        path = ask_folder(self, _("Where the pack goes"))
        if path is not None:
            self.folder_edit.setText(str(path / Path(self.folder_edit.text()).name))

    def start(self) -> None:
        text = self.folder_edit.text().strip()
        if not text or self.worker is not None:
            return
        self.banner.clear()
        self.start_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.state.setText(_("Counting the sales…"))
        worker = ExportWorker(self.app_ctx.booth, Path(text), self.flt,
                              actor_of(self.app_ctx), self)
        worker.progressed.connect(self._progressed)
        worker.done.connect(self._done)
        worker.failed.connect(self._failed)
        worker.finished.connect(self._stopped)
        self.worker = worker
        worker.start()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel.set()
            self.cancel_button.setEnabled(False)
            self.state.setText(_("Cancelling…"))

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.state.setText(_("{done} of {total} sales written").format(done=done, total=total))

    def _done(self, result) -> None:
        self.result = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.state.setText("")
        self.banner.show_message(_("Pack written to {path}: {files} files").format(
            path=result.path, files=len(result.files)), "success")

    def _failed(self, message: str, code: str) -> None:
        self.progress.setValue(0)
        self.state.setText("")
        self.banner.show_error(message)

    def _stopped(self) -> None:
        self.worker = None
        self.close_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.start_button.setEnabled(self.result is None)

    def reject(self) -> None:
        if self.worker is not None:  # never leave a thread writing behind a closed dialog
            return
        super().reject()
