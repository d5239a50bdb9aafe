"""Opens the users screen (administrators, from the Back office menu); the screen itself
(:mod:`pos_app.ui.access.users_screen`) loads when it is first opened, not at start-up."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

__all__ = ["open_users"]


def open_users(window: QMainWindow):
    """:func:`pos_app.ui.access.users_screen.open_users`, imported when first used."""
    from pos_app.ui.access.users_screen import open_users as open_screen

    return open_screen(window)
