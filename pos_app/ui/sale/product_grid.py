"""The product grid: category buttons, a facility filter and a paged icon view of products.

It listens for catalog changes (a catalog pull, a product made on the spot) and re-reads its
categories, facilities and products, keeping what the cashier picked when it is still there.

With the ``grid_photos`` setting on, the tiles of products with a photo show it: the first
``FIRST_PHOTOS`` of a page are decoded (in the op after the page's, as part of showing it)
before the page counts as shown, the others when their tile is first drawn (on the
background worker, behind nothing of the sale's); none is read on the GUI thread.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QListView,
    QScrollArea,
    QScroller,
    QStyle,
    QStyleOptionComboBox,
    QVBoxLayout,
    QWidget,
)

from pos_app.i18n import _
from pos_app.services.catalog import catalog
from pos_app.services.catalog.catalog import CategoryRow, FacilityRow, ProductRow
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.changes import Change, Changes
from pos_app.ui.common.labels import ElidedLabel
from pos_app.ui.common.ops import OpFailure
from pos_app.ui.common.scanner import COMMANDS
from pos_app.ui.sale.product_model import ProductListModel, decode_photos
from pos_app.ui.sale.product_tile import MIN_TILE_WIDTH, PHOTO_TILE, TILE, ProductTileDelegate

CATEGORY_WIDTHS = (148, 200)  # px: the category column grows to its longest name, up to 200
PAGE = 120  # products per page; scrolling to the end loads the next one
SEARCH_LIMIT = 100
FIRST_PHOTOS = 24  # photos decoded before a page counts as shown: a laptop's screenful


def catalog_filters(booth) -> tuple[list[CategoryRow], list[FacilityRow]]:
    return catalog.categories(booth), catalog.facilities(booth)


class FacilityCombo(QComboBox):
    """The facility filter: as wide as the chosen facility's name where the header has room
    for it, down to its minimum (twelve characters) where it has not."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        text = QSize(self.fontMetrics().horizontalAdvance(self.currentText()) + 4,
                     hint.height())
        wanted = self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, text,
                                               self)
        return QSize(max(hint.width(), wanted.width()), hint.height())


class ProductView(QListView):
    """Big tiles; a tap, a click or Enter on the current tile chooses the product. Typing
    never moves the current tile (a later Enter would add the wrong product): the letters
    go to the search."""

    chosen = Signal(object)  # ProductRow
    typed = Signal(str)  # a printable key typed on the grid

    def __init__(self, model: ProductListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("productGrid")
        self.setModel(model)
        self.setItemDelegate(ProductTileDelegate(self))
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(60)
        self.setGridSize(TILE)
        self.setSpacing(0)
        self.setMouseTracking(True)
        self.setDragEnabled(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # no width jumps
        self.tile_height = TILE.height()
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.clicked.connect(self._choose)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_tiles()

    def _fit_tiles(self) -> None:
        """As many columns as fit, each stretched so the row fills the width exactly."""
        width = self.viewport().width() - 1
        columns = max(1, width // MIN_TILE_WIDTH)
        size = QSize(width // columns, self.tile_height)
        if size != self.gridSize():
            self.setGridSize(size)

    def set_photo_tiles(self, on: bool) -> None:
        """Taller tiles with room for a photo, or the plain ones."""
        height = (PHOTO_TILE if on else TILE).height()
        if height != self.tile_height:
            self.tile_height = height
            self._fit_tiles()

    def _choose(self, index: QModelIndex) -> None:
        if index.isValid():
            self.chosen.emit(self.model().row(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._choose(self.currentIndex())
            event.accept()
            return
        text = event.text()
        if len(text) == 1 and text.isprintable() and not event.modifiers() & COMMANDS:
            self.typed.emit(text)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 - Qt override
        """Off: the letters are the search box's."""


class ProductGrid(QWidget):
    """Shows one category (or all), optionally of one facility, or the results of a search."""

    product_chosen = Signal(object)  # ProductRow
    typed = Signal(str)  # letters typed while the grid had the focus
    page_loaded = Signal(int)  # how many products are now shown
    filter_changed = Signal()  # the cashier picked a category: any search is over

    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.loaded = False
        self._category: CategoryRow | None = None
        self._facility_id: uuid.UUID | None = None
        self._query = ""

        self.model = ProductListModel(self)
        self.model.more_wanted.connect(self._load_more)
        self._photo_timer = QTimer(self)  # the photos tiles asked for, fetched together
        self._photo_timer.setSingleShot(True)
        self._photo_timer.setInterval(0)
        self._photo_timer.timeout.connect(self._fetch_photos)
        self.model.photos_wanted.connect(self._photo_timer.start)
        self.view = ProductView(self.model, self)
        self.view.chosen.connect(self.product_chosen)
        self.view.typed.connect(self.typed)

        self._categories = QWidget()
        self._category_layout = QVBoxLayout(self._categories)
        self._category_layout.setContentsMargins(0, 0, 6, 0)
        self._category_layout.setSpacing(4)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._add_category_button(None, _("All products"))
        self._category_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(self._categories)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedWidth(CATEGORY_WIDTHS[0])
        self._category_scroll = scroll
        QScroller.grabGesture(scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)

        self.facility_combo = FacilityCombo(self)
        self.facility_combo.addItem(_("All facilities"), None)
        self.facility_combo.setToolTip(_("Show only the products of one facility"))
        self.facility_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.facility_combo.setMinimumContentsLength(12)
        self.facility_combo.currentIndexChanged.connect(self._facility_picked)
        self.facility_combo.currentIndexChanged.connect(self.facility_combo.updateGeometry)
        self.caption = ElidedLabel(_("All products"), self)
        self.caption.setProperty("role", "heading")

        header = QHBoxLayout()
        header.setContentsMargins(4, 0, 0, 0)
        header.addWidget(self.caption, 1)
        header.addWidget(self.facility_combo)
        right = QVBoxLayout()
        right.setSpacing(6)
        right.addLayout(header)
        right.addWidget(self.view, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(scroll)
        layout.addLayout(right, 1)
        app_ctx.changes.listen(self, {Change.CATALOG}, self.catalog_changed)
        app_ctx.changes.listen(self, {Change.SETTINGS}, self._settings_changed)

    # -- loading ---------------------------------------------------------------------------
    def start(self) -> None:
        """Load the category and facility lists and the first page, in ops."""
        self.app_ctx.ops.run(catalog_filters, self.app_ctx.booth, on_success=self._filters_loaded,
                             owner=self, key="grid-filters")
        self.reload()

    def catalog_changed(self, _changes: Changes | None = None) -> None:
        """The catalog changed under the grid: read the lists and the products again."""
        self.start()

    def _settings_changed(self, _changes: Changes | None = None) -> None:
        if self.loaded and self.app_ctx.settings.grid_photos != self.model.photos_on:
            self._with_photos()  # photos switched on or off: the same rows, other tiles

    def _filters_loaded(self, result: tuple[list[CategoryRow], list[FacilityRow]]) -> None:
        categories, facilities = result
        chosen = self._category.id if self._category else None
        shown = (chosen, self._facility_id)
        for button in self.category_buttons()[1:]:  # all but "All products"
            self._group.removeButton(button)
            button.deleteLater()
        self._category = next((r for r in categories if r.id == chosen), None)
        for row in categories:
            self._add_category_button(row, row.name)
        self.category_buttons()[0].setChecked(self._category is None)
        self._fit_categories()
        self.facility_combo.blockSignals(True)
        while self.facility_combo.count() > 1:  # all but "All facilities"
            self.facility_combo.removeItem(1)
        for f in facilities:
            self.facility_combo.addItem(f"{f.name} ({f.code})", f.id)
        ids = [self.facility_combo.itemData(i) for i in range(self.facility_combo.count())]
        self.facility_combo.setCurrentIndex(ids.index(self._facility_id)
                                            if self._facility_id in ids else 0)
        self._facility_id = self.facility_combo.currentData()
        self.facility_combo.blockSignals(False)
        if (self._category.id if self._category else None, self._facility_id) != shown:
            self.reload()  # what the cashier had picked is gone from the catalog

    def _add_category_button(self, row: CategoryRow | None, text: str) -> None:
        button = TouchButton(text.replace("&", "&&"), self._categories, role="category")
        button.setCheckable(True)
        button.setChecked(row is None or (self._category is not None
                                          and row.id == self._category.id))
        button.clicked.connect(lambda _checked=False, r=row: self.show_category(r))
        self._group.addButton(button)
        self._category_layout.insertWidget(self._category_layout.count() - 1, button)

    def _fit_categories(self) -> None:
        """Widen the category column to its longest name (up to a limit, past which a name is
        shortened with … and said whole in its tooltip), so no name is cut."""
        low, high = CATEGORY_WIDTHS
        spare = 6 + self._category_scroll.verticalScrollBar().sizeHint().width() + 4
        widest = 0
        for button in self.category_buttons():
            button.ensurePolished()
            widest = max(widest, button.sizeHint().width())
        width = max(low, min(high, widest + spare))
        self._category_scroll.setFixedWidth(width)
        for button in self.category_buttons():
            name = button.label().replace("&&", "&")
            room = width - spare - (button.sizeHint().width()
                                    - button.fontMetrics().horizontalAdvance(name))
            shown = button.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, room)
            if shown != name:
                button.setText(shown.replace("&", "&&"))
                button.setToolTip(name)

    def category_buttons(self) -> list[TouchButton]:
        return [b for b in self._group.buttons() if isinstance(b, TouchButton)]

    def reload(self) -> None:
        self.model.has_more = False  # no "next page" of the old list while the new one loads
        ops, booth = self.app_ctx.ops, self.app_ctx.booth
        if self._query:
            ops.run(catalog.search, booth, self._query, facility_id=self._facility_id,
                    limit=SEARCH_LIMIT, on_success=self._search_loaded, key="grid", owner=self)
        else:
            category_id = self._category.id if self._category else None
            ops.run(catalog.products, booth, category_id=category_id,
                    facility_id=self._facility_id, limit=PAGE, offset=0,
                    on_success=self._page_loaded, key="grid", owner=self)

    def _page_loaded(self, rows: list[ProductRow]) -> None:
        self.model.set_rows(rows, has_more=len(rows) == PAGE)
        self.caption.setText(self._category.name if self._category else _("All products"))
        self._with_photos()

    def _search_loaded(self, rows: list[ProductRow]) -> None:
        self.model.set_rows(rows, has_more=False)
        if rows:
            self.caption.setText(_("{count} found for “{query}”").format(
                count=len(rows), query=self._query))
        else:
            self.caption.setText(_("Nothing matches “{query}”").format(query=self._query))
        self._with_photos()

    def _with_photos(self) -> None:
        """Photo tiles or plain ones, as the setting and the rows say; the first photos are
        decoded before the page counts as shown (``page_loaded``)."""
        self.model.photos_on = self.app_ctx.settings.grid_photos
        self.view.set_photo_tiles(self.model.photo_mode())
        wanted = self.model.wanted_photos(0, FIRST_PHOTOS)
        if not wanted:
            self._shown()
            return
        self.app_ctx.ops.run(decode_photos, self.app_ctx.booth, wanted,
                             on_success=lambda images: (self.model.add_photos(images),
                                                        self._shown()),
                             on_error=lambda _failure: self._shown(), owner=self,
                             key="grid-first-photos")

    def _fetch_photos(self) -> None:
        wanted = self.model.take_wanted()
        if wanted:
            self.app_ctx.ops.run(decode_photos, self.app_ctx.booth, wanted,
                                 on_success=self.model.add_photos, on_error=lambda _f: None,
                                 owner=self, background=True)

    def _shown(self) -> None:
        self.loaded = True
        if self.model.rowCount():
            self.view.scrollToTop()
        self.page_loaded.emit(self.model.rowCount())

    def _load_more(self) -> None:
        category_id = self._category.id if self._category else None
        self.app_ctx.ops.run(
            catalog.products, self.app_ctx.booth, category_id=category_id,
            facility_id=self._facility_id, limit=PAGE, offset=self.model.rowCount(),
            on_success=self._more_loaded, on_error=self._more_failed, key="grid", owner=self)

    def _more_loaded(self, rows: list[ProductRow]) -> None:
        self.model.append_rows(rows, has_more=len(rows) == PAGE)
        self.view.set_photo_tiles(self.model.photo_mode())

    def _more_failed(self, failure: OpFailure) -> None:
        self.model.append_rows([], has_more=False)
        if self.app_ctx.ops.error_sink is not None:
            self.app_ctx.ops.error_sink(failure)

    # -- what the cashier picks -------------------------------------------------------------
    def show_category(self, row: CategoryRow | None) -> None:
        self._category, self._query = row, ""
        self.filter_changed.emit()
        self.reload()

    def show_all(self) -> None:
        """Every product again (after a sale): no search, no category, no facility."""
        if self._category is None and self._facility_id is None and not self._query:
            return
        self._category, self._query = None, ""
        self.category_buttons()[0].setChecked(True)
        self.facility_combo.blockSignals(True)
        self.facility_combo.setCurrentIndex(0)
        self.facility_combo.blockSignals(False)
        self._facility_id = None
        self.reload()

    def _facility_picked(self, _index: int) -> None:
        self._facility_id = self.facility_combo.currentData()
        self.reload()

    def search(self, text: str) -> None:
        """Show the products matching ``text``; an empty text goes back to the category."""
        text = text.strip()
        if text == self._query:
            return
        self._query = text
        self.reload()
