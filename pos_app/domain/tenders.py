"""Tenders and change: cash, QRIS, bank transfer, card (on the bank's EDC), and splits.

Only cash can exceed what is due; the change comes out of the cash. QRIS and transfers are
recorded unverified until matched against a statement; a card needs the EDC approval code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pos_app.domain.errors import DomainError
from pos_app.domain.money import MAX_AMOUNT, Rupiah, check_amount, format_rupiah
from pos_app.domain.text import PAYMENT_REFERENCE, check_text

REFERENCE_MAX = 64  # characters: the central payment.reference column


class Method(StrEnum):
    CASH = "cash"
    QRIS = "qris"
    TRANSFER = "transfer"
    CARD = "card"

    @classmethod
    def parse(cls, text: str) -> Method:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise DomainError("unknown_method", method=text) from None

    @property
    def verified_on_receipt(self) -> bool:
        """Cash is in the drawer and a card was approved by the EDC; the rest need matching."""
        return self in (Method.CASH, Method.CARD)


@dataclass(frozen=True)
class Tender:
    """What the buyer hands over: a method, an amount, and maybe a reference."""

    method: Method
    amount: Rupiah
    reference: str | None = None
    qris_payload: str | None = None  # QRIS: the exact payload the buyer was shown


@dataclass(frozen=True)
class AppliedPayment:
    method: Method
    amount: Rupiah  # what counts towards the sale
    tendered: Rupiah  # what was handed over
    change: Rupiah  # what went back (cash only)
    reference: str | None
    verified: bool
    qris_payload: str | None = None  # QRIS: the exact payload the buyer was shown


@dataclass(frozen=True)
class Settlement:
    payments: tuple[AppliedPayment, ...]
    tendered: Rupiah
    change: Rupiah


def quick_tenders(total: Rupiah, notes: tuple[int, ...] = (20_000, 50_000, 100_000)) -> list[int]:
    """Quick cash buttons: the exact amount (uang pas), then each note that covers the total
    when rounded up to it, without repeats."""
    options = [total]
    for note in notes:
        covering = -(-total // note) * note if total else note
        if covering not in options:
            options.append(covering)
    return options


def check_reference(reference: str | None) -> str | None:
    """A payment's reference stripped (None when blank), or the refusal: it holds a control
    character or is longer than the central column (:data:`REFERENCE_MAX`)."""
    ref = (reference or "").strip() or None
    return None if ref is None else check_text(ref, PAYMENT_REFERENCE, REFERENCE_MAX)


def settle(total: Rupiah, tenders: list[Tender]) -> Settlement:
    """Check the tenders against ``total`` and work out each payment and the change."""
    check_amount(total)
    for t in tenders:
        if not isinstance(t.method, Method):
            raise DomainError("unknown_method", method=t.method)
        check_amount(t.amount)
        if t.amount == 0:
            raise DomainError("bad_positive_amount", amount=0, max=format_rupiah(MAX_AMOUNT))
        if t.method is Method.CARD and not (t.reference or "").strip():
            raise DomainError("reference_required", method=t.method.value)
        check_reference(t.reference)
    tendered = sum(t.amount for t in tenders)
    if tendered > MAX_AMOUNT:
        raise DomainError("amount_overflow")
    noncash = sum(t.amount for t in tenders if t.method is not Method.CASH)
    if noncash > total:
        over_method = next(t.method for t in tenders if t.method is not Method.CASH)
        raise DomainError(
            "overpaid_noncash", method=over_method.value, over=format_rupiah(noncash - total)
        )
    if tendered < total:
        raise DomainError("payment_short", short=format_rupiah(total - tendered))
    change = tendered - total  # <= cash tendered, because noncash <= total
    left = change
    payments: list[AppliedPayment] = []
    for t in reversed(tenders):  # change comes back from the last cash handed over
        given_back = min(left, t.amount) if t.method is Method.CASH else 0
        left -= given_back
        ref = (t.reference or "").strip() or None
        payments.append(
            AppliedPayment(t.method, t.amount - given_back, t.amount, given_back, ref,
                           t.method.verified_on_receipt,
                           t.qris_payload if t.method is Method.QRIS else None)
        )
    payments.reverse()
    return Settlement(tuple(payments), tendered, change)
