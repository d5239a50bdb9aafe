"""The booth's QRIS: set once by a coordinator (pasted text, or read from a photo or scan of
the sticker), checked, shown for confirmation and journaled (the ``qris_payload`` setting);
and for each sale the code the buyer scans: the per-sale payload carrying the amount, or
the static sticker above the per-transaction limit (``qris_limit``) or when the booth keeps
the plain sticker (``qris_with_amount`` off). Made offline, by :mod:`pos_app.domain.qris`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pos_app.adapters import qr_codes
from pos_app.domain import qris
from pos_app.domain.errors import N_, DomainError, Message, is_folder, os_failure, os_reason
from pos_app.domain.money import format_rupiah
from pos_app.domain.qris import StaticQris
from pos_app.domain.tenders import Method, Settlement
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.settings import set_setting
from pos_app.services.setup.settings_model import Settings

__all__ = ["QrisOffer", "StaticQris", "booth_qris", "offer", "payload_png", "qr_modules",
           "qris_shown", "read_image", "set_qris"]


NOT_A_FILE = Message(N_("it is not a regular file"))


@dataclass(frozen=True)
class QrisOffer:
    """The QRIS a payment shows: ``payload`` exactly as encoded in the QR code."""

    payload: str
    amount: int
    with_amount: bool  # False: the static sticker (the buyer types the amount)
    over_limit: bool  # the static sticker because the amount is above ``limit``
    limit: int
    merchant: str
    city: str
    nmid: str


def read_image(path: Path | str) -> str:
    """The text of the QR code in the photo or scan at ``path`` (the first one found);
    ``qris_no_code_in_image`` when there is none."""
    path = Path(path)
    try:
        if path.exists() and not path.is_file():  # a pipe or a device would never end
            raise DomainError("import_unreadable", path=str(path), reason=NOT_A_FILE)
        texts = qr_codes.read_texts(path)
    except OSError as exc:
        raise DomainError("import_unreadable", path=str(path),
                          reason=os_reason(exc)) from exc
    if not texts:
        raise DomainError("qris_no_code_in_image", path=str(path))
    return texts[0]


def set_qris(booth: Booth, *, payload: str | None = None, image: Path | str | None = None,
             actor: str, role: str, confirm: bool = True) -> StaticQris:
    """Check the booth's static QRIS (``payload`` text, or read from ``image``) and, with
    ``confirm``, keep it (coordinators and up; journaled as a setting change). Without
    ``confirm`` nothing is written: what a coordinator is shown to confirm."""
    text = read_image(image) if image is not None else (payload or "")
    checked = qris.check_static(text)
    if confirm:
        set_setting(booth, "qris_payload", checked.payload, actor=actor, role=role)
    return checked


def _kept(settings: Settings) -> StaticQris | None:
    return qris.check_static(settings.qris_payload) if settings.qris_payload else None


def booth_qris(booth: Booth) -> StaticQris | None:
    """The booth's static QRIS as kept (None: not set)."""
    return _kept(booth.settings())


def offer(booth: Booth, amount: int) -> QrisOffer:
    """The QRIS to show for a payment of ``amount`` (``qris_not_set`` when the booth has
    none): with the amount, unless it is above the per-transaction limit or the booth keeps
    the plain sticker."""
    settings = booth.settings()
    static = _kept(settings)
    if static is None:
        raise DomainError("qris_not_set")
    return _offer(settings, static, amount)


def _offer(settings: Settings, static: StaticQris, amount: int) -> QrisOffer:
    if type(amount) is not int or amount < 1:
        raise DomainError("qris_amount_range", amount=amount)
    over = amount > settings.qris_limit
    if settings.qris_with_amount and not over:
        payload, dynamic = qris.with_amount(static.payload, amount), True
    else:
        payload, dynamic = static.payload, False
    return QrisOffer(payload, amount, dynamic, over and settings.qris_with_amount,
                     settings.qris_limit, static.merchant, static.city, static.nmid)


def qris_shown(booth: Booth, settlement: Settlement) -> Settlement:
    """``settlement`` with each QRIS payment's payload as shown to the buyer. One the payment
    dialog showed must be exactly this booth's code for that payment, :func:`offer` for its
    amount (``qris_amount_differs`` otherwise: another amount, another merchant, a sticker
    when the amount should be carried, a damaged code); none given: the offer is kept. None
    when the booth has no QRIS set (a code shown by the bank's own device), and then a
    payload given is refused too."""
    if not any(p.method is Method.QRIS for p in settlement.payments):
        return settlement
    settings = booth.settings()
    static = _kept(settings)
    out = []
    for pay in settlement.payments:
        if pay.method is Method.QRIS:
            ours = _offer(settings, static, pay.amount).payload if static is not None else None
            if pay.qris_payload is not None and pay.qris_payload != ours:
                raise DomainError("qris_amount_differs", amount=format_rupiah(pay.amount))
            pay = replace(pay, qris_payload=ours)
        out.append(pay)
    return replace(settlement, payments=tuple(out))


def qr_modules(payload: str) -> list[list[bool]]:
    """The QR code of ``payload`` as rows of dark (True) modules, quiet zone included: what
    the payment dialog and the customer display paint (scaled by whole pixels)."""
    return qr_codes.matrix(payload)


def payload_png(booth: Booth, amount: int, out: Path | str) -> tuple[QrisOffer, Path]:
    """:func:`offer` for ``amount`` and its QR code as a PNG at ``out`` (a regular file or
    a new one; replaced whole, never half-written)."""
    import os

    from pos_app.adapters import workfiles

    made = offer(booth, amount)
    out = Path(out)
    if out.is_dir():
        raise is_folder(out)
    if os.path.lexists(out) and not out.is_file():
        raise DomainError("cannot_write", path=str(out), reason=NOT_A_FILE)
    temp = workfiles.temp_name(out)
    try:
        qr_codes.write_png(made.payload, temp)
        os.replace(temp, out)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise os_failure("file_failed", out, exc) from exc
    return made, out
