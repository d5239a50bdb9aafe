"""The app's log file: set up once however often it is asked for, so a line is written once
(``pos-app`` used to add a second rotating handler when the command line started the app)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app import logs

ROOT = Path(__file__).resolve().parents[2]
# platformdirs puts the log under XDG_STATE_HOME on Linux only
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the log folder follows XDG")


@pytest.fixture
def own_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The ``pos_app`` logger with no handler yet, logging under tmp_path; restored after."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    before, level = list(logs.log.handlers), logs.log.level
    logs.log.handlers[:] = []
    yield tmp_path / "state"
    for handler in logs.log.handlers:
        handler.close()
    logs.log.handlers[:] = before
    logs.log.setLevel(level)


def test_setting_up_twice_writes_each_line_once(own_log: Path) -> None:
    first, second = logs.log_to_file(), logs.log_to_file()
    assert first == second == own_log / "lapak-pos" / "log" / "lapak.log"
    logging.getLogger("pos_app.test").warning("one line, once")
    for handler in logs.log.handlers:
        handler.flush()
    assert first.read_text(encoding="utf-8").count("one line, once") == 1
    assert len(logs.log.handlers) == 1


def test_an_unwritable_log_folder_is_tried_once(own_log: Path) -> None:
    own_log.write_text("a file where the folder should be")
    assert logs.log_to_file() is None
    assert logs.log_to_file() is None
    assert [type(h) for h in logs.log.handlers] == [logging.NullHandler]


def test_pos_app_started_from_the_command_line_logs_a_line_once(tmp_path: Path) -> None:
    # The desktop app's start-up, as `pos-app` runs it: the command line sets up the log, then
    # the app does; a database inside a plain file (SQLite cannot open it, and no check foresees
    # it) makes it log one "start-up failed". (A folder as the database is a refusal, not logged.)
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "QT_QPA_PLATFORM": "offscreen"}
    (tmp_path / "not-a-folder").write_text("x")
    done = subprocess.run([sys.executable, "-m", "pos_app", "--smoke",
                           "--db", str(tmp_path / "not-a-folder" / "lapak.db")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    text = (tmp_path / "state" / "lapak-pos" / "log" / "lapak.log").read_text(encoding="utf-8")
    assert text.count("ERROR pos_app: start-up failed") == 1
