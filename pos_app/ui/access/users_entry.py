"""The toolbar's Users button, shown to administrators; the users screen itself
(:mod:`pos_app.ui.access.users_screen`) loads when it is first opened, not at start-up."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QToolBar
from shiboken6 import isValid

from pos_app.i18n import _

__all__ = ["open_users", "users_action"]


def open_users(window: QMainWindow):
    """:func:`pos_app.ui.access.users_screen.open_users`, imported when first used."""
    from pos_app.ui.access.users_screen import open_users as open_screen

    return open_screen(window)


def users_action(window: QMainWindow, bar: QToolBar) -> QAction:
    """Add the Users button to ``bar``: visible to administrators, it opens the users
    screen; kept current as people log in, lock and log out."""
    action = QAction(_("Users"), window)
    action.setToolTip(_("Add users, reset PINs, change roles"))
    action.triggered.connect(lambda _c=False: open_users(window))
    bar.addAction(action)
    login_state = window.app_ctx.login_state

    def update() -> None:
        if isValid(action):
            action.setVisible(login_state.can("manage_users"))
            action.setEnabled(login_state.user is not None and not login_state.locked)

    login_state.changed.connect(update)
    update()
    return action
