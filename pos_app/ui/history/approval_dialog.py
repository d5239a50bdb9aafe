"""A coordinator's approval, asked for on the spot: when the logged-in cashier wants to do
something above their role (``roles.needs_approval``), a coordinator or admin picks their own
name and types their PIN; ``approvals.approve`` records the approval (naming both people) and
gives a single-use token that the action then spends in its own transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from pos_app.i18n import _
from pos_app.services.access import approvals, auth, roles
from pos_app.services.access.approvals import ApprovalToken
from pos_app.services.access.auth import UserInfo
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.busy import BusyDialog
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import button_row, reserve_lines, titled
from pos_app.ui.common.ops import OpFailure
from pos_app.ui.common.pin_pad import PinField, PinPad, UserPicker


def action_label(action: str) -> str:
    return {
        "void": _("Voiding a sale"),
        "refund": _("A refund"),
        "discount": _("A large discount"),
        "open_drawer": _("Opening the drawer without a sale"),
    }.get(action, action)


class ApprovalDialog(BusyDialog):
    approved = Signal(object)  # ApprovalToken

    def __init__(self, app_ctx: AppContext, action: str, subject: str | approvals.CartChange,
                 detail: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(app_ctx, parent)
        self.action, self.subject = action, subject
        self.token: ApprovalToken | None = None
        self.setMinimumWidth(760)
        note = _("{what} needs a coordinator's approval. The coordinator picks their name and "
                 "types their own PIN.").format(what=action_label(action))
        layout = titled(self, _("Approval needed"), note)
        # What exactly is approved (the sale, the amount, the reason): read before the PIN.
        self.about = QLabel(detail, self)
        self.about.setProperty("role", "field")
        self.about.setWordWrap(True)
        self.about.setVisible(bool(detail))
        reserve_lines(self.about, self.minimumWidth() - 48)  # the pad below keeps its rows
        layout.addWidget(self.about)
        self.picker = UserPicker(self)
        self.picker.picked.connect(lambda _n: self._picked())
        self.none_label = QLabel(_("There is no coordinator to approve yet."), self)
        self.none_label.setProperty("role", "hint")
        self.none_label.hide()
        self.pin_edit = PinField(self)
        self.pin_edit.returnPressed.connect(self.confirm)
        self.pin_edit.textEdited.connect(lambda _t: self.error.clear())
        self.pad = PinPad(self.pin_edit, self)
        self.pad.submitted.connect(self.confirm)
        self.error = Banner(self)
        cancel = TouchButton(_("Cancel"), self, key="Esc")
        cancel.clicked.connect(self.reject)
        self.approve_button = TouchButton(_("Approve"), self, role="primary", key="Enter")
        self.approve_button.clicked.connect(self.confirm)

        left = QVBoxLayout()
        left.addWidget(self.picker)
        left.addWidget(self.none_label)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.pin_edit)
        right.addWidget(self.pad)
        row = QHBoxLayout()
        row.setSpacing(20)
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        layout.addLayout(row, 1)
        layout.addWidget(self.error)
        layout.addLayout(button_row(cancel, self.approve_button))
        app_ctx.ops.run(auth.users, app_ctx.booth, on_success=self._show_users, owner=self)
        self.pin_edit.setFocus()

    def _show_users(self, rows: list[UserInfo]) -> None:
        approvers = [u for u in rows if u.active and u.has_pin and roles.can(u, self.action)
                     and u.name != self.app_ctx.cashier]
        self.picker.set_users(approvers)
        self.none_label.setVisible(not approvers)
        if len(approvers) == 1:
            self.picker.select(approvers[0].name)

    def _picked(self) -> None:
        self.error.clear()
        self.pin_edit.setFocus()

    def confirm(self) -> None:
        if self.busy:
            return
        name = self.picker.selected()
        if not name:
            self.error.show_error(_("The coordinator picks their name first"))
            return
        self.run_op(approvals.approve, self.app_ctx.booth, name, self.pin_edit.text(),
                    self.action, self.subject, self.app_ctx.cashier,
                    on_success=self._approved, on_error=self._failed, button=self.approve_button)

    def _approved(self, token: ApprovalToken) -> None:
        self.token = token
        self.approved.emit(token)
        self.accept()

    def _failed(self, failure: OpFailure) -> None:
        self.pin_edit.clear()
        self.error.show_error(failure.message)
        self.pin_edit.setFocus()



def with_approval(app_ctx: AppContext, parent: QWidget, action: str,
                  subject: str | approvals.CartChange,
                  proceed: Callable[[uuid.UUID | None], None], detail: str = ""
                  ) -> ApprovalDialog | None:
    """Run ``proceed(approval_id)`` now when the logged-in user may ``action`` on their own
    (``approval_id`` None), else after a coordinator approves (the token's id). Returns the
    approval dialog when one was opened; cancelling it runs nothing."""
    if app_ctx.login_state.can(action):
        proceed(None)
        return None
    dialog = ApprovalDialog(app_ctx, action, subject, detail, parent)
    dialog.approved.connect(lambda token: proceed(token.id))
    dialog.open()
    return dialog
