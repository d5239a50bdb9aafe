"""After a restore: the numbers this device has issued, as head office holds them, so that
no sale number, record sequence, kwitansi, stock document number, SKU or barcode is ever
issued twice, and the journal entries that say what the restore replaced.

The restore itself (:mod:`pos_app.services.setup.restore`) raises its counters from the
database it replaced and this device's other copies, and sets ``marks_unchecked`` (and,
when the replaced database could not be read, ``marks_unknown``: no number people see is
issued until the numbers are known). Head office knows what this device pushed. Right after
the restore the ``backup.restore`` event is journaled (before anything can interrupt), then
head office is asked, briefly (a short connect and statement timeout, as
:func:`journal_head.ask_central`); its answer raises the counters, clears both flags and is
journaled (``backup.marks``). When it cannot be asked then, the next push asks before it
sends anything (:func:`settle`). Everything is read through the device's own role: its own
rows only. An administrator who knows the last sale number printed may also clear
``marks_unknown`` (:func:`pos_app.services.setup.backup_restore.continue_numbering`).

The ``backup.restore`` event names the heads the restore cut off (the replaced database's,
central's): central takes that event as a new branch of this device's journal (central
migration ``c0010``), and the check against anchors knows the cut was declared
(:func:`pos_app.services.access.journal_anchor.compare`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pos_app.adapters.central import connection
from pos_app.domain.errors import DomainError
from pos_app.persistence.models import PUSHED, Setting
from pos_app.services.access import audit
from pos_app.services.access.journal_anchor import Anchor
from pos_app.services.setup.backup import read_contents
from pos_app.services.setup.booth import Booth, write_setting
from pos_app.services.setup.records import Recorder, raise_counters
from pos_app.services.setup.restore import UNCHECKED, UNKNOWN, RestoreResult
from pos_app.services.sync import journal_head

__all__ = ["UNCHECKED", "UNKNOWN", "AfterRestore", "after_restore", "from_central", "settle"]


log = logging.getLogger("pos_app")

_MARK_TABLES = (*PUSHED, "facility", "category", "product")
_DIGITS = "'-([0-9]{1,18})$'"  # a number's last digits, after its last dash


@dataclass(frozen=True)
class AfterRestore:
    central: bool  # head office answered
    raised: dict[str, tuple[int, int]] = field(default_factory=dict)  # by head office
    replaced: list[dict[str, Any]] | None = None  # the journal heads the restore cut off
    unknown: bool = False  # neither the replaced database nor head office could tell


def _one(conn: Any, sql: str, params: tuple) -> Any:
    row = conn.execute(sql, params).fetchone()
    return None if row is None else row[0]


def _biggest(conn: Any, sql: str, params: tuple) -> int | None:
    """The largest number ``sql`` finds (its digits, at most 18 of them: a longer one cannot
    be a number this device issued)."""
    value = _one(conn, sql, params)
    return int(value) if value else None


def from_central(conn: Any, device_id: uuid.UUID, device_code: str) -> dict[str, int]:
    """The highest numbers of each counter central holds for ``device_id`` (a psycopg
    connection as this device's role; it sees its own rows only)."""
    marks: dict[str, int] = {}
    union = " UNION ALL ".join(f'SELECT max(seq) AS m FROM "{t}" WHERE device_id = %s'
                               for t in _MARK_TABLES)
    found = {
        "record": _one(conn, f"SELECT max(m) FROM ({union}) AS t",
                       (device_id,) * len(_MARK_TABLES)),
        "sale": _biggest(conn, f"SELECT max(substring(number FROM {_DIGITS})::bigint) FROM sale"
                         " WHERE device_id = %s", (device_id,)),
        "kwitansi": _biggest(conn, "SELECT max(substring(payload::jsonb->>'number' FROM"
                             f" {_DIGITS})::bigint) FROM audit_event WHERE device_id = %s"
                             " AND action = 'kwitansi.issue' AND payload::jsonb ? 'number'",
                             (device_id,)),
        # SKUs made here end "-<device code without dashes>-NNN"; in-store EAN-13s carry the
        # counter in digits 7-12 ("21" + the device's block + the counter + a check digit)
        "sku": _biggest(conn, f"SELECT max(substring(sku FROM {_DIGITS})::bigint) FROM product"
                        " WHERE device_id = %s AND sku LIKE %s",
                        (device_id, f"%-{device_code.replace('-', '')}-%")),
        "barcode": _biggest(conn, "SELECT max(substring(barcode FROM 7 FOR 6)::bigint)"
                            " FROM product WHERE device_id = %s AND barcode ~ '^21[0-9]{11}$'",
                            (device_id,)),
    }
    marks = {name: int(value) for name, value in found.items() if value}
    for kind, value in conn.execute(
            f"SELECT kind, max(substring(number FROM {_DIGITS})::bigint) FROM stock_document"
            " WHERE device_id = %s GROUP BY kind", (device_id,)).fetchall():
        if value:
            marks[f"stock.{kind}"] = int(value)
    return marks


def _raise(booth: Booth, marks: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Raise this device's counters to ``marks`` (never lower) and clear the restore's
    flags, in one transaction; what was raised."""
    with booth.db.write() as s:
        raised = raise_counters(s, booth.context.device_id, marks)
        write_setting(s, UNCHECKED, "")
        write_setting(s, UNKNOWN, "")
    return raised


def _ask(booth: Booth) -> tuple[dict[str, int], Anchor | None] | None:
    """(central's marks, its held journal head), asked briefly; None: no answer."""
    conn = journal_head.connect_briefly(booth)
    if conn is None:
        return None
    ctx = booth.context
    try:
        with conn.transaction():
            marks = from_central(conn, ctx.device_id, ctx.device_code)
        return marks, journal_head.held_by_central(conn, ctx.device_id)
    except connection.errors() as exc:
        log.info("head office not asked for this device's numbers: %s",
                 connection.first_line(exc))
        return None
    finally:
        conn.close()


def _journal(booth: Booth, actor: str, action: str, subject: str, payload: dict) -> None:
    with booth.db.write() as s:
        rec = Recorder(s, booth.context.device_id, booth.clock.now())
        audit.append(rec, actor, action, "backup", subject[:64], payload)


def _waiting(booth: Booth) -> bool:
    with booth.db.read() as s:
        return s.execute(select(Setting.value).where(Setting.key == UNCHECKED)).scalar() == "1"


def settle(booth: Booth, connect: Callable[[], Any]) -> dict[str, tuple[int, int]]:
    """Before a push: when a restore could not ask head office, ask now (``connect()``: a
    connection as this device's role), raise the counters and clear the restore's flags
    (journaled as ``backup.marks``); nothing, and no connection, when no restore is
    waiting. Raises ``DomainError`` as a push does when central fails."""
    if not _waiting(booth):
        return {}
    ctx = booth.context
    try:
        conn = connect()
    except connection.errors() as exc:
        raise connection.db_error(exc) from None
    try:
        with conn.transaction():
            marks = from_central(conn, ctx.device_id, ctx.device_code)
        held = journal_head.held_by_central(conn, ctx.device_id)
    except connection.errors() as exc:
        raise connection.db_error(exc) from None
    finally:
        conn.close()
    raised = _raise(booth, marks)
    _journal(booth, "sync", "backup.marks", "central", {
        "raised": {name: now for name, (_was, now) in raised.items()},
        "replaced": [] if held is None else [{"index": held.index, "hash": held.hash}]})
    if raised:
        log.warning("counters raised from head office after a restore: %s", raised)
    return raised


def _kept_head(path: Path | None, device_hex: str) -> tuple[int, str] | None:
    """The replaced database's journal head for this device (None: none kept, unreadable,
    or another device's), as :func:`backup.read_contents` reads any backup."""
    if path is None:
        return None
    try:
        kept = read_contents(path)
    except DomainError:
        return None
    if kept.device_id.replace("-", "") != device_hex or kept.head_index == 0:
        return None
    return kept.head_index, kept.head_hash


def after_restore(booth: Booth, done: RestoreResult, *, actor: str, file_name: str,
                  head_index: int | None) -> AfterRestore:
    """On the booth just restored: journal ``backup.restore`` (the file, the replaced
    database, the journal head cut off), then ask head office for its numbers: its answer
    raises the counters, clears the restore's flags and is journaled (``backup.marks``, with
    central's head); no answer leaves them for the next push."""
    ctx = booth.context
    with booth.db.read() as s:
        here = audit.head(s.connection(), ctx.device_id)
    kept = _kept_head(done.previous, ctx.device_id.hex)
    replaced = [{"index": kept[0], "hash": kept[1]}] if kept and kept[0] > here.index else []
    _journal(booth, actor, "backup.restore", file_name, {
        "file": file_name, "device": done.device_code, "sales": done.sales,
        "head": head_index, "previous": done.previous.name if done.previous else None,
        "raised": {name: now for name, (_was, now) in done.raised.items()},
        "unknown": done.unknown, "replaced": replaced})
    asked = _ask(booth)
    if asked is None:
        return AfterRestore(False, {}, replaced or None, unknown=done.unknown)
    raised = _raise(booth, asked[0])
    held = asked[1]
    cut = [{"index": held.index, "hash": held.hash}] if held and held.index > here.index else []
    _journal(booth, actor, "backup.marks", "central", {
        "raised": {name: now for name, (_was, now) in raised.items()}, "replaced": cut})
    return AfterRestore(True, raised, (replaced + cut) or None, unknown=False)
