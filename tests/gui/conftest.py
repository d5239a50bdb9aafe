"""GUI fixtures: the real main window around the demo booth, and a cashier who drives it.

``window`` starts as the till is during a shift: Kasir (PIN 1234) logged in, a shift open
with no float. ``door`` is the window as it starts up: nobody logged in, no shift."""

from __future__ import annotations

import pytest

from pos_app import i18n
from pos_app.services.access import auth
from pos_app.services.access.auth import AuthUser
from pos_app.services.setup.booth import Booth
from pos_app.services.shift import shifts
from pos_app.services.shift.shifts import ShiftRow
from pos_app.ui.common import style
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.ops import Ops
from pos_app.ui.main_window import MainWindow
from tests.gui.cashier import Cashier


@pytest.fixture
def ops() -> Ops:
    runner = Ops()
    yield runner
    runner.wait()


@pytest.fixture
def english():
    """Tests read the English source strings; the language is restored afterwards."""
    previous = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(previous)


@pytest.fixture
def kasir(booth: Booth) -> AuthUser:
    """The demo cashier, logged in (a ``login.ok`` event)."""
    return auth.login(booth, "Kasir", "1234")


@pytest.fixture
def shift(booth: Booth, kasir: AuthUser) -> ShiftRow:
    """Kasir's shift on this device, opened with no float."""
    return shifts.open_shift(booth, kasir.name, 0)


def _main_window(qtbot, qapp, booth: Booth, ops: Ops) -> MainWindow:
    style.apply(qapp)
    win = MainWindow(AppContext.load(booth, ops))
    # QTest types faster than any scanner: the keys of these tests are a person's, and
    # tests/gui/test_scanner.py puts the scanner's filter back with a clock it drives.
    qapp.removeEventFilter(win.scanner)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: win.sale_screen.grid.loaded and not ops.busy, timeout=10_000)
    return win


@pytest.fixture
def door(qtbot, qapp, booth: Booth, ops: Ops, english) -> MainWindow:
    """The window at start-up: the login screen, nobody logged in."""
    win = _main_window(qtbot, qapp, booth, ops)
    yield win
    win.app_ctx.printer.shutdown()
    ops.wait()


@pytest.fixture
def window(qtbot, qapp, booth: Booth, ops: Ops, english, kasir: AuthUser,
           shift: ShiftRow) -> MainWindow:
    """The window during Kasir's shift: the sale screen."""
    win = _main_window(qtbot, qapp, booth, ops)
    win.app_ctx.login_state.start(kasir, shift)
    qtbot.waitUntil(lambda: win.sale_screen.isVisible(), timeout=10_000)
    win.activateWindow()
    yield win
    win.app_ctx.printer.shutdown()
    ops.wait()


@pytest.fixture
def cashier(qtbot, window: MainWindow, ops: Ops) -> Cashier:
    return Cashier(qtbot, window, ops)


@pytest.fixture
def coordinator_at_till(qtbot, window: MainWindow, ops: Ops, booth: Booth,
                        shift: ShiftRow) -> Cashier:
    """Maria (coordinator, PIN 2468) at the till during the open shift, driving the window."""
    maria = auth.login(booth, "Maria", "2468")
    window.app_ctx.login_state.start(maria, shift)
    return Cashier(qtbot, window, ops)
