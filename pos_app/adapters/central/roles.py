"""The login roles of booths on the central PostgreSQL: made when a booth is registered,
locked when it is revoked. Role names go in as quoted identifiers, passwords only as
SCRAM verifiers (never in clear, so never in a server log)."""

from __future__ import annotations

__all__ = ["create_device_role", "end_sessions", "forbid_login"]


def create_device_role(conn, role: str, verifier: str, member_of: str) -> None:
    """A LOGIN role with no other power than being a member of ``member_of``."""
    from psycopg import sql

    conn.execute(sql.SQL(
        "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"
        " NOREPLICATION INHERIT PASSWORD {} IN ROLE {}").format(
            sql.Identifier(role), sql.Literal(verifier), sql.Identifier(member_of)))


def forbid_login(conn, role: str) -> None:
    from psycopg import sql

    conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(role)))


def end_sessions(conn, role: str) -> int:
    """End ``role``'s open sessions; how many ended (0 without pg_signal_backend: the
    row-level security still refuses a revoked device)."""
    import psycopg

    try:
        with conn.transaction():
            return conn.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                " FROM pg_stat_activity WHERE usename = %s", (role,)).fetchone()[0]
    except psycopg.errors.InsufficientPrivilege:
        return 0
