"""The README's "A cashier's day" pictures: the real-window walkthrough
(tests/walkthrough/cashier_day.py) under Xvfb at 1024x768 and 1366x768, four of its moments
copied to docs/walkthrough-<width>-<moment>.png.

    python docs/make_walkthrough.py        (needs Xvfb and xdotool)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.walkthrough.xserver import run_walkthrough, tools_missing, xvfb  # noqa: E402

SIZES = ((1024, 768), (1366, 768))
MOMENTS = ("cart", "payment-split", "refund-approval", "close-result")


def main() -> int:
    missing = tools_missing()
    if missing:
        print(f"needs {' and '.join(missing)}", file=sys.stderr)
        return 1
    for width, height in SIZES:
        with tempfile.TemporaryDirectory(prefix="lapak-walk-shots-") as out:
            with xvfb(width, height) as display:
                result = run_walkthrough(display, Path(out))
            print(result.stdout)
            if result.returncode != 0:
                print(result.stderr, file=sys.stderr)
                return 1
            for moment in MOMENTS:
                target = ROOT / "docs" / f"walkthrough-{width}-{moment}.png"
                shutil.copyfile(Path(out) / f"{moment}.png", target)
                print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
