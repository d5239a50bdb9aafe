"""The shared catalog: this booth's changes go up as versions, the current catalog comes down.

**Up.** Every catalog change on the booth (a product created on the spot, a new price, a
facility's settlement percentages) queued an outbox row. Each changed row goes up as one
``catalog_version`` (its id a UUID5 of table, row, revision and this device, so a re-send is
the same id: ``ON CONFLICT (device_id, id) DO NOTHING``, and the same id with another payload is
quarantined, never overwritten). In central transactions of ``CATALOG_BATCH`` versions, each
version under its own savepoint, so a refused one (a SKU another booth already uses, a row
over the central size limit) never blocks the others. The central trigger decides what
becomes current: the higher revision; on a tie, what reached head office first (see central
migration ``c0004``). The outbox rows are marked after each COMMIT. While another session
holds the catalog's lock the push waits ``CATALOG_LOCK_WAIT`` at most, then fails as
``central_busy`` (the next sync tries again).

Head office decides (central migration ``c0009``): a change to a shared row is stored
there as a *proposal* and reaches other booths only once accepted; only a product this
booth made itself is applied at once, for the booths of its own event. Settlement
percentages, a product's facility, prices of 0 and control characters are refused (the
version is quarantined here). This booth keeps its own change until head office decides:
accepted, it comes back at a new revision; rejected, the central row comes back above it.

**Down.** Rows of ``facility``, ``category``, ``product`` whose ``central_seq`` is past the
booth's cursor (setting ``catalog_pulled_seq``), plus the rows just sent (to learn whether
they won), are applied locally, parents first, in one local transaction:

* a row the booth does not have is added;
* a row the booth changed since, with a higher revision not yet sent, is kept (it goes up
  next time);
* a row this booth proposed a change to, still undecided, keeps the booth's change;
* otherwise the central row replaces the local one; a local change it beats is marked
  ``sent`` with the note ``superseded`` (it lost by the rule; it is not sent again).

Recorded sales never change: every sale line froze its name, price and facility when it was
rung up. Nothing here reads the clock to decide anything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from pos_app.adapters.central import connection
from pos_app.domain.ids import CATALOG_TABLES, catalog_version_id
from pos_app.persistence.models import Base, Outbox
from pos_app.services.setup.booth import Booth, write_setting
from pos_app.services.setup.records import plain
from pos_app.services.sync import photo_sync, sync_copy

CURSOR = "catalog_pulled_seq"
CATALOG_BATCH = 500  # versions per central transaction: the catalog's lock is held briefly
CATALOG_LOCK_WAIT = "5s"  # how long a push waits for the catalog's lock before "busy"


@dataclass
class CatalogResult:
    sent: int = 0  # versions sent (new centrally, or already there identical)
    quarantined: list[tuple[str, uuid.UUID, str]] = field(default_factory=list)
    added: int = 0  # rows new to this booth
    updated: int = 0  # local rows replaced by the central ones
    kept: int = 0  # local changes newer than central, kept to go up next time
    superseded: int = 0  # this booth's changes that lost to another booth's (by the rule)
    waiting: int = 0  # this booth's proposals head office has not decided yet
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)  # (table, key, why)
    cursor: int = 0
    photos: photo_sync.PhotoResult = field(default_factory=photo_sync.PhotoResult)


def _table(name: str):
    return Base.metadata.tables[name]


@dataclass(frozen=True)
class Version:
    """One catalog row as this device sends it: its current state, as a new version."""

    outbox_ids: tuple[int, ...]
    table_name: str
    row_id: uuid.UUID
    revision: int
    seq: int
    payload: dict | None  # None: the outbox names a row that is not there

    def version_id(self, device_id: uuid.UUID) -> uuid.UUID:
        return catalog_version_id(self.table_name, self.row_id, self.revision, device_id)


def versions(booth: Booth, *, everything: bool = False) -> list[Version]:
    """The catalog rows this booth changed and has not sent (or every one it changed)."""
    with booth.db.read() as s, sync_copy.lenient_text(s):
        q = select(Outbox.id, Outbox.table_name, Outbox.record_id, Outbox.seq).where(
            Outbox.table_name.in_(CATALOG_TABLES))
        if not everything:
            q = q.where(Outbox.state == "pending")
        grouped: dict[tuple[str, uuid.UUID], list] = {}
        for oid, name, rid, seq in s.execute(q.order_by(Outbox.seq)):
            grouped.setdefault((name, rid), []).append((oid, seq))
        rows: dict[uuid.UUID, dict] = {}  # one read per table (ids are unique across them)
        for name in CATALOG_TABLES:
            ids = [rid for n, rid in grouped if n == name]
            for k in range(0, len(ids), 500):  # an unreadable row goes as missing
                rows.update(sync_copy.typed_rows(s, name, ids[k:k + 500])[0])
        out = []
        for (name, rid), entries in grouped.items():
            row = rows.get(rid)
            payload = None if row is None else {k: plain(v) for k, v in row.items()}
            out.append(Version(tuple(o for o, _ in entries), name, rid,
                               row["revision"] if row else 0, max(q for _, q in entries),
                               payload))
    return out


def _send(conn, device: uuid.UUID, v: Version, now: datetime) -> str | None:
    """Insert one version; "" when new, None when already there as ours, else why it is not
    there as ours."""
    vid = v.version_id(device)
    new = conn.execute(
        "INSERT INTO catalog_version (id, device_id, seq, created_at, table_name, row_id,"
        " revision, payload) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (device_id, id) DO NOTHING RETURNING id",
        (vid, device, v.seq, now, v.table_name, v.row_id, v.revision,
         connection.json_value(v.payload))).fetchone()
    if new is not None:
        return ""
    stored = conn.execute("SELECT payload FROM catalog_version WHERE device_id = %s"
                          " AND id = %s", (device, vid)).fetchone()
    if stored is not None and stored[0] == v.payload:
        return None  # sent before: a retry after a lost answer
    return "the version exists centrally with a different payload"


@dataclass
class Sent:
    sent: list[Version] = field(default_factory=list)  # new, or already there identical
    new: int = 0
    refused: list[tuple[Version, str]] = field(default_factory=list)


def send_versions(conn, device: uuid.UUID, items: list[Version], now: datetime) -> Sent:
    """Insert ``items`` inside the caller's central transaction, each under a savepoint;
    a refused one is quarantined centrally."""
    out = Sent()
    sent, refused = out.sent, out.refused
    for v in items:
        if v.payload is None:
            refused.append((v, "the record is missing locally"))
            continue
        if connection.too_big(v.payload):  # the central CHECK would refuse it anyway
            why = f"larger than the central limit ({connection.json_size(v.payload)} bytes)"
            _quarantine(conn, device, v, why)
            refused.append((v, why))
            continue
        try:
            with conn.transaction():  # a savepoint: one refused version blocks nothing
                why = _send(conn, device, v, now)
        except Exception as exc:  # noqa: BLE001 - sorted below
            if not connection.is_record_error(exc):
                raise
            why = f"rejected centrally: {connection.first_line(exc)}"
        if why is None or why == "":
            sent.append(v)
            out.new += why == ""
            continue
        _quarantine(conn, device, v, why)
        refused.append((v, why))
    return out


def _quarantine(conn, device: uuid.UUID, v: Version, why: str) -> None:
    conn.execute(  # once per row and device: a retry does not report it twice
        "INSERT INTO sync_quarantine (record_id, table_name, device_id, received, reason)"
        " SELECT %s, %s, %s, %s, %s WHERE NOT EXISTS (SELECT 1 FROM sync_quarantine"
        " WHERE record_id = %s AND table_name = %s AND device_id = %s)",
        (v.row_id, v.table_name, device,
         connection.evidence_json(connection.kept_payload(v.payload or {})), why[:200],
         v.row_id, v.table_name, device))


def push_catalog(booth: Booth, conn, result: CatalogResult) -> dict[uuid.UUID, uuid.UUID]:
    """Send this booth's catalog changes; returns {row id: id of the version sent}."""
    pending = versions(booth)
    device = booth.context.device_id
    out: dict[uuid.UUID, uuid.UUID] = {}
    for k in range(0, len(pending), CATALOG_BATCH):  # each batch its own, short transaction
        out.update(_push_batch(booth, conn, device, pending[k:k + CATALOG_BATCH], result))
    return out


def _push_batch(booth: Booth, conn, device: uuid.UUID, batch: list[Version],
                result: CatalogResult) -> dict[uuid.UUID, uuid.UUID]:
    with conn.transaction():
        # another session holding the catalog's lock: give up soon ("busy"), retry later
        conn.execute(f"SET LOCAL lock_timeout = '{CATALOG_LOCK_WAIT}'")
        done = send_versions(conn, device, batch, booth.clock.now())
    sent, refused = done.sent, done.refused
    with booth.db.write() as s:  # after the central COMMIT
        now = booth.clock.now()
        ids = [o for v in sent for o in v.outbox_ids]
        if ids:
            s.execute(update(Outbox).where(Outbox.id.in_(ids), Outbox.state == "pending")
                      .values(state="sent", sent_at=now, attempts=Outbox.attempts + 1,
                              last_error=None))
        for v, why in refused:
            s.execute(update(Outbox).where(Outbox.id.in_(v.outbox_ids),
                                           Outbox.state == "pending")
                      .values(state="quarantined", attempts=Outbox.attempts + 1,
                              last_error=why[:500]))
    result.sent += len(sent)
    result.quarantined.extend((v.table_name, v.row_id, why) for v, why in refused)
    return {v.row_id: v.version_id(device) for v in sent}


def _read_central(conn, cursor: int, also: list[uuid.UUID]) -> tuple[dict[str, list[dict]],
                                                                        dict]:
    """The three tables' changes past ``cursor`` (and the rows ``also``) from ONE snapshot:
    a change committed between two of the reads cannot be half seen. With them, this
    booth's proposals still waiting for head office: {(table, row id): highest revision}."""
    out = {}
    with connection.one_snapshot(conn) as cur:
        for name in CATALOG_TABLES:
            cur.execute(f'SELECT * FROM "{name}" WHERE central_seq > %s OR id = ANY(%s)'
                        " ORDER BY central_seq", (cursor, also))
            out[name] = cur.fetchall()
        cur.execute("SELECT table_name, row_id, max(revision) AS revision FROM catalog_version"
                    " WHERE status = 'proposed' GROUP BY table_name, row_id")  # our own only
        waiting = {(r["table_name"], r["row_id"]): r["revision"] for r in cur.fetchall()}
    return out, waiting


def _key(name: str, row: dict) -> str:
    return str(row.get("sku") if name == "product" else row.get("code"))


def _local_values(name: str, row: dict) -> dict:
    cols = _table(name).c
    return {k: v for k, v in row.items() if k in cols}


def _differs(local: dict, central: dict) -> bool:
    return any(local.get(k) != v for k, v in central.items())


def _apply(s, name: str, row: dict, pending: dict, sent: dict, result: CatalogResult,
           proposed: dict | None = None) -> bool:
    """Apply one central row by the rules; False when it cannot be (a local conflict)."""
    t = _table(name)
    local = s.execute(select(t).where(t.c.id == row["id"])).mappings().first()
    if local is not None and local["revision"] > row["revision"] and \
            (proposed or {}).get((name, row["id"]), 0) > row["revision"]:
        return True  # our own proposal, not decided yet: kept here until head office does
    if row["id"] in sent and row["version_id"] != sent[row["id"]]:
        result.superseded += 1  # just sent, and another version is current: it lost
    values = _local_values(name, row)
    waiting = pending.get((name, row["id"]), [])
    if local is not None:
        if waiting and local["revision"] > row["revision"]:
            result.kept += 1
            return True
        if not _differs(dict(local), values):
            return True
    try:
        with s.begin_nested():
            if local is None:
                s.execute(insert(t).values(**values))
            else:
                s.execute(update(t).where(t.c.id == row["id"]).values(**values))
    except IntegrityError as exc:
        why = str(exc.orig).splitlines()[0][:160] if exc.orig else "integrity"
        result.conflicts.append((name, _key(name, row), why))
        return False
    if local is None:
        result.added += 1
    else:
        result.updated += 1
    if waiting:  # changed here while this sync ran, and beaten by the central row
        s.execute(update(Outbox).where(Outbox.id.in_(waiting), Outbox.state == "pending")
                  .values(state="sent", last_error=f"superseded by central revision "
                                                   f"{row['revision']}"))
        result.superseded += 1
    return True


def pull_catalog(booth: Booth, conn, result: CatalogResult,
                 sent: dict[uuid.UUID, uuid.UUID] | None = None) -> None:
    """Bring the central catalog's changes to this booth (see the module's rules); ``sent``
    ({row id: version id}) are the versions just pushed, read back to learn if they won."""
    sent = sent or {}
    cursor = int(booth.stored(CURSOR) or 0)
    rows, proposed = _read_central(conn, cursor, list(sent))
    result.waiting = len(proposed)
    top = max((r["central_seq"] or 0 for name in CATALOG_TABLES for r in rows[name]),
              default=cursor)
    with booth.db.write() as s:
        pending: dict[tuple[str, uuid.UUID], list[int]] = {}
        for oid, name, rid in s.execute(select(Outbox.id, Outbox.table_name, Outbox.record_id)
                                        .where(Outbox.state == "pending",
                                               Outbox.table_name.in_(CATALOG_TABLES))):
            pending.setdefault((name, rid), []).append(oid)
        stuck = []  # rows that could not be applied: the next pull reads them again
        for name in CATALOG_TABLES:  # parents first
            for row in rows[name]:
                if not _apply(s, name, row, pending, sent, result, proposed) and \
                        (row["central_seq"] or 0) > cursor:
                    stuck.append(row["central_seq"])
        new_cursor = min(stuck) - 1 if stuck else max(top, cursor)
        write_setting(s, CURSOR, str(new_cursor))
    result.cursor = new_cursor


def sync_catalog(booth: Booth, conn) -> CatalogResult:
    """Up, then down, on ``conn``: a psycopg connection as this device, in autocommit mode
    (each step opens its own transaction). The photos the catalog names go up before the
    versions naming them, and come down after them (:mod:`photo_sync`)."""
    result = CatalogResult()
    photo_sync.push_photos(booth, conn, result.photos)
    sent = push_catalog(booth, conn, result)
    pull_catalog(booth, conn, result, sent)
    photo_sync.pull_photos(booth, conn, result.photos)
    return result


def describe(result: CatalogResult) -> str:
    return (f"catalog: sent {result.sent}, received {result.added + result.updated},"
            f" superseded {result.superseded}, conflicts {len(result.conflicts)}")


__all__ = ["CATALOG_BATCH", "CATALOG_LOCK_WAIT", "CURSOR", "CatalogResult", "Version", "describe", "pull_catalog", "push_catalog",
           "Sent", "send_versions", "sync_catalog", "versions"]

