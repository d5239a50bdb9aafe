"""What the walkthrough's day must have written to the booth database, read back after the
app has closed: two sales with their lines and payments, a refund of one item that refers to
its sale, and the shift opened with its float and closed with the drawer's count."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import select

from pos_app.domain import qris
from pos_app.persistence.models import Payment, Sale, SaleLine, Shift, ShiftEvent
from pos_app.services.setup.booth import Booth
from tests.walkthrough.plan import ARABIKA, CASH_PART, FLOAT, JAHE, PAVING, ROBUSTA, SELENDANG


class RowsWrong(AssertionError):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise RowsWrong(message)


def check_rows(db_path: Path, facts: dict) -> None:
    """Raise ``RowsWrong`` unless the day's rows are there; print them as it goes."""
    booth = Booth.open(db_path)
    try:
        with booth.db.read() as s:
            sales = list(s.scalars(select(Sale).order_by(Sale.seq)))
            lines = list(s.scalars(select(SaleLine).order_by(SaleLine.line_no)))
            payments = list(s.scalars(select(Payment).order_by(Payment.line_no)))
            shifts = list(s.scalars(select(Shift)))
            events = list(s.scalars(select(ShiftEvent).order_by(ShiftEvent.seq)))
            s.expunge_all()
    finally:
        booth.close()

    def lines_of(sale: Sale) -> Counter:
        return Counter({li.name: li.qty for li in lines if li.sale_id == sale.id})

    def paid(sale: Sale) -> list[tuple[str, int]]:
        return [(p.method, p.amount) for p in payments if p.sale_id == sale.id]

    for sale in sales:
        print(f"row: {sale.kind} {sale.number} total {sale.total} lines "
              f"{dict(lines_of(sale))} paid {paid(sale)}", flush=True)
    by_number = {sale.number: sale for sale in sales}
    expect([s.kind for s in sales] == ["sale", "sale", "refund"],
           f"the day's documents are {[(s.kind, s.number) for s in sales]}")

    quick = by_number[facts["quick_sale"]]
    expect(lines_of(quick) == Counter({JAHE: 1}), f"the quick sale holds {lines_of(quick)}")
    expect(paid(quick) == [("cash", quick.total)], f"the quick sale was paid {paid(quick)}")

    split = by_number[facts["split_sale"]]
    expect(lines_of(split) == Counter({ARABIKA: 1, PAVING: 25, SELENDANG: 1, ROBUSTA: 3}),
           f"the split sale holds {lines_of(split)}")
    expect(split.total == facts["split_total"], f"the split sale's total is {split.total}")
    expect(paid(split) == [("cash", CASH_PART), ("qris", split.total - CASH_PART)],
           f"the split sale was paid {paid(split)} (total {split.total})")
    expect(sum(a for _m, a in paid(split)) == split.total, "the split payments miss the total")
    shown = [p.qris_payload for p in payments if p.sale_id == split.id and p.method == "qris"]
    expect(shown == [facts.get("qris_shown")] and shown[0] is not None
           and qris.amount_in(shown[0]) == split.total - CASH_PART,
           f"the QRIS part keeps {shown}, not the code shown for its amount")

    refund = by_number[facts["refund"]]
    expect(refund.kind == "refund" and refund.refers_to_id == split.id,
           f"refund {refund.number} refers to {refund.refers_to_id}, not sale {split.number}")
    expect(lines_of(refund) == Counter({SELENDANG: 1}), f"the refund holds {lines_of(refund)}")
    selendang = next(li for li in lines if li.sale_id == split.id and li.name == SELENDANG)
    expect(refund.total == selendang.total and paid(refund) == [("cash", refund.total)],
           f"the refund paid back {paid(refund)} for a line of {selendang.total}")

    expect(len(shifts) == 1, f"{len(shifts)} shifts")
    expect(all(s.shift_id == shifts[0].id for s in sales), "a document outside the shift")
    kinds = [e.kind for e in events]
    expect(kinds == ["open", "close"], f"the shift's events are {kinds}")
    opened, closed = events
    expect(opened.amount == sum(v * n for v, n in FLOAT.items()),
           f"the shift opened with {opened.amount}")
    expected_cash = opened.amount + quick.total + CASH_PART - refund.total
    expect(closed.expected == expected_cash == facts["expected"],
           f"the close expected {closed.expected}, the day says {expected_cash}")
    expect(closed.counted == facts["counted"] == expected_cash,
           f"the close counted {closed.counted}")
    print(f"row: shift opened with {opened.amount}, closed blind: expected "
          f"{closed.expected}, counted {closed.counted}", flush=True)
