"""The input side of the payment dialog for one method: amount, quick cash, reference, QRIS."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from pos_app.domain.errors import DomainError
from pos_app.domain.money import MAX_AMOUNT, format_number, format_rupiah, parse_rupiah
from pos_app.domain.tenders import Method, Tender, quick_tenders
from pos_app.i18n import _
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.keypad import Keypad

QR_SIZE = 200
QUICK_COUNT = 4


def read_image(path: str) -> QImage | None:
    """Runs in an op: the QRIS sticker image, or None if it cannot be read."""
    image = QImage(path)
    return None if image.isNull() else image


class TenderForm(QWidget):
    changed = Signal()  # the amount or reference was edited
    submitted = Signal()  # Enter in a field

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.method = Method.CASH
        self.qr = QLabel(self)
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setFixedSize(QR_SIZE + 16, QR_SIZE + 16)
        self.qr.setStyleSheet("background: white; border: 1px solid #D8DFE5; border-radius: 10px;")
        self.qr_hint = QLabel(self)
        self.qr_hint.setProperty("role", "hint")
        self.qr_hint.setWordWrap(True)

        self.amount_label = QLabel(_("Amount"), self)
        self.amount_label.setProperty("role", "caption")
        self.amount_edit = QLineEdit(self)
        self.amount_edit.setProperty("role", "amount")
        self.amount_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount_edit.setPlaceholderText("0")
        self.amount_edit.textChanged.connect(self._group_thousands)
        self.amount_edit.textEdited.connect(lambda _t: self.changed.emit())
        self.amount_edit.returnPressed.connect(self.submitted)

        self.quick_box = QWidget(self)
        self._quick_grid = QGridLayout(self.quick_box)
        self._quick_grid.setContentsMargins(0, 0, 0, 0)
        self._quick_grid.setSpacing(6)
        self.quick_buttons: list[TouchButton] = []
        for i in range(QUICK_COUNT):
            button = TouchButton("", self.quick_box, role="quick")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, b=button: self._quick_pressed(b))
            self._quick_grid.addWidget(button, i // 2, i % 2)
            self.quick_buttons.append(button)
        self.keypad = Keypad(self.amount_edit, self)
        for button in self.keypad.findChildren(TouchButton):
            button.clicked.connect(lambda _c=False: self.changed.emit())

        self.reference_label = QLabel(self)
        self.reference_label.setProperty("role", "caption")
        self.reference_edit = QLineEdit(self)
        self.reference_edit.setMaxLength(64)
        self.reference_edit.textEdited.connect(lambda _t: self.changed.emit())
        self.reference_edit.returnPressed.connect(self.submitted)
        self.note = QLabel(self)
        self.note.setProperty("role", "hint")
        self.note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(4)
        layout.addWidget(self.qr_hint)
        layout.addWidget(self.amount_label)
        layout.addWidget(self.amount_edit)
        layout.addWidget(self.quick_box)
        layout.addWidget(self.keypad)
        layout.addWidget(self.reference_label)
        layout.addWidget(self.reference_edit)
        layout.addWidget(self.note)
        layout.addStretch(1)

    def set_method(self, method: Method, remaining: int) -> None:
        """Show the fields ``method`` needs; non-cash starts at the remaining amount."""
        self.method = method
        cash = method is Method.CASH
        self.reference_edit.clear()
        self.reference_label.setText(
            _("Approval code (from the EDC slip)") if method is Method.CARD
            else _("Reference number (optional)"))
        if method is Method.CARD:
            self.note.setText(_("Run the card on the bank's EDC first, then enter its approval code."))
        else:
            self.note.setText(_("Recorded as unverified until it is matched against the "
                                "bank or e-wallet statement."))
        self.set_quick(remaining)
        self._show_parts()
        self.set_amount(None if cash else remaining)

    def _show_parts(self) -> None:
        """Hide first, then show: the dialog never sees both sets at once (and never grows)."""
        cash, qris = self.method is Method.CASH, self.method is Method.QRIS
        has_qr = not self.qr.pixmap().isNull()
        wanted = {
            self.qr: qris and has_qr, self.qr_hint: qris and bool(self.qr_hint.text()),
            self.quick_box: cash, self.keypad: cash, self.reference_label: not cash,
            self.reference_edit: not cash, self.note: not cash,
        }
        for widget, visible in wanted.items():
            if not visible:
                widget.setVisible(False)
        for widget, visible in wanted.items():
            if visible:
                widget.setVisible(True)

    def set_quick(self, remaining: int) -> None:
        """Quick cash buttons for what is still due: Uang pas, then covering notes."""
        amounts = quick_tenders(remaining)[:QUICK_COUNT] if remaining > 0 else []
        for i, button in enumerate(self.quick_buttons):
            if i < len(amounts):
                amount = amounts[i]
                button.setText(_("Exact amount") if i == 0 else format_rupiah(amount))
                button.setToolTip(format_rupiah(amount))
                button.setProperty("amount", amount)
            button.setVisible(i < len(amounts))

    def _quick_pressed(self, button: TouchButton) -> None:
        self._quick(int(button.property("amount")))

    def _quick(self, amount: int) -> None:
        self.set_amount(amount)
        self.changed.emit()

    def set_amount(self, amount: int | None) -> None:
        self.amount_edit.setText("" if not amount else format_number(amount))
        self.amount_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.amount_edit.selectAll()

    def _group_thousands(self, text: str) -> None:
        """Show thousands dots as the cashier types (150000 -> 150.000); the cursor keeps its
        place among the digits. Anything but digits and dots is left for the error message."""
        if not text or any(c not in "0123456789." for c in text):
            return
        digits = text.replace(".", "")
        grouped = format_number(int(digits)) if digits else ""
        if grouped == text:
            return
        edit = self.amount_edit
        after = sum(c.isdigit() for c in text[edit.cursorPosition():])
        edit.blockSignals(True)  # one textChanged for the cashier's key, not two
        edit.setText(grouped)
        edit.blockSignals(False)
        pos = len(grouped)
        while after and pos > 0:
            pos -= 1
            if grouped[pos].isdigit():
                after -= 1
        edit.setCursorPosition(pos)
        self.changed.emit()  # textEdited saw the ungrouped text first

    def exact_cash(self, remaining: int) -> Tender | None:
        """Enter on an empty amount in cash: the exact amount still due (uang pas)."""
        if self.method is Method.CASH and remaining > 0 and not self.amount_edit.text().strip():
            return Tender(Method.CASH, remaining)
        return None

    def set_qr_image(self, image: QImage | None, hint: str) -> None:
        if image is not None:
            self.qr.setPixmap(QPixmap.fromImage(image).scaled(
                QR_SIZE, QR_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        self.qr_hint.setText(hint)
        self._show_parts()

    def draft_amount(self) -> int:
        """The typed amount (0 when empty); raises ``DomainError`` if it is not rupiah."""
        text = self.amount_edit.text().strip()
        return parse_rupiah(text) if text else 0

    def draft(self) -> Tender | None:
        """The tender the fields describe, None while no amount is typed.

        Raises ``DomainError`` for an unreadable amount, or a card without its approval code.
        """
        amount = self.draft_amount()
        if amount == 0:
            if self.amount_edit.text().strip():
                raise DomainError("bad_amount", amount=self.amount_edit.text(),
                                  max=format_rupiah(MAX_AMOUNT))
            return None
        reference = self.reference_edit.text().strip() or None
        if self.method is Method.CARD and reference is None:
            raise DomainError("reference_required", method=self.method.value)
        return Tender(self.method, amount, reference)

    def clear(self) -> None:
        self.amount_edit.clear()
        self.reference_edit.clear()
