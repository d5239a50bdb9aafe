"""The desktop app (PySide6): the sale screen, its dialogs, Qt models over plain rows, ops."""

__all__ = [
    "access",
    "app",
    "common",
    "display",
    "fonts",
    "history",
    "main_toolbar",
    "main_window",
    "qt_words",
    "reporting",
    "sale",
    "setup",
    "shift",
    "stock",
    "sync",
]
