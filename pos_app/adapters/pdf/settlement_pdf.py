"""The settlement statement on A4 (laporan hasil penjualan, signed as a berita acara): per
facility, what its goods brought in by payment method, the totals from list prices to the
net, and the net split into PNBP, premi, modal and program with the remainder rule, for the
booth officer and the facility's coordinator to sign. One facility per page.

This module is imported only when a statement is printed (it loads reportlab).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.flowables import Flowable, PageBreak, Spacer
from reportlab.platypus.tables import Table, TableStyle

from pos_app.adapters.pdf.sheet import DASH, MM, WIDTH, Grid, Sheet, Translate, money_text
from pos_app.domain.errors import N_
from pos_app.domain.money import format_number, format_percent
from pos_app.domain.receipt import METHOD_LABELS
from pos_app.domain.settlement import PARTS, WHOLE

# The remainder rule exactly as ``domain.settlement.REMAINDER_RULE`` words it, marked here so
# that it is extracted for translation (a test keeps the two the same).
RULE = N_("whole rupiah below each exact share first; the rupiah left over go one each to "
          "the largest fractions, ties in the order PNBP, premi, modal, program")
PART_LABELS = {"pnbp": N_("PNBP (state revenue)"), "premi": N_("Premi (makers' wages)"),
               "modal": N_("Modal (production cost)"), "program": N_("Program")}


# --- figures -----------------------------------------------------------------------------------

def percent_text(bp: int) -> str:
    """Basis points as a percentage, ``37,5 %``: the one formatter (``money.format_percent``)."""
    return format_percent(bp)


def exact_share(net: int, bp: int) -> Decimal:
    """The share before rounding: at most four decimals, exact (no float)."""
    return Decimal(net * bp) / WHOLE


def exact_text(value: Decimal) -> str:
    """``Rp400.400,35``: the exact share with its decimals, Indonesian grouping."""
    figure = format_number(abs(value), decimals=4)
    return f"{'-' if value < 0 else ''}Rp{figure}"


def remainders(net: int, bp: dict[str, int], parts: dict[str, int]) -> dict[str, int]:
    """The rupiah each part got on top of the whole rupiah below its exact share."""
    sign = -1 if net < 0 else 1
    return {p: parts[p] - sign * (abs(net) * bp[p] // WHOLE) for p in PARTS}


def period_text(date_from: date | None, date_to: date | None, day, _: Translate) -> str:
    if date_from is None and date_to is None:
        return _("Whole event")
    if date_from == date_to:
        return day(date_from)
    if date_to is None:
        return _("From {start}").format(start=day(date_from))
    if date_from is None:
        return _("Until {end}").format(end=day(date_to))
    return f"{day(date_from)} {DASH} {day(date_to)}"


# --- the page of one facility ------------------------------------------------------------------

class _Statement:
    def __init__(self, s: Sheet, stmt, place: str) -> None:
        self.s, self._, self.stmt, self.place = s, s._, stmt, place

    def story(self) -> list[Flowable]:
        s, _, st = self.s, self._, self.stmt
        story = [s.p(st.booth_name, s.booth), Spacer(1, 3 * MM),
                 s.p(_("Sales proceeds statement").upper(), s.title), Spacer(1, 1 * MM),
                 s.p(f"{st.facility_code} {DASH} {st.facility_name}", s.sub),
                 Spacer(1, 5 * MM), self.info(),
                 s.p(_("Proceeds by payment method"), s.section), self.methods(),
                 s.p(_("Totals"), s.section), self.totals(),
                 s.p(_("Split of the DPP (net less PPN)"), s.section), *self.split()]
        return [*story, *s.signatures(
            [(_("Prepared by"), _("Booth officer"), ""),
             (_("Acknowledged by"), _("Facility coordinator"), "")], self.place,
            st.made_at.date())]

    def info(self) -> Table:
        s, _, st = self.s, self._, self.stmt
        return s.info([
            (_("Facility"), f"{st.facility_code} {DASH} {st.facility_name} "
                            f"({st.facility_kind})"),
            (_("Event"), st.event_name), (_("Booth"), st.booth_name),
            (_("Period"), period_text(st.date_from, st.date_to, s.day, _)),
            (_("Made at"), s.when(st.made_at)), (_("Number of sales"), format_number(st.count))])

    def methods(self) -> Table:
        s, _, st = self.s, self._, self.stmt
        rows = [[s.p(_(METHOD_LABELS[m.method])), money_text(m.gross),
                 money_text(-m.refunds), money_text(m.net)] for m in st.methods]
        total = [s.p(_("Total"), s.head), money_text(sum(m.gross for m in st.methods)),
                 money_text(-sum(m.refunds for m in st.methods)),
                 money_text(sum(m.net for m in st.methods))]
        grid = Grid([_("Payment method"), _("Sales"), _("Voids and refunds"), _("Net")], rows,
                    [75 * MM, 35 * MM, 35 * MM, 35 * MM], right=(1, 2, 3), total=total)
        return s.table(grid, 0, len(rows), last=True)

    def totals(self) -> Table:
        """The one set of figures (``domain.figures``), then the PPN to remit apart."""
        s, _, st = self.s, self._, self.stmt
        shown = st.figures.shown()
        pairs = [(_(label), money_text(amount)) for _key, label, amount in shown]
        pairs.append((_("PPN collected: tax to remit, not split"), money_text(st.figures.tax)))
        net_row = [key for key, _label, _amount in shown].index("net")
        table = Table([[s.p(label, s.label if i == net_row else s.body), value]
                       for i, (label, value) in enumerate(pairs)],
                      colWidths=[75 * MM, 35 * MM], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), s.regular, 8.5), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("FONT", (0, net_row), (-1, net_row), s.bold, 9),
            ("LINEABOVE", (0, net_row), (-1, net_row), 0.8, "black"),
            ("LINEBELOW", (0, net_row), (-1, net_row), 0.8, "black")]))
        return table

    def split(self) -> list[Flowable]:
        s, _, st = self.s, self._, self.stmt
        if st.split is None:
            return [self.boxed(_("The settlement percentages of {facility} are not set, so "
                                 "the DPP is not split. Set them with "
                                 "\u201cpos-app facility shares\u201d or in the facilities "
                                 "file, then print this statement again.").format(
                facility=st.facility_code))]
        bp, dpp = st.shares.as_dict(), st.figures.dpp
        extra = remainders(dpp, bp, st.split)
        rows = [[s.p(_(PART_LABELS[p])), percent_text(bp[p]),
                 exact_text(exact_share(dpp, bp[p])),
                 money_text(extra[p], plus=True) if extra[p] else DASH,
                 money_text(st.split[p])] for p in PARTS]
        left_over = sum(extra.values())
        total = [s.p(_("Total"), s.head), percent_text(WHOLE),
                 exact_text(Decimal(dpp)), money_text(left_over, plus=True) if left_over
                 else DASH, money_text(sum(st.split.values()))]
        grid = Grid([_("Part"), _("Percentage"), _("Exact share"), _("Remainder"),
                     _("Amount")], rows, [62 * MM, 24 * MM, 36 * MM, 24 * MM, 34 * MM],
                    right=(1, 2, 3, 4), total=total)
        note = ParagraphStyle("rule", s.note, spaceBefore=2 * MM)
        return [s.table(grid, 0, len(rows), last=True),
                s.p(_("Remainder rule: {rule}.").format(rule=_(st.rule)), note),
                s.p(_("The PPN collected ({tax}) is tax to remit: it is not split.").format(
                    tax=money_text(st.figures.tax)), note)]

    def boxed(self, text: str) -> Table:
        s = self.s
        table = Table([[s.p(text, s.body)]], colWidths=[WIDTH], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("BOX", (0, 0), (-1, -1), 0.8, "black"), ("BACKGROUND", (0, 0), (-1, -1), "#F4F4F4"),
            ("TOPPADDING", (0, 0), (-1, -1), 3 * MM), ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * MM),
            ("LEFTPADDING", (0, 0), (-1, -1), 3 * MM),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3 * MM)]))
        return table


def render_settlement_pdf(statements: Sequence, out: Path,
                          translate: Translate = lambda s: s, language: str = "id",
                          place: str = "") -> Path:
    """The statements (``services.settlement.Statement``: adapters do not import services)
    of one or more facilities, each on a page of its own."""
    if not statements:
        raise ValueError("no statements to print")
    s, _ = Sheet(translate, language), translate
    title = _("Sales proceeds statement")
    story: list[Flowable] = []
    for i, stmt in enumerate(statements):
        if i:
            story.append(PageBreak())
        story.extend(_Statement(s, stmt, place).story())
    first = statements[0]
    subject = first.facility_code if len(statements) == 1 else _("all facilities")
    return s.build(out, story, f"{title} {subject}", f"{first.booth_name} {DASH} {title}")
