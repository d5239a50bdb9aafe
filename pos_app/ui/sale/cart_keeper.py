"""Keeps the sale screen's open cart and a clean screen for the next customer.

- Every change of the cart is written as a draft (off the GUI thread, atomically), so a crash
  or a power cut does not lose it; at the next login the draft comes back into the cart, with
  the last recorded sale shown so the cashier knows whether the sale of that moment went through.
- Closing the window with items asks to park or discard them.
- After a sale the search and the grid's filters are reset; the change banner goes when the
  user changes; the Resume button counts the parked sales waiting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QCloseEvent

from pos_app.domain.calendar import local_time
from pos_app.domain.cart import Cart
from pos_app.domain.money import format_rupiah
from pos_app.domain.tenders import Method
from pos_app.i18n import _, ngettext
from pos_app.services.sale import draft, parking
from pos_app.services.sale.checkout import SaleResult
from pos_app.services.sale.draft import RestoredDraft
from pos_app.ui.common.labels import method_label

if TYPE_CHECKING:
    from pos_app.ui.sale.park_dialogs import CloseCartDialog
    from pos_app.ui.sale.sale_screen import SaleScreen


def sale_banner_text(sale: SaleResult) -> str:
    """The green line after paying: the change, and any card payment with its approval code."""
    cards = [p for p in sale.payments if p.method is Method.CARD]
    card_text = [_("{method} {amount}, approval {reference}").format(
        method=method_label(p.method), amount=format_rupiah(p.amount),
        reference=p.reference or "-") for p in cards]
    if cards and all(p.method is not Method.CASH for p in sale.payments):
        return _("Sale {number} — paid by {payments}").format(
            number=sale.number, payments="; ".join(card_text))
    if sale.change:
        text = _("Sale {number} — change {change}").format(
            number=sale.number, change=format_rupiah(sale.change))
    else:
        text = _("Sale {number} — paid exactly, no change").format(number=sale.number)
    return "; ".join([text, *card_text])


class CartKeeper(QObject):
    """Watches one :class:`SaleScreen`'s cart and the login state."""

    def __init__(self, screen: SaleScreen) -> None:
        super().__init__(screen)
        self.screen = screen
        self.app_ctx = screen.app_ctx
        login_state = self.app_ctx.login_state
        # Already at the till (the window rebuilt in another language): the cart in memory is
        # the one of this moment, there is no draft to bring back.
        self.checked = login_state.ready
        self.closing = False  # the cashier chose: the next close goes through
        self.close_dialog: CloseCartDialog | None = None
        self.parked_waiting = 0
        self._who = self._session()
        self._had_lines: bool | None = None
        screen.panel.model.modelReset.connect(self.cart_shown)
        login_state.changed.connect(self.session_changed)

    def _session(self) -> tuple:
        state = self.app_ctx.login_state
        return (state.user.id if state.user else None, state.locked, state.shift_id)

    # -- the draft ---------------------------------------------------------------------
    def cart_shown(self) -> None:
        """The screen shows the cart again (it changed): keep it, and count the parked sales
        whenever the cart empties or fills (a park, a resume, a sale)."""
        cart = self.screen.cart
        has_lines = bool(cart.lines)
        if has_lines != self._had_lines:
            self._had_lines = has_lines
            self.count_parked()
        if not self.checked:  # the draft of the last run is not read yet: keep it
            return
        snapshot = Cart(lines=list(cart.lines), discount=cart.discount)  # lines are frozen
        # on the background worker: a draft's fsync never queues in front of a scan or a
        # checkout; a draft is a spare, so its failure is never in the way either
        self.app_ctx.ops.run(draft.save_draft, self.app_ctx.booth, snapshot,
                             on_error=lambda _f: None, background=True)

    def session_changed(self) -> None:
        who = self._session()
        if who != self._who:  # lock, login, logout, shift close: the last change is not theirs
            self._who = who
            self.screen.panel.sale_banner.clear()
        if self.app_ctx.login_state.ready and not self.checked:
            self.checked = True
            if self.screen.cart.lines:
                return
            # The draft's ops share the background worker and run in order: the draft is
            # read before any save of a cart changed meanwhile.
            self.app_ctx.ops.run(draft.restore_draft, self.app_ctx.booth,
                                 on_success=self._restored, owner=self, background=True)

    def _restored(self, restored: RestoredDraft | None) -> None:
        screen = self.screen
        if restored is None or screen.cart.lines or screen.busy:
            return  # the cashier has started a new sale already: it is theirs now
        screen.cart = restored.cart
        screen.new_cart_key()
        screen.refresh(len(restored.cart.lines) - 1 if restored.cart.lines else None)
        parts = [_("Last cart restored.")] if restored.cart.lines else []
        last = restored.last_sale
        if last is not None:
            parts.append(_("Last recorded sale: {number}, {total} at {time}.").format(
                number=last.number, total=format_rupiah(last.total),
                time=local_time(last.created_at, self.app_ctx.context.timezone)
                .strftime("%d/%m %H:%M")))
        else:
            parts.append(_("No sale was recorded before it."))
        if restored.missing:
            parts.append(ngettext(
                "Left out, no longer in the catalog: {names}.",
                "Left out, no longer in the catalog: {names}.",
                len(restored.missing)).format(names=", ".join(restored.missing)))
            screen.notice.show_message(" ".join(parts), "warning")
        else:
            screen.notice.show_message(" ".join(parts), "info")

    # -- a clean screen ----------------------------------------------------------------
    def after_sale(self) -> None:
        """The next customer sees every product: no search, no category, no facility."""
        self.screen.scan_box.clear()
        self.screen.grid.show_all()

    def count_parked(self) -> None:
        self.app_ctx.ops.run(parking.parked_count, self.app_ctx.booth,
                             on_success=self._show_parked, key="parked-count", owner=self,
                             on_error=lambda _f: None)

    def _show_parked(self, count: int) -> None:
        self.parked_waiting = count
        button = self.screen.panel.resume_button
        button.setText(_("Resume ({count})").format(count=count) if count else _("Resume"))

    # -- closing the window ------------------------------------------------------------
    def may_close(self, event: QCloseEvent) -> bool:
        """False (and the question asked) when the cart has items the cashier has not
        parked or discarded yet."""
        cart = self.screen.cart
        if self.closing or not cart.lines:
            return True
        event.ignore()
        if self.close_dialog is not None and self.close_dialog.isVisible():
            return False
        from pos_app.ui.sale.park_dialogs import CloseCartDialog

        total = cart.price(self.app_ctx.tax).total
        dialog = CloseCartDialog(sum(line.qty for line in cart.lines), format_rupiah(total),
                                 self.screen.window())
        dialog.chosen.connect(self._close_as)
        self.close_dialog = dialog
        dialog.open()
        return False

    def _close_as(self, choice: str) -> None:
        screen = self.screen
        snapshot = Cart(lines=list(screen.cart.lines), discount=screen.cart.discount)
        if choice == "park":
            self.app_ctx.ops.run(parking.park, self.app_ctx.booth, snapshot, "",
                                 on_success=lambda _id: self._close_now(), owner=self)
        else:
            self._close_now()

    def _close_now(self) -> None:
        self.screen.cart.clear()
        self.app_ctx.ops.run(draft.clear_draft, self.app_ctx.booth, background=True)
        self.closing = True
        self.screen.window().close()
