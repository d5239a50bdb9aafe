"""The right side of the sale screen: last sale, the cart, its totals and the sale's actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from pos_app.domain.cart import Cart, PricedCart
from pos_app.domain.money import format_rupiah
from pos_app.i18n import _, ngettext
from pos_app.ui.common.banner import Banner, BannerStack
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.labels import discount_text
from pos_app.ui.sale.cart_model import DISCOUNT, CartTableModel, cart_rows, minus
from pos_app.ui.sale.cart_view import CartView


class CartPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.sale_banner = Banner(self, large=True)

        title = QLabel(_("Cart"), self)
        title.setProperty("role", "heading")
        self.count_label = QLabel(self)
        self.count_label.setProperty("role", "caption")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.count_label)

        self.model = CartTableModel(self)
        self.view = CartView(self)
        self.view.setModel(self.model)
        self.empty_hint = QLabel(_("Scan a barcode or tap a product to start a sale"), self)
        self.empty_hint.setProperty("role", "hint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)

        self.minus_button = TouchButton("−", self)
        self.minus_button.setToolTip(_("One less of the selected line (key -)"))
        self.plus_button = TouchButton("+", self)
        self.plus_button.setToolTip(_("One more of the selected line (key +)"))
        self.remove_button = TouchButton(_("Remove"), self, role="danger", key="Del")
        self.line_discount_button = TouchButton(_("Line discount"), self, key="F2")
        self.price_button = TouchButton(_("Price"), self, key="F7")
        self.price_button.setToolTip(_("Change the selected line's price (a coordinator "
                                       "approves a cashier's change)"))
        line_row = QHBoxLayout()
        line_row.setSpacing(6)
        for button in (self.minus_button, self.plus_button):
            button.setFixedWidth(56)
            line_row.addWidget(button)
        line_row.addWidget(self.remove_button, 1)
        line_row.addWidget(self.line_discount_button, 1)
        line_row.addWidget(self.price_button, 1)

        self.subtotal_label = QLabel(self)
        self.discount_label = QLabel(self)
        self.tax_label = QLabel(self)
        self.discount_caption = QLabel(_("Discount"), self)
        self.tax_caption = QLabel(_("PPN added"), self)
        self.total_label = QLabel(format_rupiah(0), self)
        self.total_label.setProperty("role", "total")
        total_caption = QLabel(_("TOTAL"), self)
        total_caption.setProperty("role", "total-caption")
        totals = QGridLayout()
        totals.setHorizontalSpacing(12)
        totals.setVerticalSpacing(2)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for i, (cap, value) in enumerate(((QLabel(_("Subtotal"), self), self.subtotal_label),
                                          (self.discount_caption, self.discount_label),
                                          (self.tax_caption, self.tax_label))):
            cap.setProperty("role", "caption")
            value.setProperty("role", "caption")
            totals.addWidget(cap, i, 0)
            totals.addWidget(value, i, 1, right)
        totals.addWidget(total_caption, 3, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        totals.addWidget(self.total_label, 3, 1, right)

        self.sale_discount_button = TouchButton(_("Sale discount"), self, key="F3")
        self.park_button = TouchButton(_("Park"), self, key="F4")
        self.resume_button = TouchButton(_("Resume"), self, key="F5")
        actions = QHBoxLayout()
        actions.setSpacing(6)
        for button in (self.sale_discount_button, self.park_button, self.resume_button):
            actions.addWidget(button, 1)
        self.pay_button = TouchButton(_("Pay"), self, role="pay", key="F12")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_hint, 1)
        layout.addLayout(line_row)
        layout.addSpacing(4)
        layout.addLayout(totals)
        layout.addSpacing(4)
        layout.addLayout(actions)
        layout.addWidget(self.pay_button)
        # the last sale lies over the top of the (then empty) cart: the cart does not move
        self.sale_stack = BannerStack(self, self.sale_banner, inset=12)

    def show_cart(self, cart: Cart, priced: PricedCart, selected: int | None) -> None:
        self.model.set_rows(cart_rows(cart, priced))
        # the discount column earns its width only when some line has a discount
        self.view.setColumnHidden(DISCOUNT, priced.discount == 0)
        self.view.select_row(selected)
        has_lines = bool(cart.lines)
        self.view.setVisible(has_lines)
        self.empty_hint.setVisible(not has_lines)
        items = sum(line.qty for line in cart.lines)
        self.count_label.setText(ngettext("{count} item", "{count} items", items).format(
            count=items) if has_lines else "")
        self.subtotal_label.setText(format_rupiah(priced.subtotal))
        has_discount = priced.discount > 0
        rule = discount_text(cart.discount)
        self.discount_caption.setText(_("Discount ({rule} on the sale)").format(rule=rule)
                                      if rule else _("Discount"))
        self.discount_label.setText(minus(priced.discount))
        for widget in (self.discount_caption, self.discount_label):
            widget.setVisible(has_discount)
        added = priced.tax_added
        self.tax_label.setText(format_rupiah(added))
        for widget in (self.tax_caption, self.tax_label):
            widget.setVisible(added > 0)
        self.total_label.setText(format_rupiah(priced.total))
        for button in (self.minus_button, self.plus_button, self.remove_button,
                       self.line_discount_button, self.sale_discount_button, self.park_button,
                       self.pay_button):
            button.setEnabled(has_lines)
        self.resume_button.setEnabled(not has_lines)
