"""SQLAlchemy 2 models, the SQLite engine set-up and the Alembic migrations."""

__all__ = ["base", "central", "database", "local", "migrate", "models", "types"]
