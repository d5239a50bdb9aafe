"""The central PostgreSQL: connection settings (TLS verified by default) and its own Alembic
migrations (``migrations/``, apart from the booth's SQLite ones).

A connection target is a libpq URL or key/value string. Unless it names an ``sslmode``
explicitly, ``verify-full`` is used: the server's certificate must chain to a trusted CA and
name the host. A local test server over a Unix socket says ``sslmode=disable`` itself.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

__all__ = ["CONNECT_TIMEOUT", "DEFAULT_SSLMODE", "DEVICE_ROLE", "HEAD", "HEAD_OFFICE_ROLE",
           "HEAD_OFFICE_SESSION", "MAX_PAYLOAD_BYTES", "MIGRATIONS", "SSLMODES", "alembic_config", "connect", "conninfo", "current_revision",
           "engine", "known_revisions", "upgrade"]

HEAD = "c0012"
MIGRATIONS = Path(__file__).parent / "migrations"
DEFAULT_SSLMODE = "verify-full"
SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
HEAD_OFFICE_ROLE = "lapak_head_office"
DEVICE_ROLE = "lapak_device"
CONNECT_TIMEOUT = 15  # seconds
HEAD_OFFICE_SESSION = ("-c statement_timeout=10min -c lock_timeout=30s"
                       " -c idle_in_transaction_session_timeout=10min")
MAX_PAYLOAD_BYTES = 256 * 1024  # a catalog version's or a quarantined record's JSON (c0005)


def conninfo(target: str | dict) -> dict:
    """libpq connection parameters of ``target`` with the TLS default applied.

    Raises ``ValueError`` for something that is not a PostgreSQL address."""
    from psycopg.conninfo import conninfo_to_dict

    if isinstance(target, dict):
        params = dict(target)
    else:
        if not target.startswith(("postgresql://", "postgres://")) and "=" not in target:
            raise ValueError("not a PostgreSQL address")
        params = conninfo_to_dict(target)
    params = {k: v for k, v in params.items() if v is not None}
    params.setdefault("sslmode", DEFAULT_SSLMODE)
    if params["sslmode"] not in SSLMODES:
        raise ValueError(f"unknown sslmode {params['sslmode']}")
    params.setdefault("connect_timeout", CONNECT_TIMEOUT)
    return params


def connect(target: str | dict, **overrides):
    """A psycopg connection (not autocommit), as head office: with ``HEAD_OFFICE_SESSION``'s
    time limits unless the target gives its own ``options``."""
    import psycopg

    params = conninfo(target)
    params.setdefault("options", HEAD_OFFICE_SESSION)
    return psycopg.connect(**{**params, **overrides})


def engine(target: str | dict) -> Engine:
    """A SQLAlchemy engine whose connections are made exactly as :func:`connect` makes them."""
    params = conninfo(target)
    return create_engine("postgresql+psycopg://", creator=lambda: connect(params),
                         poolclass=NullPool)


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    if conn.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None:
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(conn: Connection) -> None:
    """Run the central migrations up to ``HEAD`` on ``conn`` (in its transaction)."""
    from alembic import command

    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")
