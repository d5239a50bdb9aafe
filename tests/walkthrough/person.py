"""A person at a real X display: taps are xdotool clicks at a widget's centre on the screen,
typing and the barcode scanner are xdotool key bursts through the X server into whatever has
the focus. Qt's event loop keeps spinning while xdotool runs and while the app catches up.

Each step counts its taps and key bursts; ``shot`` saves the whole X screen (Qt's grab of the
root window) as a PNG.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtWidgets import QApplication, QWidget

TIMEOUT_S = 20.0
TYPING_DELAY_MS = 120  # a person at a keyboard
# A keyboard-wedge scanner: a few milliseconds a key. At 3 ms xdotool releases a key and
# presses the next in the same X millisecond, and Qt's xcb plugin then calls a repeated digit
# ("000") an auto-repeat: the scan filter must keep it in the scan (it does).
SCANNER_DELAY_MS = 3
SETTLE_S = 0.4  # time to paint before a screenshot


class WalkFailed(AssertionError):
    """A step of the walkthrough did not reach the state it should have."""


class Person:
    def __init__(self, app: QApplication, shots: Path, prefix: str = "") -> None:
        self.app, self.shots, self.prefix = app, shots, prefix
        self.taps = self.bursts = 0
        self.log: list[tuple[str, int, int]] = []  # (step, taps, key bursts)
        self.saved: list[Path] = []

    # -- the event loop -------------------------------------------------------------------------
    def spin(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.002)

    def wait(self, condition: Callable[[], object], what: str,
             timeout: float = TIMEOUT_S) -> None:
        """Spin until ``condition()`` is true; fail saying ``what`` was expected."""
        end = time.monotonic() + timeout
        while True:
            try:
                if condition():
                    return
            except RuntimeError:  # a widget deleted under us: not there yet / any more
                pass
            if time.monotonic() > end:
                raise WalkFailed(f"timed out after {timeout:.0f} s waiting for: {what} "
                                 f"({self.focus()})")
            self.app.processEvents()
            time.sleep(0.002)

    def focus(self) -> str:
        """Where the keys go now, as Qt and the X server see it (for failure messages)."""
        active, focused = self.app.activeWindow(), self.app.focusWidget()
        x_focus = subprocess.run(["xdotool", "getwindowfocus"], capture_output=True,
                                 text=True).stdout.strip()
        own = {hex(int(w.winId())): type(w).__name__ for w in self.app.topLevelWidgets()
               if w.isVisible()}
        return (f"Qt active window {type(active).__name__ if active else None}, focus "
                f"{type(focused).__name__ if focused else None}; X focus "
                f"{hex(int(x_focus)) if x_focus.isdigit() else x_focus!r}, windows {own}")

    def xdotool(self, *args: str) -> None:
        """Run xdotool and keep Qt's loop turning until it is done (it must succeed)."""
        proc = subprocess.Popen(["xdotool", *args], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        end = time.monotonic() + TIMEOUT_S
        while proc.poll() is None:
            if time.monotonic() > end:
                proc.kill()
                raise WalkFailed(f"xdotool {' '.join(args)} did not finish")
            self.app.processEvents()
            time.sleep(0.001)
        if proc.returncode != 0:
            raise WalkFailed(f"xdotool {' '.join(args)} failed: "
                             f"{proc.stderr.read().decode(errors='replace').strip()}")
        proc.stderr.close()

    # -- a person's hands -------------------------------------------------------------------------
    def ready(self, widget: QWidget, what: str) -> None:
        """Wait until ``widget`` is on screen, enabled, and its window is mapped."""
        def shown() -> bool:
            handle = widget.window().windowHandle()
            return (widget.isVisible() and widget.isEnabled() and handle is not None
                    and handle.isExposed())
        self.wait(shown, f"{what} on screen")

    def centre(self, widget: QWidget, point: QPoint | None = None) -> QPoint:
        return widget.mapToGlobal(point if point is not None else widget.rect().center())

    def tap(self, widget: QWidget, what: str, point: QPoint | None = None) -> None:
        """A tap (left click) at ``widget``'s centre, or at ``point`` inside it."""
        self.ready(widget, what)
        at = self.centre(widget, point)
        self.taps += 1
        self.xdotool("mousemove", "--sync", str(at.x()), str(at.y()), "click", "1")

    def arm_tap(self, widget_of: Callable[[], QWidget | None],
                point_of: Callable[[QWidget], QPoint]) -> QTimer:
        """Tap ``point_of(w)`` as soon as ``widget_of()`` is visible, from the event loop
        itself: a menu runs its own loop, and the tap that opened it has not returned yet."""
        timer = QTimer(self.app)
        timer.setInterval(20)

        def check() -> None:
            widget = widget_of()
            if widget is None or not widget.isVisible():
                return
            timer.stop()
            at = widget.mapToGlobal(point_of(widget))
            self.taps += 1
            subprocess.Popen(["xdotool", "mousemove", "--sync", str(at.x()), str(at.y()),
                              "click", "1"])

        timer.timeout.connect(check)
        timer.start()
        return timer

    def type(self, text: str) -> None:
        """Typed by a person, a key every ``TYPING_DELAY_MS``."""
        self.bursts += 1
        self.xdotool("type", "--delay", str(TYPING_DELAY_MS), text)

    def key(self, name: str) -> None:
        self.bursts += 1
        self.xdotool("key", name)

    def scan(self, code: str) -> None:
        """What a keyboard-wedge scanner sends: the code a few ms a key, then Enter at the
        same pace. One xdotool burst (``\r`` is typed as Return; ``\n`` would be Linefeed):
        ``xdotool key Return`` as a second process starts 7-25 ms later, too close to the
        scanner filter's 30 ms limit to be sure on a busy machine."""
        self.spin(SETTLE_S)  # the cashier looks at the screen first: it has painted
        self.bursts += 1
        self.xdotool("type", "--delay", str(SCANNER_DELAY_MS), code + "\r")

    # -- steps and pictures -----------------------------------------------------------------------
    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        taps, bursts = self.taps, self.bursts
        started = time.monotonic()
        yield
        taps, bursts = self.taps - taps, self.bursts - bursts
        self.log.append((name, taps, bursts))
        print(f"step {name:<34} taps {taps:>2}  key bursts {bursts:>2}  "
              f"({time.monotonic() - started:.1f} s)", flush=True)

    def shot(self, name: str) -> Path:
        """The whole X screen as ``<prefix><name>.png``."""
        self.spin(SETTLE_S)
        screen = self.app.primaryScreen()
        picture = screen.grabWindow(0)
        path = self.shots / f"{self.prefix}{name}.png"
        if not picture.save(str(path), "PNG"):
            raise WalkFailed(f"could not save the screenshot {path}")
        self.saved.append(path)
        return path
