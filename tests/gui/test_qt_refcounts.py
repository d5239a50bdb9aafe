"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every void Qt call (and to
True on every emit) until the interpreter aborts: pyproject.toml excludes it. This keeps
any future Qt binding honest over a cashier's long day of calls."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLineEdit


class _Beeper(QObject):
    beep = Signal(object)


def test_void_calls_and_emits_do_not_leak_or_steal_references(qapp) -> None:
    edit, beeper = QLineEdit(), _Beeper()
    got: list[object] = []
    beeper.beep.connect(got.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(20_000):
        edit.setText("Rp10.000")  # a call returning nothing
        edit.setEnabled(True)
        beeper.beep.emit(i)
    got.clear()
    # Small drift from caches is fine; the 6.12.0 bug loses 40,000 references to None here.
    assert abs(sys.getrefcount(None) - none_before) < 1_000
    assert abs(sys.getrefcount(True) - true_before) < 1_000
