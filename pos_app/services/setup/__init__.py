"""The booth itself: its database, settings, device identity, clock, backups, synced records."""

__all__ = [
    "settings",
    "setup",
    "booth",
    "backup",
    "backup_routine",
    "backup_restore",
    "restore",
    "clock",
    "records",
    "pepper",
]
