"""A till all day long: what a sale leaves behind must not pile up.

Every payment dialog used to stay alive as a child of the sale screen after it closed. Each
later focus change and repaint walked all of them, so pay -> ready grew with every sale of the
day (13 ms after the first sale, over 50 ms after the 80th; bench/bench_till.py measures it).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from pos_app.domain.tenders import Method
from tests.gui.cashier import Cashier, sales

KOPI = "8994111000016"


def live_dialogs(cashier: Cashier) -> list[QDialog]:
    cashier.qtbot.wait(10)  # deleteLater runs on the next turn of the event loop
    return cashier.window.findChildren(QDialog)


def test_closed_dialogs_do_not_pile_up_over_the_day(cashier: Cashier) -> None:
    for _ in range(6):
        cashier.scan(KOPI)
        dialog = cashier.open_payment()
        cashier.tender(dialog, Method.CASH, "200000")
        cashier.confirm(dialog)
        cashier.qtbot.waitUntil(lambda d=dialog: not d.isVisible())
    assert len(sales(cashier.window.app_ctx.booth)) == 6
    dialogs = live_dialogs(cashier)
    # the last payment dialog may stay until the next one opens; none of the five before it
    assert len(dialogs) <= 1, [type(d).__name__ for d in dialogs]
    assert cashier.screen.payment_dialog is not None


def test_the_log_is_checkpointed_after_sales_off_the_sale_path(cashier: Cashier,
                                                               monkeypatch) -> None:
    """After a sale the write-ahead log is copied back into the database file on a thread of
    its own (so that no checkout ever runs SQLite's own checkpoint at 1,000 pages)."""
    import sqlite3

    from pos_app.persistence import database

    monkeypatch.setattr(database, "WAL_TIDY_BYTES", 1)  # any log at all
    booth = cashier.window.app_ctx.booth
    for _ in range(2):
        cashier.scan(KOPI)
        dialog = cashier.open_payment()
        cashier.tender(dialog, Method.CASH, "200000")
        cashier.confirm(dialog)
    keeper = cashier.window.app_ctx.wal
    keeper.shutdown()
    assert keeper.runs >= 1  # started by the sales themselves
    keeper.after_sale()  # the second sale's, had the first one's still been running then
    keeper.shutdown()
    # the database file itself (the log ignored) has both sales: they were checkpointed
    uri = f"file:{booth.db.path}?immutable=1"
    with sqlite3.connect(uri, uri=True) as raw:
        assert raw.execute("SELECT COUNT(*) FROM sale").fetchone()[0] == 2
