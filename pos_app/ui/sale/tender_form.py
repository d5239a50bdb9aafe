"""The input side of the payment dialog for one method: amount, quick cash, reference, QRIS.

For QRIS the code the buyer scans stands on the left, what it asks for beside it; the tender
carries the exact payload painted, and only for the amount it was made for."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from pos_app.domain.errors import DomainError
from pos_app.domain.money import MAX_AMOUNT, format_number, format_rupiah, parse_rupiah
from pos_app.domain.tenders import Method, Tender, quick_tenders
from pos_app.i18n import _
from pos_app.services.sale.qris import QrisOffer
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.keypad import Keypad
from pos_app.ui.sale.qris.qr_view import QrView
from pos_app.ui.sale.qris.qris_info import QrisInfo

QUICK_COUNT = 4
QRIS_COLUMN = 230, 300  # px: the fields beside the QR code, at least and at most


def read_image(path: str) -> QImage | None:
    """Runs in an op: the QRIS sticker image, or None if it cannot be read."""
    image = QImage(path)
    return None if image.isNull() else image


class TenderForm(QWidget):
    changed = Signal()  # the amount or reference was edited
    submitted = Signal()  # Enter in a field
    qris_wanted = Signal(int)  # QRIS is chosen for this amount (0: none typed): make its code
    qris_painted = Signal(object, object)  # the QrisOffer on show and its QR modules

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.method = Method.CASH
        self.qr = QrView(self)
        self.qris_info = QrisInfo(self)
        self.qris_offer: QrisOffer | None = None  # the code painted, and the amount it asks
        self.qris_expected = False  # the booth has a QRIS: a QRIS tender carries its code

        self.amount_label = QLabel(_("Amount"), self)
        self.amount_label.setProperty("role", "caption")
        self.amount_edit = QLineEdit(self)
        self.amount_edit.setProperty("role", "amount")
        self.amount_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount_edit.setPlaceholderText("0")
        self.amount_edit.textChanged.connect(self._group_thousands)
        self.amount_edit.textChanged.connect(lambda _t: self._ask_qris())
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

        self.fields = QWidget(self)
        layout = QVBoxLayout(self.fields)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.qris_info)
        layout.addWidget(self.amount_label)
        layout.addWidget(self.amount_edit)
        layout.addWidget(self.quick_box)
        layout.addWidget(self.keypad)
        layout.addWidget(self.reference_label)
        layout.addWidget(self.reference_edit)
        layout.addWidget(self.note)
        layout.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(18)
        row.addWidget(self.qr, 1)
        row.addWidget(self.fields, 1)

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
        self._ask_qris()

    def _show_parts(self) -> None:
        """Hide first, then show: the dialog never sees both sets at once (and never grows)."""
        cash, qris = self.method is Method.CASH, self.method is Method.QRIS
        beside = qris and (self.qris_expected or not self.qr.is_empty())
        self.fields.setMaximumWidth(QRIS_COLUMN[1] if beside else 16_777_215)
        self.fields.setMinimumWidth(QRIS_COLUMN[0] if beside else 0)
        wanted = {
            self.qr: beside, self.qris_info: qris, self.quick_box: cash, self.keypad: cash, self.reference_label: not cash,
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

    # -- QRIS ------------------------------------------------------------------------------
    def _ask_qris(self) -> None:
        """QRIS chosen: ask for the code of the amount typed (0 while none can be read)."""
        if self.method is Method.QRIS:
            try:
                amount = self.draft_amount()
            except DomainError:
                amount = 0
            self.qris_wanted.emit(amount)

    def show_qris(self, made: tuple[QrisOffer, list[list[bool]]]) -> None:
        """The booth's code for an amount (``QrisFeed``): painted, and kept for the tender."""
        self.qris_offer, modules = made
        self.qris_expected = True
        self.qr.set_modules(modules)
        self.qris_info.show_offer(self.qris_offer)
        self._qris_shown()
        self.qris_painted.emit(self.qris_offer, modules)

    def show_qris_sticker(self, image: QImage, amount: int, note: str) -> None:
        """No QRIS set, but a photo of the sticker: shown, the buyer types the amount."""
        self.qris_offer, self.qris_expected = None, False
        self.qr.set_image(image)
        self.qris_info.show_plain(amount, note)
        self._qris_shown()

    def show_qris_note(self, amount: int, note: str) -> None:
        """No code to show for ``amount`` (none typed, none set): ``note`` says why."""
        if amount > 0:  # the booth has no code of its own (or it cannot be made)
            self.qris_offer, self.qris_expected = None, False
        self.qr.set_modules(None)
        self.qris_info.show_plain(amount, note)
        self._qris_shown()

    def _qris_shown(self) -> None:
        if self.method is Method.QRIS:
            self._show_parts()
            self.changed.emit()

    def qris_payload(self, amount: int) -> str | None:
        """The payload a QRIS tender of ``amount`` carries: the code painted for it (None if
        the booth has no QRIS); ``qris_amount_differs`` if the code on show is for another."""
        if not self.qris_expected:
            return None
        shown = self.qris_offer
        if shown is None or shown.amount != amount:
            raise DomainError("qris_amount_differs", amount=format_rupiah(amount))
        return shown.payload

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
        if self.method is Method.QRIS:
            return Tender(self.method, amount, reference, qris_payload=self.qris_payload(amount))
        return Tender(self.method, amount, reference)

    def clear(self) -> None:
        self.amount_edit.clear()
        self.reference_edit.clear()
