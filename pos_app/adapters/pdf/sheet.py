"""The A4 sheet every printed document is laid out on: styles in one language, lined tables
that keep their tail with the totals, headings, signature blocks and "Page n of N" footers.

Imported only when a document is printed (it loads reportlab).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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

from pos_app.adapters.pdf.fonts import canvas_options, register_fonts
from pos_app.domain.money import format_number, format_rupiah
from pos_app.domain.stock import DocHeader

__all__ = ["DASH", "MM", "WIDTH", "Grid", "KeepTail", "Sheet", "Translate", "money_text",
           "qty_text"]

MM = 72 / 25.4
MARGIN = 15 * MM
WIDTH = A4[0] - 2 * MARGIN  # 180 mm
DASH = "\u2014"
BLANK_NAME = "." * 40
KEEP_ROWS = 3  # rows that go with the totals and signatures when a table breaks

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

    def __init__(self, sheet: Sheet, grid: Grid, trailer: Sequence[Flowable],
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
        heights = self.table._rowHeights  # reportlab keeps the laid-out heights only here
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

class Sheet:
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
        doc = BaseDocTemplate(str(out), pagesize=A4, title=title, author="Lapak POS",
                              **canvas_options())
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
