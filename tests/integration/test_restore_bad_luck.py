"""Issue 17 item 1 under bad luck (found by attacking the restore): a restore killed at any
step leaves the old database or the whole restored one; a damaged database is restored over
with its bytes (and its ``-wal``) kept; a restore that cannot learn the numbers issued after
the backup issues none until someone knows them; a restore interrupted while asking head
office has already journaled itself and set its flags; a database cannot be restored onto
itself, not even through a hard link."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.domain.errors import DomainError
from pos_app.services.setup import backup as backups
from pos_app.services.setup import restore as restores
from pos_app.services.setup.backup_restore import with_head_office
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.clock import FixedClock
from pos_app.services.shift.shifts import ShiftRow
from pos_app.services.sync import journal_head
from tests.integration.test_backup import scalar, sell


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def setting(path: Path, key: str) -> str | None:
    row = sqlite3.connect(path).execute("SELECT value FROM setting WHERE key = ?",
                                        (key,)).fetchone()
    return None if row is None else row[0]


KILLED = """
import os, signal, sys
from pathlib import Path
from pos_app.services.setup import restore

step, src, dst = sys.argv[1:4]

def power_cut(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if step == "prepare":  # the backup's pages are copied beside the database, marks being read
    restore.backup_files = power_cut
else:  # the restored database is ready; the old one is being kept
    restore.copy_database = power_cut
restore.restore(Path(src), Path(dst))
"""


@pytest.mark.parametrize("step", ["prepare", "keep"])
def test_a_restore_killed_half_way_leaves_the_old_database_and_the_next_one_works(
        booth: Booth, till_shift: ShiftRow, tmp_path: Path, clock: FixedClock, step) -> None:
    sell(booth, shift_id=till_shift.id)
    saved = backups.backup(booth, tmp_path / "saved.db")
    sell(booth, shift_id=till_shift.id)
    sell(booth, shift_id=till_shift.id)
    db = booth.db.path
    booth.close()
    before = digest(db)
    done = subprocess.run([sys.executable, "-c", KILLED, step, str(saved), str(db)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == -9, done.stderr
    assert digest(db) == before  # untouched: its 3 sales and counters
    assert not list(tmp_path.glob("booth.db.before-restore*"))
    again = restores.restore(saved, db)  # the power is back: the same restore again
    assert again.raised["sale"] == (1, 3) and not again.unknown
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    reopened = Booth.open(db, clock=clock)
    try:
        assert sell(reopened, shift_id=till_shift.id).number == "KPG-01-000004"
    finally:
        reopened.close()


def test_a_damaged_database_is_restored_over_and_its_bytes_are_kept(
        booth: Booth, till_shift: ShiftRow, tmp_path: Path) -> None:
    sell(booth, shift_id=till_shift.id)
    saved = backups.backup(booth, tmp_path / "saved.db")
    sell(booth, shift_id=till_shift.id)
    db = booth.db.path
    booth.close()
    os.truncate(db, 40960)  # what `audit verify` calls damaged
    damaged = digest(db)
    done = restores.restore(saved, db)
    assert done.previous is not None and digest(done.previous) == damaged
    assert done.unknown  # the damaged file told nothing: no number until someone knows
    assert scalar(db, "SELECT count(*) FROM sale") == 1
    assert setting(db, "marks_unknown") == "1" and setting(db, "marks_unchecked") == "1"


def test_a_broken_header_keeps_the_wal_with_the_last_sales(
        booth: Booth, till_shift: ShiftRow, tmp_path: Path) -> None:
    """The last sales are still only in ``-wal`` (a power cut) and the header is broken:
    the restore keeps the main file and its ``-wal`` together, so mending the header of the
    kept copy gives every sale back."""
    sell(booth, shift_id=till_shift.id)
    saved = backups.backup(booth, tmp_path / "saved.db")
    db = booth.db.path
    for _ in range(4):
        sell(booth, shift_id=till_shift.id)
    wal = db.with_name(db.name + "-wal")
    main_bytes, wal_bytes = db.read_bytes(), wal.read_bytes()  # as a power cut leaves them
    assert len(wal_bytes) > 0
    booth.close()
    db.write_bytes(b"garbage garbage!" + main_bytes[16:])
    wal.write_bytes(wal_bytes)
    done = restores.restore(saved, db)
    kept_wal = done.previous.with_name(done.previous.name + "-wal")
    assert kept_wal.read_bytes() == wal_bytes
    mended = tmp_path / "mended.db"
    mended.write_bytes(main_bytes)
    mended.with_name("mended.db-wal").write_bytes(kept_wal.read_bytes())
    assert scalar(mended, "SELECT count(*) FROM sale") == 5


def test_a_database_cannot_be_restored_onto_itself_through_a_hard_link(
        booth: Booth, tmp_path: Path) -> None:
    db = booth.db.path
    booth.close()
    link = tmp_path / "link.db"
    os.link(db, link)
    before = digest(db)
    with pytest.raises(DomainError) as refused:
        restores.restore(link, db)
    assert refused.value.code == "backup_failed" and "onto itself" in refused.value.message()
    assert digest(db) == before and not list(tmp_path.glob("*.before-restore*"))


def test_interrupted_while_asking_head_office_the_restore_is_already_journaled(
        booth: Booth, till_shift: ShiftRow, tmp_path: Path, clock: FixedClock,
        monkeypatch) -> None:
    sell(booth, shift_id=till_shift.id)
    saved = backups.backup(booth, tmp_path / "saved.db")
    sell(booth, shift_id=till_shift.id)
    db = booth.db.path
    booth.close()
    db.unlink()
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    done = restores.restore(saved, db)

    def ctrl_c(_booth):
        raise KeyboardInterrupt

    monkeypatch.setattr(journal_head, "connect_briefly", ctrl_c)
    reopened = Booth.open(db, clock=clock)
    try:
        with pytest.raises(KeyboardInterrupt):
            with_head_office(reopened, done, actor="Admin", file_name="saved.db", head_index=4)
        assert scalar(db, "SELECT count(*) FROM audit_event"
                          " WHERE action = 'backup.restore'") == 1
        assert setting(db, "marks_unchecked") == "1" and setting(db, "marks_unknown") == "1"
        with pytest.raises(DomainError) as refused:
            sell(reopened, shift_id=till_shift.id)
        assert refused.value.code == "numbers_unknown"
    finally:
        reopened.close()


def test_the_cli_says_numbers_are_unknown_and_the_administrator_continues(
        booth: Booth, till_shift: ShiftRow, tmp_path: Path, capsys) -> None:
    from pos_app.cli.main import main

    sell(booth, shift_id=till_shift.id)
    saved = backups.backup(booth, tmp_path / "saved.db")
    sell(booth, shift_id=till_shift.id)
    db = booth.db.path
    booth.close()
    db.unlink()
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    assert main(["--lang", "en", "--db", str(db), "restore", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "could say which numbers this device issued after the backup" in out
    code = main(["--lang", "en", "--db", str(db), "sell", "--item", "KOP-001=1", "--pay",
                 "cash=100000"])
    _out, err = capsys.readouterr()
    assert code != 0 and err.startswith("pos-app: This booth was restored from a backup and "
                                        "cannot tell which numbers it issued")
    assert err.count("\n") == 1
    code = main(["--lang", "en", "--db", str(db), "restore-marks", "--sale", "KPG-01-000007"])
    assert code == 0 and "Numbering continues after KPG-01-000007." in capsys.readouterr().out
    code = main(["--lang", "en", "--db", str(db), "--json", "sell", "--item", "KOP-001=1",
                 "--pay", "cash=100000"])
    assert code == 0 and '"number": "KPG-01-000008"' in capsys.readouterr().out
    code = main(["--lang", "en", "--db", str(db), "restore-marks", "--sale", "KPG-02-000001"])
    assert code != 0 and "KPG-02-000001" in capsys.readouterr().err
