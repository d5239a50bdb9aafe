"""Changing a cart line's price (a price override): the new unit price in rupiah."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QWidget

from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_number, format_rupiah, parse_rupiah
from pos_app.i18n import _
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import titled
from pos_app.ui.common.keypad import Keypad
from pos_app.ui.common.ops import error_text


class PriceDialog(QDialog):
    """:attr:`chosen` fires with the new unit price once it is a valid rupiah amount."""

    chosen = Signal(int)

    def __init__(self, name: str, catalog_price: int, current: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(420)
        layout = titled(self, _("Change price"), _("{name}: catalog price {price}").format(
            name=name, price=format_rupiah(catalog_price)))
        self.price_edit = QLineEdit(format_number(current), self)
        self.price_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.price_edit.selectAll()
        self.error = QLabel("", self)
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.ok_button = TouchButton(_("Apply"), self, role="primary", key="Enter")
        self.cancel_button = TouchButton(_("Cancel"), self, key="Esc")
        self.ok_button.clicked.connect(self.confirm)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        for widget in (self.price_edit, Keypad(self.price_edit, self), self.error):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.price_edit.returnPressed.connect(self.confirm)

    def confirm(self) -> None:
        try:
            price = parse_rupiah(self.price_edit.text())
        except DomainError as exc:
            self.error.setText(error_text(exc))
            return
        self.chosen.emit(price)
        self.accept()
