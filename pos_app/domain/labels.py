"""Price-tag label sheets as plain data: what one label shows and how labels sit on a page.

Sizes are whole millimetres (the numbers printed on a box of label stickers); the size of
one label follows from the page, the margins, the gaps and the grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from pos_app.domain.barcodes import LabelCode
from pos_app.domain.errors import DomainError

MAX_GRID = 10
# The smallest label that still holds a name, a price and a barcode a scanner reads.
MIN_LABEL_WIDTH_MM = 34
MIN_LABEL_HEIGHT_MM = 22
MAX_COPIES = 1000


@dataclass(frozen=True)
class LabelItem:
    """One printed label: the product's name, its price as printed, and its barcode."""

    name: str
    price_text: str
    code: LabelCode


@dataclass(frozen=True)
class LabelLayout:
    """A grid of ``cols`` x ``rows`` labels on a page (A4 by default)."""

    cols: int = 3
    rows: int = 8
    page_width_mm: int = 210
    page_height_mm: int = 297
    margin_x_mm: int = 8
    margin_y_mm: int = 10
    gap_x_mm: int = 2
    gap_y_mm: int = 2

    def __post_init__(self) -> None:
        for name in ("page_width_mm", "page_height_mm", "margin_x_mm", "margin_y_mm",
                     "gap_x_mm", "gap_y_mm", "cols", "rows"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise DomainError("bad_label_layout", cols=self.cols, rows=self.rows,
                                  max=MAX_GRID)
        if not (1 <= self.cols <= MAX_GRID and 1 <= self.rows <= MAX_GRID) \
                or self.label_width_mm < MIN_LABEL_WIDTH_MM \
                or self.label_height_mm < MIN_LABEL_HEIGHT_MM:
            raise DomainError("bad_label_layout", cols=self.cols, rows=self.rows, max=MAX_GRID)

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    @property
    def label_width_mm(self) -> Fraction:
        room = self.page_width_mm - 2 * self.margin_x_mm - (self.cols - 1) * self.gap_x_mm
        return Fraction(room, max(self.cols, 1))

    @property
    def label_height_mm(self) -> Fraction:
        room = self.page_height_mm - 2 * self.margin_y_mm - (self.rows - 1) * self.gap_y_mm
        return Fraction(room, max(self.rows, 1))

    def origin_mm(self, index: int) -> tuple[Fraction, Fraction]:
        """Bottom-left corner of the ``index``-th label of a page (0 = top left, row by row),
        measured from the page's bottom-left corner."""
        row, col = divmod(index % self.per_page, self.cols)
        x = self.margin_x_mm + col * (self.label_width_mm + self.gap_x_mm)
        y = self.page_height_mm - self.margin_y_mm - (row + 1) * self.label_height_mm \
            - row * self.gap_y_mm
        return x, y

    def pages(self, count: int) -> int:
        """How many pages ``count`` labels take."""
        return -(-count // self.per_page) if count > 0 else 0
