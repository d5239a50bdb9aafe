"""Large discounts need a coordinator: a discount above the setting
``discount_approval_percent`` of what it applies to, given by a cashier, is applied only after
a coordinator approves it (``approvals.approve`` records who approved what, on which cart:
the approval is bound to the cart as it is with the discount, ``approvals.CartChange``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from pos_app.domain.cart import Cart, Discount
from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_rupiah
from pos_app.i18n import _
from pos_app.services.access import approvals
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.labels import discount_text
from pos_app.ui.history.approval_dialog import ApprovalDialog, with_approval

# The rules live in the service (checkout enforces them); the screen asks the same questions.
percent_of = approvals.discount_percent


class DiscountGate:
    """The ``gate`` of a discount dialog: lets a discount through at once when it is within
    the limit (or the user may give any discount), else after a coordinator's approval."""

    def __init__(self, app_ctx: AppContext, cart_key: uuid.UUID, cart: Cart, line: int | None,
                 base: int, keep: Callable[[uuid.UUID], None] | None = None) -> None:
        self.app_ctx, self.cart_key, self.cart, self.line = app_ctx, cart_key, cart, line
        self.base = base  # what the discount applies to: the line, or the sale
        self.keep = keep  # gets the approval's id, for the sale to spend at checkout
        self.dialog: ApprovalDialog | None = None

    def probe(self, discount: Discount) -> Cart:
        """A copy of the cart with ``discount`` on the line (or the sale); raises DomainError
        when the cart would refuse it."""
        cart = Cart(lines=list(self.cart.lines), discount=self.cart.discount)
        if self.line is None:
            cart.set_discount(discount)
        else:
            cart.set_line_discount(self.line, discount)
        return cart

    def change_of(self, discount: Discount) -> approvals.CartChange:
        """What the coordinator approves: the discount on this very cart."""
        cart, tax = self.probe(discount), self.app_ctx.tax
        if self.line is None:
            return approvals.sale_discount_change(self.cart_key, cart, tax)
        return approvals.line_discount_change(self.cart_key, cart, self.line, tax)

    def __call__(self, discount: Discount, go: Callable[[], None], parent: QWidget) -> None:
        try:
            self.probe(discount)
        except DomainError:
            go()  # the cart's own refusal is shown by the dialog, no approval needed for it
            return
        limit = self.app_ctx.settings.discount_approval_percent
        if percent_of(discount, self.base) <= limit:
            go()
            return
        detail = _("{discount} off {amount}; a cashier may give up to {limit}%.").format(
            discount=discount_text(discount), amount=format_rupiah(self.base),
            limit=f"{float(limit):g}")
        self.dialog = with_approval(self.app_ctx, parent, "discount",
                                    self.change_of(discount),
                                    lambda approval_id: self._approved(approval_id, go),
                                    detail)

    def _approved(self, approval_id: uuid.UUID | None, go: Callable[[], None]) -> None:
        if approval_id is not None and self.keep is not None:
            self.keep(approval_id)
        go()
