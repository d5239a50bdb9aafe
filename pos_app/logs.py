"""Where the app's log goes: a rotating file in the per-user log folder, never the cashier's
screen or a script's stderr (those get one translated line)."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

log = logging.getLogger("pos_app")


def log_to_file() -> Path | None:
    """Send the ``pos_app`` log to ``lapak.log``; returns its path (None if unwritable).

    Idempotent: the command line sets it up and so does the desktop app it starts, and a
    second rotating handler on the same file would write every line twice."""
    from platformdirs import user_log_path

    for handler in log.handlers:
        if isinstance(handler, RotatingFileHandler):
            return Path(handler.baseFilename)
        if isinstance(handler, logging.NullHandler):  # tried before: the folder is unwritable
            return None
    # With a handler of its own, a record never reaches Python's last-resort stderr handler;
    # it still propagates, so an embedding program (or pytest's caplog) can listen too.
    try:
        path = user_log_path("lapak-pos", appauthor=False) / "lapak.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        log.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return path
