"""Head office's end-of-event pack, from the central PostgreSQL across the booths of one or
more events: the booth's own export run over a copy of the chosen central rows.

At head office an event is chosen by name (any case): every booth made its own ``event`` row
at ``init``, and the booths of one event carry the same name, so one name may cover several
event rows. An id picks that one row. No event named: every event in the central database.

The chosen rows are read in one ``REPEATABLE READ`` read-only snapshot, a server-side cursor
at a time (constant memory), and written into a temporary SQLite database with the booth's
own schema (its migrations), which ``export_pack`` then reads as it reads a booth. What is
copied is what the pack reads:

- ``event`` (the chosen rows), ``device`` (the devices of those events);
- ``sale`` of those events with their ``sale_line``, ``payment`` and ``payment_match``;
- ``shift`` of those events (and of their documents) with their ``shift_event``;
- the stock ledger and stock documents of those devices (a booth's stock sheet is its whole
  ledger, so the central one is the sum of the booths');
- the journal head of each of those devices (the pack lists the heads, nothing more);
- the catalog as it stands centrally (one row per code and SKU; the ids are the same on every
  booth, ``domain.ids``). A record naming a facility, category or product the central
  catalog lacks (not synced yet) is refused in one line rather than left out of the sums.

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

FORMATS = ("xlsx", "csv", "pdf", "pack")
FETCH = 5_000  # rows per round trip from the server
DEVICES_SHOWN = 5  # device codes named in the summary's header before it abbreviates

Reading = Callable[[int], None]  # rows copied so far

CATALOG = ("facility", "category", "product")
# the columns that point into the catalog
CATALOG_REFS = {
    "product": {"category_id": "category", "facility_id": "facility"},
    "sale_line": {"product_id": "product", "facility_id": "facility"},
    "stock_movement": {"product_id": "product", "facility_id": "facility"},
    "stock_document": {"facility_id": "facility"},
    "stock_count_line": {"product_id": "product"},
}
_SALES = "SELECT id FROM sale WHERE event_id = ANY(%(e)s)"
_SHIFTS = ("SELECT id FROM shift WHERE event_id = ANY(%(e)s)"
           " OR id IN (SELECT shift_id FROM sale WHERE event_id = ANY(%(e)s))")
# table -> the rows of the chosen events (%(e)s) and devices (%(d)s), after the catalog
RECORDS = (
    ("event", "WHERE id = ANY(%(e)s)"),
    ("device", "WHERE id = ANY(%(d)s)"),
    ("shift", f"WHERE id IN ({_SHIFTS})"),
    ("shift_event", f"WHERE shift_id IN ({_SHIFTS})"),
    ("sale", "WHERE event_id = ANY(%(e)s)"),
    ("sale_line", f"WHERE sale_id IN ({_SALES})"),
    ("payment", f"WHERE sale_id IN ({_SALES})"),
    ("payment_match",
     f"WHERE payment_id IN (SELECT id FROM payment WHERE sale_id IN ({_SALES}))"),
    ("stock_document", "WHERE device_id = ANY(%(d)s)"),
    ("stock_count_line", "WHERE device_id = ANY(%(d)s)"),
    ("stock_count_step", "WHERE device_id = ANY(%(d)s)"),
    ("stock_movement", "WHERE device_id = ANY(%(d)s)"),
    ("audit_event", "WHERE device_id = ANY(%(d)s)"),
)


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
                   "language": language, "parallel": parallel, "chunk": chunk}
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
        devices = conn.execute("SELECT id, code FROM device WHERE event_id = ANY(%s)"
                               " ORDER BY code, id", (ids,)).fetchall()
        codes = [code for _id, code in devices]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:  # their document numbers would collide
            raise DomainError("cannot_write", path=str(target), reason=translate(N_(
                "two devices of these events use the code {code}")).format(code=twice[0]))
        copier = _Copier(conn, path, target, reading, cancel, translate)
        try:
            copier.catalog()
            if ids:
                args = {"e": ids, "d": [device_id for device_id, _code in devices]}
                for table, where in RECORDS:
                    copier.copy(table, where, args)
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
    for _id, name, _tz in chosen:
        names.setdefault(name.casefold(), name)
    zones = [tz for _id, _name, tz in chosen]
    timezone = max(set(zones), key=zones.count) if zones else DEFAULT_TZ
    return _Scope(tuple(ids), tuple(names.values()), timezone, tuple(codes))


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


def _chosen_events(conn, refs: Sequence[str]) -> list[tuple[uuid.UUID, str, str]]:
    """(id, name, time zone) of the events named by ``refs``; every event when none is."""
    rows = conn.execute("SELECT id, name, timezone FROM event ORDER BY name, id").fetchall()
    if not refs:
        return rows
    chosen: dict[uuid.UUID, tuple] = {}
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
        chosen.update((r[0], r) for r in found)
    return sorted(chosen.values(), key=lambda r: (r[1], r[0]))


class _Copier:
    """Rows from the server into the temporary SQLite database. The copy keeps no foreign
    keys (users stay behind); references into the catalog are checked here instead."""

    def __init__(self, conn, path: Path, target: Path, reading: Reading | None, cancel,
                 translate: Translate) -> None:
        from sqlalchemy.dialects.sqlite import pysqlite

        self.conn, self.target, self.reading, self.cancel = conn, target, reading, cancel
        self.translate = translate
        self.dialect = pysqlite.dialect()
        self.known: dict[str, set[uuid.UUID]] = {t: set() for t in CATALOG}
        self.missing: set[tuple[str, uuid.UUID]] = set()
        self.done = 0
        self.sink = sqlite3.connect(path, isolation_level=None)
        self.sink.execute("PRAGMA foreign_keys=OFF")
        self.sink.execute("PRAGMA synchronous=OFF")  # a throw-away copy
        self.sink.execute("BEGIN")

    def _columns(self, table: str) -> list:
        return list(Base.metadata.tables[table].c)

    def _select(self, table: str, where: str, *, head: bool = False):
        """``SELECT`` the local columns; ``head``: the last journal event per device."""
        return connection.select_columns(
            table, [c.name for c in self._columns(table)], where,
            distinct_on="device_id" if head else None,
            order_by=("device_id", "chain_index DESC") if head else ())

    def _insert(self, table: str, rows: list[tuple]) -> None:
        cols = self._columns(table)
        procs = [c.type.dialect_impl(self.dialect).bind_processor(self.dialect) for c in cols]
        refs = CATALOG_REFS.get(table, {})
        checks = [(i, refs[c.name]) for i, c in enumerate(cols) if c.name in refs]
        for row in rows:
            for i, parent in checks:
                if row[i] not in self.known[parent]:
                    self.missing.add((parent, row[i]))
        out = [tuple(v if p is None or v is None else p(v) for v, p in zip(row, procs,
                                                                          strict=True))
               for row in rows]
        names = ", ".join(f'"{c.name}"' for c in cols)
        marks = ", ".join("?" * len(cols))
        self.sink.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', out)
        self.done += len(out)
        if self.reading is not None:
            self.reading(self.done)

    def catalog(self) -> None:
        """Facilities, categories and products: all of them (a few thousand rows)."""
        rows = {t: self.conn.execute(self._select(t, "")).fetchall() for t in CATALOG}
        for table in CATALOG:
            at = [c.name for c in self._columns(table)].index("id")
            self.known[table] = {row[at] for row in rows[table]}
        for table in CATALOG:  # a product's facility and category are checked too
            self._insert(table, rows[table])
        self._check_missing()

    def copy(self, table: str, where: str, args: dict) -> None:
        query = self._select(table, where, head=table == "audit_event")
        with self.conn.cursor(name=f"lapak_export_{table}") as cur:
            cur.itersize = FETCH
            cur.execute(query, args)
            while rows := cur.fetchmany(FETCH):
                if self.cancel is not None and self.cancel.is_set():
                    raise DomainError("export_cancelled")
                self._insert(table, rows)
        self._check_missing()

    def _check_missing(self) -> None:
        if self.missing:
            raise DomainError("cannot_write", path=str(self.target), reason=self.translate(N_(
                "the central catalog has no row for {count} of the facilities, categories "
                "or products these records name; sync the booths' catalogs first")).format(
                    count=len(self.missing)))

    def commit(self) -> None:
        self.sink.execute("COMMIT")

    def close(self) -> None:
        if self.sink.in_transaction:
            self.sink.execute("ROLLBACK")
        self.sink.close()
