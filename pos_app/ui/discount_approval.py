"""Large discounts need a coordinator: a discount above the setting
``discount_approval_percent`` of what it applies to, given by a cashier, is applied only after
a coordinator approves it (``approvals.approve`` records who approved what, on which cart)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from fractions import Fraction

from PySide6.QtWidgets import QWidget

from pos_app.domain.cart import Discount
from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_rupiah
from pos_app.i18n import _
from pos_app.services import approvals
from pos_app.ui.approval_dialog import ApprovalDialog, with_approval
from pos_app.ui.labels import discount_text
from pos_app.ui.till import Till

LIMIT_DEFAULT = Fraction(10)
WHAT_MAX = approvals.SUBJECT_MAX - len("cart::") - 32


def approval_limit(settings: dict[str, str]) -> Fraction:
    """The largest discount (in percent) a cashier may give on their own."""
    try:
        return max(Fraction(0), Fraction(settings.get("discount_approval_percent", "10")
                                          .replace(",", ".")))
    except (ValueError, ZeroDivisionError):
        return LIMIT_DEFAULT


def percent_of(discount: Discount, base: int) -> Fraction:
    """The discount as a percentage of ``base`` rupiah."""
    if discount.kind == "percent":
        return Fraction(discount.value)
    return Fraction(int(discount.value) * 100, base) if base > 0 else Fraction(100)


def subject_for(cart_key: uuid.UUID, scope: str, discount: Discount) -> str:
    """``cart:<key>:line:KOP-001:15%`` -- what exactly was approved, on which cart."""
    value = (f"{discount.basis_points() / 100:g}%" if discount.kind == "percent"
             else f"Rp{int(discount.value)}")
    return approvals.cart_subject(cart_key, f"{scope}:{value}"[-WHAT_MAX:])


class DiscountGate:
    """The ``gate`` of a discount dialog: lets a discount through at once when it is within
    the limit (or the user may give any discount), else after a coordinator's approval."""

    def __init__(self, till: Till, cart_key: uuid.UUID, scope: str, base: int,
                 probe: Callable[[Discount], None]) -> None:
        self.till, self.cart_key, self.scope, self.base = till, cart_key, scope, base
        self.probe = probe  # raises DomainError when the cart would refuse the discount
        self.dialog: ApprovalDialog | None = None

    def __call__(self, discount: Discount, go: Callable[[], None], parent: QWidget) -> None:
        try:
            self.probe(discount)
        except DomainError:
            go()  # the cart's own refusal is shown by the dialog, no approval needed for it
            return
        limit = approval_limit(self.till.settings)
        if percent_of(discount, self.base) <= limit:
            go()
            return
        detail = _("{discount} off {amount}; a cashier may give up to {limit}%.").format(
            discount=discount_text(discount), amount=format_rupiah(self.base),
            limit=f"{float(limit):g}")
        self.dialog = with_approval(self.till, parent, "discount",
                                    subject_for(self.cart_key, self.scope, discount),
                                    lambda _approval_id: go(), detail)
