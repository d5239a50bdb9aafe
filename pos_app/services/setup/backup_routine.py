"""Backups that happen: besides the one at every shift close, a backup whenever the newest
is more than a day old (the app checks at start-up and then every half hour), and what the
status bar says about them (the newest backup's age, a second folder that is missing or
cannot be written)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pos_app.domain.errors import DomainError
from pos_app.services.setup.backup import (
    AutoBackup,
    automatic_backup,
    backup_files,
    backup_folder,
    second_folder,
)
from pos_app.services.setup.booth import Booth

MAX_AGE = timedelta(days=1)  # a newer backup than this is recent enough


@dataclass(frozen=True)
class BackupState:
    folder: Path
    last_at: datetime | None  # the newest backup of this device there (UTC); None: none
    now: datetime  # the booth clock's, when this was read
    second: Path | None = None  # the second folder, when one is set
    second_problem: DomainError | None = None  # it is missing, or cannot be written
    error: DomainError | None = None  # the backup just tried failed
    made: AutoBackup | None = None  # the backup just made

    @property
    def stale(self) -> bool:
        """No backup, or the newest is more than a day old."""
        return self.last_at is None or self.now - self.last_at > MAX_AGE

    @property
    def age_hours(self) -> int | None:
        if self.last_at is None:
            return None
        return max(0, int((self.now - self.last_at).total_seconds() // 3600))


def _second_problem(folder: Path | None) -> DomainError | None:
    if folder is None:
        return None
    if not folder.is_dir():
        return DomainError("backup_second_missing", folder=str(folder))
    if not os.access(folder, os.W_OK):
        return DomainError("backup_second_failed", folder=str(folder),
                           reason="not writable")
    return None


def backup_state(booth: Booth) -> BackupState:
    """Where the backups are, when the newest was made, and whether the second folder can
    take one (reads the folders, not the database's tables)."""
    ctx = booth.context
    folder, second = backup_folder(booth), second_folder(booth)
    found = backup_files(folder, ctx.device_code)
    last_at = None
    if found:
        made_local, _path = found[-1]
        last_at = made_local.replace(tzinfo=ZoneInfo(ctx.timezone)).astimezone(UTC)
    return BackupState(folder, last_at, booth.clock.now(), second, _second_problem(second))


def backup_if_due(booth: Booth) -> BackupState:
    """Back up when the newest backup is more than a day old (or there is none); the state
    afterwards. A failure is kept in the state (``error``), never raised: the status bar
    says it."""
    state = backup_state(booth)
    if not state.stale:
        return state
    try:
        made = automatic_backup(booth)
    except DomainError as exc:
        return BackupState(state.folder, state.last_at, state.now, state.second,
                           state.second_problem, exc)
    after = backup_state(booth)
    return BackupState(after.folder, after.last_at, after.now, after.second,
                       made.second_error or after.second_problem, None, made)
