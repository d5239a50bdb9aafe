"""Where the booth stands with the central database: what is still unsent, how old the oldest
unsent sale is, what was quarantined, and how the last push ended.

Also :func:`connect_from_enrollment`: the psycopg connection as this device's own role, from
what ``pos-app enroll`` stored (the settings say where, the keyring or its fallback file holds
the password). TLS is ``verify-full`` unless the enrollment says otherwise.

The last push is kept in two settings, ``sync_last_at`` (ISO time, UTC) and
``sync_last_result`` (a :class:`~pos_app.services.sync.record.SyncRecord` as JSON: figures,
or the error's code and parameters); :func:`run_push` and :func:`run_sync` write them whether
the sync succeeds or fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal_column, select

from pos_app.adapters.central import connection
from pos_app.domain.errors import N_, DomainError
from pos_app.domain.ids import CATALOG_TABLES
from pos_app.persistence.models import PUSHED, Outbox, Sale
from pos_app.services.setup.booth import Booth, read_settings, write_setting
from pos_app.services.sync import high_marks, journal_head
from pos_app.services.sync.record import SyncRecord, failure_of, record_of
from pos_app.services.sync.sync_catalog import CatalogResult, sync_catalog
from pos_app.services.sync.sync_push import Progress, PushResult, push

LAST_AT = "sync_last_at"
LAST_RESULT = "sync_last_result"

NOT_ENROLLED = N_("This booth is not enrolled with a central database; run "
                  "`pos-app enroll FILE` first")
NO_SECRETS = N_("The central database password of this booth is missing; enroll it again")


class NotEnrolled(Exception):
    """The booth has no (usable) enrollment. ``msgid`` is the English message to translate."""

    def __init__(self, msgid: str) -> None:
        self.msgid = msgid
        super().__init__(msgid)


@dataclass(frozen=True)
class SyncStatus:
    unsynced: int  # append-only records waiting to be pushed
    oldest_unsynced_sale_at: datetime | None  # the oldest sale still waiting (UTC)
    quarantined: int  # records set aside: same id centrally with a different payload, ...
    catalog_pending: int  # catalog changes waiting to go up as versions
    enrolled: bool
    last_push_at: datetime | None
    last_result: SyncRecord
    warn_hours: float

    def oldest_age_hours(self, now: datetime) -> float | None:
        if self.oldest_unsynced_sale_at is None:
            return None
        return max(0.0, (now - self.oldest_unsynced_sale_at).total_seconds() / 3600)

    def warning(self, now: datetime) -> bool:
        """True when the oldest unsent sale is older than ``sync_warn_hours``."""
        age = self.oldest_age_hours(now)
        return age is not None and age > self.warn_hours


def _when(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


# Spelled out, not bound: SQLite uses the partial index on pending outbox rows
# (``ix_outbox_pending_table``) only when the query names its condition literally, and
# then reads what is still waiting rather than every row the event has ever sent.
PENDING = literal_column("'pending'")


def status(booth: Booth) -> SyncStatus:
    """One read transaction over the pending rows only; cheap at any size of the event."""
    with booth.db.read() as s:
        unsynced = s.execute(select(func.count()).where(
            Outbox.state == PENDING, Outbox.table_name.in_(PUSHED))).scalar_one()
        catalog = s.execute(select(func.count()).where(
            Outbox.state == PENDING, Outbox.table_name.in_(CATALOG_TABLES))).scalar_one()
        set_aside = s.execute(select(func.count()).where(
            Outbox.state == "quarantined")).scalar_one()
        oldest = s.execute(select(func.min(Sale.created_at)).select_from(Outbox).join(
            Sale, Sale.id == Outbox.record_id).where(
            Outbox.state == PENDING, Outbox.table_name == "sale")).scalar_one()
        settings = read_settings(s)
    return SyncStatus(
        unsynced=unsynced, oldest_unsynced_sale_at=oldest,
        quarantined=set_aside, catalog_pending=catalog,
        enrolled=bool(settings.central_host),
        last_push_at=_when(settings.sync_last_at),
        last_result=SyncRecord.from_json(settings.sync_last_result),
        warn_hours=float(settings.sync_warn_hours))


def quarantined_records(booth: Booth, limit: int) -> list[tuple[str, uuid.UUID, str]]:
    """The first ``limit`` records set aside, oldest first: (table, record id, reason)."""
    with booth.db.read() as s:
        rows = s.execute(select(Outbox.table_name, Outbox.record_id, Outbox.last_error)
                         .where(Outbox.state == "quarantined").order_by(Outbox.seq)
                         .limit(limit)).all()
    return [(table, record_id, reason or "") for table, record_id, reason in rows]


def connect_with(params: dict):
    """An autocommit psycopg connection from libpq parameters (as
    :func:`conninfo_from_enrollment` gives them)."""
    return connection.connector(params)()


def conninfo_from_enrollment(booth: Booth) -> dict:
    """libpq parameters for this device's role; :class:`NotEnrolled` when there are none."""
    from pos_app.persistence import central as db
    from pos_app.services.sync.enrollment import load_secrets, sslrootcert

    settings = booth.settings()
    if not settings.central_host or not settings.central_dbname:
        raise NotEnrolled(NOT_ENROLLED)
    secrets = load_secrets(booth.context.device_id)
    if not secrets or not secrets.get("password"):
        raise NotEnrolled(NO_SECRETS)
    params = {"host": settings.central_host, "port": settings.central_port,
              "dbname": settings.central_dbname,
              "user": settings.central_user or secrets.get("user"),
              "password": secrets["password"], "sslmode": settings.central_sslmode}
    # the enrollment's CA certificate (kept in the secrets folder) or the system's roots
    root = sslrootcert(booth.context.device_id, settings.central_sslrootcert,
                       params["sslmode"])
    if root is not None:
        params["sslrootcert"] = root
    return db.conninfo(params)


def device_connector(booth: Booth, central_url: str | None = None) -> Callable[[], object]:
    """How to connect as this device: its enrollment's login, at the enrolled server or, for
    this once, at the server ``central_url`` names (host, port, database, TLS; a user or
    password in it wins). :class:`NotEnrolled` before anything is tried; a bad address is
    ``central_bad_url``. Connections are autocommit: push opens its own transactions."""
    params = conninfo_from_enrollment(booth)
    if central_url:
        params = {**params, **{k: v for k, v in connection.params(central_url).items()
                               if v not in (None, "")}}
    return connection.connector(params, autocommit=True)


def connect_from_enrollment(booth: Booth):
    """A psycopg connection (autocommit) as the device, at its enrolled server."""
    return device_connector(booth)()


def read_record(booth: Booth) -> SyncRecord:
    """How the last sync ended, as remembered (an empty record if none was tried)."""
    return SyncRecord.from_json(booth.settings().sync_last_result)


def _remember(booth: Booth, record: SyncRecord) -> None:
    with booth.db.write() as s:
        write_setting(s, LAST_AT, booth.clock.now().isoformat())
        write_setting(s, LAST_RESULT, record.to_json())


def requeue_quarantined(booth: Booth) -> int:
    """Put the quarantined records back in line (after head office has sorted out why they
    were set aside); returns how many. A record still in conflict is quarantined again,
    nothing more: the central side dedups its quarantine rows and never overwrites."""
    from sqlalchemy import update

    with booth.db.write() as s:
        return s.execute(update(Outbox).where(Outbox.state == "quarantined").values(
            state="pending", last_error=None)).rowcount


def _connector(booth: Booth, connect: Callable[[], object] | None) -> Callable[[], object]:
    return connect if connect is not None else device_connector(booth)


def run_push(booth: Booth, *, batch_size: int | None = None, progress: Progress | None = None,
             connect: Callable[[], object] | None = None) -> PushResult:
    """Push with the enrollment's connection and remember how it ended (also on failure);
    ``batch_size`` None: the ``sync_batch`` setting."""
    connect = _connector(booth, connect)
    if batch_size is None:
        batch_size = booth.settings().sync_batch
    try:
        high_marks.settle(booth, connect)  # after a restore head office was not asked about
        result = push(booth, connect, batch_size=batch_size, progress=progress)
    except DomainError as exc:
        _remember(booth, record_of(None, failure=failure_of("push", exc)))
        raise
    _remember(booth, record_of(result))
    return result


def run_catalog(booth: Booth, connect: Callable[[], object],
                push: PushResult | None = None) -> CatalogResult:
    """The catalog's turn of a sync: this booth's changes up, the central catalog down; and,
    when ``push`` had nothing to send (so it never asked), central's journal head for it."""
    try:
        conn = connect()
    except connection.errors() as exc:
        raise connection.db_error(exc) from None
    try:
        done = sync_catalog(booth, conn)
        if push is not None and push.batches == 0:
            push.journal = journal_head.learn_from(booth, conn)
        return done
    except connection.errors() as exc:
        raise connection.db_error(exc) from None
    finally:
        conn.close()


@dataclass
class SyncResult:
    """One whole sync: the push of records (and, later in the same run, the catalog)."""

    push: PushResult
    record: SyncRecord  # what was remembered as the last result
    catalog: CatalogResult | None = None


def run_sync(booth: Booth, *, batch_size: int | None = None, progress: Progress | None = None,
             connect: Callable[[], object] | None = None) -> SyncResult:
    """Everything one sync does, as the background runner and ``pos-app sync`` call it:
    the records up (:func:`push`), then the catalog up and down (:func:`sync_catalog`).

    Raises :class:`NotEnrolled` (nothing tried) or ``DomainError`` (the central database
    unreachable, refusing, failing); what was done before a failure stays done."""
    connect = _connector(booth, connect)
    result = run_push(booth, batch_size=batch_size, progress=progress, connect=connect)
    try:
        catalog = run_catalog(booth, connect, result)
    except DomainError as exc:
        _remember(booth, record_of(result, failure=failure_of("catalog", exc)))
        raise
    record = record_of(result, catalog)
    _remember(booth, record)
    return SyncResult(result, record, catalog)


__all__ = ["LAST_AT", "LAST_RESULT", "PENDING", "NotEnrolled", "SyncResult",
           "SyncStatus", "connect_from_enrollment", "connect_with", "conninfo_from_enrollment",
           "device_connector", "quarantined_records", "read_record", "requeue_quarantined",
           "run_catalog", "run_push", "run_sync", "status"]
