"""Writing synced records: each gets the device id, a per-device sequence number and a UTC
time, and an outbox row in the same transaction. Also the device's gap-free counters."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from pos_app.persistence.models import Base, Outbox

_BUMP = text(
    "INSERT INTO counter(device_id, name, value) VALUES (:d, :n, :k) "
    "ON CONFLICT(device_id, name) DO UPDATE SET value = value + :k RETURNING value"
)


def bump_counter(session: Session, device_id: uuid.UUID, name: str, by: int = 1) -> int:
    """Advance a per-device counter by ``by``; returns the new (last allocated) value.

    Safe without a network or a lock server: the write transaction is BEGIN IMMEDIATE.
    """
    return session.execute(_BUMP, {"d": device_id.hex, "n": name, "k": by}).scalar_one()


class Recorder:
    """Stamps and inserts synced rows for one transaction."""

    def __init__(self, session: Session, device_id: uuid.UUID, now: datetime) -> None:
        self.session = session
        self.device_id = device_id
        self.now = now

    def insert(self, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
        """Insert ``rows`` of ``model`` (ids made here unless given) and queue them for sync."""
        if not rows:
            return
        last = bump_counter(self.session, self.device_id, "record", len(rows))
        first = last - len(rows) + 1
        outbox = []
        for offset, row in enumerate(rows):
            row.setdefault("id", uuid.uuid4())
            row["device_id"] = self.device_id
            row["seq"] = first + offset
            row["created_at"] = self.now
            if "updated_at" in model.__table__.c:
                row.setdefault("updated_at", self.now)
                row.setdefault("revision", 1)
            outbox.append({"table_name": model.__tablename__, "record_id": row["id"],
                           "seq": row["seq"], "state": "pending", "attempts": 0,
                           "created_at": self.now})
        self.session.execute(insert(model), list(rows))
        self.session.execute(insert(Outbox), outbox)

    def queue(self, model: type[Base], record_id: uuid.UUID) -> int:
        """Queue a new version of a mutable (catalog) row for sync; returns its sequence."""
        seq = bump_counter(self.session, self.device_id, "record")
        self.session.execute(insert(Outbox), [{
            "table_name": model.__tablename__, "record_id": record_id, "seq": seq,
            "state": "pending", "attempts": 0, "created_at": self.now}])
        return seq
