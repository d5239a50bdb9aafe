"""The launcher shipped with the binary: ``install-launcher.sh`` (copied next to the binary by
build.spec) puts a ``.desktop`` entry pointing at that folder's binary, and the icon, in the
user's application menu. Run here against a folder laid out like the unpacked bundle."""

from __future__ import annotations

import configparser
import os
import shutil
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "resources" / "launcher"


def test_the_desktop_entry_names_the_binary_and_the_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(LAUNCHER / "lapak-pos.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert (desktop["Type"], desktop["Name"], desktop["Exec"], desktop["Icon"]) == (
        "Application", "Lapak POS", "lapak-pos", "lapak-pos")
    assert desktop["Terminal"] == "false" and desktop["Comment[id]"]
    icon = ROOT / "resources" / "icons" / "lapak-pos.png"
    assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "install-launcher.sh" in (ROOT / "build.spec").read_text()


def test_install_launcher_points_the_menu_entry_at_the_unpacked_binary(tmp_path: Path) -> None:
    script = LAUNCHER / "install-launcher.sh"
    assert script.stat().st_mode & stat.S_IXUSR
    folder = tmp_path / "opt dir" / "lapak-pos"  # a space in the path, too
    shutil.copytree(ROOT / "resources", folder / "_internal" / "resources")
    shutil.copy2(script, folder / "install-launcher.sh")
    binary = folder / "lapak-pos"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": ""}
    done = subprocess.run([str(folder / "install-launcher.sh")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    entry = (home / ".local/share/applications/lapak-pos.desktop").read_text(encoding="utf-8")
    icon = home / ".local/share/icons/hicolor/256x256/apps/lapak-pos.png"
    assert f'Exec="{binary}"' in entry.splitlines()
    assert f"Icon={icon}" in entry.splitlines()
    assert icon.read_bytes() == (ROOT / "resources/icons/lapak-pos.png").read_bytes()


def test_install_launcher_refuses_a_folder_without_the_binary(tmp_path: Path) -> None:
    shutil.copy2(LAUNCHER / "install-launcher.sh", tmp_path / "install-launcher.sh")
    done = subprocess.run([str(tmp_path / "install-launcher.sh")], cwd=tmp_path,
                          env={**os.environ, "HOME": str(tmp_path)}, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 1 and "no " in done.stderr
    assert not (tmp_path / ".local").exists()
