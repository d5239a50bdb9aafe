"""The product grid's Qt model: a list of plain ``ProductRow``s, fetched a page at a time,
and the photos of its products, decoded off the GUI thread and kept for the most recent
``PHOTO_CACHE`` pictures (never the whole catalog's: start-up decodes only what is shown)."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import (
    QAbstractListModel,
    QBuffer,
    QByteArray,
    QIODevice,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QImageReader

from pos_app.domain.money import format_rupiah
from pos_app.services.catalog import photos
from pos_app.services.catalog.catalog import ProductRow

PRICE_ROLE = Qt.ItemDataRole.UserRole + 1
FACILITY_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_ROLE = Qt.ItemDataRole.UserRole + 3
PHOTO_ROLE = Qt.ItemDataRole.UserRole + 4  # QImage; True: a photo not decoded yet; None
PHOTO_CACHE = 360  # decoded pictures kept (three pages; about 80 kB each)
PHOTO_SIZE = QSize(200, 100)  # decoded to cover a tile's photo box; drawn scaled to it


def decode_photos(booth, hashes: list[str]) -> dict[str, QImage]:
    """The pictures ``hashes`` name, read and decoded at about the size a tile shows them:
    runs in an op, off the GUI thread."""
    out = {}
    for digest, data in photos.thumbnails(booth, hashes).items():
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
        size = reader.size().scaled(PHOTO_SIZE, Qt.AspectRatioMode.KeepAspectRatioByExpanding)
        if size.isValid() and size.width() < reader.size().width():  # never larger
            reader.setScaledSize(size)
        image = reader.read()
        if not image.isNull():
            out[digest] = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    return out


Index = QModelIndex | QPersistentModelIndex


class ProductListModel(QAbstractListModel):
    """Rows come from ``services.catalog``; asking for more (scrolling down) emits
    :attr:`more_wanted` and the grid loads the next page in an op."""

    more_wanted = Signal()
    photos_wanted = Signal()  # a tile was drawn whose photo is not decoded: take_wanted()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[ProductRow] = []
        self._prices: list[str] = []  # formatted once per row, not once per paint
        self.has_more = False
        self._fetching = False
        self.photos_on = False  # the grid_photos setting, as the grid last read it
        self._photos: OrderedDict[str, QImage] = OrderedDict()
        self._asked: set[str] = set()  # photos asked for (decoded, on the way, or missing)
        self._queue: list[str] = []  # asked for since the grid last took them

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == PRICE_ROLE:
            return self._prices[index.row()]
        if role == FACILITY_ROLE:
            return row.facility_code
        if role == ROW_ROLE:
            return row
        if role == PHOTO_ROLE:
            if not self.photos_on or not row.image:
                return None
            found = self._photos.get(row.image)
            if found is None and row.image not in self._asked:
                self._asked.add(row.image)
                self._queue.append(row.image)
                self.photos_wanted.emit()
            return True if found is None else found
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{row.name}\n{self._prices[index.row()]} · {row.facility_name}"
        return None

    def row(self, i: int) -> ProductRow:
        return self._rows[i]

    def rows(self) -> list[ProductRow]:
        return list(self._rows)

    def set_rows(self, rows: list[ProductRow], has_more: bool) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._prices = [format_rupiah(r.price) for r in rows]
        self._asked, self._queue = set(self._photos), []  # a photo missing before: ask again
        self.has_more, self._fetching = has_more, False
        self.endResetModel()

    def append_rows(self, rows: list[ProductRow], has_more: bool) -> None:
        self._fetching = False
        self.has_more = has_more
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._prices.extend(format_rupiah(r.price) for r in rows)
        self.endInsertRows()

    def photo_mode(self) -> bool:
        """Photo tiles: the setting is on and a product shown has a photo."""
        return self.photos_on and any(r.image for r in self._rows)

    def wanted_photos(self, first: int = 0, last: int | None = None) -> list[str]:
        """The photos of rows ``first``..``last`` not asked for yet, now asked for (none when
        photos are off)."""
        if not self.photos_on:
            return []
        wanted = list(dict.fromkeys(r.image for r in self._rows[first:last]
                                    if r.image and r.image not in self._asked))
        self._asked.update(wanted)
        return wanted

    def take_wanted(self) -> list[str]:
        """The photos tiles asked for since the last call."""
        wanted, self._queue = self._queue, []
        return wanted

    def add_photos(self, images: dict[str, QImage]) -> None:
        """Decoded pictures: kept (the oldest go past ``PHOTO_CACHE``), their tiles redrawn."""
        for digest, image in images.items():
            self._photos[digest] = image
            self._photos.move_to_end(digest)
        while len(self._photos) > PHOTO_CACHE:
            self._asked.discard(self._photos.popitem(last=False)[0])  # asked again if drawn
        if images and self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1), [PHOTO_ROLE])

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802 - Qt override
        return not parent.isValid() and self.has_more and not self._fetching

    def fetchMore(self, parent: Index) -> None:  # noqa: N802 - Qt override
        if self.canFetchMore(parent):
            self._fetching = True
            self.more_wanted.emit()
