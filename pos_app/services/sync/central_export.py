"""Head office's end-of-event pack, from the central PostgreSQL across the booths of one or
more events: the booth's own export run over a copy of the chosen central rows.

At head office an event is chosen by name (any case): every booth made its own ``event`` row
at ``init``, and the booths of one event carry the same name, so one name may cover several
event rows. An id picks that one row. No event named: every event in the central database.

The chosen rows are read in one ``REPEATABLE READ`` read-only snapshot, a server-side cursor
at a time (constant memory), and written into a temporary SQLite database with the booth's
own schema (its migrations), which ``export_pack`` then reads as it reads a booth. What is
copied is what the pack reads:

- ``event`` (the chosen rows), ``device`` (the devices of those events, as head office's
  registry ``device_role`` names them: never a ``device`` row a booth inserted for another);
- ``sale`` of those events with their ``sale_line``, ``payment`` and ``payment_match``;
- ``shift`` of those events (and of their documents) with their ``shift_event``;
- the stock ledger and stock documents of those devices (a booth's stock sheet is its whole
  ledger, so the central one is the sum of the booths');
- the journal head of each of those devices (the pack lists the heads, nothing more);
- the catalog as it stands centrally (one row per code and SKU; the ids are the same on every
  booth, ``domain.ids``).

A record that cannot be placed (an unregistered device, a product the central catalog lacks,
a row of one booth attached to another booth's document: ``central_rules``) is left out of
every table and total and listed in the pack's ``problems`` table; the export goes on.

The pack groups by facility code, SKU, method and day, so every figure of it is the sum of
the booths' own packs, with the one set of figures (``domain.figures``); the settlement's
split of the DPP (net less PPN) into PNBP, premi, modal and program is made on each booth's
own DPP and added up (``export_sheets``), so it too is the sum of the booths' splits, to the
rupiah; the PPN is listed apart as tax to remit.

Users are not synced and the pack does not need them (documents carry the cashier's name).
The address must be an administrator or a role granted ``lapak_head_office``: a booth's own
role would see only its own rows, so it is refused rather than exporting a part.
"""

from __future__ import annotations

import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pos_app.adapters.central import connection
from pos_app.domain.calendar import DEFAULT_CUTOFF, DEFAULT_TZ
from pos_app.domain.errors import N_, DomainError, is_folder
from pos_app.domain.tax import TaxSettings
from pos_app.persistence import central as central_db
from pos_app.persistence.database import Database
from pos_app.persistence.models import Base
from pos_app.services.reporting.export_pack import (
    PackResult,
    Progress,
    Translate,
    export_one,
    export_pack,
)
from pos_app.services.reporting.export_target import check_free
from pos_app.services.reporting.report_facts import CHUNK, ReportFilter
from pos_app.services.setup.booth import DEFAULTS, Booth, BoothContext
from pos_app.services.setup.clock import Clock
from pos_app.services.sync import central_rules as rules

FORMATS = ("xlsx", "csv", "pdf", "pack")
FETCH = 5_000  # rows per round trip from the server
DEVICES_SHOWN = 5  # device codes named in the summary's header before it abbreviates

Reading = Callable[[int], None]  # rows copied so far

CATALOG = ("facility", "category", "product")
PROBLEMS_TABLE = "lapak_export_problem"  # in the temporary copy only


@dataclass(frozen=True)
class CentralFilter(ReportFilter):
    """The pack's filter at head office: the copy holds only the chosen events' rows, so
    ``event_id`` stays empty; these fields say what was chosen (they go into the manifest's
    ``filter``)."""

    source: str = "central"
    events: tuple[str, ...] = ()  # names, as stored
    event_ids: tuple[str, ...] = ()  # hex
    devices: tuple[str, ...] = ()  # codes


@dataclass(frozen=True)
class CentralExport:
    pack: PackResult
    events: tuple[str, ...]  # the events' names (one per name)
    devices: tuple[str, ...]  # the devices' codes


@dataclass(frozen=True)
class _Scope:
    event_ids: tuple[uuid.UUID, ...]
    names: tuple[str, ...]
    timezone: str
    devices: tuple[str, ...]


class _HeadOfficeBooth(Booth):
    """The temporary database, seen as a booth whose device is head office's choice."""

    def __init__(self, db: Database, context: BoothContext, clock: Clock | None) -> None:
        super().__init__(db, clock)
        self._fixed = context

    def _load_context(self) -> BoothContext:
        return self._fixed


def _identity(text: str) -> str:
    return text


def export_central(url: str, out: Path | str, fmt: str, events: Sequence[str] = (), *,
                   date_from: date | None = None, date_to: date | None = None,
                   progress: Progress | None = None, reading: Reading | None = None,
                   cancel=None, translate: Translate = _identity, language: str = "id",
                   parallel: bool | None = None, chunk: int = CHUNK,
                   clock: Clock | None = None) -> CentralExport:
    """Write the pack (``fmt`` ``pack``) or one of its formats from the central database at
    ``url`` for the events named in ``events`` (names or ids; empty: all events).

    ``reading(rows)`` follows the copy out of the central database, ``progress`` and
    ``cancel`` the export as in ``export_pack``. Nothing is written under ``out`` unless the
    whole export succeeds."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, got {fmt!r}")
    target = Path(out)
    if fmt in ("csv", "pack"):
        check_free(target)  # before the copy, which may take a while
    elif target.is_dir():
        raise is_folder(target)
    params = connection.params(url)
    with tempfile.TemporaryDirectory(prefix="lapak-central-") as folder:
        path = Path(folder) / "central.db"
        Booth.open(path).close()  # the booth's schema, by its migrations
        scope = _materialise(params, path, target, events, reading, cancel, translate)
        context = BoothContext(
            device_id=uuid.UUID(int=0), device_code=_devices_label(scope.devices),
            device_name="", event_id=None, event_name=", ".join(scope.names),
            timezone=scope.timezone,
            tax=TaxSettings.parse(DEFAULTS["ppn_rate"], DEFAULTS["ppn_dpp"]),
            cutoff=DEFAULT_CUTOFF)
        booth = _HeadOfficeBooth(Database(path), context, clock)
        flt = CentralFilter(date_from=date_from, date_to=date_to, events=scope.names,
                            event_ids=tuple(e.hex for e in scope.event_ids),
                            devices=scope.devices)
        options = {"progress": progress, "cancel": cancel, "translate": translate,
                   "language": language, "parallel": parallel, "chunk": chunk,
                   "problems": lambda: problem_rows(path)}
        try:
            if fmt == "pack":
                res = export_pack(booth, target, flt, **options)
            else:
                res = export_one(booth, target, fmt, flt, **options)
        finally:
            booth.close()
    return CentralExport(res, scope.names, scope.devices)


def _devices_label(codes: tuple[str, ...]) -> str:
    if len(codes) <= DEVICES_SHOWN:
        return ", ".join(codes)
    return f"{codes[0]} \u2026 {codes[-1]} ({len(codes)})"


# --- reading the central database ----------------------------------------------------------------

def _materialise(params: dict, path: Path, target: Path, refs: Sequence[str],
                 reading: Reading | None, cancel, translate: Translate) -> _Scope:
    try:
        conn = connection.connect(params)
    except connection.errors() as exc:
        raise connection.db_error(exc) from None
    try:
        connection.read_only_snapshot(conn)  # every table tells the same story
        _check_ready(conn)
        _check_head_office(conn, translate)
        chosen = _chosen_events(conn, refs)
        ids = [row[0] for row in chosen]
        chosen_rows = {"e": ids, "ev": [row[3] for row in chosen]}
        # head office's registry decides which devices these are, and their codes
        devices = conn.execute(rules.DEVICES, chosen_rows).fetchall()
        codes = [code for _id, code, _claimed in devices]
        copier = _Copier(conn, path, target, reading, cancel, translate)
        try:
            copier.catalog()
            if ids:
                args = {**chosen_rows,
                        "d": [device_id for device_id, _c, _claimed in devices]}
                copier.devices(devices, args)
                for table, (scope, why) in rules.records():
                    copier.copy(table, scope, why, args)
            copier.commit()
        finally:
            copier.close()
    except DomainError:
        raise
    except connection.errors() as exc:
        raise connection.db_error(exc) from None
    except sqlite3.Error as exc:
        raise DomainError("cannot_write", path=str(target), reason=str(exc)) from None
    finally:
        conn.close()
    names: dict[str, str] = {}  # one per name, whatever its case at each booth
    for _id, name, _tz, _device in chosen:
        names.setdefault(name.casefold(), name)
    zones = [tz for _id, _name, tz, _device in chosen]
    timezone = max(set(zones), key=zones.count) if zones else DEFAULT_TZ
    return _Scope(tuple(dict.fromkeys(ids)), tuple(names.values()), timezone, tuple(codes))


def _check_ready(conn) -> None:
    """Set up, and by this version (head office's own roles may not read the revision; they
    exist only once it is set up)."""
    ready, readable = conn.execute(
        "SELECT to_regclass('alembic_version') IS NOT NULL"
        " AND EXISTS (SELECT FROM pg_roles WHERE rolname = %s),"
        " has_table_privilege(to_regclass('alembic_version'), 'SELECT')",
        (central_db.HEAD_OFFICE_ROLE,)).fetchone()
    if not ready:
        raise DomainError("central_not_ready", revision="-")
    if not readable:
        return
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    revision = row[0] if row else None
    if revision != central_db.HEAD:
        if revision is not None and revision not in central_db.known_revisions():
            raise DomainError("central_newer", revision=revision)
        raise DomainError("central_not_ready", revision=revision or "-")


def _check_head_office(conn, translate: Translate) -> None:
    """An administrator or head office; any other role sees only part of the rows."""
    user, allowed = conn.execute(
        "SELECT current_user, rolsuper OR rolbypassrls OR pg_has_role(current_user, %s,"
        " 'MEMBER') FROM pg_roles WHERE rolname = current_user",
        (central_db.HEAD_OFFICE_ROLE,)).fetchone()
    if not allowed:
        raise DomainError("central_denied", reason=translate(N_(
            "{role} may not read every booth's records (grant it {head_office})")).format(
                role=user, head_office=central_db.HEAD_OFFICE_ROLE))


def _chosen_events(conn, refs: Sequence[str]) -> list[tuple[uuid.UUID, str, str, uuid.UUID]]:
    """(id, name, time zone, device) of the event rows named by ``refs``; every event when
    none is. An id is unique per device only: each booth's row of it is one event row."""
    rows = conn.execute("SELECT id, name, timezone, device_id FROM event"
                        " ORDER BY name, id, device_id").fetchall()
    if not refs:
        return rows
    chosen: dict[tuple[uuid.UUID, uuid.UUID], tuple] = {}
    for ref in refs:
        text = ref.strip()
        try:
            wanted = uuid.UUID(text)
        except ValueError:
            wanted = None
        found = [r for r in rows if r[0] == wanted] or \
                [r for r in rows if r[1].casefold() == text.casefold()]
        if not found:
            raise DomainError("unknown_event", event=ref)
        chosen.update(((r[0], r[3]), r) for r in found)
    return sorted(chosen.values(), key=lambda r: (r[1], r[0], r[3]))


class _Copier:
    """Rows from the server into the temporary SQLite database. The copy keeps no foreign
    keys (users stay behind); what ``central_rules`` does not place goes into the problems
    table instead."""

    def __init__(self, conn, path: Path, target: Path, reading: Reading | None, cancel,
                 translate: Translate) -> None:
        from sqlalchemy.dialects.sqlite import pysqlite

        self.conn, self.target, self.reading, self.cancel = conn, target, reading, cancel
        self.translate = translate
        self.dialect = pysqlite.dialect()
        self.done = 0
        self.registry = {d: c for d, c in conn.execute(rules.REGISTRY).fetchall()}
        self.shared: dict[str, set[uuid.UUID]] = {}  # ids several devices use, by table
        self.sink = sqlite3.connect(path, isolation_level=None)
        self.sink.execute("PRAGMA foreign_keys=OFF")
        self.sink.execute("PRAGMA synchronous=OFF")  # a throw-away copy
        self.sink.execute(f'CREATE TABLE "{PROBLEMS_TABLE}" (n INTEGER PRIMARY KEY, '
                          "tbl TEXT, record_id TEXT, device_id TEXT, device TEXT, "
                          "number TEXT, reason TEXT)")
        self.sink.execute("BEGIN")

    def _shared(self, table: str) -> set[uuid.UUID]:
        if table not in self.shared:
            self.shared[table] = {r[0] for r in self.conn.execute(
                rules.SHARED.format(table=table))}
        return self.shared[table]

    def _columns(self, table: str) -> list:
        return list(Base.metadata.tables[table].c)

    def _select(self, table: str, where: str, *, head: bool = False):
        """``SELECT`` the local columns of ``table`` as ``t``; ``head``: the last journal
        event per device (of its newest branch: central migration c0010)."""
        return connection.select_columns(
            table, [c.name for c in self._columns(table)], where, alias="t",
            distinct_on="device_id" if head else None,
            order_by=("device_id", "branch DESC", "chain_index DESC") if head else ())

    def _insert(self, table: str, rows: list[tuple]) -> None:
        cols = self._columns(table)
        rows = rules.own_ids(table, [c.name for c in cols], rows, self._shared)
        procs = [c.type.dialect_impl(self.dialect).bind_processor(self.dialect) for c in cols]
        out = [tuple(v if p is None or v is None else p(v) for v, p in zip(row, procs,
                                                                          strict=True))
               for row in rows]
        names = ", ".join(f'"{c.name}"' for c in cols)
        marks = ", ".join("?" * len(cols))
        self.sink.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', out)
        self.done += len(out)
        if self.reading is not None:
            self.reading(self.done)

    def _problem(self, table: str, record, device, number, reason: str) -> None:
        self.sink.execute(
            f'INSERT INTO "{PROBLEMS_TABLE}" (tbl, record_id, device_id, device, number, '
            "reason) VALUES (?, ?, ?, ?, ?, ?)",
            (table, record.hex, device.hex if device else "", self.registry.get(device, ""),
             number or "", reason))

    def _left_out(self, table: str, query: str | None, why, args: dict) -> None:
        if query is None:
            return
        with self.conn.cursor(name=f"lapak_problems_{table}") as cur:
            cur.itersize = FETCH
            cur.execute(query, args)
            while rows := cur.fetchmany(FETCH):
                for record, device, number, rule in rows:
                    self._problem(table, record, device, number, self.translate(why[rule][1]))

    def catalog(self) -> None:
        """Facilities, categories and products: all of them (a few thousand rows)."""
        for table in CATALOG:
            why = rules.CATALOG_RULES[table]
            self._insert(table, self.conn.execute(
                self._select(table, rules.kept("true", why))).fetchall())
            self._left_out(table, rules.left_out(table, "", why), why, {})

    def devices(self, devices: list[tuple], args: dict) -> None:
        """The placed devices' own rows under the registry's codes; any other device row of
        these events is a problem."""
        names = [c.name for c in self._columns("device")]
        code, at = names.index("code"), names.index("id")
        rows = self.conn.execute(self._select(
            "device", "WHERE t.id = ANY(%(d)s) AND t.device_id = t.id ORDER BY t.id"),
            args).fetchall()
        registered = {d: c for d, c, _claimed in devices}
        self._insert("device", [(*r[:code], registered[r[at]], *r[code + 1:]) for r in rows])
        for device_id, registry_code, claimed in devices:
            if claimed != registry_code:
                self._problem("device", device_id, device_id, None, self.translate(
                    rules.CODE_WHY).format(claimed=claimed, code=registry_code))
        self._left_out("device", rules.DEVICE_ROWS, ((None, rules.DEVICE_ROW_WHY),), args)

    def copy(self, table: str, scope: str, why, args: dict) -> None:
        query = self._select(table, rules.kept(scope, why), head=table == "audit_event")
        with self.conn.cursor(name=f"lapak_export_{table}") as cur:
            cur.itersize = FETCH
            cur.execute(query, args)
            while rows := cur.fetchmany(FETCH):
                if self.cancel is not None and self.cancel.is_set():
                    raise DomainError("export_cancelled")
                self._insert(table, rows)
        self._left_out(table, rules.left_out(table, scope, why), why, args)

    def commit(self) -> None:
        self.sink.execute("COMMIT")

    def close(self) -> None:
        if self.sink.in_transaction:
            self.sink.execute("ROLLBACK")
        self.sink.close()


def problem_rows(path: Path):
    """The problems table's rows, read from the temporary copy at ``path``."""
    with closing(sqlite3.connect(path)) as con:
        yield from con.execute(f'SELECT tbl, record_id, device_id, device, number, reason '
                               f'FROM "{PROBLEMS_TABLE}" ORDER BY n')
