"""Backups and restores of the booth database, through SQLite's online backup API.

Never a file copy: copying a WAL database while it is written (or without its ``-wal``) is one
of the ways SQLite databases get corrupted. A backup is written to a temporary name, checked
(``integrity_check``, our schema version, this device) and only then renamed into place; the
copy is a single self-contained file (rollback-journal mode, no ``-wal`` beside it).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pos_app.adapters import workfiles
from pos_app.domain.calendar import local_time
from pos_app.domain.errors import DomainError, os_failure
from pos_app.persistence.database import SQLITE_HEADER, is_read_only
from pos_app.services.setup.booth import Booth


@dataclass(frozen=True)
class BackupContents:
    """What a sound Lapak database holds, read before anything is replaced."""

    device_id: str  # as stored in its settings
    device_code: str
    sales: int  # sale rows (voids and refunds included)
    head_index: int  # its device's journal head (0: an empty journal)
    head_hash: str
    last_at: datetime | None  # when its journal's newest event was written (UTC)


@dataclass(frozen=True)
class AutoBackup:
    """An automatic backup: where it went, and the copy in the second folder (when one is
    set; a failed copy never undoes the first)."""

    path: Path
    second: Path | None = None
    second_error: DomainError | None = None


def fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_contents(path: Path) -> BackupContents:
    """Refuse anything but a sound Lapak database (``bad_database``); what it holds."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError:
        raise DomainError("bad_database", path=str(path)) from None
    if header != SQLITE_HEADER:
        raise DomainError("bad_database", path=str(path))
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        raise DomainError("bad_database", path=str(path)) from None
    try:
        if con.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            raise DomainError("bad_database", path=str(path))
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "setting", "device", "sale", "audit_event"} <= tables or \
                con.execute("SELECT version_num FROM alembic_version").fetchone() is None:
            raise DomainError("bad_database", path=str(path))
        row = con.execute("SELECT value FROM setting WHERE key = 'device_id'").fetchone()
        device = con.execute("SELECT id, code FROM device WHERE id = ?", (row[0],)).fetchone() \
            if row and row[0] else None
        if device is None:
            raise DomainError("bad_database", path=str(path))
        sales = con.execute("SELECT count(*) FROM sale").fetchone()[0]
        head = con.execute("SELECT chain_index, hash, created_at FROM audit_event "
                           "WHERE device_id = ? ORDER BY chain_index DESC LIMIT 1",
                           (device[0],)).fetchone()
    except sqlite3.Error:
        raise DomainError("bad_database", path=str(path)) from None
    finally:
        con.close()
    last_at = None
    if head is not None:
        with contextlib.suppress(TypeError, ValueError):
            last_at = datetime.fromisoformat(head[2])
    return BackupContents(str(row[0]), device[1], sales, head[0] if head else 0,
                          head[1] if head else "0" * 64, last_at)


def backup_api(src: Path, dst: Path) -> None:
    """One self-contained copy of ``src`` at ``dst`` (SQLite backup API, no -wal beside it)."""
    # a database on read-only media is read as it is (no -shm beside it, nothing written)
    source = sqlite3.connect(f"{src.resolve().as_uri()}?mode=ro&immutable=1", uri=True) \
        if is_read_only(src) else sqlite3.connect(src)
    try:
        target = sqlite3.connect(dst)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        source.close()


def check_target(out: Path, *, replace: bool = False) -> None:
    """Refuse to write a backup at ``out`` when something is there: anything but a regular
    file always (``backup_not_a_file``: a device node, a pipe, a link, a folder), a regular
    file unless ``replace`` (``backup_exists``)."""
    try:
        mode = os.lstat(out).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise os_failure("backup_failed", out, exc) from exc
    if not stat.S_ISREG(mode):
        raise DomainError("backup_not_a_file", path=str(out))
    if not replace:
        raise DomainError("backup_exists", path=str(out))


def copy_database(src: Path, out: Path, *, replace: bool = False, verify: bool = True) -> None:
    """``src`` -> ``out`` with the backup API, through a temporary beside ``out`` (see
    :mod:`pos_app.adapters.workfiles`; those a killed run left are swept first); checked
    before the rename, which only replaces a regular file and only when ``replace``. Raises
    ``backup_failed`` (and leaves no temporary behind)."""
    part = workfiles.temp_name(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        workfiles.sweep(out)
        check_target(out, replace=replace)
        backup_api(src, part)
        try:
            if verify:  # a Lapak database (a restore keeps any SQLite file as it was)
                read_contents(part)
        except DomainError:
            raise DomainError("backup_failed", reason=f"the copy of {src} does not verify") from None
        with part.open("rb+") as fh:
            os.fsync(fh.fileno())
        check_target(out, replace=replace)  # nothing appeared there meanwhile
        os.replace(part, out)
        fsync_dir(out.parent)
    except OSError as exc:
        raise os_failure("backup_failed", out, exc) from exc
    except sqlite3.Error as exc:
        raise DomainError("backup_failed", reason=str(exc) or type(exc).__name__) from exc
    finally:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)


def backup_name(booth: Booth) -> str:
    """``lapak-KPG-01-20261121-193000.db`` (local time of the event)."""
    ctx = booth.context
    stamp = local_time(booth.clock.now(), ctx.timezone)
    return f"lapak-{ctx.device_code}-{stamp:%Y%m%d-%H%M%S}.db"


def backup(booth: Booth, out: Path, *, replace: bool = False) -> Path:
    """Back the booth database up to ``out`` (a file, or a folder to put a dated file in).
    Something already at ``out`` is refused (:func:`check_target`), a regular file replaced
    only when ``replace`` says so, and never the database itself."""
    out = Path(out)
    if out.is_dir():
        out = out / backup_name(booth)
    if out.exists() and out.resolve() == booth.db.path.resolve():
        raise DomainError("backup_failed", reason="the backup would overwrite the database")
    copy_database(booth.db.path, out, replace=replace)
    return out


def _pattern(device_code: str) -> re.Pattern[str]:
    return re.compile(rf"lapak-{re.escape(device_code)}-(\d{{8}}-\d{{6}})(?:-(\d+))?\.db")


def backup_files(folder: Path, device_code: str) -> list[tuple[datetime, Path]]:
    """This device's dated backups in ``folder``, oldest first, with the local time their
    name says they were made (naive); none when the folder is not there."""
    pattern = _pattern(device_code)
    found = []
    try:
        paths = list(Path(folder).iterdir())
    except OSError:
        return []
    for path in paths:
        match = pattern.fullmatch(path.name)
        if match and path.is_file():
            found.append(((match[1], int(match[2] or 1)), path))
    found.sort()
    return [(datetime.strptime(key[0], "%Y%m%d-%H%M%S"), path) for key, path in found]


def folder_of(backup_dir: str, db_path: Path) -> Path:
    """The setting ``backup_dir`` as a folder; empty: ``backups`` beside the database (in
    the data directory)."""
    chosen = backup_dir.strip()
    return Path(chosen).expanduser() if chosen else Path(db_path).parent / "backups"


def backup_folder(booth: Booth) -> Path:
    """Where the automatic backups go (:func:`folder_of` the booth's settings)."""
    return folder_of(booth.settings().backup_dir, booth.db.path)


def second_folder(booth: Booth) -> Path | None:
    """The optional second folder (a USB stick, setting ``backup_second_dir``)."""
    chosen = booth.settings().backup_second_dir.strip()
    return Path(chosen).expanduser() if chosen else None


# The daily check (on the app's background worker) and a shift close (on its main worker) may
# back up at the same moment: one at a time, so they never pick the same name.
_AUTOMATIC = threading.Lock()


def _free_name(folder: Path, name: str) -> Path:
    out, n = folder / name, 1
    while out.exists():  # two backups in one second: lapak-...-193000-2.db
        n += 1
        out = folder / name.replace(".db", f"-{n}.db")
    return out


def automatic_backup(booth: Booth) -> AutoBackup:
    """A dated backup in :func:`backup_folder` (made if need be), keeping this device's
    newest ``backup_keep`` there; then a copy in the second folder, when one is set, kept
    likewise. Other devices' files are never touched. A second folder that is not there (the
    stick is out) is not made: ``backup_second_missing``; one that cannot be written,
    ``backup_second_failed``; either comes back in the result, never raised."""
    with _AUTOMATIC:
        return _automatic(booth)


def _automatic(booth: Booth) -> AutoBackup:
    keep = booth.settings().backup_keep
    folder, second = backup_folder(booth), second_folder(booth)
    code = booth.context.device_code
    out = _free_name(folder, backup_name(booth))
    copy_database(booth.db.path, out)
    prune(folder, code, keep)
    if second is None:
        return AutoBackup(out)
    if not second.is_dir():
        return AutoBackup(out, None, DomainError("backup_second_missing", folder=str(second)))
    try:
        copied = _free_name(second, out.name)
        copy_database(out, copied)
        prune(second, code, keep)
    except DomainError as exc:
        return AutoBackup(out, None, DomainError("backup_second_failed", folder=str(second),
                                                 reason=exc.params.get("reason", exc.code)))
    return AutoBackup(out, copied)


def prune(folder: Path, device_code: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups of ``device_code`` in ``folder``."""
    found = [path for _made, path in backup_files(folder, device_code)]
    removed = found[:-keep] if len(found) > keep else []
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
