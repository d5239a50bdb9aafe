"""Ops: run a service call off the GUI thread and deliver its result back on the GUI thread.

The sale screen never waits on the disk: every service call goes through :class:`Ops`.
A rule broken (``DomainError``) reaches the cashier as its translated message; anything
unexpected is logged with its traceback and the cashier sees one calm, generic sentence.
An op that changes data says what (``changes=``); once it has succeeded, ``ops.changes``
tells every open view (:mod:`pos_app.ui.common.changes`).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from shiboken6 import isValid

from pos_app.domain.errors import MESSAGES, DomainError, Message, os_reason
from pos_app.i18n import _
from pos_app.ui.common.changes import Change, ChangeHub
from pos_app.ui.common.labels import method_label

if TYPE_CHECKING:
    from pos_app.services.setup.booth import Booth

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpFailure:
    """Why an op failed, ready to show: ``code`` is the DomainError code, None if unexpected."""

    message: str
    code: str | None = None


def error_text(exc: DomainError) -> str:
    """A DomainError in the cashier's language, with payment methods named as on the buttons."""
    params = {k: _(v).format(**exc.params) if isinstance(v, Message) else v
              for k, v in exc.params.items()}  # a Message is filled like DomainError.message
    if "method" in params:
        params["method"] = method_label(str(params["method"]))
    return _(MESSAGES[exc.code]).format(**params)


def failure_of(exc: BaseException) -> OpFailure:
    if isinstance(exc, DomainError):
        return OpFailure(error_text(exc), exc.code)
    if isinstance(exc, OSError) and exc.filename:  # a file no service foresaw: say which, and why
        return failure_of(DomainError("file_failed", path=str(exc.filename),
                                      reason=os_reason(exc)))
    return OpFailure(_("Something went wrong. The details were written to the log."))


@dataclass
class _Pending:
    on_success: Callable[[Any], None] | None
    on_error: Callable[[OpFailure], None] | None
    owner: QObject | None
    key: str | None
    changes: frozenset[Change] = frozenset()


class _Job(QRunnable):
    """The worker side: call the function, hand the outcome to the GUI thread by signal."""

    def __init__(self, ops: Ops, op_id: int, fn: Callable[..., Any], args: tuple,
                 kwargs: dict) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._ops, self._op_id, self._fn, self._args, self._kwargs = ops, op_id, fn, args, kwargs

    def run(self) -> None:
        try:
            result = self._fn(*self._args, **self._kwargs)
        except DomainError as exc:
            self._ops.finished.emit(self._op_id, False, exc)
        except Exception as exc:  # anything else is a bug: log it, never show the traceback
            name = getattr(self._fn, "__qualname__", repr(self._fn))
            log.error("op %s failed", name, exc_info=exc)
            self._ops.finished.emit(self._op_id, False, exc)
        else:
            self._ops.finished.emit(self._op_id, True, result)


class Ops(QObject):
    """Runs service calls one after another on a worker thread (SQLite has one writer anyway),
    so ops finish in the order they were started.

    Work off the sale's critical path goes to a second, background worker
    (``background=True``): reads that only keep a view current (the status bar's unsynced
    count) and the open cart's draft (a spare copy in its own file). They never queue in
    front of a checkout or a scan, and WAL lets them read while the main worker writes."""

    finished = Signal(int, bool, object)

    def __init__(self, parent: QObject | None = None, max_threads: int = 1, *,
                 changes: ChangeHub | None = None) -> None:
        super().__init__(parent)
        self.changes = changes if changes is not None else ChangeHub(self)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._background = QThreadPool(self)
        self._background.setMaxThreadCount(1)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._latest: dict[str, int] = {}
        self.error_sink: Callable[[OpFailure], None] | None = None
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_success: Callable[[Any], None] | None = None,
        on_error: Callable[[OpFailure], None] | None = None,
        owner: QObject | None = None,
        key: str | None = None,
        changes: Iterable[Change] = (),
        background: bool = False,
        **kwargs: Any,
    ) -> int:
        """Start ``fn(*args, **kwargs)`` off the GUI thread.

        ``on_success(result)`` or ``on_error(failure)`` run later on the GUI thread; without
        ``on_error`` the failure goes to ``error_sink``. Nothing is delivered if ``owner`` has
        been deleted meanwhile, or if a newer op with the same ``key`` was started (a stale
        search result must not replace a fresh one). ``changes`` say what the op changes:
        ``self.changes`` announces them after it succeeded, delivered or not. ``background``:
        on the background worker, for work off the sale's critical path.
        """
        op_id = next(self._ids)
        self._pending[op_id] = _Pending(on_success, on_error, owner, key, frozenset(changes))
        if key is not None:
            self._latest[key] = op_id
        pool = self._background if background else self._pool
        pool.start(_Job(self, op_id, fn, args, kwargs))
        return op_id

    @property
    def busy(self) -> bool:
        """True while any op has not yet been delivered."""
        return bool(self._pending)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the worker is idle (shutting down, tests). Undelivered results are dropped."""
        done = self._pool.waitForDone(msecs)
        done = self._background.waitForDone(msecs) and done
        self._pending.clear()
        return done

    def _wanted(self, op_id: int, pending: _Pending) -> bool:
        """Whether the asker still wants the outcome: it lives, and no newer op has its key."""
        if pending.owner is not None and not isValid(pending.owner):
            return False
        return pending.key is None or self._latest.get(pending.key) == op_id

    @Slot(int, bool, object)
    def _deliver(self, op_id: int, ok: bool, payload: object) -> None:
        pending = self._pending.pop(op_id, None)
        if pending is None:
            return
        if ok:
            try:
                if self._wanted(op_id, pending) and pending.on_success is not None:
                    pending.on_success(payload)
            finally:  # the data changed, whoever asked and whatever they did with it
                self.changes.notify(pending.changes)
            return
        if not self._wanted(op_id, pending):
            return
        failure = failure_of(payload)  # type: ignore[arg-type]
        handler = pending.on_error or self.error_sink
        if handler is not None:
            handler(failure)
        else:
            log.warning("op failure with nobody to show it: %s", failure.message)


class WalKeeper:
    """Copies the database's write-ahead log back into the file on a thread of its own,
    after a sale, so that no checkout pays for SQLite's checkpoint (``Booth.tidy_wal``).
    At most one background checkpoint at a time; :meth:`shutdown` waits for it."""

    def __init__(self, booth: Booth) -> None:
        self.booth = booth
        self.thread: threading.Thread | None = None
        self.runs = 0  # checkpoints that ran (for tests and the log)

    def after_sale(self) -> None:
        """Start a checkpoint unless one is running; it does nothing while the log is small."""
        if self.thread is not None and self.thread.is_alive():
            return
        self.thread = threading.Thread(target=self._tidy, name="wal-keeper", daemon=True)
        self.thread.start()

    def _tidy(self) -> None:
        try:
            if self.booth.tidy_wal():
                self.runs += 1
        except Exception:  # noqa: BLE001 - housekeeping: SQLite's own checkpoint remains
            log.warning("background checkpoint failed", exc_info=True)

    def shutdown(self, timeout_s: float = 10.0) -> None:
        if self.thread is not None:
            self.thread.join(timeout_s)
