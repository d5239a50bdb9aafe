"""Tables of the reports screen: one row per facility, product, category, payment method or
hour of a :class:`~pos_app.services.reporting.reports.Report`, the top products and the unverified
payments, every figure exact integer rupiah as the service computed it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pos_app.domain.calendar import local_time
from pos_app.domain.money import format_number
from pos_app.i18n import _
from pos_app.services.reporting.report_facts import METHODS
from pos_app.services.reporting.reports import Report, Totals, UnverifiedPayment
from pos_app.ui.common.figures import signed, signed_rupiah
from pos_app.ui.common.labels import method_label
from pos_app.ui.common.rows import Column, RowsModel
from pos_app.ui.common.style import DANGER, MUTED

CLASS = re.compile(r"[IV]+[AB]?")  # the class of a facility (Kelas IIA)


@dataclass(frozen=True)
class BreakdownRow:
    """One group of a breakdown: ``key`` as the report keys it (facility code, SKU, category,
    method, hour), ``label`` as a coordinator reads it, ``detail`` a second line (a name)."""

    key: object
    label: str
    detail: str
    totals: Totals

    @property
    def net(self) -> int:
        return self.totals.net


@dataclass(frozen=True)
class MethodRow:
    method: str
    received: int  # paid by this method in sales
    paid_back: int  # paid back by this method in refunds and voids

    @property
    def net(self) -> int:
        return self.received - self.paid_back

    @property
    def label(self) -> str:
        return method_label(self.method)


def short_facility(name: str) -> str:
    """``Lapas Kelas IIA Kupang`` -> ``Lapas Kupang``: on a chart the class only takes room."""
    words = name.split()
    kept = [w for i, w in enumerate(words)
            if w.lower() != "kelas" and not (i and words[i - 1].lower() == "kelas"
                                             and CLASS.fullmatch(w))]
    return " ".join(kept) or name


def hour_text(hour: int) -> str:
    return f"{hour:02d}.00–{hour:02d}.59"


# -- rows from a report ---------------------------------------------------------------------
def facility_rows(report: Report) -> list[BreakdownRow]:
    return [BreakdownRow(code, report.facility_names.get(code, code), code, t)
            for code, t in report.by_facility.items()]


def product_rows(report: Report) -> list[BreakdownRow]:
    """Best-selling first (by net, then SKU), as the chart shows them."""
    rows = sorted(report.by_product.items(), key=lambda kv: (-kv[1].net, kv[0]))
    return [BreakdownRow(sku, report.product_names.get(sku, sku), sku, t) for sku, t in rows]


def top_rows(report: Report) -> list[BreakdownRow]:
    return [BreakdownRow(sku, report.product_names.get(sku, sku), sku, t)
            for sku, t in report.top_products()]


def category_rows(report: Report) -> list[BreakdownRow]:
    return [BreakdownRow(name, name, "", t) for name, t in report.by_category.items()]


def hour_rows(report: Report) -> list[BreakdownRow]:
    """Every hour from the first to the last with sales, quiet hours included as zeros."""
    if not report.by_hour:
        return []
    hours = range(min(report.by_hour), max(report.by_hour) + 1)
    return [BreakdownRow(h, hour_text(h), "", report.by_hour.get(h, Totals())) for h in hours]


def method_rows(report: Report) -> list[MethodRow]:
    """The methods that took or paid back money in the period."""
    t = report.totals
    return [MethodRow(m, t.methods[m], t.refunded_methods[m]) for m in METHODS
            if t.methods[m] or t.refunded_methods[m]]


# -- models --------------------------------------------------------------------------------------
def _money(name: str, value) -> Column:
    return Column(name, lambda r: signed_rupiah(value(r)), numeric=True)


def _count(name: str, value) -> Column:
    return Column(name, lambda r: signed(value(r)) if value(r) < 0 else format_number(value(r)),
                  numeric=True)


SALES_COLUMNS = (
    lambda: _count(_("Sales"), lambda r: r.totals.count),
    lambda: _count(_("Units"), lambda r: r.totals.qty),
    lambda: _money(_("Gross"), lambda r: r.totals.gross),
    lambda: _money(_("Discounts"), lambda r: r.totals.discounts),
    lambda: _money(_("Voids and refunds"), lambda r: r.totals.refunds),
    lambda: _money(_("Net"), lambda r: r.totals.net),
)


class BreakdownModel(RowsModel):
    """A breakdown by facility, product or category: the group, then its figures; Net is the
    last column, in bold."""

    def __init__(self, first: list[Column], parent=None, *, with_count: bool = True,
                 muted: tuple[int, ...] = ()) -> None:
        figures = [make() for make in SALES_COLUMNS]
        if not with_count:
            figures = figures[1:]
        super().__init__(first + figures, parent)
        self.net_column = len(self.columns) - 1
        self.muted = muted

    def bold(self, row, col: int) -> bool:
        return col == self.net_column

    def foreground(self, row, col: int) -> str | None:
        if col == self.net_column and row.net < 0:
            return DANGER
        return MUTED if col in self.muted else None


def facility_model(parent=None) -> BreakdownModel:
    return BreakdownModel([Column(_("Facility"), lambda r: r.label,
                                  tip=lambda r: f"{r.label} ({r.detail})")], parent)


def product_model(parent=None) -> BreakdownModel:
    return BreakdownModel([Column(_("Product"), lambda r: r.label),
                           Column(_("SKU"), lambda r: r.detail)], parent, with_count=False,
                          muted=(1,))


def category_model(parent=None) -> BreakdownModel:
    return BreakdownModel([Column(_("Category"), lambda r: r.label)], parent)


def hour_model(parent=None) -> BreakdownModel:
    return BreakdownModel([Column(_("Hour"), lambda r: r.label)], parent)


class TopModel(RowsModel):
    """The best-selling products, ranked, for the overview."""

    def __init__(self, parent=None) -> None:
        super().__init__([
            Column(_("Product"), lambda r: r.label, tip=lambda r: f"{r.label} · {r.detail}"),
            _count(_("Units"), lambda r: r.totals.qty),
            _money(_("Net"), lambda r: r.totals.net),
        ], parent)

    def bold(self, row, col: int) -> bool:
        return col == 2


class MethodModel(RowsModel):
    def __init__(self, parent=None) -> None:
        super().__init__([
            Column(_("Payment method"), lambda r: r.label),
            _money(_("Received"), lambda r: r.received),
            _money(_("Paid back"), lambda r: r.paid_back),
            _money(_("Net"), lambda r: r.net),
        ], parent)

    def bold(self, row: MethodRow, col: int) -> bool:
        return col == 3

    def foreground(self, row: MethodRow, col: int) -> str | None:
        return DANGER if col == 3 and row.net < 0 else None


class UnverifiedModel(RowsModel):
    def __init__(self, timezone: str, parent=None) -> None:
        self.tz = timezone
        super().__init__([
            Column(_("Time"), lambda r: local_time(r.created_at, self.tz)
                   .strftime("%d/%m/%Y %H:%M")),
            Column(_("Sale"), lambda r: r.sale_number),
            Column(_("Payment method"), lambda r: method_label(r.method)),
            Column(_("Reference"), lambda r: r.reference or "—"),
            _money(_("Amount"), lambda r: r.amount),
        ], parent)

    @property
    def total(self) -> int:
        return sum(r.amount for r in self._rows)

    def foreground(self, row: UnverifiedPayment, col: int) -> str | None:
        return MUTED if col == 3 and not row.reference else None

    def bold(self, row: UnverifiedPayment, col: int) -> bool:
        return col == 4
