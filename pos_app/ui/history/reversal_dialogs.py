"""Voiding a sale and refunding part of one, from the sales history.

Both are new documents that point at the sale (``services.refunds``); a reason is required.
A cashier needs a coordinator's approval first (:func:`with_approval`); the token is spent
in the void's or refund's own transaction, so a refused or cancelled one writes nothing.
Afterwards the dialog shows the new document's number and offers to print its receipt.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_rupiah
from pos_app.domain.tenders import Method
from pos_app.i18n import _
from pos_app.services.access import approvals
from pos_app.services.sale import refunds
from pos_app.services.sale.history import SaleSummary
from pos_app.services.sale.refunds import Refundable, RefundResult
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.busy import BusyDialog
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.changes import Change
from pos_app.ui.common.dialog_layout import button_row, shortcut, titled
from pos_app.ui.common.labels import method_label
from pos_app.ui.common.ops import OpFailure, error_text
from pos_app.ui.history.approval_dialog import ApprovalDialog, with_approval

FORM_PAGE, DONE_PAGE = 0, 1


def quick_reasons() -> tuple[str, ...]:
    return (_("Wrong item rung up"), _("The buyer changed their mind"), _("Damaged goods"))


class ReversalDialog(BusyDialog):
    """The shared part: reason, approval, the op, and the page that shows the new document."""

    recorded = Signal(object)  # RefundResult
    action = "void"

    def __init__(self, app_ctx: AppContext, sale_id: uuid.UUID, number: str, title: str, note: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(app_ctx, parent)
        self.sale_id, self.number = sale_id, number
        self.result: RefundResult | None = None
        self.approval_dialog: ApprovalDialog | None = None
        self.setMinimumWidth(720)
        layout = titled(self, title, note)
        self.pages = QStackedWidget(self)
        self.form = QWidget(self.pages)
        self.form_layout = QVBoxLayout(self.form)
        self.form_layout.setContentsMargins(0, 0, 0, 0)
        self.form_layout.setSpacing(10)
        self.pages.addWidget(self.form)
        self.pages.addWidget(self._done_page())
        layout.addWidget(self.pages, 1)

    def add_reason(self, confirm_text: str) -> None:
        """The reason field, quick reasons, the error line and the buttons, under the form."""
        label = QLabel(_("Reason"), self.form)
        label.setProperty("role", "field")
        self.reason_edit = QLineEdit(self.form)
        self.reason_edit.setMaxLength(refunds.REASON_MAX)
        self.reason_edit.setPlaceholderText(_("Required"))
        self.reason_edit.returnPressed.connect(self.confirm)
        self.reason_edit.textEdited.connect(lambda _t: self.error.clear())
        quick = QHBoxLayout()
        for text in quick_reasons():
            button = TouchButton(text, self.form)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, t=text: self.reason_edit.setText(t))
            quick.addWidget(button)
        self.error = Banner(self.form)
        cancel = TouchButton(_("Cancel"), self.form, key="Esc")
        cancel.clicked.connect(self.reject)
        self.confirm_button = TouchButton(confirm_text, self.form, role="primary")
        self.confirm_button.clicked.connect(self.confirm)
        for widget in (label, self.reason_edit):
            self.form_layout.addWidget(widget)
        self.form_layout.addLayout(quick)
        self.form_layout.addWidget(self.error)
        self.form_layout.addLayout(button_row(cancel, self.confirm_button))

    def _done_page(self) -> QWidget:
        page = QWidget(self.pages)
        self.done_banner = Banner(page, large=True)
        self.done_detail = QLabel(page)
        self.done_detail.setProperty("role", "hint")
        self.done_detail.setWordWrap(True)
        self.print_banner = Banner(page)
        self.print_button = TouchButton(_("Print receipt"), page, key="Ctrl+P")
        self.print_button.clicked.connect(self.print_receipt)
        shortcut(self, "Ctrl+P", self.print_receipt)
        close = TouchButton(_("Close"), page, role="primary", key="Enter")
        close.clicked.connect(self.accept)
        self.close_button = close
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.done_banner)
        box.addWidget(self.done_detail)
        box.addStretch(1)
        box.addWidget(self.print_banner)
        box.addLayout(button_row(self.print_button, close))
        return page

    # -- doing it -------------------------------------------------------------------------
    def request(self) -> dict | None:
        """The service's keyword arguments from the form; None (and a message) if incomplete."""
        raise NotImplementedError

    def confirm(self) -> None:
        if self.busy:
            return
        reason = " ".join(self.reason_edit.text().split())
        if not reason:
            self.error.show_error(error_text(DomainError("reason_required")))
            self.reason_edit.setFocus()
            return
        request = self.request()
        if request is None:
            return
        request["reason"] = reason
        self.approval_dialog = with_approval(
            self.app_ctx, self, self.action, approvals.sale_subject(self.sale_id),
            lambda approval_id: self._run(request, approval_id), self.approval_detail(reason))

    def money_text(self) -> str:
        """The money going back and how, as the form stands."""
        raise NotImplementedError

    def approval_detail(self, reason: str) -> str:
        """What the coordinator approves: the sale, the money and the reason."""
        return "\n".join((_("Sale {number}").format(number=self.number), self.money_text(),
                          _("Reason: {reason}").format(reason=reason)))

    def _run(self, request: dict, approval_id: uuid.UUID | None) -> None:
        user = self.app_ctx.login_state.user
        if user is None:
            return
        service = refunds.void_sale if self.action == "void" else refunds.refund
        self.run_op(service, self.app_ctx.booth, self.sale_id, actor=user.name,
                    actor_role=user.role, approval_id=approval_id,
                    shift_id=self.app_ctx.login_state.shift_id, on_success=self._recorded,
                    on_error=self._failed, button=self.confirm_button,
                    changes={Change.SALES, Change.STOCK}, **request)

    def _failed(self, failure: OpFailure) -> None:
        self.error.show_error(failure.message)

    def _recorded(self, result: RefundResult) -> None:
        self.result = result
        title = (_("Void {number} recorded") if result.kind == "void"
                 else _("Refund {number} recorded")).format(number=result.number)
        self.done_banner.show_message(title, "success")
        detail = _("For sale {original}: {amount} goes back.").format(
            original=result.refers_to, amount=format_rupiah(result.total))
        if result.approved_by:
            detail += " " + _("Approved by {name}.").format(name=result.approved_by)
        self.done_detail.setText(detail)
        self.pages.setCurrentIndex(DONE_PAGE)
        self.close_button.setFocus()
        self.recorded.emit(result)

    def print_receipt(self) -> None:
        result = self.result
        if result is None:
            return
        if not self.app_ctx.printer.configured:
            self.print_banner.show_error(_("{reason}. Set one up in Settings (F9), or save a "
                                           "PDF from the sales history.").format(
                                               reason=error_text(DomainError("no_printer"))))
            return
        self.app_ctx.printer.enqueue(result.id, result.number)
        self.print_banner.show_message(_("Receipt {number} sent to the printer…").format(
            number=result.number), "info")



def methods_text(methods: Iterable[Method | str]) -> str:
    """"Cash + QRIS": how a sale was paid, in the booth's words."""
    return " + ".join(method_label(m) for m in methods) or "—"


def money_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setProperty("role", "figure")
    label.setWordWrap(True)
    return label


class VoidDialog(ReversalDialog):
    action = "void"

    def __init__(self, app_ctx: AppContext, sale: SaleSummary, parent: QWidget | None = None) -> None:
        super().__init__(app_ctx, sale.id, sale.number, _("Void sale {number}").format(
            number=sale.number), _("The whole sale is taken back: {amount} goes back the way it "
                                   "was paid and every item returns to stock.").format(
                                       amount=format_rupiah(sale.total)), parent)
        self.sale = sale
        self.money = money_label(self.form)
        self.money.setText(self.money_text())
        self.form_layout.addWidget(self.money)
        self.add_reason(_("Void sale"))
        self.reason_edit.setFocus()

    def money_text(self) -> str:
        return _("Sale total {amount}, paid back by {method}").format(
            amount=format_rupiah(self.sale.total), method=methods_text(self.sale.methods))

    def request(self) -> dict | None:
        return {}


class RefundDialog(ReversalDialog):
    """Per line: how many to take back (up to what is left); the method the money goes back
    by, and its reference for card, QRIS or transfer."""

    action = "refund"

    def __init__(self, app_ctx: AppContext, refundable: Refundable, parent: QWidget | None = None
                 ) -> None:
        super().__init__(app_ctx, refundable.id, refundable.number, _("Refund from sale {number}")
                         .format(number=refundable.number),
                         _("Choose how many of each item come back."), parent)
        self.refundable = refundable
        self.qty_labels: dict[int, QLabel] = {}
        self.plus_buttons: dict[int, TouchButton] = {}
        self.minus_buttons: dict[int, TouchButton] = {}
        self.qty: dict[int, int] = {line.line_no: 0 for line in refundable.lines}
        self.price_labels: dict[int, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        for col, text in enumerate((_("Item"), _("Price"), _("Sold"), _("Left"), _("Refund"))):
            head = QLabel(text, self.form)
            head.setProperty("role", "caption")
            grid.addWidget(head, 0, col if col < 4 else 4, 1, 1 if col < 4 else 3)
        for row, line in enumerate(refundable.lines, start=1):
            grid.addWidget(QLabel(line.name, self.form), row, 0)
            price = QLabel(format_rupiah(line.unit_price), self.form)
            price.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.price_labels[line.line_no] = price
            grid.addWidget(price, row, 1)
            grid.addWidget(QLabel(str(line.sold), self.form), row, 2)
            grid.addWidget(QLabel(str(line.left), self.form), row, 3)
            minus = TouchButton("−", self.form)
            plus = TouchButton("+", self.form)
            count = QLabel("0", self.form)
            count.setProperty("role", "figure")
            count.setAlignment(Qt.AlignmentFlag.AlignCenter)
            count.setMinimumWidth(48)
            for button, step in ((minus, -1), (plus, 1)):
                button.setFixedWidth(56)
                button.setEnabled(line.left > 0)
                button.clicked.connect(lambda _c=False, n=line.line_no, s=step: self.step(n, s))
            grid.addWidget(minus, row, 4)
            grid.addWidget(count, row, 5)
            grid.addWidget(plus, row, 6)
            self.qty_labels[line.line_no] = count
            self.plus_buttons[line.line_no], self.minus_buttons[line.line_no] = plus, minus
        grid.setColumnStretch(0, 1)
        self.form_layout.addLayout(grid)

        method_caption = QLabel(_("Paid back by"), self.form)
        method_caption.setProperty("role", "field")
        self.form_layout.addWidget(method_caption)
        methods = QHBoxLayout()
        self.method_buttons: dict[Method, TouchButton] = {}
        group = QButtonGroup(self)
        for method in Method:
            button = TouchButton(method_label(method), self.form)
            button.setCheckable(True)
            button.clicked.connect(lambda _c=False: self._method_changed())
            group.addButton(button)
            methods.addWidget(button)
            self.method_buttons[method] = button
        self.method_buttons[Method.CASH].setChecked(True)
        self.form_layout.addLayout(methods)
        self.reference_edit = QLineEdit(self.form)
        self.reference_edit.setMaxLength(64)
        self.form_layout.addWidget(self.reference_edit)
        self.money = money_label(self.form)
        self.form_layout.addWidget(self.money)
        self.add_reason(_("Refund"))
        self._method_changed()

    def step(self, line_no: int, delta: int) -> None:
        left = next(line.left for line in self.refundable.lines if line.line_no == line_no)
        self.qty[line_no] = max(0, min(left, self.qty[line_no] + delta))
        self.qty_labels[line_no].setText(str(self.qty[line_no]))
        self.money.setText(self.money_text())
        self.error.clear()

    def refund_total(self) -> int:
        """The money the chosen quantities give back, as the refund will write it."""
        return self.refundable.refund_total(self.qty)

    def money_text(self) -> str:
        return _("Refund total {amount}, paid back by {method} (the sale was paid by "
                 "{paid})").format(amount=format_rupiah(self.refund_total()),
                                   method=method_label(self.method()),
                                   paid=methods_text(self.refundable.methods))

    def method(self) -> Method:
        return next(m for m, b in self.method_buttons.items() if b.isChecked())

    def choose_method(self, method: Method) -> None:
        self.method_buttons[method].setChecked(True)
        self._method_changed()

    def _method_changed(self) -> None:
        cash = self.method() is Method.CASH
        self.reference_edit.setEnabled(not cash)
        if cash:
            self.reference_edit.clear()
        self.reference_edit.setPlaceholderText(
            _("No reference for cash") if cash else _("Reference, e.g. the approval code"))
        self.money.setText(self.money_text())

    def request(self) -> dict | None:
        lines = {n: q for n, q in self.qty.items() if q > 0}
        if not lines:
            self.error.show_error(error_text(DomainError("nothing_to_refund")))
            return None
        return {"lines": lines, "method": self.method(),
                "reference": self.reference_edit.text().strip() or None}
