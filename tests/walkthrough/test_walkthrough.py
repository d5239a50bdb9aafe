"""The cashier's day (tests/walkthrough/cashier_day.py) in the real window under Xvfb, at the
two screen sizes the till must fit: every step reaches its state through xdotool taps, typing
and scanner bursts, the booth's rows are right, and the screenshots are the whole screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.walkthrough.xserver import run_walkthrough, tools_missing, xvfb

SHOTS = ("login", "cart", "payment-split", "refund-approval", "refund-done", "close-count",
         "close-result")


@pytest.fixture(scope="module")
def tools() -> None:
    missing = tools_missing()
    if missing:
        message = f"the walkthrough needs {' and '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI installs them; a skip here would hide the test)")
        pytest.skip(message)


def colours(image: QImage) -> int:
    """How many different colours a sample grid of the image holds."""
    seen = set()
    for x in range(0, image.width(), 8):
        for y in range(0, image.height(), 8):
            seen.add(image.pixel(x, y))
    return len(seen)


@pytest.mark.parametrize("width,height", [(1024, 768), (1366, 768)])
def test_a_cashiers_day(tools, tmp_path: Path, width: int, height: int) -> None:
    with xvfb(width, height) as display:
        result = run_walkthrough(display, tmp_path, prefix=f"{width}-", timeout=120)
    print(result.stdout)
    assert result.returncode == 0, (
        f"the walkthrough failed at {width}x{height} (the screen then: "
        f"{tmp_path / f'{width}-failed.png'}):\n{result.stdout[-4000:]}\n"
        f"{result.stderr[-6000:]}")
    for step in ("log in", "open shift", "category and scan", "resume and pay split",
                 "refund with approval", "close blind"):
        assert f"step {step} " in result.stdout, step
    assert "row: refund" in result.stdout and "closed blind: expected" in result.stdout
    for name in SHOTS:
        path = tmp_path / f"{width}-{name}.png"
        assert path.exists(), f"no screenshot {path.name}"
        image = QImage(str(path))
        assert (image.width(), image.height()) == (width, height), path.name
        assert colours(image) > 20, f"{path.name} is (nearly) blank"
    assert not (tmp_path / f"{width}-failed.png").exists()
