"""Drawing receipt elements on an ESC/POS printer (python-escpos), 58 mm or 80 mm.

Text goes out as ASCII (transliterated), so cheap printers never garble it whatever their
code page; the QR code uses the printer's native QR command.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.receipt import QR, Element, Pair, Rule, Text, fixed_width, fold_elements


@dataclass(frozen=True)
class PaperWidth:
    mm: int
    columns: int
    profile: str  # a python-escpos capability profile for that paper


WIDTHS = {
    58: PaperWidth(58, 32, "ZJ-5870"),
    80: PaperWidth(80, 48, "TM-T20II"),
}


def paper(width_mm: int) -> PaperWidth:
    return WIDTHS.get(width_mm, WIDTHS[58])


def draw(printer, elements: list[Element], width: PaperWidth, *, cut: bool = True,
         drawer: bool = False) -> None:
    """Send ``elements`` to an escpos printer object (Dummy, Network, Usb, ...)."""
    printer.hw("INIT")  # ESC @: a known state, and the code page reset that magic encode needs
    if drawer:
        printer.cashdraw(2)  # open the drawer first: the cashier gives change while it prints
    for element, line in fixed_width(fold_elements(elements), width.columns):
        if isinstance(element, QR):
            printer.set(align="center", bold=False, normal_textsize=True)
            printer.qr(element.payload, size=6 if width.mm >= 80 else 5, native=True)
            continue
        large = isinstance(element, Text | Pair) and element.large
        bold = isinstance(element, Text | Pair) and element.bold
        align = element.align if isinstance(element, Text) else "left"
        if isinstance(element, Rule):
            align, bold, large = "left", False, False
        if large:
            printer.set(align=align, bold=bold, double_width=True, double_height=True)
        else:
            printer.set(align=align, bold=bold, normal_textsize=True)
        printer.text(line + "\n")
    printer.set(align="left", bold=False, normal_textsize=True)
    if cut:
        # GS V 66 0: feed to the cutter and cut. Sent whatever the profile says: many 58 mm
        # printers have a cutter their python-escpos profile does not declare, and one
        # without a cutter just feeds the paper clear of the tear bar.
        printer.cut(feed=False)


def receipt_bytes(elements: list[Element], width_mm: int = 58, *, drawer: bool = False) -> bytes:
    """The exact bytes a printer would get (rendered on python-escpos's Dummy)."""
    from escpos.printer import Dummy

    width = paper(width_mm)
    dummy = Dummy(profile=width.profile)
    draw(dummy, elements, width, drawer=drawer)
    return dummy.output
