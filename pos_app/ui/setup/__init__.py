"""First run, settings, the printer settings, the backups (status, settings tab, restore)."""

__all__ = [
    "first_run",
    "settings_dialog",
    "printer_settings",
    "backup_status",
    "backup_page",
    "restore_dialog",
    "qris_settings",
]
