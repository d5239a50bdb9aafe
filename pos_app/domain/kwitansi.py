"""The kwitansi: a formal receipt for institutional buyers, amount in figures and in words.

It states the money the booth kept: a sale's total net of its refunds. A void or refund
document, a voided sale and a sale refunded in full get none. Numbers are per device
(``KPG-01-KW-000012``); a second print of the same kwitansi keeps its number and says SALINAN.
A sale with nothing paid (Rp0) gets none either. The buyer, institution and purpose are the
user's text: the buyer is required, each has a length cap and no control characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pos_app.domain.errors import N_, DomainError, Message
from pos_app.domain.money import Rupiah
from pos_app.domain.terbilang import terbilang
from pos_app.domain.text import has_control


@dataclass(frozen=True)
class RefundNote:
    """A refund document taken off the sale: its number and the money it gave back."""

    number: str
    total: Rupiah


@dataclass(frozen=True)
class KwitansiDoc:
    number: str
    issued_on: date
    place: str
    buyer: str
    institution: str
    amount: Rupiah
    purpose: str
    booth_name: str
    receiver: str  # who signs for the booth
    demo: bool = False  # from a demo database: not a real receipt
    sale_number: str = ""  # the sale it is for
    copy: bool = False  # a second print of the same kwitansi: SALINAN
    refunds: tuple[RefundNote, ...] = ()  # refunds already netted out of ``amount``
    replaces: str = ""  # the kwitansi this one replaces (a later refund changed the amount)

    @property
    def amount_in_words(self) -> str:
        words = terbilang(self.amount)
        return words[:1].upper() + words[1:]


def kwitansi_number(device_code: str, seq: int) -> str:
    """The ``seq``-th kwitansi of a device: ``KPG-01-KW-000012``."""
    if seq < 1:
        raise ValueError("kwitansi sequence starts at 1")
    return f"{device_code}-KW-{seq:06d}"


def kwitansi_amount(number: str, kind: str, total: Rupiah, void_number: str | None,
                    refunds: Sequence[RefundNote]) -> Rupiah:
    """The money a kwitansi for this document may state, or the refusal saying why none.

    ``void_number`` is the void document of the sale, if it was voided."""
    if kind == "void":
        raise DomainError("kwitansi_void_document", number=number)
    if kind == "refund":
        raise DomainError("kwitansi_refund_document", number=number)
    if void_number:
        raise DomainError("kwitansi_voided_sale", number=number, void=void_number)
    if total <= 0:
        raise DomainError("kwitansi_nothing_paid", number=number)
    kept = total - sum(r.total for r in refunds)
    if kept <= 0:
        raise DomainError("kwitansi_refunded_sale", number=number)
    return kept


# What the user types on a kwitansi: the label it carries on paper, and its length cap.
BUYER = (N_("Received from"), 120)
INSTITUTION = (N_("Institution"), 160)
PURPOSE = (N_("For payment of"), 300)

def kwitansi_text(value: str | None, field: tuple[str, int], *, required: bool = False) -> str:
    """``value`` stripped, or the refusal: empty when ``required``, longer than the field's
    cap, or holding a control character (NUL, a line break, a tab, a direction override)."""
    label, limit = field
    text = (value or "").strip()
    if required and not text:
        raise DomainError("kwitansi_no_buyer")
    if has_control(text):  # the same refusal as every entry (a direction override too)
        raise DomainError("kwitansi_control_char", field=Message(label))
    if len(text) > limit:
        raise DomainError("kwitansi_too_long", field=Message(label), max=limit)
    return text
