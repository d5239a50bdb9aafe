"""Handing the open shift to another cashier, with a blind count of the drawer.

From the shift menu the next cashier picks their name and proves it with their PIN; at the
login screen (someone else's shift is open) they already have. Then the drawer is counted by
denomination, and only after the count is confirmed are expected, counted and the difference
shown. The shift goes on under the new cashier; the cart is kept.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from pos_app.i18n import _
from pos_app.services.access import auth
from pos_app.services.access.auth import AuthUser, UserInfo
from pos_app.services.shift import shifts
from pos_app.services.shift.shifts import CountResult
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.busy import BusyDialog
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import button_row, titled
from pos_app.ui.common.ops import OpFailure
from pos_app.ui.common.pin_pad import PinField, PinPad, UserPicker
from pos_app.ui.shift.cash_count import CashCount, CountFigures

WHO_PAGE, COUNT_PAGE, RESULT_PAGE = 0, 1, 2


class HandoverDialog(BusyDialog):
    """``taker`` given: that user (logged in already) takes the shift over; else the next
    cashier is picked and types their PIN here."""

    handed_over = Signal(object)  # AuthUser: the new cashier, after Continue

    def __init__(self, app_ctx: AppContext, taker: AuthUser | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(app_ctx, parent)
        self.shift = app_ctx.login_state.shift
        self.taker = taker
        self.result: CountResult | None = None
        self.setMinimumWidth(900)
        previous = self.shift.cashier if self.shift is not None else ""
        layout = titled(self, _("Hand over the shift"), _(
            "{previous}'s shift goes on under the next cashier. The next cashier counts the "
            "drawer; what it should hold is shown after the count.").format(previous=previous))
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._who_page())
        self.pages.addWidget(self._count_page())
        self.pages.addWidget(self._result_page())
        layout.addWidget(self.pages, 1)
        if taker is not None:
            self._to_count(taker)
        else:
            app_ctx.ops.run(auth.users, app_ctx.booth, on_success=self._show_users, owner=self)
            self.pin_edit.setFocus()

    def _who_page(self) -> QWidget:
        page = QWidget(self)
        caption = QLabel(_("Who takes over?"), page)
        caption.setProperty("role", "field")
        self.picker = UserPicker(page, columns=3)
        self.picker.picked.connect(lambda _n: self.pin_edit.setFocus())
        self.pin_edit = PinField(page)
        self.pin_edit.returnPressed.connect(self.check_pin)
        self.pad = PinPad(self.pin_edit, page)
        self.pad.submitted.connect(self.check_pin)
        self.pad.setMaximumWidth(320)
        self.who_error = Banner(page)
        cancel = TouchButton(_("Cancel"), page, key="Esc")
        cancel.clicked.connect(self.reject)
        pin_box = QVBoxLayout()
        pin_box.addWidget(self.pin_edit)
        pin_box.addWidget(self.pad)
        who = QVBoxLayout()
        who.addWidget(self.picker)
        who.addStretch(1)
        row = QHBoxLayout()
        row.addLayout(who, 1)
        row.addLayout(pin_box)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(caption)
        box.addLayout(row, 1)
        box.addWidget(self.who_error)
        box.addLayout(button_row(cancel))
        return page

    def _count_page(self) -> QWidget:
        page = QWidget(self)
        self.count_caption = QLabel(page)
        self.count_caption.setProperty("role", "field")
        self.count = CashCount(page)
        self.error = Banner(page)
        cancel = TouchButton(_("Cancel"), page, key="Esc")
        cancel.clicked.connect(self.reject)
        self.confirm_button = TouchButton(_("Confirm count and take over"), page,
                                          role="primary")
        self.confirm_button.clicked.connect(self.confirm)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.count_caption)
        box.addWidget(self.count, 1)
        box.addWidget(self.error)
        box.addLayout(button_row(cancel, self.confirm_button))
        return page

    def _result_page(self) -> QWidget:
        page = QWidget(self)
        self.figures = CountFigures(page)
        self.continue_button = TouchButton("", page, role="primary", key="Enter")
        self.continue_button.clicked.connect(self.accept)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.figures)
        box.addStretch(1)
        box.addLayout(button_row(self.continue_button))
        return page

    # -- who ------------------------------------------------------------------------------
    def _show_users(self, rows: list[UserInfo]) -> None:
        current = self.app_ctx.cashier
        self.picker.set_users([u for u in rows if u.active and u.has_pin and u.name != current])

    def check_pin(self) -> None:
        name = self.picker.selected()
        if self.busy:
            return
        if not name:
            self.who_error.show_error(_("Pick your name first"))
            return
        self.run_op(auth.login, self.app_ctx.booth, name, self.pin_edit.text(),
                    on_success=self._proven, on_error=self._pin_failed)

    def _pin_failed(self, failure: OpFailure) -> None:
        self.pin_edit.clear()
        self.who_error.show_error(failure.message)

    def _proven(self, user: AuthUser) -> None:
        self._to_count(user)

    # -- count ------------------------------------------------------------------------------
    def _to_count(self, user: AuthUser) -> None:
        self.taker = user
        self.count_caption.setText(_("{name}, count the cash in the drawer.").format(
            name=user.name))
        self.continue_button.setText(_("Continue as {name}").format(name=user.name))
        self.pages.setCurrentIndex(COUNT_PAGE)
        self.count.focus_first()

    def confirm(self) -> None:
        if self.busy or self.taker is None or self.shift is None:
            return
        self.run_op(shifts.handover, self.app_ctx.booth, self.shift.id, self.taker.name,
                    self.count.count(), by=self.taker.name, on_success=self._handed,
                    on_error=self._failed, button=self.confirm_button)

    def _failed(self, failure: OpFailure) -> None:
        self.error.show_error(failure.message)

    def _handed(self, result: CountResult) -> None:
        self.result = result
        self.figures.show_result(result.expected, result.counted, result.difference)
        self.caption_label.setText(_("The shift is handed over to {name}.").format(
            name=self.taker.name if self.taker else ""))
        self.pages.setCurrentIndex(RESULT_PAGE)
        self.continue_button.setFocus()

    def accept(self) -> None:
        if self.result is not None and self.taker is not None:
            self.handed_over.emit(self.taker)
        super().accept()

    def is_done(self) -> bool:
        return self.result is not None  # handed over: leaving is continuing
