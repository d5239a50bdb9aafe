"""Prototypes of a leaner checkout, for the lead to judge (NOT used by the app).

OUT OF DATE (2026-11-23): written before shifts, the stock check and the journal. It still
runs, but its sales carry no ``shift_id``, read no ``stock_balance`` and write no
``audit_event``, so bench_checkout.py no longer runs it (it prints a note instead). The
service has since taken the ``core`` changes (prebuilt statements, a Core Connection).

Both kept the service's domain code (Cart pricing, settle, numbering, business date), its
statements and its rows as of 2026-11-22 (when bench_checkout.py checked the rows matched);
only the plumbing differed.

``core``  - what the service could do with SQLAlchemy Core alone:
            * a ``Connection`` from the writer engine (``BEGIN IMMEDIATE`` by the existing
              event) instead of a ``Session``, fetched once per transaction;
            * every statement built ONCE at import (``bindparam(expanding=True)`` for the
              5 product ids, a bound cashier name, one ``insert()`` per table), so no
              statement construction or cache-key generation per sale;
            * the real model tables, so Uuid / UTCDateTime bind processing stays as is.
``dbapi`` - the same, but statements go straight to the sqlite3 cursor of that Connection
            (plain SQL strings, hex UUIDs, ISO text): the floor for this domain code, i.e.
            what is left of the gap to raw once SQLAlchemy's per-execute work is gone.
"""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, select, text

from pos_app.domain.calendar import business_date
from pos_app.domain.cart import Cart, CartLine, ProductRef, check_qty
from pos_app.domain.errors import DomainError
from pos_app.domain.numbering import sale_number
from pos_app.domain.tax import TaxMode
from pos_app.domain.tenders import settle
from pos_app.persistence.models import (
    Facility,
    Outbox,
    Payment,
    Product,
    Sale,
    SaleLine,
    StockMovement,
    User,
)
from pos_app.services.sale.checkout import SaleRequest
from pos_app.services.setup.booth import Booth

_P, _F, _U = Product.__table__.c, Facility.__table__.c, User.__table__.c

PRODUCTS_BY_ID = (
    select(_P.id, _P.sku, _P.name, _P.price, _P.facility_id, _F.name, _P.tax_mode, _P.barcode,
           _P.active)
    .join_from(Product.__table__, Facility.__table__, _F.id == _P.facility_id)
    .where(_P.id.in_(bindparam("ids", expanding=True)))
)
CASHIER = select(_U.id, _U.name).where(_U.name == bindparam("name"), _U.active.is_(True))
BUMP = text(
    "INSERT INTO counter(device_id, name, value) VALUES (:d, :n, :k) "
    "ON CONFLICT(device_id, name) DO UPDATE SET value = value + :k RETURNING value"
)
INSERT = {m: m.__table__.insert() for m in (Sale, SaleLine, Payment, StockMovement, Outbox)}


def _sql_insert(model) -> str:
    cols = [c.name for c in model.__table__.columns if not (model is Outbox and c.name == "id")]
    return (f"INSERT INTO {model.__tablename__} ({', '.join(cols)}) "
            f"VALUES ({', '.join('?' * len(cols))})"), cols


SQL = {m: _sql_insert(m) for m in INSERT}
SQL_PRODUCTS = (
    "SELECT product.id, product.sku, product.name, product.price, product.facility_id, "
    "facility.name, product.tax_mode, product.barcode, product.active FROM product "
    "JOIN facility ON facility.id = product.facility_id WHERE product.id IN ({})"
)
SQL_CASHIER = "SELECT id, name FROM user WHERE name = ? AND active = 1"
SQL_BUMP = ("INSERT INTO counter(device_id, name, value) VALUES (?, ?, ?) "
            "ON CONFLICT(device_id, name) DO UPDATE SET value = value + ? RETURNING value")


class ProtoCheckout:
    def __init__(self, booth: Booth, mode: str = "core") -> None:
        if mode not in ("core", "dbapi"):
            raise ValueError(mode)
        self.booth = booth
        self.mode = mode
        self.writer = booth.db._writer  # the engine with sqlite_begin=IMMEDIATE

    # -- the two plumbing variants: same calls, same results --------------------------------

    def _products(self, conn, ids: list[uuid.UUID]):
        if self.mode == "core":
            return conn.execute(PRODUCTS_BY_ID, {"ids": ids}).all()
        cur = conn.connection.driver_connection.cursor()
        rows = cur.execute(SQL_PRODUCTS.format(", ".join("?" * len(ids))),
                           [i.hex for i in ids]).fetchall()
        return [(uuid.UUID(r[0]), r[1], r[2], r[3], uuid.UUID(r[4]), *r[5:]) for r in rows]

    def _cashier(self, conn, name: str):
        if self.mode == "core":
            return conn.execute(CASHIER, {"name": name}).first()
        cur = conn.connection.driver_connection.cursor()
        row = cur.execute(SQL_CASHIER, (name,)).fetchone()
        return None if row is None else (uuid.UUID(row[0]), row[1])

    def _bump(self, conn, device_id: uuid.UUID, name: str, by: int = 1) -> int:
        if self.mode == "core":
            return conn.execute(BUMP, {"d": device_id.hex, "n": name, "k": by}).scalar_one()
        cur = conn.connection.driver_connection.cursor()
        return cur.execute(SQL_BUMP, (device_id.hex, name, by, by)).fetchone()[0]

    def _insert(self, conn, model, rows: list[dict]) -> None:
        if self.mode == "core":
            conn.execute(INSERT[model], rows)
            return
        sql, cols = SQL[model]
        cur = conn.connection.driver_connection.cursor()
        cur.executemany(sql, [tuple(_db(row.get(c)) for c in cols) for row in rows])

    # -- the checkout ------------------------------------------------------------------------

    def checkout(self, request: SaleRequest) -> str:
        if not request.items:
            raise DomainError("empty_cart")
        for item in request.items:
            check_qty(item.qty)
        if any(i.product_id is None for i in request.items):
            raise NotImplementedError("prototype: product ids only")
        ctx = self.booth.context
        with self.writer.begin() as conn:
            now = self.booth.clock.now()
            by_id = {r[0]: r for r in self._products(conn, [i.product_id
                                                            for i in request.items])}
            cart = Cart()
            for item in request.items:
                r = by_id.get(item.product_id)
                if r is None:
                    raise DomainError("unknown_product", ref=item.product_id)
                if not r[8]:
                    raise DomainError("inactive_product", ref=r[1])
                ref = ProductRef(r[0], r[1], r[2], r[3], r[4], r[5], TaxMode(r[6]), r[7])
                cart.lines.append(CartLine(ref, item.qty, item.discount))
            cart._check_total()
            cart.discount = request.discount
            priced = cart.price(ctx.tax)
            settlement = settle(priced.total, list(request.tenders))
            cashier_id = cashier_name = None
            if request.cashier is not None:
                row = self._cashier(conn, request.cashier.strip())
                if row is None:
                    raise DomainError("unknown_cashier", name=request.cashier)
                cashier_id, cashier_name = row
            cashier_name = cashier_name or request.actor

            number = sale_number(ctx.device_code, self._bump(conn, ctx.device_id, "sale"))
            n = 1 + 2 * len(priced.lines) + len(settlement.payments)
            seq = self._bump(conn, ctx.device_id, "record", n) - n
            sale_id = uuid.uuid4()
            outbox = []

            def stamp(model, rows: list[dict]) -> list[dict]:
                nonlocal seq
                for row in rows:
                    seq += 1
                    row.setdefault("id", uuid.uuid4())
                    row["device_id"], row["seq"], row["created_at"] = ctx.device_id, seq, now
                    outbox.append({"table_name": model.__tablename__, "record_id": row["id"],
                                   "seq": seq, "state": "pending", "attempts": 0,
                                   "created_at": now})
                return rows

            self._insert(conn, Sale, stamp(Sale, [{
                "id": sale_id, "number": number, "event_id": ctx.event_id,
                "business_date": business_date(now, ctx.timezone, ctx.cutoff),
                "cashier_id": cashier_id, "cashier_name": cashier_name, "kind": "sale",
                "refers_to_id": None, "source": request.source, "subtotal": priced.subtotal,
                "discount": priced.discount, "tax": priced.tax, "total": priced.total,
                "tendered": settlement.tendered, "change": settlement.change}]))
            self._insert(conn, SaleLine, stamp(SaleLine, [{
                "sale_id": sale_id, "line_no": k, "product_id": p.product.id,
                "facility_id": p.product.facility_id, "sku": p.product.sku,
                "name": p.product.name, "facility_name": p.product.facility_name,
                "qty": p.qty, "unit_price": p.unit_price, "gross": p.gross,
                "line_discount": p.line_discount, "sale_discount": p.sale_discount,
                "discount_bp": line.discount.basis_points() if line.discount else None,
                "tax_mode": p.product.tax_mode.value, "tax": p.tax, "net": p.net,
                "total": p.total}
                for k, (p, line) in enumerate(zip(priced.lines, cart.lines, strict=True),
                                              start=1)]))
            self._insert(conn, Payment, stamp(Payment, [{
                "sale_id": sale_id, "line_no": k, "method": pay.method.value,
                "amount": pay.amount, "tendered": pay.tendered, "change": pay.change,
                "reference": pay.reference, "verified": pay.verified}
                for k, pay in enumerate(settlement.payments, start=1)]))
            self._insert(conn, StockMovement, stamp(StockMovement, [{
                "product_id": p.product.id, "facility_id": p.product.facility_id,
                "qty": -p.qty, "kind": "sale", "document_kind": "sale",
                "document_id": sale_id, "note": number} for p in priced.lines]))
            self._insert(conn, Outbox, outbox)
        return number


def _db(value):
    """What SQLAlchemy's Uuid / UTCDateTime / Date / Boolean binds store on SQLite."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "tzinfo"):  # aware datetime (UTCDateTime: always UTC here)
        return value.isoformat(timespec="microseconds")
    if hasattr(value, "isoformat"):  # date
        return value.isoformat()
    return value
