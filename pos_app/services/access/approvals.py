"""Approvals: a coordinator's PIN-confirmed yes to one action on one subject.

The override model: when a cashier asks for something above their role
(``auth.needs_approval``), a coordinator or admin enters *their own* name and PIN
(:func:`approve`). That gives a single-use token that expires after the setting
``approval_minutes`` (default 5), bound to the action, the subject and the person who asked.
The action's own write transaction then spends it with :func:`consume`. Both people are
recorded: the ``approval`` row and the ``approval.grant`` event name the approver and the
requester; the ``approval_use`` row and the ``approval.use`` event name who used it.

The approver's PIN is checked by the same code as a login (``auth.authenticate``): a wrong
PIN is journaled as ``login.failed`` and counts toward the approver's lockout; a locked
approver cannot approve. Nobody approves their own request (``self_approval``); a coordinator
or admin doing the action themselves needs no approval at all.

Subjects (at most 64 characters; compared exactly):

=====================  ====================================================================
action                 subject
=====================  ====================================================================
``void``, ``refund``   the original sale's id as 32 hex digits (:func:`sale_subject`)
``discount``,          ``cart:<cart key hex>:<what>`` (:func:`cart_subject`): the cart key is a
``price_override``     uuid the screen makes when a cart starts; ``what`` pins the change,
                       e.g. ``sale:15%``, ``line:KOP-001:20%``, ``price:KOP-001:90000``
``open_drawer``        ``shift:<shift id hex>``, or ``shift:none`` without an open shift
                       (:func:`drawer_subject`)
=====================  ====================================================================

Checkout (``SaleRequest.approval_ids``) needs one approval per guarded change in the sale: per
line or whole-sale discount above ``discount_approval_percent`` of what it applies to
(``discount`` on :func:`discount_subject`: ``line:<sku>:<value>`` or ``sale:<value>``) and
per price override (``price_override`` on :func:`price_subject`). The screen and the service
both build these subjects with the functions here.

Journal: ``approval.grant`` (actor: approver; subject: the approver as a user, so that a
successful approval PIN also resets their failure count; payload: approval id, action,
subject, approver, requested_by, expires_at) and ``approval.use`` (actor: the user; subject:
the approval; payload: action, subject, approver, requested_by, used_by).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from pos_app.domain.cart import Discount
from pos_app.domain.errors import DomainError
from pos_app.persistence.models import Approval, ApprovalUse
from pos_app.services.access import audit, roles
from pos_app.services.access.auth import (
    AuthUser,
    authenticate,
    check_pin_format,
    needs_approval,
)
from pos_app.services.access.pin_pepper import pepper_for_checking
from pos_app.services.setup.booth import Booth, read_settings
from pos_app.services.setup.records import Recorder

__all__ = ["ApprovalRecord", "ApprovalToken", "approve", "cart_subject", "consume",
           "discount_percent", "discount_subject", "drawer_subject",
           "needs_approval", "price_subject", "sale_subject", "shift_subject"]

SUBJECT_MAX = 64


@dataclass(frozen=True)
class ApprovalToken:
    id: uuid.UUID
    action: str
    subject: str
    approver: str
    requested_by: str
    expires_at: datetime


@dataclass(frozen=True)
class ApprovalRecord:
    """A spent approval: what the consuming document should reference."""

    approval_id: uuid.UUID
    action: str
    subject: str
    approver: str
    approver_id: uuid.UUID
    requested_by: str
    used_by: str


def sale_subject(sale_id: uuid.UUID) -> str:
    return sale_id.hex


def cart_subject(cart_key: uuid.UUID, what: str) -> str:
    return _check_subject(f"cart:{cart_key.hex}:{what}")


def shift_subject(shift_id: uuid.UUID) -> str:
    return f"shift:{shift_id.hex}"


def drawer_subject(shift_id: uuid.UUID | None) -> str:
    """Opening the drawer without a sale: the open shift it happens in (``shift:none``)."""
    return shift_subject(shift_id) if shift_id is not None else "shift:none"


_WHAT_MAX = SUBJECT_MAX - len("cart::") - 32


def discount_percent(discount: Discount, base: int) -> Fraction:
    """The discount as an exact percentage of ``base`` rupiah."""
    if discount.kind == "percent":
        return Fraction(discount.value)
    return Fraction(int(discount.value) * 100, base) if base > 0 else Fraction(100)


def discount_subject(cart_key: uuid.UUID, scope: str, discount: Discount) -> str:
    """``cart:<key>:line:KOP-001:15%`` (``scope`` is ``line:<sku>`` or ``sale``)."""
    value = (f"{discount.basis_points() / 100:g}%" if discount.kind == "percent"
             else f"Rp{int(discount.value)}")
    return cart_subject(cart_key, f"{scope}:{value}"[-_WHAT_MAX:])


def price_subject(cart_key: uuid.UUID, sku: str, unit_price: int) -> str:
    """``cart:<key>:price:KOP-001:90000``: a line's price changed to ``unit_price``."""
    return cart_subject(cart_key, f"price:{sku}:{unit_price}"[-_WHAT_MAX:])


def _check_subject(subject: str) -> str:
    if not subject or len(subject) > SUBJECT_MAX:
        raise ValueError(f"an approval subject is 1 to {SUBJECT_MAX} characters: {subject!r}")
    return subject


def _check_action(action: str) -> str:
    return roles.approvable(action)  # an unknown action is a programming error


def approve(booth: Booth, approver_name: str, approver_pin: str, action: str, subject: str,
            requested_by: str | AuthUser) -> ApprovalToken:
    """A coordinator's (or admin's) approval of ``action`` on ``subject`` for ``requested_by``.

    Raises ``self_approval``, ``bad_pin_format``, ``bad_pin`` / ``account_locked`` (the PIN
    failure is journaled and counts toward the approver's lockout), ``not_allowed`` (the
    approver's role is too low) or ``secret_unavailable``. The approval row and its journal
    event are written in one transaction.
    """
    _check_action(action)
    _check_subject(subject)
    requester = (requested_by.name if isinstance(requested_by, AuthUser)
                 else str(requested_by)).strip()
    approver_name = (approver_name or "").strip()
    if requester.casefold() == approver_name.casefold():
        raise DomainError("self_approval", name=approver_name, action=action)
    check_pin_format(approver_pin)
    secret = pepper_for_checking(booth)
    ctx = booth.context
    token = None
    with booth.db.write() as s:
        rec = Recorder(s, ctx.device_id, booth.clock.now())
        detail = {"action": action, "subject": subject, "requested_by": requester}
        user, error = authenticate(rec, approver_name, approver_pin, secret, "approval",
                                   detail)
        if user is not None:
            roles.require(user, action)
            if user.name.casefold() == requester.casefold():
                raise DomainError("self_approval", name=user.name, action=action)
            token = ApprovalToken(uuid.uuid4(), action, subject, user.name, requester,
                                  rec.now + timedelta(minutes=read_settings(s).approval_minutes))
            rec.insert(Approval, [{
                "id": token.id, "action": action, "subject": subject, "approver_id": user.id,
                "approver_name": user.name, "requested_by": requester,
                "expires_at": token.expires_at}])
            audit.append(rec, user.name, "approval.grant", "user", user.id, {
                "approval": token.id.hex, "action": action, "subject": subject,
                "approver": user.name, "requested_by": requester,
                "expires_at": token.expires_at})
    if error is not None:
        raise error
    return token


_BY_ID = select(Approval.__table__).where(Approval.id == bindparam("i"))
_USED = select(ApprovalUse.id).where(ApprovalUse.approval_id == bindparam("i"))


def consume(rec: Recorder, token_id: uuid.UUID, action: str, subject: str,
            used_by: str) -> ApprovalRecord:
    """Spend approval ``token_id`` inside the caller's write transaction (``rec``).

    Checks, in order: it exists and was given for this ``action``, ``subject`` and requester
    ``used_by`` (``approval_invalid``); it was not spent before (``approval_used`` -- also
    guaranteed by the unique ``approval_use.approval_id``, whose violation maps to the same
    error); ``rec.now`` is before its expiry (``approval_expired``). Then writes the
    ``approval_use`` row and the ``approval.use`` event. On an error nothing is written, and
    the caller's transaction stays usable (it should roll back anyway).
    """
    used_by = (used_by or "").strip()
    row = rec.conn.execute(_BY_ID, {"i": token_id}).mappings().first()
    if (row is None or row["action"] != action or row["subject"] != subject
            or row["requested_by"] != used_by):
        raise DomainError("approval_invalid")
    if rec.conn.execute(_USED, {"i": token_id}).first() is not None:
        raise DomainError("approval_used")
    if rec.now >= row["expires_at"]:
        raise DomainError("approval_expired")
    spend(rec, token_id, used_by)
    audit.append(rec, used_by, "approval.use", "approval", token_id, {
        "action": action, "subject": subject, "approver": row["approver_name"],
        "requested_by": row["requested_by"], "used_by": used_by})
    return ApprovalRecord(token_id, action, subject, row["approver_name"], row["approver_id"],
                          row["requested_by"], used_by)


def spend(rec: Recorder, token_id: uuid.UUID, used_by: str) -> None:
    """Insert the ``approval_use`` row under a savepoint; a second use of the same approval
    (a race the checks above did not see) is ``approval_used``, and the caller's transaction
    survives it."""
    try:
        with rec.conn.begin_nested():
            rec.insert(ApprovalUse, [{"approval_id": token_id, "used_by": used_by}])
    except IntegrityError as exc:
        if "UNIQUE" in str(exc.orig).upper():
            raise DomainError("approval_used") from None
        raise
