"""The bulk path of push (:mod:`pos_app.services.sync.sync_push`): a batch read as SQLite
stores it, ready for ``COPY``.

Reading: the batch's outbox rows, then per table its records' columns as SQLite stores them
(ids as 32 hex digits, timestamps as ISO text, booleans as 0/1, rupiah as integers), with the
driver's own cursor: no per-value conversion in Python. PostgreSQL's text input reads each of
them as the central column's type, so the rows arrive with the same values as an ``INSERT``
of the typed row would give them.

Sending it (``COPY`` into a temporary table, then one ``INSERT ... SELECT``) is
:mod:`pos_app.adapters.central.bulk`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import select

from pos_app.adapters.central.bulk import columns, quoted
from pos_app.persistence.models import PUSHED, Base

_ORDER = {name: i for i, name in enumerate(PUSHED)}

# An outbox row of the batch: (outbox id, table name, record id as stored, seq).
Box = tuple[int, str, str, int]


@dataclass
class RawBatch:
    box: list[Box]  # oldest first (seq, id)
    rows: dict[str, list[tuple]] = field(default_factory=dict)  # table -> stored values
    found: dict[str, list[Box]] = field(default_factory=dict)  # table -> its outbox rows
    missing: list[Box] = field(default_factory=list)  # the record is not in its table

    @property
    def last_seq(self) -> int:
        return self.box[-1][3]


def _lenient(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


@contextmanager
def lenient_text(session) -> Iterator[None]:
    """Within it, text on ``session``'s connection that is not valid UTF-8 (written past the
    app, or a damaged disk) reads with its bad bytes kept as escapes instead of stopping the
    read: its record then fails alone when sent (it cannot be encoded) and is quarantined."""
    con = session.connection().connection.driver_connection
    before = con.text_factory
    con.text_factory = _lenient
    try:
        yield
    finally:
        con.text_factory = before


def typed_rows(session, name: str, ids: list[uuid.UUID]
               ) -> tuple[dict[uuid.UUID, dict], dict[uuid.UUID, str]]:
    """The records ``ids`` of table ``name`` as Python values, and apart, why each record
    that cannot be read as such (a value its column's type cannot read, written past the
    app) could not: one such record never stops the others being read."""
    t = Base.metadata.tables[name]
    try:
        rows = session.execute(select(t).where(t.c.id.in_(ids))).mappings()
        return {r["id"]: dict(r) for r in rows}, {}
    except (ValueError, TypeError, UnicodeError):
        pass
    found, bad = {}, {}
    for i in ids:  # the slow way, only when some record is unreadable
        try:
            row = session.execute(select(t).where(t.c.id == i)).mappings().first()
        except (ValueError, TypeError, UnicodeError) as exc:
            bad[i] = f"the record cannot be read locally: {exc}"[:200]
            continue
        if row is not None:
            found[i] = dict(row)
    return found, bad


def read_batch(booth, after: int, size: int) -> RawBatch:
    """The next ``size`` pending outbox rows after ``seq`` ``after``, with their records."""
    marks = ", ".join("?" * len(PUSHED))
    with booth.db.read() as s, lenient_text(s):
        con = s.connection().connection.driver_connection  # inside the read snapshot
        box = con.execute(
            f"SELECT id, table_name, record_id, seq FROM outbox WHERE state = 'pending'"
            f" AND table_name IN ({marks}) AND seq > ? ORDER BY seq, id LIMIT ?",
            (*PUSHED, after, size)).fetchall()
        batch = RawBatch(box)
        wanted: dict[str, list[Box]] = {}
        for b in box:
            wanted.setdefault(b[1], []).append(b)
        for name in sorted(wanted, key=_ORDER.__getitem__):
            want, cols = wanted[name], columns(name)
            rows = con.execute(
                f'SELECT {quoted(cols)} FROM "{name}" WHERE id IN'
                " (SELECT value FROM json_each(?))", (json.dumps([b[2] for b in want]),),
            ).fetchall()
            if rows:
                batch.rows[name] = rows
            if len(rows) == len(want):  # the usual case: every record there, each once
                batch.found[name] = want
                continue
            at = cols.index("id")
            have = {r[at] for r in rows}
            for b in want:
                (batch.found.setdefault(name, []) if b[2] in have else batch.missing).append(b)
    return batch


__all__ = ["Box", "RawBatch", "lenient_text", "read_batch", "typed_rows"]
