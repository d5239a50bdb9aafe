"""Limits that keep head office up when one enrolled booth misbehaves (issue 16, item 7),
against the real PostgreSQL: a held catalog lock makes another booth's sync "busy" (and it
goes through at the next sync), a device role's connection limit and time limits, payloads
over the size limit refused centrally and held back by the booth, catalog work in bounded
transactions, and revocation by head office's non-superuser administrator ending the
device's open sessions."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from psycopg.types.json import Jsonb
from sqlalchemy import func, select

from pos_app.adapters.central import connection, roles
from pos_app.domain.errors import DomainError
from pos_app.domain.ids import CATALOG_TABLES
from pos_app.persistence import central as db
from pos_app.persistence.models import Outbox
from pos_app.services.sync import central, enrollment, sync_catalog
from pos_app.services.sync.sync_catalog import Version, send_versions
from pos_app.services.sync.sync_status import run_sync
from tests.central.conftest import drop_administrator, socket_url

CATALOG_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('lapak_catalog_version', 0))"
HANG_GUARD = 120  # seconds: only so a hang fails the test instead of stalling the run


def a_category(b, **changes) -> Version:
    """One of ``b``'s catalog rows as it goes up (a category), with ``changes``."""
    v = next(v for v in sync_catalog.versions(b) if v.table_name == "category")
    if not changes:
        return v
    new = uuid.uuid4()
    return dataclasses.replace(v, row_id=new, payload={**v.payload, "id": str(new), **changes})


def pending_catalog(b) -> int:
    with b.db.read() as s:
        return s.execute(select(func.count()).select_from(Outbox).where(
            Outbox.table_name.in_(CATALOG_TABLES), Outbox.state == "pending")).scalar_one()


def in_thread(fn):
    """``fn()`` in a thread joined with a hang guard: (returned, raised)."""
    got: dict = {}

    def run():
        try:
            got["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            got["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_GUARD)
    assert not worker.is_alive(), "the sync hung on the held catalog lock"
    return got.get("value"), got.get("error")


def test_a_booth_holding_the_catalog_lock_makes_another_booths_sync_busy_not_hang(
        booth, other, enroll) -> None:
    rogue = other()
    rogue_conn = enroll(rogue)()
    victim = enroll(booth)
    waiting = pending_catalog(booth)
    assert waiting > 0  # the victim's whole catalog still has to go up
    rogue_conn.execute("BEGIN")
    rogue_conn.execute(CATALOG_LOCK)  # as its own role, and kept
    try:
        _, raised = in_thread(lambda: run_sync(booth, connect=victim))
        assert isinstance(raised, DomainError) and raised.code == "central_busy"
        assert "lock timeout" in raised.params["reason"]
        assert pending_catalog(booth) == waiting  # nothing marked sent
        # the server enforces the wait itself: a session that asks to wait for ever
        # (lock_timeout 0) still gives up on the catalog's lock
        with victim() as conn:
            conn.execute("SET lock_timeout = 0")
            v = a_category(booth)
            _, raised = in_thread(lambda: send_versions(
                conn, booth.context.device_id, [v], datetime.now(UTC)))
            assert isinstance(raised, psycopg.errors.LockNotAvailable)
    finally:
        rogue_conn.execute("ROLLBACK")
        rogue_conn.close()
    again = run_sync(booth, connect=victim)  # the next sync goes through
    assert again.catalog.sent == waiting and pending_catalog(booth) == 0


def test_a_device_role_cannot_take_more_than_its_connection_limit(booth, enroll,
                                                                  central_url) -> None:
    connect = enroll(booth)
    held = [connect() for _ in range(roles.DEVICE_CONNECTION_LIMIT)]
    try:
        with pytest.raises(psycopg.OperationalError, match="too many connections"):
            connect()
        with pytest.raises(DomainError) as caught:  # the booth's sync says "busy"
            run_sync(booth, connect=connect)
        assert caught.value.code == "central_busy"
        with psycopg.connect(central_url, autocommit=True) as head_office:  # still gets in
            assert head_office.execute("SELECT 1").fetchone() == (1,)
        for name, value in roles.DEVICE_SETTINGS.items():  # its sessions' time limits
            shown = held[0].execute(f"SHOW {name}").fetchone()[0]
            assert shown == value.replace("120s", "2min"), name
    finally:
        for conn in held:
            conn.close()
    assert run_sync(booth, connect=connect).push.sent > 0  # slots free again


def test_head_office_sessions_have_time_limits(central_url) -> None:
    central.init_central(central_url)
    with connection.connect(connection.params(central_url)) as conn:
        got = [conn.execute(f"SHOW {n}").fetchone()[0] for n in
               ("statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout")]
    assert got == ["10min", "30s", "10min"]


def test_booth_roles_made_before_the_limits_get_them_from_the_upgrade(booth, register,
                                                                     central_url) -> None:
    from alembic import command

    role = enrollment.read_file(register(booth)).user

    def limits() -> tuple:
        with psycopg.connect(central_url, autocommit=True) as conn:
            return conn.execute("SELECT rolconnlimit, coalesce(s.setconfig, '{}')"
                                " FROM pg_roles r LEFT JOIN pg_db_role_setting s"
                                " ON s.setrole = r.oid AND s.setdatabase = 0"
                                " WHERE rolname = %s", (role,)).fetchone()

    assert limits()[0] == roles.DEVICE_CONNECTION_LIMIT
    engine = db.engine(central_url)
    try:
        with engine.begin() as conn:  # back to before the limits: the role as it was made
            cfg = db.alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "c0004")
    finally:
        engine.dispose()
    assert limits() == (-1, [])
    assert central.init_central(central_url).after == db.HEAD
    limit, settings = limits()
    assert limit == roles.DEVICE_CONNECTION_LIMIT
    assert sorted(settings) == sorted(f"{k}={v}" for k, v in roles.DEVICE_SETTINGS.items())


def test_an_oversize_payload_is_refused_centrally(booth, enroll) -> None:
    connect = enroll(booth)
    big = {"name": "x" * (db.MAX_PAYLOAD_BYTES + 1)}
    device = booth.context.device_id
    with connect() as conn:
        with pytest.raises(psycopg.errors.CheckViolation, match="payload_size"):
            conn.execute("INSERT INTO catalog_version (id, device_id, seq, created_at,"
                         " table_name, row_id, revision, payload) VALUES"
                         " (%s, %s, 1, now(), 'category', %s, 1, %s)",
                         (uuid.uuid4(), device, uuid.uuid4(), Jsonb(big)))
        with pytest.raises(psycopg.errors.CheckViolation, match="received_size"):
            conn.execute("INSERT INTO sync_quarantine (record_id, table_name, device_id,"
                         " received, reason) VALUES (%s, 'sale', %s, %s, 'x')",
                         (uuid.uuid4(), device, Jsonb(big)))


def test_the_booth_holds_back_an_oversize_catalog_row_and_the_rest_go_through(
        booth, enroll, central_url) -> None:
    connect = enroll(booth, publish=False)
    big = a_category(booth, code="BIG", name="x" * (db.MAX_PAYLOAD_BYTES + 1))
    ok = a_category(booth)
    with connect() as conn, conn.transaction():
        done = send_versions(conn, booth.context.device_id, [big, ok], datetime.now(UTC))
    assert [v.row_id for v in done.sent] == [ok.row_id]
    assert [(v.row_id, why.split(" (")[0]) for v, why in done.refused] == [
        (big.row_id, "larger than the central limit")]
    with psycopg.connect(central_url, autocommit=True) as conn:
        kept = conn.execute("SELECT received FROM sync_quarantine WHERE record_id = %s",
                            (big.row_id,)).fetchone()[0]
        assert kept["omitted_bytes"] > db.MAX_PAYLOAD_BYTES  # its size, not the payload
        # a new category from a booth is a proposal for head office (central c0009)
        assert conn.execute("SELECT status FROM catalog_version WHERE row_id = %s",
                            (ok.row_id,)).fetchall() == [("proposed",)]
        assert conn.execute("SELECT count(*) FROM category WHERE id = %s",
                            (big.row_id,)).fetchone() == (0,)


def test_catalog_work_goes_up_in_bounded_transactions(booth, enroll, central_url,
                                                      monkeypatch) -> None:
    monkeypatch.setattr(sync_catalog, "CATALOG_BATCH", 7)
    waiting = pending_catalog(booth)
    done = run_sync(booth, connect=enroll(booth, publish=False))  # all sent, as proposals
    assert done.catalog.sent == waiting > 7
    with psycopg.connect(central_url, autocommit=True) as conn:
        per_transaction = [n for (n,) in conn.execute(
            "SELECT count(*) FROM catalog_version GROUP BY received_at")]  # now(): per transaction
    assert max(per_transaction) <= 7
    assert sum(per_transaction) == waiting and len(per_transaction) == -(-waiting // 7)


def test_revoking_ends_the_devices_open_sessions_with_the_readme_administrator(
        pg_server, booth, tmp_path: Path) -> None:
    """As the README sets head office up: a ``CREATEROLE BYPASSRLS`` login owning the
    database, no superuser, no pg_signal_backend."""
    _server, socket_dir = pg_server
    name = f"admin_{uuid.uuid4().hex[:10]}"
    dbname = f"central_{uuid.uuid4().hex[:10]}"
    superuser = socket_url(socket_dir, "postgres")
    with psycopg.connect(superuser, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN CREATEROLE BYPASSRLS PASSWORD 'rahasia'")
        conn.execute(f'CREATE DATABASE "{dbname}" OWNER {name}')
        for group in ("lapak_head_office", "lapak_catalog", "lapak_device"):  # made by an earlier database
            conn.execute(f"""DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE
                rolname = '{group}') THEN GRANT {group} TO {name} WITH ADMIN OPTION;
                END IF; END $$""")
    url = (f"postgresql://{name}:rahasia@/{dbname}?host={quote(str(socket_dir), safe='')}"
           "&sslmode=disable")
    role = "lapak_dev_none"  # until made
    try:
        central.init_central(url)
        out = tmp_path / "kpg-01.lapak-enroll"
        role = central.add_device(url, "KPG-01", out, device_id=booth.context.device_id,
                                  sslmode="disable").role
        device = psycopg.connect(**enrollment.read_file(out).conninfo(), autocommit=True)
        assert device.execute("SELECT current_user").fetchone() == (role,)
        with psycopg.connect(url, autocommit=True) as admin:  # it may not by itself
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                admin.execute("SELECT pg_terminate_backend(%s)", (device.info.backend_pid,))
        done = central.revoke_device(url, "KPG-01")
        assert done.sessions_ended == 1
        with pytest.raises(psycopg.OperationalError):
            device.execute("SELECT 1")
        device.close()
        with psycopg.connect(superuser, autocommit=True) as conn:  # nothing left behind
            assert conn.execute(  # only the ADMIN OPTION CREATE ROLE gave it
                "SELECT m.admin_option, m.inherit_option, m.set_option FROM pg_auth_members m"
                " JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member"
                " WHERE r.rolname = %s AND u.rolname = %s", (role, name)).fetchall() == [
                    (True, False, False)]
        with pytest.raises(psycopg.OperationalError):  # and it cannot come back
            psycopg.connect(**enrollment.read_file(out).conninfo())
    finally:
        with psycopg.connect(superuser, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
            drop_administrator(conn, name)
