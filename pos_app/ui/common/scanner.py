"""The barcode scanner, wherever the focus is: one application-wide key filter that tells a
keyboard-wedge scan from a person typing by its timing.

A scanner types its code a few milliseconds a key and ends it with Enter (some with Tab).
Printable keys are held back while they come faster than ``scan_max_gap_ms`` apart; at least
``scan_min_length`` of them ended by Enter or Tab are a scan, handed to the screen that takes
scans (a widget with ``accepts_scan()`` and ``take_scan(code)``, found from the focused
widget up to its window). A screen that takes no scans (a PIN pad, an amount field) refuses
it with a message, and nothing is typed. Keys that come slower are a person typing: they are
handed on to their widget as they were, in order, as soon as the burst is over.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from shiboken6 import isValid

from pos_app.i18n import _

ENDS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
COMMANDS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier)
NOTICE_MS = 4_000


def monotonic_ms() -> float:
    return time.monotonic() * 1000


@runtime_checkable
class TakesScans(Protocol):
    """A screen or dialog that a scan may go to."""

    def accepts_scan(self) -> bool: ...  # False: refused now (busy, nothing open to count)

    def take_scan(self, code: str) -> None: ...


@dataclass(frozen=True)
class HeldKey:
    """A key held back while it may be part of a scan, and the widget it was going to."""

    receiver: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str

    def replay(self) -> None:
        if isValid(self.receiver):
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(self.receiver,
                                       QKeyEvent(kind, self.key, self.modifiers, self.text))


def scan_handler(widget: QWidget | None) -> TakesScans | None:
    """The widget that takes a scan typed into ``widget``: ``widget`` or a parent up to its
    window (a popup, like a dropdown's list, belongs to the widget it drops from). With no
    widget focused (the keys go to the window) it is the visible one in that window."""
    start = widget
    while widget is not None:
        if isinstance(widget, TakesScans):
            return widget
        if widget.isWindow() and widget.windowType() != Qt.WindowType.Popup:
            break
        widget = widget.parentWidget()
    if start is not None and start.isWindow():
        for child in start.findChildren(QWidget):
            if (isinstance(child, TakesScans) and child.isVisible()
                    and child.window() is start):
                return child
    return None


class ScanNotice(QLabel):
    """A few seconds' message floating over the window, where the cashier is looking; keys
    do not hide it (a tooltip would go with the Enter's release)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.setProperty("role", "scanNotice")
        self.setWordWrap(True)
        self.setMaximumWidth(520)
        self.setStyleSheet("QLabel { background: #fdecea; color: #8a1c1c; "
                           "border: 1px solid #d93025; border-radius: 6px; padding: 12px; "
                           "font-size: 15px; }")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.hide)

    def show_at(self, text: str, over: QWidget) -> None:
        self.setText(text)
        self.adjustSize()
        centre = over.mapToGlobal(QPoint(over.width() // 2, over.height() // 2))
        self.move(centre - QPoint(self.width() // 2, self.height() // 2))
        self.show()
        self.raise_()
        self.timer.start(NOTICE_MS)


class ScanFilter(QObject):
    """Installed on the application; see the module's docstring."""

    scanned = Signal(str)  # a scan a screen took
    refused = Signal(str)  # the message shown for a scan no screen takes

    def __init__(self, max_gap_ms: int = 30, min_length: int = 6,
                 clock: Callable[[], float] = monotonic_ms,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.max_gap_ms, self.min_length, self.clock = max_gap_ms, min_length, clock
        self.held: list[HeldKey] = []
        self.last_at = 0.0
        self.replaying = False
        self.notice: ScanNotice | None = None
        self.timer = QTimer(self)  # the burst is over: what was held was typed
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.flush)

    @classmethod
    def install(cls, settings, parent: QObject) -> ScanFilter:
        """The filter for the whole application, with the booth's settings; it goes (and
        stops filtering) with ``parent``."""
        scanner = cls(settings.scan_max_gap_ms, settings.scan_min_length, parent=parent)
        QApplication.instance().installEventFilter(scanner)
        return scanner

    def configure(self, settings) -> None:
        self.max_gap_ms, self.min_length = settings.scan_max_gap_ms, settings.scan_min_length

    # -- the keys -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # every event of the application passes here: the cheap tests first (PySide gives
        # the event its own class; asking its type() builds an enum each time)
        if (self.replaying or not isinstance(event, QKeyEvent)
                or event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget)):
            return False
        return self.key_pressed(watched, event)

    def key_pressed(self, receiver: QWidget, event: QKeyEvent) -> bool:
        """True when the key is held back or used up by a scan (the widget does not get it)."""
        # When the window system stamps its keys (X11 does, in ms), the gap is measured there:
        # a busy event loop that reads a burst late does not split it. Otherwise our clock.
        now = float(event.timestamp()) or self.clock()
        fast = bool(self.held) and 0 <= now - self.last_at <= self.max_gap_ms
        if self.held and not fast:
            self.flush()
        key, text = event.key(), event.text()
        if key in ENDS:
            if fast and len(self.held) >= self.min_length:
                self.scan_ended(receiver)
                return True
            self.flush()
            return False
        # A key held down repeats: a person's. But X11 marks a scanner's repeated digit (the
        # "000" of a barcode) as a repeat too, so inside a fast burst it is one more key.
        printable = (len(text) == 1 and text.isprintable()
                     and (fast or not event.isAutoRepeat())
                     and not event.modifiers() & COMMANDS)
        if not printable:
            self.flush()
            return False
        self.held.append(HeldKey(receiver, key, event.modifiers(), text))
        self.last_at = now
        # the burst is over once no key came for a while; generous, because the gap itself
        # is judged by the keys' stamps, and a late timer only delays a typist's last key
        self.timer.start(3 * self.max_gap_ms + 20)
        return True

    def flush(self) -> None:
        """Hand the held keys on to their widgets: a person typed them."""
        self.timer.stop()
        held, self.held = self.held, []
        self.replaying = True
        try:
            for key in held:
                key.replay()
        finally:
            self.replaying = False

    # -- the scan -----------------------------------------------------------------------------
    def scan_ended(self, receiver: QWidget) -> None:
        self.timer.stop()
        code = "".join(key.text for key in self.held).strip()
        self.held = []
        popup = QApplication.activePopupWidget()
        handler = scan_handler(receiver)
        if handler is not None and handler.accepts_scan():
            if popup is not None:
                popup.close()  # a dropdown left open by a tap
            self.scanned.emit(code)
            handler.take_scan(code)
            return
        self.refuse(code, receiver)

    def refuse(self, code: str, receiver: QWidget) -> None:
        text = _("This screen does not take scans: “{code}” was not entered. "
                 "Scan on the sale screen, or in receive goods or a stock count.").format(
            code=code)
        window = receiver.window()
        if self.notice is None or not isValid(self.notice) or self.notice.parent() is not window:
            if self.notice is not None and isValid(self.notice):
                self.notice.deleteLater()
            self.notice = ScanNotice(window)
        self.notice.show_at(text, window)
        self.refused.emit(text)
