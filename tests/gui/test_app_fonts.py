"""The app brings its own font: on a machine where fontconfig knows no font at all (a bare
Debian with no font package) ``--smoke`` still passes because the bundled DejaVu Sans is
registered with Qt, and the smoke fails, naming the reason, when text could not render."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NO_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""
SMOKE = """
import sys
from pathlib import Path
from pos_app.ui import app, fonts
if sys.argv[2] == "without-bundled-fonts":
    fonts.install = lambda: []
sys.exit(app.run_app(Path(sys.argv[1]), smoke=True))
"""


def smoke_without_system_fonts(tmp_path: Path, mode: str) -> subprocess.CompletedProcess[str]:
    conf = tmp_path / "fonts.conf"
    conf.write_text(NO_FONTS_CONF.format(cache=tmp_path / "fc-cache"))
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-c", SMOKE, str(tmp_path / "smoke.db"), mode],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def test_smoke_passes_with_no_system_font_thanks_to_the_bundled_one(tmp_path: Path) -> None:
    done = smoke_without_system_fonts(tmp_path, "with-bundled-fonts")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "smoke ok"


def test_smoke_fails_when_text_cannot_render(tmp_path: Path) -> None:
    done = smoke_without_system_fonts(tmp_path, "without-bundled-fonts")
    assert done.returncode == 1
    assert "smoke ok" not in done.stdout
    assert "text would render as empty boxes" in done.stderr


def test_the_bundled_fonts_register_with_qt_and_have_the_sale_screen_letters(qapp) -> None:
    from PySide6.QtGui import QFont, QFontMetrics

    from pos_app.ui import fonts

    assert fonts.FAMILY in fonts.install()
    font = QFont(fonts.FAMILY, 12)
    assert fonts.text_problem(font) is None
    assert QFontMetrics(font).horizontalAdvance(fonts.SAMPLE) > 50
