"""The cart a cashier builds, and its pricing.

Discounts are per line or for the whole sale, as an amount or a percentage. A whole-sale
discount is shared out over the lines so that every line (and so every facility) carries its
own rounded part; the sale total is always the sum of the rounded line totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Literal
from uuid import UUID

from pos_app.domain.errors import DomainError
from pos_app.domain.money import MAX_AMOUNT, Rupiah, allocate, check_amount, round_half_up
from pos_app.domain.tax import TaxMode, TaxSettings, line_tax

MAX_QTY = 100_000  # a truck of paving blocks, not a typo of 1e9


@dataclass(frozen=True)
class ProductRef:
    """What a sale needs to know about a product, frozen when it goes into the cart."""

    id: UUID
    sku: str
    name: str
    unit_price: Rupiah
    facility_id: UUID
    facility_name: str
    tax_mode: TaxMode = TaxMode.NONE
    barcode: str | None = None


@dataclass(frozen=True)
class Discount:
    """An amount in rupiah or a percentage (exact fraction)."""

    kind: Literal["amount", "percent"]
    value: Fraction | int

    @classmethod
    def amount(cls, rupiah: int) -> Discount:
        return cls("amount", check_amount(rupiah))

    @classmethod
    def percent(cls, pct: Fraction | int | str) -> Discount:
        from pos_app.domain.money import parse_percent

        return cls("percent", parse_percent(pct))

    def basis_points(self) -> int | None:
        """The percentage in hundredths of a percent, for storage; ``None`` for amounts."""
        if self.kind != "percent":
            return None
        return round_half_up(Fraction(self.value) * 100)


def check_qty(qty: object) -> int:
    if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= MAX_QTY:
        raise DomainError("bad_quantity", qty=qty, max=MAX_QTY)
    return qty


@dataclass(frozen=True)
class CartLine:
    product: ProductRef
    qty: int
    discount: Discount | None = None
    list_price: int | None = None  # the catalog price, kept when the price was overridden

    @property
    def catalog_price(self) -> int:
        return self.product.unit_price if self.list_price is None else self.list_price

    @property
    def overridden(self) -> bool:
        """The line is sold at a price other than the catalog's (needs approval by a
        coordinator when a cashier does it)."""
        return self.list_price is not None and self.list_price != self.product.unit_price


@dataclass(frozen=True)
class PricedLine:
    product: ProductRef
    qty: int
    unit_price: Rupiah
    gross: Rupiah  # qty x unit price
    line_discount: Rupiah  # from the line's own discount
    sale_discount: Rupiah  # this line's share of the whole-sale discount
    net: Rupiah  # gross - both discounts
    tax: Rupiah
    total: Rupiah  # what the buyer pays for this line

    @property
    def discount(self) -> Rupiah:
        return self.line_discount + self.sale_discount


@dataclass(frozen=True)
class PricedCart:
    lines: tuple[PricedLine, ...]
    subtotal: Rupiah  # sum of gross
    discount: Rupiah  # sum of all discounts
    tax: Rupiah  # sum of line tax (included or added)
    total: Rupiah  # sum of line totals

    @property
    def tax_added(self) -> Rupiah:
        return sum(line.total - line.net for line in self.lines)


def _discount_of(base: Rupiah, discount: Discount | None) -> Rupiah:
    if discount is None:
        return 0
    if discount.kind == "percent":
        return round_half_up(base * Fraction(discount.value) / 100)
    if discount.value > base:
        raise DomainError("discount_exceeds")
    return int(discount.value)


@dataclass
class Cart:
    """A mutable cart; every change is checked, and pricing is a pure function of it."""

    lines: list[CartLine] = field(default_factory=list)
    discount: Discount | None = None

    def add(self, product: ProductRef, qty: int = 1) -> int:
        """Add ``qty`` of ``product``; merges into an undiscounted line of the same product."""
        check_qty(qty)
        for i, line in enumerate(self.lines):
            if line.product.id == product.id and line.discount is None and not line.overridden:
                self.set_qty(i, line.qty + qty)
                return i
        self.lines.append(CartLine(product, qty))
        try:
            self.check_total()
        except DomainError:
            self.lines.pop()
            raise
        return len(self.lines) - 1

    def _line(self, index: int) -> CartLine:
        if not 0 <= index < len(self.lines):
            raise DomainError("bad_line", index=index)
        return self.lines[index]

    def set_qty(self, index: int, qty: int) -> None:
        old = self._line(index)
        self.lines[index] = replace(old, qty=check_qty(qty))
        try:
            self.check_total()
        except DomainError:
            self.lines[index] = old
            raise

    def change_qty(self, index: int, delta: int) -> None:
        """``+``/``-`` keys: going below 1 removes the line."""
        new = self._line(index).qty + delta
        if new < 1:
            self.remove(index)
        else:
            self.set_qty(index, new)

    def remove(self, index: int) -> None:
        self._line(index)
        del self.lines[index]

    def set_price(self, index: int, price: int) -> None:
        """Sell this line at ``price`` instead of the catalog price (a price override)."""
        old = self._line(index)
        check_amount(price, "bad_price")
        self.lines[index] = replace(old, product=replace(old.product, unit_price=price),
                                    list_price=old.catalog_price)
        try:
            self.price(TaxSettings())
        except DomainError:
            self.lines[index] = old
            raise

    def set_line_discount(self, index: int, discount: Discount | None) -> None:
        old = self._line(index)
        self.lines[index] = replace(old, discount=discount)
        try:
            self.price(TaxSettings())
        except DomainError:
            self.lines[index] = old
            raise

    def set_discount(self, discount: Discount | None) -> None:
        old, self.discount = self.discount, discount
        try:
            self.price(TaxSettings())
        except DomainError:
            self.discount = old
            raise

    def clear(self) -> None:
        self.lines.clear()
        self.discount = None

    def check_total(self) -> None:
        """Refuse a cart whose list-price total is beyond what a sale may hold."""
        if sum(line.qty * line.product.unit_price for line in self.lines) > MAX_AMOUNT:
            raise DomainError("amount_overflow")

    def price(self, tax: TaxSettings) -> PricedCart:
        """Price every line: line discount, share of the sale discount, tax; each rounded once."""
        gross = [line.qty * line.product.unit_price for line in self.lines]
        if sum(gross) > MAX_AMOUNT:
            raise DomainError("amount_overflow")
        line_disc = [_discount_of(g, line.discount) for g, line in zip(gross, self.lines, strict=True)]
        after_line = [g - d for g, d in zip(gross, line_disc, strict=True)]
        if self.discount is None:
            sale_disc = [0] * len(self.lines)
        elif self.discount.kind == "percent":
            sale_disc = [_discount_of(a, self.discount) for a in after_line]
        else:
            if self.discount.value > sum(after_line):
                raise DomainError("discount_exceeds")
            sale_disc = allocate(int(self.discount.value), after_line) if self.lines else []
        priced = []
        for line, g, ld, sd, a in zip(self.lines, gross, line_disc, sale_disc, after_line, strict=True):
            net = a - sd
            tax_amount, total = line_tax(net, line.product.tax_mode, tax)
            priced.append(
                PricedLine(line.product, line.qty, line.product.unit_price, g, ld, sd, net,
                           tax_amount, total)
            )
        total = sum(p.total for p in priced)
        if total > MAX_AMOUNT:
            raise DomainError("amount_overflow")
        return PricedCart(
            lines=tuple(priced),
            subtotal=sum(gross),
            discount=sum(p.discount for p in priced),
            tax=sum(p.tax for p in priced),
            total=total,
        )
