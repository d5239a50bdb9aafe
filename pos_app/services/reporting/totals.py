"""The one set of sales totals every report adds up: the screen's report, the settlement
statements and the end-of-event pack (all integer rupiah).

- gross: quantity x price of the sales' lines, before discounts;
- discounts: line and whole-sale discounts of the sales;
- sales: what the sales came to (gross - discounts, plus PPN where it is added);
- refunds: what voids and refunds paid back;
- net: sales - refunds; tax: PPN of the sales minus PPN of the refunds;
- qty: units sold minus units taken back; count: sale documents (kept by the caller, who
  knows which documents it has seen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import add

from pos_app.services.reporting.report_facts import METHODS, LineFact


def _by_method() -> list[int]:
    return [0] * len(METHODS)


@dataclass(slots=True)
class Totals:
    gross: int = 0
    discounts: int = 0
    sales: int = 0
    refunds: int = 0
    tax: int = 0
    qty: int = 0  # units sold minus units taken back
    count: int = 0  # sale documents
    # money in (sales) and money back (voids and refunds), in METHODS order: lists, because
    # the end-of-event pack adds a line at a time over a whole event
    paid: list[int] = field(default_factory=_by_method)
    paid_back: list[int] = field(default_factory=_by_method)

    @property
    def net(self) -> int:
        return self.sales - self.refunds

    @property
    def methods(self) -> dict[str, int]:
        """Money in by method."""
        return dict(zip(METHODS, self.paid, strict=True))

    @property
    def refunded_methods(self) -> dict[str, int]:
        """Money back by method."""
        return dict(zip(METHODS, self.paid_back, strict=True))

    def net_by_method(self) -> dict[str, int]:
        return {m: a - b for m, a, b in zip(METHODS, self.paid, self.paid_back, strict=True)}

    def add_sold(self, qty: int, gross: int, discount: int, total: int, tax: int,
                 paid: Sequence[int] | None = None) -> None:
        """One line of a sale; ``paid`` is its share of the payments in ``METHODS`` order."""
        self.qty += qty
        self.gross += gross
        self.discounts += discount
        self.sales += total
        self.tax += tax
        if paid is not None:
            self.paid = list(map(add, self.paid, paid))

    def add_returned(self, qty: int, total: int, tax: int,
                     paid: Sequence[int] | None = None) -> None:
        """One line of a void or refund; ``paid`` is the money back in ``METHODS`` order."""
        self.qty -= qty
        self.refunds += total
        self.tax -= tax
        if paid is not None:
            self.paid_back = list(map(add, self.paid_back, paid))

    def add(self, f: LineFact) -> None:
        paid = [f.methods.get(m, 0) for m in METHODS]
        if f.sign > 0:
            self.add_sold(f.qty, f.gross, f.discount, f.total, f.tax, paid)
        else:
            self.add_returned(f.qty, f.total, f.tax, paid)

    def add_totals(self, other: Totals) -> None:
        """Add ``other`` in (the count too)."""
        self.gross += other.gross
        self.discounts += other.discounts
        self.sales += other.sales
        self.refunds += other.refunds
        self.tax += other.tax
        self.qty += other.qty
        self.count += other.count
        self.paid = list(map(add, self.paid, other.paid))
        self.paid_back = list(map(add, self.paid_back, other.paid_back))
