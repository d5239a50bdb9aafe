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

from collections.abc import Iterable
from dataclasses import dataclass, field

from pos_app.services.reporting.report_facts import METHODS, LineFact


def _by_method() -> dict[str, int]:
    return dict.fromkeys(METHODS, 0)


@dataclass(slots=True)
class Totals:
    gross: int = 0
    discounts: int = 0
    sales: int = 0
    refunds: int = 0
    tax: int = 0
    qty: int = 0  # units sold minus units taken back
    count: int = 0  # sale documents
    methods: dict[str, int] = field(default_factory=_by_method)  # money in, by method
    refunded_methods: dict[str, int] = field(default_factory=_by_method)  # money back

    @property
    def net(self) -> int:
        return self.sales - self.refunds

    def net_by_method(self) -> dict[str, int]:
        return {m: self.methods[m] - self.refunded_methods[m] for m in METHODS}

    def add_sold(self, qty: int, gross: int, discount: int, total: int, tax: int,
                 paid: Iterable[int] = ()) -> None:
        """One line of a sale; ``paid`` is its share of the payments in ``METHODS`` order."""
        self.qty += qty
        self.gross += gross
        self.discounts += discount
        self.sales += total
        self.tax += tax
        methods = self.methods
        for m, amount in zip(METHODS, paid, strict=False):
            methods[m] += amount

    def add_returned(self, qty: int, total: int, tax: int, paid: Iterable[int] = ()) -> None:
        """One line of a void or refund; ``paid`` is the money back in ``METHODS`` order."""
        self.qty -= qty
        self.refunds += total
        self.tax -= tax
        methods = self.refunded_methods
        for m, amount in zip(METHODS, paid, strict=False):
            methods[m] += amount

    def add(self, f: LineFact) -> None:
        paid = (f.methods.get(m, 0) for m in METHODS)
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
        for m in METHODS:
            self.methods[m] += other.methods[m]
            self.refunded_methods[m] += other.refunded_methods[m]
