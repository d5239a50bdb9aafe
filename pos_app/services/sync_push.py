"""Push: the booth's unsent append-only records go to the central PostgreSQL, exactly once.

The outbox is read oldest first (by ``seq``) in batches. Each batch is ONE central
transaction: per table, ``INSERT ... ON CONFLICT (id) DO NOTHING RETURNING id``; an id that
was already there is read back (a device may SELECT its own rows) and compared with ours:

* the same payload: a retry after a lost answer, or a second push running at the same time:
  nothing to do, the record counts as sent;
* a different payload (or a row the device may not see): the record goes to
  ``sync_quarantine`` with both payloads and is marked ``quarantined`` locally. Nothing is
  ever overwritten.

Only after the central COMMIT are the batch's outbox rows marked locally, in one local write
transaction. A push killed anywhere in between leaves the rows pending; the next push sends
them again and the ``ON CONFLICT`` makes that harmless. A record the central database rejects
(a check, a unique key, the row-level security) is retried alone under a savepoint and
quarantined, so one bad record never blocks the others.

Catalog rows (facility, category, product, event, device, user: mutable, by revision) are not
pushed here; their outbox rows stay pending.

Rows are inserted in a fixed order (table, then id), so two pushes of the same device at the
same time take their row locks in the same order and wait for each other instead of
deadlocking; the one that waited then finds the rows already there, with the same payload.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update

from pos_app.persistence.models import PUSHED, Base, Outbox
from pos_app.services.booth import Booth

Progress = Callable[[int, int], None]  # (records done, records to do)
_ORDER = {name: i for i, name in enumerate(PUSHED)}
_DEADLOCK_RETRIES = 5
# SQLSTATE classes of a rejected record (bad data, a broken constraint, a refused row),
# as opposed to a lost connection or a server in trouble.
_RECORD_ERRORS = ("22", "23", "42501", "44")


@dataclass(frozen=True)
class Quarantined:
    table_name: str
    record_id: uuid.UUID
    reason: str


@dataclass
class PushResult:
    sent: int = 0  # outbox rows marked sent (new centrally, or already there identical)
    inserted: int = 0  # rows this push actually added centrally
    already_there: int = 0  # identical rows found centrally (an earlier or parallel push)
    batches: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)
    catalog_pending: int = 0  # catalog outbox rows left pending: not pushed by this slice


@dataclass(frozen=True)
class _Item:
    outbox_id: int
    table_name: str
    record_id: uuid.UUID
    seq: int
    row: dict[str, Any] | None  # None: the outbox names a record that is not in its table


@dataclass
class _Outcome:
    sent: list[int] = field(default_factory=list)  # outbox ids
    quarantined: list[tuple[int, Quarantined]] = field(default_factory=list)
    inserted: int = 0
    already_there: int = 0


def _table(name: str):
    return Base.metadata.tables[name]


def pending_counts(booth: Booth) -> tuple[int, int]:
    """(append-only records to push, catalog records left pending)."""
    from sqlalchemy import func

    with booth.db.read() as s:
        rows = s.execute(select(Outbox.table_name, func.count()).where(
            Outbox.state == "pending").group_by(Outbox.table_name)).all()
    mine = sum(n for t, n in rows if t in _ORDER)
    return mine, sum(n for _, n in rows) - mine


def _next_batch(booth: Booth, after: int, size: int) -> list[_Item]:
    with booth.db.read() as s:
        box = s.execute(select(Outbox.id, Outbox.table_name, Outbox.record_id, Outbox.seq).where(
            Outbox.state == "pending", Outbox.table_name.in_(PUSHED), Outbox.seq > after,
        ).order_by(Outbox.seq, Outbox.id).limit(size)).all()
        by_table: dict[str, list[uuid.UUID]] = {}
        for _, name, rid, _ in box:
            by_table.setdefault(name, []).append(rid)
        found: dict[tuple[str, uuid.UUID], dict] = {}
        for name, ids in by_table.items():
            t = _table(name)
            for r in s.execute(select(t).where(t.c.id.in_(ids))).mappings():
                found[(name, r["id"])] = dict(r)
    return [_Item(oid, name, rid, seq, found.get((name, rid))) for oid, name, rid, seq in box]


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _payload(row: dict | None) -> dict | None:
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


def _sqlstate(exc: BaseException) -> str:
    return getattr(exc, "sqlstate", None) or ""


def _is_record_error(exc: BaseException) -> bool:
    return _sqlstate(exc).startswith(_RECORD_ERRORS)


class _Central:
    """One central connection, as the device's role."""

    def __init__(self, conn, device_id: uuid.UUID) -> None:
        self.conn = conn
        self.device_id = device_id

    def insert(self, name: str, rows: list[dict]) -> set[uuid.UUID]:
        from psycopg import sql

        cols = list(rows[0])
        one = sql.SQL("({})").format(sql.SQL(", ").join(sql.Placeholder() * len(cols)))
        stmt = sql.SQL("INSERT INTO {} ({}) VALUES {} ON CONFLICT (id) DO NOTHING RETURNING id"
                       ).format(sql.Identifier(name),
                                sql.SQL(", ").join(map(sql.Identifier, cols)),
                                sql.SQL(", ").join([one] * len(rows)))
        params = [r[c] for r in rows for c in cols]
        return {r[0] for r in self.conn.execute(stmt, params).fetchall()}

    def stored(self, name: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict]:
        from psycopg import sql
        from psycopg.rows import dict_row

        with self.conn.cursor(row_factory=dict_row) as cur:
            cur.execute(sql.SQL("SELECT * FROM {} WHERE id = ANY(%s)").format(
                sql.Identifier(name)), (ids,))
            return {r["id"]: r for r in cur.fetchall()}

    def quarantine(self, item: _Item, stored: dict | None, reason: str) -> None:
        from psycopg.types.json import Jsonb

        seen = self.conn.execute(  # a retry after a lost answer: already reported
            "SELECT 1 FROM sync_quarantine WHERE record_id = %s AND table_name = %s"
            " AND device_id = %s", (item.record_id, item.table_name, self.device_id)).fetchone()
        if seen is not None:
            return
        dump = json.dumps  # a stable text form; JSONB keeps it as data
        self.conn.execute(
            "INSERT INTO sync_quarantine (record_id, table_name, device_id, received, stored,"
            " reason) VALUES (%s, %s, %s, %s, %s, %s)",
            (item.record_id, item.table_name, self.device_id,
             Jsonb(_payload(item.row) or {}, dumps=dump),
             None if stored is None else Jsonb(_payload(stored), dumps=dump), reason[:200]))


def _send_table(central: _Central, name: str, items: list[_Item], out: _Outcome) -> None:
    rows = [i.row for i in items]
    new = central.insert(name, rows)
    out.inserted += len(new)
    rest = [i for i in items if i.record_id not in new]
    stored = central.stored(name, [i.record_id for i in rest]) if rest else {}
    for i in items:
        if i.record_id in new:
            out.sent.append(i.outbox_id)
            continue
        theirs = stored.get(i.record_id)
        if theirs is not None and _same(i.row, theirs):
            out.already_there += 1
            out.sent.append(i.outbox_id)
            continue
        reason = ("the id exists centrally with a different payload" if theirs is not None
                  else "the id exists centrally under another device")
        central.quarantine(i, theirs, reason)
        out.quarantined.append((i.outbox_id, Quarantined(name, i.record_id, reason)))


def _send_batch(central: _Central, items: list[_Item], *, one_by_one: bool) -> _Outcome:
    """All of ``items`` in one central transaction (the caller's)."""
    out = _Outcome()
    groups: dict[str, list[_Item]] = {}
    for i in sorted(items, key=lambda i: (_ORDER[i.table_name], i.record_id)):
        if i.row is None:
            q = Quarantined(i.table_name, i.record_id, "the record is missing locally")
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
                if not _is_record_error(exc):
                    raise
                reason = _first_line(exc)
                central.quarantine(i, None, f"rejected centrally: {reason}")
                out.quarantined.append(
                    (i.outbox_id, Quarantined(name, i.record_id, f"rejected centrally: {reason}")))
    return out


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]


def _commit_batch(central: _Central, items: list[_Item]) -> _Outcome:
    import psycopg

    for attempt in range(_DEADLOCK_RETRIES):
        try:
            try:
                with central.conn.transaction():
                    return _send_batch(central, items, one_by_one=False)
            except psycopg.Error as exc:
                if not _is_record_error(exc):
                    raise
            with central.conn.transaction():  # some record was refused: find it, keep the rest
                return _send_batch(central, items, one_by_one=True)
        except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
            if attempt == _DEADLOCK_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _mark(booth: Booth, out: _Outcome) -> None:
    now = booth.clock.now()
    with booth.db.write() as s:
        if out.sent:
            s.execute(update(Outbox).where(Outbox.id.in_(out.sent), Outbox.state == "pending")
                      .values(state="sent", sent_at=now, attempts=Outbox.attempts + 1,
                              last_error=None))
        for oid, q in out.quarantined:
            s.execute(update(Outbox).where(Outbox.id == oid, Outbox.state == "pending")
                      .values(state="quarantined", attempts=Outbox.attempts + 1,
                              last_error=q.reason))


def _note_failure(booth: Booth, items: list[_Item], reason: str) -> None:
    try:
        with booth.db.write() as s:
            s.execute(update(Outbox).where(
                Outbox.id.in_([i.outbox_id for i in items]), Outbox.state == "pending",
            ).values(attempts=Outbox.attempts + 1, last_error=reason[:500]))
    except Exception:  # noqa: BLE001 - bookkeeping only; the real error is raised
        pass


def push(booth: Booth, connect: Callable[[], Any], *, batch_size: int = 500,
         progress: Progress | None = None) -> PushResult:
    """Send every pending append-only record; returns what happened.

    ``connect()`` returns a psycopg connection logged in as this device's role. Raises
    ``DomainError`` (``central_unreachable``/``central_denied``/``central_failed``) when a
    batch cannot be committed: the batches before it stay sent, the rest stay pending, and
    running ``push`` again carries on from there.
    """
    import psycopg

    from pos_app.services.central import _db_error

    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    result = PushResult()
    total, result.catalog_pending = pending_counts(booth)
    done = 0
    if progress:
        progress(done, total)
    if total == 0:
        return result
    try:
        conn = connect()
    except psycopg.Error as exc:
        raise _db_error(exc) from None
    central = _Central(conn, booth.context.device_id)
    after = 0
    try:
        while items := _next_batch(booth, after, batch_size):
            after = items[-1].seq
            try:
                out = _commit_batch(central, items)
            except psycopg.Error as exc:
                _note_failure(booth, items, _first_line(exc))
                raise _db_error(exc) from None
            _mark(booth, out)  # after the central COMMIT; lost here = sent again, harmlessly
            result.batches += 1
            result.sent += len(out.sent)
            result.inserted += out.inserted
            result.already_there += out.already_there
            result.quarantined.extend(q for _, q in out.quarantined)
            done += len(items)
            if progress:
                progress(min(done, total), total)
    finally:
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - closing a dead connection
            pass
    return result


__all__ = ["PushResult", "Quarantined", "pending_counts", "push"]
