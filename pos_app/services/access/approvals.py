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
``discount``,          ``cart:<cart key hex>:<digest>`` (:func:`cart_subject`): the cart key is
``price_override``     a uuid the screen makes when a cart starts; the digest (SHA-256, 26 hex
                       digits) covers the whole cart and the change (:class:`CartChange`)
``open_drawer``        ``shift:<shift id hex>``, or ``shift:none`` without an open shift
                       (:func:`drawer_subject`)
=====================  ====================================================================

A discount or price approval is bound to what the coordinator saw. The digest covers every
line of the cart (product, SKU, quantity, catalog price) and the change: for a line discount
the line, its price, the discount, what it applies to and the rupiah it takes off; for the
whole-sale discount also every line's price and line discount; for a price override the line
and its new price. Adding a line, changing a quantity, or anything else the approved amount
depends on gives another subject, and the approval no longer matches: checkout refuses the
sale (``approval_cart_changed``) and the cashier asks again. Two SKUs never share a subject
(nothing is cut short). The readable part -- the change, the cart's total before it and the
rupiah approved -- is in the ``approval.grant`` event's payload (``change``).

Checkout (``SaleRequest.approval_ids``) needs one approval per guarded change in the sale: per
line or whole-sale discount above ``discount_approval_percent`` of what it applies to
(``discount`` on :func:`line_discount_change` / :func:`sale_discount_change`) and per price
override (``price_override`` on :func:`price_change`). The screen and the service both build
these with the functions here, from the cart as it is with the change made.

Time: :func:`approve` and :func:`consume` take the time from ``audit.steady_now``: the
clock, but never earlier than this device's newest journal event nor the last time this
process used, so setting the clock back cannot make an expired approval valid again.

Journal: ``approval.grant`` (actor: approver; subject: the approver as a user, so that a
successful approval PIN also resets their failure count; payload: approval id, action,
subject, approver, requested_by, expires_at, and for a cart change ``change``: scope, value,
cart_total, amount) and ``approval.use`` (actor: the user; subject:
the approval; payload: action, subject, approver, requested_by, used_by).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from fractions import Fraction

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from pos_app.domain.cart import Cart, Discount
from pos_app.domain.errors import DomainError
from pos_app.domain.tax import TaxSettings
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

__all__ = ["ApprovalRecord", "ApprovalToken", "CartChange", "approve", "cart_subject",
           "consume", "discount_percent", "drawer_subject", "line_discount_change",
           "needs_approval", "price_change", "sale_discount_change", "sale_subject",
           "shift_subject"]

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


def discount_percent(discount: Discount, base: int) -> Fraction:
    """The discount as an exact percentage of ``base`` rupiah."""
    if discount.kind == "percent":
        return Fraction(discount.value)
    return Fraction(int(discount.value) * 100, base) if base > 0 else Fraction(100)


@dataclass(frozen=True)
class CartChange:
    """A guarded change to a cart, as a coordinator approves it and checkout finds it.

    ``subject`` binds the approval to the whole cart and the change (a digest, see the module
    docstring); ``detail`` is what a person reads later in the ``approval.grant`` event: the
    change (``scope``, ``value``), the cart's total before it and the rupiah approved."""

    subject: str
    detail: dict[str, object]


_DIGEST_HEX = SUBJECT_MAX - len("cart::") - 32  # 26 hex digits: 104 bits


def _value(discount: Discount) -> str:
    if discount.kind == "percent":
        return f"{float(Fraction(discount.value)):g}%"
    return f"Rp{int(discount.value)}"


def _exact(discount: Discount) -> list:
    return [discount.kind, str(Fraction(discount.value))]


def _goods(cart: Cart) -> list:
    return [[line.product.id.hex, line.product.sku, line.qty, line.catalog_price]
            for line in cart.lines]


def _total(cart: Cart, tax: TaxSettings, fallback: int) -> int:
    try:
        return cart.price(tax).total
    except DomainError:  # the cart without the change breaks a rule (say, an amount
        return fallback  # discount above the catalog price): the total with it, plus it


def _change(cart_key: uuid.UUID, cart: Cart, change: dict, value: str, before: Cart,
            tax: TaxSettings, total: int) -> CartChange:
    """The subject: the cart key and a digest of the cart's goods and ``change``."""
    text = audit.canonical({"goods": _goods(cart), "change": change})
    digest = hashlib.sha256(text.encode()).hexdigest()[:_DIGEST_HEX]
    amount = int(change["amount"])
    scope = change["scope"] if "sku" not in change else f"{change['scope']}:{change['sku']}"
    return CartChange(cart_subject(cart_key, digest), {
        "scope": scope, "value": value, "cart_total": _total(before, tax, total + amount),
        "amount": amount})


def _copy(cart: Cart) -> Cart:
    return Cart(lines=list(cart.lines), discount=cart.discount)


def line_discount_change(cart_key: uuid.UUID, cart: Cart, index: int,
                         tax: TaxSettings) -> CartChange:
    """Line ``index``'s discount, in ``cart`` as it is with the discount given."""
    priced = cart.price(tax)
    line, p = cart.lines[index], priced.lines[index]
    if line.discount is None:
        raise ValueError(f"line {index} has no discount")
    before = _copy(cart)
    before.lines[index] = replace(line, discount=None)
    change = {"scope": "line", "line": index, "sku": line.product.sku,
              "unit_price": p.unit_price, "discount": _exact(line.discount), "base": p.gross,
              "amount": p.line_discount}
    return _change(cart_key, cart, change, _value(line.discount), before, tax, priced.total)


def sale_discount_change(cart_key: uuid.UUID, cart: Cart, tax: TaxSettings) -> CartChange:
    """The whole-sale discount, in ``cart`` as it is with the discount given."""
    if cart.discount is None:
        raise ValueError("the cart has no discount")
    priced = cart.price(tax)
    change = {"scope": "sale", "lines": [[p.unit_price, p.line_discount] for p in priced.lines],
              "discount": _exact(cart.discount),
              "base": sum(p.gross - p.line_discount for p in priced.lines),
              "amount": sum(p.sale_discount for p in priced.lines)}
    before = _copy(cart)
    before.discount = None
    return _change(cart_key, cart, change, _value(cart.discount), before, tax, priced.total)


def price_change(cart_key: uuid.UUID, cart: Cart, index: int, tax: TaxSettings) -> CartChange:
    """Line ``index``'s price override, in ``cart`` as it is with the new price; the amount
    approved is what the override takes off the catalog price (negative when it adds)."""
    line = cart.lines[index]
    price = line.product.unit_price
    change = {"scope": "price", "line": index, "sku": line.product.sku, "unit_price": price,
              "amount": (line.catalog_price - price) * line.qty}
    before = _copy(cart)
    before.lines[index] = replace(line, product=replace(line.product,
                                                        unit_price=line.catalog_price),
                                  list_price=None)
    return _change(cart_key, cart, change, f"Rp{price}", before, tax, cart.price(tax).total)


def _check_subject(subject: str) -> str:
    if not subject or len(subject) > SUBJECT_MAX:
        raise ValueError(f"an approval subject is 1 to {SUBJECT_MAX} characters: {subject!r}")
    return subject


def _check_action(action: str) -> str:
    return roles.approvable(action)  # an unknown action is a programming error


def approve(booth: Booth, approver_name: str, approver_pin: str, action: str,
            subject: str | CartChange, requested_by: str | AuthUser) -> ApprovalToken:
    """A coordinator's (or admin's) approval of ``action`` on ``subject`` for ``requested_by``.

    ``subject`` is a subject string, or a :class:`CartChange` (its subject, and its readable
    ``detail`` in the journal). The approval runs from the steady time (``audit.steady_now``).
    Raises ``self_approval``, ``bad_pin_format``, ``bad_pin`` / ``account_locked`` (the PIN
    failure is journaled and counts toward the approver's lockout), ``not_allowed`` (the
    approver's role is too low) or ``secret_unavailable``. The approval row and its journal
    event are written in one transaction.
    """
    _check_action(action)
    change = subject.detail if isinstance(subject, CartChange) else None
    subject = _check_subject(subject.subject if isinstance(subject, CartChange) else subject)
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
        rec.now = audit.steady_now(rec.conn, ctx.device_id, rec.now)
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
            payload = {"approval": token.id.hex, "action": action, "subject": subject,
                       "approver": user.name, "requested_by": requester,
                       "expires_at": token.expires_at}
            if change is not None:
                payload["change"] = change
            audit.append(rec, user.name, "approval.grant", "user", user.id, payload)
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
    error); the steady time (``audit.steady_now`` from ``rec.now``: never earlier than this
    device's newest journal event nor the last time used) is before its expiry
    (``approval_expired``). Then writes the
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
    if audit.steady_now(rec.conn, rec.device_id, rec.now) >= row["expires_at"]:
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
