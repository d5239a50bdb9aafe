"""Head office without a superuser: the whole round (set-up, enrolling, sync, USB bundle,
end-of-event export, revoking) run by an administrator login the DBA made once, as the
README says: ``CREATEROLE BYPASSRLS``, owner of the central database."""

from __future__ import annotations

import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg

from pos_app.services.sync import central, enrollment
from pos_app.services.sync.bundle import apply_ack, export_bundle
from pos_app.services.sync.bundle_import import import_bundle
from pos_app.services.sync.central_export import export_central
from pos_app.services.sync.sync_status import run_sync
from tests.central.conftest import drop_administrator, published_by_head_office, socket_url
from tests.central.test_push import make_sales


def test_a_non_superuser_administrator_runs_head_office(pg_server, booth, till_shift,
                                                        tmp_path: Path) -> None:
    _server, socket_dir = pg_server
    name = f"admin_{uuid.uuid4().hex[:10]}"
    db = f"central_{uuid.uuid4().hex[:10]}"
    superuser = socket_url(socket_dir, "postgres")
    with psycopg.connect(superuser, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN CREATEROLE BYPASSRLS PASSWORD 'rahasia'")
        conn.execute(f'CREATE DATABASE "{db}" OWNER {name}')
        for group in ("lapak_head_office", "lapak_catalog", "lapak_device"):  # made by an earlier database
            conn.execute(f"""DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE
                rolname = '{group}') THEN GRANT {group} TO {name} WITH ADMIN OPTION;
                END IF; END $$""")
    url = (f"postgresql://{name}:rahasia@/{db}?host={quote(str(socket_dir), safe='')}"
           "&sslmode=disable")
    role = "lapak_dev_none"  # until made
    try:
        central.init_central(url)
        out = tmp_path / "kpg-01.lapak-enroll"
        role = central.add_device(url, "KPG-01", out, device_id=booth.context.device_id).role
        published_by_head_office(url, booth)
        enrollment.enroll(booth, out)
        make_sales(booth, till_shift, 3)
        first = run_sync(booth)  # through the enrollment, as the booth's own role
        assert first.push.sent > 0 and first.catalog.sent > 0 and not first.push.quarantined
        make_sales(booth, till_shift, 2)
        export_bundle(booth, tmp_path / "b.lapak")
        got = import_bundle(tmp_path / "b.lapak", url)
        assert got.inserted > 0 and not got.quarantined
        assert apply_ack(booth, tmp_path / "b.lapak.ack").marked_sent == got.records
        done = export_central(url, tmp_path / "pack", "pack")
        assert done.pack.documents == 5 and done.devices == ("KPG-01",)
        central.revoke_device(url, "KPG-01")
    finally:
        with psycopg.connect(superuser, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
            drop_administrator(conn, name)
