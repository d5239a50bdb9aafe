"""Stock arithmetic and the stock documents as plain data (no I/O).

Stock is a ledger: on-hand of a product at a facility's booth is the sum of its movements.
Movement kinds and their signs:

=========  ====  ===================================================
receive     +    goods received from the facility (tanda terima)
sale        -    sold
refund      +    came back through a void or refund
return      -    unsold goods sent back to the facility (surat retur)
adjust      ±    a stand-alone correction with a reason
count       ±    the difference a coordinator approved after a count
=========  ====  ===================================================

A count entry keeps the on-hand of that moment (``expected``). Approval posts
``counted - expected`` of the latest entry per product: a sale made after the product was
counted is already in the ledger and is not counted twice; a sale made before it is in both
the shelf and the expected figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from pos_app.domain.errors import N_, DomainError

KINDS = ("receive", "sale", "refund", "return", "adjust", "count")
REASONS = ("damaged", "sample", "lost", "found", "miscounted")
# what a reason code reads as (English msgids; screens and the command line translate them)
REASON_LABELS = {"damaged": N_("Damaged"), "sample": N_("Sample"), "lost": N_("Lost"),
                 "found": N_("Found"), "miscounted": N_("Miscounted")}
NEGATIVE_STOCK = ("warn", "block")  # setting ``negative_stock``
MAX_STOCK_QTY = 100_000


def check_reason(reason: str) -> str:
    value = (reason or "").strip().lower()
    if value not in REASONS:
        raise DomainError("bad_reason", reason=reason, choices=", ".join(REASONS))
    return value


def check_stock_qty(qty: int, *, allow_zero: bool = False, signed: bool = False) -> int:
    """A whole number of units: 1..MAX received or returned, 0..MAX counted, a non-zero
    -MAX..MAX adjustment."""
    code = "bad_adjust_qty" if signed else "bad_count_qty" if allow_zero else "bad_quantity"
    if isinstance(qty, bool) or not isinstance(qty, int):
        raise DomainError(code, qty=qty, max=MAX_STOCK_QTY)
    low = -MAX_STOCK_QTY if signed else (0 if allow_zero else 1)
    if not low <= qty <= MAX_STOCK_QTY or (signed and qty == 0):
        raise DomainError(code, qty=qty, max=MAX_STOCK_QTY)
    return qty


def default_reason(difference: int) -> str:
    """The reason an approval uses when the coordinator gives none: lost or found."""
    return "lost" if difference < 0 else "found"


@dataclass(frozen=True)
class LedgerTotals:
    """One product's movements at one facility, summed by kind (sold/returned positive)."""

    received: int = 0
    sold: int = 0
    refunded: int = 0
    returned: int = 0
    adjusted: int = 0  # adjust + count, signed

    @property
    def on_hand(self) -> int:
        return self.received - self.sold + self.refunded - self.returned + self.adjusted

    @classmethod
    def from_kinds(cls, sums: dict[str, int]) -> LedgerTotals:
        return cls(received=sums.get("receive", 0), sold=-sums.get("sale", 0),
                   refunded=sums.get("refund", 0), returned=-sums.get("return", 0),
                   adjusted=sums.get("adjust", 0) + sums.get("count", 0))


@dataclass(frozen=True)
class DocLine:
    """A line of a printed stock document."""

    sku: str
    name: str
    qty: int
    unit_price: int
    barcode: str | None = None
    reason: str | None = None

    @property
    def value(self) -> int:
        return self.qty * self.unit_price


@dataclass(frozen=True)
class DocHeader:
    """Who, where and when, for every printed stock document."""

    number: str
    kind: str  # receipt | count | return | adjust
    facility_code: str
    facility_name: str
    facility_kind: str
    booth_name: str
    device_code: str
    actor: str
    created_at: datetime  # local time of the booth
    doc_date: date
    reference: str = ""
    note: str = ""


@dataclass(frozen=True)
class StockDoc:
    """A receipt of goods (tanda terima), a return (surat retur) or an adjustment."""

    header: DocHeader
    lines: tuple[DocLine, ...]

    @property
    def units(self) -> int:
        return sum(line.qty for line in self.lines)

    @property
    def value(self) -> int:
        return sum(line.value for line in self.lines)


@dataclass(frozen=True)
class VarianceLine:
    sku: str
    name: str
    unit_price: int
    expected: int  # the ledger when counted (or now, for a product not counted yet)
    counted: int | None  # None: not counted; approval leaves it alone
    reason: str | None = None

    @property
    def difference(self) -> int:
        return 0 if self.counted is None else self.counted - self.expected

    @property
    def value(self) -> int:
        return self.difference * self.unit_price


@dataclass(frozen=True)
class VarianceReport:
    header: DocHeader
    status: str  # open | approved | cancelled
    closed_by: str | None
    lines: tuple[VarianceLine, ...]
    on_sheet: int | None = None  # products the count sheet lists (None: ``lines``)

    @property
    def sheet_count(self) -> int:
        """How many products the count sheet lists: the N of "counted M of N"."""
        return len(self.lines) if self.on_sheet is None else self.on_sheet

    @property
    def counted_lines(self) -> tuple[VarianceLine, ...]:
        return tuple(line for line in self.lines if line.counted is not None)

    @property
    def shortage_value(self) -> int:
        return sum(line.value for line in self.lines if line.value < 0)

    @property
    def surplus_value(self) -> int:
        return sum(line.value for line in self.lines if line.value > 0)

    @property
    def net_value(self) -> int:
        return sum(line.value for line in self.lines)

    @property
    def difference_units(self) -> int:
        return sum(line.difference for line in self.lines)


@dataclass(frozen=True)
class CloseOutLine:
    sku: str
    name: str
    unit_price: int
    totals: LedgerTotals

    @property
    def remaining(self) -> int:
        return self.totals.on_hand


@dataclass(frozen=True)
class CloseOut:
    """A facility's stock at the end of the event, product by product."""

    facility_code: str
    facility_name: str
    lines: tuple[CloseOutLine, ...]
    booth_name: str = ""
    as_of: datetime | None = None
    negatives: tuple[str, ...] = field(default=())  # SKUs below zero

    def total(self, name: str) -> int:
        return sum(getattr(line.totals, name) if name != "remaining" else line.remaining
                   for line in self.lines)

    @property
    def remaining_value(self) -> int:
        return sum(max(line.remaining, 0) * line.unit_price for line in self.lines)
