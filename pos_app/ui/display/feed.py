"""What the buyer should see, as plain signals: the customer display listens, the till tells.

The sale screen tells the feed (``app_ctx.display``) of every cart change in one call
(``show_cart``, from ``SaleScreen.refresh``) and hands it each payment dialog it opens
(``watch_payment``): the dialog's QRIS, its cancel and its recorded sale then reach the
display without a line in the dialog itself (:mod:`pos_app.ui.display.payment_watch`).
Anything else may emit ``qris_shown(offer, modules)`` with the code it paints; the display
shows the last.

The feed is always there and cheap (a few tuples per cart change); with the display off
nobody listens. Signals are delivered directly: a cart change reaches the display's labels
before ``show_cart`` returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from pos_app.domain.cart import Cart, PricedCart

if TYPE_CHECKING:
    from pos_app.ui.common.app_context import AppContext


@dataclass(frozen=True)
class DisplayLine:
    """One line of the cart as the buyer sees it."""

    name: str
    facility: str
    qty: int
    unit_price: int
    discount: int  # the line's discounts together (its own and its share of the sale's)
    total: int


def display_lines(cart: Cart, priced: PricedCart) -> tuple[DisplayLine, ...]:
    return tuple(DisplayLine(p.product.name, p.product.facility_name, p.qty, p.unit_price,
                             p.discount, p.total) for p in priced.lines)


def facilities_of(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Each facility once, in the order its goods were bought."""
    return tuple(dict.fromkeys(n for n in names if n))


class DisplayFeed(QObject):
    cart_changed = Signal(object, int)  # tuple[DisplayLine, ...], the total to pay
    # services.sale.qris.QrisOffer and its QR modules (``qr_modules(offer.payload)``)
    qris_shown = Signal(object, object)
    qris_hidden = Signal()  # QRIS no longer chosen, or the payment cancelled: the cart again
    paid = Signal(int)  # the sale is recorded: the change to hand back (0: none)
    done = Signal(object)  # tuple[str, ...]: the facilities whose goods were bought
    idle = Signal()  # the cart is empty: between customers

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lines: tuple[DisplayLine, ...] = ()
        self.total = 0
        self.viewers = 0  # displays listening (none: no QRIS is made for them)

    def connect_view(self, view: QObject) -> None:
        """Connect ``view``'s slots of the same names as the signals, while it lives."""
        for name in ("cart_changed", "qris_shown", "qris_hidden", "paid", "done", "idle"):
            getattr(self, name).connect(getattr(view, name))
        self.viewers += 1
        view.destroyed.connect(self._view_gone)

    def _view_gone(self, *_args: object) -> None:
        self.viewers -= 1

    def show_cart(self, cart: Cart, priced: PricedCart) -> None:
        """The cart as it is now (every change, the empty cart after a sale included)."""
        self.lines, self.total = display_lines(cart, priced), priced.total
        self.cart_changed.emit(self.lines, self.total)
        if not self.lines:
            self.idle.emit()

    def watch_payment(self, app_ctx: AppContext, dialog: QObject) -> None:
        """Follow ``dialog`` (a ``PaymentDialog``) until it closes: QRIS, cancel, sale."""
        if not self.viewers:
            return  # nobody looks: no QRIS is made for the display
        from pos_app.ui.display.payment_watch import PaymentWatch

        PaymentWatch(self, app_ctx, dialog)

    def sale_done(self, change: int, facilities: tuple[str, ...]) -> None:
        """The sale is on disk: the change, then the thank-you naming ``facilities``."""
        self.paid.emit(change)
        self.done.emit(facilities)
