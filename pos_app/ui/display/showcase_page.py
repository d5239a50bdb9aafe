"""Between customers: the facilities whose goods the booth sells, one at a time, each with its
coordinator's short text and some of its products (a photo when the catalog has one, else a
text card), turning to the next every few seconds while nobody is buying."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import format_rupiah
from pos_app.i18n import _, ngettext
from pos_app.services.catalog.showcase import ShowcaseFacility, ShowcaseProduct
from pos_app.ui.display.sale_pages import label

TURN_MS = 9_000  # each facility's time on the screen
COLUMNS, CARDS = 3, 6


class PhotoLabel(QLabel):
    """A product's photo, as large as its place in the card allows. The picture does not
    size the place (the card's layout does): it is scaled to the label whenever the label
    is resized, so a photo shown while the card's layout was still settling is not left at
    that passing size."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.source: QPixmap | None = None

    def set_source(self, pixmap: QPixmap | None) -> None:
        self.source = pixmap
        self.fit()

    def fit(self) -> None:
        if self.source is None:
            self.clear()
        elif self.width() > 0 and self.height() > 0:
            self.setPixmap(self.source.scaled(
                self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.fit()


class ProductCard(QFrame):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setProperty("d", "card")
        self.photo = PhotoLabel(self)
        self.name = label(self, "card-name", align=Qt.AlignmentFlag.AlignHCenter)
        self.name.setWordWrap(True)
        self.price = label(self, "card-price", align=Qt.AlignmentFlag.AlignHCenter)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(10, 10, 10, 10)
        self.box.setSpacing(4)
        self.box.addStretch(1)  # a text card: the name and price in the middle
        self.box.addWidget(self.photo)
        self.box.addWidget(self.name)
        self.box.addWidget(self.price)
        self.box.addStretch(1)
        self.pixmap: QPixmap | None = None

    def show_product(self, product: ShowcaseProduct) -> None:
        self.name.setText(product.name)
        self.price.setText(format_rupiah(product.price))
        self.pixmap = None
        if product.photo:
            pixmap = QPixmap()
            if pixmap.loadFromData(product.photo):
                self.pixmap = pixmap
        pictured = self.pixmap is not None
        self.photo.setVisible(pictured)
        for index, stretch in ((0, 0 if pictured else 1), (1, 1 if pictured else 0),
                               (4, 0 if pictured else 1)):
            self.box.setStretch(index, stretch)
        self.photo.set_source(self.pixmap)


class ShowcasePage(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.facilities: list[ShowcaseFacility] = []
        self.index = 0
        self.welcome = label(self, "welcome", _("Welcome!"), align=Qt.AlignmentFlag.AlignHCenter)
        self.about = label(self, "about", _("Goods made by the inmates (WBP) of the correctional "
                                            "facilities of East Nusa Tenggara"),
                           align=Qt.AlignmentFlag.AlignHCenter)
        self.about.setWordWrap(True)

        self.where = label(self, "where")
        self.facility = label(self, "facility-name")
        self.facility.setWordWrap(True)
        self.text = label(self, "facility-text")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.more = label(self, "where")
        self.step = label(self, "where", align=Qt.AlignmentFlag.AlignRight)
        side = QVBoxLayout()
        side.setSpacing(8)
        side.addWidget(self.where)
        side.addWidget(self.facility)
        side.addSpacing(6)
        side.addWidget(self.text, 1)
        side.addWidget(self.more)
        side.addWidget(self.step)

        self.cards = [ProductCard(self) for _ in range(CARDS)]
        grid = QGridLayout()
        grid.setSpacing(12)
        for i, card in enumerate(self.cards):
            grid.addWidget(card, i // COLUMNS, i % COLUMNS)
        self.body = QWidget(self)
        row = QHBoxLayout(self.body)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(28)
        row.addLayout(side, 4)
        row.addLayout(grid, 6)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 18, 28, 18)
        layout.setSpacing(10)
        layout.addWidget(self.welcome)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.about)
        self.timer = QTimer(self)
        self.timer.setInterval(TURN_MS)
        self.timer.timeout.connect(self.turn)
        self.show_current()

    def set_facilities(self, facilities: list[ShowcaseFacility]) -> None:
        """What to show (read in an op): the facilities with goods, by name."""
        self.facilities = facilities
        self.index = 0 if self.index >= len(facilities) else self.index
        self.show_current()

    def start(self) -> None:
        """The page is on screen: turn every ``TURN_MS``."""
        if not self.timer.isActive():
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def turn(self) -> None:
        if len(self.facilities) > 1:
            self.index = (self.index + 1) % len(self.facilities)
            self.show_current()

    def show_current(self) -> None:
        has = bool(self.facilities)
        self.body.setVisible(has)
        self.welcome.setVisible(not has)
        if not has:
            return
        shown = self.facilities[self.index]
        self.where.setText(f"{shown.kind} · {shown.region}" if shown.region else shown.kind)
        self.facility.setText(shown.name)
        self.text.setText(shown.text or _("Every purchase supports the skills training of "
                                          "the inmates who made these goods."))
        rest = shown.product_count - len(shown.products)
        self.more.setText(ngettext("and {count} more product at this booth",
                                   "and {count} more products at this booth", rest).format(
            count=rest) if rest > 0 else "")
        self.more.setVisible(rest > 0)
        self.step.setText(f"{self.index + 1} / {len(self.facilities)}")
        for i, card in enumerate(self.cards):
            if i < len(shown.products):
                card.show_product(shown.products[i])
            card.setVisible(i < len(shown.products))
