"""The SQLite engine (WAL, synchronous=FULL, foreign keys) and the unit of work.

Services open ``db.write()`` for a ``BEGIN IMMEDIATE`` transaction that commits on exit, or
``db.read()`` for a consistent read snapshot. Nothing else in the app holds a session.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from pos_app.domain.errors import DomainError, os_reason

SQLITE_HEADER = b"SQLite format 3\x00"
# The write-ahead log is copied back into the database off the sale path once it holds this
# much (see Database.checkpoint); SQLite's own checkpoint at 1,000 pages (about 4 MB) stays as
# the fallback, but it runs inside whichever commit crosses the mark - at a million past sales
# that was one checkout in a few hundred taking over a second.
WAL_TIDY_BYTES = 1 << 20


def check_sqlite_file(path: Path) -> None:
    """Refuse to open something that exists but is not an SQLite database (a folder, a file
    that cannot be read or holds something else)."""
    if path.is_dir():
        raise DomainError("database_is_folder", path=str(path))
    try:
        if path.exists() and path.stat().st_size > 0:
            with path.open("rb") as fh:
                head = fh.read(16)
        else:
            return
    except OSError as exc:
        raise DomainError("database_unreadable", path=str(path), reason=os_reason(exc)) from exc
    if head != SQLITE_HEADER:
        raise DomainError("bad_database", path=str(path))


def is_read_only(path: Path) -> bool:
    """True when the database file exists but cannot be opened for writing: on read-only
    media (a CD, a write-protected stick: EROFS, even for root) or without the permission."""
    try:
        with path.open("r+b"):
            return False
    except FileNotFoundError:
        return False
    except OSError as exc:
        return exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)


def damaged(exc: BaseException) -> bool:
    """Whether an SQLite error says the file is damaged (a sound header, broken pages)."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def _read_only_engine(path: Path) -> Engine:
    """Every connection read-only and immutable: nothing is written, not even the ``-shm``
    a WAL database would want beside it (the folder may be read-only too)."""
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    engine = create_engine("sqlite://", poolclass=QueuePool, creator=lambda: sqlite3.connect(
        uri, uri=True, check_same_thread=False, timeout=10))  # a pool as for a file

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def make_engine(path: Path) -> Engine:
    """An engine whose every connection is durable: WAL + synchronous=FULL + foreign keys."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": 10},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
        dbapi_conn.isolation_level = None  # the driver stays out; we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Database:
    """One booth database file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        check_sqlite_file(self.path)
        # on read-only media every command that only reads still works; a write is refused
        # as ``database_read_only`` (see _io_error), never half done
        self.read_only = is_read_only(self.path)
        if self.read_only:
            self.engine = _read_only_engine(self.path)
            self.engine.lapak_read_only = True  # migrate.upgrade refuses rather than writes
            self.engine.lapak_path = self.path
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.engine = make_engine(self.path)
        self._writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A ``BEGIN IMMEDIATE`` transaction: committed (and on disk) when the block ends."""
        with self._said(writing=True), Session(self._writer, expire_on_commit=False) as session, \
                session.begin():
            yield session

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """``BEGIN IMMEDIATE`` on a bare Core connection: the checkout hot path, no Session."""
        with self._said(writing=True), self._writer.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read snapshot (a deferred transaction); rows read stay usable afterwards."""
        with self._said(writing=False), Session(self.engine, expire_on_commit=False) as session, \
                session.begin():
            yield session

    @contextmanager
    def _said(self, *, writing: bool) -> Iterator[None]:
        """SQLite's errors as the user hears them: damaged pages as ``database_damaged``; in a
        write, a locked, read-only or failing file as :func:`_io_error` says. Anything else (a
        constraint) stays itself. Both SQLAlchemy's and the driver's (raw cursors)."""
        try:
            yield
        except (OperationalError, sqlite3.OperationalError) as exc:
            if writing:
                raise _io_error(exc, self.path) from exc
            if damaged(exc):
                raise DomainError("database_damaged", path=str(self.path)) from exc
            raise
        except (DatabaseError, sqlite3.DatabaseError) as exc:
            if damaged(exc):
                raise DomainError("database_damaged", path=str(self.path)) from exc
            raise

    def check_whole(self) -> None:
        """SQLite's ``quick_check`` over every page: ``database_damaged`` unless sound."""
        with self.read() as s:
            found = s.connection().exec_driver_sql("PRAGMA quick_check").fetchall()
        if found != [("ok",)]:
            raise DomainError("database_damaged", path=str(self.path))

    def wal_bytes(self) -> int:
        """The size of the write-ahead log file (0 when there is none)."""
        try:
            return self.path.with_name(self.path.name + "-wal").stat().st_size
        except OSError:
            return 0

    def checkpoint(self, at_least: int | None = None) -> bool:
        """Copy the write-ahead log back into the database when it holds ``at_least`` bytes.

        PASSIVE: it neither waits for nor blocks a writer or a reader, so it can run on a
        thread of its own while the till sells; what it cannot copy now waits for the next
        time. Returns whether a checkpoint ran."""
        if self.wal_bytes() < (WAL_TIDY_BYTES if at_least is None else at_least):
            return False
        conn = self.engine.raw_connection()
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            conn.close()
        return True

    def dispose(self) -> None:
        self.engine.dispose()


def _io_error(exc: DatabaseError | sqlite3.DatabaseError,
              path: Path | None = None) -> DomainError:
    orig = getattr(exc, "orig", None)
    text = str(orig) if orig is not None else str(exc)
    if "readonly" in text or "read-only" in text:
        return DomainError("database_read_only", path=str(path or ""))
    if "locked" in text or "busy" in text:
        return DomainError("database_busy")
    if damaged(exc) and path is not None:
        return DomainError("database_damaged", path=str(path))
    return DomainError("database_io", reason=text)
