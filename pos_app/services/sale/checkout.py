"""Checkout: the one write that must never be lost or half-made.

A single ``BEGIN IMMEDIATE`` transaction re-reads the products, prices the cart, settles the
tenders and writes the sale, its lines (name, price and facility frozen), payments, stock
movements and outbox rows. It returns only after the commit, so a returned sale survives a
crash or power cut (WAL + synchronous=FULL).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import bindparam, select

from pos_app.domain.calendar import business_date
from pos_app.domain.cart import Cart, CartLine, Discount, ProductRef, check_qty
from pos_app.domain.errors import DomainError
from pos_app.domain.money import check_amount
from pos_app.domain.numbering import sale_number
from pos_app.domain.tax import TaxMode, TaxSettings
from pos_app.domain.tenders import AppliedPayment, Tender, settle
from pos_app.persistence.models import (
    Approval,
    Facility,
    Payment,
    Product,
    Sale,
    SaleLine,
    StockMovement,
    User,
)
from pos_app.services.access import approvals, audit, roles
from pos_app.services.sale.qris import qris_shown
from pos_app.services.setup.booth import Booth, read_settings
from pos_app.services.setup.records import Recorder, bump_counter
from pos_app.services.setup.settings_model import Settings
from pos_app.services.shift import shifts
from pos_app.services.stock import stock


@dataclass(frozen=True)
class SaleItem:
    """One requested line: a product by id (sale screen) or SKU (command line)."""

    qty: int
    product_id: uuid.UUID | None = None
    sku: str | None = None
    discount: Discount | None = None
    # A price override in rupiah (None: the catalog price). A cashier's override that differs
    # from the catalog price needs a coordinator's ``price_override`` approval.
    unit_price: int | None = None


@dataclass(frozen=True)
class SaleRequest:
    items: tuple[SaleItem, ...]
    tenders: tuple[Tender, ...]
    discount: Discount | None = None
    cashier: str | None = None  # a user's name; None = the back-office actor below
    actor: str = "pos"  # who rang it up when no user is named (e.g. ``os:maria``)
    source: str = "pos"  # pos | cli
    # The open shift the sale belongs to. The till must name one; a command-line back-entry
    # without one goes into this device's open shift, or a back-office shift opened and
    # closed around the sale in the same transaction.
    shift_id: uuid.UUID | None = None
    # Approvals for a cashier's guarded changes: one per discount above the setting
    # ``discount_approval_percent`` of what it applies to (action ``discount``) and one per
    # price override (``price_override``), each on the ``approvals.CartChange`` of
    # ``cart_key`` (the screen's name for this cart) and this very cart (``approvals_needed``
    # lists them). All are spent in the sale's transaction; a missing one is
    # ``approval_required``, one given for the cart as it was before is
    # ``approval_cart_changed``. One that
    # matches no guarded change in this sale (say, for a discount taken off again) is left
    # unspent; an unknown id is ``approval_invalid``. The back office (source ``cli``) and
    # coordinators need none.
    cart_key: uuid.UUID | None = None
    approval_ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True)
class SoldLine:
    sku: str
    name: str
    facility_name: str
    qty: int
    unit_price: int
    discount: int
    tax: int
    total: int


@dataclass(frozen=True)
class SaleResult:
    id: uuid.UUID
    number: str
    created_at: datetime
    cashier: str
    subtotal: int
    discount: int
    tax: int
    total: int
    tendered: int
    change: int
    lines: tuple[SoldLine, ...]
    payments: tuple[AppliedPayment, ...]
    below_zero: tuple[str, ...] = ()  # products this sale took below zero (setting: warn)


def request_from_cart(cart: Cart, tenders: list[Tender], cashier: str | None,
                      cart_key: uuid.UUID | None = None,
                      approval_ids: tuple[uuid.UUID, ...] = ()) -> SaleRequest:
    items = tuple(SaleItem(line.qty, product_id=line.product.id, discount=line.discount,
                           unit_price=line.product.unit_price if line.overridden else None)
                  for line in cart.lines)
    return SaleRequest(items, tuple(tenders), cart.discount, cashier=cashier,
                       cart_key=cart_key, approval_ids=tuple(approval_ids))


_P, _F, _U = Product.__table__.c, Facility.__table__.c, User.__table__.c
_PRODUCTS = (
    select(_P.id, _P.sku, _P.name, _P.price, _P.facility_id, _F.name, _P.tax_mode, _P.barcode,
           _P.active)
    .join_from(Product.__table__, Facility.__table__, _F.id == _P.facility_id)
)
# Built once: the hot path only binds values.
_PRODUCTS_BY_ID = _PRODUCTS.where(_P.id.in_(bindparam("ids", expanding=True)))
_PRODUCTS_BY_SKU = _PRODUCTS.where(_P.sku.in_(bindparam("skus", expanding=True)))
_CASHIER = select(_U.id, _U.name, _U.role).where(_U.name == bindparam("name"), _U.active.is_(True))


def _load_products(conn, items: tuple[SaleItem, ...]) -> list[ProductRef]:
    """Today's product data for each requested item (Core select: this is the hot path)."""
    ids = {i.product_id for i in items if i.product_id is not None}
    skus = {i.sku.strip().upper() for i in items if i.sku is not None}
    rows = []
    if ids:
        rows += conn.execute(_PRODUCTS_BY_ID, {"ids": list(ids)}).all()
    if skus:
        rows += conn.execute(_PRODUCTS_BY_SKU, {"skus": list(skus)}).all()
    by_id = {r[0]: r for r in rows}
    by_sku = {r[1]: r for r in rows}
    refs = []
    for item in items:
        if item.product_id is not None:
            row = by_id.get(item.product_id)
        else:
            row = by_sku.get((item.sku or "").strip().upper())
        if row is None:
            raise DomainError("unknown_product", ref=item.sku or item.product_id)
        if not row[8]:
            raise DomainError("inactive_product", ref=row[1])
        refs.append(ProductRef(row[0], row[1], row[2], row[3], row[4], row[5],
                               TaxMode(row[6]), row[7]))
    return refs


def _cashier(conn, name: str | None) -> tuple[uuid.UUID | None, str | None, str]:
    if name is None:
        return None, None, "cashier"
    row = conn.execute(_CASHIER, {"name": name.strip()}).first()
    if row is None:
        raise DomainError("unknown_cashier", name=name)
    return row[0], row[1], row[2]


def _guarded(request: SaleRequest, cart: Cart, priced, settings: Settings,
             tax: TaxSettings) -> list[tuple[str, approvals.CartChange]]:
    """The guarded changes a cashier needs an approval for in this sale: (action, change),
    each change bound to this very cart (``approvals.CartChange``)."""
    key = request.cart_key or uuid.UUID(int=0)
    limit = settings.discount_approval_percent
    needed = []
    for index, (line, p) in enumerate(zip(cart.lines, priced.lines, strict=True)):
        if line.overridden:
            needed.append(("price_override", approvals.price_change(key, cart, index, tax)))
        if line.discount and approvals.discount_percent(line.discount, p.gross) > limit:
            needed.append(("discount", approvals.line_discount_change(key, cart, index, tax)))
    if cart.discount is not None:
        base = sum(p.gross - p.line_discount for p in priced.lines)
        if approvals.discount_percent(cart.discount, base) > limit:
            needed.append(("discount", approvals.sale_discount_change(key, cart, tax)))
    return needed


_APPROVAL = select(Approval.action, Approval.subject).where(Approval.id == bindparam("i"))


def _spend_approvals(rec: Recorder, request: SaleRequest,
                     needed: list[tuple[str, approvals.CartChange]], used_by: str) -> list[str]:
    """Spend one given approval per guarded change; returns the approvers' names.

    A change with no matching approval is ``approval_required``, or
    ``approval_cart_changed`` when an approval of that kind was given for this cart as it
    was before (a line added, a quantity or the discount changed since)."""
    left = [(action, change.subject) for action, change in needed]
    approvers, stale = [], set()
    for approval_id in request.approval_ids:
        row = rec.conn.execute(_APPROVAL, {"i": approval_id}).first()
        if row is None:
            raise DomainError("approval_invalid")
        if (row[0], row[1]) not in left:
            stale.add(row[0])  # for a change no longer in the cart, or for another cart
            continue  # (or one needing none): not spent
        left.remove((row[0], row[1]))
        approvers.append(approvals.consume(rec, approval_id, row[0], row[1], used_by).approver)
    if left:
        action = left[0][0]
        raise DomainError("approval_cart_changed" if action in stale else "approval_required",
                          action=action)
    return approvers


def approvals_needed(booth: Booth, request: SaleRequest
                     ) -> list[tuple[str, approvals.CartChange]]:
    """The approvals ``request`` needs from a cashier, as checkout will look for them
    (``approvals.approve`` takes the change as its subject): for a client that builds the
    request without a cart of its own (the command line, tests)."""
    with booth.db.read() as s:
        cart = _cart(s.connection(), request)
        return _guarded(request, cart, cart.price(booth.context.tax), read_settings(s),
                        booth.context.tax)


def _cart(conn, request: SaleRequest) -> Cart:
    """The requested cart with today's product data; an overridden line keeps its catalog
    price (``CartLine.list_price``)."""
    cart = Cart()
    refs = _load_products(conn, request.items)
    for item, ref in zip(request.items, refs, strict=True):
        catalog = None
        if item.unit_price is not None:
            catalog = ref.unit_price
            ref = replace(ref, unit_price=check_amount(item.unit_price))
        cart.lines.append(CartLine(ref, item.qty, item.discount, list_price=catalog))
    cart.check_total()
    cart.discount = request.discount
    return cart


def _stock_check(conn, lines, block: bool) -> tuple[str, ...]:
    """Names of the products this sale takes below zero; refused when the setting blocks it.
    By default it only warns: the goods are already in the customer's hands."""
    wanted: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
    names = {}
    for p in lines:
        key = (p.product.id, p.product.facility_id)
        wanted[key] = wanted.get(key, 0) + p.qty
        names[key] = p.product.name
    have = stock.balances(conn, wanted)
    short = [key for key, qty in wanted.items() if have[key] - qty < 0]
    if short and block:
        key = short[0]
        raise DomainError("insufficient_stock", name=names[key], on_hand=have[key])
    return tuple(names[key] for key in short)


def checkout(booth: Booth, request: SaleRequest) -> SaleResult:
    """Record one sale durably. Raises ``DomainError`` and writes nothing on bad input."""
    if not request.items:
        raise DomainError("empty_cart")
    for item in request.items:
        check_qty(item.qty)
    ctx = booth.context
    with booth.db.write_connection() as s:
        now = booth.clock.now()
        cart = _cart(s, request)
        priced = cart.price(ctx.tax)
        settlement = qris_shown(booth, settle(priced.total, list(request.tenders)))
        below_zero = _stock_check(s, priced.lines, ctx.block_negative_stock)
        cashier_id, cashier_name, role = _cashier(s, request.cashier)
        cashier_name = cashier_name or request.actor
        if request.source == "cli":  # the back office acts at coordinator level
            role = "coordinator"
        needed = []
        if roles.needs_approval(role, "discount"):
            needed = _guarded(request, cart, priced, read_settings(s), ctx.tax)
        if needed and not request.approval_ids:
            raise DomainError("approval_required", action=needed[0][0])
        if request.shift_id is None and request.source != "cli":
            raise DomainError("no_open_shift")
        shift_id = shifts.sale_shift_in(s, ctx, request.shift_id)
        backoffice = None
        if shift_id is None:
            shift_id = backoffice = shifts.open_backoffice_in(s, ctx, now, cashier_name)

        number = sale_number(ctx.device_code, bump_counter(s, ctx.device_id, "sale"))
        sale_id = uuid.uuid4()
        rec = Recorder(s, ctx.device_id, now)
        approvers = _spend_approvals(rec, request, needed, cashier_name) if needed else []
        sale_row = {
            "id": sale_id, "number": number, "event_id": ctx.event_id,
            "shift_id": shift_id,
            "business_date": business_date(now, ctx.timezone, ctx.cutoff),
            "cashier_id": cashier_id, "cashier_name": cashier_name, "kind": "sale",
            "refers_to_id": None, "source": request.source, "subtotal": priced.subtotal,
            "discount": priced.discount, "tax": priced.tax, "total": priced.total,
            "tendered": settlement.tendered, "change": settlement.change,
        }
        line_rows = [{
            "sale_id": sale_id, "line_no": n, "product_id": p.product.id,
            "facility_id": p.product.facility_id, "sku": p.product.sku, "name": p.product.name,
            "facility_name": p.product.facility_name, "qty": p.qty, "unit_price": p.unit_price,
            "gross": p.gross, "line_discount": p.line_discount, "sale_discount": p.sale_discount,
            "discount_bp": line.discount.basis_points() if line.discount else None,
            "tax_mode": p.product.tax_mode.value, "tax": p.tax, "net": p.net, "total": p.total,
        } for n, (p, line) in enumerate(zip(priced.lines, cart.lines, strict=True), start=1)]
        payment_rows = [{
            "sale_id": sale_id, "line_no": n, "method": pay.method.value, "amount": pay.amount,
            "tendered": pay.tendered, "change": pay.change, "reference": pay.reference,
            "verified": pay.verified, "qris_payload": pay.qris_payload,
        } for n, pay in enumerate(settlement.payments, start=1)]
        movement_rows = [{
            "product_id": p.product.id, "facility_id": p.product.facility_id, "qty": -p.qty,
            "kind": "sale", "document_kind": "sale", "document_id": sale_id, "note": number,
        } for p in priced.lines]
        rec.insert_all([(Sale, [sale_row]), (SaleLine, line_rows), (Payment, payment_rows),
                        (StockMovement, movement_rows)])
        payload = {
            "number": number, "total": priced.total,
            "digest": audit.document_digest(sale_row, line_rows, payment_rows, movement_rows),
        }
        if approvers:
            payload["approved_by"] = ", ".join(dict.fromkeys(approvers))
        audit.append(rec, cashier_name, "sale", "sale", sale_id, payload)
        if backoffice is not None:  # back-entry of a paper sale: the shift ends with it
            shifts.close_in(s, ctx, now, backoffice, None, cashier_name, kind="backoffice")
    # The block above committed: the sale is on disk.
    return SaleResult(
        id=sale_id, number=number, created_at=now, cashier=cashier_name,
        subtotal=priced.subtotal, discount=priced.discount, tax=priced.tax, total=priced.total,
        tendered=settlement.tendered, change=settlement.change,
        lines=tuple(SoldLine(p.product.sku, p.product.name, p.product.facility_name, p.qty,
                             p.unit_price, p.discount, p.tax, p.total) for p in priced.lines),
        payments=settlement.payments, below_zero=below_zero,
    )

