"""Shared fixtures. Qt runs headless: the platform is forced before anything imports PySide6."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from pos_app.services.booth import Booth  # noqa: E402
from pos_app.services.clock import FixedClock  # noqa: E402
from pos_app.services.setup import init_booth  # noqa: E402


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "booth.db"


@pytest.fixture
def clock() -> FixedClock:
    # 19:30 WITA on a festival evening
    return FixedClock(datetime(2026, 11, 21, 11, 30, tzinfo=UTC))


@pytest.fixture
def booth(db_path: Path, clock: FixedClock) -> Booth:
    """A fresh booth database with the NTT demo catalog, on a fixed clock."""
    b, _ = init_booth(db_path, demo=True)
    b.close()
    opened = Booth.open(db_path, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def empty_booth(db_path: Path, clock: FixedClock) -> Booth:
    """A fresh booth database with no catalog."""
    b, _ = init_booth(db_path, demo=False)
    b.close()
    opened = Booth.open(db_path, clock=clock)
    yield opened
    opened.close()
