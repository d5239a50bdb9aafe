"""The bulk path of a push batch: ``COPY`` into a session temporary table, then one ``INSERT``.

Per table, inside the batch's central transaction:

1. ``COPY`` the rows (as SQLite stores them: PostgreSQL's text input reads each as the central
   column's type) into a session temporary table shaped like the central one (``CREATE TEMP
   TABLE IF NOT EXISTS ... ON COMMIT DELETE ROWS`` in each batch's transaction: empty again
   after every commit, gone with a rollback of the transaction that made it);
2. ``INSERT INTO t SELECT ... FROM the temporary table ORDER BY id ON CONFLICT (device_id,
   id) DO NOTHING`` (a central record is keyed by its device and its id), as the device's
   role (row-level security applies exactly as to a plain ``INSERT``; ``COPY`` straight
   into ``t`` would not be allowed under it), in id order so two pushes at once take their
   row locks in the same order;
3. the answer is only the ids that were NOT inserted (usually none).

A temporary table needs the TEMP privilege on the database (PUBLIC has it by default); see
:func:`can_use_temp`.
"""

from __future__ import annotations

from functools import cache

from pos_app.persistence.models import Base

__all__ = ["can_use_temp", "columns", "copy_insert", "make_temp_tables", "quoted"]

_TEMP = "lapak_push_{}"


@cache
def columns(name: str) -> tuple[str, ...]:
    """The synced columns of ``name``, in model order (the same names centrally)."""
    return tuple(c.name for c in Base.metadata.tables[name].columns)


def quoted(names) -> str:
    """Column names as a quoted SQL list."""
    return ", ".join('"' + n.replace('"', '""') + '"' for n in names)


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
    """``rows`` of ``name`` in, unless their (device, id) is already there; returns the ids
    (32 hex digits) that were NOT inserted. Runs inside the caller's transaction."""
    cols = quoted(columns(name))
    tmp = f'pg_temp."{_TEMP.format(name)}"'
    with conn.cursor() as cur, cur.copy(f"COPY {tmp} ({cols}) FROM STDIN") as cp:
        for r in rows:
            cp.write_row(r)
    # a journal goes in chain order (central's trigger accepts only the next event)
    order = "chain_index, id" if name == "audit_event" else "id"
    rest = conn.execute(
        f'WITH ins AS (INSERT INTO "{name}" ({cols}) SELECT {cols} FROM {tmp} ORDER BY {order}'
        f" ON CONFLICT (device_id, id) DO NOTHING RETURNING id)"
        f" SELECT id FROM {tmp} EXCEPT SELECT id FROM ins").fetchall()
    return {r[0].hex for r in rest}
