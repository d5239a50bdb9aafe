"""Bar charts of the report's breakdowns, painted with QPainter in the app's colours and font.

No plotting library: a bar chart is a few rectangles, a light grid and some text, and
matplotlib with numpy was a quarter of the shipped binary. Amounts arrive as integer rupiah and
stay integers: a bar's length in pixels is ``amount * room // span`` in integer arithmetic. The
figures on the bars are the exact integers, shortened (``1,3 jt``) for the axis and the bar ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from pos_app.domain.money import format_number
from pos_app.i18n import _
from pos_app.ui.common.style import BORDER, DANGER, MUTED, PRIMARY, SURFACE, TEXT

BAR_PX = 26  # height of one horizontal bar's row, so long lists scroll instead of squeezing
LABEL_CHARS = 22  # longer names are cut with an ellipsis (the table has them whole)
MIN_HEIGHT, MIN_HEIGHT_COMPACT = 120, 60  # px; a compact chart takes the room its card has
MIN_SLOT_PX = 40  # a vertical bar's figure ("12,5 M") needs this much width
MOST_INTERVALS = 3  # the value axis has 3 or 4 ticks
PAD = 8  # px around the plot
GAP = 6  # px between a bar and its figure, a name and the plot
NICE_TENTHS = (10, 20, 25, 50)  # tick steps: 1, 2, 2.5 or 5 times a power of ten


def _tenths(amount: int, unit: int) -> str:
    """``amount / unit`` to one decimal, half up, with the Indonesian decimal comma."""
    tenths = (amount * 10 + unit // 2) // unit
    whole, rest = divmod(tenths, 10)
    return format_number(whole) + (f",{rest}" if rest else "")


def short_rupiah(amount: int) -> str:
    """``1.250.000`` -> ``1,3 jt`` (``1,3M`` in English): a figure that fits on a chart."""
    sign, value = ("−", -amount) if amount < 0 else ("", amount)
    if value >= 1_000_000_000:
        text = _("{amount} bn").format(amount=_tenths(value, 1_000_000_000))
    elif value >= 1_000_000:
        text = _("{amount} M").format(amount=_tenths(value, 1_000_000))
    elif value >= 1_000:
        text = _("{amount} k").format(amount=_tenths(value, 1_000))
    else:
        text = format_number(value)
    return sign + text


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1].rstrip() + "…"


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def axis_scale(values: Sequence[int]) -> tuple[int, int, int]:
    """``(low, high, step)``: the value axis from the smallest value (or 0) to a tick at or
    above the largest (or 0), with 3 or 4 ticks on multiples of ``step``, 1, 2, 2,5 or 5
    times a power of ten; all integers. A small negative keeps a small room left of zero."""
    top, bottom = max(0, *values), min(0, *values)
    power = 1
    while True:
        for tenths in NICE_TENTHS:
            step = max(1, tenths * power // 10)  # no 2,5 below 10: the ticks are whole rupiah
            ups = _ceil_div(top, step)
            if ups + -bottom // step <= MOST_INTERVALS:
                return bottom, max(ups, 1 if bottom == 0 else 0) * step, step
        power *= 10


@dataclass
class Geometry:
    """Where everything goes at one size: the bars, their figures, the ticks, the names."""

    bars: list[QRect] = field(default_factory=list)
    ticks: list[tuple[int, int]] = field(default_factory=list)  # (value, pixel on the axis)
    plot: QRect = field(default_factory=QRect)
    zero: int = 0  # the pixel of 0 on the value axis
    label_width: int = 0  # horizontal: the names' column; vertical: the ticks' column
    label_every: int = 1  # only every n-th name (and figure) when rows are thinner than text
    figures_shown: bool = True


class BarCanvas(QWidget):
    """Paints one chart's bars; its ``BarChart`` holds it in a scroll area."""

    def __init__(self, chart: BarChart) -> None:
        super().__init__(chart)
        self.chart = chart
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, MIN_HEIGHT_COMPACT if chart.compact else MIN_HEIGHT)

    def font_of(self, role: str) -> QFont:
        """The app's font (its family, from the widget) at the chart's sizes."""
        font = QFont(self.font())
        compact = self.chart.compact
        font.setPixelSize({"label": 12 if compact else 13, "figure": 11 if compact else 12,
                           "empty": 14}[role])
        return font

    # --- layout ---------------------------------------------------------------------------

    def geometry_at(self, width: int, height: int) -> Geometry:
        values = self.chart.values
        if not values:
            return Geometry()
        names = QFontMetrics(self.font_of("label"))
        figures = QFontMetrics(self.font_of("figure"))
        low, high, step = axis_scale(values)
        ticks = list(range(_ceil_div(low, step) * step, high + 1, step))
        if self.chart.horizontal:
            return self._horizontal(width, height, names, figures, low, high, ticks)
        return self._vertical(width, height, names, figures, low, high, ticks)

    def _horizontal(self, width: int, height: int, names: QFontMetrics, figures: QFontMetrics,
                    low: int, high: int, ticks: list[int]) -> Geometry:
        values = self.chart.values
        texts = [short_rupiah(v) for v in values]
        label_width = min(max(names.horizontalAdvance(_cut(t)) for t in self.chart.labels),
                          width * 2 // 5)
        right_room = max([figures.horizontalAdvance(t) + GAP
                          for t, v in zip(texts, values, strict=True) if v >= 0] +
                         [figures.horizontalAdvance(short_rupiah(high)) // 2])
        left_room = max([figures.horizontalAdvance(t) + GAP
                         for t, v in zip(texts, values, strict=True) if v < 0] + [0])
        left = PAD + label_width + GAP + left_room
        right = max(left + 1, width - PAD - right_room)
        axis_h = figures.height() + 4
        rows = len(values)
        row_h = max(1, min((height - 2 * PAD - axis_h) // rows, BAR_PX * 3 // 2))
        bar_h = max(1, row_h * 2 // 3)
        plot = QRect(left, PAD, right - left, rows * row_h)
        span = high - low

        def x_of(value: int) -> int:
            return left + (value - low) * (right - left) // span

        zero = x_of(0)
        bars = []
        for i, value in enumerate(values):
            top = PAD + i * row_h + (row_h - bar_h) // 2
            end = x_of(value)
            bars.append(QRect(min(zero, end), top, abs(end - zero), bar_h))
        return Geometry(bars, [(t, x_of(t)) for t in ticks], plot, zero, label_width,
                        _ceil_div(names.height(), row_h))

    def _vertical(self, width: int, height: int, names: QFontMetrics, figures: QFontMetrics,
                  low: int, high: int, ticks: list[int]) -> Geometry:
        values = self.chart.values
        label_width = max(figures.horizontalAdvance(short_rupiah(t)) for t in ticks)
        left = PAD + label_width + GAP
        right = max(left + len(values), width - PAD)
        slot = (right - left) // len(values)
        shown = slot >= MIN_SLOT_PX
        room = figures.height() + 2 if shown else 0
        top = PAD + (room if high > 0 else figures.height() // 2)
        bottom = max(top + 1, height - PAD - names.height() - 4 - (room if low < 0 else 0))
        span = high - low

        def y_of(value: int) -> int:
            return bottom - (value - low) * (bottom - top) // span

        zero = y_of(0)
        bar_w = max(1, slot * 7 // 10)
        bars = []
        for i, value in enumerate(values):
            end = y_of(value)
            bars.append(QRect(left + i * slot + (slot - bar_w) // 2, min(zero, end), bar_w,
                              abs(end - zero)))
        widest = max(names.horizontalAdvance(t) for t in self.chart.labels) + 4
        return Geometry(bars, [(t, y_of(t)) for t in ticks], QRect(left, top, right - left,
                        bottom - top), zero, label_width, _ceil_div(widest, max(1, slot)), shown)

    def geometry(self) -> Geometry:
        return self.geometry_at(self.width(), self.height())

    # --- painting -------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(SURFACE))
        if not self.chart.values:
            p.setFont(self.font_of("empty"))
            p.setPen(QColor(MUTED))
            p.drawText(self.rect().adjusted(PAD, PAD, -PAD, -PAD),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       _("No sales in this period"))  # on lines of its own in a narrow card
            p.end()
            return
        g = self.geometry()
        if self.chart.horizontal:
            self._paint_horizontal(p, g)
        else:
            self._paint_vertical(p, g)
        p.end()

    def _bars(self, p: QPainter, g: Geometry) -> None:
        for rect, value in zip(g.bars, self.chart.values, strict=True):
            p.fillRect(rect, QColor(DANGER if value < 0 else PRIMARY))

    def _paint_horizontal(self, p: QPainter, g: Geometry) -> None:
        plot, chart = g.plot, self.chart
        p.setFont(self.font_of("figure"))
        figures = p.fontMetrics()
        p.setPen(QPen(QColor(BORDER), 1))
        for _value, x in g.ticks:
            p.drawLine(x, plot.top(), x, plot.bottom())
        p.setPen(QColor(MUTED))
        for value, x in g.ticks:
            text = short_rupiah(value)
            w = figures.horizontalAdvance(text)
            p.drawText(QRect(x - w // 2 - 2, plot.bottom() + 4, w + 4, figures.height()),
                       Qt.AlignmentFlag.AlignCenter, text)
        self._bars(p, g)
        p.setPen(QPen(QColor(MUTED), 1))
        p.drawLine(g.zero, plot.top(), g.zero, plot.bottom())
        row_h = plot.height() // len(chart.values)
        p.setPen(QColor(TEXT))
        for i, (rect, value) in enumerate(zip(g.bars, chart.values, strict=True)):
            if i % g.label_every:
                continue
            row = QRect(0, plot.top() + i * row_h, self.width(), row_h)
            if value < 0:
                p.drawText(QRect(PAD, row.top(), rect.left() - GAP - PAD, row_h),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                           short_rupiah(value))
            else:
                p.drawText(QRect(rect.right() + GAP, row.top(), self.width(), row_h),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                           short_rupiah(value))
        p.setFont(self.font_of("label"))
        names = p.fontMetrics()
        for i, label in enumerate(chart.labels):
            if i % g.label_every:
                continue
            text = names.elidedText(_cut(label), Qt.TextElideMode.ElideRight, g.label_width)
            p.drawText(QRect(PAD, plot.top() + i * row_h, g.label_width, row_h),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_vertical(self, p: QPainter, g: Geometry) -> None:
        plot, chart = g.plot, self.chart
        p.setFont(self.font_of("figure"))
        figures = p.fontMetrics()
        p.setPen(QPen(QColor(BORDER), 1))
        for _value, y in g.ticks:
            p.drawLine(plot.left(), y, plot.right(), y)
        p.setPen(QColor(MUTED))
        for value, y in g.ticks:
            p.drawText(QRect(PAD, y - figures.height() // 2, g.label_width, figures.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       short_rupiah(value))
        self._bars(p, g)
        p.setPen(QPen(QColor(MUTED), 1))
        p.drawLine(plot.left(), g.zero, plot.right(), g.zero)
        slot = plot.width() // len(chart.values)
        p.setPen(QColor(TEXT))
        if g.figures_shown:
            for rect, value in zip(g.bars, chart.values, strict=True):
                text_top = rect.bottom() + 2 if value < 0 else rect.top() - 2 - figures.height()
                p.drawText(QRect(rect.center().x() - slot, text_top, 2 * slot,
                                 figures.height()), Qt.AlignmentFlag.AlignCenter,
                           short_rupiah(value))  # a figure a little wider than its bar: whole
        p.setFont(self.font_of("label"))
        names = p.fontMetrics()
        under = self.height() - PAD - names.height()
        for i, label in enumerate(chart.labels):
            if i % g.label_every == 0:
                p.drawText(QRect(plot.left() + i * slot - slot, under, 3 * slot, names.height()),
                           Qt.AlignmentFlag.AlignCenter, label)


class BarChart(QWidget):
    """One breakdown as bars: horizontal (facilities, products, categories, methods; the first
    row on top) or vertical (hours). A long list makes the chart taller and it scrolls, unless
    ``compact`` (the overview), where the bars share the room there is."""

    def __init__(self, parent: QWidget | None = None, *, horizontal: bool = True,
                 compact: bool = False) -> None:
        super().__init__(parent)
        self.horizontal, self.compact = horizontal, compact
        self.labels: list[str] = []
        self.values: list[int] = []
        self.canvas = BarCanvas(self)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        if compact:  # the bars share the room there is
            self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(self.canvas)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        self.set_bars([], [])

    def bar_count(self) -> int:
        """Bars drawn (one per row of the breakdown's table)."""
        return len(self.canvas.geometry().bars)

    def bar_rects(self) -> list[QRect]:
        """Where each bar is painted, in the canvas's pixels (the first row's first)."""
        return self.canvas.geometry().bars

    def figures_shown(self) -> bool:
        """Whether the bars carry their figures (vertical bars: only when wide enough)."""
        return bool(self.values) and self.canvas.geometry().figures_shown

    def set_bars(self, labels: Sequence[str], values: Sequence[int]) -> None:
        if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
            raise TypeError("chart values are integer rupiah")
        if len(labels) != len(values):
            raise ValueError("a chart needs a label for every value")
        self.labels, self.values = list(labels), list(values)
        self._fit(len(values))
        self.canvas.update()

    def _fit(self, rows: int) -> None:
        """Tall enough for every horizontal bar to keep a readable row (then it scrolls)."""
        sized = self.horizontal and not self.compact and rows
        axis_h = QFontMetrics(self.canvas.font_of("figure")).height() + 4
        least = MIN_HEIGHT_COMPACT if self.compact else MIN_HEIGHT
        self.canvas.setMinimumHeight(max(least, rows * BAR_PX + 2 * PAD + axis_h if sized else 0))
