"""The sync status (unsent, oldest unsent sale, quarantined, last push), the connection made
from the stored enrollment, and ``pos-app sync``, against a real PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from pos_app.cli.main import main
from pos_app.domain.errors import DomainError
from pos_app.persistence.models import PUSHED, Outbox, Sale
from pos_app.services.setup.booth import Booth, write_setting
from pos_app.services.sync import enrollment
from pos_app.services.sync.record import PushFigures, describe
from pos_app.services.sync.sync_status import (
    NotEnrolled,
    connect_from_enrollment,
    conninfo_from_enrollment,
    run_push,
    status,
)
from tests.central.test_push import _insert_as_admin, _local_row, central_ids, make_sales


@pytest.fixture
def enrolled(register, secrets: Path, booth: Booth) -> Path:
    """The demo booth enrolled (``pos-app enroll``'s service) with a file pointing at the test
    server's socket, ``sslmode=disable``."""
    out = register(booth, sslmode="disable")
    enrollment.enroll(booth, out, actor="test")
    return out


def _set(booth: Booth, **values: str) -> None:
    with booth.db.write() as s:
        for k, v in values.items():
            write_setting(s, k, v)
    booth.refresh()


def _pending(booth: Booth) -> int:
    with booth.db.read() as s:
        return s.execute(select(func.count()).where(
            Outbox.state == "pending", Outbox.table_name.in_(PUSHED))).scalar_one()


def test_status_counts_unsent_and_the_oldest_unsent_sale(secrets, booth, till_shift, clock) -> None:
    before = status(booth)
    assert before.oldest_unsynced_sale_at is None and not before.enrolled
    assert before.last_push_at is None and before.last_result.empty
    make_sales(booth, till_shift, 3)
    st = status(booth)
    with booth.db.read() as s:
        first = s.execute(select(func.min(Sale.created_at))).scalar_one()
    assert st.unsynced == _pending(booth) > before.unsynced
    assert st.oldest_unsynced_sale_at == first
    assert st.quarantined == 0 and st.catalog_pending > 0
    assert st.warn_hours == 24
    now = clock.now()
    assert st.oldest_age_hours(now) == 0 and not st.warning(now)
    assert st.warning(now + timedelta(hours=25))
    _set(booth, sync_warn_hours="1")
    assert status(booth).warning(now + timedelta(hours=2))


def test_not_enrolled_is_said_before_anything_is_tried(secrets, booth, till_shift) -> None:
    make_sales(booth, till_shift, 1)
    with pytest.raises(NotEnrolled):
        conninfo_from_enrollment(booth)
    with pytest.raises(NotEnrolled):
        run_push(booth)
    assert status(booth).last_push_at is None


def test_connection_is_the_device_role_and_verify_full_by_default(booth, enrolled) -> None:
    params = conninfo_from_enrollment(booth)
    assert params["sslmode"] == "disable"  # as the enrollment says
    with connect_from_enrollment(booth) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == conninfo_from_enrollment(
            booth)["user"]
    _set(booth, central_sslmode="")
    assert conninfo_from_enrollment(booth)["sslmode"] == "verify-full"


def test_push_then_status_shows_nothing_left_and_the_last_result(booth, till_shift, enrolled,
                                                                central_url, clock) -> None:
    make_sales(booth, till_shift, 4)
    result = run_push(booth, batch_size=7)
    assert result.sent > 0 and result.quarantined == []
    st = status(booth)
    assert (st.unsynced, st.oldest_unsynced_sale_at, st.quarantined) == (0, None, 0)
    assert st.enrolled and st.last_push_at == clock.now()
    assert st.last_result.push == PushFigures(result.sent, result.inserted, 0, 0)
    assert st.last_result.failure is None
    assert len(central_ids(central_url)["sale"]) == 4


def test_quarantined_records_are_counted(booth, till_shift, enrolled, central_url) -> None:
    make_sales(booth, till_shift, 2)
    sale = _local_row(booth, "sale")
    _insert_as_admin(central_url, "sale", {**sale, "cashier_name": "Someone Else"})
    run_push(booth)
    st = status(booth)
    assert (st.unsynced, st.quarantined) == (0, 1)
    assert st.last_result.push.quarantined == 1
    assert st.last_result.tables == {"sale": {"quarantined": 1}}


def test_unreachable_server_is_remembered_and_nothing_is_marked(booth, till_shift, enrolled,
                                                               tmp_path) -> None:
    make_sales(booth, till_shift, 1)
    pending = _pending(booth)
    _set(booth, central_host=str(tmp_path / "nowhere"))
    with pytest.raises(DomainError) as err:
        run_push(booth)
    assert err.value.code == "central_unreachable"
    st = status(booth)
    assert st.unsynced == pending and st.last_result.push is None
    assert (st.last_result.failure.stage, st.last_result.failure.code) == (
        "push", "central_unreachable")
    assert describe(st.last_result, lambda s: s).startswith("Failed: Cannot reach")


# --- pos-app sync ----------------------------------------------------------------------------

def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_sync_pushes_and_says_what_went(capsys, booth, till_shift, enrolled, db_path,
                                            central_url) -> None:
    make_sales(booth, till_shift, 3)
    total = _pending(booth)
    rc, out, err = run(capsys, "--db", str(db_path), "sync", "--batch", "5")
    assert (rc, err) == (0, "")
    assert out.startswith(f"Sent {total} records ({total} new, 0 already there); "
                          "quarantined 0; still unsent 0")
    rc, out, err = run(capsys, "--db", str(db_path), "sync", "--json")
    assert (rc, err) == (0, "")
    doc = json.loads(out)
    assert (doc["sent"], doc["quarantined"], doc["unsynced"]) == (0, [], 0)
    assert len(central_ids(central_url)["sale"]) == 3


def test_cli_sync_not_enrolled_is_one_line_and_fails(capsys, secrets, booth, till_shift,
                                                     db_path) -> None:
    make_sales(booth, till_shift, 1)
    rc, out, err = run(capsys, "--db", str(db_path), "sync")
    assert rc != 0 and out == ""
    assert err.count("\n") == 1 and "not enrolled" in err


def test_cli_sync_unreachable_is_one_line_and_fails(capsys, booth, till_shift, enrolled, db_path,
                                                    tmp_path) -> None:
    make_sales(booth, till_shift, 1)
    _set(booth, central_host=str(tmp_path / "nowhere"))
    rc, out, err = run(capsys, "--db", str(db_path), "sync")
    assert rc != 0 and out == ""
    assert err.count("\n") == 1 and err.startswith("pos-app: Cannot reach the central database")


def test_cli_sync_refuses_a_bad_batch(capsys, booth, db_path) -> None:
    rc, out, err = run(capsys, "--db", str(db_path), "sync", "--batch", "0")
    assert rc != 0 and out == "" and "--batch" in err


def test_cli_sync_retries_the_quarantined_once_head_office_sorted_them_out(
        capsys, booth, till_shift, enrolled, db_path, central_url) -> None:
    make_sales(booth, till_shift, 2)
    sale = _local_row(booth, "sale")
    _insert_as_admin(central_url, "sale", {**sale, "cashier_name": "Someone Else"})
    rc, out, err = run(capsys, "--db", str(db_path), "sync")
    assert (rc, err) == (0, "") and "quarantined 1" in out
    rc, out, err = run(capsys, "--db", str(db_path), "--json", "sync", "--retry-quarantined")
    doc = json.loads(out)  # still in conflict: set aside again, reported once centrally
    assert (doc["retried"], len(doc["quarantined"])) == (1, 1)
    with psycopg.connect(central_url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM sync_quarantine").fetchone() == (1,)
        conn.execute("DELETE FROM sale WHERE id = %s", (sale["id"],))  # head office decides
    rc, out, err = run(capsys, "--db", str(db_path), "sync", "--retry-quarantined")
    assert (rc, err) == (0, "")
    assert out.startswith("Quarantined records sent again: 1\nSent 1 records (1 new, ")
    assert status(booth).quarantined == 0
    with psycopg.connect(central_url, autocommit=True) as conn:
        assert conn.execute("SELECT cashier_name FROM sale WHERE id = %s",
                            (sale["id"],)).fetchone() == (sale["cashier_name"],)


def test_cli_sync_central_names_the_server_the_login_stays_the_booths(
        capsys, booth, till_shift, enrolled, db_path, central_url) -> None:
    make_sales(booth, till_shift, 2)
    _set(booth, central_host="/nonexistent-socket-folder")  # the enrolled address is gone
    rc, out, err = run(capsys, "--db", str(db_path), "sync")
    assert rc == 1 and err.startswith("pos-app: Cannot reach the central database")
    no_user = central_url.replace("postgresql://postgres@/", "postgresql:///")
    rc, out, err = run(capsys, "--db", str(db_path), "--json", "sync", "--central", no_user)
    assert (rc, err) == (0, "")
    assert json.loads(out)["unsynced"] == 0
    with psycopg.connect(central_url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM sale WHERE device_id = %s",
                            (booth.context.device_id,)).fetchone() == (2,)
    from pos_app.services.sync.sync_status import device_connector

    with device_connector(booth, no_user)() as conn:  # the booth's own login, at that server
        assert conn.execute("SELECT current_user").fetchone()[0] == \
            conninfo_from_enrollment(booth)["user"]
    rc, out, err = run(capsys, "--db", str(db_path), "sync", "--central", "not a url")
    assert (rc, out) == (1, "") and err.startswith("pos-app: Not a PostgreSQL address")
