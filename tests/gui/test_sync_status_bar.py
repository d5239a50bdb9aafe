"""The status bar says how many records are not yet sent to the central database and how old
the oldest unsent sale is, amber past ``sync_warn_hours``; it is read in an op after each sale
and on a one-minute timer. No central database is needed for this."""

from __future__ import annotations

from pos_app.domain.tenders import Method
from pos_app.services.setup.booth import write_setting
from pos_app.services.sync.sync_status import status
from pos_app.ui.common.changes import Change
from pos_app.ui.common.status_bar import SYNC_COALESCE_MS, SYNC_REFRESH_MS
from tests.gui.cashier import TIMEOUT, Cashier

KOPI_BAJAWA = "8994111000016"  # Rp85.000


def test_unsynced_count_and_age_of_the_oldest_sale(cashier: Cashier, booth, clock,
                                                   qtbot) -> None:
    label = cashier.window.sync_label
    qtbot.waitUntil(lambda: label.loaded, timeout=TIMEOUT)
    assert label.timer.isActive() and label.timer.interval() == SYNC_REFRESH_MS
    before = status(booth).unsynced
    assert label.text() == f"Unsynced: {before}"  # a shift, but no sale yet
    assert label.kind == ""

    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CASH, "100000")
    cashier.confirm(dialog)
    after = status(booth).unsynced
    assert after > before
    qtbot.waitUntil(lambda: label.text() == f"Unsynced: {after} · oldest 0m", timeout=TIMEOUT)
    assert label.kind == ""

    clock.advance(hours=25)  # past the default 24 hours: the next minute's read turns amber
    label.timer.timeout.emit()
    qtbot.waitUntil(lambda: label.text() == f"Unsynced: {after} · oldest 25h", timeout=TIMEOUT)
    assert label.kind == "warning" and label.property("kind") == "warning"

    with booth.db.write() as s:
        write_setting(s, "sync_warn_hours", "48")
    label.timer.timeout.emit()
    qtbot.waitUntil(lambda: label.kind == "", timeout=TIMEOUT)
    assert label.text() == f"Unsynced: {after} · oldest 25h"


def test_sales_in_a_burst_are_counted_once(cashier: Cashier, qtbot) -> None:
    label = cashier.window.sync_label
    qtbot.waitUntil(lambda: label.loaded, timeout=TIMEOUT)
    reads = label.reads
    for _ in range(5):  # five sales' change notices within a moment
        cashier.window.app_ctx.changes.notify({Change.SALES})
    assert label.reads == reads and label.soon.isActive()
    qtbot.waitUntil(lambda: label.reads == reads + 1, timeout=TIMEOUT)
    qtbot.wait(SYNC_COALESCE_MS + 100)
    assert label.reads == reads + 1
