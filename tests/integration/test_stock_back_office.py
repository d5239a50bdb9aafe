"""The back office's stock use cases: a count started, entered and approved in one call (one
transaction, so a refused request leaves no count behind), and the documents written by one
call come back as they now read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pos_app.domain.errors import DomainError
from pos_app.services.setup.booth import Booth
from pos_app.services.stock import back_office, stock_counts
from pos_app.services.stock.counting import count_stock

BOSS = {"actor": "Maria", "actor_role": "coordinator"}
CASHIER = {"actor": "Kasir", "actor_role": "cashier"}
TABLES = ("stock_document", "stock_count_line", "stock_count_step", "stock_movement",
          "audit_event", "outbox", "counter")


def snapshot(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as con:
        out = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
               for t in TABLES}
    con.close()
    return out


def journal(path: Path) -> list[str]:
    with sqlite3.connect(path) as con:
        rows = [r[0] for r in con.execute("SELECT action FROM audit_event WHERE action LIKE "
                                          "'stock.%' ORDER BY chain_index")]
    con.close()
    return rows


def test_a_count_is_started_entered_and_approved_in_one_call(booth: Booth) -> None:
    done = count_stock(booth, "lpka-kpg", [("MAK-004", 79), ("MAK-007", 70)],
                       reasons={"mak-004": "sample"}, approve=True, **BOSS)
    assert (done.number, done.facility_code, done.started, done.entered, done.cancelled) == (
        "KPG-01-SO-00001", "LPKA-KPG", True, 2, False)
    lines = {line.sku: line for line in done.report.lines}
    assert done.report.status == "approved" and done.report.closed_by == "Maria"
    assert (lines["MAK-004"].difference, lines["MAK-004"].reason,
            lines["MAK-004"].value) == (-1, "sample", -15_000)
    assert journal(booth.db.path) == ["stock.count.start", "stock.count.approve"]
    assert stock_counts.open_count_of(booth, "LPKA-KPG") is None


def test_a_cashier_counts_into_the_open_count_but_may_not_approve(booth: Booth) -> None:
    first = count_stock(booth, "LPKA-KPG", [("MAK-004", 10)], **CASHIER)
    again = count_stock(booth, "LPKA-KPG", [("MAK-004", 80)], **CASHIER)
    assert (first.started, again.started, again.number) == (True, False, first.number)
    line = next(x for x in again.report.lines if x.sku == "MAK-004")
    assert (again.report.status, line.counted, line.difference) == ("open", 80, 0)
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as err:
        count_stock(booth, "LPKA-KPG", [("MAK-007", 1)], approve=True, **CASHIER)
    assert err.value.code == "not_allowed"
    assert snapshot(booth.db.path) == before
    gone = count_stock(booth, "LPKA-KPG", cancel=True, **BOSS)
    assert (gone.number, gone.cancelled, gone.report) == (first.number, True, None)
    assert stock_counts.variance(booth, first.number).status == "cancelled"


@pytest.mark.parametrize(("items", "kw", "code"), [
    ([("MAK-004", 1), ("NOPE-1", 1)], {}, "unknown_product"),
    ([("MAK-004", 1)], {"reasons": {"KOP-001": "lost"}, "approve": True}, "wrong_facility"),
    ([("MAK-004", -1)], {}, "bad_count_qty"),
    ([], {}, "no_open_count"),
    ([], {"cancel": True}, "no_open_count"),
    ([("MAK-004", 1)], {"reasons": {"MAK-004": "eaten"}, "approve": True}, "bad_reason"),
])
def test_a_refused_count_leaves_no_count_behind(booth: Booth, items, kw, code) -> None:
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as err:
        count_stock(booth, "LPKA-KPG", items, **kw, **BOSS)
    assert err.value.code == code
    assert snapshot(booth.db.path) == before


def test_written_documents_come_back_as_they_read(booth: Booth) -> None:
    got = back_office.receive_goods(booth, "LPKA-KPG", [("MAK-004", 12)], reference="SJ-1",
                                    **BOSS)
    assert (got.result.number, got.doc.units, got.doc.header.reference) == (
        "KPG-01-TT-00001", 12, "SJ-1")
    fixed = back_office.adjust_stock(booth, "LPKA-KPG", [("MAK-004", -2)], reason="damaged",
                                     **BOSS)
    assert (fixed.result.number, fixed.doc.units, fixed.doc.lines[0].reason) == (
        "KPG-01-SA-00001", -2, "damaged")
    history = back_office.product_history(booth, "mak-004")
    assert (history.on_hand, [m.qty for m in history.movements][-2:]) == (90, [12, -2])
    with pytest.raises(DomainError) as err:
        back_office.product_history(booth, "NOPE-1")
    assert err.value.code == "unknown_product"
