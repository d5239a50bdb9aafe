"""Shared widgets and plumbing: buttons, banners, keypads, style, ops, the app context, status bar."""

__all__ = [
    "banner",
    "buttons",
    "keypad",
    "pin_pad",
    "style",
    "ops",
    "labels",
    "app_context",
    "status_bar",
]
