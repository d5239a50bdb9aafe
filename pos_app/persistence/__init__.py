"""SQLAlchemy 2 models, the SQLite engine set-up and the Alembic migrations."""
