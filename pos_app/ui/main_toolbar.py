"""The main window's toolbar: the brand and event, then shift, lock, language, history, stock,
reports and the Back office menu (``ui/back_office_menu``); the window's keys (F6, F8, F9,
F10, F11, Ctrl+L, Ctrl+R, sync) ride on it.

The actions are kept on the window (``window.settings_action``, ...) so the window enables
and shows them as the session changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QSizePolicy, QToolBar, QToolButton, QWidget

from pos_app import i18n
from pos_app.i18n import LANGUAGES, _
from pos_app.ui.back_office_menu import build_back_office_menu
from pos_app.ui.common.labels import ElidedLabel
from pos_app.ui.shift.shift_menu import ShiftMenu
from pos_app.ui.sync.sync_screen import SHORTCUT as SYNC_KEY

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow

__all__ = ["make_toolbar"]


def make_toolbar(window: MainWindow) -> QToolBar:
    """A new toolbar for ``window`` in the current language; its actions are set on
    ``window``."""
    bar = QToolBar(_("Main"), window)
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
    bar.toggleViewAction().setVisible(False)
    brand = QLabel("Lapak", bar)
    brand.setProperty("role", "brand")
    event = ElidedLabel(window.app_ctx.context.event_name, bar)  # gives way on 1024 px
    event.setProperty("role", "event")
    spacer = QWidget(bar)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    bar.addWidget(brand)
    bar.addWidget(event)
    bar.addWidget(spacer)

    window.shift_menu = ShiftMenu(window.app_ctx, window, window.notify)
    bar.addWidget(window.shift_menu.button)
    window.lock_action = QAction(_("Lock"), window)
    window.lock_action.setShortcut(QKeySequence("F10"))
    window.lock_action.setToolTip(_("Lock the till; your PIN opens it again (F10)"))
    window.lock_action.triggered.connect(window.lock)
    bar.addAction(window.lock_action)
    window.addAction(window.lock_action)

    window.language_actions: dict[str, QAction] = {}
    menu = QMenu(window)
    group = QActionGroup(menu)
    for code, name in LANGUAGES.items():
        action = menu.addAction(name)
        action.setCheckable(True)
        action.setChecked(code == i18n.language())
        action.triggered.connect(lambda _c=False, c=code: window.switch_language(c))
        group.addAction(action)
        window.language_actions[code] = action
    window.language_button = QToolButton(bar)
    window.language_button.setText(f"{i18n.language().upper()}  ▾")  # the names: in its menu
    window.language_button.setToolTip(_("Language (Ctrl+L)"))
    window.language_button.setMenu(menu)
    window.language_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    bar.addWidget(window.language_button)

    window.history_action = QAction(_("Sales history"), window)
    window.history_action.setShortcut(QKeySequence("F8"))
    window.history_action.setToolTip(_("Find a sale, reprint its receipt, kwitansi (F8)"))
    window.history_action.triggered.connect(window.open_history)
    bar.addAction(window.history_action)
    window.addAction(window.history_action)

    # The toolbar button is shown to coordinators and admins; F6 works for everyone, so a
    # cashier who presses it is told why nothing opens.
    window.stock_action = QAction(_("Stock"), window)
    window.stock_action.setToolTip(_("On hand, receive goods, count, close-out (F6)"))
    window.stock_action.triggered.connect(window.open_stock)
    bar.addAction(window.stock_action)
    window.stock_key = QAction(window)
    window.stock_key.setShortcut(QKeySequence("F6"))
    window.stock_key.triggered.connect(window.open_stock)
    window.addAction(window.stock_key)

    # Reports, like stock: the button for coordinators and admins, Ctrl+R (every F-key is
    # taken at the till) for everyone, so a cashier who presses it is told why.
    window.reports_action = QAction(_("Reports"), window)
    window.reports_action.setToolTip(_("How the event is going: totals, breakdowns, "
                                     "charts (Ctrl+R)"))
    window.reports_action.triggered.connect(window.open_reports)
    bar.addAction(window.reports_action)
    window.reports_key = QAction(window)
    window.reports_key.setShortcut(QKeySequence("Ctrl+R"))
    window.reports_key.triggered.connect(window.open_reports)
    window.addAction(window.reports_key)

    # The other back-office screens (reconciliation, sync, settings, ...) are in the Back
    # office menu, which lists Stock and Reports too. Settings: F9 for everyone, so a
    # cashier who presses it is told why nothing opens.
    window.back_office = build_back_office_menu(window, bar)
    window.back_office.place(bar)
    window.settings_key = QAction(window)
    window.settings_key.setShortcut(QKeySequence("F9"))
    window.settings_key.triggered.connect(window.open_settings)
    window.addAction(window.settings_key)

    toggle = QAction(window)
    toggle.setShortcut(QKeySequence("Ctrl+L"))
    toggle.triggered.connect(window.toggle_language)
    window.addAction(toggle)
    window.sync_key = QAction(window)  # also a tap on the status bar's unsynced count
    window.sync_key.setShortcut(QKeySequence(SYNC_KEY))
    window.sync_key.triggered.connect(window.open_sync)
    window.addAction(window.sync_key)
    fullscreen = QAction(window)
    fullscreen.setShortcut(QKeySequence("F11"))
    fullscreen.triggered.connect(window.toggle_fullscreen)
    window.addAction(fullscreen)
    return bar

