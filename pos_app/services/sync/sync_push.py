"""Push: the booth's unsent append-only records go to the central PostgreSQL, exactly once.

The outbox is read oldest first (by ``seq``) in batches. Each batch is ONE central
transaction: per table, ``INSERT ... ON CONFLICT (device_id, id) DO NOTHING RETURNING id``
(a central record is keyed by its device: a row another booth inserted, whatever its id,
never meets ours); an id already there for this device is read back (a device may SELECT
its own rows) and compared with ours:

* the same payload: a retry after a lost answer, or a second push running at the same time:
  nothing to do, the record counts as sent;
* a different payload: the record goes to
  ``sync_quarantine`` with both payloads and is marked ``quarantined`` locally. Nothing is
  ever overwritten.

Only after the central COMMIT are the batch's outbox rows marked locally, in one local write
transaction (one ``UPDATE``), written on a thread of its own while the next batch is read and
sent; the next batch's COMMIT waits for that mark and its progress report. A push killed
anywhere in between leaves the rows pending; the next push sends them again and the
``ON CONFLICT`` makes that harmless. A record the central database rejects
(a check, a unique key, a value too long, the row-level security), or that psycopg refuses
to send (a NUL byte in a text), is retried alone under a savepoint and quarantined, so one
bad record never blocks the others.

The tables pushed are ``models.PUSHED``: this device and its event (written once) and the
append-only records. The catalog (facility, category, product: mutable, by revision) goes
up as versions (:mod:`pos_app.services.sync.sync_catalog`); users are not synced (their PIN
hashes stay on the booth), so their outbox rows stay pending.

Rows are inserted in a fixed order (table, then id), so two pushes of the same device at the
same time take their row locks in the same order and wait for each other instead of
deadlocking; the one that waited then finds the rows already there, with the same payload.

A batch goes up in bulk (read as SQLite stores it by :mod:`pos_app.services.sync.sync_copy`,
``COPY`` into a session temporary table, then ``INSERT ... SELECT ... ORDER BY id ON CONFLICT
(device_id, id) DO NOTHING``, answering only the ids NOT inserted). Records become Python values only where
that is needed: an id found already there (to compare), a batch with a refused record (sent
again one by one), or a server without the TEMP privilege (multi-row ``VALUES``).
The central side of all this is :mod:`pos_app.adapters.central`.
``bench/bench_sync.py`` measures it against a raw ``COPY`` of the same rows.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update

from pos_app.adapters.central import bulk, connection
from pos_app.adapters.central.send import Central, Item, Outcome, Quarantined, send_batch, settle
from pos_app.domain.ids import CATALOG_TABLES
from pos_app.persistence.models import PUSHED, Outbox
from pos_app.persistence.types import UTCDateTime
from pos_app.services.access.journal_anchor import AnchorProblem
from pos_app.services.setup.booth import Booth
from pos_app.services.sync import journal_head, sync_copy
from pos_app.services.sync.limits import BATCH_SIZE

Progress = Callable[[int, int], None]  # (records done, records to do)
_DEADLOCK_RETRIES = 5


@dataclass
class PushResult:
    sent: int = 0  # outbox rows marked sent (new centrally, or already there identical)
    inserted: int = 0  # rows this push actually added centrally
    already_there: int = 0  # identical rows found centrally (an earlier or parallel push)
    batches: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)
    catalog_pending: int = 0  # catalog changes waiting: they go up with sync_catalog
    # the local journal against the head central holds after the push (None: it extends it)
    journal: AnchorProblem | None = None


def pending_counts(booth: Booth) -> tuple[int, int]:
    """(records to push, catalog changes waiting to go up as versions)."""
    with booth.db.read() as s:
        rows = s.connection().exec_driver_sql(
            "SELECT table_name, count(*) FROM outbox WHERE state = 'pending'"
            " GROUP BY table_name").all()
    counts = dict(rows)
    return (sum(counts.get(t, 0) for t in PUSHED),
            sum(counts.get(t, 0) for t in CATALOG_TABLES))


def _typed_items(booth: Booth, boxes: list[sync_copy.Box]) -> list[Item]:
    """The outbox rows ``boxes`` with their records as Python values (None: not there)."""
    by_table: dict[str, list[uuid.UUID]] = {}
    for _, name, rid, _ in boxes:
        by_table.setdefault(name, []).append(uuid.UUID(rid))
    found: dict[tuple[str, uuid.UUID], dict] = {}
    unreadable: dict[tuple[str, uuid.UUID], str] = {}
    with booth.db.read() as s, sync_copy.lenient_text(s):
        for name, ids in by_table.items():
            rows, bad = sync_copy.typed_rows(s, name, ids)
            found.update(((name, i), r) for i, r in rows.items())
            unreadable.update(((name, i), why) for i, why in bad.items())
    items = []
    for oid, name, rid, seq in boxes:
        u = uuid.UUID(rid)
        items.append(Item(oid, name, u, seq, found.get((name, u)),
                          unreadable.get((name, u), "")))
    return items


def _missing(box: sync_copy.Box) -> tuple[int, Quarantined]:
    q = Quarantined(box[1], uuid.UUID(box[2]), "the record is missing locally")
    return box[0], q


def _send_bulk(central: Central, booth: Booth, batch: sync_copy.RawBatch) -> Outcome:
    """The batch by COPY, in one central transaction (the caller's)."""
    out = Outcome()
    out.quarantined.extend(_missing(b) for b in batch.missing)
    if batch.rows:
        bulk.make_temp_tables(central.conn, batch.rows)
    for name, rows in batch.rows.items():  # in PUSHED order, as read
        rest = bulk.copy_insert(central.conn, name, rows)
        out.inserted += len(rows) - len(rest)
        boxes = batch.found[name]
        out.sent.extend([b[0] for b in boxes if b[2] not in rest] if rest else
                        [b[0] for b in boxes])
        if rest:  # already there (a retry, a parallel push) or another device's id
            settle(central, name, _typed_items(booth, [b for b in boxes if b[2] in rest]), out)
    return out


def _commit_batch(central: Central, booth: Booth, batch: sync_copy.RawBatch,
                  before_commit: Callable[[], None]) -> Outcome:
    """The batch in one central transaction; ``before_commit()`` runs just before COMMIT."""
    items: list[Item] | None = None  # as Python values: only when needed
    for attempt in range(_DEADLOCK_RETRIES):
        try:
            try:
                with central.conn.transaction():
                    if central.bulk is None:
                        central.bulk = bulk.can_use_temp(central.conn)
                    if central.bulk:
                        out = _send_bulk(central, booth, batch)
                    else:
                        items = items or _typed_items(booth, batch.box)
                        out = send_batch(central, items, one_by_one=False)
                    before_commit()
                    return out
            except Exception as exc:  # noqa: BLE001 - sorted: one record's, or the whole's
                if not connection.is_record_error(exc):
                    raise
            items = items or _typed_items(booth, batch.box)
            with central.conn.transaction():  # some record was refused: find it, keep the rest
                out = send_batch(central, items, one_by_one=True)
                before_commit()
                return out
        except connection.retry_errors():
            if attempt == _DEADLOCK_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _mark(booth: Booth, out: Outcome) -> None:
    now = UTCDateTime().process_bind_param(booth.clock.now(), None)
    with booth.db.write() as s:
        con = s.connection()
        if out.sent:  # one statement for the batch: the ids go as one JSON array
            con.exec_driver_sql(
                "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1,"
                " last_error = NULL WHERE id IN (SELECT value FROM json_each(?))"
                " AND state = 'pending'", (now, json.dumps(out.sent)))
        for oid, q in out.quarantined:
            s.execute(update(Outbox).where(Outbox.id == oid, Outbox.state == "pending")
                      .values(state="quarantined", attempts=Outbox.attempts + 1,
                              last_error=q.reason))


def _note_failure(booth: Booth, batch: sync_copy.RawBatch, reason: str) -> None:
    try:
        with booth.db.write() as s:
            s.execute(update(Outbox).where(
                Outbox.id.in_([b[0] for b in batch.box]), Outbox.state == "pending",
            ).values(attempts=Outbox.attempts + 1, last_error=reason[:500]))
    except Exception:  # noqa: BLE001 - bookkeeping only; the real error is raised
        pass


def push(booth: Booth, connect: Callable[[], Any], *, batch_size: int = BATCH_SIZE,
         progress: Progress | None = None) -> PushResult:
    """Send every pending append-only record; returns what happened.

    ``connect()`` returns a psycopg connection logged in as this device's role. Raises
    ``DomainError`` (``central_unreachable``/``central_denied``/``central_failed``) when a
    batch cannot be committed: the batches before it stay sent, the rest stay pending, and
    running ``push`` again carries on from there.
    """
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
    except connection.errors() as exc:
        raise connection.db_error(exc) from None
    central = Central(conn, booth.context.device_id)
    # A batch is marked sent locally (after its central COMMIT) on a thread of its own while
    # the next batch is read and sent; the next batch's COMMIT waits until that mark is
    # written and reported. So, as before, at most one committed batch is ever unmarked (a
    # push stopped then sends it again, harmlessly), and nothing is committed beyond it.
    marker = ThreadPoolExecutor(1, thread_name_prefix="push-mark")
    marking: list[tuple[Future, int, Outcome]] = []  # at most one: the previous batch

    def settle_previous() -> None:
        nonlocal done
        if not marking:
            return
        future, n, out = marking.pop()
        future.result()  # its mark is written (or its error raised here)
        result.batches += 1
        result.sent += len(out.sent)
        result.inserted += out.inserted
        result.already_there += out.already_there
        result.quarantined.extend(q for _, q in out.quarantined)
        done += n
        if progress:
            progress(min(done, total), total)

    try:
        batch = sync_copy.read_batch(booth, 0, batch_size)
        while batch.box:
            try:
                out = _commit_batch(central, booth, batch, settle_previous)
            except connection.errors() as exc:
                settle_previous()
                _note_failure(booth, batch, connection.first_line(exc))
                raise connection.db_error(exc) from None
            # after the central COMMIT; lost here = sent again, harmlessly
            marking.append((marker.submit(_mark, booth, out), len(batch.box), out))
            batch = sync_copy.read_batch(booth, batch.last_seq, batch_size)
        settle_previous()
        result.journal = journal_head.learn_from(booth, conn)
    finally:
        marker.shutdown(wait=True)
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - closing a dead connection
            pass
    return result


__all__ = ["PushResult", "Quarantined", "pending_counts", "push"]
