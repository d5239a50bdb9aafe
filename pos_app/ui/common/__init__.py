"""Shared widgets and plumbing: buttons, banners, keypads, style, ops, the app context, status bar,
the one rows model and table set-up, dialog layout and busy dialogs, file choosers, the
barcode scanner's key filter."""

__all__ = [
    "app_context",
    "banner",
    "busy",
    "buttons",
    "confirm_bar",
    "dialog_layout",
    "facility_box",
    "figures",
    "files",
    "keypad",
    "labels",
    "ops",
    "pin_pad",
    "roles",
    "rows",
    "scanner",
    "status_bar",
    "style",
    "tables",
]
