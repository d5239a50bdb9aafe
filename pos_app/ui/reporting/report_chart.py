"""Bar charts of the report's breakdowns, drawn by matplotlib on a Qt canvas in the app's
colours. Imported only when the reports screen opens: matplotlib is slow to load and the sale
screen must not wait for it.

Amounts arrive as integer rupiah; they become floats only to be plotted. The labels on the
bars are the exact integers, shortened (``1,3 jt``) for the axis and the bar ends.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from pos_app.domain.money import format_number
from pos_app.i18n import _
from pos_app.ui.common.style import BORDER, DANGER, MUTED, PRIMARY, SURFACE, TEXT

BAR_PX = 26  # height of one horizontal bar's row, so long lists scroll instead of squeezing
LABEL_CHARS = 22  # longer names are cut with an ellipsis (the table has them whole)
DPI = 100
MIN_SLOT_PX = 40  # a vertical bar's figure ("12,5 M") needs this much width
QWIDGETSIZE_MAX = (1 << 24) - 1


def _style() -> None:
    matplotlib.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": ["Segoe UI", "Noto Sans", "Inter", "DejaVu Sans"],
        "font.size": 10,
        "text.color": TEXT,
        "axes.edgecolor": BORDER,
        "axes.labelcolor": MUTED,
        "xtick.color": MUTED,
        "ytick.color": TEXT,
        "axes.facecolor": SURFACE,
        "figure.facecolor": SURFACE,
    })


_style()


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
        self.figure = Figure(figsize=(4, 3), dpi=DPI, layout="constrained")
        self.axes = self.figure.add_subplot()
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumSize(200, 120)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(self.canvas)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        self.bar_texts: list = []
        self.canvas.mpl_connect("resize_event", self._show_bar_texts)
        self.set_bars([], [])

    def bar_count(self) -> int:
        """Bars drawn (one per row of the breakdown's table)."""
        return len(self.axes.patches)

    def set_bars(self, labels: Sequence[str], values: Sequence[int]) -> None:
        if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
            raise TypeError("chart values are integer rupiah")
        self.labels, self.values = list(labels), list(values)
        ax = self.axes
        ax.clear()
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if not values:
            ax.set_axis_off()
            ax.text(0.5, 0.5, _("No sales in this period"), ha="center", va="center",
                    color=MUTED, fontsize=11, transform=ax.transAxes,
                    wrap=True)  # on lines of its own in a narrow card, not cut at its sides
            self._fit(0)
            self.canvas.draw_idle()
            return
        ax.set_axis_on()
        heights = [float(v) for v in values]  # plotted only; the labels below stay exact
        colors = [DANGER if v < 0 else PRIMARY for v in values]
        positions = list(range(len(values)))
        money = FuncFormatter(lambda x, _pos: short_rupiah(int(round(x))))
        if self.horizontal:
            bars = ax.barh(positions, heights, color=colors, height=0.66)
            ax.set_yticks(positions, [_cut(label) for label in labels])
            ax.invert_yaxis()
            ax.xaxis.set_major_formatter(money)
            ax.xaxis.set_major_locator(MaxNLocator(3))
            ax.grid(axis="x", color=BORDER, linewidth=0.8)
            ax.tick_params(axis="y", length=0)
            ax.spines["left"].set_visible(False)
            ax.margins(x=0.18, y=0.02 if len(values) > 8 else 0.1)
        else:
            bars = ax.bar(positions, heights, color=colors, width=0.7)
            ax.set_xticks(positions, list(labels))
            ax.yaxis.set_major_formatter(money)
            ax.yaxis.set_major_locator(MaxNLocator(4))
            ax.grid(axis="y", color=BORDER, linewidth=0.8)
            ax.tick_params(axis="x", length=0)
            ax.margins(y=0.15)
        ax.set_axisbelow(True)
        ax.tick_params(labelsize=9 if self.compact else 10)
        self.bar_texts = ax.bar_label(bars, labels=[short_rupiah(v) for v in values],
                                      padding=3, fontsize=8 if self.compact else 9, color=TEXT)
        self._fit(len(values))
        self._show_bar_texts()
        self.canvas.draw_idle()

    def _fit(self, rows: int) -> None:
        """Tall enough for every horizontal bar to keep a readable row; a short list keeps
        its bars slim at the top instead of stretching them over the whole card."""
        sized = self.horizontal and not self.compact
        self.canvas.setMinimumHeight(max(120, rows * BAR_PX + 60 if sized else 120))
        self.canvas.setMaximumHeight(max(200, rows * BAR_PX * 2 + 80) if sized and rows
                                     else QWIDGETSIZE_MAX)

    def _show_bar_texts(self, _event=None) -> None:
        """Figures over vertical bars only when the bars are wide enough to hold them."""
        if self.horizontal or not self.values:
            return
        slot = self.canvas.width() * self.axes.get_position().width / len(self.values)
        for text in self.bar_texts:
            text.set_visible(slot >= MIN_SLOT_PX)
