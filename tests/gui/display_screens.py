"""Run in a process of its own by test_customer_display_screens.py, on a platform with two
screens (Qt's offscreen plugin configured with two, or Xvfb with two under xcb): the till's
window on the cashier's screen, the customer display set to ``screen``; a scanner's burst
typed into whatever has the focus. Prints one JSON line: where each window is, whether the
display ever had the focus, what reached the scan box and the display.

    python tests/gui/display_screens.py DB CASHIER_SCREEN  (its index, or its name)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from pos_app import i18n
from pos_app.services.access import auth
from pos_app.services.setup.booth import Booth
from pos_app.services.shift import shifts
from pos_app.ui.common import style
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.ops import Ops
from pos_app.ui.main_window import MainWindow

SCAN = "8994111000016"  # Kopi Arabika Flores Bajawa 250 g


def spin_until(done, timeout: float = 15.0) -> bool:
    end = time.monotonic() + timeout
    while not done() and time.monotonic() < end:
        loop = QEventLoop()
        QTimer.singleShot(10, loop.quit)
        loop.exec()
    return bool(done())


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    db, cashier = Path(sys.argv[1]), sys.argv[2]
    app = QApplication(sys.argv[:1])
    style.apply(app)
    i18n.set_language("en")
    screens = QGuiApplication.screens()
    cashier_screen = screens[int(cashier)] if cashier.isdigit() else next(
        s for s in screens if s.name() == cashier)
    focus: list[str] = []  # every window given the focus, from the start

    def focused(shown) -> None:
        owner = next((w for w in QApplication.topLevelWidgets() if shown is not None
                      and w.windowHandle() is shown), None)
        focus.append(type(owner).__name__ if owner is not None else str(shown))

    app.focusWindowChanged.connect(focused)
    booth = Booth.open(db)
    ops = Ops()
    window = MainWindow(AppContext.load(booth, ops))
    app.removeEventFilter(window.scanner)  # QTest types: the keys go where the focus is
    window.setScreen(cashier_screen)
    window.setGeometry(cashier_screen.availableGeometry().adjusted(0, 0, -40, -40))
    window.show()
    window.app_ctx.login_state.start(auth.login(booth, "Kasir", "1234"),
                                     shifts.open_shift(booth, "Kasir", 0))
    spin_until(lambda: window.sale_screen.grid.loaded and not ops.busy)
    window.activateWindow()
    spin_until(lambda: QApplication.activeWindow() is window)
    window.display.place()  # where the till's window is now
    settle()

    display = window.display.view
    target = QApplication.focusWidget()  # the sale screen put it in the scan box
    QTest.keyClicks(target, SCAN)  # a scanner's burst, then Enter
    QTest.keyClick(target, Qt.Key.Key_Return)
    spin_until(lambda: bool(window.sale_screen.cart.lines) and not ops.busy)
    settle()

    def where(widget) -> dict:
        geometry = widget.geometry()
        return {"screen": screens.index(widget.screen()), "x": geometry.x(),
                "y": geometry.y(), "width": geometry.width(), "height": geometry.height(),
                "full_screen": widget.isFullScreen(), "visible": widget.isVisible()}

    print(json.dumps({
        "platform": QGuiApplication.platformName(),
        "screens": [{"name": s.name(), "width": s.geometry().width(),
                     "height": s.geometry().height()} for s in screens],
        "cashier": where(window), "display": where(display),
        "focus_changes": focus,
        "active_is_cashier": QApplication.activeWindow() is window,
        "focus_in_scan_box": QApplication.focusWidget() is window.sale_screen.scan_box,
        "typed_into": type(target).__name__,
        "cart": [line.product.name for line in window.sale_screen.cart.lines],
        "display_total": display.cart.total.text(),
        "display_accepts_focus": not display.windowFlags()
        & Qt.WindowType.WindowDoesNotAcceptFocus,
    }), flush=True)
    window.app_ctx.printer.shutdown()
    ops.wait()
    window.display.close_view()
    window.close()
    booth.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
