"""A receipt as a roll-width PDF (58 or 80 mm wide, as long as it needs to be)."""

from __future__ import annotations

from pathlib import Path

from pos_app.adapters.pdf.fonts import new_canvas, register_fonts
from pos_app.domain.receipt import QR, Element, Pair, Rule, Text

MM = 72 / 25.4
MARGIN = 3 * MM


def _sizes(width_mm: int) -> tuple[float, float]:
    """(normal, large) font sizes that fit 32 or 48 columns of content."""
    return (7.0, 10.5) if width_mm < 70 else (8.5, 12.0)


def _indent(text: str, face: str, size: float) -> float:
    """Leading spaces become an indent (the line splitter would drop them)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    spaces = len(text) - len(text.lstrip(" "))
    return stringWidth(" " * spaces, face, size) * 2


def render_receipt_pdf(elements: list[Element], out: Path, width_mm: int = 58,
                       title: str = "Receipt") -> Path:
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    regular, bold = register_fonts()
    normal, large = _sizes(width_mm)
    page_w = width_mm * MM
    usable = page_w - 2 * MARGIN
    qr_side = min(usable, 30 * MM)

    def font_of(el) -> tuple[str, float]:
        big = isinstance(el, Text | Pair) and el.large
        heavy = isinstance(el, Text | Pair) and el.bold
        return (bold if heavy else regular), (large if big else normal)

    ops: list[tuple] = []  # (kind, element, payload, height)
    for el in elements:
        face, size = font_of(el)
        lead = size * 1.3
        if isinstance(el, Rule):
            ops.append(("rule", el, None, normal * 0.9))
        elif isinstance(el, QR):
            ops.append(("qr", el, None, qr_side + 2 * MM))
        elif isinstance(el, Text):
            indent = _indent(el.text, face, size)
            for part in simpleSplit(el.text, face, size, usable - indent) or [""]:
                ops.append(("text", el, (indent, part), lead))
        elif isinstance(el, Pair):
            indent = _indent(el.left, face, size)
            right_w = stringWidth(el.right, face, size)
            room = max(usable - right_w - 2 * MM - indent, usable * 0.3)
            parts = simpleSplit(el.left, face, size, room) or [""]
            for part in parts[:-1]:
                ops.append(("text", Text(part, bold=el.bold, large=el.large), (indent, part),
                            lead))
            ops.append(("pair", el, (indent, parts[-1]), lead))
    height = sum(op[3] for op in ops) + 2 * MARGIN

    out.parent.mkdir(parents=True, exist_ok=True)
    canvas = new_canvas(out, pagesize=(page_w, height))
    canvas.setTitle(title)
    canvas.setAuthor("Lapak POS")
    y = height - MARGIN
    for kind, el, payload, h in ops:
        face, size = font_of(el)
        y -= h
        canvas.setFont(face, size)
        if kind == "rule":
            canvas.setLineWidth(0.4)
            canvas.setDash(1, 1.5)
            canvas.line(MARGIN, y + h / 2, page_w - MARGIN, y + h / 2)
            canvas.setDash()
        elif kind == "qr":
            widget = QrCodeWidget(el.payload, barLevel="M")
            x0, y0, x1, y1 = widget.getBounds()
            drawing = Drawing(qr_side, qr_side,
                              transform=[qr_side / (x1 - x0), 0, 0, qr_side / (y1 - y0), 0, 0])
            drawing.add(widget)
            renderPDF.draw(drawing, canvas, (page_w - qr_side) / 2, y + 1 * MM)
        elif kind == "text":
            indent, text = payload
            align = el.align if isinstance(el, Text) else "left"
            base = y + h * 0.28
            if align == "center":
                canvas.drawCentredString(page_w / 2, base, text)
            elif align == "right":
                canvas.drawRightString(page_w - MARGIN, base, text)
            else:
                canvas.drawString(MARGIN + indent, base, text)
        else:  # pair
            indent, text = payload
            base = y + h * 0.28
            canvas.drawString(MARGIN + indent, base, text)
            canvas.drawRightString(page_w - MARGIN, base, el.right)
    canvas.showPage()
    canvas.save()
    return out
