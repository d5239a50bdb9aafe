"""The printed stock documents on A4: tanda terima (goods received from a facility), surat retur
(unsold goods sent back, with the close-out), adjustment slip, blind count sheet, variance
report and the per-facility close-out. Each has the booth, number, facility, local date and
time, who recorded it, page numbers, exact rupiah totals and signature blocks.

This module is imported only when a document is printed (it loads reportlab).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from babel.dates import format_date, format_datetime
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
from reportlab.platypus.flowables import Flowable, Spacer
from reportlab.platypus.frames import Frame
from reportlab.platypus.paragraph import Paragraph
from reportlab.platypus.tables import Table, TableStyle

from pos_app.adapters.pdf.fonts import register_fonts
from pos_app.domain.errors import N_
from pos_app.domain.money import format_number, format_rupiah
from pos_app.domain.stock import CloseOut, DocHeader, StockDoc, VarianceReport

MM = 72 / 25.4
MARGIN = 15 * MM
WIDTH = A4[0] - 2 * MARGIN  # 180 mm
DASH = "\u2014"
BLANK_NAME = "." * 40
KEEP_ROWS = 3  # rows that go with the totals and signatures when a table breaks

REASONS = {"damaged": N_("Damaged"), "sample": N_("Sample"), "lost": N_("Lost"),
           "found": N_("Found"), "miscounted": N_("Miscounted")}
STATUSES = {"open": N_("Open"), "approved": N_("Approved"), "cancelled": N_("Cancelled")}

Translate = Callable[[str], str]


# --- figures -----------------------------------------------------------------------------------

def qty_text(n: int, plus: bool = False) -> str:
    """``1.250``, ``-3`` (an ASCII minus, whatever the locale data), ``+2`` when asked."""
    if n < 0:
        return "-" + format_number(-n)
    return ("+" if plus and n > 0 else "") + format_number(n)


def money_text(amount: int, plus: bool = False) -> str:
    """``Rp45.000``, ``-Rp45.000``, ``+Rp45.000`` when asked."""
    if amount < 0:
        return "-" + format_rupiah(-amount)
    return ("+" if plus and amount > 0 else "") + format_rupiah(amount)


def reason_text(reason: str | None, _: Translate) -> str:
    return _(REASONS[reason]) if reason in REASONS else (reason or "")


# --- tables that keep their tail with the totals -------------------------------------------------

@dataclass(frozen=True)
class Grid:
    """A lined table: ``right`` columns hold figures, ``boxes`` columns are empty boxes to
    write in, ``gap`` columns get extra room on their left."""

    head: Sequence
    rows: Sequence[Sequence]
    widths: Sequence[float]
    right: Sequence[int] = ()
    total: Sequence | None = None
    tall: bool = False
    boxes: Sequence[int] = ()
    gap: Sequence[int] = ()


class KeepTail(Flowable):
    """A table followed by its totals and signatures. When the page runs out, the table
    breaks (its header repeats) but the last rows always go with what follows, so a
    signature block never stands alone on a page."""

    def __init__(self, sheet: _Sheet, grid: Grid, trailer: Sequence[Flowable],
                 start: int = 0) -> None:
        super().__init__()
        self.sheet, self.grid, self.trailer, self.start = sheet, grid, list(trailer), start
        self.table = sheet.table(grid, start, len(grid.rows), last=True)

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self.width = avail_w
        self.height = sum(f.getSpaceBefore() + f.wrap(avail_w, avail_h)[1] + f.getSpaceAfter()
                          for f in [self.table, *self.trailer])
        return avail_w, self.height

    def draw(self) -> None:
        y = self.height
        for f in [self.table, *self.trailer]:
            y -= f.getSpaceBefore()
            w, h = f.wrap(self.width, self.height)
            y -= h
            f.drawOn(self.canv, self.width - w if getattr(f, "hAlign", "") == "RIGHT" else 0, y)
            y -= f.getSpaceAfter()

    def split(self, avail_w: float, avail_h: float) -> list[Flowable]:
        self.table.wrap(avail_w, avail_h)
        heights = self.table._rowHeights
        room, fit = avail_h - heights[0], 0
        for h in heights[1:1 + len(self.grid.rows) - self.start]:
            if h > room:
                break
            room -= h
            fit += 1
        fit = min(fit, len(self.grid.rows) - self.start - KEEP_ROWS)
        if fit <= 0:
            return []
        stop = self.start + fit
        return [self.sheet.table(self.grid, self.start, stop, last=False),
                KeepTail(self.sheet, self.grid, self.trailer, stop)]


# --- building blocks ---------------------------------------------------------------------------

class _Sheet:
    """Styles and flowables shared by every document, in one language."""

    def __init__(self, translate: Translate, language: str) -> None:
        self._ = translate
        self.language = language
        self.regular, self.bold = register_fonts()
        base = ParagraphStyle("base", fontName=self.regular, fontSize=8.5, leading=10.5)
        self.body = base
        self.label = ParagraphStyle("label", base, fontName=self.bold)
        self.cell = ParagraphStyle("cell", base, fontSize=8, leading=9.6)
        self.head = ParagraphStyle("head", base, fontName=self.bold, fontSize=7, leading=8.5)
        self.head_r = ParagraphStyle("head_r", self.head, alignment=2)
        self.title = ParagraphStyle("title", base, fontName=self.bold, fontSize=15, leading=19,
                                    alignment=1)
        self.sub = ParagraphStyle("sub", base, fontSize=9.5, leading=12, alignment=1)
        self.booth = ParagraphStyle("booth", base, fontName=self.bold, fontSize=10, leading=13)
        self.section = ParagraphStyle("section", base, fontName=self.bold, fontSize=10.5,
                                      leading=13, spaceBefore=5 * MM, spaceAfter=2 * MM)
        self.note = ParagraphStyle("note", base, fontSize=8, leading=10, textColor="#444444")
        self.sign = ParagraphStyle("sign", base, alignment=1)
        self.sign_caption = ParagraphStyle("sign_caption", self.sign, fontName=self.bold)
        self.sign_role = ParagraphStyle("sign_role", self.note, alignment=1)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(text), style or self.cell)

    def code_cell(self, sku: str, barcode: str | None) -> Paragraph:
        """The SKU with the barcode under it, smaller."""
        under = f'<br/><font size="7" color="#555555">{escape(barcode)}</font>' if barcode else ""
        return Paragraph(escape(sku) + under, self.cell)

    def when(self, moment: datetime) -> str:
        zone = moment.tzname() or ""
        return f"{format_datetime(moment, 'd MMMM y, HH:mm', locale=self.language)} {zone}".strip()

    def day(self, moment) -> str:
        return format_date(moment, format="long", locale=self.language)

    def heading(self, booth_name: str, title: str, number: str = "") -> list[Flowable]:
        out = [self.p(booth_name, self.booth), Spacer(1, 3 * MM), self.p(title.upper(),
                                                                          self.title)]
        if number:
            out += [Spacer(1, 1 * MM), self.p(f"{self._('No.')} {number}", self.sub)]
        return [*out, Spacer(1, 5 * MM)]

    def info(self, pairs: Sequence[tuple[str, str]]) -> Table:
        """Label and value pairs in two columns of a borderless table."""
        cells = [[self.p(label, self.label), self.p(value, self.body)] for label, value in pairs]
        half = (len(cells) + 1) // 2
        left, right = cells[:half], cells[half:] + [["", ""]] * (half - len(cells[half:]))
        table = Table([a + b for a, b in zip(left, right, strict=True)],
                      colWidths=[33 * MM, 57 * MM, 33 * MM, 57 * MM], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        return table

    def header_info(self, h: DocHeader, reference_label: str | None,
                    extra: Sequence[tuple[str, str]] = ()) -> Table:
        _ = self._
        pairs = [(_("Number"), h.number),
                 (_("Facility"), f"{h.facility_code} {DASH} {h.facility_name} ({h.facility_kind})"),
                 (_("Date"), self.day(h.doc_date)),
                 (_("Recorded at"), self.when(h.created_at)),
                 (_("Recorded by"), h.actor), (_("Booth"), f"{h.booth_name} ({h.device_code})")]
        if reference_label is not None:
            pairs.append((reference_label, h.reference or DASH))
        pairs.extend(extra)
        if h.note:
            pairs.append((_("Note"), h.note))
        return self.info(pairs)

    def table(self, grid: Grid, start: int, stop: int, last: bool) -> Table:
        """Rows ``start:stop`` of ``grid`` under its header, with the total row when last."""
        header = [self.p(text, self.head_r if i in grid.right else self.head)
                  if isinstance(text, str) else text for i, text in enumerate(grid.head)]
        body = [list(row) for row in grid.rows[start:stop]]
        total = list(grid.total) if last and grid.total is not None else None
        data = [header, *body] + ([total] if total else [])
        style = [
            ("FONT", (0, 0), (-1, -1), self.regular, 8),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), "#E4E4E4"),
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, "#000000"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, "#000000"),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, "#999999"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        style += [("ALIGN", (col, 1), (col, -1), "RIGHT") for col in grid.right]
        style += [("LEFTPADDING", (col, 0), (col, -1), 9) for col in grid.gap]
        style += [("BACKGROUND", (0, row), (-1, row), "#F4F4F4")
                  for row in range(1, len(body) + 1) if (start + row) % 2 == 0]
        for col in grid.boxes:
            style += [("GRID", (col, 1), (col, len(body)), 0.6, "#000000"),
                      ("BACKGROUND", (col, 1), (col, len(body)), "#FFFFFF")]
        if total:
            style += [("FONT", (0, -1), (-1, -1), self.bold, 8),
                      ("LINEABOVE", (0, -1), (-1, -1), 0.8, "#000000"),
                      ("LINEBELOW", (0, -1), (-1, -1), 0.8, "#000000"),
                      ("BACKGROUND", (0, -1), (-1, -1), "#FFFFFF")]
        heights = [None] + [9 * MM if grid.tall else None] * len(body) + ([None] if total else [])
        table = Table(data, colWidths=list(grid.widths), rowHeights=heights, repeatRows=1,
                      hAlign="LEFT")
        table.setStyle(TableStyle(style))
        return table

    def summary(self, pairs: Sequence[tuple[str, str]]) -> Table:
        """Totals, right-aligned under a table."""
        table = Table([[self.p(label, self.body), value] for label, value in pairs],
                      colWidths=[60 * MM, 40 * MM], hAlign="RIGHT")
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.bold, 9), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("RIGHTPADDING", (1, 0), (1, -1), 3), ("LINEBELOW", (0, -1), (-1, -1), 0.8, "black")]))
        return table

    def signatures(self, blocks: Sequence[tuple[str, str, str]], place: str,
                   day) -> list[Flowable]:
        """Place and date, then (caption, role, name) side by side with room to sign."""
        when = f"{place}, {self.day(day)}" if place else self.day(day)
        width = WIDTH / len(blocks)
        rows = [[self.p(caption, self.sign_caption) for caption, _, _ in blocks],
                [self.p(role, self.sign_role) for _, role, _ in blocks],
                ["" for _ in blocks],
                [self.p(f"( {name or BLANK_NAME} )", self.sign) for _, _, name in blocks]]
        table = Table(rows, colWidths=[width] * len(blocks),
                      rowHeights=[None, None, 18 * MM, None])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        date_style = ParagraphStyle("date", self.body, alignment=2)
        return [Spacer(1, 8 * MM), self.p(when, date_style), Spacer(1, 3 * MM), table]

    def build(self, out: Path, story: list, title: str, footer: str) -> Path:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        doc = BaseDocTemplate(str(out), pagesize=A4, title=title, author="Lapak POS")
        frame = Frame(MARGIN, MARGIN + 6 * MM, WIDTH, A4[1] - 2 * MARGIN - 6 * MM,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        doc.build(story, canvasmaker=_numbered(footer, self._("Page {page} of {pages}"),
                                                self.regular))
        return out


def _numbered(footer: str, page_of: str, face: str) -> type[Canvas]:
    """A canvas that writes "Page n of N" once the whole document is laid out."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self.setFont(face, 7.5)
                self.setFillGray(0.3)
                self.setStrokeGray(0.6)
                self.setLineWidth(0.4)
                self.line(MARGIN, 14 * MM, A4[0] - MARGIN, 14 * MM)
                self.drawString(MARGIN, 10 * MM, footer)
                self.drawRightString(A4[0] - MARGIN, 10 * MM,
                                     page_of.format(page=number, pages=total))
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


# --- the documents -----------------------------------------------------------------------------

def _footer(h: DocHeader) -> str:
    return f"{h.booth_name} {DASH} {h.number}"


def _goods(s: _Sheet, doc: StockDoc, trailer: Sequence[Flowable]) -> KeepTail:
    """Lines of a receipt or return: SKU and barcode, name, quantity, price and value."""
    _ = s._
    rows = [[str(i), s.code_cell(line.sku, line.barcode), s.p(line.name), qty_text(line.qty),
             money_text(line.unit_price), money_text(line.value)]
            for i, line in enumerate(doc.lines, 1)]
    total = ["", s.p(_("Total"), s.head), "", qty_text(doc.units), "", money_text(doc.value)]
    head = [_("No."), Paragraph(f"{escape(_('SKU'))}<br/>{escape(_('Barcode'))}", s.head),
            _("Product"), _("Qty"), _("Unit price"), _("Value")]
    grid = Grid(head, rows, [8 * MM, 28 * MM, 76 * MM, 15 * MM, 24 * MM, 29 * MM],
                right=(0, 3, 4, 5), total=total)
    summary = s.summary([(_("Products"), format_number(len(doc.lines))),
                         (_("Total units"), qty_text(doc.units)),
                         (_("Total value"), money_text(doc.value))])
    return KeepTail(s, grid, [summary, *trailer])


def render_receipt_note_pdf(doc: StockDoc, out: Path, translate: Translate = lambda s: s,
                            language: str = "id", place: str = "") -> Path:
    """Tanda terima barang: the goods a facility handed to the booth."""
    s, _, h = _Sheet(translate, language), translate, doc.header
    title = _("Goods received note")
    signatures = s.signatures([(_("Handed over by"), _("Facility officer"), ""),
                               (_("Received by"), _("Booth officer"), h.actor)], place,
                              h.doc_date)
    story = [*s.heading(h.booth_name, title, h.number),
             s.header_info(h, _("Delivery note no.")),
             s.p(_("Goods received from the facility:"), s.section),
             _goods(s, doc, signatures)]
    return s.build(out, story, f"{title} {h.number}", _footer(h))


def _close_out_table(s: _Sheet, close_out: CloseOut, trailer: Sequence[Flowable]) -> KeepTail:
    _ = s._
    names = ("received", "sold", "refunded", "adjusted", "returned", "remaining")
    rows = []
    for i, line in enumerate(close_out.lines, 1):
        t = line.totals
        rows.append([str(i), s.p(line.sku), s.p(line.name), qty_text(t.received),
                     qty_text(t.sold), qty_text(t.refunded), qty_text(t.adjusted, plus=True),
                     qty_text(t.returned), qty_text(line.remaining)])
    total = ["", s.p(_("Total"), s.head), ""] + [
        qty_text(close_out.total(name), plus=name == "adjusted") for name in names]
    grid = Grid([_("No."), _("SKU"), _("Product"), _("Received"), _("Sold"), _("Refunded"),
                 _("Adjusted"), _("Returned"), _("Remaining")], rows,
                [8 * MM, 21 * MM, 49 * MM] + [17 * MM] * 6, right=(0, 3, 4, 5, 6, 7, 8),
                total=total)
    after: list[Flowable] = [s.summary([(_("Remaining value"),
                                         money_text(close_out.remaining_value))])]
    if close_out.negatives:
        after.append(s.p(_("Below zero, count these first: {skus}").format(
            skus=", ".join(close_out.negatives)), s.section))
    return KeepTail(s, grid, [*after, *trailer])


def render_return_note_pdf(doc: StockDoc, close_out: CloseOut, out: Path,
                           translate: Translate = lambda s: s, language: str = "id",
                           place: str = "") -> Path:
    """Surat retur barang: unsold goods going back to the facility, with its close-out."""
    s, _, h = _Sheet(translate, language), translate, doc.header
    title = _("Goods return note")
    signatures = s.signatures([(_("Handed over by"), _("Booth officer"), h.actor),
                               (_("Received by"), _("Facility officer"), "")], place,
                              h.doc_date)
    story = [*s.heading(h.booth_name, title, h.number),
             s.header_info(h, _("Reference")),
             s.p(_("Goods returned to the facility:"), s.section),
             _goods(s, doc, []),
             s.p(_("Close-out of the facility's goods at this booth:"), s.section),
             _close_out_table(s, close_out, signatures)]
    return s.build(out, story, f"{title} {h.number}", _footer(h))


def render_adjustment_pdf(doc: StockDoc, out: Path, translate: Translate = lambda s: s,
                          language: str = "id", place: str = "") -> Path:
    """A stock adjustment slip: signed quantities, their value and the reason."""
    s, _, h = _Sheet(translate, language), translate, doc.header
    title = _("Stock adjustment slip")
    rows = [[str(i), s.p(line.sku), s.p(line.name), qty_text(line.qty, plus=True),
             money_text(line.unit_price), money_text(line.value, plus=True),
             s.p(reason_text(line.reason, _))] for i, line in enumerate(doc.lines, 1)]
    total = ["", s.p(_("Total"), s.head), "", qty_text(doc.units, plus=True), "",
             money_text(doc.value, plus=True), ""]
    grid = Grid([_("No."), _("SKU"), _("Product"), _("Qty"), _("Unit price"), _("Value"),
                 _("Reason")], rows, [8 * MM, 21 * MM, 58 * MM, 15 * MM, 24 * MM, 30 * MM,
                                      24 * MM], right=(0, 3, 4, 5), total=total, gap=(6,))
    trailer = [s.summary([(_("Net units"), qty_text(doc.units, plus=True)),
                          (_("Net value"), money_text(doc.value, plus=True))]),
               *s.signatures([(_("Recorded by"), _("Booth officer"), h.actor),
                              (_("Acknowledged by"), _("Facility officer"), "")], place,
                             h.doc_date)]
    story = [*s.heading(h.booth_name, title, h.number), s.header_info(h, None),
             s.p(_("Stock corrected:"), s.section), KeepTail(s, grid, trailer)]
    return s.build(out, story, f"{title} {h.number}", _footer(h))


def _closer(report: VarianceReport, _: Translate) -> str:
    return _("Cancelled by") if report.status == "cancelled" else _("Approved by")


def _count_info(s: _Sheet, report: VarianceReport) -> Table:
    _ = s._
    extra = [(_("Status"), _(STATUSES.get(report.status, report.status)))]
    if report.closed_by:
        extra.append((_closer(report, _), report.closed_by))
    return s.header_info(report.header, None, extra)


def render_count_sheet_pdf(report: VarianceReport, out: Path, translate: Translate = lambda s: s,
                           language: str = "id", place: str = "",
                           barcodes: Mapping[str, str | None] | None = None) -> Path:
    """A blind count sheet to count by hand: products (``barcodes``: SKU -> barcode) and
    empty boxes. It never shows the expected quantities."""
    s, _, h = _Sheet(translate, language), translate, report.header
    title = _("Stock count sheet")
    codes = barcodes or {}
    rows = [[str(i), s.p(line.sku), s.p(codes.get(line.sku) or DASH), s.p(line.name), "", ""]
            for i, line in enumerate(report.lines, 1)]
    grid = Grid([_("No."), _("SKU"), _("Barcode"), _("Product"), _("Counted"), _("Remarks")],
                rows, [8 * MM, 21 * MM, 26 * MM, 65 * MM, 22 * MM, 38 * MM], right=(0,),
                tall=True, boxes=(4,))
    trailer = s.signatures([(_("Counted by"), _("Booth officer"), ""),
                            (_("Checked by"), _("Coordinator"), "")], place, h.doc_date)
    story = [*s.heading(h.booth_name, title, h.number), _count_info(s, report),
             Spacer(1, 4 * MM),
             s.p(_("Count every piece on the shelf and in the boxes and write the number "
                   "counted. Write 0 for a product that is not there."), s.body),
             Spacer(1, 3 * MM), KeepTail(s, grid, trailer)]
    return s.build(out, story, f"{title} {h.number}", _footer(h))


def render_variance_pdf(report: VarianceReport, out: Path, translate: Translate = lambda s: s,
                        language: str = "id", place: str = "") -> Path:
    """Expected against counted per product, the value of each difference and the totals."""
    s, _, h = _Sheet(translate, language), translate, report.header
    title = _("Stock count variance report")
    rows = []
    for i, line in enumerate(report.lines, 1):
        counted = line.counted is not None
        rows.append([str(i), s.p(line.sku), s.p(line.name), qty_text(line.expected),
                     qty_text(line.counted) if counted else DASH,
                     qty_text(line.difference, plus=True) if counted else DASH,
                     money_text(line.value, plus=True) if counted else DASH,
                     s.p(reason_text(line.reason, _))])
    total = ["", s.p(_("Total"), s.head), "", "", "",
             qty_text(report.difference_units, plus=True),
             money_text(report.net_value, plus=True), ""]
    grid = Grid([_("No."), _("SKU"), _("Product"), _("Expected"), _("Counted"),
                 _("Difference"), _("Value"), _("Reason")], rows,
                [8 * MM, 21 * MM, 50 * MM, 16 * MM, 16 * MM, 17 * MM, 30 * MM, 22 * MM],
                right=(0, 3, 4, 5, 6), total=total, gap=(7,))
    trailer = [s.summary([(_("Shortage value"), money_text(report.shortage_value)),
                          (_("Surplus value"), money_text(report.surplus_value, plus=True)),
                          (_("Net value"), money_text(report.net_value, plus=True))]),
               *s.signatures([(_("Counted by"), _("Booth officer"), h.actor),
                              (_closer(report, _), _("Coordinator"), report.closed_by or "")],
                             place, h.doc_date)]
    story = [*s.heading(h.booth_name, title, h.number), _count_info(s, report),
             s.p(_("Counted {counted} of {total} products").format(
                 counted=len(report.counted_lines), total=len(report.lines)), s.section),
             KeepTail(s, grid, trailer)]
    return s.build(out, story, f"{title} {h.number}", _footer(h))


def render_close_out_pdf(close_out: CloseOut, out: Path, translate: Translate = lambda s: s,
                         language: str = "id", place: str = "") -> Path:
    """A facility's stock at this booth, product by product, at one moment."""
    s, _ = _Sheet(translate, language), translate
    title = _("Stock close-out")
    as_of = close_out.as_of or datetime.now().astimezone()
    pairs = [(_("Facility"), f"{close_out.facility_code} {DASH} {close_out.facility_name}"),
             (_("As of"), s.when(as_of)), (_("Booth"), close_out.booth_name),
             (_("Products"), format_number(len(close_out.lines)))]
    signatures = s.signatures([(_("Prepared by"), _("Booth officer"), ""),
                               (_("Acknowledged by"), _("Facility officer"), "")], place,
                              as_of.date())
    story = [*s.heading(close_out.booth_name, title), s.info(pairs),
             s.p(_("Goods of the facility at this booth:"), s.section),
             _close_out_table(s, close_out, signatures)]
    footer = f"{close_out.booth_name} {DASH} {title} {close_out.facility_code}"
    return s.build(out, story, f"{title} {close_out.facility_code}", footer)
