"""Banners on the sale screen lie over it; they never move the grid (a finger on its way to a
product must find it where it was). The change banner of the last sale lies over the top of
the emptied cart, the screen's notices over the top of the grid: each visible, on top, inside
the window, with a close button a finger can hit, and clear of the cart's TOTAL and Pay."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from pos_app.domain.tenders import Method
from tests.gui.cashier import Cashier, print_jobs, use_printer
from tests.integration.fake_printer import refused_port

KOPI_BAJAWA = "8994111000016"  # Rp85.000
TOUCH = 44
TIMEOUT = 10_000
PRINT_WAIT = 20_000  # ms: a refused connection fails at once; generous all the same
LONG = ("Stock below zero for Kopi Arabika Flores Bajawa 250 g, Selendang Tenun Ikat Amarasi, "
        "Keripik Pisang Sambal Lu'at: recorded; tell the coordinator to check the stock.")


def rect_in(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def places(cashier: Cashier) -> dict[str, tuple[int, int, int, int]]:
    """Where the grid (and its list of products) and the cart's parts lie in the window."""
    QApplication.processEvents()
    screen, window = cashier.screen, cashier.window
    return {name: rect_in(widget, window).getRect() for name, widget in (
        ("grid", screen.grid), ("products", screen.grid.view.viewport()),
        ("cart", screen.panel), ("total", screen.panel.total_label),
        ("pay", screen.panel.pay_button))}


def lies_over(banner: QWidget, cashier: Cashier) -> list[str]:
    """What is wrong with where ``banner`` (shown) lies."""
    window, panel = cashier.window, cashier.screen.panel
    QApplication.processEvents()
    where = rect_in(banner, window)
    wrong = []
    if not banner.isVisible() or where.isEmpty():
        return [f"not shown: {where.getRect()}"]
    if not window.rect().contains(where):
        wrong.append(f"{where.getRect()} is outside the window {window.rect().getRect()}")
    for spot in (where.center(), where.topLeft() + QPoint(4, 4),
                 where.bottomRight() - QPoint(4, 4)):
        top = window.childAt(spot)
        if top is not banner and not banner.isAncestorOf(top):
            wrong.append(f"{type(top).__name__} lies over it at {spot.toTuple()}")
    for name, widget in (("TOTAL", panel.total_label), ("Pay", panel.pay_button)):
        if where.intersects(rect_in(widget, window)):
            wrong.append(f"it covers {name}")
    for label in banner.findChildren(QLabel):  # every line of its text shown
        if label.isVisible() and label.height() < label.heightForWidth(label.width()):
            wrong.append(f"{label.text()!r} is cut: {label.height()} px high")
    [close] = [b for b in banner.findChildren(QPushButton) if b.text() == "×"]
    if close.width() < TOUCH or close.height() < TOUCH:
        wrong.append(f"its × is {close.width()}x{close.height()}")
    return wrong


@pytest.fixture(params=[(1024, 768), (1366, 768), (1920, 1080)], ids=lambda p: f"{p[0]}x{p[1]}")
def at_size(request, cashier: Cashier, qtbot) -> Cashier:
    size = QSize(*request.param)
    cashier.window.resize(size)
    qtbot.waitUntil(lambda: cashier.window.size() == size, timeout=TIMEOUT)
    cashier.wait_idle()
    return cashier


def test_the_change_banner_lies_over_the_cart_and_moves_nothing(at_size: Cashier) -> None:
    cashier = at_size
    screen = cashier.screen
    banner = screen.panel.sale_banner
    empty = places(cashier)  # an empty cart, no banner
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CASH, "100000")
    cashier.confirm(dialog)
    assert banner.text() == "Sale KPG-01-000001 — change Rp15.000"
    assert places(cashier) == empty  # the cart is empty again; the banner moved nothing
    assert lies_over(banner, cashier) == []
    cart_top = rect_in(screen.panel, cashier.window).top()
    assert rect_in(banner, cashier.window).top() < cart_top + 40  # at the top of the cart

    banner.show_message(LONG + " " + LONG, "success")  # a longer text: more lines, still clear
    assert places(cashier) == empty
    assert lies_over(banner, cashier) == []

    [close] = [b for b in banner.findChildren(QPushButton) if b.text() == "×"]
    cashier.qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert banner.isHidden()
    assert places(cashier) == empty


def test_notices_lie_over_the_top_of_the_grid_and_move_nothing(at_size: Cashier) -> None:
    cashier = at_size
    screen, window = cashier.screen, cashier.window
    before = places(cashier)
    cashier.scan("0000000000000")  # no such product: an error notice
    assert screen.notice.text() == "No product has the code “0000000000000”"
    assert places(cashier) == before
    assert lies_over(screen.notice, cashier) == []
    grid = rect_in(screen.grid, window)
    notice = rect_in(screen.notice, window)
    assert grid.contains(notice), (notice.getRect(), grid.getRect())  # over the grid, in it
    assert notice.top() < grid.top() + 20

    screen.notice.show_message(LONG, "warning")  # reworded: taller, still over, still clear
    assert places(cashier) == before
    assert lies_over(screen.notice, cashier) == []

    with refused_port() as port:  # a receipt that does not print: its warning comes under
        use_printer(window, cashier.window.app_ctx.booth, f"tcp://127.0.0.1:{port}")
        cashier.scan(KOPI_BAJAWA)
        dialog = cashier.open_payment()
        cashier.tender(dialog, Method.CASH, "85000")
        screen.notice.show_message(LONG, "warning")  # (a sale clears the notice)
        cashier.confirm(dialog)
        screen.notice.show_message(LONG, "warning")
        warning = screen.print_warning
        cashier.qtbot.waitUntil(lambda: warning.text() != "", timeout=PRINT_WAIT)
    assert len(print_jobs(window.app_ctx.booth)) == 1
    assert places(cashier) == before
    assert lies_over(screen.notice, cashier) == []
    assert lies_over(warning, cashier) == []
    assert rect_in(warning, window).top() > rect_in(screen.notice, window).bottom()

    screen.notice.clear()  # the first goes: the second moves up to the top
    QApplication.processEvents()
    assert rect_in(warning, window).top() == notice.top()
    assert lies_over(warning, cashier) == []
    assert places(cashier) == before
