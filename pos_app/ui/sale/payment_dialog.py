"""The payment dialog: cash with quick tenders and change, QRIS, transfer, card, and splits.

Tenders are checked with ``domain.tenders.settle`` before anything is sent, so mistakes show
inline; the checkout itself runs in an op and the dialog cannot be closed while it does.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.cart import Cart
from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_rupiah
from pos_app.domain.tenders import Method, Tender, settle
from pos_app.i18n import _
from pos_app.services.sale.checkout import SaleResult, checkout, request_from_cart
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.changes import Change
from pos_app.ui.common.dialog_layout import fit_to_screen
from pos_app.ui.common.labels import method_label
from pos_app.ui.common.ops import OpFailure, error_text
from pos_app.ui.common.style import set_role
from pos_app.ui.sale.qris.qris_feed import QrisFeed
from pos_app.ui.sale.tender_form import TenderForm

METHOD_KEYS = {Method.CASH: "F1", Method.QRIS: "F2", Method.TRANSFER: "F3", Method.CARD: "F4"}


def _figure(parent: QWidget, caption: str, role: str = "figure") -> tuple[QWidget, QLabel]:
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    cap = QLabel(caption, box)
    cap.setProperty("role", "caption")
    value = QLabel(box)
    value.setProperty("role", role)
    layout.addWidget(cap)
    layout.addWidget(value)
    return box, value


class PaymentDialog(QDialog):
    sale_recorded = Signal(object)  # SaleResult, after the sale is on disk

    def __init__(self, app_ctx: AppContext, cart: Cart, parent: QWidget | None = None, *,
                 cart_key: uuid.UUID | None = None,
                 approval_ids: tuple[uuid.UUID, ...] = ()) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.cart_key, self.approval_ids = cart_key, approval_ids  # spent by the sale
        self.cart = Cart(lines=list(cart.lines), discount=cart.discount)  # what is being paid
        self.total = self.cart.price(app_ctx.tax).total
        self.tenders: list[Tender] = []
        self.busy = False
        self.result: SaleResult | None = None
        self.setWindowTitle(_("Payment"))
        self.setModal(True)
        fit_to_screen(self, 1300, 720)  # the QRIS beside what it asks for, at 1366x768

        # -- what is due ----------------------------------------------------------------
        summary = QFrame(self)
        summary.setProperty("role", "card")
        due_box, self.due_label = _figure(summary, _("Amount due"), "due")
        self.due_label.setText(format_rupiah(self.total))
        paid_box, self.paid_label = _figure(summary, _("Paid"))
        rest_box, self.remaining_label = _figure(summary, _("Remaining"), "figure-warn")
        change_box, self.change_label = _figure(summary, _("Change"), "figure-good")
        row = QHBoxLayout(summary)
        row.setContentsMargins(20, 12, 20, 12)
        row.setSpacing(28)
        row.addWidget(due_box, 1)
        for box in (paid_box, rest_box, change_box):
            row.addWidget(box, 0, Qt.AlignmentFlag.AlignBottom)

        # -- methods ----------------------------------------------------------------------
        methods = QVBoxLayout()
        methods.setSpacing(8)
        self.method_buttons: dict[Method, TouchButton] = {}
        group = QButtonGroup(self)
        for method in Method:
            button = TouchButton(method_label(method), self, role="method",
                                 key=METHOD_KEYS[method])
            button.setCheckable(True)
            button.clicked.connect(lambda _c=False, m=method: self.choose_method(m))
            group.addButton(button)
            methods.addWidget(button)
            self.method_buttons[method] = button
            self._shortcut(METHOD_KEYS[method], lambda m=method: self.choose_method(m))
        methods.addStretch(1)

        self.form = TenderForm(self)
        self.form.changed.connect(self._refresh)
        self.form.submitted.connect(self.confirm)
        self.qris = QrisFeed(app_ctx, self.form, self)

        # -- tenders so far -----------------------------------------------------------------
        tenders_caption = QLabel(_("Payments in this sale"), self)
        tenders_caption.setProperty("role", "caption")
        self.tender_list = QListWidget(self)
        self.tender_list.setMinimumWidth(250)
        self.tender_list.setWordWrap(True)
        self.tender_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.add_button = TouchButton(_("Add payment"), self, key="F6")
        self.add_button.setToolTip(_("Keep this payment and pay the rest another way"))
        self.add_button.clicked.connect(self.add_tender)
        self._shortcut("F6", self.add_tender)
        self.remove_button = TouchButton(_("Remove"), self, role="danger", key="Del")
        self.remove_button.clicked.connect(self.remove_tender)
        self.tender_list.itemSelectionChanged.connect(self._refresh_buttons)
        tenders = QVBoxLayout()
        tenders.setSpacing(8)
        tenders.addWidget(tenders_caption)
        tenders.addWidget(self.tender_list, 1)
        tenders.addWidget(self.add_button)
        tenders.addWidget(self.remove_button)

        middle = QHBoxLayout()
        middle.setSpacing(20)
        middle.addLayout(methods, 0)
        middle.addWidget(self.form, 1)
        middle.addLayout(tenders, 0)

        # -- bottom ---------------------------------------------------------------------
        self.error = Banner(self)
        self.cancel_button = TouchButton(_("Cancel"), self, key="Esc")
        self.cancel_button.clicked.connect(self.reject)
        self.pay_button = TouchButton(_("Complete sale"), self, role="pay", key="Enter")
        self.pay_button.setMinimumWidth(320)
        self.pay_button.clicked.connect(self.confirm)
        bottom = QGridLayout()
        bottom.addWidget(self.cancel_button, 0, 0)
        bottom.setColumnStretch(1, 1)
        bottom.addWidget(self.pay_button, 0, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(summary)
        layout.addLayout(middle, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)

        self.choose_method(Method.CASH)

    def _shortcut(self, key: str, handler) -> None:
        action = QAction(self)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _c=False: handler())
        self.addAction(action)

    # -- state ------------------------------------------------------------------------
    def paid(self) -> int:
        return sum(t.amount for t in self.tenders)

    def remaining(self) -> int:
        return max(self.total - self.paid(), 0)

    def choose_method(self, method: Method) -> None:
        if self.busy:
            return
        self.method_buttons[method].setChecked(True)
        self.form.set_method(method, self.remaining())
        self._refresh()

    def _with_draft(self) -> list[Tender]:
        """The tenders plus what is typed but not yet added; raises on a bad draft."""
        draft = self.form.draft()
        return self.tenders + ([draft] if draft else [])

    def _tenders_to_pay(self) -> list[Tender]:
        """What confirming pays with: an empty cash amount is the exact amount still due."""
        exact = self.form.exact_cash(self.remaining())
        return self.tenders + [exact] if exact is not None else self._with_draft()

    def _refresh(self) -> None:
        try:
            tenders = self._with_draft()
        except DomainError:
            tenders = self.tenders
        paid = sum(t.amount for t in tenders)
        try:
            change = settle(self.total, tenders).change
        except DomainError:
            change = 0
        self.paid_label.setText(format_rupiah(paid))
        remaining = max(self.total - paid, 0)
        self.remaining_label.setText(format_rupiah(remaining))
        set_role(self.remaining_label, "role", "figure-warn" if remaining else "figure")
        self.change_label.setText(format_rupiah(change))
        self.error.clear()
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        self.remove_button.setEnabled(not self.busy and bool(self.tender_list.selectedItems()))
        self.add_button.setEnabled(not self.busy)

    def _rebuild_list(self) -> None:
        self.tender_list.clear()
        for t in self.tenders:
            text = f"{method_label(t.method)}   {format_rupiah(t.amount)}"
            notes = [_("Ref. {reference}").format(reference=t.reference)] if t.reference else []
            if not t.method.verified_on_receipt:
                notes.append(_("unverified"))
            if notes:
                text += "\n" + "\n".join(notes)
            item = QListWidgetItem(text)
            if not t.method.verified_on_receipt:
                item.setToolTip(_("Unverified until matched against the statement"))
            self.tender_list.addItem(item)

    # -- actions ------------------------------------------------------------------------
    def add_tender(self) -> bool:
        """Keep the typed payment in the list (a split), then offer cash for the rest."""
        if self.busy:
            return False
        try:
            draft = self.form.draft()
        except DomainError as exc:
            self.show_error(error_text(exc))
            return False
        if draft is None:
            self.show_error(_("Type an amount first"))
            return False
        self.tenders.append(draft)
        self._rebuild_list()
        self.form.clear()
        self.choose_method(Method.CASH)
        if self.remaining() == 0:
            self.pay_button.setFocus()
        return True

    def remove_tender(self) -> None:
        rows = sorted({i.row() for i in self.tender_list.selectedIndexes()}, reverse=True)
        for row in rows:
            del self.tenders[row]
        self._rebuild_list()
        self.form.set_method(self.form.method, self.remaining())
        self._refresh()

    def confirm(self) -> None:
        """Check the tenders; if they settle the sale, record it in an op."""
        if self.busy:
            return
        try:
            tenders = self._tenders_to_pay()
            settle(self.total, tenders)
        except DomainError as exc:
            self.show_error(error_text(exc))
            return
        request = replace(request_from_cart(self.cart, tenders, cashier=self.app_ctx.cashier,
                                            cart_key=self.cart_key,
                                            approval_ids=self.approval_ids),
                          shift_id=self.app_ctx.login_state.shift_id)
        self._set_busy(True)
        self.app_ctx.ops.run(checkout, self.app_ctx.booth, request, on_success=self._recorded,
                          on_error=self._failed, owner=self,
                          changes={Change.SALES, Change.STOCK})

    def _recorded(self, result: SaleResult) -> None:
        self.result = result
        self._set_busy(False)
        self.sale_recorded.emit(result)
        self.accept()

    def _failed(self, failure: OpFailure) -> None:
        self._set_busy(False)
        self.show_error(failure.message)

    def show_error(self, message: str) -> None:
        self.error.show_error(message)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.pay_button.setEnabled(not busy)
        self.pay_button.setText(_("Saving…") if busy else _("Complete sale"))
        self.cancel_button.setEnabled(not busy)
        self.form.setEnabled(not busy)
        for button in self.method_buttons.values():
            button.setEnabled(not busy)
        self._refresh_buttons()

    def reject(self) -> None:
        if not self.busy:  # a sale being written cannot be walked away from
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Delete and self.tender_list.hasFocus():
            self.remove_tender()
            return
        super().keyPressEvent(event)
