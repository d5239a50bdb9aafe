"""Voids and refunds: new documents that point at the sale they take back.

A void takes back a whole sale; a refund takes back some quantity of some lines. Either is a
new ``sale`` row of kind ``void``/``refund`` with its own number from the sale counter, its
lines, the money going back and the stock coming back (``refund`` movements), journaled with
a document digest, all in one ``BEGIN IMMEDIATE`` transaction like checkout. The original
sale is never touched. A refund line keeps the original's ``line_no``: that is how later
refunds know what is left of each line.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from pos_app.domain.calendar import business_date
from pos_app.domain.cart import check_qty
from pos_app.domain.errors import N_, DomainError, Message
from pos_app.domain.money import round_half_up
from pos_app.domain.numbering import sale_number
from pos_app.domain.tenders import AppliedPayment, Method, check_reference
from pos_app.domain.text import REASON, check_text
from pos_app.persistence.models import Payment, Sale, SaleLine, StockMovement, User
from pos_app.services.access import approvals, audit, roles
from pos_app.services.sale.checkout import SoldLine
from pos_app.services.sale.receipts import find_sale_id
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder, bump_counter
from pos_app.services.shift import shifts

AMOUNTS = ("gross", "line_discount", "sale_discount", "tax", "net", "total")
COPIED = ("line_no", "product_id", "facility_id", "sku", "name", "facility_name", "qty",
          "unit_price", "discount_bp", "tax_mode", *AMOUNTS)
REASON_MAX = 200

NOT_A_SALE = Message(N_("it is a void or refund document"))
PARTLY_REFUNDED = Message(N_("partly refunded; refund the rest instead"))


@dataclass(frozen=True)
class RefundResult:
    """A void or refund document as written."""

    id: uuid.UUID
    number: str
    kind: str  # void | refund
    refers_to_id: uuid.UUID
    refers_to: str  # the original sale's number
    created_at: datetime
    cashier: str
    approved_by: str | None
    reason: str
    subtotal: int
    discount: int
    tax: int
    total: int  # the money going back
    lines: tuple[SoldLine, ...]
    payments: tuple[AppliedPayment, ...]


@dataclass(frozen=True)
class RefundableLine:
    line_no: int
    sku: str
    name: str
    unit_price: int
    total: int  # the original line total
    sold: int
    refunded: int
    left: int
    refunded_total: int
    amounts: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    done: Mapping[str, int] = field(default_factory=dict, repr=False, compare=False)

    def refund_total(self, qty: int) -> int:
        """The money ``qty`` more units of this line give back, exactly as :func:`refund`
        would write it (0 for 0 units)."""
        if qty <= 0:
            return 0
        if qty > self.left:
            raise DomainError("refund_exceeds", qty=qty, name=self.name, left=self.left)
        return refund_amounts(self.amounts, self.done, qty)["total"]


@dataclass(frozen=True)
class Refundable:
    """What can still be taken back of a sale (all zero once voided), its total and the
    methods it was paid by."""

    id: uuid.UUID
    number: str
    kind: str
    voided: bool
    lines: tuple[RefundableLine, ...]
    total: int = 0
    methods: tuple[Method, ...] = ()

    @property
    def any_left(self) -> bool:
        return self.kind == "sale" and any(line.left for line in self.lines)

    def refund_total(self, quantities: Mapping[int, int]) -> int:
        """What refunding ``quantities`` (line number -> units) gives back in all."""
        return sum(line.refund_total(quantities.get(line.line_no, 0)) for line in self.lines)


_S, _L = Sale.__table__.c, SaleLine.__table__.c
_REFUNDED = (
    select(_L.line_no, func.sum(_L.qty).label("qty"),
           *(func.sum(_L[f]).label(f) for f in AMOUNTS))
    .join_from(SaleLine.__table__, Sale.__table__, _S.id == _L.sale_id)
    .where(_S.kind == "refund")
    .group_by(_L.line_no)
)


@dataclass(frozen=True)
class _Original:
    sale: Mapping[str, Any]
    lines: tuple[Mapping[str, Any], ...]
    voided: bool
    refunds: dict[int, Mapping[str, int]]  # line_no -> qty and amounts refunded so far
    methods: tuple[Method, ...] = ()  # how the sale was paid, in order

    @classmethod
    def load(cls, conn: Connection, sale_id: uuid.UUID) -> _Original:
        sale = conn.execute(select(Sale.__table__).where(_S.id == sale_id)).mappings().first()
        if sale is None:
            raise DomainError("unknown_sale", number=str(sale_id))
        lines = conn.execute(select(SaleLine.__table__).where(_L.sale_id == sale_id)
                             .order_by(_L.line_no)).mappings().all()
        kinds = set(conn.execute(select(_S.kind).where(_S.refers_to_id == sale_id)).scalars())
        refunds = {r["line_no"]: r for r in conn.execute(
            _REFUNDED.where(_S.refers_to_id == sale_id)).mappings()}
        paid = conn.execute(select(Payment.method)
                            .where(Payment.sale_id == sale_id, Payment.amount > 0)
                            .order_by(Payment.line_no)).scalars()
        methods = tuple(Method(m) for m in dict.fromkeys(paid))
        return cls(sale, tuple(lines), "void" in kinds, refunds, methods)

    def done(self, line: Mapping[str, Any]) -> Mapping[str, int]:
        return self.refunds.get(line["line_no"]) or dict.fromkeys(("qty", *AMOUNTS), 0)

    def check_reversible(self) -> None:
        if self.sale["kind"] != "sale":
            raise DomainError("not_refundable", number=self.sale["number"], reason=NOT_A_SALE)
        if self.voided:
            raise DomainError("already_voided", number=self.sale["number"])


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def refund_amounts(line: Mapping[str, Any], done: Mapping[str, int], qty: int) -> dict[str, int]:
    """The amounts of refunding ``qty`` more units of an original ``line`` of which ``done``
    (qty and amounts) was refunded before.

    Amounts follow the units refunded so far: after ``n`` of ``Q`` units a field ``F`` has
    given back ``round_half_up(F * n / Q)`` in all, so refunding 1 + 1 costs the same as 2,
    and the refund that takes the last units takes exactly what is left of every field. The
    line identities (net = gross - discounts; total = net, plus tax when it is added) hold on
    every refund line, and no amount goes below zero or past what is left.
    """
    sold, units = line["qty"], done["qty"] + qty
    left = {f: line[f] - done[f] for f in AMOUNTS}
    if units == sold:
        return left

    def target(field: str) -> int:
        return round_half_up(Fraction(line[field] * units, sold)) - done[field]

    gross = qty * line["unit_price"]  # exact: the original gross is qty x unit price
    discount_left = left["line_discount"] + left["sale_discount"]
    net = _clamp(target("net"), max(0, gross - discount_left), min(gross, left["net"]))
    discount = gross - net
    line_discount = _clamp(target("line_discount"), max(0, discount - left["sale_discount"]),
                           min(discount, left["line_discount"]))
    tax = _clamp(target("tax"), 0, left["tax"])
    total = net + tax if line["tax_mode"] == "added" else net
    return {"gross": gross, "line_discount": line_discount,
            "sale_discount": discount - line_discount, "tax": tax, "net": net, "total": total}


def _approve(rec: Recorder, approval_id: uuid.UUID | None, action: str, original: uuid.UUID,
             actor: str, actor_role: str) -> str | None:
    """Spend the approval in this transaction, or refuse someone below the action's role
    (a cashier) without one; returns the approver's name."""
    if approval_id is None:
        if roles.needs_approval(actor_role, action):
            raise DomainError("approval_required", action=action)
        return None
    spent = approvals.consume(rec, approval_id, action, approvals.sale_subject(original), actor)
    return spent.approver


def _write(booth: Booth, conn: Connection, original: _Original, kind: str,
           line_rows: list[dict], payment_rows: list[dict], *, actor: str, actor_role: str,
           approval_id: uuid.UUID | None, reason: str, shift_id: uuid.UUID | None,
           source: str) -> RefundResult:
    """Approve, number and write one void/refund document with its journal event."""
    ctx = booth.context
    now = booth.clock.now()
    rec = Recorder(conn, ctx.device_id, now)
    original_id = original.sale["id"]
    approved_by = _approve(rec, approval_id, kind, original_id, actor, actor_role)
    # Money going back comes out of an open drawer: a given shift must still be open; with
    # none given, this device's open till shift (if any) takes it; else it is back office.
    shift_id = shifts.sale_shift_in(conn, ctx, shift_id)
    cashier_id = conn.execute(select(User.id).where(User.name == actor,
                                                    User.active.is_(True))).scalar()
    number = sale_number(ctx.device_code, bump_counter(conn, ctx.device_id, "sale"))
    doc_id = uuid.uuid4()
    total = sum(r["total"] for r in line_rows)
    sale_row = {
        "id": doc_id, "number": number, "event_id": ctx.event_id, "shift_id": shift_id,
        "business_date": business_date(now, ctx.timezone, ctx.cutoff),
        "cashier_id": cashier_id, "cashier_name": actor, "kind": kind,
        "refers_to_id": original_id, "source": source,
        "subtotal": sum(r["gross"] for r in line_rows),
        "discount": sum(r["line_discount"] + r["sale_discount"] for r in line_rows),
        "tax": sum(r["tax"] for r in line_rows), "total": total, "tendered": total, "change": 0,
    }
    for row in line_rows:
        row["sale_id"] = doc_id
    for n, row in enumerate(payment_rows, start=1):
        row.update(sale_id=doc_id, line_no=n)
    movement_rows = [{
        "product_id": r["product_id"], "facility_id": r["facility_id"], "qty": r["qty"],
        "kind": "refund", "document_kind": "sale", "document_id": doc_id, "note": number,
    } for r in line_rows]
    rec.insert_all([(Sale, [sale_row]), (SaleLine, line_rows), (Payment, payment_rows),
                    (StockMovement, movement_rows)])
    audit.append(rec, actor, kind, "sale", doc_id, {
        "number": number, "total": total, "refers_to": original.sale["number"],
        "reason": reason, "approved_by": approved_by,
        "digest": audit.document_digest(sale_row, line_rows, payment_rows, movement_rows),
    })
    return RefundResult(
        id=doc_id, number=number, kind=kind, refers_to_id=original_id,
        refers_to=original.sale["number"], created_at=now, cashier=actor,
        approved_by=approved_by, reason=reason, subtotal=sale_row["subtotal"],
        discount=sale_row["discount"], tax=sale_row["tax"], total=total,
        lines=tuple(SoldLine(r["sku"], r["name"], r["facility_name"], r["qty"], r["unit_price"],
                             r["line_discount"] + r["sale_discount"], r["tax"], r["total"])
                    for r in line_rows),
        payments=tuple(AppliedPayment(Method(p["method"]), p["amount"], p["tendered"],
                                      p["change"], p["reference"], p["verified"])
                       for p in payment_rows),
    )


def _reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise DomainError("reason_required")
    return check_text(text[:REASON_MAX], REASON, REASON_MAX)


def void_sale(booth: Booth, sale_ref: str | uuid.UUID, *, actor: str, actor_role: str,
              reason: str, approval_id: uuid.UUID | None = None,
              shift_id: uuid.UUID | None = None, source: str = "pos") -> RefundResult:
    """Take back a whole sale: a ``void`` document with the same lines, the money going back
    the way it came and every unit back in stock. Writes nothing when refused."""
    roles.check_role(actor_role)
    reason = _reason(reason)
    sale_id = find_sale_id(booth, sale_ref)
    with booth.db.write_connection() as conn:
        original = _Original.load(conn, sale_id)
        original.check_reversible()
        if original.refunds:
            raise DomainError("not_refundable", number=original.sale["number"],
                              reason=PARTLY_REFUNDED)
        line_rows = [{f: line[f] for f in COPIED} for line in original.lines]
        payment_rows = [{
            "method": p["method"], "amount": p["amount"], "tendered": p["amount"], "change": 0,
            "reference": p["reference"], "verified": p["verified"],
        } for p in conn.execute(select(Payment.__table__).where(Payment.sale_id == sale_id)
                                .order_by(Payment.line_no)).mappings() if p["amount"] > 0]
        result = _write(booth, conn, original, "void", line_rows, payment_rows, actor=actor,
                        actor_role=actor_role, approval_id=approval_id, reason=reason,
                        shift_id=shift_id, source=source)
    return result  # committed: the void is on disk


def refund(booth: Booth, sale_ref: str | uuid.UUID, lines: Mapping[int, int], *,
           method: str | Method, actor: str, actor_role: str, reason: str,
           approval_id: uuid.UUID | None = None, shift_id: uuid.UUID | None = None,
           reference: str | None = None, source: str = "pos") -> RefundResult:
    """Take back ``lines`` (original line number -> quantity) of a sale, paid back by
    ``method``. Amounts are the refunded share of each line (see :func:`refund_amounts`).
    Writes nothing when refused."""
    roles.check_role(actor_role)
    reason = _reason(reason)
    if not lines:
        raise DomainError("nothing_to_refund")
    for qty in lines.values():
        check_qty(qty)
    method = method if isinstance(method, Method) else Method.parse(method)
    reference = check_reference(reference)
    if method is Method.CARD and reference is None:
        raise DomainError("reference_required", method=method.value)
    sale_id = find_sale_id(booth, sale_ref)
    with booth.db.write_connection() as conn:
        original = _Original.load(conn, sale_id)
        original.check_reversible()
        by_no = {line["line_no"]: line for line in original.lines}
        line_rows = []
        for line_no in sorted(lines):
            line = by_no.get(line_no)
            if line is None:
                raise DomainError("unknown_sale_line", number=original.sale["number"],
                                  line=line_no)
            done, qty = original.done(line), lines[line_no]
            if qty > line["qty"] - done["qty"]:
                raise DomainError("refund_exceeds", qty=qty, name=line["name"],
                                  left=line["qty"] - done["qty"])
            row = {f: line[f] for f in COPIED}
            row.update(qty=qty, **refund_amounts(line, done, qty))
            line_rows.append(row)
        total = sum(r["total"] for r in line_rows)
        payment_rows = [{
            "method": method.value, "amount": total, "tendered": total, "change": 0,
            "reference": reference, "verified": method.verified_on_receipt,
        }] if total else []
        result = _write(booth, conn, original, "refund", line_rows, payment_rows, actor=actor,
                        actor_role=actor_role, approval_id=approval_id, reason=reason,
                        shift_id=shift_id, source=source)
    return result  # committed: the refund is on disk


def refundable(booth: Booth, sale_ref: str | uuid.UUID) -> Refundable:
    """Per line of a sale: sold, refunded so far and left to refund."""
    sale_id = find_sale_id(booth, sale_ref)
    with booth.db.read() as s:
        original = _Original.load(s.connection(), sale_id)
    closed = original.voided or original.sale["kind"] != "sale"
    lines = []
    for line in original.lines:
        done = original.done(line)
        lines.append(RefundableLine(
            line_no=line["line_no"], sku=line["sku"], name=line["name"],
            unit_price=line["unit_price"], total=line["total"], sold=line["qty"],
            refunded=done["qty"], left=0 if closed else line["qty"] - done["qty"],
            refunded_total=done["total"], amounts=dict(line), done=dict(done)))
    return Refundable(sale_id, original.sale["number"], original.sale["kind"], original.voided,
                      tuple(lines), original.sale["total"], original.methods)
