"""What reaches the cart from the scanner and the keyboard: a code looked up and added, a
quantity typed on a line, and "number then ``*``" that makes the next scan or tap add that many.

With a cart line selected (tapped), digits then Enter set its quantity; digits then ``*`` (there
or in the empty scan box) wait, shown as "5 ×" beside the scan box, for the next product. The
cart's own limits and messages apply (``domain.cart.check_qty``, the sale's total).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QWidget

from pos_app.domain.cart import MAX_QTY, check_qty
from pos_app.domain.errors import DomainError
from pos_app.i18n import _
from pos_app.services.catalog import catalog
from pos_app.services.catalog.catalog import ProductRow
from pos_app.ui.common.ops import error_text

if TYPE_CHECKING:
    from pos_app.ui.sale.sale_screen import SaleScreen

ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
MAX_DIGITS = len(str(MAX_QTY)) + 1  # one more than any allowed quantity: its message shows


class ScanIntake:
    """The sale screen's scans and typed quantities; ``label`` shows what is pending."""

    def __init__(self, screen: SaleScreen) -> None:
        self.screen = screen
        self.multiplier: int | None = None  # the next product is added this many times
        self.typed = ""  # digits typed on the selected cart line
        self.label = QLabel(screen)
        self.label.setProperty("role", "heading")
        self.label.setObjectName("pendingQty")
        self.label.hide()

    def scan_row(self, scan_box: QWidget) -> QHBoxLayout:
        """The scan box with the pending multiplier beside it."""
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(scan_box, 1)
        row.addWidget(self.label)
        return row

    # -- scans --------------------------------------------------------------------------------
    def scan(self, code: str) -> None:
        """Find ``code`` (in an op) and add it once, or the pending number of times."""
        screen = self.screen
        screen.panel.sale_banner.clear()
        screen.app_ctx.ops.run(catalog.find_by_code, screen.app_ctx.booth, code,
                               on_success=lambda row: self.scanned(code, row), owner=screen)

    def scanned(self, code: str, row: ProductRow | None) -> None:
        screen = self.screen
        if row is None:
            self.multiplier = None
            self.show_pending()
            screen.notice.show_error(_("No product has the code “{code}”").format(code=code))
            screen.scan_box.ready_for_next_scan()
            return
        if screen.add_product(row):
            if screen.scan_box.text().strip() == code:
                screen.scan_box.clear()
        else:
            screen.scan_box.ready_for_next_scan()

    def take_multiplier(self) -> int:
        """How many of the next product to add (1 unless a number then ``*`` was typed)."""
        qty, self.multiplier = self.multiplier or 1, None
        self.show_pending()
        return qty

    def set_multiplier(self, qty: int) -> bool:
        try:
            self.multiplier = check_qty(qty)
        except DomainError as exc:
            self.multiplier = None
            self.screen.notice.show_error(error_text(exc))
        self.show_pending()
        return self.multiplier is not None

    def type_in_scan_box(self, text: str) -> None:
        """Letters typed on the grid search: the grid never picks a product by typing."""
        box = self.screen.scan_box
        box.setFocus(Qt.FocusReason.OtherFocusReason)
        QApplication.sendEvent(box, QKeyEvent(QEvent.Type.KeyPress, 0,
                                              Qt.KeyboardModifier.NoModifier, text))

    # -- typing on a cart line -----------------------------------------------------------------
    def cart_key(self, event: QKeyEvent) -> bool:
        """A key on the cart table; True when it was a quantity's (the table does nothing)."""
        key, text = event.key(), event.text()
        if text.isdigit() and len(text) == 1:
            if len(self.typed) < MAX_DIGITS and (self.typed or text != "0"):
                self.typed += text
            self.show_pending()
            return True
        if not self.typed:
            return False
        if text == "*" or key == Qt.Key.Key_Asterisk:
            qty, self.typed = int(self.typed), ""
            self.set_multiplier(qty)
        elif key in ENTER:
            qty, self.typed = int(self.typed), ""
            self.show_pending()
            self.screen.set_qty(qty)
        elif key == Qt.Key.Key_Backspace:
            self.typed = self.typed[:-1]
            self.show_pending()
        elif key == Qt.Key.Key_Escape:
            self.clear()
        else:
            return False
        return True

    def clear(self) -> None:
        self.typed, self.multiplier = "", None
        self.show_pending()

    def show_pending(self) -> None:
        if self.typed:
            text = _("Qty {qty}: Enter sets it").format(qty=self.typed)
        elif self.multiplier is not None:
            text = _("{qty} ×").format(qty=self.multiplier)
        else:
            text = ""
        self.label.setText(text)
        self.label.setVisible(bool(text))
