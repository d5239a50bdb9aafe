"""Per-facility settlement statements (laporan hasil penjualan): per payment method what the
facility's goods sold for, what was refunded and the net; the one set of figures
(``domain.figures``); and the facility's DPP (net less PPN) split into PNBP, premi, modal and
program by the facility's percentages (``domain.settlement``: the parts add up to the DPP
exactly, the remainder going by the stated rule). The PPN collected is tax to remit, listed
apart and never split.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from pos_app.domain.calendar import local_time
from pos_app.domain.figures import Figures
from pos_app.domain.settlement import PARTS, REMAINDER_RULE, Shares, split
from pos_app.persistence.models import Facility
from pos_app.services.access import audit, roles
from pos_app.services.reporting.report_facts import METHODS, ReportFilter, iter_facts
from pos_app.services.reporting.reports import Totals, aggregate
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder
from pos_app.services.stock.stock import facility_by_code


@dataclass(frozen=True)
class MethodLine:
    method: str
    gross: int  # what the sales of this facility's goods brought in by this method
    refunds: int
    net: int


@dataclass(frozen=True)
class Statement:
    facility_code: str
    facility_name: str
    facility_kind: str
    booth_name: str
    event_name: str
    date_from: object  # date | None
    date_to: object
    made_at: datetime  # local time
    methods: tuple[MethodLine, ...]
    gross: int  # before discounts
    discounts: int
    sales: int
    refunds: int
    net: int
    tax: int
    count: int  # sales with this facility's goods
    shares: Shares
    split: dict[str, int] | None  # the DPP's parts; None while the percentages are not set
    rule: str = REMAINDER_RULE
    figures: Figures = Figures()

    @property
    def dpp(self) -> int:
        """What is split: the net less the PPN in it."""
        return self.figures.dpp


def facility_shares(booth: Booth) -> dict[str, Shares]:
    with booth.db.read() as s:
        rows = s.execute(select(Facility.code, Facility.pnbp_bp, Facility.premi_bp,
                                Facility.modal_bp, Facility.program_bp)).all()
    return {code: Shares(*bp) for code, *bp in rows}


def set_shares(booth: Booth, facility_code: str, shares: Shares, *, actor: str,
               actor_role: str) -> None:
    """Set a facility's percentages (they must add up to 100); a new catalog revision."""
    roles.require(actor_role, "settlement", actor)
    shares.check()
    with booth.db.write_connection() as conn:
        facility = facility_by_code(conn, facility_code)
        now = booth.clock.now()
        conn.execute(update(Facility).where(Facility.id == facility.id).values(
            **{f"{p}_bp": getattr(shares, p) for p in PARTS},
            revision=Facility.revision + 1, updated_at=now))
        rec = Recorder(conn, booth.context.device_id, now)
        rec.queue(Facility, facility.id)
        audit.append(rec, actor, "facility.shares", "facility", facility.id,
                     {"facility": facility.code, **shares.as_dict()})


def statements(booth: Booth, flt: ReportFilter | None = None,
               facility_code: str | None = None) -> list[Statement]:
    """One statement per facility with sales in ``flt`` (or just ``facility_code``)."""
    flt = flt or ReportFilter()
    ctx = booth.context
    with booth.db.read() as s:
        conn = s.connection()
        facilities = {r.code: r for r in conn.execute(
            select(Facility.id, Facility.code, Facility.name, Facility.kind, Facility.pnbp_bp,
                   Facility.premi_bp, Facility.modal_bp, Facility.program_bp))}
        if facility_code is not None:
            wanted = facility_by_code(conn, facility_code)
            flt = ReportFilter(**{**flt.__dict__, "facility_id": wanted.id})
        # a sale with goods of three facilities counts once for each of them
        by_facility = aggregate(iter_facts(conn, flt, ctx.timezone)).by_facility
    booth_name = booth.name()
    made_at = local_time(booth.clock.now(), ctx.timezone)
    codes = [facility_code.strip().upper()] if facility_code else list(by_facility)
    out = []
    for code in codes:
        f = facilities[code]
        t = by_facility.get(code) or Totals()
        shares = Shares(f.pnbp_bp, f.premi_bp, f.modal_bp, f.program_bp)
        net_by = t.net_by_method()
        methods = tuple(MethodLine(m, t.methods[m], t.refunded_methods[m], net_by[m])
                        for m in METHODS)
        out.append(Statement(
            facility_code=code, facility_name=f.name, facility_kind=f.kind,
            booth_name=booth_name, event_name=ctx.event_name, date_from=flt.date_from,
            date_to=flt.date_to, made_at=made_at, methods=methods, gross=t.gross,
            discounts=t.discounts, sales=t.sales, refunds=t.refunds, net=t.net, tax=t.tax,
            count=t.count, shares=shares, figures=t.figures(),
            split=split(t.figures().dpp, shares) if shares.is_set else None))
    return out
