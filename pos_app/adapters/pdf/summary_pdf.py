"""The PDF summary of the end-of-event pack (A4): totals, by facility, by payment method, by
hour, top products, unverified QRIS and transfer payments, the settlement split and the
journal heads, with charts drawn by reportlab's own chart module (bar and pie).

Every figure arrives as an integer rupiah amount or count; charts plot those integers (only
their axis labels are scaled for reading). This module is imported only when a summary is
written (it loads reportlab).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from xml.sax.saxutils import escape

from babel.dates import format_datetime
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.flowables import Flowable, KeepTogether, Spacer
from reportlab.platypus.paragraph import Paragraph
from reportlab.platypus.tables import Table, TableStyle

from pos_app.adapters.pdf.sheet import DASH, MM, WIDTH, Grid, Sheet, Translate, money_text
from pos_app.domain.errors import N_
from pos_app.domain.figures import Figures
from pos_app.domain.money import format_number, format_percent
from pos_app.domain.receipt import METHOD_LABELS
from pos_app.domain.settlement import PARTS

UNVERIFIED_SHOWN = 40  # rows of the unverified list; the payments table has them all
PALETTE = ("#2E6F95", "#E08E45", "#5B9A5B", "#B5485D", "#7A6BA8", "#C9A227", "#4F9EA8",
           "#8C6D46")
PART_LABELS = {"pnbp": N_("PNBP"), "premi": N_("Premi"), "modal": N_("Modal"),
               "program": N_("Program")}


@dataclass(frozen=True)
class Breakdown:
    key: str
    label: str  # shown as it is (already translated)
    count: int
    sales: int
    refunds: int

    @property
    def net(self) -> int:
        return self.sales - self.refunds


@dataclass(frozen=True)
class SettlementLine:
    code: str
    name: str
    dpp: int  # what is split: the net less PPN
    shares: dict[str, int] | None  # basis points, None while not set
    split: dict[str, int] | None
    tax: int = 0  # PPN to remit, not split


@dataclass(frozen=True)
class SummaryData:
    booth_name: str
    event_name: str
    device_code: str
    date_from: date | None
    date_to: date | None
    filters: tuple[tuple[str, str], ...]  # (label msgid, value) of the narrower filters
    made_at: datetime  # local
    totals: dict[str, int]  # sales_count qty
    figures: Figures  # the one set of figures
    documents: dict[str, int]  # kind -> count
    facilities: tuple[Breakdown, ...]
    methods: tuple[Breakdown, ...]
    hours: tuple[Breakdown, ...]  # key = hour "08"
    top: tuple[tuple[str, str, str, int, int], ...]  # sku, name, facility, qty, net
    unverified: tuple[tuple[str, datetime, str, str, int], ...]  # number, time, method, ref, amt
    unverified_count: int
    unverified_amount: int
    settlement: tuple[SettlementLine, ...]
    rule: str
    heads: tuple[tuple[str, int, str], ...]  # device, index, hash


# --- charts ------------------------------------------------------------------------------------

def _scale(values: list[int], _: Translate) -> tuple[int, str]:
    """A unit for axis labels: thousands or millions of rupiah."""
    top = max([abs(v) for v in values] or [0])
    return (1_000_000, _("million rupiah")) if top >= 10_000_000 else (1_000, _("thousand rupiah"))


def _axis_labels(unit: int):
    return lambda v: format_number(round(v / unit))  # display only: the bars are the integers


def _caption(drawing: Drawing, text: str, face: str) -> None:
    drawing.add(String(0, drawing.height - 9, text, fontName=face, fontSize=8,
                       fillColor=colors.HexColor("#444444")))


def _bars(d: Drawing, chart, values: list[int], names: list[str], colour: str, title: str,
          face: str, _: Translate) -> Drawing:
    """Fill a bar chart of rupiah ``values`` (axis scaled, labels in ``face``) into ``d``."""
    chart.data = [values]
    chart.categoryAxis.categoryNames = names
    unit, unit_name = _scale(values, _)
    chart.valueAxis.labelTextFormat = _axis_labels(unit)
    chart.valueAxis.forceZero = True
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName, axis.labels.fontSize = face, 7
    chart.bars[0].fillColor = colors.HexColor(colour)
    chart.bars.strokeColor = None
    d.add(chart)
    _caption(d, f"{title} ({unit_name})", face)
    return d


def facility_chart(rows: tuple[Breakdown, ...], face: str, _: Translate) -> Drawing:
    """Net by facility, one horizontal bar each."""
    bars = 14 * max(len(rows), 1)
    d = Drawing(WIDTH, bars + 40)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 60, 18, WIDTH - 80, bars
    values = [r.net for r in rows] or [0]
    names = list(reversed([r.key for r in rows])) or [""]
    return _bars(d, chart, list(reversed(values)), names, PALETTE[0], _("Net by facility"),
                 face, _)


def hour_chart(rows: tuple[Breakdown, ...], face: str, _: Translate) -> Drawing:
    """Net by local hour, one vertical bar each."""
    d = Drawing(WIDTH, 150)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 45, 20, WIDTH - 60, 105
    values = [r.net for r in rows] or [0]
    return _bars(d, chart, values, [r.key for r in rows] or [""], PALETTE[1], _("Net by hour"),
                 face, _)


def method_chart(rows: tuple[Breakdown, ...], face: str, _: Translate) -> Drawing:
    """Share of the net by payment method (methods with a positive net), with a legend."""
    d = Drawing(WIDTH, 130)
    shown = [r for r in rows if r.net > 0]
    whole = sum(r.net for r in shown)
    fills = [colors.HexColor(PALETTE[i % len(PALETTE)]) for i in range(len(shown))]
    if whole:
        pie = Pie()
        pie.x, pie.y, pie.width, pie.height = 20, 8, 100, 100
        pie.data = [r.net for r in shown]
        pie.labels = None
        pie.slices.strokeColor = colors.white
        for i, fill in enumerate(fills):
            pie.slices[i].fillColor = fill
        d.add(pie)
    legend = Legend()
    legend.x, legend.y, legend.alignment = 150, 95, "right"
    legend.fontName, legend.fontSize, legend.dxTextSpace = face, 8, 6
    legend.columnMaximum, legend.deltay = 8, 14
    # share of the whole, rounded half up, from the integers
    legend.colorNamePairs = [
        (fill, f"{r.label}: {money_text(r.net)} "
               f"({format_percent(Fraction(100 * r.net, whole), basis_points=False)})")
        for fill, r in zip(fills, shown, strict=False)] or [(colors.lightgrey, _("no sales"))]
    d.add(legend)
    _caption(d, _("Share of the net by payment method"), face)
    return d


# --- the document ------------------------------------------------------------------------------

class _Summary:
    def __init__(self, s: Sheet, data: SummaryData) -> None:
        self.s, self._, self.data = s, s._, data

    def grid(self, head, rows, widths, right, total=None) -> Table:
        return self.s.table(Grid(head, rows, widths, right=right, total=total), 0, len(rows),
                            last=True)

    def story(self) -> list[Flowable]:
        s, _, d = self.s, self._, self.data
        story = [*s.heading(d.booth_name, _("Sales summary")), self.info(),
                 s.p(_("Totals"), s.section), self.totals(), Spacer(1, 2 * MM),
                 self.figures(),
                 s.p(_("By facility"), s.section), self.breakdown(d.facilities, _("Facility")),
                 Spacer(1, 3 * MM), facility_chart(d.facilities, s.regular, _),
                 KeepTogether([s.p(_("By payment method"), s.section),
                               self.breakdown(d.methods, _("Payment method"), named=False),
                               Spacer(1, 3 * MM), method_chart(d.methods, s.regular, _)]),
                 KeepTogether([s.p(_("By hour"), s.section), hour_chart(d.hours, s.regular, _)]),
                 self.breakdown(d.hours, _("Hour"), named=False),
                 s.p(_("Top products"), s.section), self.top(),
                 s.p(_("Unverified QRIS and transfer payments"), s.section), *self.unverified(),
                 s.p(_("Settlement per facility"), s.section), *self.settlement(),
                 s.p(_("Journal"), s.section), self.heads()]
        return story

    def info(self) -> Table:
        s, _, d = self.s, self._, self.data
        if d.date_from is None and d.date_to is None:
            period = _("Whole event")
        elif d.date_from == d.date_to:
            period = s.day(d.date_from)
        else:
            period = f"{s.day(d.date_from) if d.date_from else '…'} {DASH} " \
                     f"{s.day(d.date_to) if d.date_to else '…'}"
        pairs = [(_("Event"), d.event_name or DASH), (_("Period"), period),
                 (_("Device"), d.device_code), (_("Made at"), s.when(d.made_at))]
        pairs += [(_(label), value) for label, value in d.filters]
        return s.info(pairs)

    def totals(self) -> Table:
        _, t, docs = self._, self.data.totals, self.data.documents
        pairs = [(_("Number of sales"), format_number(t["sales_count"])),
                 (_("Voids / refunds (documents)"),
                  f"{format_number(docs.get('void', 0))} / "
                  f"{format_number(docs.get('refund', 0))}"),
                 (_("Units sold (net)"), format_number(t["qty"]))]
        return self.s.info(pairs)

    def figures(self) -> Table:
        """The one set of figures (``domain.figures``), a label and an amount a line."""
        s, _ = self.s, self._
        shown = self.data.figures.shown()
        net_row = [key for key, _label, _amount in shown].index("net")
        table = Table([[s.p(_(label), s.label if key == "net" else s.body), money_text(amount)]
                       for key, label, amount in shown],
                      colWidths=[75 * MM, 35 * MM], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), s.regular, 8.5), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("FONT", (1, net_row), (1, net_row), s.bold, 8.5),
            ("LINEABOVE", (0, net_row), (-1, net_row), 0.6, "black")]))
        return table

    def breakdown(self, rows: tuple[Breakdown, ...], first: str, named: bool = True) -> Table:
        """Count, sales, refunds and net per row; ``named``: a name column after the key.
        The total's count is the number of sales (one sale may count in several rows)."""
        s, _ = self.s, self._
        figures = [[format_number(r.count), money_text(r.sales), money_text(-r.refunds),
                    money_text(r.net)] for r in rows]
        total = [format_number(self.data.totals["sales_count"]),
                 money_text(sum(r.sales for r in rows)),
                 money_text(-sum(r.refunds for r in rows)), money_text(sum(r.net for r in rows))]
        head = [_("Number of sales"), _("Sales"), _("Voids and refunds"),
                _("Net after voids and refunds")]
        widths = [16 * MM, 34 * MM, 30 * MM, 34 * MM]
        if named:
            body = [[s.p(r.key), s.p(r.label), *f] for r, f in zip(rows, figures, strict=True)]
            return self.grid([first, _("Name"), *head], body, [20 * MM, 46 * MM, *widths],
                             (2, 3, 4, 5), ["", s.p(_("Total"), s.head), *total])
        body = [[s.p(r.label), *f] for r, f in zip(rows, figures, strict=True)]
        return self.grid([first, *head], body, [66 * MM, *widths], (1, 2, 3, 4),
                         [s.p(_("Total"), s.head), *total])

    def top(self) -> Table:
        s, _ = self.s, self._
        body = [[str(i), s.p(sku), s.p(name), s.p(fac), format_number(qty), money_text(value)]
                for i, (sku, name, fac, qty, value) in enumerate(self.data.top, 1)]
        return self.grid([_("No."), _("SKU"), _("Product"), _("Facility"), _("Units"),
                          _("Net")], body,
                         [9 * MM, 24 * MM, 73 * MM, 20 * MM, 20 * MM, 34 * MM], (0, 4, 5))

    def unverified(self) -> list[Flowable]:
        s, _, d = self.s, self._, self.data
        body = [[s.p(number), s.p(self.moment(at)), s.p(_(METHOD_LABELS.get(method, method))),
                 s.p(ref or DASH), money_text(amount)]
                for number, at, method, ref, amount in d.unverified]
        total = [s.p(_("Total"), s.head), s.p(format_number(d.unverified_count)), "", "",
                 money_text(d.unverified_amount)]
        out: list[Flowable] = [self.grid(
            [_("Number"), _("Time"), _("Method"), _("Reference"), _("Amount")], body,
            [32 * MM, 36 * MM, 34 * MM, 46 * MM, 32 * MM], (4,), total)]
        if d.unverified_count > len(d.unverified):
            out.append(s.p(_("… and {count} more (all of them are in the payments table)")
                           .format(count=format_number(d.unverified_count - len(d.unverified))),
                           s.note))
        return out

    def moment(self, at: datetime) -> str:
        """``23 Nov 2026 19:30``: short, for a table cell."""
        return format_datetime(at, "d MMM y HH:mm", locale=self.s.language)

    def settlement(self) -> list[Flowable]:
        """Per facility: the DPP and its four parts with their percentages, and the PPN to
        remit beside them, not split (the names are in the table by facility)."""
        s, _, d = self.s, self._, self.data
        right = ParagraphStyle("right", s.cell, alignment=2)
        body = []
        for line in d.settlement:
            parts = [DASH] * len(PARTS) if line.split is None else [
                Paragraph(f"{escape(money_text(line.split[p]))}<br/><font size=\"7\" "
                          f"color=\"#555555\">{escape(format_percent(line.shares[p]))}</font>",
                          right) for p in PARTS]
            body.append([s.p(line.code), money_text(line.dpp), *parts, money_text(line.tax)])
        sums = {p: sum(x.split[p] for x in d.settlement if x.split) for p in PARTS}
        total = [s.p(_("Total"), s.head), money_text(sum(x.dpp for x in d.settlement)),
                 *(money_text(sums[p]) for p in PARTS),
                 money_text(sum(x.tax for x in d.settlement))]
        table = self.grid([_("Facility"), _("DPP"), *(_(PART_LABELS[p]) for p in PARTS),
                           _("PPN to remit")],
                          body, [18 * MM] + [27 * MM] * 6,
                          (1, 2, 3, 4, 5, 6), total)
        unset = [x.code for x in d.settlement if x.split is None]
        notes = [s.p(_("Remainder rule: {rule}").format(rule=_(d.rule)), s.note)]
        if unset:
            notes.insert(0, s.p(_("Percentages not set yet (not split): {codes}").format(
                codes=", ".join(unset)), s.note))
        return [table, Spacer(1, 2 * MM), *notes]

    def heads(self) -> Table:
        s, _ = self.s, self._
        body = [[s.p(device), format_number(index), s.p(digest)]
                for device, index, digest in self.data.heads]
        return self.grid([_("Device"), _("Events"), _("Hash of the last event")], body,
                         [25 * MM, 20 * MM, 135 * MM], (1,))


def render_summary_pdf(data: SummaryData, out: Path, translate: Translate = lambda s: s,
                       language: str = "id") -> Path:
    s = Sheet(translate, language)
    title = translate("Sales summary")
    footer = f"{data.booth_name} {DASH} {title}"
    return s.build(Path(out), _Summary(s, data).story(), title, footer)
