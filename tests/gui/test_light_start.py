"""The window starts light: building it loads the sale screen, not the dialogs. Each dialog's
module is imported when the dialog is first opened (checked in a fresh interpreter, since this
test session has imported everything already)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pos_app.services.setup.booth import Booth

# Opened from the toolbar, the shift menu, the login flow or the sale screen: none at start.
DIALOGS = (
    "pos_app.ui.history.history_dialog",
    "pos_app.ui.history.approval_dialog",
    "pos_app.ui.setup.settings_dialog",
    "pos_app.ui.setup.first_run",
    "pos_app.ui.setup.restore_dialog",
    "pos_app.ui.sale.payment_dialog",
    "pos_app.ui.sale.park_dialogs",
    "pos_app.ui.sale.discount_dialog",
    "pos_app.ui.sale.price_dialog",
    "pos_app.ui.shift.shift_dialogs",
    "pos_app.ui.shift.close_shift_dialog",
    "pos_app.ui.shift.handover_dialog",
    "pos_app.ui.shift.reconcile_dialog",
    "pos_app.ui.reporting.report_dialog",
    "pos_app.ui.reporting.reports_screen",
    "pos_app.ui.reporting.settlement_screen",
    "pos_app.ui.stock.stock_screen",
    "pos_app.ui.access.users_screen",
)

BUILD = """
import json, sys
from pathlib import Path
from pos_app.ui.app import run_app
code = run_app(Path(sys.argv[1]), smoke=True)
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded_after_start(db_path: Path) -> list[str]:
    """The modules imported once the window is built and its sale screen has loaded."""
    done = subprocess.run([sys.executable, "-c", BUILD, str(db_path)], capture_output=True,
                          text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "smoke ok"
    result = json.loads(lines[-1])
    assert result["code"] == 0
    return result["modules"]


def test_building_the_window_loads_no_dialog(booth: Booth, db_path: Path) -> None:
    modules = loaded_after_start(db_path)
    assert "pos_app.ui.main_window" in modules and "pos_app.ui.sale.sale_screen" in modules
    assert [name for name in DIALOGS if name in modules] == []
