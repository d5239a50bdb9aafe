"""The tamper-evident journal: an append-only hash chain of everything that touches money.

Each event's hash covers its position, time, actor, action, subject, payload and the previous
event's hash. Events for sales, voids and refunds carry a digest of the whole document (sale,
lines, payments, stock movements), so ``verify`` also catches an edited or deleted sale row.
Events are appended inside the caller's transaction, next to what they describe.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from pos_app.persistence.models import AuditEvent, Payment, Sale, SaleLine, StockMovement
from pos_app.services.setup.records import Recorder

GENESIS = "0" * 64
DOCUMENT_ACTIONS = ("sale", "void", "refund")
# stock documents whose movements the journal digests (``movements_digest``)
STOCK_ACTIONS = ("stock.receive", "stock.adjust", "stock.count.approve", "stock.return")

SALE_FIELDS = ("id", "number", "kind", "refers_to_id", "shift_id", "cashier_name", "business_date",
               "subtotal", "discount", "tax", "total", "tendered", "change", "created_at")
LINE_FIELDS = ("id", "line_no", "product_id", "facility_id", "sku", "name", "qty", "unit_price",
               "gross", "line_discount", "sale_discount", "tax", "net", "total")
PAYMENT_FIELDS = ("id", "line_no", "method", "amount", "tendered", "change", "reference",
                  "verified")
MOVEMENT_FIELDS = ("id", "product_id", "facility_id", "qty", "kind")


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def canonical(obj: Any) -> str:
    """One byte-exact JSON form: sorted keys, no spaces, UUIDs as hex, times as ISO."""
    return json.dumps(obj, default=_plain, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


def document_digest(sale: Mapping, lines: Iterable[Mapping], payments: Iterable[Mapping],
                    movements: Iterable[Mapping]) -> str:
    """SHA-256 over a sale document's rows, in a fixed order and a fixed set of fields."""
    def pick(row: Mapping, fields: tuple[str, ...]) -> dict:
        return {f: _plain(row[f]) for f in fields}

    doc = {
        "sale": pick(sale, SALE_FIELDS),
        "lines": sorted((pick(r, LINE_FIELDS) for r in lines), key=lambda r: r["line_no"]),
        "payments": sorted((pick(r, PAYMENT_FIELDS) for r in payments),
                           key=lambda r: r["line_no"]),
        "movements": sorted((pick(r, MOVEMENT_FIELDS) for r in movements),
                            key=lambda r: r["id"]),
    }
    return hashlib.sha256(canonical(doc).encode()).hexdigest()


def movements_digest(rows: Iterable[Mapping]) -> str:
    """SHA-256 over a stock document's movements (id, product, facility, qty, kind, reason)."""
    picked = sorted(({"id": _plain(r["id"]), "product_id": _plain(r["product_id"]),
                      "facility_id": _plain(r["facility_id"]), "qty": r["qty"],
                      "kind": r["kind"], "reason": r.get("reason")} for r in rows),
                    key=lambda r: r["id"])
    return hashlib.sha256(canonical(picked).encode()).hexdigest()


def stored_movements_digest(conn: Connection, document_id: uuid.UUID) -> str:
    rows = conn.execute(select(StockMovement.__table__).where(
        StockMovement.document_id == document_id,
        StockMovement.document_kind != "sale")).mappings()
    return movements_digest(list(rows))


def stored_document_digest(conn: Connection, sale_id: uuid.UUID) -> str | None:
    """The digest of a sale document as it is in the database now (None if the sale is gone)."""
    sale = conn.execute(select(Sale.__table__).where(Sale.id == sale_id)).mappings().first()
    if sale is None:
        return None
    lines = conn.execute(select(SaleLine.__table__).where(SaleLine.sale_id == sale_id)).mappings()
    pays = conn.execute(select(Payment.__table__).where(Payment.sale_id == sale_id)).mappings()
    moves = conn.execute(select(StockMovement.__table__).where(
        StockMovement.document_id == sale_id, StockMovement.document_kind == "sale")).mappings()
    return document_digest(sale, list(lines), list(pays), list(moves))


def event_hash(fields: Mapping[str, Any]) -> str:
    body = {k: _plain(fields[k]) for k in ("chain_index", "device_id", "created_at", "actor",
                                           "action", "subject_kind", "subject_id", "payload",
                                           "prev_hash")}
    return hashlib.sha256(canonical(body).encode()).hexdigest()


_HEAD = (select(AuditEvent.chain_index, AuditEvent.hash)
         .order_by(AuditEvent.chain_index.desc()).limit(1))


_HEAD_OF = text("SELECT chain_index, hash FROM audit_event WHERE device_id = :d "
                "ORDER BY chain_index DESC LIMIT 1")


def append(rec: Recorder, actor: str, action: str, subject_kind: str = "",
           subject_id: str | uuid.UUID | None = None, payload: Mapping | None = None) -> str:
    """Append one event to this device's chain, in the recorder's transaction; returns its hash.

    The write transaction is ``BEGIN IMMEDIATE``, so no other writer can slip in between
    reading the head and appending.
    """
    head = rec.conn.execute(_HEAD_OF, {"d": rec.device_id.hex}).first()
    index, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
    row = {
        "id": uuid.uuid4(), "chain_index": index, "device_id": rec.device_id,
        "created_at": rec.now, "actor": actor[:80], "action": action,
        "subject_kind": subject_kind,
        "subject_id": _plain(subject_id) if subject_id is not None else None,
        "payload": canonical(dict(payload or {})), "prev_hash": prev,
    }
    row["hash"] = event_hash(row)
    rec.insert(AuditEvent, [row])
    return row["hash"]


@dataclass(frozen=True)
class ChainHead:
    index: int
    hash: str


@dataclass(frozen=True)
class BrokenLink:
    index: int  # the chain position where verification first failed (0: outside the chain)
    event_id: str | None
    reason: str  # a stable code: see ``verify``


@dataclass(frozen=True)
class VerifyResult:
    events: int
    documents: int
    head: ChainHead
    broken: BrokenLink | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def head(conn: Connection, device_id: uuid.UUID) -> ChainHead:
    row = conn.execute(_HEAD.where(AuditEvent.device_id == device_id)).first()
    return ChainHead(row[0], row[1]) if row else ChainHead(0, GENESIS)


def verify(conn: Connection, device_id: uuid.UUID) -> VerifyResult:
    """Walk the chain in order. Reasons: ``gap`` (an event is missing or out of order),
    ``prev_hash`` (a link does not point at its predecessor), ``hash`` (an event was edited),
    ``document`` (a sale/void/refund or a stock document's movements no longer match what was
    journaled),
    ``unjournaled`` (a sale exists that no event covers)."""
    rows = conn.execute(select(AuditEvent.__table__).where(AuditEvent.device_id == device_id)
                        .order_by(AuditEvent.chain_index)).mappings().all()
    prev, expected_index, documents = GENESIS, 1, 0
    covered: set[str] = set()

    def broken(row, reason: str) -> VerifyResult:
        return VerifyResult(len(rows), documents, head(conn, device_id),
                            BrokenLink(row["chain_index"], str(row["id"]), reason))

    for row in rows:
        if row["chain_index"] != expected_index:
            return broken(row, "gap")
        if row["prev_hash"] != prev:
            return broken(row, "prev_hash")
        if event_hash(row) != row["hash"]:
            return broken(row, "hash")
        if row["action"] in DOCUMENT_ACTIONS:
            journaled = json.loads(row["payload"]).get("digest")
            if stored_document_digest(conn, uuid.UUID(row["subject_id"])) != journaled:
                return broken(row, "document")
            covered.add(row["subject_id"])
            documents += 1
        elif row["action"] in STOCK_ACTIONS:
            journaled = json.loads(row["payload"]).get("digest")
            if stored_movements_digest(conn, uuid.UUID(row["subject_id"])) != journaled:
                return broken(row, "document")
            documents += 1
        prev, expected_index = row["hash"], expected_index + 1
    for sale_id, number in conn.execute(select(Sale.id, Sale.number)
                                        .where(Sale.device_id == device_id)):
        if sale_id.hex not in covered:
            return VerifyResult(len(rows), documents, head(conn, device_id),
                                BrokenLink(0, number, "unjournaled"))
    return VerifyResult(len(rows), documents, head(conn, device_id), None)
