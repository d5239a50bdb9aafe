"""The customer display: a window facing the buyer, full screen on a second monitor or a plain
window on a small USB display (``display_control`` places it). It shows the booth, the lines
as they are added and the total, the QRIS with its amount, the change and a thank-you naming
the facilities; between customers, the facilities and their goods.

It never takes the focus: the window does not accept it, is shown without being activated,
and, should a window manager activate it anyway (a tap on a touch display), hands the
activation straight back (``display_control``). It is driven only by the feed's signals.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from pos_app.i18n import _
from pos_app.services.catalog.showcase import ShowcaseFacility
from pos_app.services.sale.qris import QrisOffer
from pos_app.ui.common.style import (
    BG,
    BORDER,
    MUTED,
    PRIMARY,
    PRIMARY_DARK,
    PRIMARY_SOFT,
    SUCCESS,
    TEXT,
)
from pos_app.ui.display.feed import DisplayLine
from pos_app.ui.display.sale_pages import CartPage, FinishPage, QrisPage, label
from pos_app.ui.display.showcase_page import ShowcasePage

ROW_UNITS = 10.0  # a cart line's height, in hundredths of the window's height
FINISH_MS = 10_000  # the change and the thank-you stay this long, then the showcase
IDLE, CART, QRIS, FINISH = range(4)

# type sizes in hundredths of the window's height (of a 16:9 box that fits it)
SIZES = {
    "booth": 6.0, "tagline": 3.4, "line": 5.0, "facility": 2.9, "qty": 4.0, "line-total": 5.0,
    "earlier": 3.2, "count": 3.6, "total-caption": 5.0, "total": 12.0, "caption": 5.0,
    "qris-amount": 10.5, "merchant": 4.6, "nmid": 3.6, "note": 3.6, "change": 15.0,
    "thanks": 9.0, "made-by": 5.4, "welcome": 8.0, "about": 3.8, "where": 3.4,
    "facility-name": 6.4, "facility-text": 4.0, "card-name": 3.8, "card-price": 4.2,
}
BOLD = {"booth", "line", "line-total", "total-caption", "total", "qris-amount", "change",
        "thanks", "welcome", "facility-name", "card-price"}
COLORS = {"booth": "white", "tagline": PRIMARY_SOFT, "facility": MUTED, "qty": MUTED,
          "earlier": MUTED, "count": "white", "total-caption": "white", "total": "white",
          "caption": MUTED, "nmid": MUTED, "note": MUTED, "change": SUCCESS, "thanks": PRIMARY,
          "about": MUTED, "where": MUTED, "facility-name": PRIMARY_DARK, "card-price": PRIMARY}


def sheet(unit: float) -> str:
    """The display's style sheet for a window whose height unit (1/100) is ``unit`` px."""
    rules = [f"QWidget#customer-display {{ background: {BG}; }}",
             f'QFrame[d="header"] {{ background: {PRIMARY}; }}',
             f'QFrame[d="total-band"] {{ background: {PRIMARY_DARK}; border-radius: 14px; }}',
             f'QFrame[d="row"] {{ background: white; border: 1px solid {BORDER}; '
             f'border-radius: 10px; min-height: {round(ROW_UNITS * unit)}px; '
             f'max-height: {round(ROW_UNITS * unit)}px; }}',
             f'QFrame[d="row"][fresh="true"] {{ background: {PRIMARY_SOFT}; '
             f'border: 2px solid {PRIMARY}; }}',
             f'QFrame[d="card"] {{ background: white; border: 1px solid {BORDER}; '
             'border-radius: 12px; }']
    for name, size in SIZES.items():
        weight = "700" if name in BOLD else "400"
        color = COLORS.get(name, TEXT)
        rules.append(f'QLabel[d="{name}"] {{ font-size: {max(11, round(size * unit))}px; '
                     f'font-weight: {weight}; color: {color}; background: transparent; '
                     'border: none; }')
    return "\n".join(rules)


class CustomerDisplay(QWidget):
    def __init__(self, booth_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setObjectName("customer-display")
        self.setWindowTitle(_("Customer display — Lapak POS"))
        self.unit = 0.0

        header = QFrame(self)
        header.setProperty("d", "header")
        self.booth = label(header, "booth", booth_name)
        self.tagline = label(header, "tagline", align=Qt.AlignmentFlag.AlignRight)
        row = QHBoxLayout(header)
        row.setContentsMargins(28, 10, 28, 10)
        row.addWidget(self.booth, 1)
        row.addWidget(self.tagline)

        self.pages = QStackedWidget(self)
        self.showcase = ShowcasePage(self.pages)
        self.cart = CartPage(self.pages)
        self.qris = QrisPage(self.pages)
        self.finish = FinishPage(self.pages)
        for page in (self.showcase, self.cart, self.qris, self.finish):  # IDLE, CART, ...
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.pages, 1)

        self.lines: tuple[DisplayLine, ...] = ()
        self.finish_timer = QTimer(self)
        self.finish_timer.setSingleShot(True)
        self.finish_timer.setInterval(FINISH_MS)
        self.finish_timer.timeout.connect(lambda: self.go(IDLE))
        self.go(IDLE)
        self.resize(800, 480)

    # -- what is on show ---------------------------------------------------------------
    def page(self) -> int:
        return self.pages.currentIndex()

    def go(self, page: int) -> None:
        if page != FINISH:
            self.finish_timer.stop()
        self.pages.setCurrentIndex(page)
        self.tagline.setText({IDLE: _("Welcome"), CART: _("Your purchase"),
                              QRIS: _("QRIS payment"), FINISH: ""}[page])
        if page == IDLE:
            self.showcase.start()
        else:
            self.showcase.stop()

    def set_booth(self, name: str) -> None:
        self.booth.setText(name)

    def set_showcase(self, facilities: list[ShowcaseFacility]) -> None:
        self.showcase.set_facilities(facilities)

    # -- the feed's signals (connected by DisplayFeed.connect_view) ---------------------
    def cart_changed(self, lines: tuple[DisplayLine, ...], total: int) -> None:
        self.lines = lines
        if lines:
            self.cart.show_lines(lines, total)
            self.go(CART)

    def idle(self) -> None:
        """The cart is empty: the showcase, unless the last sale's thank-you is on show."""
        if self.page() != FINISH:
            self.go(IDLE)

    def qris_shown(self, offer: QrisOffer, modules: list[list[bool]]) -> None:
        self.qris.show_offer(offer, modules)
        self.go(QRIS)

    def qris_hidden(self) -> None:
        if self.page() == QRIS:
            self.go(CART if self.lines else IDLE)

    def paid(self, change: int) -> None:
        self.finish.set_change(change)
        self.go(FINISH)
        self.finish_timer.start()

    def done(self, facilities: tuple[str, ...]) -> None:
        self.finish.set_facilities(facilities)
        self.go(FINISH)
        self.finish_timer.start()

    # -- size ----------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        size = event.size()
        unit = min(size.height(), size.width() * 9 / 16) / 100
        if abs(unit - self.unit) >= 0.05:
            self.unit = unit
            self.setStyleSheet(sheet(unit))
        super().resizeEvent(event)
