"""Issue 17 item 1, against a real PostgreSQL: after a restore of an older backup no number is
issued twice even when the database it replaced is lost, because head office is asked for the
numbers this device pushed (right after the restore, or at the next push when it could not
be asked then); and the journal goes on: the ``backup.restore`` event names the head it cut
off, ``audit verify`` accepts that declared cut, and central takes the event as a new branch
of the device's journal instead of refusing every event after it."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from pos_app.cli.main import main
from pos_app.services.setup.backup import backup
from pos_app.services.setup.booth import Booth
from pos_app.services.sync import journal_head
from pos_app.services.sync.sync_status import run_push
from tests.central.test_rogue_journal import connect_as, held, sell
from tests.central.test_rogue_journal import enrolled as enrolled  # noqa: F401 - a fixture


def lose_database(booth: Booth) -> Path:
    """The laptop's database is gone (a new disk): nothing of it is left to read."""
    db = booth.db.path
    booth.db.dispose()
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    return db


def restore_cli(capsys, db: Path, saved: Path) -> dict:
    code = main(["--lang", "en", "--db", str(db), "--json", "restore", str(saved)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    return json.loads(out)


def central_sales(url: str, booth: Booth) -> list[str]:
    with psycopg.connect(url, autocommit=True) as conn:
        return sorted(n for (n,) in conn.execute(
            "SELECT number FROM sale WHERE device_id = %s", (booth.context.device_id,)))


def counter(booth: Booth, name: str) -> int:
    with booth.db.read() as s:
        return s.execute(text("SELECT value FROM counter WHERE name = :n"), {"n": name}).scalar()


def verify(capsys, booth: Booth) -> tuple[int, str, str]:
    code = main(["--lang", "en", "--db", str(booth.db.path), "audit", "verify"])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_older_backup_restored_after_a_sync_on_a_new_disk_reuses_no_number(
        enrolled, till_shift, central_url, tmp_path, capsys) -> None:
    booth = enrolled
    sell(booth, till_shift, "MAK-006")
    saved = backup(booth, tmp_path / "stick" / "older.db")
    after = [sell(booth, till_shift, sku) for sku in ("KOP-001", "KER-002")]
    assert not run_push(booth, connect=connect_as(booth)).quarantined
    cut = held(central_url, booth)
    db = lose_database(booth)

    done = restore_cli(capsys, db, saved)
    assert done["previous"] is None and done["head_office_asked"] is True
    assert done["numbers_unknown"] is False
    assert done["raised"]["sale"] == 3  # KPG-01-000003 was pushed after the backup
    booth.refresh()
    assert counter(booth, "sale") == 3
    code, out, err = verify(capsys, booth)  # central still holds the head the restore cut off
    assert code == 0, err
    with booth.db.read() as s:
        event = s.execute(text("SELECT chain_index, payload FROM audit_event WHERE action ="
                               " 'backup.restore'")).one()
        marks = s.execute(text("SELECT payload FROM audit_event WHERE action ="
                               " 'backup.marks'")).scalar_one()
    payload = json.loads(event[1])
    assert payload["replaced"] == [] and payload["unknown"] is True  # the disk is gone
    assert payload["file"] == "older.db"
    assert json.loads(marks)["replaced"] == [{"index": cut[0], "hash": cut[1]}]
    assert json.loads(marks)["raised"]["sale"] == 3
    assert event[0] < cut[0]  # the restored journal is shorter than what central holds

    nxt = sell(booth, till_shift, "MAK-006")
    assert nxt.endswith("-000004") and nxt not in after
    res = run_push(booth, connect=connect_as(booth))
    assert not res.quarantined and res.journal is None
    assert central_sales(central_url, booth) == sorted([*after, nxt, after[0][:-1] + "1"])
    with booth.db.read() as s:
        head = s.execute(text("SELECT chain_index, hash FROM audit_event"
                              " ORDER BY chain_index DESC LIMIT 1")).one()
    assert held(central_url, booth) == tuple(head)  # central follows the restored journal
    with psycopg.connect(central_url, autocommit=True) as conn:
        branches = dict(conn.execute(
            "SELECT action, branch FROM audit_event WHERE device_id = %s AND action ="
            " 'backup.restore'", (booth.context.device_id,)).fetchall())
    assert branches == {"backup.restore": 1}  # head office sees the restore as a branch
    assert verify(capsys, booth)[0] == 0


def test_a_restore_head_office_could_not_hear_asks_at_the_next_push(
        enrolled, till_shift, central_url, tmp_path, capsys, monkeypatch) -> None:
    booth = enrolled
    sell(booth, till_shift, "MAK-006")
    saved = backup(booth, tmp_path / "older.db")
    after = [sell(booth, till_shift, sku) for sku in ("KOP-001", "KER-002")]
    assert not run_push(booth, connect=connect_as(booth)).quarantined
    db = lose_database(booth)
    with monkeypatch.context() as offline:  # the booth has no network at the restore
        offline.setattr(journal_head, "connect_briefly", lambda booth: None)
        code = main(["--lang", "en", "--db", str(db), "restore", str(saved)])
        out, err = capsys.readouterr()
    assert code == 0, err
    assert "Neither the replaced database nor head office could say which numbers this " \
           "device issued after the backup was made: sync with head office before the next " \
           "sale" in out
    booth.refresh()
    assert counter(booth, "sale") == 1

    first = run_push(booth, connect=connect_as(booth))  # the network is back: sync first
    assert not first.quarantined
    assert counter(booth, "sale") == 3 and counter(booth, "record") >= 1
    nxt = sell(booth, till_shift, "KOP-001")
    assert nxt.endswith("-000004") and nxt not in after
    assert not run_push(booth, connect=connect_as(booth)).quarantined
    assert len(central_sales(central_url, booth)) == 4
    assert verify(capsys, booth)[0] == 0


@pytest.mark.parametrize("lost", [False, True])
def test_the_app_restore_journals_what_it_replaced_and_asks_head_office(
        enrolled, till_shift, central_url, tmp_path, lost) -> None:
    from pos_app.services.setup.backup_restore import restore_backup

    booth = enrolled
    sell(booth, till_shift, "MAK-006")
    saved = backup(booth, tmp_path / "older.db")
    sell(booth, till_shift, "KOP-001")
    assert not run_push(booth, connect=connect_as(booth)).quarantined
    sell(booth, till_shift, "KER-002")  # made after the sync: only the replaced database has it
    if lost:
        lose_database(booth)
    done = restore_backup(booth, saved, actor="Admin", role="admin")
    assert done.central is True and done.unknown is False
    # the kept copy knows KPG-01-000003; head office only up to 000002
    assert counter(booth, "sale") == (2 if lost else 3)
    assert done.raised["sale"] == (1, 2 if lost else 3)
    assert done.kept_read is (not lost)


def test_a_cut_after_a_restore_is_still_reported(enrolled, till_shift, central_url, tmp_path,
                                                 capsys) -> None:
    """The restore excuses exactly the heads it cut off, nothing after: sales made after the
    restore and pushed, then deleted from the booth, are a truncated tail again."""
    from tests.central.test_rogue_journal import cut_tail

    booth = enrolled
    sell(booth, till_shift, "MAK-006")
    saved = backup(booth, tmp_path / "older.db")
    for sku in ("KOP-001", "KER-002", "MAK-006"):
        sell(booth, till_shift, sku)
    assert not run_push(booth, connect=connect_as(booth)).quarantined
    db = lose_database(booth)
    restore_cli(capsys, db, saved)
    booth.refresh()
    sell(booth, till_shift, "KOP-001")
    last = sell(booth, till_shift, "KER-002")
    assert not run_push(booth, connect=connect_as(booth)).quarantined
    assert verify(capsys, booth)[0] == 0
    cut_tail(booth, last)
    code, _out, err = verify(capsys, booth)
    assert code == 1 and "Journal truncated tail" in err


def test_skus_and_barcodes_made_after_the_backup_are_not_made_again(
        enrolled, till_shift, central_url, tmp_path, capsys) -> None:
    from pos_app.services.catalog.catalog_edit import create_product
    from pos_app.services.sync.sync_status import run_sync

    booth = enrolled
    saved = backup(booth, tmp_path / "older.db")

    def new_product(name: str):
        return create_product(booth, name=name, facility_code="LP-END", category_code="tenun",
                              price=250_000, actor="Maria", actor_role="coordinator")

    first = new_product("Selendang ikat Ende")
    run_sync(booth, connect=connect_as(booth))  # the product goes up with the catalog
    db = lose_database(booth)
    done = restore_cli(capsys, db, saved)
    assert done["head_office_asked"] is True
    booth.refresh()
    second = new_product("Selendang ikat Lio")
    assert second.sku != first.sku and second.barcode != first.barcode
    assert second.id != first.id
