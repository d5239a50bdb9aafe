"""QRIS, the Indonesian standard of EMVCo merchant-presented QR codes, offline.

The booth's static payload (its sticker, decoded once) is checked as ``../shared/DESIGN.md``
"Payments" says: parsed as TLV (nested templates too), its own CRC holds, and the mandatory
tags are there (00 = "01", 01 static, a QRIS merchant account 51 with the NMID, 52,
53 = "360", 58 = "ID", 59, 60, 63). :func:`with_amount` makes the per-sale payload: tag 01
set to "12", any 54-57 removed, 54 holding the whole rupiah inserted in tag order, every other
tag byte-identical, the CRC-16/CCITT-FALSE over everything through ``6304`` recomputed as
four upper-case hex digits.

The TLV work and the CRC are qriskit's (parse, validate, ``to_dynamic``); this module adds
the rules a booth needs on top (static only, the NMID required, whole rupiah, ASCII, a
maximum amount) and says each refusal in one translated line. Nothing here searches the text
for ``5802ID`` or ``6304``: every tag is read where the TLV structure puts it.
"""

from __future__ import annotations

from dataclasses import dataclass

import qriskit
from qriskit import QRISError
from qriskit.convert import to_dynamic

from pos_app.domain.errors import N_, DomainError, Message

__all__ = ["MAX_AMOUNT_DIGITS", "StaticQris", "amount_in", "check_static", "with_amount"]

MAX_AMOUNT_DIGITS = 13  # tag 54 holds at most 13 characters
MAX_PAYLOAD = 512  # what a payment keeps (payment.qris_payload)

NOT_TLV = Message(N_("it is not the text of a payment QR code (its tags do not add up)"))
BAD_CRC = Message(N_("its checksum (CRC, tag 63) does not match: a character was lost or "
                     "changed"))
NOT_STATIC = Message(N_("it is a code for one payment (dynamic, tag 01 = 12), not the "
                        "booth's own sticker"))
NO_NMID = Message(N_("it has no QRIS merchant account with an NMID (tag 51)"))
NOT_RUPIAH = Message(N_("its currency (tag 53) is not rupiah (360)"))
NOT_INDONESIA = Message(N_("its country (tag 58) is not Indonesia (ID)"))
NOT_ASCII = Message(N_("it holds characters a QRIS cannot carry"))
TOO_LONG = Message(N_("it is longer than a QRIS can be"))
MISSING = {
    "00": Message(N_("its format indicator (tag 00) is missing")),
    "52": Message(N_("its merchant category (tag 52) is missing")),
    "53": Message(N_("its currency (tag 53) is missing")),
    "58": Message(N_("its country (tag 58) is missing")),
    "59": Message(N_("its merchant name (tag 59) is missing")),
    "60": Message(N_("its merchant city (tag 60) is missing")),
    "63": Message(N_("its checksum (tag 63) is missing")),
    "01": Message(N_("its point of initiation (tag 01) is missing")),
}


@dataclass(frozen=True)
class StaticQris:
    """A booth's static QRIS, checked: what a coordinator confirms before it is kept."""

    payload: str
    merchant: str  # tag 59
    city: str  # tag 60
    nmid: str  # tag 51, sub-tag 02


def _refuse(reason: Message) -> DomainError:
    return DomainError("qris_bad_payload", reason=reason)


def _parsed(text: str) -> qriskit.QRIS:
    try:
        return qriskit.parse(text)
    except (QRISError, ValueError, TypeError, IndexError):
        raise _refuse(NOT_TLV) from None


def _first_problem(qr: qriskit.QRIS) -> Message | None:
    """The first of qriskit's error-level findings, as a booth's reason."""
    for issue in qriskit.validate(qr):
        if issue.severity != "error":
            continue
        code, path = issue.code, issue.path or ""
        if code in ("crc.mismatch", "crc.not_last"):
            return BAD_CRC
        if code == "tag.required" and path in MISSING:
            return MISSING[path]
        if code == "crc.missing":
            return MISSING["63"]
        if code == "pfi.invalid":
            return MISSING["00"] if qr.get("00") is None else NOT_TLV
        if code == "currency.invalid":
            return NOT_RUPIAH
        if code == "country.invalid":
            return NOT_INDONESIA
        if code == "merchant_account.missing":
            return NO_NMID
        return NOT_TLV
    return None


def check_static(text: str) -> StaticQris:
    """The booth's static payload ``text`` (surrounding blanks ignored), checked; else
    ``qris_bad_payload`` naming the first thing wrong."""
    return _checked(text)[0]


def _checked(text: str) -> tuple[StaticQris, qriskit.QRIS]:
    """:func:`check_static`, with the parsed payload (parsed once)."""
    payload = (text or "").strip()
    if not payload.isascii() or not payload.isprintable():
        raise _refuse(NOT_ASCII)
    if len(payload) > MAX_PAYLOAD - (4 + MAX_AMOUNT_DIGITS):
        raise _refuse(TOO_LONG)
    qr = _parsed(payload)
    problem = _first_problem(qr)
    if problem is None and qr.get("01") is None:
        problem = MISSING["01"]
    if problem is not None:
        raise _refuse(problem)
    if qr.get("01") != "11" or qr.get("54") is not None:
        raise _refuse(NOT_STATIC)
    national = qr.national
    if national is None or not national.merchant_id or qr.get("51") is None:
        raise _refuse(NO_NMID)
    return StaticQris(payload, qr.merchant_name or "", qr.merchant_city or "",
                      national.merchant_id), qr


def with_amount(static: str, amount: int) -> str:
    """The per-sale payload of the checked static payload ``static`` for ``amount`` whole
    rupiah (``qris_amount_range`` unless 1 to 13 digits)."""
    if type(amount) is not int or amount < 1 or len(str(amount)) > MAX_AMOUNT_DIGITS:
        raise DomainError("qris_amount_range", amount=amount)
    return to_dynamic(_checked(static)[1], str(amount)).dumps()


def amount_in(payload: str) -> int | None:
    """The whole rupiah a payload carries in tag 54 (None: none, or not whole rupiah)."""
    value = _parsed(payload).get("54")
    return int(value) if value is not None and value.isdigit() else None
