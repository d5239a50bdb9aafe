"""Issue 17, item 2: a bundle export killed half-way leaves a temporary beside its target;
the next export there removes it (and leaves a running writer's own alone)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pos_app.adapters import workfiles
from pos_app.services.sync.bundle import export_bundle
from tests.central.test_bundle import enrolled  # noqa: F401 - fixture

KILLED = """
import os, signal, sys
from pathlib import Path
from pos_app.adapters import workfiles

with open(workfiles.temp_name(Path(sys.argv[1])), "xb") as fh:
    fh.write(b"half a bundle")
    fh.flush()
    os.kill(os.getpid(), signal.SIGKILL)  # the power goes while it is written
"""


def test_a_bundle_killed_half_way_is_swept_by_the_next(enrolled, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "kpg-01.lapak"
    done = subprocess.run([sys.executable, "-c", KILLED, str(out)], capture_output=True,
                          timeout=60, env=os.environ.copy())
    assert done.returncode == -9, done.stderr
    [left] = [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    assert left.name.startswith(".kpg-01.lapak.")
    running = workfiles.temp_name(out)
    running.write_bytes(b"")
    export_bundle(enrolled, out)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == [
        running.name]
    assert out.read_bytes().startswith(b"{")
