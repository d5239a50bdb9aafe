"""Issue 17, item 3: a database on read-only media opens read-only for every command that only
reads (verify, export, reports, backup) and a write is refused as read-only, changing nothing;
a damaged file is named as damaged with the way to restore; an empty file is never turned
into a database by a command that then refuses it.

Read-only is made two ways, run as a user would (``python -m pos_app`` in a child process):
- a read-only mount (EROFS, what a CD or a locked stick gives; needs root and a mount);
- a file and folder without write permission (as root, the child runs without the
  capabilities that let root ignore permissions: ``setpriv`` drops CAP_DAC_OVERRIDE and
  CAP_DAC_READ_SEARCH, so the owner's r-- binds it as it binds anyone)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import ShiftRow
from tests.integration.test_backup import sell

ROOT = Path(__file__).resolve().parents[2]
READS = [  # (argv, a piece of what it prints)
    (["audit", "verify", "--offline"], "Jurnal utuh"),
    (["export", "--format", "csv", "--out", "{out}/x.csv"], "Disimpan"),
    (["export", "--format", "pack", "--out", "{out}/pack"], "Disimpan"),
    (["report", "settlement"], "Total"),
    (["stock", "on-hand"], "produk"),
    (["backup", "--out", "{out}/b.db"], "Cadangan disimpan"),
    (["receipt", "KPG-01-000001", "--pdf", "{out}/r.pdf"], "Struk disimpan"),
]
WRITES = [
    ["sell", "--item", "KOP-001=1", "--pay", "cash=100000"],
    ["settings", "set", "receipt_footer", "x"],
    ["stock", "adjust", "--facility", "LP-END", "--item", "KOP-001=-1", "--reason", "damaged"],
]


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


@contextlib.contextmanager
def _mounted(folder: Path) -> Iterator[bool]:
    """A tmpfs at ``folder``; yields whether it could be mounted (root, CAP_SYS_ADMIN)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        yield False
        return
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0755", "none", str(folder)],
                          capture_output=True)
    try:
        yield done.returncode == 0
    finally:
        if done.returncode == 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


class Copy:
    """A booth database copied into a read-only place, and how to run ``pos-app`` on it."""

    def __init__(self, folder: Path, out: Path, prefix: list[str], env: dict[str, str]):
        self.folder, self.db, self.out, self.prefix, self.env = folder, folder / "booth.db", \
            out, prefix, env

    def run(self, *argv: str) -> tuple[int, str, str]:
        argv = [a.replace("{out}", str(self.out)) for a in argv]
        done = subprocess.run(
            [*self.prefix, sys.executable, "-m", "pos_app", "--lang", "id", "--db",
             str(self.db), *argv],
            capture_output=True, text=True, timeout=180, cwd=str(ROOT), env=self.env)
        return done.returncode, done.stdout, done.stderr


@pytest.fixture(params=["mount", "permissions"])
def read_only(request, booth: Booth, till_shift: ShiftRow) -> Iterator[Copy]:
    sell(booth, shift_id=till_shift.id)
    source = booth.db.path
    booth.close()
    base = Path(tempfile.mkdtemp(prefix="lapak-ro-"))
    base.chmod(0o755)
    folder, out, home, secrets = (base / n for n in ("media", "out", "home", "secrets"))
    for f in (folder, out, home):
        f.mkdir()
    shutil.copytree(os.environ["LAPAK_SECRETS_DIR"], secrets)
    prefix: list[str] = []
    try:
        with contextlib.ExitStack() as stack:
            if request.param == "mount":
                if not stack.enter_context(_mounted(folder)):
                    pytest.skip("a read-only mount needs root with CAP_SYS_ADMIN here; the "
                                "permissions case covers the same refusal")
            for p in source.parent.iterdir():  # the database and its -wal, as on the stick
                if p.name.startswith(source.name):
                    shutil.copy2(p, folder / p.name.replace(source.name, "booth.db"))
            if request.param == "mount":
                assert subprocess.run(["mount", "-o", "remount,ro", str(folder)]).returncode == 0
            else:
                for p in folder.iterdir():
                    p.chmod(0o444)
                folder.chmod(0o555)
                if os.geteuid() == 0:
                    caps = "-dac_override,-dac_read_search"
                    prefix = ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}"]
            env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
                   "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "c"),
                   "LAPAK_SECRETS_DIR": str(secrets), "QT_QPA_PLATFORM": "offscreen",
                   "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
            yield Copy(folder, out, prefix, env)
    finally:
        with contextlib.suppress(OSError):
            folder.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_commands_that_only_read_work_on_read_only_media(read_only: Copy) -> None:
    before = digest(read_only.folder)
    for argv, said in READS:
        code, out, err = read_only.run(*argv)
        assert (code, err) == (0, ""), (argv, err)
        assert said in out, (argv, out)
    assert digest(read_only.folder) == before
    assert sorted(p.name for p in read_only.folder.iterdir()) == sorted(before)  # no -shm


def test_a_write_on_read_only_media_is_refused_as_read_only(read_only: Copy) -> None:
    before = digest(read_only.folder)
    for argv in WRITES:
        code, out, err = read_only.run(*argv)
        assert code == 1 and out == "", (argv, out)
        assert err == (f"pos-app: Basis data {read_only.db} hanya-baca (CD atau flashdisk yang "
                       "dikunci?): bisa dibaca, diperiksa, diekspor, dan dicadangkan, tetapi "
                       "tidak diubah. Salin ke tempat yang bisa ditulis untuk mengerjakannya\n"), \
            (argv, err)
    assert digest(read_only.folder) == before


def _damage(path: Path) -> None:
    with path.open("r+b") as fh:  # a sound header, broken pages (a bad sector, a cut copy)
        fh.seek(4096 * 3)
        fh.write(b"\xff" * 8192)


def test_a_damaged_database_is_named_so_with_the_way_to_restore(
        booth: Booth, till_shift: ShiftRow, tmp_path: Path) -> None:
    sell(booth, shift_id=till_shift.id)
    db = booth.db.path
    booth.close()
    _damage(db)
    said = (f"pos-app: Basis data {db} rusak: pulihkan cadangan terbaru (pos-app restore "
            "BACKUP, atau di aplikasi: Pengaturan, Cadangan, Pulihkan cadangan)\n")
    for argv in (["audit", "verify", "--offline"],  # checks every page first
                 ["export", "--format", "csv", "--out", str(tmp_path / "x.csv")]):
        done = subprocess.run([sys.executable, "-m", "pos_app", "--lang", "id", "--db",
                               str(db), *argv], capture_output=True, text=True, timeout=180,
                              cwd=str(ROOT))
        assert (done.returncode, done.stdout, done.stderr) == (1, "", said), argv
    assert not (tmp_path / "x.csv").exists()


def test_an_empty_file_is_refused_and_stays_empty(tmp_path: Path, capsys) -> None:
    from pos_app.cli.main import main

    empty = tmp_path / "kosong.db"
    empty.touch()
    for argv in (["sell", "--item", "KOP-001=1", "--pay", "cash=1"], ["audit", "verify"],
                 ["export", "--format", "csv", "--out", str(tmp_path / "x.csv")]):
        assert main(["--lang", "id", "--db", str(empty), *argv]) == 1
        assert capsys.readouterr().err == (
            f"pos-app: {empty} kosong, bukan basis data Lapak; buat dengan `pos-app init`\n")
        assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kosong.db"]
