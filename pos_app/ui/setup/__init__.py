"""First run, settings and the printer settings."""

__all__ = [
    "first_run",
    "settings_dialog",
    "printer_settings",
]
