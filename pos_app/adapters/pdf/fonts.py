"""DejaVu Sans, shipped in ``resources/fonts`` and embedded in every PDF (rupiah and
Indonesian text render the same on every machine).

Every PDF canvas is made by :func:`new_canvas` (or takes :func:`canvas_options`): reportlab's
canvas starts in Helvetica and declares it on every page even when nothing is written in it, a
font no PDF of ours embeds. Starting in DejaVu Sans, the PDFs declare only fonts they embed."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pos_app.paths import resources_dir

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

__all__ = ["BOLD", "REGULAR", "canvas_options", "font_files", "new_canvas", "register_fonts"]


def font_files() -> list[Path]:
    """The bundled TTF files (the PDFs embed them; the desktop app registers them with Qt)."""
    fonts = resources_dir() / "fonts"
    return [fonts / "DejaVuSans.ttf", fonts / "DejaVuSans-Bold.ttf"]


@cache
def register_fonts() -> tuple[str, str]:
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus.tables import CellStyle

    regular, bold = font_files()
    pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                  boldItalic=BOLD)
    # Drawings (barcodes, the receipt QR, charts) start in reportlab's default graphics font,
    # Helvetica, and declare it even when they write no text: theirs is ours too.
    rl_config.defaultGraphicsFontName = REGULAR
    # Table cells that hold a plain string (even an empty one) set the cell style's font,
    # Helvetica by default, on the canvas.
    CellStyle.fontname = REGULAR
    return REGULAR, BOLD


def canvas_options() -> dict:
    """Keyword arguments for a reportlab Canvas (or a canvasmaker) to start in the bundled font."""
    regular, _ = register_fonts()
    return {"initialFontName": regular, "initialFontSize": 10}


def new_canvas(out: Path, **kwargs):
    """A reportlab Canvas writing to ``out`` that starts in the bundled font, not Helvetica."""
    from reportlab.pdfgen.canvas import Canvas

    return Canvas(str(out), **canvas_options(), **kwargs)
