"""Backups through SQLite's backup API: verified copies, dated files after a shift's close,
keep-last-N per device, and restores that refuse anything but a sound Lapak database."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from pos_app.cli.main import main
from pos_app.domain.errors import DomainError
from pos_app.domain.tenders import Method, Tender
from pos_app.services.catalog import catalog
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.setup import backup as backups
from pos_app.services.setup import restore as restores
from pos_app.services.setup.booth import Booth, write_setting
from pos_app.services.setup.clock import FixedClock
from pos_app.services.shift import shifts
from pos_app.services.shift.shifts import ShiftRow


def sell(booth: Booth, sku: str = "KOP-001", *, shift_id):
    """A till sale into the open shift ``shift_id``."""
    return checkout(booth, SaleRequest(items=(SaleItem(1, sku=sku),),
                                       tenders=(Tender(Method.CASH, 100_000),),
                                       shift_id=shift_id))


def scalar(path: Path, sql: str):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def set_setting(booth: Booth, key: str, value: str) -> None:
    with booth.db.write() as s:
        write_setting(s, key, value)


def test_backup_is_a_verified_single_file_with_the_same_sales(booth: Booth, till_shift: ShiftRow,
                                                               tmp_path: Path) -> None:
    for _ in range(3):
        sell(booth, shift_id=till_shift.id)
    out = backups.backup(booth, tmp_path / "out" / "copy.db")
    assert out == tmp_path / "out" / "copy.db"
    assert sorted(p.name for p in out.parent.iterdir()) == ["copy.db"]  # no .part, no -wal
    assert scalar(out, "PRAGMA integrity_check") == "ok"
    assert scalar(out, "SELECT count(*) FROM sale") == 3
    assert scalar(out, "SELECT version_num FROM alembic_version") == \
        scalar(booth.db.path, "SELECT version_num FROM alembic_version")
    assert scalar(out, "PRAGMA journal_mode") == "delete"
    # the live database goes on untouched
    sell(booth, shift_id=till_shift.id)
    assert scalar(booth.db.path, "SELECT count(*) FROM sale") == 4
    assert scalar(out, "SELECT count(*) FROM sale") == 3


def test_backup_into_a_folder_takes_a_dated_name(booth: Booth, tmp_path: Path) -> None:
    out = backups.backup(booth, tmp_path)
    assert out.name == "lapak-KPG-01-20261121-193000.db"  # 19:30 WITA
    with pytest.raises(DomainError) as info:
        backups.backup(booth, booth.db.path)
    assert info.value.code == "backup_failed"


def test_automatic_backups_go_beside_the_database_by_default(booth: Booth) -> None:
    assert booth.settings().backup_dir == ""
    made = backups.automatic_backup(booth)
    assert made.path == booth.db.path.parent / "backups" / "lapak-KPG-01-20261121-193000.db"
    assert (made.second, made.second_error) == (None, None)
    assert scalar(made.path, "SELECT count(*) FROM device") == 1


def test_close_backs_up_into_the_folder(booth: Booth, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    set_setting(booth, "backup_dir", str(folder))
    opened = shifts.open_shift(booth, "Kasir", 100_000)
    sell(booth, shift_id=opened.id)
    result = shifts.close_shift(booth, opened.id, {100_000: 1, 50_000: 1}, "Kasir")
    assert result.backup_error is None
    assert result.backup_path == folder / "lapak-KPG-01-20261121-193000.db"
    # the backup holds the close itself
    assert scalar(result.backup_path, "SELECT count(*) FROM shift_event WHERE kind='close'") == 1
    assert scalar(result.backup_path, "SELECT count(*) FROM sale") == 1


def test_a_failed_backup_does_not_undo_the_close(booth: Booth, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    set_setting(booth, "backup_dir", str(blocker / "backups"))
    opened = shifts.open_shift(booth, "Kasir", 0)
    result = shifts.close_shift(booth, opened.id, {}, "Kasir")
    assert result.backup_path is None
    assert result.backup_error is not None and result.backup_error.code == "backup_failed"
    assert shifts.current_shift(booth) is None  # closed all the same
    assert scalar(booth.db.path, "SELECT count(*) FROM shift_event WHERE kind='close'") == 1


def test_keep_last_n_deletes_the_oldest_of_this_device_only(booth: Booth, clock: FixedClock,
                                                            tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    others = [folder / "lapak-SBA-02-20261101-080000.db", folder / "lapak-KPG-011-20261101-"
              "080000.db", folder / "notes.txt", folder / "lapak-KPG-01-latest.db"]
    for path in others:
        path.write_text("not ours to delete")
    set_setting(booth, "backup_dir", str(folder))
    set_setting(booth, "backup_keep", "3")
    made = []
    for _ in range(5):
        made.append(backups.automatic_backup(booth).path)
        clock.advance(minutes=1)
    kept = sorted(p.name for p in folder.iterdir() if p.name.startswith("lapak-KPG-01-2026"))
    assert kept == [p.name for p in made[2:]]
    assert kept == ["lapak-KPG-01-20261121-193200.db", "lapak-KPG-01-20261121-193300.db",
                    "lapak-KPG-01-20261121-193400.db"]
    assert all(p.exists() for p in others)


def test_two_backups_in_one_second_both_count(booth: Booth, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    set_setting(booth, "backup_dir", str(folder))
    set_setting(booth, "backup_keep", "2")
    first = backups.automatic_backup(booth).path
    second = backups.automatic_backup(booth).path
    third = backups.automatic_backup(booth).path
    assert (first.name, second.name, third.name) == (
        "lapak-KPG-01-20261121-193000.db", "lapak-KPG-01-20261121-193000-2.db",
        "lapak-KPG-01-20261121-193000-3.db")
    assert sorted(p.name for p in folder.iterdir()) == [second.name, third.name]


# ------------------------------------------------------------------------------- restore


def not_lapak_sqlite(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes(x)")
    con.commit()
    con.close()
    return path


def lapak_without_device(booth: Booth, path: Path) -> Path:
    backups.backup(booth, path)
    con = sqlite3.connect(path)
    con.execute("DELETE FROM setting WHERE key='device_id'")
    con.commit()
    con.close()
    return path


def truncated(booth: Booth, path: Path) -> Path:
    good = backups.backup(booth, path.with_suffix(".full"))
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


@pytest.mark.parametrize("make", [
    lambda b, p: (p.write_bytes(b"this is not a database at all" * 100), p)[1],
    lambda b, p: (p.write_bytes(b""), p)[1],
    lambda b, p: p,  # missing
    lambda b, p: not_lapak_sqlite(p),
    lambda b, p: lapak_without_device(b, p),
    lambda b, p: truncated(b, p),
])
def test_restore_refuses_what_is_not_a_sound_lapak_database(booth: Booth, till_shift: ShiftRow,
                                                            tmp_path: Path, make) -> None:
    sell(booth, shift_id=till_shift.id)
    src = make(booth, tmp_path / "candidate.db")
    booth.close()
    db = booth.db.path
    before = scalar(db, "SELECT count(*) FROM sale")
    with pytest.raises(DomainError) as info:
        restores.restore(src, db)
    assert info.value.code == "bad_database"
    assert scalar(db, "SELECT count(*) FROM sale") == before == 1
    assert not Path(str(db) + ".before-restore").exists()


def test_restore_brings_the_sales_back(booth: Booth, till_shift: ShiftRow, tmp_path: Path,
                                       clock: FixedClock) -> None:
    sell(booth, shift_id=till_shift.id)
    sell(booth, "MAK-003", shift_id=till_shift.id)
    saved = backups.backup(booth, tmp_path / "saved.db")
    # made after the backup: gone after the restore (kept in .before-restore)
    sell(booth, shift_id=till_shift.id)
    db = booth.db.path
    booth.close()

    result = restores.restore(saved, db)
    assert (result.path, result.device_code, result.sales) == (db, "KPG-01", 2)
    assert result.previous == Path(str(db) + ".before-restore")
    assert scalar(result.previous, "SELECT count(*) FROM sale") == 3
    assert scalar(db, "SELECT count(*) FROM sale") == 2
    assert scalar(db, "PRAGMA integrity_check") == "ok"
    # KPG-01-000003 was issued after the backup (the kept copy has it): never again
    assert result.raised["sale"] == (2, 3)
    assert result.raised["record"][1] == scalar(result.previous, "SELECT max(seq) FROM outbox")

    reopened = Booth.open(db, clock=clock)
    try:
        assert "KOP-001" in [p.sku for p in catalog.search(reopened, "kopi bajawa")]
        nxt = sell(reopened, shift_id=till_shift.id)  # the open shift came back too
        assert nxt.number == "KPG-01-000004"  # after the kept copy's, not the backup's
    finally:
        reopened.close()


def test_restore_into_a_new_place(booth: Booth, till_shift: ShiftRow, tmp_path: Path) -> None:
    sell(booth, shift_id=till_shift.id)
    saved = backups.backup(booth, tmp_path / "saved.db")
    result = restores.restore(saved, tmp_path / "new" / "booth.db")
    assert result.previous is None
    assert scalar(result.path, "SELECT count(*) FROM sale") == 1


# ----------------------------------------------------------------------------- the CLI


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_backup_and_restore(booth: Booth, till_shift: ShiftRow, tmp_path: Path,
                                capsys) -> None:
    sell(booth, shift_id=till_shift.id)
    db = booth.db.path
    out = tmp_path / "b.db"
    assert cli(capsys, "--db", str(db), "backup", "--out", str(out)) == (
        0, f"Backup saved: {out}\n", "")
    sell(booth, shift_id=till_shift.id)
    booth.close()
    code, text, err = cli(capsys, "--db", str(db), "restore", str(out), "--json")
    assert (code, err) == (0, "")
    got = json.loads(text)
    assert got.pop("raised")["sale"] == 2  # the sale made after the backup keeps its number
    assert got == {"path": str(db), "previous": f"{db}.before-restore", "device": "KPG-01",
                   "sales": 1, "head_office_asked": False,  # not enrolled: none to ask
                   "numbers_unknown": False}  # the replaced database told them
    assert scalar(db, "SELECT count(*) FROM sale") == 1

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"garbage" * 50)
    assert cli(capsys, "--db", str(db), "restore", str(junk)) == (
        1, "", f"pos-app: Not a Lapak database: {junk}\n")
    # no folder set: the backups folder beside the database
    code, text, err = cli(capsys, "--db", str(db), "backup")
    assert (code, err) == (0, "")
    assert re.fullmatch(rf"Backup saved: {re.escape(str(db.parent / 'backups'))}/"
                        r"lapak-KPG-01-\d{8}-\d{6}\.db\n", text)
