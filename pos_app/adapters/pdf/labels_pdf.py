"""Price-tag label sheets as PDF: a grid of labels per page, each with the product's name, its
price and its barcode (EAN-13 or Code 128, drawn by reportlab's barcode module) with the
human-readable digits under the bars.

Bars are whole multiples of a 300-dpi pixel and start on the pixel grid, with the quiet zones
the standards ask for (EAN-13: 11 modules left, 7 right; Code 128: 10 each side), so an
office laser or a 300-dpi render gives clean edges a scanner reads first time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

from pos_app.adapters.pdf.fonts import new_canvas, register_fonts
from pos_app.domain.labels import LabelItem, LabelLayout

MM = 72 / 25.4
PIXEL = 72 / 300  # one dot of a 300-dpi printer, in points
MODULE_DOTS = (4, 3, 2)  # preferred bar module widths, widest first (0.34, 0.25, 0.17 mm)
PAD = 2 * MM
EAN_QUIET = (11, 7)
WIDGET_QUIET = 9  # what reportlab's EAN-13 widget leaves clear on each side
CODE128_QUIET = 10
ELLIPSIS = "\u2026"


def fit_lines(text: str, face: str, size: float, width: float, max_lines: int) -> list[str]:
    """``text`` wrapped to ``width``, at most ``max_lines`` lines; what does not fit is cut
    and the last line ends in an ellipsis."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = simpleSplit(" ".join(text.split()), face, size, width) or [""]
    cut = len(lines) > max_lines
    lines = lines[:max_lines]
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        if stringWidth(line, face, size) <= width and not (last and cut):
            continue
        while line and stringWidth(line.rstrip() + ELLIPSIS, face, size) > width:
            line = line[:-1]
        lines[i] = line.rstrip() + ELLIPSIS
    return lines


def _code128(value: str, module: float, height: float, face: str, size: float,
             readable: int = 1):
    from reportlab.graphics.barcode.code128 import Code128

    return Code128(value, barWidth=module, barHeight=height, quiet=1,
                   lquiet=CODE128_QUIET * module, rquiet=CODE128_QUIET * module,
                   humanReadable=readable, fontName=face, fontSize=size)


def _modules(item: LabelItem) -> int:
    """Width of the symbol in modules, quiet zones included."""
    if item.code.symbology == "ean13":
        return 95 + sum(EAN_QUIET)
    bc = _code128(item.code.value, 1, 10, register_fonts()[0], 6, readable=0)
    return math.ceil(bc.width)


def _module_width(item: LabelItem, room: float) -> float:
    modules = _modules(item)
    for dots in MODULE_DOTS:
        if modules * dots * PIXEL <= room:
            return dots * PIXEL
    return room / modules  # a very long code on a small label: as wide as it can be


def _on_grid(x: float) -> float:
    return math.floor(x / PIXEL) * PIXEL


def _draw_barcode(c, item: LabelItem, x: float, y: float, width: float, height: float,
                  face: str) -> None:
    """The symbol with its digits, centred in the box (x, y, width, height)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.eanbc import Ean13BarcodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.pdfbase.pdfmetrics import stringWidth

    module = _module_width(item, width)
    total = _modules(item) * module
    left = _on_grid(x + (width - total) / 2)
    size = max(min(8.0, module * 8.5), 4.5)
    if item.code.symbology == "ean13":
        # The widget keeps 9 modules clear each side (its lquiet/rquiet attributes refuse
        # lengths); shifting it right by 2 modules inside our box leaves 11 left and 7 right.
        shift = EAN_QUIET[0] - WIDGET_QUIET
        widget = Ean13BarcodeWidget(item.code.value[:12], barWidth=module, barHeight=height,
                                    fontName=face, fontSize=size, humanReadable=1, quiet=1,
                                    x=shift * module)
        drawing = Drawing(total, height)
        drawing.add(widget)
        renderPDF.draw(drawing, c, left, y)
    else:
        # The digits are ours (reportlab's sit almost on the bars): DejaVu, with a gap.
        text_h = size * 1.45
        bc = _code128(item.code.value, module, height - text_h, face, size, readable=0)
        bc.drawOn(c, left, y + text_h)
        wide = stringWidth(item.code.value, face, size)
        c.setFont(face, size if wide <= width else size * width / wide)
        c.drawCentredString(left + total / 2, y + size * 0.3, item.code.value)


def _draw_label(c, item: LabelItem, x: float, y: float, w: float, h: float,
                regular: str, bold: str) -> None:
    inner = w - 2 * PAD
    name_size, price_size = 7.5, 11.0
    name_lines = 2 if h >= 28 * MM else 1
    c.setStrokeGray(0.82)
    c.setLineWidth(0.3)
    c.roundRect(x, y, w, h, 1.5 * MM)
    c.setFillGray(0)
    top = y + h - PAD
    c.setFont(bold, name_size)
    for line in fit_lines(item.name, bold, name_size, inner, name_lines):
        top -= name_size * 1.2
        c.drawString(x + PAD, top + name_size * 0.2, line)
    c.setFont(bold, price_size)
    top -= price_size * 1.15
    price = fit_lines(item.price_text, bold, price_size, inner, 1)[0]
    c.drawString(x + PAD, top + price_size * 0.15, price)
    bottom = y + PAD * 0.75
    _draw_barcode(c, item, x + PAD * 0.5, bottom, w - PAD, top - 1 * MM - bottom, regular)


def render_labels_pdf(items: Iterable[LabelItem], layout: LabelLayout, out: Path,
                      title: str = "Price labels") -> Path:
    """Labels in order, row by row from the top left, as many pages as they need."""
    regular, bold = register_fonts()
    labels: Sequence[LabelItem] = list(items)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    c = new_canvas(out, pagesize=(layout.page_width_mm * MM, layout.page_height_mm * MM))
    c.setTitle(title)
    c.setAuthor("Lapak POS")
    w = float(layout.label_width_mm) * MM
    h = float(layout.label_height_mm) * MM
    for index, item in enumerate(labels):
        if index and index % layout.per_page == 0:
            c.showPage()
        x_mm, y_mm = layout.origin_mm(index)
        _draw_label(c, item, float(x_mm) * MM, float(y_mm) * MM, w, h, regular, bold)
    c.showPage()
    c.save()
    return out
