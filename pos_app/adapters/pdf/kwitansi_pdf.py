"""The kwitansi as an A4 PDF: buyer, amount in figures and words, purpose, place and date,
and room for the stamp (cap/meterai) and signature; SALINAN on a copy, and the kwitansi it
replaces on one issued after a later refund."""

from __future__ import annotations

from pathlib import Path

from pos_app.adapters.pdf.fonts import new_canvas, register_fonts
from pos_app.domain.kwitansi import KwitansiDoc
from pos_app.domain.money import format_rupiah

MM = 72 / 25.4


def render_kwitansi_pdf(doc: KwitansiDoc, out: Path, translate=lambda s: s,
                        language: str = "id") -> Path:
    from babel.dates import format_date
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit

    _ = translate
    regular, bold = register_fonts()
    width, height = A4
    left, right = 20 * MM, width - 20 * MM
    out.parent.mkdir(parents=True, exist_ok=True)
    c = new_canvas(out, pagesize=A4)
    c.setTitle(f"{_('Kwitansi')} {doc.number}")
    c.setAuthor("Lapak POS")

    top = height - 20 * MM
    box_bottom = height / 2 - 10 * MM
    c.setLineWidth(1.2)
    c.rect(left - 5 * MM, box_bottom, right - left + 10 * MM, top - box_bottom + 5 * MM)

    c.setFont(bold, 11)
    c.drawString(left, top - 6 * MM, doc.booth_name)
    if doc.demo:
        c.drawRightString(right, top - 6 * MM, _("DEMO - not a real sale"))
    c.setFont(bold, 22)
    c.drawCentredString(width / 2, top - 20 * MM, _("KWITANSI"))
    c.setFont(regular, 10)
    c.drawCentredString(width / 2, top - 26 * MM, f"{_('No.')} {doc.number}")
    if doc.replaces:  # issued after a later refund changed the amount
        c.setFont(regular, 9)
        c.drawCentredString(width / 2, top - 31 * MM, _("Replaces kwitansi {number}").format(
            number=doc.replaces))
    if doc.copy:  # a second print of the same kwitansi
        c.setFont(bold, 14)
        c.drawRightString(right, top - 20 * MM, _("COPY"))

    label_x, value_x = left, left + 45 * MM
    y = top - 40 * MM

    def row(label: str, value: str, font: str = regular, size: float = 11) -> None:
        nonlocal y
        c.setFont(regular, 10)
        c.drawString(label_x, y, label)
        c.drawString(value_x - 4 * MM, y, ":")
        lines = simpleSplit(value, font, size, right - value_x) or [""]
        c.setFont(font, size)
        for line in lines:
            c.drawString(value_x, y, line)
            y -= size * 1.45
        y -= 3 * MM

    row(_("Received from"), doc.buyer, bold)
    if doc.institution:
        row(_("Institution"), doc.institution)
    # The amount in words sits in a shaded band, as on a printed kwitansi.
    words = simpleSplit(doc.amount_in_words, regular, 11, right - value_x - 4 * MM)
    band = len(words) * 11 * 1.45 + 3 * MM
    c.setFillGray(0.92)
    c.rect(value_x - 2 * MM, y - band + 11 + 1.5 * MM, right - value_x + 2 * MM, band,
           stroke=0, fill=1)
    c.setFillGray(0)
    row(_("The sum of"), doc.amount_in_words)
    row(_("For payment of"), doc.purpose)
    if doc.sale_number:
        row(_("Sale"), doc.sale_number)
    if doc.refunds:
        row(_("Less refunds"), ", ".join(f"{r.number} {format_rupiah(r.total)}"
                                         for r in doc.refunds))

    # Amount in figures, bottom left, in a heavy frame.
    fig_y = box_bottom + 22 * MM
    c.setLineWidth(1.5)
    c.rect(left, fig_y - 4 * MM, 70 * MM, 14 * MM)
    c.setFont(bold, 16)
    c.drawString(left + 4 * MM, fig_y + 1 * MM, format_rupiah(doc.amount))

    # Place, date, signature, stamp: bottom right.
    sig_x = right - 60 * MM
    c.setFont(regular, 10)
    when = format_date(doc.issued_on, format="long", locale=language)
    c.drawString(sig_x, fig_y + 22 * MM, f"{doc.place}, {when}")
    c.drawString(sig_x, fig_y + 17 * MM, _("Received by,"))
    c.setDash(2, 2)
    c.setLineWidth(0.6)
    c.rect(sig_x, fig_y - 8 * MM, 24 * MM, 22 * MM)
    c.setFont(regular, 7)
    c.drawCentredString(sig_x + 12 * MM, fig_y + 2 * MM, _("stamp"))
    c.setDash()
    c.setFont(regular, 10)
    c.drawString(sig_x, fig_y - 14 * MM, f"( {doc.receiver} )")
    c.line(sig_x, fig_y - 15.5 * MM, right, fig_y - 15.5 * MM)
    c.showPage()
    c.save()
    return out
