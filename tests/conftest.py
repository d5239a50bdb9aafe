"""Shared fixtures. Qt runs headless: the platform is forced before anything imports PySide6."""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import uuid

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")
# Device secrets (PIN peppers) go to a throw-away folder, never the real home; and no test
# talks to a desktop keyring.
_SECRETS = tempfile.mkdtemp(prefix="lapak-test-secrets-")
atexit.register(shutil.rmtree, _SECRETS, ignore_errors=True)
os.environ["LAPAK_SECRETS_DIR"] = _SECRETS
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
# The app's log file (pos_app.logs, set up by every in-process `pos-app` command) goes to a
# throw-away folder as well, not into the real per-user log folder.
_STATE = tempfile.mkdtemp(prefix="lapak-test-state-")
atexit.register(shutil.rmtree, _STATE, ignore_errors=True)
os.environ["XDG_STATE_HOME"] = _STATE
# PINs are hashed with a cheap argon2 profile (a login test would otherwise spend 0.1 s and
# 64 MiB per hash); tests/integration/test_pin_hash.py checks the production one.
os.environ.setdefault("LAPAK_ARGON2_PROFILE", "test")

from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from pos_app.services.setup.booth import Booth  # noqa: E402
from pos_app.services.setup.clock import FixedClock  # noqa: E402
from pos_app.services.setup.setup import init_booth  # noqa: E402
from pos_app.services.shift.shifts import ShiftRow, open_shift  # noqa: E402


def seeded_secrets(directory: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A test's own (empty) secrets folder, with no keyring. The ``booth`` fixture brings the
    demo template's device secret into it, so the template's PIN hashes still verify."""
    import keyring.core
    from keyring.backends import fail

    from pos_app.services.setup import pepper

    monkeypatch.setenv(pepper.ENV_DIR, str(directory))
    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
    pepper.forget_cache()
    return directory


@pytest.fixture
def secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No real keyring and no real home: the device secret lives in a file under tmp_path."""
    from pos_app.services.setup import pepper

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    yield seeded_secrets(tmp_path / "secrets", monkeypatch)
    pepper.forget_cache()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "booth.db"


# when the demo template is set up: the morning the demo event starts, before ``clock``
SET_UP_AT = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    # 19:30 WITA on a festival evening
    return FixedClock(datetime(2026, 11, 21, 11, 30, tzinfo=UTC))


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo booth, built once per session (catalog import and PIN hashing are slow).

    Its device secret always goes to the session's secrets folder, whatever folder the test
    that happens to build it first has made active."""
    from pos_app.services.setup import pepper

    path = tmp_path_factory.mktemp("template") / "demo.db"
    active = os.environ.get(pepper.ENV_DIR)
    os.environ[pepper.ENV_DIR] = _SECRETS
    pepper.forget_cache()
    try:  # set up before the tests' clock (not in its future: approvals keep time from the
        # journal's newest event, audit.steady_now)
        b, _ = init_booth(path, demo=True, clock=FixedClock(SET_UP_AT))
        b.close()
    finally:
        os.environ[pepper.ENV_DIR] = active or _SECRETS
        pepper.forget_cache()
    return path


def copy_database(src: Path, dst: Path) -> None:
    """A copy made with the SQLite backup API (as the app's own backups are)."""
    with sqlite3.connect(src) as source, sqlite3.connect(dst) as target:
        source.backup(target)
    source.close()
    target.close()


@pytest.fixture
def booth(db_path: Path, clock: FixedClock, demo_template: Path) -> Booth:
    """A fresh booth database with the NTT demo catalog, on a fixed clock."""
    copy_database(demo_template, db_path)
    active = Path(os.environ["LAPAK_SECRETS_DIR"])
    if active != Path(_SECRETS):  # a test with its own secrets folder: give it the device's
        from pos_app.services.setup import pepper

        active.mkdir(mode=0o700, parents=True, exist_ok=True)
        with sqlite3.connect(demo_template) as con:
            device = con.execute("SELECT value FROM setting WHERE key = 'device_id'").fetchone()
        con.close()
        for name in (pepper.file_path(uuid.UUID(device[0])).name, f"journal-{uuid.UUID(device[0]).hex}"):
            if (Path(_SECRETS) / name).exists():  # the PIN pepper, the journal secret
                shutil.copy2(Path(_SECRETS) / name, active / name)
    opened = Booth.open(db_path, clock=clock)
    yield opened
    opened.close()


# The till's opening float: an empty drawer, so a test's cash figures are its sales' alone.
TILL_FLOAT = 0


@pytest.fixture
def till_shift(booth: Booth) -> ShiftRow:
    """The open POS shift a till sale needs (no shift, no sale): opened on ``booth`` for the
    demo cashier Kasir with a float of ``TILL_FLOAT``, at the fixture clock's time.

    Opening it writes a ``shift`` row, its ``open`` shift_event, a ``shift.open`` journal
    event (chain index 3, after the demo's two ``user.create``) and their outbox rows, and
    moves the ``record`` counter - all before the test body runs, so a "before" snapshot
    taken in the test already holds them. Do not use it in a test that opens its own POS
    shift on the same booth (``shift_already_open``)."""
    return open_shift(booth, "Kasir", TILL_FLOAT)


@pytest.fixture
def empty_booth(db_path: Path, clock: FixedClock) -> Booth:
    """A fresh booth database with no catalog."""
    b, _ = init_booth(db_path, demo=False, clock=FixedClock(SET_UP_AT))
    b.close()
    opened = Booth.open(db_path, clock=clock)
    yield opened
    opened.close()
