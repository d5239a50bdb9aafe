"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every void Qt call (and to
True on every emit) until the interpreter aborts: pyproject.toml excludes it. This keeps
any future Qt binding honest over a cashier's long day of calls.

On Python 3.12+ None and True are immortal (their reference counts never move), so counting
them proves nothing there. The same mistakes are counted on an ordinary (mortal) object:
passed as an argument to a void call, sent through a signal, and handed back by a Qt call
(a returned value the binding forgets to count is how None was lost). A reserve of extra
references keeps the object alive, so a binding that steals references fails the assertion
instead of freeing the object and crashing the run."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLineEdit

CALLS = 20_000


class _Beeper(QObject):
    beep = Signal(object)


class _Payload:
    """A plain mortal object: its reference count moves with every reference."""


def test_void_calls_and_emits_do_not_leak_or_steal_references(qapp) -> None:
    edit, beeper = QLineEdit(), _Beeper()
    got: list[object] = []
    beeper.beep.connect(got.append)
    payload = _Payload()
    text = "".join(["Rp", "10.000"])  # built at run time: not an (immortal) interned literal
    beeper.setProperty("payload", payload)
    reserve = [payload, text] * (2 * CALLS)  # noqa: F841 - keeps both alive if refs are stolen
    counts_before = sys.getrefcount(payload), sys.getrefcount(text)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        edit.setText(text)  # a call returning nothing, with a mortal argument
        edit.setEnabled(True)
        beeper.beep.emit(payload)  # a mortal object through a signal
        returned = beeper.property("payload")  # a mortal object handed back by Qt
        del returned
    got.clear()
    # Exact on the mortal objects: each call, emit and return must count the same references
    # in as out. The 6.12.0 bug would lose 20,000 here (40,000 references to None on 3.11).
    assert (sys.getrefcount(payload), sys.getrefcount(text)) == counts_before
    # On 3.11 (None and True mortal): small drift from caches is fine.
    assert abs(sys.getrefcount(None) - none_before) < 1_000
    assert abs(sys.getrefcount(True) - true_before) < 1_000
