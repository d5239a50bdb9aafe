"""Sales reports for the screen, the settlement statements and the end-of-event pack.

The figures are ``totals.Totals`` (their definitions are there), from the frozen sale lines.

Breakdowns by facility, product, category, payment method and hour all add up to the same
net. Money by payment method is each document's payments spread over its lines
(``report_facts``), so "by facility and method" is exact too.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from pos_app.persistence.models import Payment, PaymentMatch, Sale
from pos_app.services.access import roles
from pos_app.services.reporting.report_facts import LineFact, ReportFilter, iter_facts
from pos_app.services.reporting.totals import Totals as Totals
from pos_app.services.setup.booth import Booth

TOP = 10


@dataclass(frozen=True)
class UnverifiedPayment:
    payment_id: uuid.UUID
    sale_number: str
    method: str
    amount: int
    reference: str | None
    created_at: object  # UTC datetime
    qris_payload: str | None = None  # the exact QRIS shown (migration 0009)


@dataclass
class Report:
    totals: Totals = field(default_factory=Totals)
    by_facility: dict[str, Totals] = field(default_factory=dict)  # facility code
    facility_names: dict[str, str] = field(default_factory=dict)
    by_product: dict[str, Totals] = field(default_factory=dict)  # SKU
    product_names: dict[str, str] = field(default_factory=dict)
    by_category: dict[str, Totals] = field(default_factory=dict)
    by_hour: dict[int, Totals] = field(default_factory=dict)
    unverified: list[UnverifiedPayment] = field(default_factory=list)

    def top_products(self, n: int = TOP) -> list[tuple[str, Totals]]:
        return sorted(self.by_product.items(), key=lambda kv: (-kv[1].net, kv[0]))[:n]


def aggregate(facts: Iterable[LineFact]) -> Report:
    report = Report()
    seen_sales: set[uuid.UUID] = set()
    seen_in: dict[str, set] = {}  # group -> (key, sale) pairs already counted
    groups = (("by_facility", lambda f: f.facility_code), ("by_product", lambda f: f.sku),
              ("by_category", lambda f: f.category), ("by_hour", lambda f: f.hour))
    buckets = {name: defaultdict(Totals) for name, _ in groups}
    for f in facts:
        report.totals.add(f)
        for name, key in groups:
            buckets[name][key(f)].add(f)
        if f.sign > 0:
            if f.doc_id not in seen_sales:
                seen_sales.add(f.doc_id)
                report.totals.count += 1
            for name, key in groups:  # sales with at least one line in the group
                pair = (key(f), f.doc_id)
                seen = seen_in.setdefault(name, set())
                if pair not in seen:
                    seen.add(pair)
                    buckets[name][key(f)].count += 1
        report.facility_names.setdefault(f.facility_code, f.facility_name)
        report.product_names.setdefault(f.sku, f.name)
    for name, _ in groups:
        setattr(report, name, dict(sorted(buckets[name].items())))
    return report


def report(booth: Booth, flt: ReportFilter | None = None) -> Report:
    """The report for ``flt`` (everything when None), with unverified payments listed."""
    flt = flt or ReportFilter()
    tz = booth.context.timezone
    with booth.db.read() as s:
        conn = s.connection()
        result = aggregate(iter_facts(conn, flt, tz))
        result.unverified = unverified_payments(conn, flt)
    return result


def report_as(booth: Booth, flt: ReportFilter | None = None, *, actor: str,
              actor_role: str) -> Report:
    """:func:`report` for a person (the reports screen): coordinators and admins only."""
    roles.require(actor_role, "reports", actor)
    return report(booth, flt)


def unverified_payments(conn, flt: ReportFilter | None = None) -> list[UnverifiedPayment]:
    """QRIS and transfer payments of sales not yet confirmed against a statement."""
    q = (select(Payment.id, Sale.number, Payment.method, Payment.amount, Payment.reference,
                Sale.created_at, Payment.qris_payload)
         .join(Sale, Sale.id == Payment.sale_id)
         .outerjoin(PaymentMatch, PaymentMatch.payment_id == Payment.id)
         .where(Payment.verified.is_(False), Sale.kind == "sale", Payment.amount > 0,
                PaymentMatch.id.is_(None))
         .order_by(Sale.created_at, Payment.line_no))
    if flt is not None:
        if flt.event_id is not None:
            q = q.where(Sale.event_id == flt.event_id)
        if flt.date_from is not None:
            q = q.where(Sale.business_date >= flt.date_from)
        if flt.date_to is not None:
            q = q.where(Sale.business_date <= flt.date_to)
    return [UnverifiedPayment(*row) for row in conn.execute(q)]
