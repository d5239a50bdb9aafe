"""Backups that happen on a fresh install: at the first shift close and whenever a day has
passed (the booth clock moved), into ``backups/`` beside the database, keeping the newest N;
the second folder (a USB stick) copied to, and reported when it is missing; restoring from
the app: what the backup holds before anything is replaced, a file that is not a Lapak
database refused, another device's backup refused unless confirmed, and only an admin may."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.domain.errors import DomainError
from pos_app.services.setup import backup as backups
from pos_app.services.setup.backup_restore import inspect_backup, restore_backup
from pos_app.services.setup.backup_routine import backup_if_due, backup_state
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.clock import FixedClock
from pos_app.services.setup.settings import set_setting
from pos_app.services.setup.setup import init_booth
from pos_app.services.shift import shifts
from tests.integration.test_backup import cli, scalar, sell

ADMIN = {"actor": "Admin", "role": "admin"}


def kept(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_a_fresh_install_backs_up_at_the_first_close(booth: Booth) -> None:
    folder = booth.db.path.parent / "backups"
    assert booth.settings().backup_dir == "" and not folder.exists()
    opened = shifts.open_shift(booth, "Kasir", 0)
    sell(booth, shift_id=opened.id)
    result = shifts.close_shift(booth, opened.id, {100_000: 1}, "Kasir")
    assert result.backup_error is None
    assert kept(folder) == ["lapak-KPG-01-20261121-193000.db"]
    assert result.backup_path == folder / "lapak-KPG-01-20261121-193000.db"
    assert scalar(result.backup_path, "SELECT count(*) FROM shift_event WHERE kind='close'") == 1


def test_a_backup_is_made_when_a_day_has_passed(booth: Booth, clock: FixedClock) -> None:
    folder = booth.db.path.parent / "backups"
    state = backup_state(booth)
    assert (state.last_at, state.stale) == (None, True)
    first = backup_if_due(booth)  # at start-up: none yet
    assert first.made is not None and first.error is None and not first.stale
    assert first.last_at == datetime(2026, 11, 21, 11, 30, tzinfo=UTC)
    assert kept(folder) == ["lapak-KPG-01-20261121-193000.db"]
    clock.advance(hours=23, minutes=59)
    later = backup_if_due(booth)
    assert later.made is None and later.age_hours == 23
    assert kept(folder) == ["lapak-KPG-01-20261121-193000.db"]
    clock.advance(minutes=2)  # a day and a minute
    assert backup_state(booth).stale
    again = backup_if_due(booth)
    assert again.made is not None and not again.stale and again.age_hours == 0
    assert kept(folder) == ["lapak-KPG-01-20261121-193000.db",
                            "lapak-KPG-01-20261122-193100.db"]


def test_only_the_newest_n_are_kept(booth: Booth, clock: FixedClock) -> None:
    assert booth.settings().backup_keep == 14
    set_setting(booth, "backup_keep", "3")
    for _day in range(5):
        assert backup_if_due(booth).made is not None
        clock.advance(days=1, minutes=1)
    assert kept(booth.db.path.parent / "backups") == [
        "lapak-KPG-01-20261123-193200.db", "lapak-KPG-01-20261124-193300.db",
        "lapak-KPG-01-20261125-193400.db"]


def test_the_second_folder_gets_a_copy_and_is_reported_when_missing(booth: Booth,
                                                                     tmp_path: Path) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    set_setting(booth, "backup_second_dir", str(stick), actor="Maria", role="coordinator")
    state = backup_if_due(booth)
    assert state.second == stick and state.second_problem is None
    assert state.made.second == stick / "lapak-KPG-01-20261121-193000.db"
    assert scalar(state.made.second, "SELECT count(*) FROM device") == 1
    # the stick is taken out: the backup still goes beside the database, the rest is said
    stick.rename(tmp_path / "usb-out")
    state = backup_state(booth)
    assert state.second_problem is not None
    assert state.second_problem.code == "backup_second_missing"
    assert state.second_problem.params == {"folder": str(stick)}
    opened = shifts.open_shift(booth, "Kasir", 0)
    result = shifts.close_shift(booth, opened.id, {}, "Kasir")
    assert result.backup_path is not None and result.backup_path.exists()
    assert result.backup_error is not None and result.backup_error.code == \
        "backup_second_missing"
    assert not stick.exists()  # never made on the laptop's disk in its place
    with pytest.raises(DomainError) as exc:  # a cashier may not set it
        set_setting(booth, "backup_second_dir", "", actor="Kasir", role="cashier")
    assert exc.value.code == "setting_not_allowed"


# --- restoring from the app --------------------------------------------------------------------

def journal_head(path: Path) -> tuple[int, str]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT chain_index, hash FROM audit_event "
                           "ORDER BY chain_index DESC LIMIT 1").fetchone()
    finally:
        con.close()


def test_the_summary_shows_what_the_backup_holds(booth: Booth, till_shift) -> None:
    sell(booth, shift_id=till_shift.id)
    sell(booth, shift_id=till_shift.id)
    made = backups.automatic_backup(booth).path
    summary = inspect_backup(booth, made, **ADMIN)
    c = summary.contents
    assert (c.device_code, c.sales, summary.other_device) == ("KPG-01", 2, False)
    assert (c.head_index, c.head_hash) == journal_head(made)
    assert c.last_at == datetime(2026, 11, 21, 11, 30, tzinfo=UTC)


def test_a_file_that_is_not_a_lapak_database_is_refused(booth: Booth, tmp_path: Path) -> None:
    junk = tmp_path / "foto.db"
    junk.write_bytes(b"\x89PNG" * 100)
    other_sqlite = tmp_path / "other.sqlite"
    con = sqlite3.connect(other_sqlite)
    con.execute("CREATE TABLE notes (x)")
    con.commit()
    con.close()
    before = scalar(booth.db.path, "SELECT count(*) FROM audit_event")
    for path in (junk, other_sqlite, tmp_path / "missing.db"):
        for call in (inspect_backup, restore_backup):
            with pytest.raises(DomainError) as exc:
                call(booth, path, **ADMIN)
            assert (exc.value.code, exc.value.params) == ("bad_database", {"path": str(path)})
    assert scalar(booth.db.path, "SELECT count(*) FROM audit_event") == before


def test_another_devices_backup_needs_confirming(booth: Booth, tmp_path: Path) -> None:
    other, _res = init_booth(tmp_path / "sba.db", demo=False, device_code="SBA-02")
    other.close()
    summary = inspect_backup(booth, tmp_path / "sba.db", **ADMIN)
    assert (summary.contents.device_code, summary.this_device, summary.other_device) == (
        "SBA-02", "KPG-01", True)
    with pytest.raises(DomainError) as exc:
        restore_backup(booth, tmp_path / "sba.db", **ADMIN)
    assert (exc.value.code, exc.value.params) == ("backup_other_device",
                                                  {"device": "SBA-02", "ours": "KPG-01"})
    assert booth.context.device_code == "KPG-01"
    assert scalar(booth.db.path, "SELECT count(*) FROM product") > 0  # untouched
    done = restore_backup(booth, tmp_path / "sba.db", other_device=True, **ADMIN)
    assert done.previous == booth.db.path.with_name(booth.db.path.name + ".before-restore")
    assert booth.context.device_code == "SBA-02"
    assert scalar(booth.db.path, "SELECT count(*) FROM product") == 0


def test_a_restore_brings_the_backup_back_and_is_journaled(booth: Booth, till_shift) -> None:
    sell(booth, shift_id=till_shift.id)
    made = backups.automatic_backup(booth).path
    head = journal_head(made)
    sell(booth, shift_id=till_shift.id)
    assert scalar(booth.db.path, "SELECT count(*) FROM sale") == 2
    restore_backup(booth, made, **ADMIN)
    assert scalar(booth.db.path, "SELECT count(*) FROM sale") == 1
    con = sqlite3.connect(booth.db.path)
    try:
        rows = con.execute("SELECT chain_index, actor, action, prev_hash FROM audit_event "
                           "ORDER BY chain_index DESC LIMIT 1").fetchall()
    finally:
        con.close()
    assert rows == [(head[0] + 1, "Admin", "backup.restore", head[1])]


@pytest.mark.parametrize("role", ["cashier", "coordinator"])
def test_only_an_admin_may_restore(booth: Booth, role: str) -> None:
    made = backups.automatic_backup(booth).path
    before = scalar(booth.db.path, "SELECT count(*) FROM audit_event")
    for call in (inspect_backup, restore_backup):
        with pytest.raises(DomainError) as exc:
            call(booth, made, actor="Maria", role=role)
        assert (exc.value.code, exc.value.params["action"]) == ("not_allowed",
                                                               "restore_backup")
    assert scalar(booth.db.path, "SELECT count(*) FROM audit_event") == before
    assert not booth.db.path.with_name(booth.db.path.name + ".before-restore").exists()


def test_cli_backup_copies_to_the_second_folder_and_says_when_it_cannot(booth: Booth,
                                                                        tmp_path: Path,
                                                                        capsys) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    set_setting(booth, "backup_second_dir", str(stick), actor="Maria", role="coordinator")
    db = str(booth.db.path)
    code, out, err = cli(capsys, "--db", db, "backup", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert Path(data["backup"]).parent == booth.db.path.parent / "backups"
    assert Path(data["second"]).parent == stick and Path(data["second"]).exists()
    assert data["second_error"] is None
    stick.rename(tmp_path / "usb-out")
    code, out, err = cli(capsys, "--db", db, "backup")
    assert code == 1
    assert out.startswith("Backup saved: ")
    assert err == f"pos-app: The second backup folder is not there: {stick}\n"
