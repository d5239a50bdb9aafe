"""The outbox's pending rows have their own index (migration 0006): upgrading from 0005 keeps
every row, and the status bar's queries (unsynced count, oldest unsynced sale, catalog
changes waiting) and the push's pending counts read that index, never the whole outbox;
the history's first page reads sales newest first from an index, never sorting them all."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import event

from pos_app.domain.tenders import Method, Tender
from pos_app.persistence.migrate import HEAD, alembic_config, current_revision, upgrade
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.history import find_sales
from pos_app.services.setup.booth import Booth
from pos_app.services.shift import shifts
from pos_app.services.sync.sync_push import pending_counts
from pos_app.services.sync.sync_status import status

INDEX = "ix_outbox_pending_table"


def _sell(booth: Booth) -> None:
    shift = shifts.open_shift(booth, "Kasir", 100_000)
    checkout(booth, SaleRequest(items=(SaleItem(2, sku="KOP-001"),),
                                tenders=(Tender(Method.CASH, 500_000),), shift_id=shift.id))


def _mark_most_sent(path: Path) -> None:
    """Like an event that has synced: all but the newest sale's rows are sent."""
    with sqlite3.connect(path) as con:
        newest = con.execute("SELECT max(seq) FROM sale").fetchone()[0]
        con.execute("UPDATE outbox SET state = 'sent', sent_at = created_at WHERE seq < ?",
                    (newest,))


def _dump(path: Path) -> dict[str, list]:
    with sqlite3.connect(path) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("outbox", "sale", "sale_line", "payment")}


def _indexes(path: Path, table: str = "outbox") -> set[str]:
    with sqlite3.connect(path) as con:
        return {n for (n,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,))}


def _sale_indexes(path: Path) -> set[str]:
    return _indexes(path, "sale")


def test_upgrade_from_0005_keeps_the_rows_and_adds_the_index(booth: Booth) -> None:
    _sell(booth)
    _mark_most_sent(booth.db.path)
    before = _dump(booth.db.path)
    assert INDEX in _indexes(booth.db.path)
    assert "ix_sale_seq" in _sale_indexes(booth.db.path)
    with booth.db.engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    assert current_revision(booth.db.engine) == "0005"
    assert INDEX not in _indexes(booth.db.path)
    assert "ix_sale_seq" not in _sale_indexes(booth.db.path)
    expected = status(booth)  # the same figures with or without the index

    assert upgrade(booth.db.engine) is True
    assert current_revision(booth.db.engine) == HEAD
    assert INDEX in _indexes(booth.db.path)
    assert "ix_sale_seq" in _sale_indexes(booth.db.path)
    assert _dump(booth.db.path) == before
    after = status(booth)
    assert (after.unsynced, after.oldest_unsynced_sale_at, after.catalog_pending) == (
        expected.unsynced, expected.oldest_unsynced_sale_at, expected.catalog_pending)
    assert after.unsynced == 5  # the newest sale's rows only


def _plans(booth: Booth, fn, table: str = "outbox") -> list[tuple[str, str]]:
    """(statement, its query plan) for every statement ``fn`` runs against ``table``."""
    seen: list[tuple[str, tuple]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if f"FROM {table}" in statement:
            seen.append((statement, parameters))

    event.listen(booth.db.engine, "before_cursor_execute", keep)
    try:
        fn()
    finally:
        event.remove(booth.db.engine, "before_cursor_execute", keep)
    plans = []
    with sqlite3.connect(booth.db.path) as con:
        for statement, parameters in seen:
            rows = con.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
            plans.append((statement, " | ".join(r[-1] for r in rows)))
    return plans


def test_the_status_queries_read_the_pending_index(booth: Booth) -> None:
    _sell(booth)
    _mark_most_sent(booth.db.path)
    plans = _plans(booth, lambda: status(booth))
    assert len(plans) == 4
    for statement, plan in plans:
        assert "SCAN outbox" not in plan, (statement, plan)
        if "'pending'" not in statement:  # the quarantined: few rows, found by state
            assert "USING COVERING INDEX ix_outbox_state_seq (state=?)" in plan, plan
        else:
            assert f"COVERING INDEX {INDEX} (state=? AND table_name=?)" in plan, plan
    oldest = [p for s, p in plans if "JOIN sale" in s]
    assert len(oldest) == 1 and "SEARCH sale USING INDEX" in oldest[0], oldest


def test_the_push_counts_read_the_pending_index(booth: Booth) -> None:
    _sell(booth)
    [(statement, plan)] = _plans(booth, lambda: pending_counts(booth))
    assert plan == f"SEARCH outbox USING COVERING INDEX {INDEX} (state=?)", (statement, plan)


def test_the_history_first_page_reads_sales_newest_first_from_an_index(booth: Booth) -> None:
    _sell(booth)
    [(statement, plan)] = _plans(booth, lambda: find_sales(booth), "sale")
    # the page is chosen from sales in index order, no sort of them all; each row of the page
    # is then found by its key (its state, methods and print state: a few rows each)
    steps = plan.split(" | CORRELATED SCALAR SUBQUERY")[0].split(" | ")
    assert "SCAN sale USING INDEX ix_sale_seq" in steps, plan
    assert "SCAN sale" not in [s for s in steps if s != "SCAN sale USING INDEX ix_sale_seq"]
    assert not any("TEMP B-TREE" in s for s in steps), plan
