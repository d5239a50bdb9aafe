"""The app's own fonts: the DejaVu Sans TTFs in ``resources/fonts`` (the same ones every PDF
embeds) are registered with Qt at start-up, so text renders on a machine with no font package
at all. ``text_problem`` is the smoke check that text can render: a family to draw with, a
glyph for the letters of the sale screen, and a string that takes room."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QRawFont

from pos_app.paths import resources_dir

SAMPLE = "Rp 12.500 Kopi Arabika"
FAMILY = "DejaVu Sans"

__all__ = ["FAMILY", "SAMPLE", "install", "text_problem"]


def install() -> list[str]:
    """Register every TTF under resources/fonts with Qt; returns the families they bring."""
    families: list[str] = []
    for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families += [f for f in QFontDatabase.applicationFontFamilies(font_id)
                         if f not in families]
    return families


def text_problem(font: QFont) -> str | None:
    """Why text drawn in ``font`` would not show (empty boxes, nothing), or None when it can."""
    if not QFontDatabase.families():
        return "no font is available to Qt: text would not render"
    metrics = QFontMetrics(font)
    missing = sorted({ch for ch in SAMPLE if not ch.isspace() and not metrics.inFont(ch)})
    raw = QRawFont.fromFont(font)
    if not raw.isValid() or not raw.supportsCharacter("R"):
        missing = sorted(set(missing) | {"R"})
    if missing:
        return (f"the font {font.family()!r} has no glyph for {''.join(missing)!r}: "
                "text would render as empty boxes")
    if metrics.horizontalAdvance(SAMPLE) <= 0 or metrics.height() <= 0:
        return f"text in the font {font.family()!r} takes no room: it would not render"
    return None
