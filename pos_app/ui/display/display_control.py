"""Puts the customer display where the settings say: nowhere (``customer_display`` off, the
default), a plain resizable window (a small USB display), or full screen on a second screen
when one is attached (a window until one is; back to a window when it is unplugged).

It follows the settings and the catalog through the change hub, the screens through Qt, the
language through the main window; and it keeps the focus on the cashier's side: should the
display ever be activated (a window manager, a tap on a touch display), the window that had
the focus gets it straight back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QGuiApplication, QScreen, QWindow
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from pos_app.services.setup.booth import booth_name
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.changes import Change

if TYPE_CHECKING:
    from pos_app.services.catalog.showcase import ShowcaseFacility
    from pos_app.ui.display.display_window import CustomerDisplay

WINDOW_SIZE = (800, 480)  # the window's first size: a common small USB display


def target_screen(mode: str, number: int, screens: list[QScreen],
                  cashier: QScreen | None) -> QScreen | None:
    """The screen the display fills, None for a plain window: with ``mode`` "screen", screen
    ``number`` (counted from 1) unless it is missing or the cashier's own, else the first
    screen that is not the cashier's; none when there is only one."""
    if mode != "screen":
        return None
    others = [s for s in screens if s is not cashier]
    if not others:
        return None
    if 1 <= number <= len(screens) and screens[number - 1] is not cashier:
        return screens[number - 1]
    return others[0]


class DisplayControl(QObject):
    def __init__(self, app_ctx: AppContext, cashier: QWidget) -> None:
        super().__init__(cashier)
        self.app_ctx, self.cashier = app_ctx, cashier
        self.view: CustomerDisplay | None = None
        self.facilities: list[ShowcaseFacility] = []
        self.last_focus: QWindow | None = None
        app_ctx.changes.listen(self, (Change.SETTINGS,), lambda _c: self.apply())
        app_ctx.changes.listen(self, (Change.CATALOG,), lambda _c: self.load_showcase())
        app = QGuiApplication.instance()
        app.screenAdded.connect(self._screens_changed)
        app.screenRemoved.connect(self._screens_changed)
        app.focusWindowChanged.connect(self._focus_moved)
        QCoreApplication.instance().aboutToQuit.connect(self.close_view)
        self.destroyed.connect(self._drop_view(lambda: self.view))
        self.apply()

    @staticmethod
    def _drop_view(current):
        def drop(*_args: object) -> None:
            view = current()
            if view is not None and isValid(view):
                view.close()
                view.deleteLater()
        return drop

    # -- on or off ----------------------------------------------------------------------
    def apply(self) -> None:
        """Follow the settings: open, place or close the display; the booth's name and the
        facility texts may have changed too."""
        if self.app_ctx.settings.customer_display == "off":
            self.close_view()
            return
        if self.view is None:
            self.open_view()
        self.view.set_booth(self.booth_name())
        self.place()
        self.load_showcase()

    def booth_name(self) -> str:
        return booth_name(self.app_ctx.settings.booth_name, self.app_ctx.context.event_name)

    def open_view(self) -> None:
        from pos_app.ui.display.display_window import CustomerDisplay

        view = CustomerDisplay(self.booth_name())
        view.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)  # the till's window decides
        view.set_showcase(self.facilities)
        feed = self.app_ctx.display
        feed.connect_view(view)
        if feed.lines:
            view.cart_changed(feed.lines, feed.total)
        self.view = view

    def close_view(self) -> None:
        view, self.view = self.view, None
        if view is not None and isValid(view):
            view.close()
            view.deleteLater()

    def retranslate(self) -> None:
        """The language changed: the display again, in it."""
        if self.view is not None:
            self.close_view()
            self.apply()

    # -- where --------------------------------------------------------------------------
    def place(self) -> None:
        """Full screen on the chosen screen when there is one, else a plain window; shown
        without taking the focus."""
        view = self.view
        if view is None:
            return
        settings = self.app_ctx.settings
        screen = target_screen(settings.customer_display, settings.customer_display_screen,
                               QGuiApplication.screens(), self.cashier.screen())
        frameless = bool(view.windowFlags() & Qt.WindowType.FramelessWindowHint)
        if frameless != (screen is not None):  # changing flags hides the window
            view.setWindowFlag(Qt.WindowType.FramelessWindowHint, screen is not None)
        if screen is not None:
            view.setScreen(screen)
            view.setGeometry(screen.geometry())
            view.setWindowState(Qt.WindowState.WindowFullScreen)
        elif view.windowState() & Qt.WindowState.WindowFullScreen:
            view.setWindowState(Qt.WindowState.WindowNoState)
            view.setScreen(self.cashier.screen())
            view.resize(*WINDOW_SIZE)
        view.show()  # never showFullScreen(): that activates the window

    def _screens_changed(self, _screen: QScreen) -> None:
        self.place()

    def _focus_moved(self, window: QWindow | None) -> None:
        view = self.view
        if window is None or view is None or not isValid(view):
            return
        if window is view.windowHandle():
            back = self.last_focus
            if back is None or not isValid(back) or not back.isVisible():
                back = self.cashier.windowHandle()
            if back is not None:
                back.requestActivate()
        else:
            self.last_focus = window

    # -- between customers ----------------------------------------------------------------
    def load_showcase(self) -> None:
        """Read the facilities and their goods (an op, off the sale's path)."""
        if self.view is None:
            return
        from pos_app.services.catalog.showcase import showcase

        self.app_ctx.ops.run(showcase, self.app_ctx.booth, on_success=self._showcase_read,
                             owner=self, key="display-showcase", background=True)

    def _showcase_read(self, facilities: list[ShowcaseFacility]) -> None:
        self.facilities = facilities
        if self.view is not None:
            self.view.set_showcase(facilities)
