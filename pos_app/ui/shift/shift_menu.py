"""The Shift menu on the toolbar: cash in, cash out, X report, hand over, close (blind).

Each entry opens its dialog over the main window; what follows (a new cashier after a
handover, the login screen after a close) is told to the session.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QToolButton, QWidget

from pos_app.domain.money import format_rupiah
from pos_app.i18n import _
from pos_app.services.access import approvals
from pos_app.services.access.auth import AuthUser
from pos_app.services.shift import shifts
from pos_app.services.shift.shifts import CloseResult
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.dialog_layout import drop_closed


class ShiftMenu(QObject):
    """Owns the toolbar button and its actions; ``notify(text)`` shows a quiet message."""

    def __init__(self, app_ctx: AppContext, window: QWidget, notify) -> None:
        super().__init__(window)
        self.app_ctx, self.window, self.notify = app_ctx, window, notify
        self.dialog: QDialog | None = None  # the shift dialog on screen now (tests, shots)
        self.approval: QDialog | None = None  # a coordinator's PIN prompt on screen now
        self.menu = QMenu(window)
        self.cash_in_action = self._action(_("Cash in…"), lambda: self.cash_move("cash_in"))
        self.cash_out_action = self._action(_("Cash out…"), lambda: self.cash_move("cash_out"))
        self.menu.addSeparator()
        self.x_report_action = self._action(_("X report"), self.x_report)
        self.handover_action = self._action(_("Hand over…"), self.handover)
        self.drawer_action = self._action(_("Open the cash drawer (no sale)…"), self.open_drawer)
        self.menu.addSeparator()
        self.close_action = self._action(_("Close shift…"), lambda: self.close())
        self.button = QToolButton(window)
        self.button.setText(_("Shift") + "  ▾")
        self.button.setToolTip(_("Cash in and out, X report, hand over, close the shift"))
        self.button.setMenu(self.menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

    def _action(self, text: str, handler) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(lambda _c=False: handler())
        return action

    def set_enabled(self, enabled: bool) -> None:
        self.button.setEnabled(enabled)
        for action in self.menu.actions():
            action.setEnabled(enabled)

    def _open(self, dialog: QDialog) -> QDialog:
        """Show ``dialog``; the one before it (closed by now) is deleted."""
        drop_closed(self.dialog)
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- entries ----------------------------------------------------------------------------
    def cash_move(self, kind: str) -> None:
        if not self.app_ctx.login_state.ready:
            return
        from pos_app.ui.shift.shift_dialogs import CashMoveDialog

        dialog = CashMoveDialog(self.app_ctx, kind, self.window)
        text = _("Cash in: {amount}") if kind == "cash_in" else _("Cash out: {amount}")
        dialog.moved.connect(lambda amount: self.notify(text.format(
            amount=format_rupiah(amount))))
        self._open(dialog)

    def x_report(self) -> None:
        shift_id = self.app_ctx.login_state.shift_id
        if self.app_ctx.login_state.ready and shift_id is not None:
            from pos_app.ui.reporting.report_dialog import ReportDialog

            self._open(ReportDialog(self.app_ctx, shift_id, "x", self.window))

    def handover(self) -> None:
        if not self.app_ctx.login_state.ready:
            return
        from pos_app.ui.shift.handover_dialog import HandoverDialog

        dialog = HandoverDialog(self.app_ctx, parent=self.window)
        dialog.handed_over.connect(self._handed_over)
        self._open(dialog)

    def open_drawer(self) -> None:
        """A cashier needs a coordinator's PIN; the opening is journaled before the pulse."""
        login_state = self.app_ctx.login_state
        user = login_state.user
        if not login_state.ready or user is None:
            return
        shift_id = login_state.shift_id
        from pos_app.ui.history.approval_dialog import with_approval

        def proceed(approval_id) -> None:
            self.app_ctx.printer.drawer(shift_id, user.name, user.role, approval_id,
                                         self._drawer_done, owner=self)

        self.approval = with_approval(self.app_ctx, self.window, "open_drawer",
                                      approvals.drawer_subject(shift_id), proceed,
                                      _("Open the cash drawer without a sale."))

    def _drawer_done(self, result) -> None:
        self.notify(_("Cash drawer opened") if result.printed else result.message)

    def _handed_over(self, user: AuthUser) -> None:
        self.app_ctx.ops.run(shifts.current_shift, self.app_ctx.booth,
                          on_success=lambda shift: self.app_ctx.login_state.start(user, shift),
                          owner=self)

    def close(self, end_on_cancel: bool = False) -> None:
        """The blind close; afterwards (Done) nobody is logged in. ``end_on_cancel``: the
        close was the reason to log in (a coordinator closing someone else's shift)."""
        login_state = self.app_ctx.login_state
        if login_state.user is None or login_state.shift is None:
            return
        from pos_app.ui.shift.close_shift_dialog import CloseShiftDialog

        dialog = CloseShiftDialog(self.app_ctx, self.window)
        state = {"closed": False}

        def closed(_result: CloseResult) -> None:
            state["closed"] = True

        def finished(_code: int) -> None:
            if state["closed"] or end_on_cancel:
                login_state.end()

        dialog.closed.connect(closed)
        dialog.finished.connect(finished)
        self._open(dialog)
