"""Who is at the till and which shift is open: the session, and the idle timer that locks it.

The session is plain state on the GUI thread (a proven ``AuthUser``, the open ``ShiftRow``,
locked or not); screens listen to :attr:`Session.changed`. Nothing here touches the disk.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QInputEvent
from PySide6.QtWidgets import QApplication

from pos_app.services.access import roles
from pos_app.services.access.auth import AuthUser
from pos_app.services.shift.shifts import ShiftRow

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress,
})



class LoginState(QObject):
    """The logged-in user (None: nobody), the open shift on this device and the lock."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.user: AuthUser | None = None
        self.shift: ShiftRow | None = None
        self.locked = False

    @property
    def cashier(self) -> str:
        return self.user.name if self.user is not None else ""

    @property
    def shift_id(self) -> uuid.UUID | None:
        return self.shift.id if self.shift is not None else None

    @property
    def present(self) -> bool:
        """Someone is logged in and the till is not locked: the back-office screens may be
        used (as the role allows), with or without a shift."""
        return self.user is not None and not self.locked

    @property
    def ready(self) -> bool:
        """Someone is logged in, not locked, with an open shift: the sale screen may be used."""
        return self.present and self.shift is not None

    @property
    def in_back_office(self) -> bool:
        """Logged in without a shift (a coordinator or admin who did not open one): the
        back office, but no selling."""
        return self.present and self.shift is None

    def can(self, action: str) -> bool:
        """May the logged-in user ``action`` on their own (``roles.can``)? Nobody may not."""
        return roles.can(self.user, action)

    def start(self, user: AuthUser, shift: ShiftRow | None) -> None:
        """``user`` at the till, with ``shift`` (None: the back office only)."""
        self.user, self.shift, self.locked = user, shift, False
        self.changed.emit()

    def set_shift(self, shift: ShiftRow | None) -> None:
        self.shift = shift
        self.changed.emit()

    def lock(self) -> None:
        if self.user is not None and not self.locked:
            self.locked = True
            self.changed.emit()

    def unlock(self) -> None:
        if self.locked:
            self.locked = False
            self.changed.emit()

    def end(self) -> None:
        """Log out (after a close): nobody at the till and no shift."""
        self.user, self.shift, self.locked = None, None, False
        self.changed.emit()


class IdleWatcher(QObject):
    """Fires :attr:`idle` after ``minutes`` without a key, a tap or a mouse move anywhere in
    the application. Watches the whole application with an event filter."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self._minutes = 0
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self._minutes = minutes
        self.poke()

    @property
    def interval_ms(self) -> int:
        return self._minutes * 60_000

    def poke(self) -> None:
        """Something happened: start counting again (or stop, when switched off)."""
        if self._minutes > 0:
            self._timer.start(self.interval_ms)
        else:
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # every event of the application passes here: the cheap class test first
        if isinstance(event, QInputEvent) and event.type() in INPUT_EVENTS and self._minutes > 0:
            self._timer.start(self.interval_ms)
        return False

    def detach(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()
