"""The discount dialog: an amount in rupiah or a percentage, for one line or the whole sale."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from pos_app.domain.cart import Discount
from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_number, parse_percent, parse_rupiah
from pos_app.i18n import _
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import titled
from pos_app.ui.common.keypad import Keypad
from pos_app.ui.common.labels import percent_text
from pos_app.ui.common.ops import error_text

QUICK_PERCENTS = (5, 10, 15, 20)


class DiscountDialog(QDialog):
    """``apply(discount)`` changes the cart and may raise ``DomainError`` (shown here, inline);
    ``None`` removes the discount. :attr:`applied` fires once the cart took it.

    ``gate(discount, go, dialog)``, when given, decides whether the discount may be applied
    now: it calls ``go()`` at once, or later (after a coordinator's approval), or never."""

    applied = Signal()

    def __init__(self, title: str, subject: str, current: Discount | None,
                 apply: Callable[[Discount | None], None], parent: QWidget | None = None,
                 gate: Callable[[Discount, Callable[[], None], QWidget], None] | None = None
                 ) -> None:
        super().__init__(parent)
        self._apply = apply
        self._gate = gate
        self.setMinimumWidth(460)
        layout = titled(self, title, subject)

        self.amount_button = TouchButton(_("Rupiah"), self)
        self.percent_button = TouchButton(_("Percent"), self)
        self._kind = QButtonGroup(self)
        for button in (self.amount_button, self.percent_button):
            button.setCheckable(True)
            self._kind.addButton(button)
        self.amount_button.toggled.connect(self._kind_changed)

        self.value_edit = QLineEdit(self)
        self.value_edit.setProperty("role", "amount")
        self.value_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.value_edit.returnPressed.connect(self.confirm)
        quick = QHBoxLayout()
        self._quick_buttons = []
        for pct in QUICK_PERCENTS:
            button = TouchButton(f"{pct}%", self, role="quick")
            button.clicked.connect(lambda _c=False, p=pct: self._quick(p))
            quick.addWidget(button)
            self._quick_buttons.append(button)

        self.error = Banner(self)
        self.remove_button = TouchButton(_("Remove discount"), self, role="danger")
        self.remove_button.setEnabled(current is not None)
        self.remove_button.clicked.connect(lambda: self._try(None))
        cancel = TouchButton(_("Cancel"), self, key="Esc")
        cancel.clicked.connect(self.reject)
        self.apply_button = TouchButton(_("Apply"), self, role="primary", key="Enter")
        self.apply_button.clicked.connect(self.confirm)

        kinds = QHBoxLayout()
        kinds.addWidget(self.amount_button)
        kinds.addWidget(self.percent_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.apply_button)
        layout.addLayout(kinds)
        layout.addWidget(self.value_edit)
        layout.addLayout(quick)
        layout.addWidget(Keypad(self.value_edit, self))
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        if current is not None and current.kind == "percent":
            self.percent_button.setChecked(True)
            self.value_edit.setText(percent_text(current.value).rstrip("%"))
        else:
            self.amount_button.setChecked(True)
            if current is not None:
                self.value_edit.setText(format_number(int(current.value)))
        self._kind_changed()
        self.value_edit.setFocus()
        self.value_edit.selectAll()

    def _kind_changed(self, _checked: bool = False) -> None:
        percent = self.percent_button.isChecked()
        self.value_edit.setPlaceholderText(_("e.g. 10") if percent else _("e.g. 10.000"))
        for button in self._quick_buttons:
            button.setVisible(percent)

    def _quick(self, pct: int) -> None:
        self.percent_button.setChecked(True)
        self.value_edit.setText(str(pct))
        self.confirm()

    def set_percent(self, text: str) -> None:
        self.percent_button.setChecked(True)
        self.value_edit.setText(text)

    def set_amount(self, text: str) -> None:
        self.amount_button.setChecked(True)
        self.value_edit.setText(text)

    def discount(self) -> Discount | None:
        """What the fields say; raises ``DomainError`` on an unreadable value."""
        text = self.value_edit.text().strip()
        if not text:
            return None
        if self.percent_button.isChecked():
            return Discount.percent(parse_percent(text.rstrip("%")))
        return Discount.amount(parse_rupiah(text))

    def confirm(self) -> None:
        try:
            discount = self.discount()
        except DomainError as exc:
            self._show(exc)
            return
        self._try(discount)

    def _try(self, discount: Discount | None) -> None:
        if discount is not None and self._gate is not None:
            self._gate(discount, lambda: self._apply_now(discount), self)
        else:
            self._apply_now(discount)

    def _apply_now(self, discount: Discount | None) -> None:
        try:
            self._apply(discount)
        except DomainError as exc:
            self._show(exc)
            return
        self.applied.emit()
        self.accept()

    def _show(self, exc: DomainError) -> None:
        self.error.show_error(error_text(exc))
        self.value_edit.setFocus()
        self.value_edit.selectAll()
