"""The bulk path of push (:mod:`pos_app.services.sync.sync_push`): a batch read as stored, sent by
``COPY``.

Reading: the batch's outbox rows, then per table its records' columns as SQLite stores them
(ids as 32 hex digits, timestamps as ISO text, booleans as 0/1, rupiah as integers), with the
driver's own cursor: no per-value conversion in Python. PostgreSQL's text input reads each of
them as the central column's type, so the rows arrive with the same values as an ``INSERT``
of the typed row would give them.

Sending, per table, inside the batch's central transaction:

1. ``COPY`` the rows into a session temporary table shaped like the central one (``CREATE
   TEMP TABLE IF NOT EXISTS ... ON COMMIT DELETE ROWS`` in each batch's transaction: empty
   again after every commit, gone with a rollback of the transaction that made it);
2. ``INSERT INTO t SELECT ... FROM the temporary table ORDER BY id ON CONFLICT (id) DO
   NOTHING``, as the device's role (row-level security applies exactly as to a plain
   ``INSERT``; ``COPY`` straight into ``t`` would not be allowed under it), in id order so
   two pushes at once take their row locks in the same order;
3. the answer is only the ids that were NOT inserted (usually none): those the caller reads
   back and compares, as before.

A temporary table needs the TEMP privilege on the database (PUBLIC has it by default). A
server where it was taken away gets the row-by-VALUES ``INSERT`` instead: same result,
slower.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache

from pos_app.persistence.models import PUSHED, Base

_ORDER = {name: i for i, name in enumerate(PUSHED)}
_TEMP = "lapak_push_{}"

# An outbox row of the batch: (outbox id, table name, record id as stored, seq).
Box = tuple[int, str, str, int]


@cache
def columns(name: str) -> tuple[str, ...]:
    """The synced columns of ``name``, in model order (the same names centrally)."""
    return tuple(c.name for c in Base.metadata.tables[name].columns)


def quoted(names) -> str:
    """Column names as a quoted SQL list."""
    return ", ".join('"' + n.replace('"', '""') + '"' for n in names)


@dataclass
class RawBatch:
    box: list[Box]  # oldest first (seq, id)
    rows: dict[str, list[tuple]] = field(default_factory=dict)  # table -> stored values
    found: dict[str, list[Box]] = field(default_factory=dict)  # table -> its outbox rows
    missing: list[Box] = field(default_factory=list)  # the record is not in its table

    @property
    def last_seq(self) -> int:
        return self.box[-1][3]


def read_batch(booth, after: int, size: int) -> RawBatch:
    """The next ``size`` pending outbox rows after ``seq`` ``after``, with their records."""
    marks = ", ".join("?" * len(PUSHED))
    with booth.db.read() as s:
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


def can_use_temp(conn) -> bool:
    """May this session create temporary tables (the TEMP privilege on the database)?"""
    return bool(conn.execute(
        "SELECT has_database_privilege(current_database(), 'TEMP')").fetchone()[0])


def make_temp_tables(conn, names) -> None:
    """The temporary tables for ``names``, unless this session has them already. Inside the
    batch's transaction: if it rolls back they go too, and the next batch makes them again."""
    stmts = [f'CREATE TEMP TABLE IF NOT EXISTS "{_TEMP.format(name)}" ON COMMIT DELETE ROWS'
             f' AS SELECT {quoted(columns(name))} FROM "{name}" WITH NO DATA'
             for name in names]
    conn.execute("SET LOCAL client_min_messages = warning; " + "; ".join(stmts))


def copy_insert(conn, name: str, rows: list[tuple]) -> set[str]:
    """``rows`` of ``name`` in, unless their id is already there; returns the ids (32 hex
    digits) that were NOT inserted. Runs inside the caller's transaction."""
    cols = quoted(columns(name))
    tmp = f'pg_temp."{_TEMP.format(name)}"'
    with conn.cursor() as cur, cur.copy(f"COPY {tmp} ({cols}) FROM STDIN") as cp:
        for r in rows:
            cp.write_row(r)
    rest = conn.execute(
        f'WITH ins AS (INSERT INTO "{name}" ({cols}) SELECT {cols} FROM {tmp} ORDER BY id'
        f" ON CONFLICT (id) DO NOTHING RETURNING id)"
        f" SELECT id FROM {tmp} EXCEPT SELECT id FROM ins").fetchall()
    return {r[0].hex for r in rest}


__all__ = ["Box", "RawBatch", "can_use_temp", "columns", "copy_insert", "make_temp_tables",
           "quoted", "read_batch"]
