"""The reports' bar chart, painted with QPainter: rendered to an image and its pixels read back
(bars in the app's teal, negative ones in its red, where the chart says they are), integer
pixel lengths, the 3–4 ticks of its axis, a long list that scrolls, figures over vertical bars
only when they fit, and the empty period's message."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage

from pos_app.ui.common import style
from pos_app.ui.common.style import DANGER, PRIMARY, SURFACE
from pos_app.ui.reporting.report_chart import BAR_PX, BarChart, axis_scale

NAMES = ["Kopi Arabika Flores Bajawa 250 g", "Tikar pandan", "Tenun ikat Sumba", "Refund"]
NETS = [1_250_000, 374_000, 2_900_000, -374_250]


@pytest.fixture
def chart(qtbot, qapp):
    def make(width: int, height: int, **kwargs) -> BarChart:
        style.apply(qapp)
        widget = BarChart(**kwargs)
        qtbot.addWidget(widget)
        widget.resize(width, height)
        widget.show()
        qtbot.waitExposed(widget)
        return widget
    return make


def image_of(widget: BarChart) -> QImage:
    return widget.canvas.grab().toImage()


def colour(image: QImage, x: int, y: int) -> str:
    return QColor(image.pixel(x, y)).name().upper()


def count_of(image: QImage, name: str) -> int:
    return sum(colour(image, x, y) == name
               for y in range(image.height()) for x in range(image.width()))


def test_bars_are_painted_in_the_app_colours_where_the_chart_says(chart) -> None:
    widget = chart(440, 300)
    widget.set_bars(NAMES, NETS)
    image = image_of(widget)
    rects = widget.bar_rects()
    assert widget.bar_count() == len(rects) == 4
    for rect, value in zip(rects, NETS, strict=True):
        assert rect.width() > 0 and rect.height() >= 12
        centre = rect.center()
        assert colour(image, centre.x(), centre.y()) == (DANGER if value < 0 else PRIMARY)
        assert colour(image, rect.right() - 1, rect.top() + 1) == colour(image, centre.x(),
                                                                          centre.y())
    # the first row on top, the negative bar left of zero and the others right of it
    assert [r.top() for r in rects] == sorted(r.top() for r in rects)
    zero = rects[0].left()
    assert rects[3].right() < zero <= rects[1].left()
    # as much of each colour as the bars cover (less the zero line over them), and no more
    teal = sum(r.width() * r.height() for r, v in zip(rects, NETS, strict=True) if v >= 0)
    red = rects[3].width() * rects[3].height()
    line = sum(r.height() for r in rects)
    assert teal - line <= count_of(image, PRIMARY) <= teal
    assert red - line <= count_of(image, DANGER) <= red
    assert colour(image, 1, 1) == SURFACE


def test_bar_lengths_are_integer_proportions_of_the_rupiah(chart) -> None:
    widget = chart(500, 260)
    widget.set_bars(["a", "b", "c"], [1_000_000, 2_000_000, 3])
    a, b, c = (r.width() for r in widget.bar_rects())
    assert abs(b - 2 * a) <= 1 and a > 50
    assert c == 0  # Rp3 on a scale of millions is no pixel, not a float's rounding
    with pytest.raises(TypeError):
        widget.set_bars(["a"], [1.5])
    with pytest.raises(TypeError):
        widget.set_bars(["a"], [True])
    assert widget.values == [1_000_000, 2_000_000, 3]  # a refused set changes nothing


@pytest.mark.parametrize("values", [[3_805_200], [1_000_000], [999], [1_100, -1_100],
                                    [-5], [0], [2_000_000_000, 5], [7, 3_000_000, -250_000]])
def test_the_value_axis_has_three_or_four_ticks(values: list[int]) -> None:
    low, high, step = axis_scale(values)
    assert low == min(0, *values) and high >= max(0, *values)
    ticks = list(range(-(-low // step) * step, high + 1, step))
    assert 3 <= len(ticks) <= 4 or values == [0]  # nothing sold: 0 and 1
    assert all(type(t) is int for t in (low, high, step))


def test_a_long_list_makes_the_chart_taller_and_it_scrolls(chart) -> None:
    rows = 40
    names, nets = [f"Product {i}" for i in range(rows)], [10_000 * (100 - i) for i in range(rows)]
    widget = chart(420, 300)
    widget.set_bars(names, nets)
    widget.scroll.widget().adjustSize()
    assert widget.canvas.height() >= rows * BAR_PX
    assert widget.scroll.verticalScrollBar().maximum() > 0
    rects = widget.bar_rects()
    assert len(rects) == rows and rects[-1].bottom() < widget.canvas.height()
    assert all(later.top() - earlier.top() >= BAR_PX
               for earlier, later in zip(rects, rects[1:], strict=False))

    compact = chart(420, 300, compact=True)  # the overview: the bars share the room
    compact.set_bars(names, nets)
    assert compact.scroll.verticalScrollBar().maximum() == 0
    assert compact.bar_rects()[-1].bottom() < compact.canvas.height() <= 300


def test_figures_over_vertical_bars_only_when_each_slot_is_wide_enough(chart) -> None:
    hours = [f"{h:02d}" for h in range(24)]
    nets = [50_000 * (h % 7) - 60_000 for h in range(24)]
    wide = chart(1400, 220, horizontal=False, compact=True)
    wide.set_bars(hours, nets)
    assert wide.figures_shown()
    narrow = chart(500, 220, horizontal=False, compact=True)
    narrow.set_bars(hours, nets)
    assert not narrow.figures_shown()
    image = image_of(narrow)
    for rect, value in zip(narrow.bar_rects(), nets, strict=True):
        if rect.height() > 2:
            assert colour(image, rect.center().x(), rect.center().y()) == (
                DANGER if value < 0 else PRIMARY)
    few = chart(500, 220, horizontal=False, compact=True)
    few.set_bars(hours[:4], nets[:4])
    assert few.figures_shown()


def test_an_empty_period_says_so_and_draws_no_bar(chart) -> None:
    widget = chart(220, 160, compact=True)
    widget.set_bars([], [])
    image = image_of(widget)
    assert widget.bar_count() == 0
    assert count_of(image, PRIMARY) == count_of(image, DANGER) == 0
    assert count_of(image, SURFACE) < image.width() * image.height()  # the message is there
