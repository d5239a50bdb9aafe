"""The print queue: receipts (of sales, voids and refunds), shift reports and other slips (the
settlement summary) go to the printer one at a time, on a thread of their own."""

from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

from pos_app.i18n import _
from pos_app.services.sale.printing import (
    CAUSES,
    PrinterConfig,
    PrintOutcome,
    open_drawer,
    print_receipt,
    printer_settings,
    test_print,
    what_to_check,
)
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.settings_model import Settings
from pos_app.services.shift import shift_reports
from pos_app.ui.common.ops import OpFailure, Ops, error_text

log = logging.getLogger(__name__)

NONE, READY, BUSY, FAILED = "none", "ready", "busy", "failed"


@dataclass(frozen=True)
class PrintResult:
    """One finished job, ready to show: ``message`` is the translated reason of a failure."""

    kind: str  # receipt | test | report | drawer | document
    sale_id: uuid.UUID | None
    number: str
    printed: bool
    copy: bool = False
    destination: str = ""
    message: str = ""
    code: str | None = None
    sent: bool = False  # the printer took it and does not report its status

    def done_text(self) -> str:
        """What the status bar says of a receipt that went to the printer."""
        if self.sent:
            text = (_("Copy of receipt {number} sent to the printer") if self.copy
                    else _("Receipt {number} sent to the printer"))
        else:
            text = (_("Copy of receipt {number} printed") if self.copy
                    else _("Receipt {number} printed"))
        return text.format(number=self.number)


@dataclass(frozen=True)
class _Job:
    kind: str
    sale_id: uuid.UUID | None = None
    number: str = ""
    config: PrinterConfig | None = None
    report: str = ""  # x | z, for a report job
    by: str = ""  # who asked for the report (or opens the drawer)
    role: str = ""  # their role, for a drawer job
    approval_id: uuid.UUID | None = None  # a coordinator's approval, for a drawer job
    call: Callable[[], PrintOutcome] | None = None  # prints a document, for a document job
    on_done: Callable[[PrintResult], None] | None = None
    owner: QObject | None = None  # on_done is skipped once this widget is gone


def _receipt(booth: Booth, sale_id: uuid.UUID) -> PrintOutcome:
    """Runs on the print thread; ``copy`` is decided by the service (printed before or not)."""
    return print_receipt(booth, sale_id, translate=_)


def _test(booth: Booth, config: PrinterConfig) -> PrintOutcome:
    return test_print(booth, config, translate=_)


def _report(booth: Booth, shift_id: uuid.UUID, kind: str, by: str) -> PrintOutcome:
    """An X or Z report as kept (an X: the latest reading), recorded as a print job."""
    return shift_reports.print_report(booth, shift_id, kind, translate=_, by=by)


def _drawer(booth: Booth, shift_id: uuid.UUID | None, by: str, role: str,
            approval_id: uuid.UUID | None) -> PrintOutcome:
    """Open the cash drawer without a sale (journaled first; the pulse may then fail)."""
    return open_drawer(booth, by, role, approval_id, shift_id=shift_id)


class PrintQueue(QObject):
    """A hung printer can never delay a checkout or a search: printing has its own single worker,
    apart from the ops that touch the database first. Jobs wait in a queue on the GUI thread and
    are handed to the worker one by one, so receipts come out in the order of the sales, a job
    already waiting is not queued twice, and shutting down drops what has not started.
    Failures (returned by the printing service, never raised) are kept as a list of unprinted
    receipts that the cashier can reprint with one click.
    """

    finished = Signal(object)  # PrintResult, on the GUI thread
    state_changed = Signal()

    def __init__(self, booth: Booth, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.booth = booth
        self._runner = Ops(self, max_threads=1)
        self._waiting: deque[_Job] = deque()
        self._current: _Job | None = None
        self.configured = False
        self.auto_print = True
        self.last_failed = False
        self.last_error = ""
        self.unprinted: dict[uuid.UUID, str] = {}  # sale id -> number, oldest first

    # -- settings -----------------------------------------------------------------------
    def configure(self, settings: Settings) -> None:
        """Take the printer settings as stored (called at start and after Settings saves)."""
        setup = printer_settings(settings)
        self.configured, self.auto_print = setup.configured, setup.auto_print
        if not self.configured:
            self.last_failed = False
        self.state_changed.emit()

    @property
    def state(self) -> str:
        """``none`` (no printer), ``busy``, ``failed`` (the last receipt failed) or ``ready``."""
        if not self.configured:
            return NONE
        if self._current is not None:
            return BUSY
        return FAILED if self.last_failed else READY

    @property
    def pending(self) -> int:
        """Jobs printing or waiting to print."""
        return len(self._waiting) + (self._current is not None)

    # -- jobs ---------------------------------------------------------------------------
    def after_sale(self, sale_id: uuid.UUID, number: str) -> bool:
        """Queue the receipt of a sale just recorded, if a printer is set and auto-print on."""
        if not (self.configured and self.auto_print):
            return False
        self.enqueue(sale_id, number)
        return True

    def enqueue(self, sale_id: uuid.UUID, number: str) -> None:
        """Print (or re-print, which then says COPY) a sale's receipt, after those queued."""
        if any(job.kind == "receipt" and job.sale_id == sale_id for job in self._waiting):
            return
        self._add(_Job("receipt", sale_id, number))

    def reprint_unprinted(self) -> list[str]:
        """Queue again every receipt whose last attempt failed; returns their numbers."""
        jobs = list(self.unprinted.items())
        self.unprinted.clear()
        for sale_id, number in jobs:
            self.enqueue(sale_id, number)
        self.state_changed.emit()
        return [number for _id, number in jobs]

    def dismiss(self) -> None:
        """The cashier has seen the warning; the sales stay reprintable from the history."""
        if self.unprinted:
            self.unprinted.clear()
            self.state_changed.emit()

    def test(self, config: PrinterConfig, on_done: Callable[[PrintResult], None],
             owner: QObject | None = None) -> None:
        """A test page through ``config`` (not yet saved), in turn with the receipts."""
        self._add(_Job("test", config=config, on_done=on_done, owner=owner))

    def report(self, shift_id: uuid.UUID, kind: str, by: str,
               on_done: Callable[[PrintResult], None], owner: QObject | None = None) -> None:
        """Print a shift's X or Z report (``kind`` ``x`` / ``z``), in turn with the receipts."""
        self._add(_Job("report", shift_id, report=kind, by=by, on_done=on_done, owner=owner))

    def drawer(self, shift_id: uuid.UUID | None, by: str, role: str,
               approval_id: uuid.UUID | None, on_done: Callable[[PrintResult], None],
               owner: QObject | None = None) -> None:
        """Pulse the cash drawer without a sale, in turn with the receipts (a hung printer
        never holds the database worker)."""
        self._add(_Job("drawer", shift_id, by=by, role=role, approval_id=approval_id,
                       on_done=on_done, owner=owner))

    def document(self, call: Callable[[], PrintOutcome], on_done: Callable[[PrintResult], None],
                 owner: QObject | None = None) -> None:
        """Print another document (``call`` prints it through a printing service and returns
        its outcome; it runs on the print thread), in turn with the receipts."""
        self._add(_Job("document", call=call, on_done=on_done, owner=owner))

    def _add(self, job: _Job) -> None:
        self._waiting.append(job)
        self._next()
        self.state_changed.emit()

    def _next(self) -> None:
        if self._current is not None or not self._waiting:
            return
        job = self._current = self._waiting.popleft()
        if job.kind == "test":
            self._runner.run(_test, self.booth, job.config,
                             on_success=lambda outcome: self._done(job, outcome),
                             on_error=lambda failure: self._failed(job, failure))
        elif job.kind == "drawer":
            self._runner.run(_drawer, self.booth, job.sale_id, job.by, job.role,
                             job.approval_id,
                             on_success=lambda outcome: self._done(job, outcome),
                             on_error=lambda failure: self._failed(job, failure))
        elif job.kind == "document" and job.call is not None:
            self._runner.run(job.call,
                             on_success=lambda outcome: self._done(job, outcome),
                             on_error=lambda failure: self._failed(job, failure))
        elif job.kind == "report":
            self._runner.run(_report, self.booth, job.sale_id, job.report, job.by,
                             on_success=lambda outcome: self._done(job, outcome),
                             on_error=lambda failure: self._failed(job, failure))
        else:
            self._runner.run(_receipt, self.booth, job.sale_id,
                             on_success=lambda outcome: self._done(job, outcome),
                             on_error=lambda failure: self._failed(job, failure))

    def _done(self, job: _Job, outcome: PrintOutcome) -> None:
        message = ""
        if outcome.error is not None:
            message = error_text(what_to_check(outcome.error))
            if job.kind == "test" and outcome.error.code in CAUSES:
                # Whoever sets the printer up also sees what the connection said.
                message += f" ({error_text(outcome.error)})"
        self._finish(job, PrintResult(job.kind, job.sale_id, outcome.number or job.number,
                                      outcome.printed, outcome.copy, outcome.destination,
                                      message, outcome.error.code if outcome.error else None,
                                      outcome.sent))

    def _failed(self, job: _Job, failure: OpFailure) -> None:
        """The service raised (no printer set any more, the database was busy, a bug)."""
        self._finish(job, PrintResult(job.kind, job.sale_id, job.number, False,
                                      message=failure.message, code=failure.code))

    def _finish(self, job: _Job, result: PrintResult) -> None:
        self._current = None
        if job.kind == "receipt" and job.sale_id is not None:
            self.last_failed = not result.printed
            if result.printed:
                self.unprinted.pop(job.sale_id, None)
            else:
                self.last_error = result.message
                self.unprinted.pop(job.sale_id, None)
                self.unprinted[job.sale_id] = result.number
                log.warning("receipt %s not printed: %s", result.number, result.code)
        if job.on_done is not None and (job.owner is None or isValid(job.owner)):
            job.on_done(result)
        self.finished.emit(result)
        self._next()
        self.state_changed.emit()

    # -- shutting down ------------------------------------------------------------------
    def shutdown(self, msecs: int = 30_000) -> bool:
        """Drop the jobs not yet started and wait for the one printing (bounded by its
        printer timeout). Dropped receipts stay reprintable from the sales history."""
        dropped = [job.number for job in self._waiting if job.kind == "receipt"]
        if dropped:
            log.warning("receipts not printed at shutdown: %s", ", ".join(dropped))
        self._waiting.clear()
        done = self._runner.wait(msecs)
        self._current = None
        return done
