"""A keyboard-wedge scanner and a slow typist for GUI tests: synthetic key events on a fake
clock that the application's scan filter reads (QTest's own keys come faster than anyone)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from pos_app.ui.common.scanner import ScanFilter

SCANNER_GAP_MS = 8  # a wedge scanner's time between keys
PERSON_GAP_MS = 150  # a quick typist's


class Wedge:
    """Drives ``scanner`` (put back on the application) with a clock of its own."""

    def __init__(self, scanner: ScanFilter) -> None:
        self.scanner = scanner
        self.now = 1_000.0
        scanner.clock = lambda: self.now
        QApplication.instance().installEventFilter(scanner)
        self.refused: list[str] = []
        scanner.refused.connect(self.refused.append)

    def stop(self) -> None:
        """The keys are a person's again (QTest types the rest of the test)."""
        self.scanner.flush()
        QApplication.instance().removeEventFilter(self.scanner)

    def key(self, text: str, gap_ms: float, widget: QWidget | None = None,
            key: Qt.Key | None = None, repeat: bool = False, stamp: int = 0) -> None:
        """One key, ``gap_ms`` after the last, to ``widget`` or wherever the keys go now;
        ``repeat`` marks it auto-repeated, ``stamp`` is the window system's time (0: none)."""
        self.now += gap_ms
        target = widget or QApplication.focusWidget() or QApplication.activeWindow()
        code = key if key is not None else Qt.Key(ord(text.upper()))
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier, text, repeat)
            event.setTimestamp(stamp)
            QApplication.sendEvent(target, event)

    def scan(self, code: str, widget: QWidget | None = None, end: Qt.Key = Qt.Key.Key_Return
             ) -> None:
        """What a scanner sends: the code a few milliseconds a key, then Enter."""
        self.now += 1_000  # the cashier reached for the scanner
        for char in code:
            self.key(char, SCANNER_GAP_MS, widget)
        self.key("\r" if end != Qt.Key.Key_Tab else "\t", SCANNER_GAP_MS, widget, end)

    def type(self, text: str, widget: QWidget | None = None) -> None:
        """A person typing ``text``; the last key reaches its widget once the burst is over."""
        for char in text:
            self.key(char, PERSON_GAP_MS, widget)
        self.now += PERSON_GAP_MS
        self.scanner.flush()  # what the filter's timer does after ``scan_max_gap_ms``

    def enter(self, widget: QWidget | None = None) -> None:
        self.key("\r", PERSON_GAP_MS, widget, Qt.Key.Key_Return)
