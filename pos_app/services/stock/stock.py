"""Reading stock: on-hand per product and facility, a product's movement history with the
document behind each movement, ledger totals by kind, and the proof that the on-hand cache
equals the ledger.

The ``stock_balance`` cache is kept by a trigger on every new ``stock_movement``; nothing
else writes it. :func:`verify_balances` compares it with ``SUM(qty)`` of the ledger.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, func, literal, or_, select, text
from sqlalchemy.engine import Connection

from pos_app.domain.errors import DomainError
from pos_app.domain.stock import LedgerTotals
from pos_app.domain.text import search_text
from pos_app.persistence.models import (
    Category,
    Facility,
    Product,
    Sale,
    StockBalance,
    StockDocument,
    StockMovement,
)
from pos_app.services.setup.booth import Booth, read_settings


@dataclass(frozen=True)
class OnHandRow:
    product_id: uuid.UUID
    sku: str
    barcode: str | None
    name: str
    category: str
    facility_id: uuid.UUID
    facility_code: str
    facility_name: str
    price: int
    on_hand: int
    low: bool  # at or below the low-stock level (negative included)

    @property
    def value(self) -> int:
        return self.on_hand * self.price


@dataclass(frozen=True)
class MovementRow:
    id: uuid.UUID
    created_at: datetime
    kind: str
    qty: int
    balance: int  # on-hand after this movement
    document_kind: str  # sale | receipt | count | return | adjust | import
    document_id: uuid.UUID | None
    document_number: str  # the sale's or stock document's number ('' when none)
    reason: str | None
    note: str


@dataclass(frozen=True)
class BalanceMismatch:
    product_id: uuid.UUID
    facility_id: uuid.UUID
    cached: int
    ledger: int


def facility_by_code(conn: Connection, code: str):
    """The facility row for a code (any case), or ``unknown_facility_code``."""
    row = conn.execute(select(Facility.id, Facility.code, Facility.name, Facility.kind)
                       .where(Facility.code == (code or "").strip().upper())).first()
    if row is None:
        raise DomainError("unknown_facility_code", code=code)
    return row


def on_hand(booth: Booth, *, facility: str | uuid.UUID | None = None,
            category_id: uuid.UUID | None = None, query: str = "",
            only_low: bool = False, include_inactive: bool = False) -> list[OnHandRow]:
    """Every product (of a facility / category / matching ``query`` in name, SKU or
    barcode) with its on-hand; products never moved show 0. Sorted by facility, name."""
    with booth.db.read() as s:
        conn = s.connection()
        level = read_settings(s).low_stock
        stock = func.coalesce(StockBalance.on_hand, 0)
        q = (select(Product.id, Product.sku, Product.barcode, Product.name, Category.name,
                    Facility.id, Facility.code, Facility.name, Product.price, stock)
             .join(Facility, Facility.id == Product.facility_id)
             .join(Category, Category.id == Product.category_id)
             .outerjoin(StockBalance, and_(StockBalance.product_id == Product.id,
                                           StockBalance.facility_id == Product.facility_id)))
        if facility is not None:
            fid = facility if isinstance(facility, uuid.UUID) else \
                facility_by_code(conn, facility).id
            q = q.where(Product.facility_id == fid)
        if category_id is not None:
            q = q.where(Product.category_id == category_id)
        if not include_inactive:
            q = q.where(or_(Product.active.is_(True), stock != 0))
        text = search_text(query)
        if text:
            like = f"%{text.replace('%', '').replace('_', '')}%"
            q = q.where(or_(Product.name.ilike(like), Product.sku.ilike(like),
                            Product.barcode.ilike(like)))
        if only_low:
            q = q.where(stock <= literal(level))
        rows = conn.execute(q.order_by(Facility.name, Product.name, Product.sku)).all()
    return [OnHandRow(*r, low=r[9] <= level) for r in rows]


def balance(conn: Connection, product_id: uuid.UUID, facility_id: uuid.UUID) -> int:
    """On-hand of one product at one facility, inside the caller's transaction."""
    value = conn.execute(select(StockBalance.on_hand).where(
        StockBalance.product_id == product_id,
        StockBalance.facility_id == facility_id)).scalar()
    return value or 0


_BALANCES = text("SELECT product_id, facility_id, on_hand FROM stock_balance "
                 "WHERE product_id IN :ids").bindparams(bindparam("ids", expanding=True))


def balances(conn: Connection, pairs) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """On-hand for several (product, facility) pairs in one query."""
    pairs = list(pairs)
    if not pairs:
        return {}
    rows = conn.execute(_BALANCES, {"ids": sorted({p.hex for p, _ in pairs})}).all()
    found = {(uuid.UUID(p), uuid.UUID(f)): q for p, f, q in rows}
    return {pair: found.get(pair, 0) for pair in pairs}


def movements(booth: Booth, product_id: uuid.UUID) -> list[MovementRow]:
    """A product's movements, oldest first, with the running balance and the number of the
    document each belongs to (a sale, void or refund number, or a stock document number)."""
    m = StockMovement
    q = (select(m.id, m.created_at, m.kind, m.qty, m.document_kind, m.document_id,
                func.coalesce(Sale.number, StockDocument.number, ""), m.reason, m.note)
         .outerjoin(Sale, and_(m.document_kind == "sale", Sale.id == m.document_id))
         .outerjoin(StockDocument, and_(m.document_kind != "sale",
                                        StockDocument.id == m.document_id))
         .where(m.product_id == product_id)
         .order_by(m.seq, m.id))
    out, running = [], 0
    with booth.db.read() as s:
        for row in s.execute(q):
            running += row[3]
            out.append(MovementRow(row[0], row[1], row[2], row[3], running, row[4], row[5],
                                   row[6], row[7], row[8]))
    return out


def ledger_totals(conn: Connection, facility_id: uuid.UUID | None = None
                  ) -> dict[tuple[uuid.UUID, uuid.UUID], LedgerTotals]:
    """(product, facility) -> movements summed by kind, straight from the ledger."""
    q = select(StockMovement.product_id, StockMovement.facility_id, StockMovement.kind,
               func.sum(StockMovement.qty)).group_by(
        StockMovement.product_id, StockMovement.facility_id, StockMovement.kind)
    if facility_id is not None:
        q = q.where(StockMovement.facility_id == facility_id)
    sums: dict[tuple[uuid.UUID, uuid.UUID], dict[str, int]] = defaultdict(dict)
    for product_id, fac_id, kind, qty in conn.execute(q):
        sums[(product_id, fac_id)][kind] = qty
    return {key: LedgerTotals.from_kinds(kinds) for key, kinds in sums.items()}


def verify_balances(conn: Connection) -> list[BalanceMismatch]:
    """Every (product, facility) whose cached on-hand differs from the ledger's sum."""
    ledger = {(p, f): q for p, f, q in conn.execute(
        select(StockMovement.product_id, StockMovement.facility_id, func.sum(StockMovement.qty))
        .group_by(StockMovement.product_id, StockMovement.facility_id))}
    cached = {(p, f): q for p, f, q in conn.execute(
        select(StockBalance.product_id, StockBalance.facility_id, StockBalance.on_hand))}
    out = []
    for key in sorted(set(ledger) | set(cached)):
        a, b = cached.get(key, 0), ledger.get(key, 0)
        if a != b:
            out.append(BalanceMismatch(key[0], key[1], a, b))
    return out


def check_balances(booth: Booth) -> list[BalanceMismatch]:
    with booth.db.read() as s:
        return verify_balances(s.connection())
