"""The back office without a cash shift: a coordinator who cancels "Open a shift" works in
stock and reports (no Rp0 shift is opened) and opens a shift from the panel to sell; a
cashier who cancels is sent back to the login. Every toolbar item fits at 1024 and 1366 px
in Indonesian for a coordinator, in a shift and in the back office."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QApplication, QToolBar, QWidget
from pytestqt.exceptions import TimeoutError as WaitTimeout

from pos_app import i18n
from pos_app.services.access import auth
from pos_app.ui.main_window import MainWindow
from tests.gui.cashier import Cashier, journal, shift_events, shift_rows
from tests.gui.test_fits import problems

TIMEOUT = 10_000


@pytest.fixture
def visitor(qtbot, door: MainWindow, ops) -> Cashier:
    """Someone at the till as it starts: the login screen, no shift open."""
    return Cashier(qtbot, door, ops)


def cancel_open_shift(visitor: Cashier, name: str, pin: str):
    window = visitor.window
    visitor.log_in(name, pin)
    dialog = visitor.wait_for(lambda: window.flow.dialog)
    assert dialog.windowTitle() == "Open a shift"
    visitor.qtbot.keyClick(dialog.count.fields[("note", 100_000)], Qt.Key.Key_Escape)
    visitor.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    visitor.wait_idle()
    return dialog


def test_a_coordinator_who_opens_no_shift_works_in_the_back_office(visitor: Cashier,
                                                                   booth) -> None:
    window = visitor.window
    cancel_open_shift(visitor, "Maria", "2468")
    state = window.app_ctx.login_state
    assert (state.user.name, state.shift, state.locked) == ("Maria", None, False)
    panel = window.no_shift_panel
    visitor.qtbot.waitUntil(panel.isVisible, timeout=TIMEOUT)
    assert not window.sale_screen.isVisible() and not window.login_screen.isVisible()
    assert panel.heading.text() == "Open a shift to sell"
    assert window.cashier_label.text() == "Cashier: Maria"
    # selling, history and the shift menu need a shift; the back office does not
    assert not window.history_action.isEnabled() and not window.shift_menu.button.isEnabled()
    visitor.qtbot.keyClick(panel.open_button, Qt.Key.Key_F12)
    assert window.sale_screen.payment_dialog is None
    visitor.qtbot.waitUntil(window.back_office.button.isVisible, timeout=TIMEOUT)
    assert window.back_office.button.isEnabled()
    assert [a.text() for a in window.back_office.menu.actions() if a.isVisible()] == [
        "Stock", "Reports", "Settlement", "Reconcile", "Sync", "Settings"]

    window.stock_action.trigger()
    stock = visitor.wait_for(lambda: window.stock_dialog)
    visitor.wait_idle()
    stock.reject()
    visitor.qtbot.waitUntil(lambda: not stock.isVisible(), timeout=TIMEOUT)
    window.reports_action.trigger()
    reports = visitor.wait_for(lambda: window.reports_dialog)
    visitor.wait_idle()
    reports.reject()
    visitor.qtbot.waitUntil(lambda: not reports.isVisible(), timeout=TIMEOUT)
    window.settings_action.trigger()
    settings = visitor.wait_for(lambda: window.settings_dialog)
    assert settings.tabs.count() == 5  # printer, QRIS, stock, backups, customer display
    settings.reject()
    assert shift_rows(booth) == []  # no Rp0 shift to reach the back office
    assert [e.actor for e in journal(booth, "shift.open")] == []

    # the panel opens a shift: then she sells
    visitor.qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    dialog = visitor.wait_for(lambda: window.flow.dialog if window.flow.dialog is not None
                              and window.flow.dialog.isVisible() else None)
    visitor.count_cash(dialog.count, {50_000: 1})
    visitor.qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    visitor.wait_idle()
    visitor.qtbot.waitUntil(window.sale_screen.isVisible, timeout=TIMEOUT)
    [shift] = shift_rows(booth)
    assert (shift.cashier_name, shift.opening_float) == ("Maria", 50_000)
    assert window.history_action.isEnabled() and window.shift_menu.button.isEnabled()


def test_the_back_office_locks_and_her_pin_brings_it_back(visitor: Cashier, booth) -> None:
    window = visitor.window
    cancel_open_shift(visitor, "Maria", "2468")
    visitor.qtbot.waitUntil(window.no_shift_panel.isVisible, timeout=TIMEOUT)
    visitor.activate(window)
    visitor.qtbot.keyClick(window.no_shift_panel.open_button, Qt.Key.Key_F10)
    assert window.app_ctx.login_state.locked and window.login_screen.isVisible()
    assert not window.back_office.button.isEnabled()
    visitor.log_in("Maria", "2468")
    visitor.qtbot.waitUntil(window.no_shift_panel.isVisible, timeout=TIMEOUT)
    assert shift_rows(booth) == []


def test_a_cashier_who_opens_no_shift_is_sent_back_to_the_login(visitor: Cashier,
                                                                booth) -> None:
    window = visitor.window
    cancel_open_shift(visitor, "Kasir", "1234")
    assert window.app_ctx.login_state.user is None
    assert window.login_screen.isVisible() and not window.no_shift_panel.isVisible()
    assert not window.back_office.bar_action.isVisible()
    assert not window.back_office.button.isVisible()
    assert shift_rows(booth) == []


def test_with_a_cashiers_shift_open_she_can_still_work_in_the_back_office(
        qtbot, door: MainWindow, ops, booth, shift) -> None:
    """Kasir's shift is open on this till: Maria neither takes it over nor closes it."""
    visitor = Cashier(qtbot, door, ops)
    window = visitor.window
    visitor.log_in("Maria", "2468")
    dialog = visitor.wait_for(lambda: window.flow.dialog)
    assert dialog.windowTitle() == "Kasir's shift is open"
    dialog.reject()
    visitor.qtbot.waitUntil(window.no_shift_panel.isVisible, timeout=TIMEOUT)
    state = window.app_ctx.login_state
    assert (state.user.name, state.shift) == ("Maria", None)
    [row] = shift_rows(booth)
    assert (row.id, row.cashier_name) == (shift.id, "Kasir")
    assert [e.kind for e in shift_events(booth)] == ["open"]  # not closed, not handed over
    # the panel's button asks again what to do with Kasir's shift
    visitor.qtbot.mouseClick(window.no_shift_panel.open_button, Qt.MouseButton.LeftButton)
    visitor.wait_idle()
    again = visitor.wait_for(lambda: window.flow.dialog if window.flow.dialog is not dialog
                             else None)
    assert again.windowTitle() == "Kasir's shift is open"
    again.reject()


# -- the toolbar at 1024 and 1366 px in Indonesian ----------------------------------------------
# room left for fonts wider than the test machine's: at 1024 px the items need about 800 px
# here (the Back office menu holds what no longer fits beside Stock and Reports)
SLACK = 0.20


def toolbar_items(bar: QToolBar) -> list[tuple[str, QWidget]]:
    return [(action.text() or getattr(bar.widgetForAction(action), "text", str)(),
             bar.widgetForAction(action)) for action in bar.actions()
            if action.isVisible() and bar.widgetForAction(action) is not None]


@pytest.mark.parametrize("width", [1024, 1366])
@pytest.mark.parametrize("in_shift", [True, False], ids=["in a shift", "back office"])
def test_every_toolbar_item_is_inside_the_window_in_indonesian(qtbot, window: MainWindow,
                                                               booth, shift, width: int,
                                                               in_shift: bool) -> None:
    window.switch_language("id")
    qtbot.waitUntil(lambda: i18n.language() == "id", timeout=TIMEOUT)
    maria = auth.login(booth, "Maria", "2468")
    window.app_ctx.login_state.start(maria, shift if in_shift else None)
    size = QSize(width, 768)
    window.resize(size)
    qtbot.waitUntil(lambda: window.size() == size, timeout=TIMEOUT)
    QApplication.processEvents()
    bar = window.toolbar
    items = toolbar_items(bar)
    names = [name for name, _w in items]
    assert names == ["Lapak", "Festival UMKM Kupang 2026", "", "Shift  ▾", "Kunci", "ID  ▾",
                     "Riwayat penjualan", "Stok", "Laporan", "Kelola  ▾"]
    for name, widget in items:
        left = widget.mapTo(window, QPoint(0, 0)).x()
        assert widget.isVisible(), f"{name} is hidden at {width} px"
        assert 0 <= left and left + widget.width() <= window.width(), (
            f"{name} spans {left}..{left + widget.width()} of {window.width()} px")
    extension = [w for w in bar.findChildren(QWidget)
                 if type(w).__name__ == "QToolBarExtension" and w.isVisible()]
    assert extension == []  # no » arrow: nothing is folded away
    # what the items need at least (the event's name gives way) leaves room for wider fonts
    need = sum(w.minimumSize().width() if name == "" or w.property("role") == "event"
               else w.sizeHint().width() for name, w in items)
    need += bar.layout().spacing() * len(items) + 2 * bar.layout().contentsMargins().left()
    assert need <= width * (1 - SLACK), f"the toolbar needs {need} of {width} px"
    if not in_shift:  # the panel where the sale screen would be fits too
        about = window.no_shift_panel.about
        qtbot.waitUntil(window.no_shift_panel.isVisible, timeout=TIMEOUT)
        assert about.height() >= about.heightForWidth(about.width()) > 0
        try:  # the status bar fits itself once its labels have their texts
            qtbot.waitUntil(lambda: not problems(window, size), timeout=2000)
        except WaitTimeout:
            pass  # said below
        found = problems(window, size)
        assert not found, "\n".join(found)
