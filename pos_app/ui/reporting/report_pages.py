"""The parts of the reports screen: the strip of totals, a breakdown page (its table beside
its chart), and the overview of every chart with the top products.

Charts are redrawn only when their page is shown (``draw_if_needed``): a filter change then
costs one page of drawing, not all of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.errors import N_
from pos_app.domain.figures import FIGURE_LABELS
from pos_app.domain.money import format_number
from pos_app.i18n import _
from pos_app.services.reporting.reports import Totals
from pos_app.ui.common.figures import signed_rupiah
from pos_app.ui.common.rows import RowsModel
from pos_app.ui.common.tables import make_table
from pos_app.ui.reporting.report_chart import BarChart

COMPACT_ROW = 32  # the overview's top-products list: ten rows in a card
CHART_MIN_WIDTH = 360  # room for a product's name, its bar and its figure
MAX_BARS = 60  # a chart of thousands of products would be unreadable (and huge to draw)


def card(parent: QWidget, title: str, body: QWidget) -> QFrame:
    """``body`` in a white card under a heading (the card's ``QLabel`` named "heading")."""
    frame = QFrame(parent)
    frame.setProperty("role", "card")
    heading = QLabel(title, frame)
    heading.setObjectName("heading")
    heading.setProperty("role", "field")
    box = QVBoxLayout(frame)
    box.setContentsMargins(12, 10, 12, 10)
    box.setSpacing(6)
    box.addWidget(heading)
    box.addWidget(body, 1)
    return frame


MAX_LINES = 3  # of figure tiles


class TotalsStrip(QWidget):
    """The one set of figures (``domain.figures``) and the number of sales, as large
    figures, each under its label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # smaller than a figure elsewhere: ten of them share two lines at 1024 px
        self.setStyleSheet('QLabel[role="figure"], QLabel[role="figure-good"] '
                           '{ font-size: 18px; }')
        self.figures: dict[str, QLabel] = {}
        self.tiles: list[QFrame] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(10)
        self.columns = 0
        tips = {
            "gross": _("Quantity × price of the lines sold, before discounts"),
            "discounts": _("Line and whole-sale discounts"),
            "added_tax": _("PPN charged on top of prices"),
            "sales": _("What buyers paid for their sales: gross - discounts + PPN added"),
            "voids": _("What voids gave back"),
            "refunds": _("What refunds gave back"),
            "net": _("Sales + voids + refunds: the money kept, equal to the payments kept"),
            "tax": _("All PPN inside the net, less PPN given back"),
            "dpp": _("Net - PPN"),
            "count": _("Number of sales (refunds and voids are not counted)"),
        }
        for key, caption in (*FIGURE_LABELS, ("count", N_("Number of sales"))):
            caption, tip = _(caption), tips[key]
            tile = QFrame(self)
            tile.setProperty("role", "card")
            tile.setToolTip(tip)
            label = QLabel(caption, tile)
            label.setProperty("role", "caption")
            label.setWordWrap(True)  # a long label takes two lines rather than a line of its own
            figure = QLabel(tile)
            figure.setProperty("role", "figure-good" if key == "net" else "figure")
            figure.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box = QVBoxLayout(tile)
            box.setContentsMargins(12, 6, 12, 6)
            box.setSpacing(0)
            box.addWidget(label)
            box.addWidget(figure)
            self.tiles.append(tile)
            self.figures[key] = figure
        self._arrange(len(self.tiles))
        self.show_totals(Totals())

    def _arrange(self, columns: int) -> None:
        """The tiles in lines of ``columns``."""
        if columns == self.columns:
            return
        self.columns = columns
        for tile in self.tiles:
            self.grid.removeWidget(tile)
        for i, tile in enumerate(self.tiles):
            self.grid.addWidget(tile, i // columns, i % columns)
        for col in range(len(self.tiles)):
            self.grid.setColumnStretch(col, 1 if col < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit()  # the style sheet's figure font is known now

    def _need(self, tile: QFrame) -> int:
        """The width ``tile`` needs for its caption and figure in their styled fonts (a label
        not yet polished would measure its text in the plain, smaller font)."""
        for label in tile.findChildren(QLabel):
            label.ensurePolished()
        tile.layout().invalidate()
        return tile.sizeHint().width()

    def _fit(self) -> None:
        """As few lines as fit the width: all on one line, else two, at most three lines, each
        column as wide as its widest tile."""
        needs = [self._need(t) for t in self.tiles]
        n = len(self.tiles)
        for lines in range(1, MAX_LINES + 1):
            columns = -(-n // lines)
            widths = [max(needs[c::columns]) for c in range(columns)]
            if sum(widths) + 10 * (columns - 1) <= self.width() or lines == MAX_LINES:
                self._arrange(columns)
                return

    def show_totals(self, t: Totals) -> None:
        for key, _label, amount in t.figures().shown():
            self.figures[key].setText(signed_rupiah(amount))
        self.figures["count"].setText(format_number(t.count))
        self._fit()  # larger figures may no longer fit on one line

    def text(self, key: str) -> str:
        return self.figures[key].text()


class ChartSlot:
    """A chart and how to draw a breakdown's rows on it; redrawn when shown, if stale.

    A chart has a bar for every row of its table up to ``MAX_BARS`` (the first rows: products
    come best-selling first); past that its heading says how many it shows."""

    def __init__(self, chart: BarChart, label: Callable[[object], str],
                 heading: QLabel | None = None) -> None:
        self.chart, self.label, self.heading = chart, label, heading
        self.title = heading.text() if heading is not None else ""
        self.rows: list = []
        self.stale = True

    def set_rows(self, rows: Sequence) -> None:
        self.rows, self.stale = list(rows), True

    def draw_if_needed(self) -> None:
        if not self.stale:
            return
        self.stale = False
        shown = self.rows[:MAX_BARS]
        self.chart.set_bars([self.label(r) for r in shown], [r.net for r in shown])
        if self.heading is not None:
            self.heading.setText(self.title if len(shown) == len(self.rows) else
                                 _("{title} · the first {shown} of {count}").format(
                                     title=self.title, shown=len(shown),
                                     count=format_number(len(self.rows))))


class BreakdownPage(QWidget):
    """A breakdown's table (every figure, exact) beside a chart of its net."""

    def __init__(self, model: RowsModel, chart_title: str, parent: QWidget | None = None, *,
                 stretch: int = 0, horizontal: bool = True,
                 chart_label: Callable[[object], str] = lambda r: r.label) -> None:
        super().__init__(parent)
        self.model = model
        model.setParent(self)
        self.table = make_table(model, self, stretch)
        self.chart = BarChart(self, horizontal=horizontal)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        chart_card = card(splitter, chart_title, self.chart)
        self.slot = ChartSlot(self.chart, chart_label, chart_card.findChild(QLabel, "heading"))
        chart_card.setMinimumWidth(CHART_MIN_WIDTH)
        splitter.addWidget(chart_card)
        splitter.setStretchFactor(0, 2)  # the exact figures first
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([2000, 1000])  # scaled to the room there is
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 12, 12, 12)
        box.addWidget(splitter)

    def set_rows(self, rows: Sequence) -> None:
        self.model.set_rows(rows)
        self.slot.set_rows(rows)

    def draw_if_needed(self) -> None:
        self.slot.draw_if_needed()


class OverviewPage(QWidget):
    """Every breakdown's chart at a glance, and the ten best-selling products: facilities and
    categories side by side over the hours; payment methods over the top products."""

    def __init__(self, top_model: RowsModel, labels: dict[str, Callable[[object], str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.top_model = top_model
        top_model.setParent(self)
        self.top_table = make_table(top_model, self, 0, row_height=COMPACT_ROW)
        self.charts: dict[str, BarChart] = {}
        self.slots: dict[str, ChartSlot] = {}
        cards = {}
        for key, title, horizontal in (
            ("facility", _("Net by facility"), True),
            ("category", _("Net by category"), True),
            ("method", _("Net by payment method"), True),
            ("hour", _("Net by hour"), False),
        ):
            chart = BarChart(self, horizontal=horizontal, compact=True)
            self.charts[key] = chart
            self.slots[key] = ChartSlot(chart, labels[key])
            cards[key] = card(self, title, chart)
        left = QGridLayout()
        left.setSpacing(10)
        left.addWidget(cards["facility"], 0, 0)
        left.addWidget(cards["category"], 0, 1)
        left.addWidget(cards["hour"], 1, 0, 1, 2)
        left.setRowStretch(0, 3)
        left.setRowStretch(1, 2)
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addWidget(cards["method"], 2)
        right.addWidget(card(self, _("Top products"), self.top_table), 3)
        box = QHBoxLayout(self)
        box.setContentsMargins(12, 12, 12, 12)
        box.setSpacing(10)
        box.addLayout(left, 5)
        box.addLayout(right, 3)

    def set_rows(self, key: str, rows: Sequence) -> None:
        self.slots[key].set_rows(rows)

    def draw_if_needed(self) -> None:
        for slot in self.slots.values():
            slot.draw_if_needed()
