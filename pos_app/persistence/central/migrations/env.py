"""Alembic environment for the central PostgreSQL: migrations run on a connection handed in."""

from alembic import context

connection = context.config.attributes["connection"]

context.configure(connection=connection, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
