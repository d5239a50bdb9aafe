"""Opening a shift with a counted float, and cash put into or taken out of the drawer.

Each dialog writes through one ``services.shifts`` call in an op; a broken rule is shown inline
and nothing is written. The logged-in user is the actor of every step.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from pos_app.domain.errors import DomainError
from pos_app.domain.money import parse_rupiah
from pos_app.i18n import _
from pos_app.services.access.auth import AuthUser
from pos_app.services.shift import shifts
from pos_app.services.shift.shifts import ShiftRow
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.busy import BusyDialog
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import button_row, titled
from pos_app.ui.common.keypad import Keypad
from pos_app.ui.common.ops import OpFailure, error_text
from pos_app.ui.shift.cash_count import CashCount


class OpenShiftDialog(BusyDialog):
    """Count the float by denomination, then open this device's shift for ``user``."""

    opened = Signal(object)  # ShiftRow

    def __init__(self, app_ctx: AppContext, user: AuthUser, parent: QWidget | None = None) -> None:
        super().__init__(app_ctx, parent)
        self.user = user
        self.setMinimumWidth(900)
        layout = titled(self, _("Open a shift"), _(
            "{name}, count the float: the cash in the drawer before the first sale. Type the "
            "number of pieces of each note and coin.").format(name=user.name))
        self.count = CashCount(self)
        self.error = Banner(self)
        cancel = TouchButton(_("Cancel"), self, key="Esc")
        cancel.clicked.connect(self.reject)
        self.open_button = TouchButton(_("Open shift"), self, role="primary", key="Enter")
        self.open_button.clicked.connect(self.confirm)
        layout.addWidget(self.count, 1)
        layout.addWidget(self.error)
        layout.addLayout(button_row(cancel, self.open_button))
        for edit in self.count.fields.values():
            edit.returnPressed.connect(self.confirm)
            edit.textEdited.connect(lambda _t: self.error.clear())
        self.count.focus_first()

    def confirm(self) -> None:
        if self.busy:
            return
        self.run_op(shifts.open_shift, self.app_ctx.booth, self.user.name, None,
                    self.count.count(), by=self.user.name, on_success=self._opened,
                    on_error=self._failed, button=self.open_button)

    def _opened(self, shift: ShiftRow) -> None:
        self.opened.emit(shift)
        self.accept()

    def _failed(self, failure: OpFailure) -> None:
        self.error.show_error(failure.message)


class CashMoveDialog(BusyDialog):
    """Cash in (``cash_in``: more change) or cash out (``cash_out``: a safe drop, an expense),
    with the amount and a reason; both go into the shift's expected cash."""

    moved = Signal(int)  # the amount moved

    def __init__(self, app_ctx: AppContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(app_ctx, parent)
        assert kind in ("cash_in", "cash_out")
        self.kind = kind
        self.setMinimumWidth(520)
        if kind == "cash_in":
            layout = titled(self, _("Cash in"), _(
                "Cash put into the drawer that is not a sale, e.g. more small notes for change."))
        else:
            layout = titled(self, _("Cash out"), _(
                "Cash taken out of the drawer that is not a refund, e.g. a safe drop or a paid "
                "expense."))
        amount_label = QLabel(_("Amount"), self)
        amount_label.setProperty("role", "field")
        self.amount_edit = QLineEdit(self)
        self.amount_edit.setProperty("role", "amount")
        self.amount_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount_edit.setPlaceholderText(_("e.g. 10.000"))
        reason_label = QLabel(_("Reason"), self)
        reason_label.setProperty("role", "field")
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setMaxLength(200)
        self.reason_edit.setPlaceholderText(_("Required"))
        self.error = Banner(self)
        cancel = TouchButton(_("Cancel"), self, key="Esc")
        cancel.clicked.connect(self.reject)
        self.save_button = TouchButton(_("Save"), self, role="primary", key="Enter")
        self.save_button.clicked.connect(self.confirm)
        for edit in (self.amount_edit, self.reason_edit):
            edit.returnPressed.connect(self.confirm)
            edit.textEdited.connect(lambda _t: self.error.clear())
        layout.addWidget(amount_label)
        layout.addWidget(self.amount_edit)
        layout.addWidget(Keypad(self.amount_edit, self))
        layout.addWidget(reason_label)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.error)
        layout.addLayout(button_row(cancel, self.save_button))
        self.amount_edit.setFocus()

    def confirm(self) -> None:
        if self.busy:
            return
        try:
            amount = parse_rupiah(self.amount_edit.text().strip() or "0")
            if not self.reason_edit.text().strip():
                raise DomainError("reason_required")
        except DomainError as exc:
            self.error.show_error(error_text(exc))
            return
        login_state = self.app_ctx.login_state
        move = shifts.cash_in if self.kind == "cash_in" else shifts.cash_out
        self.run_op(move, self.app_ctx.booth, login_state.shift_id, amount,
                    self.reason_edit.text(), self.app_ctx.actor,
                    on_success=lambda _id: self._saved(amount), on_error=self._failed,
                    button=self.save_button)

    def _saved(self, amount: int) -> None:
        self.moved.emit(amount)
        self.accept()

    def _failed(self, failure: OpFailure) -> None:
        self.error.show_error(failure.message)
