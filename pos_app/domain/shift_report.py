"""The X (mid-shift) and Z (closing) report of a shift, as receipt elements.

Everything comes from a plain ``ShiftTotals``; the totals are kept as JSON in the shift's
events, so a report can be drawn again (paper, PDF, screen) at any time from what was kept.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any

from pos_app.domain.calendar import local_time
from pos_app.domain.figures import Figures
from pos_app.domain.money import Rupiah, format_number, format_rupiah
from pos_app.domain.receipt import METHOD_LABELS, Element, Pair, Rule, Text, Translate

METHODS = ("cash", "qris", "transfer", "card")


@dataclass(frozen=True)
class ShiftTotals:
    """What a shift took, in whole rupiah. ``payments`` are per method, net of refunds and
    voids; ``expected_cash`` = float + cash sales - cash paid back + cash in - cash out."""

    shift_id: str
    kind: str  # pos | backoffice
    device_code: str
    business_date: date
    opened_at: datetime  # UTC
    opened_by: str
    cashier: str  # the cashier now (after handovers)
    sales: int
    gross: Rupiah
    discounts: Rupiah
    tax: Rupiah
    tax_added: Rupiah  # the part of ``tax`` added on top of prices
    net_sales: Rupiah  # sum of the sales' totals
    voids: int
    voids_total: Rupiah
    refunds: int
    refunds_total: Rupiah
    payments: tuple[tuple[str, Rupiah], ...]
    opening_float: Rupiah
    cash_sales: Rupiah
    cash_refunds: Rupiah
    cash_in: Rupiah
    cash_out: Rupiah
    expected_cash: Rupiah
    handovers: tuple[str, ...] = ()  # cashiers handed to, in order
    days: tuple[tuple[date, int, Rupiah], ...] = ()  # (business date, sales, net) per day
    closed_at: datetime | None = None
    closed_by: str | None = None
    counted_cash: Rupiah | None = None
    difference: Rupiah | None = None  # counted - expected: + over, - short
    count: tuple[tuple[Rupiah, int], ...] = ()  # the closing count by denomination
    # the one set of figures (``domain.figures``); None in totals kept before it existed
    figures: Figures | None = None

    @property
    def net_payments(self) -> Rupiah:
        return sum(amount for _, amount in self.payments)

    def shown_figures(self) -> Figures:
        """The figures; for totals kept before they were, rebuilt from the old fields (their
        PPN then still counts the PPN of voided and refunded sales)."""
        if self.figures is not None:
            return self.figures
        return Figures(gross=self.gross, discounts=self.discounts, added_tax=self.tax_added,
                       voids=-self.voids_total, refunds=-self.refunds_total, tax=self.tax)

    def payment(self, method: str) -> Rupiah:
        return dict(self.payments).get(method, 0)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (dates and times as ISO text)."""
        out = asdict(self)
        out["business_date"] = self.business_date.isoformat()
        out["opened_at"] = self.opened_at.isoformat()
        out["closed_at"] = self.closed_at.isoformat() if self.closed_at else None
        out["payments"] = [list(p) for p in self.payments]
        out["days"] = [[d.isoformat(), n, t] for d, n, t in self.days]
        out["count"] = [list(c) for c in self.count]
        out["handovers"] = list(self.handovers)
        out["figures"] = self.figures.to_json() if self.figures is not None else None
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShiftTotals:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["business_date"] = date.fromisoformat(data["business_date"])
        values["opened_at"] = datetime.fromisoformat(data["opened_at"])
        closed = data.get("closed_at")
        values["closed_at"] = datetime.fromisoformat(closed) if closed else None
        values["payments"] = tuple((m, int(a)) for m, a in data.get("payments", ()))
        values["days"] = tuple((date.fromisoformat(d), int(n), int(t))
                               for d, n, t in data.get("days", ()))
        values["count"] = tuple((int(d), int(p)) for d, p in data.get("count", ()))
        values["handovers"] = tuple(data.get("handovers", ()))
        figures = data.get("figures")
        values["figures"] = Figures.from_json(figures) if figures else None
        return cls(**values)


@dataclass(frozen=True)
class ReportHeading:
    booth_name: str
    timezone: str
    tz_label: str  # WITA
    printed_at: datetime  # UTC


def _neg(amount: Rupiah) -> str:
    return "-" + format_rupiah(amount) if amount else format_rupiah(0)


def _signed(amount: Rupiah) -> str:
    if amount > 0:
        return "+" + format_rupiah(amount)
    if amount < 0:
        return "-" + format_rupiah(-amount)
    return format_rupiah(0)


def _when(ts: datetime, heading: ReportHeading) -> str:
    return f"{local_time(ts, heading.timezone):%d/%m/%Y %H:%M} {heading.tz_label}"


def short_hash(digest: str) -> str:
    return digest[:16]


def _body(t: ShiftTotals, heading: ReportHeading, title: str, _: Translate) -> list[Element]:
    out: list[Element] = [Text(heading.booth_name, "center", bold=True, large=True),
                          Text(_("Device {code}").format(code=t.device_code), "center"),
                          Text(title, "center", bold=True, large=True)]
    if t.kind == "backoffice":
        out.append(Text(_("Back-office shift"), "center"))
    out.append(Rule())
    out.append(Pair(_("Business day"), f"{t.business_date:%d/%m/%Y}"))
    out.append(Pair(_("Opened"), _when(t.opened_at, heading)))
    if t.closed_at is not None:
        out.append(Pair(_("Closed"), _when(t.closed_at, heading)))
    out.append(Pair(_("Printed"), _when(heading.printed_at, heading)))
    out.append(Pair(_("Opened by"), t.opened_by))
    for name in t.handovers:
        out.append(Pair("  " + _("Handed over to"), name))
    if t.closed_by:
        out.append(Pair(_("Closed by"), t.closed_by))
    out.append(Pair(_("Shift"), t.shift_id[:8]))
    out.append(Rule())
    out.append(Pair(_("Number of sales"), str(t.sales)))
    out.append(Pair(_("Voids / refunds (documents)"), f"{t.voids} / {t.refunds}"))
    for key, label, amount in t.shown_figures().shown():
        out.append(Pair(_(label), format_rupiah(amount), bold=key == "net"))
    if len(t.days) > 1:
        out.append(Text(_("Sales by business day")))
        for day, count, total in t.days:
            out.append(Pair(f"  {day:%d/%m/%Y} ({count})", format_rupiah(total)))
    out.append(Rule())
    out.append(Text(_("Payments (net of refunds)"), bold=True))
    for method, amount in t.payments:
        out.append(Pair("  " + _(METHOD_LABELS.get(method, method)), format_rupiah(amount)))
    out.append(Pair(_("Total"), format_rupiah(t.net_payments), bold=True))
    out.append(Rule())
    out.append(Text(_("Cash drawer"), bold=True))
    out.append(Pair("  " + _("Opening float"), format_rupiah(t.opening_float)))
    out.append(Pair("  " + _("Cash sales"), format_rupiah(t.cash_sales)))
    out.append(Pair("  " + _("Cash paid back"), _neg(t.cash_refunds)))
    out.append(Pair("  " + _("Cash in"), format_rupiah(t.cash_in)))
    out.append(Pair("  " + _("Cash out"), _neg(t.cash_out)))
    out.append(Pair(_("EXPECTED CASH"), format_rupiah(t.expected_cash), bold=True))
    return out


def x_report_elements(t: ShiftTotals, heading: ReportHeading,
                      _: Translate = lambda s: s) -> list[Element]:
    """A reading of an open shift; it closes nothing."""
    out = _body(t, heading, _("X REPORT"), _)
    out.append(Rule())
    out.append(Text(_("Reading only: the shift stays open"), "center"))
    return out


def z_report_elements(t: ShiftTotals, heading: ReportHeading, chain_index: int,
                      chain_hash: str, _: Translate = lambda s: s) -> list[Element]:
    """The closing report: totals, expected vs counted cash, the count by denomination, and
    the journal head at close (what an auditor compares with the device's journal)."""
    out = _body(t, heading, _("Z REPORT"), _)
    if t.counted_cash is not None:
        out.append(Pair(_("COUNTED CASH"), format_rupiah(t.counted_cash), bold=True))
        out.append(Pair(_("DIFFERENCE"), _signed(t.difference or 0), bold=True))
        if t.difference:
            out.append(Text("  " + (_("over") if t.difference > 0 else _("short"))))
        out.append(Rule())
        out.append(Text(_("Cash count"), bold=True))
        for denomination, pieces in t.count:
            out.append(Pair(f"  {format_number(denomination)} x {pieces}",
                            format_rupiah(denomination * pieces)))
        out.append(Pair(_("Total"), format_rupiah(t.counted_cash)))
    else:
        out.append(Text(_("No cash count (back-office shift)")))
    out.append(Rule())
    out.append(Text(_("Journal head: #{index} {hash}").format(
        index=chain_index, hash=short_hash(chain_hash))))
    return out

