"""What happens after a PIN is accepted: unlock, open a shift, continue one, or take over (or
close) someone else's.

- the locked user again: unlocked, the cart as it was;
- no shift open on this device: the float is counted and the shift opened;
- the user's own shift open: straight to the sale screen;
- someone else's shift open: take it over with a blind count (a handover), log in as that
  cashier instead, or, for a coordinator or admin, close it. Cancelling goes back to the
  login (or lock) screen; nothing changes hands without a handover.

A coordinator or admin who cancels (no shift opened, none taken over) is not sent back:
she is in the back office (stock, reports, settings, ...) and the sale screen asks her to
open a shift before selling (:meth:`LoginFlow.start_selling`). A cashier needs a shift.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget
from shiboken6 import isValid

from pos_app.domain.calendar import local_time
from pos_app.i18n import _
from pos_app.services.access import roles
from pos_app.services.access.auth import AuthUser
from pos_app.services.shift import shifts
from pos_app.services.shift.shifts import ShiftRow
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import titled

TAKE_OVER, AS_CASHIER, CLOSE = "take_over", "as_cashier", "close"


def clock_text(moment: datetime) -> str:
    """The time of day as the language writes it: 00:37 in English, 00.37 in Indonesian."""
    return _("{hour}:{minute}").format(hour=f"{moment:%H}", minute=f"{moment:%M}")


class ShiftOpenDialog(QDialog):
    """Someone else's shift is open here: what now? :attr:`chosen` gives the answer."""

    chosen = Signal(str)

    def __init__(self, user: AuthUser, shift: ShiftRow, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(600)
        opened = local_time(shift.opened_at, timezone)
        layout: QVBoxLayout = titled(self, _("{cashier}'s shift is open").format(
            cashier=shift.cashier), _(
            "The shift on this till was opened on {date} at {time} and is now {cashier}'s. "
            "Take it over with a count of the drawer, or let {cashier} log in.").format(
                date=f"{opened:%d/%m}", time=clock_text(opened), cashier=shift.cashier))
        self.buttons: dict[str, TouchButton] = {}
        choices = [(TAKE_OVER, _("Take over the shift (count the drawer)"), "primary"),
                   (AS_CASHIER, _("Log in as {cashier} instead").format(cashier=shift.cashier),
                    None)]
        if roles.can(user, "close_shift_of"):
            choices.append((CLOSE, _("Close {cashier}'s shift").format(cashier=shift.cashier),
                            "danger"))
        for key, text, role in choices:
            button = TouchButton(text, self, role=role)
            button.clicked.connect(lambda _c=False, k=key: self._choose(k))
            layout.addWidget(button)
            self.buttons[key] = button
        cancel = TouchButton(_("Cancel"), self, key="Esc")
        cancel.clicked.connect(self.reject)
        layout.addWidget(cancel)

    def _choose(self, key: str) -> None:
        self.chosen.emit(key)
        self.accept()


class LoginFlow(QObject):
    """Drives the steps after a login. ``window`` gives the parent for the dialogs, shows the
    login or lock screen again (``back_to_login(name)``) and closes shifts (``close_shift``)."""

    def __init__(self, app_ctx: AppContext, window: QWidget,
                 back_to_login: Callable[[str], None],
                 close_shift: Callable[[], None]) -> None:
        super().__init__(window)
        self.app_ctx, self.window = app_ctx, window
        self.back_to_login, self.close_shift = back_to_login, close_shift
        self.dialog: QDialog | None = None  # the step on screen now (tests, screenshots)

    def logged_in(self, user: AuthUser) -> None:
        login_state = self.app_ctx.login_state
        if login_state.locked and login_state.user is not None and login_state.user.id == user.id:
            login_state.unlock()
            return
        self.start_selling(user)

    def start_selling(self, user: AuthUser) -> None:
        """Find this device's shift and go on from there: open one, continue it, or decide
        about someone else's (also from the back office's "open a shift" button)."""
        self.app_ctx.ops.run(shifts.current_shift, self.app_ctx.booth,
                          on_success=lambda shift: self._with_shift(user, shift), owner=self)

    def _cancelled(self, user: AuthUser) -> None:
        """No shift after all: the back office for a coordinator or admin, else the login."""
        login_state = self.app_ctx.login_state
        if roles.can(user, "back_office") and not login_state.locked:
            login_state.start(user, None)
        else:
            self.back_to_login("")

    def _with_shift(self, user: AuthUser, shift: ShiftRow | None) -> None:
        login_state = self.app_ctx.login_state
        if shift is None:
            if login_state.locked:  # the locked shift was closed elsewhere (the command line)
                login_state.end()
            from pos_app.ui.shift.shift_dialogs import OpenShiftDialog

            dialog = OpenShiftDialog(self.app_ctx, user, self.window)
            dialog.opened.connect(lambda row: login_state.start(user, row))
            dialog.rejected.connect(lambda: self._cancelled(user))
            self._show(dialog)
        elif shift.cashier == user.name:
            login_state.start(user, shift)
        else:
            dialog = ShiftOpenDialog(user, shift, self.app_ctx.context.timezone, self.window)
            dialog.chosen.connect(lambda key: self._chosen(key, user, shift))
            dialog.rejected.connect(lambda: self._cancelled(user))
            self._show(dialog)

    def _chosen(self, key: str, user: AuthUser, shift: ShiftRow) -> None:
        login_state = self.app_ctx.login_state
        if key == AS_CASHIER:
            self.back_to_login(shift.cashier)
        elif key == TAKE_OVER:
            previous = (login_state.user, login_state.shift, login_state.locked)
            login_state.shift = shift  # the handover dialog hands over this shift
            from pos_app.ui.shift.handover_dialog import HandoverDialog

            dialog = HandoverDialog(self.app_ctx, taker=user, parent=self.window)
            dialog.handed_over.connect(lambda taker: self._refresh_shift(taker))

            def cancelled() -> None:
                login_state.user, login_state.shift, login_state.locked = previous
                self.back_to_login("")

            dialog.rejected.connect(cancelled)
            self._show(dialog)
        elif key == CLOSE:
            login_state.start(user, shift)
            self.close_shift()

    def _refresh_shift(self, user: AuthUser) -> None:
        """After a handover: the shift as it is now (its cashier is ``user``)."""
        self.app_ctx.ops.run(shifts.current_shift, self.app_ctx.booth,
                          on_success=lambda shift: self.app_ctx.login_state.start(user, shift),
                          owner=self)

    def _show(self, dialog: QDialog) -> None:
        """Show ``dialog``; the one before it (closed by now) is deleted."""
        if self.dialog is not None and isValid(self.dialog) and not self.dialog.isVisible():
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()
