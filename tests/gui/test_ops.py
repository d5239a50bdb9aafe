"""Ops run service calls off the GUI thread and hand results (or calm errors) back on it."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject

from pos_app.domain.errors import DomainError
from pos_app.ui.common.ops import OpFailure, Ops


def test_the_call_runs_on_a_worker_and_the_result_arrives_on_the_gui_thread(qtbot, ops: Ops
                                                                            ) -> None:
    seen: dict[str, object] = {}

    def work(a: int, b: int) -> int:
        seen["worker"] = threading.current_thread()
        return a + b

    def done(result: int) -> None:
        seen["result"], seen["gui"] = result, threading.current_thread()

    ops.run(work, 2, b=40, on_success=done)
    assert ops.busy
    qtbot.waitUntil(lambda: not ops.busy, timeout=5000)
    assert seen["result"] == 42
    assert seen["gui"] is threading.main_thread()
    assert seen["worker"] is not threading.main_thread()


def test_a_domain_error_reaches_on_error_translated_with_its_code(qtbot, ops: Ops,
                                                                  english) -> None:
    failures: list[OpFailure] = []

    def refuse() -> None:
        raise DomainError("reference_required", method="card")

    ops.run(refuse, on_error=failures.append)
    qtbot.waitUntil(lambda: not ops.busy, timeout=5000)
    assert failures == [OpFailure("Card (EDC) needs a reference (approval code)",
                                  "reference_required")]


def test_without_on_error_the_failure_goes_to_the_error_sink(qtbot, ops: Ops, english) -> None:
    shown: list[OpFailure] = []
    ops.error_sink = shown.append
    ops.run(lambda: (_ for _ in ()).throw(DomainError("empty_cart")))
    qtbot.waitUntil(lambda: not ops.busy, timeout=5000)
    assert shown == [OpFailure("The cart is empty", "empty_cart")]


def test_a_bug_is_logged_with_its_traceback_and_shown_as_one_calm_line(qtbot, ops: Ops, caplog,
                                                                       english) -> None:
    shown: list[OpFailure] = []
    ops.error_sink = shown.append

    def broken() -> None:
        raise ZeroDivisionError("the secret detail")

    with caplog.at_level(logging.ERROR, logger="pos_app.ui.common.ops"):
        ops.run(broken)
        qtbot.waitUntil(lambda: not ops.busy, timeout=5000)
    assert shown == [OpFailure("Something went wrong. The details were written to the log.")]
    [record] = [r for r in caplog.records if r.name == "pos_app.ui.common.ops"]
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError


def test_a_file_error_names_the_file_and_the_reason(qtbot, ops: Ops, english) -> None:
    import errno

    failures: list[OpFailure] = []

    def full() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/media/usb/lapak.xlsx")

    ops.run(full, on_error=failures.append)
    qtbot.waitUntil(lambda: not ops.busy, timeout=5000)
    assert failures == [OpFailure("Cannot use the file /media/usb/lapak.xlsx: the disk is full; "
                                  "nothing was changed", "file_failed")]


def test_a_newer_op_with_the_same_key_wins(qtbot, ops: Ops) -> None:
    got: list[str] = []
    ops.run(lambda: "old", on_success=got.append, key="grid")
    ops.run(lambda: "new", on_success=got.append, key="grid")
    qtbot.waitUntil(lambda: not ops.busy, timeout=5000)
    assert got == ["new"]


def test_nothing_is_delivered_to_a_deleted_owner(qtbot, ops: Ops) -> None:
    got: list[str] = []
    owner = QObject()
    release = threading.Event()
    ops.run(lambda: release.wait(5) and "late", on_success=got.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(owner), timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: not ops.busy, timeout=5000)
    assert got == []


def test_a_background_read_is_not_queued_behind_the_main_worker(qtbot, ops: Ops) -> None:
    release = threading.Event()
    order: list[str] = []
    ops.run(release.wait, 5, on_success=lambda _r: order.append("checkout"))
    ops.run(lambda: "count", on_success=order.append, background=True)
    qtbot.waitUntil(lambda: order == ["count"], timeout=5000)  # the checkout still runs
    release.set()
    qtbot.waitUntil(lambda: not ops.busy, timeout=5000)
    assert order == ["count", "checkout"]
