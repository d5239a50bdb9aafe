"""What the pack's PDF summary shows, gathered from the export's sums (plain values for the
PDF adapter)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pos_app.adapters.pdf.summary_pdf import (
    UNVERIFIED_SHOWN,
    Breakdown,
    SettlementLine,
    SummaryData,
)
from pos_app.domain.calendar import local_time
from pos_app.domain.errors import N_
from pos_app.domain.receipt import METHOD_LABELS
from pos_app.domain.settlement import REMAINDER_RULE
from pos_app.services.reporting.export_data import Aggregates
from pos_app.services.reporting.export_sheets import DeviceHead, SettlementRow
from pos_app.services.reporting.report_facts import METHODS, ReportFilter
from pos_app.services.setup.booth import Booth

TOP = 10


def summary_of(booth: Booth, agg: Aggregates, statements: list[SettlementRow], unverified,
               heads: list[DeviceHead], flt: ReportFilter, names: dict, made_at: datetime,
               translate: Callable[[str], str]) -> SummaryData:
    _ = translate
    ctx = booth.context
    t = agg.totals
    tz = ctx.timezone
    filters = []
    if names.get("facility"):
        filters.append((N_("Facility"), names["facility"]))
    if flt.cashier:
        filters.append((N_("Cashier"), flt.cashier))
    if flt.method:
        filters.append((N_("Payment method"), _(METHOD_LABELS.get(flt.method, flt.method))))
    if flt.shift_id is not None:
        filters.append((N_("Shift"), flt.shift_id.hex[:8]))
    return SummaryData(
        booth_name=booth.name(),
        event_name=names.get("event") or ctx.event_name, device_code=ctx.device_code,
        date_from=flt.date_from, date_to=flt.date_to, filters=tuple(filters),
        made_at=local_time(made_at, tz),
        totals={"sales_count": t.count, "qty": t.qty},
        figures=t.figures(),
        documents={kind: count for kind, (count, _total) in agg.documents.items()},
        facilities=tuple(Breakdown(code, agg.facility_names[code], a.count, a.sales,
                                   a.refunds) for code, a in sorted(agg.by_facility.items())),
        methods=tuple(Breakdown(m, _(METHOD_LABELS[m]), agg.method_counts[m], t.methods[m],
                                t.refunded_methods[m])
                      for m in METHODS),
        hours=tuple(Breakdown(f"{h:02d}", f"{h:02d}:00\u2013{h:02d}:59", a.count, a.sales,
                              a.refunds) for h, a in sorted(agg.by_hour.items())),
        top=tuple((sku, agg.product_info[sku][0], agg.product_info[sku][1], a.qty, a.net)
                  for sku, a in agg.top_products(TOP)),
        unverified=tuple((u.sale_number, local_time(u.created_at, tz), u.method, u.reference,
                          u.amount) for u in unverified[:UNVERIFIED_SHOWN]),
        unverified_count=len(unverified),
        unverified_amount=sum(u.amount for u in unverified),
        settlement=tuple(SettlementLine(st.code, st.name, st.dpp,
                                        st.shares.as_dict() if st.split is not None else None,
                                        st.split, st.tax) for st in statements),
        rule=REMAINDER_RULE,
        heads=tuple((h.device or h.device_id[:8], h.index, h.hash) for h in heads),
    )
