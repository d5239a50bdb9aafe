"""The background sync: every ``sync_minutes`` minutes (and when someone presses Sync now) the
booth's unsent records go to the central database, on a thread of their own.

The timer lives on the GUI thread; the sync itself runs on the runner's own single worker
(like the print queue), never on the GUI thread and never on the till's op queue, so a slow
or unreachable central database never delays a sale. There is never more than one sync at a
time: a tick or a request while one runs is ignored (the running one sends what is there).

The worker shares the till's :class:`Booth`: every ``booth.db.read()`` / ``write()`` opens its
own SQLAlchemy session on its own pooled SQLite connection, so threads never share a session
(the till's ops use the booth from their worker the same way).

A booth that is not enrolled stays quiet: the runner's state says so and nothing is shown.
Closing the app (:meth:`SyncRunner.shutdown`) asks a running sync to stop after the batch it
is sending and waits for it; a push stopped anywhere is safe (records are marked sent only
after the central commit, and a re-send is harmless).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from pos_app.services.setup.booth import Booth
from pos_app.services.setup.settings_model import Settings
from pos_app.services.sync import sync_status
from pos_app.services.sync.record import describe
from pos_app.ui.common.changes import Change, ChangeHub
from pos_app.ui.common.ops import OpFailure, Ops

log = logging.getLogger(__name__)

IDLE, RUNNING, NOT_ENROLLED, FAILED = "idle", "running", "not_enrolled", "failed"
CANCEL_WAIT_MS = 10_000

Connect = Callable[[dict], Any]  # libpq parameters -> an autocommit psycopg connection




class _Stopped(Exception):
    """The app is closing: the worker leaves between two batches."""


@dataclass
class _Outcome:
    kind: str  # done | not_enrolled | stopped
    result: Any = None  # the SyncResult when done, the NotEnrolled msgid when not enrolled


class _Run:
    """One sync on the worker thread; ``stop`` and ``conn`` are how shutdown reaches it."""

    def __init__(self, booth: Booth, connect: Connect, progress: Callable[[int, int], None],
                 stop: threading.Event, batch_size: int | None) -> None:
        self.booth, self.connect, self.progress = booth, connect, progress
        self.stop, self.batch_size = stop, batch_size
        self.conn: Any = None

    def _connect(self, params: dict) -> Any:
        if self.stop.is_set():
            raise _Stopped
        self.conn = self.connect(params)
        return self.conn

    def _progress(self, done: int, total: int) -> None:
        self.progress(done, total)
        if self.stop.is_set() and done < total:
            raise _Stopped

    def __call__(self) -> _Outcome:
        try:
            # Nothing is tried, and nothing is noted, for a booth that is not enrolled.
            params = sync_status.conninfo_from_enrollment(self.booth)
            result = sync_status.run_sync(self.booth, batch_size=self.batch_size,
                                          progress=self._progress,
                                          connect=lambda: self._connect(params))
        except sync_status.NotEnrolled as exc:
            return _Outcome("not_enrolled", exc.msgid)
        except _Stopped:
            return _Outcome("stopped")
        finally:
            self.conn = None
        return _Outcome("done", result)

    def cancel_statement(self) -> None:
        """From the GUI thread, when the batch does not end: a statement hanging on a dead
        network is cancelled (the central transaction rolls back, the records stay pending)."""
        conn = self.conn
        if conn is not None:
            try:
                conn.cancel_safe(timeout=5)
            except Exception:  # noqa: BLE001 - best effort; the wait below is bounded anyway
                log.debug("could not cancel the central statement", exc_info=True)


class SyncRunner(QObject):
    """Runs :func:`sync_status.run_sync` in the background on a timer and on request.

    Signals arrive on the GUI thread: ``started``; ``progress(done, total)``;
    ``finished(text)`` with the outcome in the cashier's language; ``failed(message)`` with
    the translated reason; ``state_changed`` after each of them (and when the booth turns out
    not to be enrolled, which says nothing else). After a sync that was tried, ``changes``
    (the app's :class:`ChangeHub`) hears ``sync``, and ``catalog`` when the catalog pull
    brought rows, so the open views re-read them."""

    started = Signal()
    progress = Signal(int, int)
    finished = Signal(str)
    failed = Signal(str)
    state_changed = Signal()
    _progressed = Signal(int, int)  # from the worker thread; re-emitted on the GUI thread

    def __init__(self, booth: Booth, parent: QObject | None = None, *,
                 connect: Connect | None = None, changes: ChangeHub | None = None) -> None:
        super().__init__(parent)
        self.booth = booth
        self.connect: Connect = connect or sync_status.connect_with  # how the worker logs in
        self.changes = changes
        # records per central transaction: None is the booth's ``sync_batch`` setting
        self.batch_size: int | None = None
        self.stopping = threading.Event()  # set once, when the app closes
        self._worker = Ops(self, max_threads=1)
        self._run: _Run | None = None
        self._closed = False
        self.state = IDLE
        self.done = self.total = 0
        self.last_text = ""  # the last outcome this session, translated
        self.last_error = ""  # the last failure this session, translated ("" after a success)
        self.not_enrolled_msgid = ""
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_now)
        self._progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        return self._run is not None

    def configure(self, settings: Settings) -> None:
        """Start (or restart, or stop) the timer for ``sync_minutes`` as in ``settings``
        (0 turns the background sync off)."""
        self.start(settings.sync_minutes * 60_000)

    def start(self, interval_ms: int) -> None:
        if self._closed:
            return
        if interval_ms <= 0:
            self.timer.stop()
            return
        self.timer.start(interval_ms)

    def sync_now(self) -> bool:
        """Start a sync unless one is running (or the app is closing); True if started."""
        if self._run is not None or self._closed:
            return False
        run = self._run = _Run(self.booth, self.connect, self._progressed.emit, self.stopping,
                               self.batch_size)
        self.state, self.done, self.total = RUNNING, 0, 0
        self._worker.run(run, on_success=lambda outcome: self._done(run, outcome),
                         on_error=lambda failure: self._failed(run, failure))
        self.started.emit()
        self.state_changed.emit()
        return True

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self._run is None:
            return
        self.done, self.total = done, total
        self.progress.emit(done, total)

    def _done(self, run: _Run, outcome: _Outcome) -> None:
        if run is not self._run:
            return
        self._run = None
        if outcome.kind == "not_enrolled":
            self.state, self.not_enrolled_msgid = NOT_ENROLLED, outcome.result
            self.state_changed.emit()
            return
        if outcome.kind == "stopped":
            self.state = IDLE
            self.state_changed.emit()
            return
        self.state, self.last_error, self.not_enrolled_msgid = IDLE, "", ""
        self.last_text = describe(outcome.result.record)
        self.finished.emit(self.last_text)
        self.state_changed.emit()
        catalog = outcome.result.catalog
        pulled = catalog is not None and catalog.added + catalog.updated > 0
        self._announce({Change.SYNC, Change.CATALOG} if pulled else {Change.SYNC})

    def _failed(self, run: _Run, failure: OpFailure) -> None:
        if run is not self._run:
            return
        self._run = None
        self.state, self.not_enrolled_msgid = FAILED, ""
        self.last_error = self.last_text = failure.message
        log.warning("background sync failed: %s", failure.code or failure.message)
        self.failed.emit(failure.message)
        self.state_changed.emit()
        self._announce({Change.SYNC})  # what went before the failure stays sent

    def _announce(self, changes: set[Change]) -> None:
        if self.changes is not None:
            self.changes.notify(changes)

    def shutdown(self, msecs: int = 30_000) -> bool:
        """Stop the timer, let a running sync end after its batch, and wait for it (a batch
        that hangs past ``msecs`` has its central statement cancelled)."""
        self._closed = True
        self.timer.stop()
        run = self._run
        self.stopping.set()
        done = self._worker.wait(msecs)
        if not done and run is not None:
            run.cancel_statement()
            done = self._worker.wait(CANCEL_WAIT_MS)
        if not done:
            log.warning("the background sync did not stop in time")
        self._run = None
        return done


__all__ = ["FAILED", "IDLE", "NOT_ENROLLED", "RUNNING", "SyncRunner"]
