"""The printed stock documents on A4: tanda terima (goods received from a facility), surat retur
(unsold goods sent back, with the close-out), adjustment slip, blind count sheet, variance
report and the per-facility close-out. Each has the booth, number, facility, local date and
time, who recorded it, page numbers, exact rupiah totals and signature blocks.

This module is imported only when a document is printed (it loads reportlab).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.platypus.flowables import Flowable, Spacer
from reportlab.platypus.paragraph import Paragraph
from reportlab.platypus.tables import Table

from pos_app.adapters.pdf.sheet import (
    DASH,
    MM,
    Grid,
    KeepTail,
    Sheet,
    Translate,
    money_text,
    qty_text,
)
from pos_app.domain.errors import N_
from pos_app.domain.money import format_number
from pos_app.domain.stock import CloseOut, DocHeader, StockDoc, VarianceReport

REASONS = {"damaged": N_("Damaged"), "sample": N_("Sample"), "lost": N_("Lost"),
           "found": N_("Found"), "miscounted": N_("Miscounted")}
STATUSES = {"open": N_("Open"), "approved": N_("Approved"), "cancelled": N_("Cancelled")}


# --- figures -----------------------------------------------------------------------------------

def reason_text(reason: str | None, _: Translate) -> str:
    return _(REASONS[reason]) if reason in REASONS else (reason or "")


# --- the documents -----------------------------------------------------------------------------

def _footer(h: DocHeader) -> str:
    return f"{h.booth_name} {DASH} {h.number}"


def _goods(s: Sheet, doc: StockDoc, trailer: Sequence[Flowable]) -> KeepTail:
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
    s, _, h = Sheet(translate, language), translate, doc.header
    title = _("Goods received note")
    signatures = s.signatures([(_("Handed over by"), _("Facility officer"), ""),
                               (_("Received by"), _("Booth officer"), h.actor)], place,
                              h.doc_date)
    story = [*s.heading(h.booth_name, title, h.number),
             s.header_info(h, _("Delivery note no.")),
             s.p(_("Goods received from the facility:"), s.section),
             _goods(s, doc, signatures)]
    return s.build(out, story, f"{title} {h.number}", _footer(h))


def _close_out_table(s: Sheet, close_out: CloseOut, trailer: Sequence[Flowable]) -> KeepTail:
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
    s, _, h = Sheet(translate, language), translate, doc.header
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
    s, _, h = Sheet(translate, language), translate, doc.header
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


def _count_info(s: Sheet, report: VarianceReport) -> Table:
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
    s, _, h = Sheet(translate, language), translate, report.header
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
    s, _, h = Sheet(translate, language), translate, report.header
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
                 counted=format_number(len(report.counted_lines)),
                 total=format_number(report.sheet_count)), s.section),
             KeepTail(s, grid, trailer)]
    return s.build(out, story, f"{title} {h.number}", _footer(h))


def render_close_out_pdf(close_out: CloseOut, out: Path, translate: Translate = lambda s: s,
                         language: str = "id", place: str = "") -> Path:
    """A facility's stock at this booth, product by product, at one moment."""
    s, _ = Sheet(translate, language), translate
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
