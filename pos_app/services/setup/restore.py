"""Restores of the booth database: the backup is put in place through SQLite's backup API,
the database it replaces is kept (never over an earlier kept copy), and the restored
counters are raised to the highest this device's other copies know, so no number is issued
twice. A backup of another device needs both devices named (:func:`check_other_device`)."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from pos_app.domain.errors import N_, DomainError, os_failure
from pos_app.persistence.database import SQLITE_HEADER
from pos_app.services.setup.backup import (
    BackupContents,
    backup_files,
    copy_database,
    folder_of,
    read_contents,
)

NUMBERS_UNKNOWN = N_("Neither the replaced database nor head office could say which numbers "
                     "this device issued after the backup was made: sync with head office "
                     "before the next sale")


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    previous: Path | None  # the database it replaced, kept (see ``kept_name``)
    device_code: str
    sales: int
    # counters raised past what the backup had (name -> (backup's, now)): numbers this
    # device issued after the backup was made, found in the kept copy or a newer backup
    raised: dict[str, tuple[int, int]] = field(default_factory=dict)
    kept_read: bool = False  # the replaced database was read as this device's (its numbers)
    central: bool = False  # head office was asked for this device's numbers, and answered
    # neither the replaced database nor head office told which numbers came after the backup
    unknown: bool = False


def check_other_device(backup: BackupContents, dst: Path, theirs: str | None,
                       ours: str | None) -> None:
    """Refuse to restore ``backup``, of another device, over the database ``dst``
    (``backup_other_device_confirm``) unless ``theirs`` and ``ours`` name both devices as
    they are. A ``dst`` that is missing or cannot be read as a Lapak database has no device
    to protect."""
    backup_code = backup.device_code
    try:
        here = read_contents(dst)
    except DomainError:
        return
    if backup.device_id.replace("-", "") == here.device_id.replace("-", ""):
        return
    if (theirs or "").strip().upper() != backup_code.upper() or \
            (ours or "").strip().upper() != here.device_code.upper():
        raise DomainError("backup_other_device_confirm", device=backup_code,
                          ours=here.device_code)


def kept_name(dst: Path) -> Path:
    """Where the database a restore replaces is kept: ``<db>.before-restore``, else the first
    free ``<db>.before-restore-N``; an earlier kept copy is never overwritten."""
    out, n = dst.with_name(dst.name + ".before-restore"), 1
    while os.path.lexists(out):
        n += 1
        out = dst.with_name(f"{dst.name}.before-restore-{n}")
    return out


def _read_marks(path: Path, device_hex: str) -> dict[str, int]:
    """The counters of ``device_hex`` a database holds (numbers issued: sales, records,
    kwitansi...); none when it cannot be read (damaged, another device, not ours)."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, OSError, ValueError):
        return {}
    try:
        row = con.execute("SELECT value FROM setting WHERE key = 'device_id'").fetchone()
        if not row or str(row[0]).replace("-", "") != device_hex:
            return {}
        return {name: int(value) for name, value in con.execute(
            "SELECT name, value FROM counter WHERE device_id = ?", (device_hex,))}
    except (sqlite3.Error, ValueError, TypeError):
        return {}
    finally:
        con.close()


def _mark_sources(dst: Path, kept: Path | None, target: sqlite3.Connection,
                  device_code: str) -> list[Path]:
    """Every file that may know numbers this device issued after the backup: the database
    the restore replaced, and this device's backups in its backup folders."""
    found = [kept] if kept is not None else []
    folders = {folder_of("", dst)}
    for key in ("backup_dir", "backup_second_dir"):
        row = target.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        if row and isinstance(row[0], str) and row[0].strip():
            folders.add(folder_of(row[0], dst))
    for folder in folders:
        found += [path for _made, path in backup_files(folder, device_code)]
    return found


def _raise_marks(target: sqlite3.Connection, dst: Path, kept: Path | None,
                 device_code: str) -> tuple[dict[str, tuple[int, int]], bool]:
    """Raise the restored database's counters to the highest each source knows, so no sale
    number, record sequence or other number of this device is issued twice. Returns what
    was raised: name -> (the backup's value, the value now); and whether ``kept`` was read
    as this device's database."""
    row = target.execute("SELECT value FROM setting WHERE key = 'device_id'").fetchone()
    device_hex = str(row[0]).replace("-", "")
    have = {name: int(value) for name, value in target.execute(
        "SELECT name, value FROM counter WHERE device_id = ?", (device_hex,))}
    best, kept_read = dict(have), False
    for path in _mark_sources(dst, kept, target, device_code):
        marks = _read_marks(path, device_hex)
        kept_read = kept_read or (path == kept and bool(marks))
        for name, value in marks.items():
            best[name] = max(best.get(name, 0), value)
    raised = {name: (have.get(name, 0), value) for name, value in best.items()
              if value > have.get(name, 0)}
    for name, (_was, value) in raised.items():
        target.execute("INSERT INTO counter (device_id, name, value) VALUES (?, ?, ?)"
                       " ON CONFLICT (device_id, name) DO UPDATE SET value = excluded.value",
                       (device_hex, name, value))
    return raised, kept_read


def restore(src: Path, dst: Path, *,
            confirm: tuple[str | None, str | None] | None = None) -> RestoreResult:
    """Put the backup ``src`` in place of the database ``dst`` (through the backup API, so an
    open WAL database is replaced safely). ``src`` must be a sound Lapak database
    (``bad_database`` otherwise); the database it replaces is first kept under
    :func:`kept_name` (never over an earlier one). Then the restored counters are raised to
    the highest this device's other copies know (:func:`_raise_marks`) and the product
    search index is rebuilt. ``confirm`` (the codes of the backup's device and of this one,
    as given on the command line): :func:`check_other_device` first; the app asks its own
    question before it calls this."""
    src, dst = Path(src), Path(dst)
    contents = read_contents(src)
    if confirm is not None:
        check_other_device(contents, dst, *confirm)
    if dst.exists() and dst.resolve() == src.resolve():
        raise DomainError("backup_failed", reason="a database cannot be restored onto itself")
    previous = None
    if dst.exists() and dst.stat().st_size > 0:
        previous = kept_name(dst)
        with dst.open("rb") as fh:
            ours = fh.read(16) == SQLITE_HEADER
        if ours:  # any SQLite file, even one half set up: no Lapak checks
            copy_database(dst, previous, verify=False)
        else:  # not a database at all: keep the bytes as they are
            os.replace(dst, previous)
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"{src.resolve().as_uri()}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(dst, isolation_level=None)
            try:
                target.execute("PRAGMA busy_timeout=10000")
                source.backup(target)
                raised, kept_read = _raise_marks(target, dst, previous, contents.device_code)
                has_fts = target.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                                         "AND name='product_fts'").fetchone()
                if has_fts:
                    target.execute("INSERT INTO product_fts(product_fts) VALUES('rebuild')")
                ok = target.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            finally:
                target.close()
        finally:
            source.close()
    except OSError as exc:
        raise os_failure("backup_failed", dst, exc) from exc
    except sqlite3.Error as exc:
        raise DomainError("backup_failed", reason=str(exc) or type(exc).__name__) from exc
    if not ok:
        raise DomainError("backup_failed", reason=f"{dst} does not verify after the restore")
    return RestoreResult(dst, previous, contents.device_code, contents.sales, raised,
                         kept_read)
