"""The receipt as a document: what it says, independent of paper, PDF or screen.

``receipt_elements`` turns a ``ReceiptDoc`` into a short list of layout elements (text, a
left/right pair, a rule, a QR code); each renderer (ESC/POS, PDF, preview) draws those.
``fixed_width`` lays elements out in N columns for thermal paper and the on-screen preview.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pos_app.domain.errors import N_
from pos_app.domain.kwitansi import RefundNote
from pos_app.domain.money import Rupiah, format_rupiah

Align = Literal["left", "center", "right"]
Translate = Callable[[str], str]

METHOD_LABELS = {
    "cash": N_("Cash"),
    "qris": N_("QRIS"),
    "transfer": N_("Bank transfer"),
    "card": N_("Card (EDC)"),
}
KIND_TITLES = {"sale": None, "refund": N_("REFUND"), "void": N_("VOID")}


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    qty: int
    unit_price: Rupiah
    gross: Rupiah  # qty x unit price
    discount: Rupiah
    tax: Rupiah
    tax_mode: str
    total: Rupiah
    facility_name: str


@dataclass(frozen=True)
class ReceiptPayment:
    method: str
    amount: Rupiah
    tendered: Rupiah
    change: Rupiah
    reference: str | None
    verified: bool
    qris_payload: str | None = None  # the exact QRIS shown (history only; never printed)


@dataclass(frozen=True)
class ReceiptDoc:
    sale_id: str
    number: str
    kind: str  # sale | refund | void
    issued_at: datetime  # already in the event's time zone
    tz_label: str  # e.g. WITA
    cashier: str
    booth_name: str
    device_code: str
    lines: tuple[ReceiptLine, ...]
    subtotal: Rupiah
    discount: Rupiah
    tax: Rupiah
    total: Rupiah
    payments: tuple[ReceiptPayment, ...]
    change: Rupiah
    footer: tuple[str, ...] = ()
    refers_to: str | None = None  # the original sale's number, for voids and refunds
    copy: bool = False  # a re-print says SALINAN
    demo: bool = False  # a demo database's receipt says so: not a real sale
    voided_by: str | None = None  # a voided sale's void document number: DIBATALKAN
    refunds: tuple[RefundNote, ...] = ()  # a sale's refund documents, named on its reprint

    @property
    def qr_payload(self) -> str:
        """Scanned back at the sales history to find this sale."""
        return f"LAPAK:{self.number}:{self.sale_id}"

    @property
    def facilities(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for line in self.lines:
            seen.setdefault(line.facility_name, None)
        return tuple(seen)


@dataclass(frozen=True)
class Text:
    text: str
    align: Align = "left"
    bold: bool = False
    large: bool = False


@dataclass(frozen=True)
class Pair:
    left: str
    right: str
    bold: bool = False
    large: bool = False


@dataclass(frozen=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True)
class QR:
    payload: str


Element = Text | Pair | Rule | QR


@dataclass(frozen=True)
class ReceiptLayout:
    elements: list[Element] = field(default_factory=list)


def _neg(amount: Rupiah) -> str:
    return "-" + format_rupiah(amount)


def receipt_elements(doc: ReceiptDoc, _: Translate = lambda s: s) -> list[Element]:
    """Everything the receipt says, in order."""
    out: list[Element] = [Text(doc.booth_name, "center", bold=True, large=True),
                          Text(_("Device {code}").format(code=doc.device_code), "center")]
    if doc.demo:
        out.append(Text(_("DEMO - not a real sale"), "center", bold=True))
    if doc.copy:
        out.append(Text(_("COPY"), "center", bold=True, large=True))
    title = KIND_TITLES.get(doc.kind)
    if title:
        out.append(Text(_(title), "center", bold=True, large=True))
    if doc.voided_by:
        out.append(Text(_("VOIDED"), "center", bold=True, large=True))
        out.append(Text(_("Void: {number}").format(number=doc.voided_by), "center", bold=True))
    out.append(Rule())
    out.append(Pair(_("No."), doc.number))
    out.append(Pair(_("Time"), f"{doc.issued_at:%d/%m/%Y %H:%M} {doc.tz_label}"))
    out.append(Pair(_("Cashier"), doc.cashier))
    if doc.refers_to:
        out.append(Pair(_("Original sale"), doc.refers_to))
    out.append(Rule())
    for line in doc.lines:
        out.append(Text(line.name))
        out.append(Pair(f"  {line.qty} x {format_rupiah(line.unit_price)}",
                        format_rupiah(line.gross)))
        if line.discount:
            out.append(Pair("  " + _("Discount"), _neg(line.discount)))
        if line.tax and line.tax_mode == "added":
            out.append(Pair("  " + _("VAT (PPN)"), format_rupiah(line.tax)))
    out.append(Rule())
    out.append(Pair(_("Subtotal"), format_rupiah(doc.subtotal)))
    if doc.discount:
        out.append(Pair(_("Discount"), _neg(doc.discount)))
    included = sum(line.tax for line in doc.lines if line.tax_mode == "included")
    added = sum(line.tax for line in doc.lines if line.tax_mode == "added")
    if added:
        out.append(Pair(_("VAT (PPN) added"), format_rupiah(added)))
    out.append(Pair(_("TOTAL"), format_rupiah(doc.total), bold=True, large=True))
    for pay in doc.payments:
        label = _(METHOD_LABELS.get(pay.method, pay.method))
        out.append(Pair(label, format_rupiah(pay.tendered)))
        if pay.reference:
            out.append(Pair("  " + _("Ref."), pay.reference))
        # An unverified QRIS or transfer is the booth's matter (its payment record and the
        # reconciliation say so); the buyer has paid and their receipt does not doubt it.
    if doc.change:
        out.append(Pair(_("Change"), format_rupiah(doc.change), bold=True))
    for refund in doc.refunds:
        out.append(Pair(_("Refund: {number}").format(number=refund.number),
                        format_rupiah(refund.total), bold=True))
    if included:
        out.append(Text(_("Prices include VAT (PPN) {amount}").format(
            amount=format_rupiah(included))))
    out.append(Rule())
    for facility in doc.facilities:
        out.append(Text(_("Made by inmates of {facility}").format(facility=facility),
                        "center"))
    out.append(QR(doc.qr_payload))
    for text in doc.footer:
        out.append(Text(text, "center"))
    return out


_FOLD = {0x2013: "-", 0x2014: "-", 0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"',
         0x2022: "*", 0x00D7: "x"}
# Control characters would reach the printer as commands (ESC @ resets it, GS V cuts).
_FOLD.update({c: " " for c in range(0x20)})
_FOLD[0x7F] = " "


def ascii_fold(text: str) -> str:
    """Printable ASCII only: transliterate what a code page cannot print (é -> e, – -> -),
    replace the rest with '?', blank out control characters; never raises."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.translate(_FOLD).encode("ascii", "replace").decode("ascii")


def fold_elements(elements: list[Element]) -> list[Element]:
    """The same elements in printable ASCII, folded *before* layout so widths stay true."""
    out: list[Element] = []
    for el in elements:
        if isinstance(el, Text):
            out.append(Text(ascii_fold(el.text), el.align, el.bold, el.large))
        elif isinstance(el, Pair):
            out.append(Pair(ascii_fold(el.left), ascii_fold(el.right), el.bold, el.large))
        else:
            out.append(el)
    return out


NBSP = "\u00a0"
# A quantity and its unit ("250 g", "1,5 kg", "2 pcs") stay on one line.
_QUANTITY = re.compile(r"(?<=\d) (?=(?:g|gr|kg|mg|ml|l|L|cm|mm|m|pcs|pc|lbr|btl)\b)")


def _wrap(text: str, width: int, **options: bool) -> list[str]:
    """``textwrap.wrap`` that never parts a number from its unit (a non-breaking space while
    wrapping, a plain space again in the lines)."""
    glued = _QUANTITY.sub(NBSP, text)
    return [part.replace(NBSP, " ") for part in textwrap.wrap(glued, width, **options)]


def fixed_width(elements: list[Element], columns: int) -> list[tuple[Element, str]]:
    """Lay elements out in ``columns`` characters: each element with its text lines."""
    out: list[tuple[Element, str]] = []
    for el in elements:
        if isinstance(el, Rule):
            out.append((el, el.char * columns))
        elif isinstance(el, Text):
            width = columns // 2 if el.large else columns
            for part in _wrap(el.text, width) or [""]:
                out.append((el, part))
        elif isinstance(el, Pair):
            width = columns // 2 if el.large else columns
            right = el.right
            room = width - len(right) - 1
            left = _wrap(el.left, room, break_long_words=False) if room >= 4 else []
            if not left or any(len(part) > room for part in left):
                # It cannot share a line without breaking a word: left above, right below.
                for part in _wrap(el.left, width) or [""]:
                    out.append((el, part))
                for part in textwrap.wrap(right, width, break_on_hyphens=False) or [""]:
                    out.append((el, part.rjust(width)))
                continue
            for part in left[:-1]:
                out.append((el, part))
            out.append((el, left[-1].ljust(room) + " " + right))
        elif isinstance(el, QR):
            out.append((el, ""))
    return out
