"""``pos-app central init`` and ``add-device`` against a real PostgreSQL: the schema reaches
the migrations' head and stays there, and a booth's role can only add its own rows."""

from __future__ import annotations

import json
import os
import stat
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest

from pos_app.cli.main import main
from pos_app.persistence import central as db
from pos_app.persistence.models import SYNCED_TABLES
from tests.central.conftest import socket_url

OTHER_DEVICE = uuid.UUID("00000000-0000-4000-8000-0000000000aa")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def admin(url: str) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=True)


def as_device(doc: dict) -> psycopg.Connection:
    c = doc["central"]
    return psycopg.connect(host=c["host"], port=c["port"], dbname=c["dbname"],
                           sslmode=c["sslmode"], user=doc["user"], password=doc["password"],
                           autocommit=True)


def sale_row(device_id: uuid.UUID, number: str, total: int) -> dict:
    return {"id": uuid.uuid4(), "device_id": device_id, "seq": 1,
            "created_at": datetime(2026, 11, 21, 11, 30, tzinfo=UTC), "number": number,
            "business_date": date(2026, 11, 21), "cashier_name": "Kasir", "kind": "sale",
            "source": "pos", "subtotal": total, "discount": 0, "tax": 0, "total": total,
            "tendered": total, "change": 0}


def insert_sale(conn: psycopg.Connection, row: dict) -> None:
    cols = ", ".join(f'"{k}"' for k in row)
    marks = ", ".join(["%s"] * len(row))
    conn.execute(f"INSERT INTO sale ({cols}) VALUES ({marks})", list(row.values()))


def enrolled(capsys, url: str, tmp_path: Path, code: str = "KPG-01") -> dict:
    assert run(capsys, "central", "init", "--url", url)[0] == 0
    out = tmp_path / f"{code}.json"
    rc, _, err = run(capsys, "central", "add-device", code, "--url", url, "--out", str(out))
    assert (rc, err) == (0, "")
    return json.loads(out.read_text())


def test_init_twice_reaches_head_and_changes_nothing(capsys, central_url: str) -> None:
    rc, out, err = run(capsys, "central", "init", "--url", central_url)
    assert (rc, err) == (0, "")
    assert out.strip() == f"Central database ready (revision {db.HEAD})"
    with admin(central_url) as conn:
        tables = sorted(r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        policies = conn.execute("SELECT count(*) FROM pg_policies").fetchone()[0]
    assert tables == sorted([*SYNCED_TABLES, "alembic_version", "catalog_version",
                             "device_role", "head_office_key", "journal_anchor", "photo",
                             "sync_quarantine"])

    rc, out, err = run(capsys, "--json", "central", "init", "--url", central_url)
    assert (rc, err) == (0, "")
    assert json.loads(out) == {"before": db.HEAD, "revision": db.HEAD}
    with admin(central_url) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(db.HEAD,)]
        assert conn.execute("SELECT count(*) FROM pg_policies").fetchone()[0] == policies
    # 20 synced tables x 3 policies (the 3 catalog tables: no device_insert, but the
    # owner's catalog_apply for the trigger), catalog_version 4, device_role 2,
    # sync_quarantine 3, journal_anchor 2, the owner's journal_check on audit_event and its
    # read of device for the catalog trigger (c0009), photo 3 (c0012)
    assert policies == 20 * 3 + 4 + 2 + 3 + 2 + 1 + 1 + 3


def test_schema_money_is_bigint_and_ids_are_uuid(capsys, central_url: str) -> None:
    run(capsys, "central", "init", "--url", central_url)
    with admin(central_url) as conn:
        types = dict(((t, c), d) for t, c, d in conn.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public'"))
        device_nullable = conn.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'"
            " AND column_name = 'device_id' AND is_nullable = 'YES'").fetchone()[0]
    for table in SYNCED_TABLES:
        assert types[(table, "id")] == "uuid"
        assert types[(table, "device_id")] == "uuid"
    assert device_nullable == 0
    for money in ("subtotal", "discount", "tax", "total", "tendered", "change"):
        assert types[("sale", money)] == "bigint"
    assert types[("product", "price")] == "bigint"
    assert types[("payment", "amount")] == "bigint"


def test_rls_is_enabled_and_forced_on_every_synced_table(capsys, central_url: str) -> None:
    run(capsys, "central", "init", "--url", central_url)
    with admin(central_url) as conn:
        rows = dict((name, (rls, forced)) for name, rls, forced in conn.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind = 'r'"))
    assert {t: rows[t] for t in SYNCED_TABLES} == {t: (True, True) for t in SYNCED_TABLES}
    assert rows["device_role"][0] is True and rows["sync_quarantine"][0] is True


def test_add_device_writes_a_private_file_and_a_login_role(capsys, central_url: str,
                                                           tmp_path: Path) -> None:
    doc = enrolled(capsys, central_url, tmp_path)
    path = tmp_path / "KPG-01.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    device_id = uuid.UUID(doc["device_id"])
    assert doc["device_code"] == "KPG-01"
    # a random name: pg_roles, which every login reads, tells nobody a device id
    assert doc["user"].startswith("lapak_dev_") and device_id.hex not in doc["user"]
    # booths verify the server whatever the admin's own URL says (sslmode=disable here)
    assert doc["central"]["sslmode"] == "verify-full"
    assert "ca_pem" not in doc["central"]  # no --ca: the booth's system trusted roots
    assert doc["central"]["dbname"] == central_url.split("/")[3].split("?")[0]
    assert len(bytes.fromhex(doc["signing_key"])) == 32
    assert len(doc["password"]) >= 40
    with admin(central_url) as conn:
        role = conn.execute(
            "SELECT rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb,"
            " pg_has_role(rolname, 'lapak_device', 'MEMBER') FROM pg_roles WHERE rolname = %s",
            (doc["user"],)).fetchone()
        registry = conn.execute("SELECT device_id, code, role_name FROM device_role").fetchall()
    assert role == (True, False, False, False, False, True)
    assert registry == [(device_id, "KPG-01", doc["user"])]

    # the same code again is refused and writes no file
    again = tmp_path / "again.json"
    rc, out, err = run(capsys, "central", "add-device", "kpg-01", "--url", central_url,
                       "--out", str(again))
    assert rc == 1 and out == ""
    assert err == f"pos-app: Device KPG-01 ({device_id}) is already registered centrally\n"
    assert not again.exists()


def test_device_role_may_only_add_its_own_rows(capsys, central_url: str,
                                               tmp_path: Path) -> None:
    doc = enrolled(capsys, central_url, tmp_path)
    me = uuid.UUID(doc["device_id"])
    theirs = sale_row(OTHER_DEVICE, "KPG-02-000001", 50_000)
    with admin(central_url) as conn:  # another booth's sale and a head-office product
        insert_sale(conn, theirs)
        conn.execute(
            "INSERT INTO facility (id, device_id, created_at, revision, updated_at, code, name,"
            " kind, region, active, pnbp_bp, premi_bp, modal_bp, program_bp) VALUES"
            " (%s, %s, now(), 1, now(), 'LPKPG', 'Lapas Kupang', 'Lapas', 'NTT', true,"
            " 0, 0, 0, 0)", (uuid.uuid4(), OTHER_DEVICE))

    with as_device(doc) as conn:
        mine = sale_row(me, "KPG-01-000001", 125_000)
        insert_sale(conn, mine)
        assert conn.execute("SELECT id, total FROM sale").fetchall() == [(mine["id"], 125_000)]
        assert conn.execute("SELECT code FROM facility").fetchall() == [("LPKPG",)]

        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            insert_sale(conn, sale_row(OTHER_DEVICE, "KPG-02-000002", 1_000))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE sale SET total = 1 WHERE id = %s", (mine["id"],))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM sale WHERE id = %s", (mine["id"],))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE facility SET name = 'x'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the catalog: versions only
            conn.execute("DELETE FROM facility")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO facility (id, device_id, created_at, revision, updated_at, code,"
                " name, kind, region, active, pnbp_bp, premi_bp, modal_bp, program_bp) VALUES"
                " (%s, %s, now(), 1, now(), 'X', 'X', 'Lapas', '', true, 0, 0, 0, 0)",
                (uuid.uuid4(), me))
        version = ("INSERT INTO catalog_version (id, device_id, created_at, table_name, row_id,"
                   " revision, payload) VALUES (%s, %s, now(), 'facility', %s, 9, '{}')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(version, (uuid.uuid4(), OTHER_DEVICE, uuid.uuid4()))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE catalog_version SET revision = 99")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM catalog_version")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM device_role")
        # another booth's sale cannot even be seen by id
        assert conn.execute("SELECT count(*) FROM sale WHERE id = %s",
                            (theirs["id"],)).fetchone() == (0,)
        assert conn.execute("SELECT device_id FROM device_role").fetchall() == [(me,)]

    with admin(central_url) as conn:  # nothing changed
        assert sorted(conn.execute("SELECT number, total FROM sale").fetchall()) == [
            ("KPG-01-000001", 125_000), ("KPG-02-000001", 50_000)]


def test_device_role_needs_its_password(capsys, central_url: str, tmp_path: Path) -> None:
    doc = enrolled(capsys, central_url, tmp_path)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        as_device({**doc, "password": doc["password"][:-1] + "x"})


def test_head_office_reads_everything_and_writes_nothing(capsys, central_url: str,
                                                         tmp_path: Path) -> None:
    doc = enrolled(capsys, central_url, tmp_path)
    with as_device(doc) as conn:
        insert_sale(conn, sale_row(uuid.UUID(doc["device_id"]), "KPG-01-000001", 125_000))
    name = f"ho_{uuid.uuid4().hex[:12]}"
    with admin(central_url) as conn:
        insert_sale(conn, sale_row(OTHER_DEVICE, "KPG-02-000001", 50_000))
        conn.execute(f"CREATE ROLE {name} LOGIN PASSWORD 'kantor-pusat' IN ROLE"
                     " lapak_head_office")
    socket_dir = central_url.split("host=")[1].split("&")[0]
    url = socket_url(Path(socket_dir.replace("%2F", "/")), central_url.split("/")[3]
                     .split("?")[0], user=name)
    with psycopg.connect(url, password="kantor-pusat", autocommit=True) as conn:
        assert conn.execute("SELECT sum(total), count(*) FROM sale").fetchone() == (175_000, 2)
        assert conn.execute("SELECT count(*) FROM device_role").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            insert_sale(conn, sale_row(OTHER_DEVICE, "KPG-02-000009", 1))
        # deciding the catalog is lapak_catalog's, not a report user's (c0009)
        for call in ("lapak_catalog_accept(1)", "lapak_catalog_reject(1, 'x')",
                     "lapak_catalog_revert(1)",
                     f"lapak_catalog_revert_device('{OTHER_DEVICE}'::uuid)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT {call}")


def test_bad_address_and_unreachable_server_are_one_line(capsys, tmp_path: Path) -> None:
    rc, out, err = run(capsys, "central", "init", "--url", "not a url")
    assert (rc, out) == (1, "")
    assert err.startswith("pos-app: Not a PostgreSQL address") and err.count("\n") == 1
    missing = tmp_path / "nosocket"
    missing.mkdir()
    rc, out, err = run(capsys, "central", "init", "--url", socket_url(missing, "x"))
    assert (rc, out) == (1, "")
    assert err.startswith("pos-app: Cannot reach the central database: ")
    assert err.count("\n") == 1


def test_tls_is_verified_unless_the_address_says_otherwise() -> None:
    assert db.conninfo("postgresql://pos@central.example.id/lapak")["sslmode"] == "verify-full"
    assert db.conninfo("host=central.example.id dbname=lapak")["sslmode"] == "verify-full"
    assert db.conninfo("postgresql://pos@/lapak?host=/run/pg&sslmode=disable")["sslmode"] == \
        "disable"
    with pytest.raises(ValueError):
        db.conninfo("postgresql://pos@h/lapak?sslmode=sometimes")


def test_a_revoked_device_can_no_longer_log_in_or_write(capsys, central_url: str,
                                                        tmp_path: Path) -> None:
    doc = enrolled(capsys, central_url, tmp_path)
    me = uuid.UUID(doc["device_id"])
    session = as_device(doc)  # a session open while head office revokes
    insert_sale(session, sale_row(me, "KPG-01-000001", 10_000))

    rc, out, err = run(capsys, "--json", "central", "revoke-device", "kpg-01", "--url",
                       central_url)
    assert (rc, err) == (0, "")
    res = json.loads(out)
    assert res["device_code"] == "KPG-01" and res["sessions_ended"] == 1
    with pytest.raises(psycopg.OperationalError):  # the open session was ended
        insert_sale(session, sale_row(me, "KPG-01-000002", 10_000))
    session.close()
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        as_device(doc)
    with admin(central_url) as conn:
        assert conn.execute("SELECT number FROM sale").fetchall() == [("KPG-01-000001",)]
        assert conn.execute("SELECT revoked_at IS NOT NULL FROM device_role").fetchall() == [
            (True,)]
        # even a session that got past the login has no device under the policies now
        conn.execute(f'SET ROLE "{doc["user"]}"')
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            insert_sale(conn, sale_row(me, "KPG-01-000003", 10_000))
        conn.execute("RESET ROLE")

    rc, out, err = run(capsys, "central", "revoke-device", "KPG-09", "--url", central_url)
    assert (rc, out) == (1, "")
    assert err == "pos-app: No device KPG-09 is registered centrally\n"
