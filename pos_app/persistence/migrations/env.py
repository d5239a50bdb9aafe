"""Alembic environment: migrations run on a connection the app hands in."""

from alembic import context

from pos_app.persistence.models import Base

connection = context.config.attributes["connection"]


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """The FTS5 search index and its shadow tables live outside the models."""
    return not (type_ == "table" and name and name.startswith("product_fts"))


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds tables
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
