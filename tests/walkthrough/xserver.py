"""Xvfb on a free display number, and the walkthrough run against it in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 20


def tools_missing() -> list[str]:
    return [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]


@contextmanager
def xvfb(width: int, height: int, *more: tuple[int, int]) -> Iterator[str]:
    """A virtual X screen of ``width`` x ``height`` (24-bit), and one more screen for each
    (width, height) in ``more`` (a till with a customer display); yields its DISPLAY
    (":N")."""
    screens = []
    for n, (w, h) in enumerate(((width, height), *more)):
        screens += ["-screen", str(n), f"{w}x{h}x24"]
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), *screens, "-nolisten", "tcp"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:  # Xvfb writes the display number once it is ready
            number = pipe.readline().strip()
        if not number:
            proc.kill()
            raise RuntimeError("Xvfb did not start: "
                               + proc.stderr.read().decode(errors="replace")[-2000:])
        yield f":{number}"
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        proc.stderr.close()


def run_walkthrough(display: str, out: Path, prefix: str = "",
                    timeout: float = 180) -> subprocess.CompletedProcess:
    """``tests/walkthrough/cashier_day.py`` on ``display``, with its own HOME and XDG folders."""
    home = Path(tempfile.mkdtemp(prefix="lapak-walk-home-"))
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("QT_", "XDG_", "WAYLAND"))}
    env.update({
        "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_RUNTIME_DIR": str(home / "runtime"), "PYTHONPATH": str(ROOT),
        "LANG": "C.UTF-8",
    })
    (home / "runtime").mkdir(mode=0o700)
    try:
        return subprocess.run(
            [sys.executable, "-m", "tests.walkthrough.cashier_day", str(out),
             "--prefix", prefix],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(home, ignore_errors=True)
