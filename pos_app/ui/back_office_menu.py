"""The toolbar's "Back office" menu: every screen a coordinator or admin works in without a
cash shift (stock, reports, reconciliation, sync, settings, ...), one ``add_action`` line each.

A new back-office screen hangs itself here with one line in :func:`build_back_office_menu`:
its text, the window's method that opens it, and the duty (``services.access.roles``) that
shows it. An entry is shown when the logged-in user holds its duty and enabled whenever
someone is at the till, unlocked, with or without a shift.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolBar, QToolButton, QWidget

from pos_app.i18n import _
from pos_app.ui.access.login_state import LoginState
from pos_app.ui.access.users_entry import open_users
from pos_app.ui.reporting.settlement_action import SettlementAction

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow

__all__ = ["BackOfficeMenu", "build_back_office_menu"]


class BackOfficeMenu:
    """A toolbar button with a menu of back-office screens, each with the duty it needs."""

    def __init__(self, window: QWidget, parent: QWidget) -> None:
        self.window = window
        self.menu = QMenu(window)
        self.button = QToolButton(parent)
        self.button.setText(_("Back office") + "  ▾")
        self.button.setToolTip(_("Stock, reports, reconciliation, sync and settings: no cash "
                                 "shift needed"))
        self.button.setMenu(self.menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.entries: list[tuple[QAction, str]] = []
        self.bar_action: QAction | None = None  # the button's place on a toolbar

    def place(self, bar: QToolBar) -> None:
        """Put the button on ``bar`` (a toolbar shows or hides it through this place)."""
        self.bar_action = bar.addWidget(self.button)

    def add_action(self, text: str, handler: Callable[[], None], duty: str = "back_office",
                   tip: str = "") -> QAction:
        """A new entry: ``text`` runs ``handler``, shown to those who hold ``duty``."""
        action = QAction(text, self.window)
        if tip:
            action.setToolTip(tip)
        action.triggered.connect(lambda _c=False: handler())
        return self.add_existing(action, duty)

    def add_existing(self, action: QAction, duty: str = "back_office") -> QAction:
        """An action that is also elsewhere (a toolbar button), listed here too."""
        self.menu.addAction(action)
        self.entries.append((action, duty))
        return action

    def refresh(self, login_state: LoginState) -> None:
        """Show what the user may do; enable it while someone is at the (unlocked) till."""
        for action, duty in self.entries:
            action.setVisible(login_state.can(duty))
            action.setEnabled(login_state.present)
        shown = any(action.isVisible() for action, _duty in self.entries)
        if self.bar_action is not None:
            self.bar_action.setVisible(shown)
        else:
            self.button.setVisible(shown)
        self.button.setEnabled(login_state.present)


def build_back_office_menu(window: MainWindow, parent: QWidget) -> BackOfficeMenu:
    """The menu for ``window``: the toolbar's own Stock and Reports first, then the screens
    that are only here. The actions are kept on the window (``window.reconcile_action``, ...)."""
    menu = BackOfficeMenu(window, parent)
    menu.add_existing(window.stock_action)
    menu.add_existing(window.reports_action)
    window.settlement_action = menu.add_existing(SettlementAction(window), "settlement")
    window.reconcile_action = menu.add_action(
        _("Reconcile"), window.open_reconcile,
        tip=_("Match QRIS and transfer payments to the bank statement"))
    window.sync_action = menu.add_action(_("Sync"), window.open_sync,
                                         tip=_("Sync with the central database"))
    window.settings_action = menu.add_action(_("Settings"), window.open_settings, "settings",
                                             tip=_("Settings (F9)"))
    window.users_action = menu.add_action(_("Users"), lambda: open_users(window),
                                          "manage_users",
                                          tip=_("Add users, reset PINs, change roles"))
    # more back-office screens: one add_action line each, above or below
    return menu
