"""Issue 17, items 1 and 2: a restore keeps everything it replaces and issues no number twice,
a backup never destroys what is at its target, and a backup or export killed half-way leaves
a temporary the next run sweeps up (a running writer's own is left alone)."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.adapters import workfiles
from pos_app.cli.main import main
from pos_app.domain.errors import DomainError
from pos_app.services.reporting.export_pack import export_pack
from pos_app.services.setup import backup as backups
from pos_app.services.setup import restore as restores
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.clock import FixedClock
from pos_app.services.setup.records import bump_counter
from pos_app.services.setup.setup import init_booth
from pos_app.services.shift.shifts import ShiftRow
from tests.integration.test_backup import scalar, sell, set_setting


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# ---------------------------------------------------------------- restore keeps everything

def test_restoring_twice_keeps_both_replaced_databases(booth: Booth, till_shift: ShiftRow,
                                                       tmp_path: Path) -> None:
    sell(booth, shift_id=till_shift.id)
    saved = backups.backup(booth, tmp_path / "saved.db")
    sell(booth, shift_id=till_shift.id)
    db = booth.db.path
    booth.close()
    first = restores.restore(saved, db)
    second = restores.restore(saved, db)  # the same restore done again
    assert first.previous == db.with_name(db.name + ".before-restore")
    assert second.previous == db.with_name(db.name + ".before-restore-2")
    assert scalar(first.previous, "SELECT count(*) FROM sale") == 2  # the original, intact
    assert scalar(second.previous, "SELECT count(*) FROM sale") == 1
    third = restores.restore(saved, db)
    assert third.previous.name.endswith(".before-restore-3")
    assert scalar(first.previous, "SELECT count(*) FROM sale") == 2


def test_an_older_backup_then_a_sale_reuses_no_number_or_sequence(
        booth: Booth, till_shift: ShiftRow, tmp_path: Path, clock: FixedClock) -> None:
    sell(booth, shift_id=till_shift.id)
    saved = backups.backup(booth, tmp_path / "saved.db")
    after = [sell(booth, shift_id=till_shift.id) for _ in range(2)]  # after the backup
    db = booth.db.path
    before_seq = scalar(db, "SELECT max(seq) FROM outbox")
    booth.close()
    done = restores.restore(saved, db)
    assert done.raised["sale"] == (1, 3)
    reopened = Booth.open(db, clock=clock)
    try:
        nxt = sell(reopened, shift_id=till_shift.id)
    finally:
        reopened.close()
    assert nxt.number == "KPG-01-000004"
    assert nxt.number not in {s.number for s in after}
    assert scalar(db, "SELECT min(o.seq) FROM outbox o JOIN sale s ON s.id = o.record_id"
                      " WHERE s.number = 'KPG-01-000004'") > before_seq  # no sequence again


def test_the_marks_come_from_a_newer_backup_when_the_database_itself_is_lost(
        booth: Booth, till_shift: ShiftRow, tmp_path: Path, clock: FixedClock) -> None:
    """The laptop's database is gone (a new disk): the backup on the stick is older than the
    automatic one in the backup folder, which knows the numbers issued up to it; what came
    after it nobody here can tell, so no number is issued until someone does (head office,
    or an administrator reading the last receipt printed)."""
    from pos_app.services.setup.backup_restore import continue_numbering

    sell(booth, shift_id=till_shift.id)
    old = backups.backup(booth, tmp_path / "stick" / "old.db")
    sell(booth, shift_id=till_shift.id)
    sell(booth, shift_id=till_shift.id)
    newer = backups.automatic_backup(booth).path  # in the backups folder beside the db
    db = booth.db.path
    booth.close()
    db.unlink()
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    done = restores.restore(old, db)
    assert done.previous is None and done.raised["sale"] == (1, 3)
    assert done.unknown and not done.kept_read
    assert newer.exists()
    reopened = Booth.open(db, clock=clock)
    try:
        with pytest.raises(DomainError) as refused:  # 000004 may be on a lost receipt
            sell(reopened, shift_id=till_shift.id)
        assert refused.value.code == "numbers_unknown"
        assert scalar(db, "SELECT count(*) FROM sale") == 1  # nothing was written
        with pytest.raises(DomainError):  # only an administrator says so
            continue_numbering(reopened, "KPG-01-000005", actor="Kasir", role="cashier")
        raised = continue_numbering(reopened, "KPG-01-000005", actor="Admin", role="admin")
        assert raised["sale"] == (3, 5)
        assert sell(reopened, shift_id=till_shift.id).number == "KPG-01-000006"
    finally:
        reopened.close()
    assert scalar(db, "SELECT count(*) FROM audit_event WHERE action = 'backup.numbers'") == 1


def test_another_devices_backup_needs_both_codes_on_the_command_line(
        booth: Booth, tmp_path: Path, capsys) -> None:
    other_path = tmp_path / "kpg-02.db"
    made, _ = init_booth(other_path, demo=True, device_code="KPG-02")
    made.close()
    db = booth.db.path
    booth.close()
    before = digest(db)
    refusal = ("pos-app: This backup belongs to device KPG-02, not to this one (KPG-01); to "
               "restore it anyway, give --other-device KPG-02 --this-device KPG-01\n")
    for extra in ([], ["--other-device", "KPG-02"], ["--other-device", "KPG-02",
                                                     "--this-device", "KPG-03"],
                  ["--other-device", "KPG-09", "--this-device", "KPG-01"]):
        assert cli(capsys, "--db", str(db), "restore", str(other_path), *extra) == (
            1, "", refusal)
        assert digest(db) == before
        assert not db.with_name(db.name + ".before-restore").exists()
    code, out, err = cli(capsys, "--db", str(db), "restore", str(other_path),
                         "--other-device", "kpg-02", "--this-device", "KPG-01")
    assert (code, err) == (0, "")
    assert "(device KPG-02" in out and ".before-restore" in out
    assert scalar(db.with_name(db.name + ".before-restore"),
                  "SELECT code FROM device WHERE id = (SELECT value FROM setting"
                  " WHERE key = 'device_id')") == "KPG-01"


def test_the_restore_says_in_indonesian_what_it_replaced(booth: Booth, till_shift: ShiftRow,
                                                         tmp_path: Path, capsys) -> None:
    sell(booth, shift_id=till_shift.id)
    saved = backups.backup(booth, tmp_path / "saved.db")
    sell(booth, shift_id=till_shift.id)
    db = booth.db.path
    booth.close()
    assert main(["--lang", "id", "--db", str(db), "restore", str(saved)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"Dipulihkan {db} (perangkat KPG-01, 1 penjualan)",
                   f"Basis data yang diganti disimpan sebagai {db}.before-restore",
                   "Nomor penjualan berlanjut setelah KPG-01-000002: perangkat ini sudah menerbitkannya "
                   "setelah cadangan dibuat"]


# ---------------------------------------------------------------- backup never destroys

def test_a_backup_refuses_an_existing_file_unless_forced(booth: Booth, tmp_path: Path,
                                                         capsys) -> None:
    target = tmp_path / "laporan.db"
    target.write_bytes(b"a file of the user's")
    assert cli(capsys, "--db", str(booth.db.path), "backup", "--out", str(target)) == (
        1, "", f"pos-app: {target} already exists; choose another name, or give --force to "
               "replace that backup file\n")
    assert target.read_bytes() == b"a file of the user's"
    code, out, err = cli(capsys, "--db", str(booth.db.path), "backup", "--out", str(target),
                         "--force")
    assert (code, err) == (0, "") and backups.read_contents(target).device_code == "KPG-01"
    assert temporaries(tmp_path) == []


def test_a_backup_never_writes_to_what_is_not_a_regular_file(booth: Booth,
                                                              tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link.db"
    (tmp_path / "real.db").write_bytes(b"real")
    link.symlink_to(tmp_path / "real.db")
    for target in (fifo, link, Path(os.devnull)):
        for replace in (False, True):
            with pytest.raises(DomainError) as err:
                backups.backup(booth, target, replace=replace)
            assert err.value.code == "backup_not_a_file"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and link.is_symlink()
    assert stat.S_ISCHR(os.lstat(os.devnull).st_mode)
    assert (tmp_path / "real.db").read_bytes() == b"real"


def test_a_file_the_user_named_like_the_old_temporary_is_left_alone(booth: Booth,
                                                                    tmp_path: Path) -> None:
    mine = tmp_path / "b.db.part"
    mine.write_bytes(b"mine")
    backups.backup(booth, tmp_path / "b.db")
    assert mine.read_bytes() == b"mine"


# ---------------------------------------------------------------- killed half-way

KILLED = """
import os, signal, sys
from pathlib import Path
from pos_app.services.setup.booth import Booth

what, db, out = sys.argv[1:4]
booth = Booth.open(Path(db))

def power_cut(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if what == "backup":
    from pos_app.services.setup import backup
    real = backup.backup_api
    def half_way(src, dst):
        real(src, dst)  # the temporary is written, not yet checked or renamed
        power_cut()
    backup.backup_api = half_way
    backup.backup(booth, Path(out))
else:
    from pos_app.services.reporting import export_pack
    export_pack.place = power_cut  # every file written into the temporary folder
    export_pack.export_pack(booth, Path(out))
"""


def _killed(what: str, db: Path, out: Path) -> None:
    done = subprocess.run([sys.executable, "-c", KILLED, what, str(db), str(out)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == -9, done.stderr


def test_a_backup_killed_half_way_is_swept_by_the_next(booth: Booth, tmp_path: Path) -> None:
    out = tmp_path / "b.db"
    _killed("backup", booth.db.path, out)
    [left] = temporaries(tmp_path)
    assert not out.exists() and left.startswith(".b.db.")
    running = workfiles.temp_name(out)  # this process's own, as if it were writing now
    running.write_bytes(b"")
    backups.backup(booth, out)
    assert temporaries(tmp_path) == [running.name]  # the dead one's gone, the live one kept
    assert backups.read_contents(out).device_code == "KPG-01"


def test_an_export_killed_half_way_is_swept_by_the_next(booth: Booth, till_shift: ShiftRow,
                                                        tmp_path: Path) -> None:
    sell(booth, shift_id=till_shift.id)
    out = tmp_path / "pack"
    _killed("export", booth.db.path, out)
    [left] = temporaries(tmp_path)
    assert (tmp_path / left).is_dir() and any((tmp_path / left).iterdir())
    assert not out.exists()
    export_pack(booth, out, formats=("csv",))
    assert temporaries(tmp_path) == [] and (out / "manifest.json").exists()


def test_marks_come_only_from_copies_of_the_same_device(
        booth: Booth, till_shift: ShiftRow, tmp_path: Path) -> None:
    """A file in the backup folder named like this device's newest backup but holding
    KPG-02's database (with far bigger counters) raises nothing."""
    folder = tmp_path / "shared"
    set_setting(booth, "backup_dir", str(folder))
    sell(booth, shift_id=till_shift.id)
    saved = backups.backup(booth, tmp_path / "saved.db")
    other, _ = init_booth(tmp_path / "kpg-02.db", demo=True, device_code="KPG-02")
    try:
        with other.db.write() as s:
            bump_counter(s, other.context.device_id, "sale", 500)
            bump_counter(s, other.context.device_id, "record", 10**6)
        backups.backup(other, folder / "lapak-KPG-01-20991231-235959.db")
    finally:
        other.close()
    assert [p.name for _t, p in backups.backup_files(folder, "KPG-01")] == [
        "lapak-KPG-01-20991231-235959.db"]
    db = booth.db.path
    booth.close()
    assert restores.restore(saved, db).raised == {}
