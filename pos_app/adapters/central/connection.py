"""Connecting to the central PostgreSQL and saying what went wrong in the booth's words.

psycopg loads on first use (a booth that never syncs never loads it). Callers catch
``except connection.errors() as exc`` and raise :func:`db_error` of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from pos_app.domain.errors import DomainError
from pos_app.persistence import central as db

__all__ = ["connect", "connector", "db_error", "dict_cursor", "errors", "evidence_json",
           "first_line", "is_busy", "is_record_error", "json_size", "json_value", "kept_payload",
           "one_snapshot", "params", "read_only_snapshot", "reason", "retry_errors",
           "select_columns", "too_big"]

# SQLSTATE classes of a rejected record (bad data, a broken constraint, a refused row, a
# trigger's RAISE EXCEPTION, a value past a server limit such as an index row too large),
# as opposed to a lost connection, a timeout or a server in trouble.
RECORD_ERRORS = ("22", "23", "42501", "44", "P0001", "54000")
_UNTRUSTED = ("certificate verify failed", "does not match host name",
              "root certificate file")


def params(url: str) -> dict:
    """libpq parameters of ``url`` (TLS verified unless it says otherwise); a DomainError
    ``central_bad_url`` for something that is not a PostgreSQL address."""
    try:
        return db.conninfo(url)
    except Exception:  # noqa: BLE001 - any parse failure is a bad address
        raise DomainError("central_bad_url") from None


def connect(target: str | dict, **overrides) -> Any:
    """A psycopg connection (not autocommit unless asked)."""
    return db.connect(target, **overrides)


def connector(info: dict, *, autocommit: bool = True) -> Callable[[], Any]:
    """A function that opens a new connection with ``info`` each time it is called."""
    import psycopg

    return lambda: psycopg.connect(**info, autocommit=autocommit)


def errors() -> tuple[type[BaseException], ...]:
    """What a central database call raises when the database or the network fails."""
    import psycopg

    return (psycopg.Error,)


def retry_errors() -> tuple[type[BaseException], ...]:
    """Errors after which the same transaction may simply be tried again."""
    import psycopg

    return (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)


def reason(exc: BaseException) -> str:
    """The server's (or libpq's) first line, without its ``ERROR:``."""
    orig = getattr(exc, "orig", None) or exc
    first = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    return first.removeprefix("ERROR:").strip()


def db_error(exc: BaseException) -> DomainError:
    """The DomainError for a failed central call: denied, untrusted, unreachable or failed."""
    import psycopg

    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, psycopg.errors.InsufficientPrivilege):
        return DomainError("central_denied", reason=reason(exc))
    if is_busy(orig):
        return DomainError("central_busy", reason=reason(exc))
    if isinstance(orig, psycopg.OperationalError) and getattr(orig, "sqlstate", None) is None:
        text = str(orig)  # libpq's own words: the one place an untrusted server shows
        if any(m in text for m in _UNTRUSTED):
            return DomainError("central_untrusted", reason=reason(exc))
        return DomainError("central_unreachable", reason=reason(exc))  # never got an answer
    return DomainError("central_failed", reason=reason(exc))


def is_busy(exc: BaseException) -> bool:
    """Did the server give up waiting (a lock held elsewhere, a statement over its time) or
    turn the login away for its role's connection limit? Worth trying again later."""
    import psycopg

    if isinstance(exc, psycopg.errors.LockNotAvailable | psycopg.errors.QueryCanceled):
        return True
    return isinstance(exc, psycopg.OperationalError) and "too many connections" in str(exc)


def is_record_error(exc: BaseException) -> bool:
    """Was one record refused (as opposed to the database or the network failing as a
    whole)? By the server (a check, a unique key, a value too long, the row-level security)
    or by psycopg before it was sent (a NUL byte in a text, a text it cannot encode)."""
    import psycopg

    if (getattr(exc, "sqlstate", None) or "").startswith(RECORD_ERRORS):
        return True
    client_side = isinstance(exc, psycopg.DataError) and getattr(exc, "sqlstate", None) is None
    return client_side or isinstance(exc, UnicodeError)


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]


def json_value(value: Any) -> Any:
    """``value`` bound as JSONB."""
    from psycopg.types.json import Jsonb

    return Jsonb(value)


def json_size(value: Any) -> int:
    """About how many bytes ``value`` takes as JSONB text centrally (a little more, never
    much less: PostgreSQL writes the same separators and UTF-8)."""
    import json

    text = json.dumps(value, ensure_ascii=False, default=str)
    return len(text.encode("utf-8", "backslashreplace"))  # a lone surrogate: as its escape


def too_big(value: Any) -> bool:
    """Over the central limit for a catalog version's or a quarantined record's payload."""
    return json_size(value) > db.MAX_PAYLOAD_BYTES


def kept_payload(value: Any) -> Any:
    """What a quarantine row keeps of a payload: all of it, or for one over half the limit
    only its size (the central CHECK refuses a row over the limit, which would fail the
    whole batch)."""
    size = json_size(value)
    return value if size <= db.MAX_PAYLOAD_BYTES // 2 else {"omitted_bytes": size}


def _storable(value: Any) -> Any:
    if isinstance(value, str):  # JSONB holds no NUL; a lone surrogate cannot be encoded
        return value.replace("\x00", "\\u0000").encode("utf-8", "backslashreplace").decode()
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value


def evidence_json(value: Any) -> Any:
    """``value`` bound as JSONB for the quarantine, whatever text it holds: a NUL byte is kept
    as the six characters ``\\u0000``, an unencodable character as its escape, so that the
    refused record itself can always be kept as evidence."""
    import json

    from psycopg.types.json import Jsonb

    return Jsonb(_storable(value), dumps=json.dumps)


def dict_cursor(conn) -> Any:
    """A cursor whose rows are dicts by column name."""
    from psycopg.rows import dict_row

    return conn.cursor(row_factory=dict_row)


@contextmanager
def one_snapshot(conn) -> Iterator[Any]:
    """A REPEATABLE READ transaction on ``conn`` with a dict cursor: every read inside sees
    the same committed state. ``conn``'s isolation level is put back afterwards."""
    from psycopg import IsolationLevel

    before = conn.isolation_level
    conn.isolation_level = IsolationLevel.REPEATABLE_READ
    try:
        with conn.transaction(), dict_cursor(conn) as cur:
            yield cur
    finally:
        conn.isolation_level = before


def read_only_snapshot(conn) -> None:
    """From now on ``conn`` reads in REPEATABLE READ, read-only: one snapshot per transaction."""
    from psycopg import IsolationLevel

    conn.isolation_level = IsolationLevel.REPEATABLE_READ
    conn.read_only = True


def select_columns(table: str, columns: Sequence[str], where: str = "", *,
                   distinct_on: str | None = None, order_by: Sequence[str] = (),
                   alias: str | None = None) -> Any:
    """``SELECT [DISTINCT ON (distinct_on)] columns FROM table where [ORDER BY ...]`` with
    every name quoted; ``where`` is SQL text with ``%(name)s`` parameters. An order column
    ending in `` DESC`` sorts downwards. ``alias``: the table is named so in ``where``, and
    every column is taken from it."""
    from psycopg import sql

    def name(c: str):
        return sql.SQL(f"{alias}.") + sql.Identifier(c) if alias else sql.Identifier(c)

    query = sql.SQL("SELECT {}{} FROM {}{} {}").format(
        sql.SQL("DISTINCT ON ({}) ").format(name(distinct_on)) if distinct_on
        else sql.SQL(""),
        sql.SQL(", ").join(name(c) for c in columns),
        sql.Identifier(table), sql.SQL(f" {alias}" if alias else ""), sql.SQL(where))
    if order_by:
        query += sql.SQL(" ORDER BY ") + sql.SQL(", ").join(
            name(c.removesuffix(" DESC")) + sql.SQL(" DESC" if c.endswith(" DESC") else "")
            for c in order_by)
    return query
