"""The sync screen, its background runner and the USB bundle buttons."""

__all__ = [
    "sync_runner",
    "sync_screen",
    "sync_usb",
]
