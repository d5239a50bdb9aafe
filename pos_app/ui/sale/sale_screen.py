"""The sale screen: find products (grid, search, scanner), build the cart, park, pay, print.

The domain ``Cart`` is the state; this screen changes it, prices it and shows it. Every
database call (lookups, parking, checkout) runs as an op, so the screen never waits on disk.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QVBoxLayout, QWidget

from pos_app.domain.cart import Cart
from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_rupiah
from pos_app.i18n import _
from pos_app.services.access import approvals
from pos_app.services.catalog.catalog import ProductRow
from pos_app.services.sale import parking
from pos_app.services.sale.checkout import SaleResult
from pos_app.services.sale.parking import ParkedRow
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner, BannerStack
from pos_app.ui.common.dialog_layout import drop_closed, shortcut
from pos_app.ui.common.ops import OpFailure, error_text
from pos_app.ui.sale.cart_keeper import CartKeeper, sale_banner_text
from pos_app.ui.sale.cart_panel import CartPanel
from pos_app.ui.sale.print_warning import PrintWarning
from pos_app.ui.sale.product_grid import ProductGrid
from pos_app.ui.sale.scan_box import ScanBox
from pos_app.ui.sale.scan_intake import ScanIntake

if TYPE_CHECKING:  # the dialogs load when first opened, not with the screen
    from pos_app.ui.sale.discount_approval import DiscountGate
    from pos_app.ui.sale.discount_dialog import DiscountDialog
    from pos_app.ui.sale.park_dialogs import ParkDialog, ParkedDialog
    from pos_app.ui.sale.payment_dialog import PaymentDialog
    from pos_app.ui.sale.price_dialog import PriceDialog

CART_WIDTH = 620  # the cart's width where there is room; narrower on a 1024 px screen


class SaleScreen(QWidget):
    def __init__(self, app_ctx: AppContext, cart: Cart | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.cart = cart if cart is not None else Cart()
        self.cart_key = uuid.uuid4()  # names this cart in discount approvals
        self.approval_ids: list[uuid.UUID] = []  # approvals for this cart, spent by the sale
        self.discount_gate: DiscountGate | None = None
        self.busy = False  # parking or resuming: the cart must not change underneath
        self.payment_dialog: PaymentDialog | None = None
        self.discount_dialog: DiscountDialog | None = None
        self.park_dialog: ParkDialog | None = None
        self.parked_dialog: ParkedDialog | None = None
        self.price_dialog: PriceDialog | None = None

        self.scan_box = ScanBox(self, takes_multiplier=True)
        self.intake = ScanIntake(self)  # scans and typed quantities
        self.notice = Banner(self)
        self.print_warning = PrintWarning(app_ctx.printer, self)
        self.grid = ProductGrid(app_ctx, self)
        self.panel = CartPanel(self)
        self.panel.setMaximumWidth(CART_WIDTH)

        left = QVBoxLayout()
        left.setSpacing(10)
        left.addLayout(self.intake.scan_row(self.scan_box))
        left.addWidget(self.grid, 1)
        self.banners = BannerStack(self.grid, self.notice, self.print_warning)  # over, not in
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(10)
        layout.addLayout(left, 1)
        layout.addWidget(self.panel)

        self.scan_box.search_changed.connect(self.grid.search)
        self.scan_box.code_entered.connect(self.intake.scan)
        self.scan_box.qty_step.connect(self.change_qty)
        self.scan_box.remove_line.connect(self.remove_line)
        self.scan_box.to_grid.connect(self.focus_grid)
        self.scan_box.times.connect(self.intake.set_multiplier)
        self.grid.typed.connect(self.intake.type_in_scan_box)
        self.grid.product_chosen.connect(self.add_product)
        self.grid.filter_changed.connect(self.scan_box.clear)
        view = self.panel.view
        view.qty_step.connect(self.change_qty)
        view.remove_line.connect(self.remove_line)
        view.key_hook = self.intake.cart_key
        self.panel.minus_button.clicked.connect(lambda: self.change_qty(-1))
        self.panel.plus_button.clicked.connect(lambda: self.change_qty(1))
        self.panel.remove_button.clicked.connect(self.remove_line)
        self.panel.line_discount_button.clicked.connect(self.discount_line)
        self.panel.price_button.clicked.connect(self.change_price)
        self.panel.sale_discount_button.clicked.connect(self.discount_sale)
        self.panel.park_button.clicked.connect(self.park)
        self.panel.resume_button.clicked.connect(self.resume)
        self.panel.pay_button.clicked.connect(self.pay)

        for key, handler in (("F1", self.focus_scan), ("F2", self.discount_line),
                             ("F3", self.discount_sale), ("F4", self.park),
                             ("F5", self.resume), ("F7", self.change_price),
                             ("F12", self.pay)):
            shortcut(self, key, handler)  # a window shortcut, like every QAction's
        self.keeper = CartKeeper(self)  # the draft, the close question, a clean screen
        self.refresh()

    def new_cart_key(self) -> None:
        """A new cart: approvals given for the last one do not carry over."""
        self.cart_key = uuid.uuid4()
        self.approval_ids = []

    def start(self) -> None:
        """Load the catalog lists and the first page (in ops), with the cursor in the scan box."""
        self.grid.start()
        self.focus_scan()

    # -- showing ----------------------------------------------------------------------
    def refresh(self, selected: int | None = None) -> None:
        priced = self.cart.price(self.app_ctx.tax)
        if selected is None and self.cart.lines:
            current = self.panel.view.selected_row()
            selected = current if current is not None else len(self.cart.lines) - 1
        self.panel.show_cart(self.cart, priced, selected)
        self.app_ctx.display.show_cart(self.cart, priced)  # the buyer's side, at once

    def show_failure(self, failure: OpFailure) -> None:
        """Where failed ops land: inline, never a modal box."""
        self.notice.show_error(failure.message)

    def focus_scan(self) -> None:
        self.scan_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scan_box.selectAll()

    def focus_grid(self) -> None:
        """From the scan box into the grid (Down arrow); arrows move, Enter adds."""
        view = self.grid.view
        if view.model().rowCount():
            view.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if not view.currentIndex().isValid():
                view.setCurrentIndex(view.model().index(0, 0))

    def open_dialog(self, name: str, dialog: QDialog) -> None:
        """Open ``dialog`` as ``self.<name>``; the closed one before it is deleted."""
        drop_closed(getattr(self, name))
        setattr(self, name, dialog)
        dialog.finished.connect(self.dialog_closed)
        dialog.open()

    def dialog_closed(self, _result: int = 0) -> None:
        """Back to the scan box, in an active window, ready for the next scan."""
        self.window().activateWindow()
        self.focus_scan()

    def _change(self, change: Callable[[], int | None]) -> bool:
        """Apply one cart change; a broken rule is shown and leaves the cart as it was."""
        if self.busy:
            return False
        try:
            selected = change()
        except DomainError as exc:
            self.notice.show_error(error_text(exc))
            return False
        self.panel.sale_banner.clear()
        self.notice.clear()
        self.refresh(selected)
        return True

    def selected_line(self) -> int | None:
        row = self.panel.view.selected_row()
        if row is None and self.cart.lines:
            row = len(self.cart.lines) - 1
        return row

    # -- the cart ---------------------------------------------------------------------
    def add_product(self, row: ProductRow, qty: int | None = None) -> bool:
        """Add ``qty`` of ``row``; by default 1, or the number typed before ``*``."""
        qty = self.intake.take_multiplier() if qty is None else qty
        if not row.active:
            self.notice.show_error(error_text(DomainError("inactive_product", ref=row.sku)))
            return False
        return self._change(lambda: self.cart.add(row.ref(), qty))

    def set_qty(self, qty: int) -> None:
        self._change_selected(lambda index: self.cart.set_qty(index, qty))

    def change_qty(self, delta: int) -> None:
        self._change_selected(lambda index: self.cart.change_qty(index, delta))

    def remove_line(self) -> None:
        self._change_selected(self.cart.remove)

    def _change_selected(self, step: Callable[[int], None]) -> None:
        """``step`` on the selected line; the selection stays on the line now at its place."""
        index = self.selected_line()
        if index is None:
            return

        def change() -> int | None:
            step(index)
            return min(index, len(self.cart.lines) - 1) if self.cart.lines else None

        self._change(change)

    def accepts_scan(self) -> bool:  # a scan from anywhere on this screen (ui/common/scanner)
        return not self.busy

    def take_scan(self, code: str) -> None:
        """What the scanner sent: shown in the scan box, found and added (by ``intake``)."""
        self.scan_box.show_scanned(code)
        self.intake.scan(code)

    # -- discounts --------------------------------------------------------------------
    def discount_line(self) -> None:
        index = self.selected_line()
        if index is None:
            self.notice.show_error(error_text(DomainError("empty_cart")))
            return
        line = self.cart.lines[index]
        gross = line.qty * line.product.unit_price

        self._open_discount(
            _("Line discount"),
            _("{name} × {qty}: {amount}").format(name=line.product.name, qty=line.qty,
                                                 amount=format_rupiah(gross)),
            line.discount, lambda d: self.cart.set_line_discount(index, d), index, gross, index)

    def change_price(self) -> None:
        """A price override on the selected line; a cashier's needs a coordinator's PIN
        (checkout checks it again against the catalog price)."""
        index = self.selected_line()
        if index is None:
            self.notice.show_error(error_text(DomainError("empty_cart")))
            return
        from pos_app.ui.sale.price_dialog import PriceDialog

        line = self.cart.lines[index]
        drop_closed(self.price_dialog)
        self.price_dialog = PriceDialog(line.product.name, line.catalog_price,
                                        line.product.unit_price, self)
        self.price_dialog.chosen.connect(lambda price: self._price_chosen(index, price))
        self.price_dialog.open()

    def _price_chosen(self, index: int, price: int) -> None:
        line = self.cart.lines[index]
        if price == line.product.unit_price:
            return

        def apply(approval_id) -> None:
            if approval_id is not None:
                self.approval_ids.append(approval_id)
            self._change(lambda: self.cart.set_price(index, price) or index)  # noqa: B023

        if price == line.catalog_price:  # back to the catalog price: nothing to approve
            apply(None)
            return
        from pos_app.ui.history.approval_dialog import with_approval

        probe = self._probe_cart()
        probe.set_price(index, price)
        self.price_approval = with_approval(
            self.app_ctx, self, "price_override",
            approvals.price_change(self.cart_key, probe, index, self.app_ctx.tax), apply,
            _("{name}: {old} → {new}").format(name=line.product.name,
                                             old=format_rupiah(line.catalog_price),
                                             new=format_rupiah(price)))

    def _probe_cart(self) -> Cart:
        """A copy of the cart to try a discount on before asking anyone to approve it."""
        return Cart(lines=list(self.cart.lines), discount=self.cart.discount)

    def discount_sale(self) -> None:
        if not self.cart.lines:
            self.notice.show_error(error_text(DomainError("empty_cart")))
            return
        priced = self.cart.price(self.app_ctx.tax)
        base = sum(line.gross - line.line_discount for line in priced.lines)
        self._open_discount(
            _("Discount on the whole sale"),
            _("Shared over every line of the sale: {amount} after line discounts.").format(
                amount=format_rupiah(base)),
            self.cart.discount, self.cart.set_discount, None, base, self.selected_line())

    def _open_discount(self, title: str, subject: str, current, apply, line: int | None,
                       base: int, selected: int | None) -> None:
        """The discount dialog for ``line`` (None: the sale), behind its approval gate; an
        approval is bound to the cart with the discount (``DiscountGate.change_of``)."""
        from pos_app.ui.sale.discount_approval import DiscountGate
        from pos_app.ui.sale.discount_dialog import DiscountDialog

        self.discount_gate = DiscountGate(self.app_ctx, self.cart_key, self.cart, line, base,
                                          self.approval_ids.append)
        dialog = DiscountDialog(title, subject, current, apply, self, gate=self.discount_gate)
        dialog.applied.connect(lambda: self._change(lambda: selected))
        self.open_dialog("discount_dialog", dialog)

    # -- parking ----------------------------------------------------------------------
    def park(self) -> None:
        if self.busy:
            return
        if not self.cart.lines:
            self.notice.show_error(error_text(DomainError("empty_cart")))
            return
        from pos_app.ui.sale.park_dialogs import ParkDialog

        dialog = ParkDialog(self)
        dialog.confirmed.connect(self._park_as)
        self.open_dialog("park_dialog", dialog)

    def _park_as(self, label: str) -> None:
        snapshot = Cart(lines=list(self.cart.lines), discount=self.cart.discount)
        self.busy = True

        def parked(_parked_id: uuid.UUID) -> None:
            self.busy = False
            self.cart.clear()
            self.new_cart_key()
            self.refresh()
            self.panel.sale_banner.clear()
            text = _("Sale parked as “{label}”. Resume it with F5.").format(label=label) \
                if label else _("Sale parked. Resume it with F5.")
            self.notice.show_message(text, "info")

        self.app_ctx.ops.run(parking.park, self.app_ctx.booth, snapshot, label, on_success=parked,
                          on_error=self._unbusy, owner=self)

    def _unbusy(self, failure: OpFailure) -> None:
        self.busy = False
        self.show_failure(failure)

    def resume(self) -> None:
        if self.busy:
            return
        if self.cart.lines:
            self.notice.show_error(_("Finish or park the current sale before resuming another."))
            return
        self.app_ctx.ops.run(parking.parked, self.app_ctx.booth, on_success=self._pick_parked,
                          owner=self)

    def _pick_parked(self, rows: list[ParkedRow]) -> None:
        if not rows:
            self.notice.show_message(_("There are no parked sales."), "info")
            return
        from pos_app.ui.sale.park_dialogs import ParkedDialog

        dialog = ParkedDialog(rows, self.app_ctx.context.timezone, self)
        dialog.chosen.connect(self._resume)
        self.open_dialog("parked_dialog", dialog)

    def _resume(self, parked_id: uuid.UUID) -> None:
        if self.cart.lines:
            return
        self.busy = True

        def resumed(cart: Cart) -> None:
            self.busy = False
            self.cart = cart
            self.new_cart_key()
            self.panel.sale_banner.clear()
            self.notice.clear()
            self.refresh(len(cart.lines) - 1 if cart.lines else None)

        self.app_ctx.ops.run(parking.resume, self.app_ctx.booth, parked_id, on_success=resumed,
                          on_error=self._unbusy, owner=self)

    # -- paying -----------------------------------------------------------------------
    def pay(self) -> None:
        if self.busy:
            return
        if not self.cart.lines:
            self.notice.show_error(error_text(DomainError("empty_cart")))
            return
        from pos_app.ui.sale.payment_dialog import PaymentDialog

        dialog = PaymentDialog(self.app_ctx, self.cart, self, cart_key=self.cart_key,
                               approval_ids=tuple(self.approval_ids))
        dialog.sale_recorded.connect(self._sale_recorded)
        self.app_ctx.display.watch_payment(self.app_ctx, dialog)  # after the screen's own
        self.open_dialog("payment_dialog", dialog)

    def _sale_recorded(self, sale: SaleResult) -> None:
        self.cart.clear()
        self.new_cart_key()
        self.refresh()
        self.notice.clear()
        if sale.below_zero:  # recorded anyway: the goods are in the customer's hands
            self.notice.show_message(_("Stock below zero for {names}: recorded; tell the "
                                       "coordinator to check the stock.").format(
                names=", ".join(sale.below_zero)), "warning")
        self.panel.sale_banner.show_message(sale_banner_text(sale), "success")
        self.keeper.after_sale()
        self.focus_scan()
        self.app_ctx.printer.after_sale(sale.id, sale.number)  # queued; the screen never waits
        self.app_ctx.wal.after_sale()
