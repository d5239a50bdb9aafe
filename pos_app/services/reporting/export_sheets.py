"""The pack's small tables, read in the export's snapshot after the streaming pass: totals per
facility and per product (from the pass's sums), the stock reconciliation from the ledger,
the shifts with their kept Z report totals (the figures of ``domain.figures``, as their Z
report prints them), and the settlement statement per facility.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.engine import Connection

from pos_app.domain.figures import Figures
from pos_app.domain.settlement import PARTS, Shares, split
from pos_app.domain.shift_report import ShiftTotals
from pos_app.persistence.models import (
    AuditEvent,
    Device,
    Facility,
    Product,
    Shift,
    ShiftEvent,
)
from pos_app.services.access import audit
from pos_app.services.reporting.export_data import Aggregates
from pos_app.services.reporting.export_tables import FIGURE_COLUMNS, SHIFTS
from pos_app.services.reporting.report_facts import METHODS, ReportFilter
from pos_app.services.reporting.totals import Totals
from pos_app.services.stock.stock import ledger_totals

Z_COLUMNS = len(SHIFTS.columns) - SHIFTS.index("opening_float") - 1


def _totals(acc: Totals) -> tuple:
    return (acc.count, acc.qty, *figure_values(acc.figures()))


def figure_values(f: Figures) -> tuple[int, ...]:
    """The figures in ``FIGURE_COLUMNS`` order (discounts positive, voids and refunds
    negative)."""
    return tuple(f.discounts if key == "discounts" else f.value(key) for key in FIGURE_COLUMNS)


def by_facility_rows(agg: Aggregates) -> list[tuple]:
    return [(code, agg.facility_names[code], *_totals(acc), *acc.net_by_method().values())
            for code, acc in sorted(agg.by_facility.items())]


def by_product_rows(agg: Aggregates) -> Iterable[tuple]:
    for sku, acc in sorted(agg.by_product.items()):
        name, facility, category = agg.product_info[sku]
        yield (sku, name, facility, category, *_totals(acc))


def stock_rows(conn: Connection, flt: ReportFilter) -> list[tuple]:
    """Every (facility, product) with movements, sorted by facility and SKU."""
    ledger = ledger_totals(conn, flt.facility_id)
    facilities = {r.id: r for r in conn.execute(select(Facility.id, Facility.code,
                                                       Facility.name))}
    products = {r.id: r for r in conn.execute(select(Product.id, Product.sku, Product.name,
                                                     Product.price))}
    rows = []
    for (pid, fid), t in ledger.items():
        f, p = facilities[fid], products[pid]
        rows.append((f.code, f.name, p.sku, p.name, t.received, t.sold, t.refunded,
                     t.adjusted, t.returned, t.on_hand, p.price, t.on_hand * p.price))
    rows.sort(key=lambda r: (r[0], r[2]))
    return rows


def shift_rows(conn: Connection, flt: ReportFilter, shift_ids: set[str],
               tz: str) -> list[tuple]:
    """The shifts of the exported documents and those opened in the filter's event and
    dates, oldest first; Z totals from the close event as it was kept."""
    zone = ZoneInfo(tz)
    wanted = [uuid.UUID(h) for h in shift_ids]
    in_filter = []
    if flt.event_id is not None:
        in_filter.append(Shift.event_id == flt.event_id)
    if flt.device_id is not None:
        in_filter.append(Shift.device_id == flt.device_id)
    if flt.date_from is not None:
        in_filter.append(Shift.business_date >= flt.date_from)
    if flt.date_to is not None:
        in_filter.append(Shift.business_date <= flt.date_to)
    if flt.shift_id is not None:
        in_filter.append(Shift.id == flt.shift_id)
    table = Shift.__table__
    shifts: dict[uuid.UUID, object] = {}
    for i in range(0, len(wanted), 500):
        for shift in conn.execute(select(table).where(table.c.id.in_(wanted[i:i + 500]))):
            shifts[shift.id] = shift
    if flt.facility_id is None and not flt.cashier and not flt.method:
        # also the shifts with no documents; narrower filters keep only the documents' shifts
        for shift in conn.execute(select(table).where(*in_filter)):
            shifts[shift.id] = shift
    events: dict[uuid.UUID, list] = {sid: [] for sid in shifts}
    ids = list(shifts)
    for i in range(0, len(ids), 500):
        for e in conn.execute(select(ShiftEvent.shift_id, ShiftEvent.kind,
                                     ShiftEvent.user_name, ShiftEvent.created_at,
                                     ShiftEvent.payload)
                              .where(ShiftEvent.shift_id.in_(ids[i:i + 500]),
                                     ShiftEvent.kind.in_(("handover", "close")))
                              .order_by(ShiftEvent.seq)):
            events[e.shift_id].append(e)
    rows = []
    for sid, s in sorted(shifts.items(), key=lambda kv: (kv[1].created_at, kv[1].seq or 0)):
        handovers = [e.user_name for e in events[sid] if e.kind == "handover"]
        close = next((e for e in events[sid] if e.kind == "close"), None)
        cashier = handovers[-1] if handovers else s.cashier_name
        head = (sid.hex, s.kind, "closed" if close else "open", s.business_date,
                _local(s.created_at, zone), s.cashier_name, cashier, ", ".join(handovers),
                _local(close.created_at, zone) if close else None,
                close.user_name if close else None, s.opening_float)
        rows.append(head + _z_columns(close))
    return rows


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    return moment.astimezone(zone).replace(microsecond=0) if moment is not None else None


def _z_columns(close) -> tuple:
    if close is None:
        return (None,) * Z_COLUMNS
    payload = json.loads(close.payload or "{}")
    t = ShiftTotals.from_json(payload["totals"])
    chain = payload.get("chain_head") or {}
    return (t.sales, t.voids, t.refunds, *figure_values(t.shown_figures()),
            *(t.payment(m) for m in METHODS), t.cash_in,
            t.cash_out, t.expected_cash, t.counted_cash, t.difference, chain.get("index"),
            chain.get("hash"))


@dataclass(frozen=True)
class SettlementRow:
    """One facility's statement: the table row and what the PDF shows."""

    code: str
    name: str
    kind: str
    count: int
    methods: tuple[tuple[str, int, int, int], ...]  # method, sales, refunds, net
    figures: Figures
    shares: Shares
    split: dict[str, int] | None  # the DPP's parts; None while the percentages are not set

    @property
    def net(self) -> int:
        return self.figures.net

    @property
    def tax(self) -> int:
        return self.figures.tax

    @property
    def dpp(self) -> int:
        return self.figures.dpp

    def row(self) -> tuple:
        shares = self.shares.as_dict() if self.split is not None else {}
        return (self.code, self.name, self.kind, self.count,
                # what was paid back is negative, as in the figures
                *(v for _m, sales, back, net in self.methods for v in (sales, -back, net)),
                *figure_values(self.figures),
                *(shares.get(p) for p in PARTS),
                *((self.split or {}).get(p) for p in PARTS))


def settlement_rows(conn: Connection, agg: Aggregates) -> list[SettlementRow]:
    """Per facility with lines in the export, as ``settlement.statements`` defines it."""
    info = {r.code: r for r in conn.execute(
        select(Facility.code, Facility.name, Facility.kind, Facility.pnbp_bp,
               Facility.premi_bp, Facility.modal_bp, Facility.program_bp))}
    out = []
    for code, acc in sorted(agg.by_facility.items()):
        f = info[code]
        shares = Shares(f.pnbp_bp, f.premi_bp, f.modal_bp, f.program_bp)
        methods = tuple((m, acc.methods[m], acc.refunded_methods[m],
                         acc.methods[m] - acc.refunded_methods[m]) for m in METHODS)
        out.append(SettlementRow(code, f.name, f.kind, acc.count, methods, acc.figures(),
                                 shares, _split(agg, code, shares) if shares.is_set else None))
    return out


def _split(agg: Aggregates, code: str, shares: Shares) -> dict[str, int]:
    """The facility's split: on each device's DPP, added up (one device: on its DPP)."""
    total = dict.fromkeys(PARTS, 0)
    for (_device, fcode), amount in agg.device_dpp.items():
        if fcode == code:
            for part, value in split(amount, shares).items():
                total[part] += value
    return total


@dataclass(frozen=True)
class DeviceHead:
    device: str  # code
    device_id: str
    index: int
    hash: str


def audit_heads(conn: Connection) -> list[DeviceHead]:
    """The journal head of every device with a journal in this database."""
    ids = conn.execute(select(AuditEvent.device_id).distinct()).scalars().all()
    codes = dict(conn.execute(select(Device.id, Device.code)).all())
    heads = []
    for device_id in ids:
        if device_id is None:
            continue
        head = audit.head(conn, device_id)
        heads.append(DeviceHead(codes.get(device_id, ""), device_id.hex, head.index, head.hash))
    return sorted(heads, key=lambda h: (h.device, h.device_id))
