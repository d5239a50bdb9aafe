"""The central PostgreSQL client: connecting and reading its errors (``connection``), a batch of
records sent in one transaction (``send``), the bulk ``COPY`` path (``bulk``) and the
booths' login roles (``roles``).

psycopg is imported here (and in ``persistence``) only, and only when a connection is made.
"""

__all__ = ["bulk", "connection", "roles", "send"]
