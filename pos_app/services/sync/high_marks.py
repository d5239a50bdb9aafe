"""After a restore: the numbers this device has issued, as head office holds them, so that
no sale number, record sequence, kwitansi or stock document number is ever issued twice,
and the journal entry that says what the restore replaced.

A restore raises its counters from the database it replaced and this device's backups
(:mod:`pos_app.services.setup.restore`). Head office knows what this device pushed, which
matters when the replaced database could not be read (the usual reason to restore) or the
backup was put on another laptop. It is asked right after the restore, briefly (a short
connect and statement timeout, as :func:`journal_head.ask_central`); when it cannot be
asked, the booth remembers (``marks_unchecked``) and its next push asks before it sends
anything. Everything is read through the device's own role: its own rows only.

The ``backup.restore`` event names the head the restore cut off (the replaced database's
or central's, the higher): central takes that event as a new branch of this device's
journal (central migration ``c0010``), and the check against anchors knows the cut was
declared (:func:`pos_app.services.access.journal_anchor.compare`).
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from pos_app.adapters.central import connection
from pos_app.persistence.models import PUSHED, Setting
from pos_app.services.access import audit
from pos_app.services.access.journal_anchor import Anchor
from pos_app.services.setup.booth import Booth, write_setting
from pos_app.services.setup.records import Recorder
from pos_app.services.setup.restore import RestoreResult
from pos_app.services.sync import journal_head

__all__ = ["UNCHECKED", "AfterRestore", "after_restore", "from_central", "settle"]

UNCHECKED = "marks_unchecked"  # setting: "1" after a restore head office did not answer

log = logging.getLogger("pos_app")

_MARK_TABLES = (*PUSHED, "facility", "category", "product")
_SUFFIX = r"([0-9]+)$"


@dataclass(frozen=True)
class AfterRestore:
    central: bool  # head office answered
    raised: dict[str, tuple[int, int]] = field(default_factory=dict)  # by head office
    replaced: dict[str, Any] | None = None  # the journal head the restore cut off
    unknown: bool = False  # neither the replaced database nor head office could tell


def _one(conn: Any, sql: str, params: tuple) -> Any:
    row = conn.execute(sql, params).fetchone()
    return None if row is None else row[0]


def from_central(conn: Any, device_id: uuid.UUID) -> dict[str, int]:
    """The highest numbers of each counter central holds for ``device_id`` (a psycopg
    connection as this device's role; it sees its own rows only)."""
    marks: dict[str, int] = {}
    union = " UNION ALL ".join(f'SELECT max(seq) AS m FROM "{t}" WHERE device_id = %s'
                               for t in _MARK_TABLES)
    record = _one(conn, f"SELECT max(m) FROM ({union}) AS t", (device_id,) * len(_MARK_TABLES))
    if record:
        marks["record"] = int(record)
    sale = _one(conn, "SELECT max(substring(number FROM %s)::bigint) FROM sale"
                " WHERE device_id = %s", (_SUFFIX, device_id))
    if sale:
        marks["sale"] = int(sale)
    kwitansi = _one(conn, "SELECT max(substring(payload::jsonb->>'number' FROM %s)::bigint)"
                    " FROM audit_event WHERE device_id = %s AND action = 'kwitansi.issue'",
                    (_SUFFIX, device_id))
    if kwitansi:
        marks["kwitansi"] = int(kwitansi)
    for kind, value in conn.execute(
            "SELECT kind, max(substring(number FROM %s)::bigint) FROM stock_document"
            " WHERE device_id = %s GROUP BY kind", (_SUFFIX, device_id)).fetchall():
        if value:
            marks[f"stock.{kind}"] = int(value)
    return marks


def _raise(booth: Booth, marks: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Raise this device's counters to ``marks`` (never lower); what was raised."""
    me = booth.context.device_id.hex
    raised: dict[str, tuple[int, int]] = {}
    with booth.db.write() as s:
        have = dict(s.execute(text("SELECT name, value FROM counter WHERE device_id = :d"),
                              {"d": me}).all())
        for name, value in marks.items():
            if value > int(have.get(name, 0)):
                raised[name] = (int(have.get(name, 0)), value)
                s.execute(text("INSERT INTO counter (device_id, name, value) VALUES (:d, :n, :v)"
                               " ON CONFLICT (device_id, name) DO UPDATE SET value = :v"),
                          {"d": me, "n": name, "v": value})
        write_setting(s, UNCHECKED, "")
    return raised


def _ask(booth: Booth) -> tuple[dict[str, int], Anchor | None] | None:
    """(central's marks, its held journal head), asked briefly; None: no answer."""
    conn = journal_head.connect_briefly(booth)
    if conn is None:
        return None
    try:
        with conn.transaction():
            marks = from_central(conn, booth.context.device_id)
        return marks, journal_head.held_by_central(conn, booth.context.device_id)
    except connection.errors() as exc:
        log.info("head office not asked for this device's numbers: %s",
                 connection.first_line(exc))
        return None
    finally:
        conn.close()


def settle(booth: Booth, connect: Callable[[], Any]) -> dict[str, tuple[int, int]]:
    """Before a push: when a restore could not ask head office, ask now (``connect()``: a
    connection as this device's role) and raise the counters; nothing, and no connection,
    when no restore is waiting. Raises ``DomainError`` as a push does when central fails."""
    with booth.db.read() as s:
        waiting = s.execute(select(Setting.value).where(Setting.key == UNCHECKED)).scalar()
    if waiting != "1":
        return {}
    try:
        conn = connect()
    except connection.errors() as exc:
        raise connection.db_error(exc) from None
    try:
        with conn.transaction():
            marks = from_central(conn, booth.context.device_id)
    except connection.errors() as exc:
        raise connection.db_error(exc) from None
    finally:
        conn.close()
    raised = _raise(booth, marks)
    if raised:
        log.warning("counters raised from head office after a restore: %s", raised)
    return raised


def _kept_head(path: Path | None, device_hex: str) -> tuple[int, str] | None:
    """The replaced database's journal head for this device (None: unreadable)."""
    if path is None:
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, OSError, ValueError):
        return None
    try:
        row = con.execute("SELECT chain_index, hash FROM audit_event WHERE device_id = ?"
                          " ORDER BY chain_index DESC LIMIT 1", (device_hex,)).fetchone()
        return None if row is None else (int(row[0]), str(row[1]))
    except sqlite3.Error:
        return None
    finally:
        con.close()


def after_restore(booth: Booth, done: RestoreResult, *, actor: str, file_name: str,
                  head_index: int | None) -> AfterRestore:
    """On the booth just restored: ask head office for its numbers and raise the counters
    (else remember to ask at the next push), then journal ``backup.restore`` naming the
    file, the replaced database and the journal head cut off."""
    asked = _ask(booth)
    raised: dict[str, tuple[int, int]] = {}
    with booth.db.write() as s:
        write_setting(s, UNCHECKED, "1")
    heads = []
    kept = _kept_head(done.previous, booth.context.device_id.hex)
    if kept is not None:
        heads.append(kept)
    if asked is not None:
        raised = _raise(booth, asked[0])
        if asked[1] is not None:
            heads.append((asked[1].index, asked[1].hash))
    with booth.db.read() as s:
        here = audit.head(s.connection(), booth.context.device_id)
    cut = max(heads, default=None)
    replaced = {"index": cut[0], "hash": cut[1]} if cut and cut[0] > here.index else None
    with booth.db.write() as s:
        rec = Recorder(s, booth.context.device_id, booth.clock.now())
        audit.append(rec, actor, "backup.restore", "backup", file_name[:64], {
            "file": file_name, "device": done.device_code, "sales": done.sales,
            "head": head_index, "previous": done.previous.name if done.previous else None,
            "raised": {name: now for name, (_was, now) in {**done.raised, **raised}.items()},
            "central": asked is not None, "replaced": replaced})
    return AfterRestore(asked is not None, raised, replaced,
                        unknown=asked is None and not done.kept_read)
