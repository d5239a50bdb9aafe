"""The kwitansi: a formal receipt for institutional buyers, amount in figures and in words.

It states the money the booth kept: a sale's total net of its refunds. A void or refund
document, a voided sale and a sale refunded in full get none. Numbers are per device
(``KPG-01-KW-000012``); a second print of the same kwitansi keeps its number and says SALINAN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pos_app.domain.errors import DomainError
from pos_app.domain.money import Rupiah
from pos_app.domain.terbilang import terbilang


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
    kept = total - sum(r.total for r in refunds)
    if kept <= 0:
        raise DomainError("kwitansi_refunded_sale", number=number)
    return kept
