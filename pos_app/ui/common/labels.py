"""Names of things as the cashier reads them: payment methods and discounts; a label that
gives way on a narrow screen."""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

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


class ElidedLabel(QLabel):
    """A one-line label that shrinks on a narrow screen: it then shows its text shortened with
    "…" (the whole text in its tooltip) rather than cut, or nothing when there is no room."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(1)
        self.full_text = ""
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override: the whole text
        self.full_text = text
        self.setToolTip(text)
        self.updateGeometry()
        self._elide()

    def sizeHint(self):  # noqa: N802 - Qt override
        hint = super().sizeHint()
        hint.setWidth(self.fontMetrics().horizontalAdvance(self.full_text)
                      + 2 * self.margin() + self.contentsMargins().left()
                      + self.contentsMargins().right() + 2)
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = self.contentsRect().width() - 2 * self.margin()
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, room)
        QLabel.setText(self, shown if shown not in ("…", "...") else "")
