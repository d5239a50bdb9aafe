"""Writing synced records: each gets the device id, a per-device sequence number and a UTC
time, and an outbox row in the same transaction. Also the device's gap-free counters."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from pos_app.domain.errors import DomainError
from pos_app.persistence.models import Base, Outbox

_OUTBOX_INSERT = Outbox.__table__.insert()


def plain(value: Any) -> Any:
    """A stored value as JSON has it: ids and times as text (the form records travel in)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
_BUMP = text(
    "INSERT INTO counter(device_id, name, value) VALUES (:d, :n, :k) "
    "ON CONFLICT(device_id, name) DO UPDATE SET value = value + :k RETURNING value"
)


def _conn(session_or_conn: Session | Connection) -> Connection:
    return session_or_conn.connection() if isinstance(session_or_conn, Session) \
        else session_or_conn


_UNKNOWN = text("SELECT value FROM setting WHERE key = 'marks_unknown'")


def bump_counter(session: Session | Connection, device_id: uuid.UUID, name: str,
                 by: int = 1) -> int:
    """Advance a per-device counter by ``by``; returns the new (last allocated) value.

    Safe without a network or a lock server: the write transaction is BEGIN IMMEDIATE.
    A number people see (a sale, kwitansi, stock document, SKU or barcode; not the record
    sequence) is refused (``numbers_unknown``) after a restore that could not learn which
    numbers the device issued since its backup (``services/setup/restore.py``), until head
    office tells them or an administrator gives the last one printed.
    """
    conn = _conn(session)
    if name != "record" and conn.execute(_UNKNOWN).scalar() == "1":
        raise DomainError("numbers_unknown")
    return conn.execute(_BUMP, {"d": device_id.hex, "n": name, "k": by}).scalar_one()


_COUNTERS = text("SELECT name, value FROM counter WHERE device_id = :d")
_RAISE = text("INSERT INTO counter (device_id, name, value) VALUES (:d, :n, :v)"
              " ON CONFLICT (device_id, name) DO UPDATE SET value = :v")


def counters(session: Session | Connection, device_id: uuid.UUID) -> dict[str, int]:
    """Every counter of the device, by name: the last number each has issued."""
    return {name: int(value) for name, value in
            _conn(session).execute(_COUNTERS, {"d": device_id.hex}).all()}


def raise_counters(session: Session | Connection, device_id: uuid.UUID,
                   wanted: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Raise counters to ``wanted`` (never lower one), so that the next number is past it;
    returns what was raised: name -> (before, now). After a restore (head office's numbers,
    or the last one printed)."""
    conn = _conn(session)
    have = counters(conn, device_id)
    raised = {name: (have.get(name, 0), value) for name, value in wanted.items()
              if value > have.get(name, 0)}
    for name, (_was, value) in raised.items():
        conn.execute(_RAISE, {"d": device_id.hex, "n": name, "v": value})
    return raised


_INSERTS: dict[str, Any] = {}


def _insert_of(model: type[Base]):
    """One prebuilt INSERT per table (no statement construction per sale)."""
    stmt = _INSERTS.get(model.__tablename__)
    if stmt is None:
        stmt = _INSERTS[model.__tablename__] = model.__table__.insert()
    return stmt


class Recorder:
    """Stamps and inserts synced rows for one transaction."""

    def __init__(self, session: Session | Connection, device_id: uuid.UUID,
                 now: datetime) -> None:
        self.conn = _conn(session)
        self.device_id = device_id
        self.now = now

    def insert(self, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
        """Insert ``rows`` of ``model`` (ids made here unless given) and queue them for sync."""
        self.insert_all([(model, rows)])

    def insert_all(self, batches: Sequence[tuple[type[Base], Sequence[dict[str, Any]]]]) -> None:
        """Insert several tables' rows with one sequence allocation and one outbox write.

        Rows get consecutive sequence numbers in the order given, so a document's parts
        (sale, lines, payments, movements) stay together and in order in the outbox.
        """
        count = sum(len(rows) for _, rows in batches)
        if count == 0:
            return
        seq = bump_counter(self.conn, self.device_id, "record", count) - count
        conn = self.conn  # Core inserts: one executemany per table
        outbox = []
        for model, rows in batches:
            if not rows:
                continue
            catalog = "updated_at" in model.__table__.c
            for row in rows:
                seq += 1
                row.setdefault("id", uuid.uuid4())
                row["device_id"] = self.device_id
                row["seq"] = seq
                row["created_at"] = self.now
                if catalog:
                    row.setdefault("updated_at", self.now)
                    row.setdefault("revision", 1)
                outbox.append({"table_name": model.__tablename__, "record_id": row["id"],
                               "seq": seq, "state": "pending", "attempts": 0,
                               "created_at": self.now})
            conn.execute(_insert_of(model), list(rows))
        conn.execute(_OUTBOX_INSERT, outbox)

    def queue(self, model: type[Base], record_id: uuid.UUID) -> int:
        """Queue a new version of a mutable (catalog) row for sync; returns its sequence."""
        seq = bump_counter(self.conn, self.device_id, "record")
        self.conn.execute(_OUTBOX_INSERT, [{
            "table_name": model.__tablename__, "record_id": record_id, "seq": seq,
            "state": "pending", "attempts": 0, "created_at": self.now}])
        return seq
