"""What the QRIS beside it asks for: the amount in large type, the merchant and its NMID, and
one line for the cashier when the code is the static sticker (the buyer types the amount)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from pos_app.domain.money import format_rupiah
from pos_app.i18n import _
from pos_app.services.sale.qris import QrisOffer

LARGEST_PX = 40  # the amount's type, shrunk to fit the column on a small screen


class QrisInfo(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(self)
        self.caption.setProperty("role", "caption")
        self.caption.setWordWrap(True)
        self.amount_label = QLabel(self)
        self.amount_label.setProperty("role", "total")
        # the column's width decides the type's size, never the other way round
        self.amount_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                        QSizePolicy.Policy.Preferred)
        self.merchant_label = QLabel(self)
        self.merchant_label.setProperty("role", "heading")
        self.merchant_label.setWordWrap(True)
        self.nmid_label = QLabel(self)
        self.nmid_label.setProperty("role", "example")
        self.notice = QLabel(self)
        self.notice.setProperty("role", "hint")
        self.notice.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for label in (self.caption, self.amount_label, self.merchant_label, self.nmid_label):
            layout.addWidget(label)
        layout.addSpacing(6)
        layout.addWidget(self.notice)

    def show_offer(self, offer: QrisOffer) -> None:
        """The code on show: its amount, merchant and NMID; a static code says so."""
        self.caption.setText(_("The buyer scans the QRIS and pays"))
        self._set_amount(offer.amount)
        where = f"{offer.merchant}, {offer.city}" if offer.city else offer.merchant
        self.merchant_label.setText(where)
        self.nmid_label.setText(f"NMID {offer.nmid}" if offer.nmid else "")
        if offer.over_limit:
            note = _("Above the QRIS limit of {limit}: this is the static code, the buyer "
                     "types the amount.").format(limit=format_rupiah(offer.limit))
        elif not offer.with_amount:
            note = _("The static QRIS: the buyer types the amount.")
        else:
            note = ""
        self._show(self.merchant_label, self.nmid_label)
        self._set_notice(note)

    def show_plain(self, amount: int, note: str) -> None:
        """No code of the booth's own: the amount (if any) and ``note``."""
        self.caption.setText(_("QRIS"))
        self._set_amount(amount)
        self.merchant_label.clear()
        self.nmid_label.clear()
        self._show()
        self._set_notice(note)

    def _set_amount(self, amount: int) -> None:
        self.amount_label.setText(format_rupiah(amount) if amount > 0 else "")
        self.amount_label.setVisible(amount > 0)
        self.fit_amount()

    def fit_amount(self) -> None:
        """The amount in the largest type up to ``LARGEST_PX`` that fits the column."""
        text, room = self.amount_label.text(), self.width()
        if not text or room <= 0:
            return
        font = QFont(self.amount_label.font())
        px = LARGEST_PX
        font.setPixelSize(px)
        while px > 20 and QFontMetrics(font).horizontalAdvance(text) > room:
            px -= 2
            font.setPixelSize(px)
        self.amount_label.setStyleSheet(f"font-size: {px}px;")

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.fit_amount()

    def _show(self, *labels: QLabel) -> None:
        for label in (self.merchant_label, self.nmid_label):
            label.setVisible(label in labels and bool(label.text()))

    def _set_notice(self, note: str) -> None:
        self.notice.setText(note)
        self.notice.setVisible(bool(note))
