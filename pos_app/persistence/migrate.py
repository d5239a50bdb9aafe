"""Bring a database to the current schema on start (Alembic), cheaply when it already is.

Alembic is imported only when the stored revision differs from ``HEAD``; a test keeps
``HEAD`` equal to the newest migration file.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError

from pos_app.domain.errors import DomainError

HEAD = "0010"
MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            has_table = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).first()
            if not has_table:
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DatabaseError as exc:
        from pos_app.persistence.database import damaged

        where = str(engine.url.database or getattr(engine, "lapak_path", ""))
        if damaged(exc):
            raise DomainError("database_damaged", path=where) from exc
        raise DomainError("bad_database", path=where) from exc


def upgrade(engine: Engine) -> bool:
    """Migrate to ``HEAD``; returns True when anything ran. Refuses newer databases."""
    current = current_revision(engine)
    if current == HEAD:
        return False
    if getattr(engine, "lapak_read_only", False):
        raise DomainError("database_read_only_old", path=str(engine.lapak_path))
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = alembic_config()
    known = {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}
    if current is not None and current not in known:
        raise DomainError("db_newer", revision=current)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True
