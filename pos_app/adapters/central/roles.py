"""The login roles of booths on the central PostgreSQL: made when a booth is registered,
locked when it is revoked. Role names go in as quoted identifiers, passwords only as
SCRAM verifiers (never in clear, so never in a server log).

A booth's role has a ``CONNECTION LIMIT`` and its own time limits (``DEVICE_SETTINGS``), the
same the central migration ``c0005`` gives roles made before it: one booth cannot take every
connection slot, and its stuck session cannot hold a lock for long.
"""

from __future__ import annotations

__all__ = ["DEVICE_CONNECTION_LIMIT", "DEVICE_SETTINGS", "create_device_role", "end_sessions",
           "forbid_login", "limit_device_role", "rename_role", "set_password"]

DEVICE_CONNECTION_LIMIT = 4  # a sync uses one or two at a time
DEVICE_SETTINGS = {"statement_timeout": "120s", "lock_timeout": "10s",
                   "idle_in_transaction_session_timeout": "120s"}


def create_device_role(conn, role: str, verifier: str, member_of: str) -> None:
    """A LOGIN role with no other power than being a member of ``member_of``, limited."""
    from psycopg import sql

    conn.execute(sql.SQL(
        "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"
        " NOREPLICATION INHERIT PASSWORD {} IN ROLE {}").format(
            sql.Identifier(role), sql.Literal(verifier), sql.Identifier(member_of)))
    limit_device_role(conn, role)


def limit_device_role(conn, role: str) -> None:
    """``role``'s connection limit and its sessions' default time limits."""
    from psycopg import sql

    conn.execute(sql.SQL("ALTER ROLE {} CONNECTION LIMIT {}").format(
        sql.Identifier(role), sql.Literal(DEVICE_CONNECTION_LIMIT)))
    for name, value in DEVICE_SETTINGS.items():
        conn.execute(sql.SQL("ALTER ROLE {} SET {} = {}").format(
            sql.Identifier(role), sql.Identifier(name), sql.Literal(value)))


def set_password(conn, role: str, verifier: str) -> None:
    """Replace ``role``'s password with the SCRAM ``verifier`` (the old one stops working)."""
    from psycopg import sql

    conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
        sql.Identifier(role), sql.Literal(verifier)))


def rename_role(conn, old: str, new: str) -> None:
    """Give ``old`` the name ``new`` (its SCRAM password survives; its sessions stay open)."""
    from psycopg import sql

    conn.execute(sql.SQL("ALTER ROLE {} RENAME TO {}").format(
        sql.Identifier(old), sql.Identifier(new)))


def forbid_login(conn, role: str) -> None:
    from psycopg import sql

    conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(role)))


def _terminate(conn, role: str) -> int:
    return conn.execute(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
        " FROM pg_stat_activity WHERE usename = %s", (role,)).fetchone()[0]


def end_sessions(conn, role: str) -> int | None:
    """End ``role``'s open sessions; how many ended, or None when this login may not.

    A superuser or a member of ``pg_signal_backend`` may end any booth's session. Head
    office's administrator (``CREATEROLE``, see the README) may not by itself, but it holds
    ADMIN OPTION on the booth roles it made: for this one transaction it takes membership
    of ``role`` (which gives the right to signal that role's sessions), ends them and
    gives the membership back. A role made by another administrator: None (the row-level
    security refuses the revoked device all the same)."""
    import psycopg
    from psycopg import sql

    try:
        with conn.transaction():
            return _terminate(conn, role)
    except psycopg.errors.InsufficientPrivilege:
        pass
    try:
        with conn.transaction():
            conn.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(sql.Identifier(role)))
            ended = _terminate(conn, role)
            conn.execute(sql.SQL("REVOKE {} FROM CURRENT_USER").format(sql.Identifier(role)))
            return ended
    except psycopg.errors.InsufficientPrivilege:
        return None
