"""The tamper-evident journal: an append-only hash chain of everything that touches money.

Each event's hash covers its position, time, actor, action, subject, payload and the previous
event's hash. It is ``HMAC-SHA256`` keyed with the device's journal secret (kept outside the
database, :mod:`pos_app.services.access.journal_key`), so a copy of the database cannot be
re-chained after an edit. A ``journal.keyed`` event (whose payload names the secret's
fingerprint) marks where the keyed part starts; events before the first one (written before
the journal was keyed) are plain SHA-256 and keep verifying as such. Events for sales, voids and refunds carry a digest of the whole document (sale,
lines, payments, stock movements), so ``verify`` also catches an edited or deleted sale row.
Events are appended inside the caller's transaction, next to what they describe.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from pos_app.domain.errors import DomainError
from pos_app.persistence.models import AuditEvent, Payment, Sale, SaleLine, StockMovement
from pos_app.services.access import journal_key
from pos_app.services.setup.records import Recorder

GENESIS = "0" * 64
KEYED = "journal.keyed"  # from this event on, the chain is keyed (payload: the key's fingerprint)
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

    def payment(row: Mapping) -> dict:
        # the QRIS payload shown (migration 0009) counts when there is one: digests of
        # payments made before it, and of other methods, are what they always were
        out = pick(row, PAYMENT_FIELDS)
        if row.get("qris_payload") is not None:
            out["qris_payload"] = row["qris_payload"]
        return out

    doc = {
        "sale": pick(sale, SALE_FIELDS),
        "lines": sorted((pick(r, LINE_FIELDS) for r in lines), key=lambda r: r["line_no"]),
        "payments": sorted((payment(r) for r in payments), key=lambda r: r["line_no"]),
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


def hash_material(fields: Mapping[str, Any]) -> bytes:
    body = {k: _plain(fields[k]) for k in ("chain_index", "device_id", "created_at", "actor",
                                           "action", "subject_kind", "subject_id", "payload",
                                           "prev_hash")}
    return canonical(body).encode()


def event_hash(fields: Mapping[str, Any], secret: bytes | None = None) -> str:
    """SHA-256 of an event's material (the unkeyed part), or its HMAC with ``secret``."""
    material = hash_material(fields)
    if secret is None:
        return hashlib.sha256(material).hexdigest()
    return journal_key.mac(secret, material)


_HEAD = (select(AuditEvent.chain_index, AuditEvent.hash)
         .order_by(AuditEvent.chain_index.desc()).limit(1))


_HEAD_OF = text("SELECT chain_index, hash FROM audit_event WHERE device_id = :d "
                "ORDER BY chain_index DESC LIMIT 1")


_KEYED_AT = text("SELECT payload FROM audit_event WHERE action = 'journal.keyed' "
                 "AND device_id = :d ORDER BY chain_index DESC LIMIT 1")
# (database, device hex, secret) -> the hash this process last appended there: while it is
# still the head, the chain is known to be keyed with our secret and the marker need not be
# looked up again (a flat sale path: one HMAC per event, no extra statement)
_last_written: dict[tuple[str, str, bytes], str] = {}


_FIRST = text("SELECT * FROM audit_event WHERE device_id = :d AND chain_index = 1")


def _keyed_with(conn: Connection, device_id: uuid.UUID, secret: bytes) -> bool:
    """Is the newest part of the chain keyed with ``secret``: the last ``journal.keyed``
    event names it, or (none) the chain was keyed from its first event with it."""
    mark = conn.execute(_KEYED_AT, {"d": device_id.hex}).scalar()
    if mark is not None:
        return json.loads(mark).get("key") == journal_key.fingerprint(secret)
    first = conn.execute(_FIRST, {"d": device_id.hex}).mappings().first()
    return first is not None and event_hash(first, secret) == first["hash"]


def _secret(device_id: uuid.UUID) -> bytes:
    try:
        secret = journal_key.load(device_id, create=True)
    except (journal_key.JournalKeyError, OSError) as exc:
        raise DomainError("journal_secret_unavailable", reason=str(exc)) from None
    assert secret is not None
    return secret


def _row(rec: Recorder, index: int, prev: str, actor: str, action: str, subject_kind: str,
         subject_id, payload: Mapping | None, secret: bytes) -> dict:
    row = {
        "id": uuid.uuid4(), "chain_index": index, "device_id": rec.device_id,
        "created_at": rec.now, "actor": actor[:80], "action": action,
        "subject_kind": subject_kind,
        "subject_id": _plain(subject_id) if subject_id is not None else None,
        "payload": canonical(dict(payload or {})), "prev_hash": prev,
    }
    row["hash"] = event_hash(row, secret)
    return row


def append(rec: Recorder, actor: str, action: str, subject_kind: str = "",
           subject_id: str | uuid.UUID | None = None, payload: Mapping | None = None) -> str:
    """Append one event to this device's chain, in the recorder's transaction; returns its hash.

    The write transaction is ``BEGIN IMMEDIATE``, so no other writer can slip in between
    reading the head and appending. A new chain is keyed from its first event. In a chain
    not keyed with this device's secret (an old database upgraded, a database restored on
    another machine) the next event is preceded by a ``journal.keyed`` event naming the
    secret held here: from there on the chain is keyed with it.
    """
    head = rec.conn.execute(_HEAD_OF, {"d": rec.device_id.hex}).first()
    index, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
    secret = _secret(rec.device_id)
    rows = []
    where = (str(rec.conn.engine.url), rec.device_id.hex, secret)
    if head is not None and _last_written.get(where) != prev \
            and not _keyed_with(rec.conn, rec.device_id, secret):
        rows.append(_row(rec, index, prev, actor, KEYED, "journal", None,
                         {"key": journal_key.fingerprint(secret)}, secret))
        index, prev = index + 1, rows[-1]["hash"]
    rows.append(_row(rec, index, prev, actor, action, subject_kind, subject_id, payload, secret))
    rec.insert(AuditEvent, rows)
    _last_written[where] = rows[-1]["hash"]
    return rows[-1]["hash"]


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
    keyed_from: int | None = None  # the first keyed event's index (None: not keyed yet)
    # (first, last) index of keyed events whose secret this machine does not hold
    unchecked: tuple[int, int] | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


# (database, device hex) -> the latest time ``steady_now`` gave there in this process
_latest_used: dict[tuple[str, str], datetime] = {}
_latest_lock = threading.Lock()
_NEWEST_AT = select(AuditEvent.created_at).order_by(AuditEvent.chain_index.desc()).limit(1)


def steady_now(conn: Connection, device_id: uuid.UUID, wall: datetime) -> datetime:
    """``wall`` (the clock's time), but never earlier than this device's newest journal event
    nor than the latest time this process gave for it: a time that does not go back when
    the clock is set back, for approvals and their expiry. One indexed row read (the
    chain's head on ``device_id, chain_index``), however long the journal is."""
    newest = conn.execute(_NEWEST_AT.where(AuditEvent.device_id == device_id)).scalar()
    where = (str(conn.engine.url), device_id.hex)
    with _latest_lock:
        now = max(t for t in (wall, newest, _latest_used.get(where)) if t is not None)
        _latest_used[where] = now
    return now


def head(conn: Connection, device_id: uuid.UUID) -> ChainHead:
    row = conn.execute(_HEAD.where(AuditEvent.device_id == device_id)).first()
    return ChainHead(row[0], row[1]) if row else ChainHead(0, GENESIS)


def held_secret(device_id: uuid.UUID) -> bytes | None:
    """This device's journal secret as held on this machine (None: none, or unreadable)."""
    try:
        return journal_key.load(device_id)
    except (journal_key.JournalKeyError, OSError):
        return None


class _Keys:
    """Which key the chain is under as it is walked: unkeyed, ours, or one not held here."""

    def __init__(self, secret: bytes | None) -> None:
        self.secret = secret
        self.mine = journal_key.fingerprint(secret) if secret is not None else None
        self.keyed_from: int | None = None
        self.current: bytes | None = None  # the secret of the epoch being walked, if held
        self.seen_mine = False
        self.unchecked: list[int] = []

    def enter(self, row, payload: str | None) -> None:
        """An epoch starts at ``row``: named by a ``journal.keyed`` payload, or (None) the
        first event of a chain keyed from the start (ours if our secret checks it)."""
        if payload is None:
            ours = self.secret is not None and event_hash(row, self.secret) == row["hash"]
        else:
            try:
                key = json.loads(payload).get("key")
            except (ValueError, AttributeError):
                key = None
            ours = key is not None and key == self.mine
        if self.keyed_from is None:
            self.keyed_from = row["chain_index"]
        self.current = self.secret if ours else None
        self.seen_mine = self.seen_mine or self.current is not None

    def problem(self, row) -> str | None:
        """None when ``row``'s hash holds (or cannot be checked here), else a reason."""
        plain = event_hash(row) == row["hash"]
        if self.keyed_from is None:
            return None if plain else "hash"
        if plain:
            return "unkeyed"  # a plain SHA-256 event after the chain was keyed: re-chained
        if self.current is None:
            self.unchecked.append(row["chain_index"])
            return None
        return None if event_hash(row, self.current) == row["hash"] else "hash"


def verify(conn: Connection, device_id: uuid.UUID, secret: bytes | None | bool = True
           ) -> VerifyResult:
    """Walk the chain in order. Reasons: ``gap`` (an event is missing or out of order),
    ``prev_hash`` (a link does not point at its predecessor), ``hash`` (an event was edited),
    ``unkeyed`` (an event after the chain was keyed is not keyed, or this device holds a
    journal secret but the chain was never keyed with it: re-chained without the secret),
    ``document`` (a sale/void/refund or a stock document's movements no longer match what was
    journaled),
    ``unjournaled`` (a sale exists that no event covers). ``secret`` (default: the one held
    on this machine) keys the keyed part; events keyed with a secret not held here are listed
    in ``unchecked``, their links and documents still checked."""
    keys = _Keys(held_secret(device_id) if secret is True else secret or None)
    rows = conn.execute(select(AuditEvent.__table__).where(AuditEvent.device_id == device_id)
                        .order_by(AuditEvent.chain_index)).mappings().all()
    prev, expected_index, documents = GENESIS, 1, 0
    covered: set[str] = set()

    def result(link: BrokenLink | None) -> VerifyResult:
        span = (keys.unchecked[0], keys.unchecked[-1]) if keys.unchecked else None
        return VerifyResult(len(rows), documents, head(conn, device_id), link,
                            keys.keyed_from, span)

    def broken(row, reason: str) -> VerifyResult:
        return result(BrokenLink(row["chain_index"], str(row["id"]), reason))

    for row in rows:
        if row["chain_index"] != expected_index:
            return broken(row, "gap")
        if row["prev_hash"] != prev:
            return broken(row, "prev_hash")
        if row["action"] == KEYED:
            keys.enter(row, row["payload"])
        elif row["chain_index"] == 1 and event_hash(row) != row["hash"]:
            keys.enter(row, None)  # a chain keyed from its first event
        reason = keys.problem(row)
        if reason is not None:
            return broken(row, reason)
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
    if rows and keys.secret is not None and not keys.seen_mine:
        return result(BrokenLink(0, None, "unkeyed"))
    for sale_id, number in conn.execute(select(Sale.id, Sale.number)
                                        .where(Sale.device_id == device_id)):
        if sale_id.hex not in covered:
            return result(BrokenLink(0, number, "unjournaled"))
    return result(None)
