"""A batch of booth records sent to the central PostgreSQL in one transaction, as the device.

Per table, ``INSERT ... ON CONFLICT (device_id, id) DO NOTHING RETURNING id``: a central
record is keyed by its device and its id (central migration ``c0007``), so a row another
booth inserted never meets ours. An id that was already there for this device is read back
(a device may SELECT its own rows) and compared with ours: the same payload counts as sent
(a retry after a lost answer, or a parallel push); a different one goes to
``sync_quarantine`` with both payloads. Nothing is ever overwritten. Rows go in a fixed order (table, then id) so that two pushes at once take their
row locks in the same order. Used by the booth's push and by head office's bundle import.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pos_app.adapters.central.bulk import quoted
from pos_app.adapters.central.connection import (
    evidence_json,
    first_line,
    is_record_error,
    kept_payload,
)
from pos_app.persistence.models import PUSHED

__all__ = ["Central", "Item", "Outcome", "Quarantined", "payload", "send_batch", "settle"]

ORDER = {name: i for i, name in enumerate(PUSHED)}
MAX_PARAMS = 65_535  # bind parameters in one statement (the protocol's 16-bit count)


@dataclass(frozen=True)
class Quarantined:
    table_name: str
    record_id: uuid.UUID
    reason: str


@dataclass(frozen=True)
class Item:
    outbox_id: int
    table_name: str
    record_id: uuid.UUID
    seq: int
    row: dict[str, Any] | None  # None: the outbox names a record that is not in its table
    problem: str = ""  # why ``row`` is None when the record is there but cannot be read


@dataclass
class Outcome:
    sent: list[int] = field(default_factory=list)  # outbox ids
    quarantined: list[tuple[int, Quarantined]] = field(default_factory=list)
    inserted: int = 0
    already_there: int = 0


def _plain(value: Any) -> Any:
    """A stored value as JSON has it: ids and times as text (the form records travel in)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def payload(row: dict | None) -> dict | None:
    return None if row is None else {k: _plain(v) for k, v in row.items()}


def _same(ours: dict, theirs: dict) -> bool:
    for k, v in ours.items():
        w = theirs.get(k)
        if isinstance(v, datetime) and isinstance(w, datetime):
            if v.tzinfo is None or w.tzinfo is None:
                if v.replace(tzinfo=None) != w.replace(tzinfo=None):
                    return False
            elif v != w:
                return False
        elif v != w:
            return False
    return True


class Central:
    """One central connection, as the device's role."""

    def __init__(self, conn, device_id: uuid.UUID) -> None:
        self.conn = conn
        self.device_id = device_id
        self.bulk: bool | None = None  # COPY through temporary tables (None: not tried yet)

    def insert(self, name: str, rows: list[dict]) -> set[uuid.UUID]:
        """Multi-row VALUES in the rows' order, in chunks under the protocol's limit of
        65,535 parameters a statement; returns the ids inserted."""
        cols = list(rows[0])
        head = f'INSERT INTO "{name}" ({quoted(cols)}) VALUES '
        one = "(" + ", ".join(["%s"] * len(cols)) + ")"
        per = max(1, MAX_PARAMS // len(cols))
        new: set[uuid.UUID] = set()
        for k in range(0, len(rows), per):
            chunk = rows[k:k + per]
            stmt = head + ", ".join([one] * len(chunk)) + " ON CONFLICT (device_id, id) DO NOTHING RETURNING id"
            new.update(r[0] for r in self.conn.execute(stmt, [r[c] for r in chunk for c in cols]))
        return new

    def stored(self, name: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict]:
        from psycopg import sql
        from psycopg.rows import dict_row

        with self.conn.cursor(row_factory=dict_row) as cur:
            cur.execute(sql.SQL("SELECT * FROM {} WHERE device_id = %s AND id = ANY(%s)")
                        .format(sql.Identifier(name)), (self.device_id, ids))
            return {r["id"]: r for r in cur.fetchall()}

    def quarantine(self, item: Item, stored: dict | None, reason: str) -> None:
        seen = self.conn.execute(  # a retry after a lost answer: already reported
            "SELECT 1 FROM sync_quarantine WHERE device_id = %s AND table_name = %s"
            " AND record_id = %s", (self.device_id, item.table_name, item.record_id)).fetchone()
        if seen is not None:
            return
        self.conn.execute(
            "INSERT INTO sync_quarantine (record_id, table_name, device_id, received, stored,"
            " reason) VALUES (%s, %s, %s, %s, %s, %s)",
            (item.record_id, item.table_name, self.device_id,
             evidence_json(kept_payload(payload(item.row) or {})),
             None if stored is None else evidence_json(kept_payload(payload(stored))),
             reason[:200]))


def _send_table(central: Central, name: str, items: list[Item], out: Outcome) -> None:
    new = central.insert(name, [i.row for i in items])
    out.inserted += len(new)
    for i in items:
        if i.record_id in new:
            out.sent.append(i.outbox_id)
    settle(central, name, [i for i in items if i.record_id not in new], out)


def settle(central: Central, name: str, rest: list[Item], out: Outcome) -> None:
    """``rest`` were not inserted: their (device, id) is there already. Same payload: sent;
    else quarantined, both payloads kept."""
    stored = central.stored(name, [i.record_id for i in rest]) if rest else {}
    for i in rest:
        theirs = stored.get(i.record_id)
        if theirs is not None and i.row is not None and _same(i.row, theirs):
            out.already_there += 1
            out.sent.append(i.outbox_id)
            continue
        reason = ("the id exists centrally with a different payload" if theirs is not None
                  else "the record was not inserted and cannot be read back")
        central.quarantine(i, theirs, reason)
        out.quarantined.append((i.outbox_id, Quarantined(name, i.record_id, reason)))


def _order(i: Item) -> tuple:
    """Table, then id; a journal in chain order (central accepts only the next event)."""
    chain = i.row["chain_index"] if i.table_name == "audit_event" and i.row else 0
    return ORDER[i.table_name], chain, i.record_id


def send_batch(central: Central, items: list[Item], *, one_by_one: bool) -> Outcome:
    """All of ``items`` in one central transaction (the caller's); ``one_by_one`` puts each
    record under its own savepoint and quarantines the ones the server refuses."""
    out = Outcome()
    groups: dict[str, list[Item]] = {}
    for i in sorted(items, key=_order):
        if i.row is None:
            q = Quarantined(i.table_name, i.record_id,
                            i.problem or "the record is missing locally")
            out.quarantined.append((i.outbox_id, q))
            continue
        groups.setdefault(i.table_name, []).append(i)
    for name, group in groups.items():
        if not one_by_one:
            _send_table(central, name, group, out)
            continue
        for i in group:  # the slow path: each record under its own savepoint
            try:
                with central.conn.transaction():
                    _send_table(central, name, [i], out)
            except Exception as exc:  # noqa: BLE001 - sorted below
                if not is_record_error(exc):
                    raise
                said = "rejected centrally" if getattr(exc, "sqlstate", None) else \
                    "refused before sending"  # by psycopg: a NUL byte, an unencodable text
                reason = f"{said}: {first_line(exc)}"
                central.quarantine(i, None, reason)
                out.quarantined.append((i.outbox_id, Quarantined(name, i.record_id, reason)))
    return out
