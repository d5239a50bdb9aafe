"""Where things live: the per-user database, and the shipped resources (also when frozen)."""

from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "lapak-pos"


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "lapak.db"


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
