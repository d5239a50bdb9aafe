"""GUI fixtures: the real main window around the demo booth, and a cashier who drives it."""

from __future__ import annotations

import pytest

from pos_app import i18n
from pos_app.services.booth import Booth
from pos_app.ui import style
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ops import Ops
from pos_app.ui.till import Till
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
def window(qtbot, qapp, booth: Booth, ops: Ops, english) -> MainWindow:
    style.apply(qapp)
    win = MainWindow(Till.load(booth, ops))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: win.sale_screen.grid.loaded and not ops.busy, timeout=10_000)
    yield win
    win.till.printer.shutdown()
    ops.wait()


@pytest.fixture
def cashier(qtbot, window: MainWindow, ops: Ops) -> Cashier:
    return Cashier(qtbot, window, ops)
