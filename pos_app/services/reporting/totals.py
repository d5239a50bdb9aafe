"""The one module that adds the figures up: every report (the Z and X reports, the screen's
report, the settlement statements, the end-of-event pack, its summary PDF and the head-office
pack) takes its money figures from ``Totals.figures()``, defined in ``domain.figures``
(DESIGN "One set of figures"); all integer rupiah.

- gross: quantity x price of the sales' lines, before discounts;
- discounts: line and whole-sale discounts of the sales; added_tax: PPN added on top;
- sales: what the sales came to (gross - discounts + added PPN);
- refunds: what voids and refunds paid back (positive), ``voided`` the voids' part of it;
- net: sales - refunds; tax: PPN of the sales minus PPN of the refunds;
- qty: units sold minus units taken back; count: sale documents (kept by the caller, who
  knows which documents it has seen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import add

from pos_app.domain.figures import Figures
from pos_app.services.reporting.report_facts import METHODS, LineFact

__all__ = ["Totals", "figures_of"]


def _by_method() -> list[int]:
    return [0] * len(METHODS)


@dataclass(slots=True)
class Totals:
    gross: int = 0
    discounts: int = 0
    sales: int = 0
    refunds: int = 0  # voids and refunds together (positive)
    tax: int = 0
    added_tax: int = 0  # the part of the sales' PPN added on top of prices
    voided: int = 0  # the part of ``refunds`` that voids gave back
    qty: int = 0  # units sold minus units taken back
    count: int = 0  # sale documents
    # money in (sales) and money back (voids and refunds), in METHODS order: lists, because
    # the end-of-event pack adds a line at a time over a whole event
    paid: list[int] = field(default_factory=_by_method)
    paid_back: list[int] = field(default_factory=_by_method)

    @property
    def net(self) -> int:
        return self.sales - self.refunds

    def figures(self) -> Figures:
        """These totals as the one set of figures (``domain.figures``)."""
        return Figures(gross=self.gross, discounts=self.discounts, added_tax=self.added_tax,
                       voids=-self.voided, refunds=-(self.refunds - self.voided),
                       tax=self.tax)

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
                 paid: Sequence[int] | None = None, added_tax: int = 0) -> None:
        """One line of a sale; ``paid`` is its share of the payments in ``METHODS`` order;
        ``added_tax`` the part of ``tax`` added on top of the price."""
        self.qty += qty
        self.added_tax += added_tax
        self.gross += gross
        self.discounts += discount
        self.sales += total
        self.tax += tax
        if paid is not None:
            self.paid = list(map(add, self.paid, paid))

    def add_returned(self, qty: int, total: int, tax: int,
                     paid: Sequence[int] | None = None, *, void: bool = False) -> None:
        """One line of a void or refund (``void``: of a void); ``paid`` is the money back in
        ``METHODS`` order."""
        self.qty -= qty
        self.refunds += total
        if void:
            self.voided += total
        self.tax -= tax
        if paid is not None:
            self.paid_back = list(map(add, self.paid_back, paid))

    def add(self, f: LineFact) -> None:
        paid = [f.methods.get(m, 0) for m in METHODS]
        if f.sign > 0:
            self.add_sold(f.qty, f.gross, f.discount, f.total, f.tax, paid, f.added_tax)
        else:
            self.add_returned(f.qty, f.total, f.tax, paid, void=f.kind == "void")

    def add_totals(self, other: Totals) -> None:
        """Add ``other`` in (the count too)."""
        self.gross += other.gross
        self.discounts += other.discounts
        self.sales += other.sales
        self.refunds += other.refunds
        self.tax += other.tax
        self.added_tax += other.added_tax
        self.voided += other.voided
        self.qty += other.qty
        self.count += other.count
        self.paid = list(map(add, self.paid, other.paid))
        self.paid_back = list(map(add, self.paid_back, other.paid_back))


def figures_of(facts) -> Figures:
    """The figures of any line facts (``report_facts.iter_facts``)."""
    t = Totals()
    for f in facts:
        t.add(f)
    return t.figures()
