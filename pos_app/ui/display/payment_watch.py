"""Follows one payment dialog for the customer display, from the outside: QRIS chosen (the
per-sale code for the amount being paid, made in an op exactly as the dialog makes its own:
``services.sale.qris.offer`` is a function of the booth and the amount), QRIS left or the
payment cancelled (the cart again), the sale recorded (the change, then the thank-you).

It reads only what the dialog shows anyway: its QRIS method button, the amount field, its
``sale_recorded`` and ``rejected`` signals. It lives as long as the dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from pos_app.domain.errors import DomainError
from pos_app.domain.money import parse_rupiah
from pos_app.domain.tenders import Method
from pos_app.services.sale.qris import QrisOffer, offer, qr_modules
from pos_app.services.setup.booth import Booth
from pos_app.ui.common.ops import OpFailure
from pos_app.ui.display.feed import DisplayFeed, facilities_of

if TYPE_CHECKING:
    from pos_app.services.sale.checkout import SaleResult
    from pos_app.ui.common.app_context import AppContext

KEY = "display-qris"  # a newer amount's code replaces an older one still being made


def made_for(booth: Booth, amount: int) -> tuple[QrisOffer, list[list[bool]]]:
    """Runs in an op: the QRIS for ``amount`` and its QR modules (making them takes some
    milliseconds: never on the GUI thread)."""
    made = offer(booth, amount)
    return made, qr_modules(made.payload)


class PaymentWatch(QObject):
    def __init__(self, feed: DisplayFeed, app_ctx: AppContext, dialog) -> None:
        super().__init__(dialog)
        self.feed, self.app_ctx, self.dialog = feed, app_ctx, dialog
        self.asked = 0  # the amount whose code was last asked for (0: none on show)
        self.qris_button = dialog.method_buttons[Method.QRIS]
        self.qris_button.toggled.connect(lambda _on: self.follow())
        dialog.form.amount_edit.textChanged.connect(lambda _text: self.follow())
        dialog.sale_recorded.connect(self.recorded)
        dialog.rejected.connect(self.hide_qris)

    def amount(self) -> int:
        """What the QRIS is for: the amount typed once the form shows QRIS, else what is
        still due (the form is about to start at it)."""
        form = self.dialog.form
        if form.method is not Method.QRIS:
            return self.dialog.remaining()
        text = form.amount_edit.text().strip()
        try:
            return parse_rupiah(text) if text else 0
        except DomainError:
            return 0

    def follow(self) -> None:
        if not self.qris_button.isChecked():
            self.hide_qris()
            return
        amount = self.amount()
        if amount <= 0 or amount == self.asked:
            return
        self.asked = amount
        self.app_ctx.ops.run(made_for, self.app_ctx.booth, amount, key=KEY, owner=self,
                             on_success=self.shown, on_error=self.not_made)

    def shown(self, made: tuple[QrisOffer, list[list[bool]]]) -> None:
        if self.qris_button.isChecked() and made[0].amount == self.asked:
            self.feed.qris_shown.emit(*made)

    def not_made(self, _failure: OpFailure) -> None:
        """No QRIS of the booth's own (or none for this amount): the buyer keeps seeing the
        cart and its total; the cashier's dialog says why."""
        self.hide_qris()

    def hide_qris(self) -> None:
        if self.asked:
            self.asked = 0
            self.feed.qris_hidden.emit()

    def recorded(self, sale: SaleResult) -> None:
        self.asked = 0
        self.feed.sale_done(sale.change, facilities_of([line.facility_name
                                                        for line in sale.lines]))
