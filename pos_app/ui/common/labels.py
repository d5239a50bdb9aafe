"""Names of things as the cashier reads them: payment methods and discounts."""

from __future__ import annotations

from fractions import Fraction

from pos_app.domain.cart import Discount
from pos_app.domain.money import format_rupiah
from pos_app.domain.tenders import Method
from pos_app.i18n import _


def method_label(method: Method | str) -> str:
    """``cash`` -> "Tunai"; an unknown method is shown as it was given."""
    try:
        method = Method(method)
    except ValueError:
        return str(method)
    return {
        Method.CASH: _("Cash"),
        Method.QRIS: _("QRIS"),
        Method.TRANSFER: _("Bank transfer"),
        Method.CARD: _("Card (EDC)"),
    }[method]


def percent_text(value: Fraction | int) -> str:
    """``25/2`` -> ``12,5%`` (Indonesian decimal comma); whole numbers without decimals."""
    value = Fraction(value)
    if value.denominator == 1:
        return f"{value.numerator}%"
    return f"{float(value):.2f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


def discount_text(discount: Discount | None) -> str:
    if discount is None:
        return ""
    if discount.kind == "percent":
        return percent_text(discount.value)
    return format_rupiah(int(discount.value))
