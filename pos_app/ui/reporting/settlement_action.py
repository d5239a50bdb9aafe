"""A Settlement action for the main window's back office (a toolbar or menu entry; the
reports screen has a Settlement button of its own). Light on purpose: the settlement screen
(and what it imports) loads when the action is first triggered, not when the window is
built."""

from __future__ import annotations

from PySide6.QtGui import QAction

from pos_app.i18n import _


class SettlementAction(QAction):
    """Shown to coordinators and admins, usable while someone is at the till; it follows
    the login state."""

    def __init__(self, main_window) -> None:
        super().__init__(_("Settlement"), main_window)
        self.main_window = main_window
        self.setToolTip(_("Each facility's sales proceeds and their split; PDF and printed "
                          "summary"))
        self.triggered.connect(self.open)
        main_window.app_ctx.login_state.changed.connect(self.follow)  # gone with the action
        self.follow()

    def follow(self) -> None:
        state = self.main_window.app_ctx.login_state
        self.setVisible(state.can("settlement"))
        self.setEnabled(state.present)  # back office: no cash shift needed

    def open(self) -> None:
        from pos_app.ui.reporting.settlement_screen import open_settlement

        open_settlement(self.main_window)
