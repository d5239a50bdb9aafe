"""Restores of the booth database: the backup is put in place through SQLite's backup API,
the database it replaces is kept (never over an earlier kept copy), and the restored
counters are raised to the highest this device's other copies know, so no number is issued
twice. A backup of another device needs both devices named (:func:`check_other_device`)."""

from __future__ import annotations

import contextlib
import glob
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from pos_app.adapters import workfiles
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


FROM_HEAD_OFFICE = N_("The replaced database could not be read: numbering continues after what "
                      "head office holds; sales made after the last sync are not in the "
                      "restored database")
UNCHECKED = "marks_unchecked"  # setting "1": head office not yet asked for this device's numbers
UNKNOWN = "marks_unknown"  # setting "1": numbers issued after the backup not known: none issued


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


def _mark_sources(dst: Path, target: sqlite3.Connection, device_code: str) -> list[Path]:
    """Every file that may know numbers this device issued after the backup: the database
    being replaced, the copies earlier restores kept beside it, and this device's backups
    in its backup folders."""
    found = [dst, *sorted(dst.parent.glob(glob.escape(dst.name) + ".before-restore*"))]
    folders = {folder_of("", dst)}
    for key in ("backup_dir", "backup_second_dir"):
        row = target.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        if row and isinstance(row[0], str) and row[0].strip():
            folders.add(folder_of(row[0], dst))
    for folder in folders:
        found += [path for _made, path in backup_files(folder, device_code)]
    return [path for path in found if not path.name.endswith(("-wal", "-shm", ".part"))]


def _raise_marks(target: sqlite3.Connection, dst: Path,
                 device_code: str) -> tuple[dict[str, tuple[int, int]], bool]:
    """Raise the restored database's counters to the highest each source knows, so no sale
    number, record sequence or other number of this device is issued twice. Returns what
    was raised: name -> (the backup's value, the value now); and whether the database being
    replaced was read as this device's (then nothing issued since can be missing)."""
    row = target.execute("SELECT value FROM setting WHERE key = 'device_id'").fetchone()
    device_hex = str(row[0]).replace("-", "")
    have = {name: int(value) for name, value in target.execute(
        "SELECT name, value FROM counter WHERE device_id = ?", (device_hex,))}
    best, known = dict(have), False
    for path in _mark_sources(dst, target, device_code):
        marks = _read_marks(path, device_hex)
        known = known or (path == dst and bool(marks))
        for name, value in marks.items():
            best[name] = max(best.get(name, 0), value)
    raised = {name: (have.get(name, 0), value) for name, value in best.items()
              if value > have.get(name, 0)}
    for name, (_was, value) in raised.items():
        _set_counter(target, device_hex, name, value)
    return raised, known


def _set_counter(con: sqlite3.Connection, device_hex: str, name: str, value: int) -> None:
    con.execute("INSERT INTO counter (device_id, name, value) VALUES (?, ?, ?)"
                " ON CONFLICT (device_id, name) DO UPDATE SET value = max(value, excluded.value)",
                (device_hex, name, value))


def _set(con: sqlite3.Connection, key: str, value: str) -> None:
    con.execute("INSERT INTO setting (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))


def _prepare(src: Path, part: Path, dst: Path,
             device_code: str) -> tuple[dict[str, tuple[int, int]], bool]:
    """The restored database, made whole at ``part`` before anything is replaced: the
    backup's pages, the counters raised (:func:`_raise_marks`), the flags that make the
    booth ask head office (``marks_unchecked``) and, when the numbers issued since the backup
    cannot be known here, refuse new numbers until they are (``marks_unknown``; the record
    sequence, never shown, jumps to the clock's milliseconds), the search index rebuilt."""
    source = sqlite3.connect(f"{src.resolve().as_uri()}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(part, isolation_level=None)
        try:
            source.backup(target)
            target.execute("BEGIN IMMEDIATE")
            raised, known = _raise_marks(target, dst, device_code)
            _set(target, UNCHECKED, "1")
            if not known:
                _set(target, UNKNOWN, "1")
                row = target.execute("SELECT value FROM setting WHERE key = 'device_id'")
                device_hex = str(row.fetchone()[0]).replace("-", "")
                _set_counter(target, device_hex, "record", time.time_ns() // 1_000_000)
            if target.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                              "AND name='product_fts'").fetchone():
                target.execute("INSERT INTO product_fts(product_fts) VALUES('rebuild')")
            target.execute("COMMIT")
            if target.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                raise DomainError("backup_failed", reason=f"{src} does not verify")
        finally:
            target.close()
    finally:
        source.close()
    return raised, known


def _keep(dst: Path) -> Path | None:
    """Keep the database ``restore`` replaces under :func:`kept_name`: a sound one through
    the backup API (with what its WAL holds); anything else (a damaged database, a file that
    is no database) moved as it is, with its ``-wal`` and ``-shm``, so nothing in them is
    lost. None when there is nothing to keep."""
    if not dst.exists() or dst.stat().st_size == 0:
        return None
    kept = kept_name(dst)
    with dst.open("rb") as fh:
        sqlite = fh.read(16) == SQLITE_HEADER
    if sqlite:
        try:
            copy_database(dst, kept, verify=False)
            return kept
        except DomainError:  # damaged beyond the backup API: keep its bytes instead
            pass
    os.replace(dst, kept)
    for suffix in ("-wal", "-shm"):
        side = dst.with_name(dst.name + suffix)
        if side.exists():
            os.replace(side, kept.with_name(kept.name + suffix))
    return kept


def _same_file(src: Path, dst: Path) -> bool:
    try:
        return dst.exists() and os.path.samefile(src, dst)
    except OSError:
        return False


def restore(src: Path, dst: Path, *,
            confirm: tuple[str | None, str | None] | None = None) -> RestoreResult:
    """Put the backup ``src`` in place of the database ``dst``. ``src`` must be a sound
    Lapak database (``bad_database`` otherwise). In order, so that a kill at any point
    leaves either the old database or the whole restored one:

    1. the restored database is made whole beside ``dst`` (:func:`_prepare`: counters
       raised to the highest this device's copies know, flags set, index rebuilt);
    2. the database it replaces is kept (:func:`_keep`, never over an earlier kept copy);
    3. the prepared database is put in place through the backup API, in one transaction
       (an open WAL database is replaced safely).

    ``confirm`` (the codes of the backup's device and of this one, as given on the command
    line): :func:`check_other_device` first; the app asks its own question before it calls
    this."""
    src, dst = Path(src), Path(dst)
    contents = read_contents(src)
    if confirm is not None:
        check_other_device(contents, dst, *confirm)
    if _same_file(src, dst):
        raise DomainError("backup_failed", reason="a database cannot be restored onto itself")
    part = workfiles.temp_name(dst)
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        workfiles.sweep(dst)
        raised, known = _prepare(src, part, dst, contents.device_code)
        previous = _keep(dst)
        prepared = sqlite3.connect(f"{part.resolve().as_uri()}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(dst, isolation_level=None)
            try:
                target.execute("PRAGMA busy_timeout=10000")
                prepared.backup(target)
                ok = target.execute("PRAGMA quick_check").fetchall() == [("ok",)]
            finally:
                target.close()
        finally:
            prepared.close()
    except OSError as exc:
        raise os_failure("backup_failed", dst, exc) from exc
    except sqlite3.Error as exc:
        raise DomainError("backup_failed", reason=str(exc) or type(exc).__name__) from exc
    finally:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
    if not ok:
        raise DomainError("backup_failed", reason=f"{dst} does not verify after the restore")
    return RestoreResult(dst, previous, contents.device_code, contents.sales, raised,
                         kept_read=known, unknown=not known)
