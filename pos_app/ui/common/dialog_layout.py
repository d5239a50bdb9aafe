"""How a dialog is laid out: a heading and a line that says what to do, Cancel on the left
and the dialog's action on the right, and the keys its buttons show."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget
from shiboken6 import isValid


def titled(dialog: QDialog, title: str, note: str) -> QVBoxLayout:
    """The dialog's layout, starting with its heading and a line that says what to do."""
    dialog.setWindowTitle(title)
    dialog.setModal(True)
    dialog.setMaximumSize(screen_room(dialog))  # never past the screen: its buttons in reach
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(12)
    heading = QLabel(title, dialog)
    heading.setProperty("role", "heading")
    caption = QLabel(note, dialog)
    caption.setProperty("role", "caption")
    caption.setWordWrap(True)
    layout.addWidget(heading)
    layout.addWidget(caption)
    reserve_lines(caption, dialog.minimumWidth() - 48)
    dialog.caption_label = caption  # type: ignore[attr-defined]  # a later step may reword it
    return layout


def screen_room(widget: QWidget | None = None) -> QSize:
    """The room on the screen ``widget`` is on (the primary one before it is shown), less the
    taskbar: no window may be bigger than this."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else QSize(1024, 768)


def fit_to_screen(dialog: QWidget, width: int = 0, height: int = 0) -> None:
    """Open ``dialog`` at ``width`` x ``height`` (its own size if 0), or smaller on a small
    screen; it never grows past the screen, so its buttons stay within reach."""
    room = screen_room(dialog)
    dialog.setMaximumSize(room)
    dialog.resize(min(width or dialog.width(), room.width()),
                  min(height or dialog.height(), room.height()))


def reserve_lines(label: QLabel, width: int) -> None:
    """Give a word-wrapped label the height its text needs at ``width`` up front: a dialog
    sized before the text wraps would otherwise squeeze (and clip) what is under it."""
    if width > 0:
        label.ensurePolished()
        label.setMinimumHeight(label.heightForWidth(width))


def shortcut(dialog: QWidget, key: str, handler) -> None:
    """``key`` anywhere in the dialog runs ``handler`` (the key its button shows)."""
    action = QAction(dialog)
    action.setShortcut(QKeySequence(key))
    action.triggered.connect(lambda _c=False: handler())
    dialog.addAction(action)


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """Cancel on the left, the dialog's action on the right."""
    row = QHBoxLayout()
    for i, button in enumerate(buttons):
        if i == len(buttons) - 1:
            row.addStretch(1)
        row.addWidget(button)
    return row


def drop_closed(dialog: QDialog | None) -> None:
    """Delete the last closed dialog of a kind before opening the next. A closed dialog kept
    as a child of the screen stays in every later focus change and repaint: a till that kept
    its payment dialogs got slower with every sale of the day."""
    if dialog is not None and isValid(dialog) and not dialog.isVisible():
        dialog.deleteLater()
