"""The photos of a catalog import: a ``photo`` (or ``foto``) column naming a picture file in
the catalog file's own folder, and pictures embedded in an XLSX, anchored on a product's row.

The checking pass of the import (:mod:`pos_app.services.catalog.catalog_import`) finds and
shrinks each picture once, keeping the thumbnails in the import's transaction (a rejected
import keeps none); the writing pass only looks their hashes up. A file named on many rows,
and a file this booth shrank before (by the SHA-256 of its bytes), is not shrunk again; the
same picture is stored once. A cell may name only a file in the catalog's folder or below
it: no ``..``, no absolute path, no link leading out. A blank cell leaves the product's
photo as it is; when a row has both, the named file wins over an embedded picture.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath

from sqlalchemy.engine import Connection

from pos_app.adapters.photo_image import MAX_FILE_BYTES, make_thumbnail
from pos_app.adapters.tabular import Sheet
from pos_app.adapters.xlsx_images import AnchoredImages, anchored_images
from pos_app.domain.errors import DomainError, RowError
from pos_app.services.catalog import photos

COLUMNS = ("photo", "foto")  # the column's name, in either language


def photo_column(sheet: Sheet) -> str | None:
    """The sheet's photo column (``photo`` or ``foto``), if it has one."""
    return next((c for c in COLUMNS if c in sheet.header), None)


def relative_name(text: str) -> PurePosixPath | None:
    """``text`` as a path inside the catalog's folder, or None when it would leave it (an
    absolute path, a drive, a ``..``); ``\\`` separates folders as ``/`` does."""
    text = text.strip()
    if "\x00" in text:  # no file name holds a NUL
        return None
    windows = PureWindowsPath(text)
    if not text or windows.drive or windows.root or text.startswith("/"):
        return None
    parts = [p for p in text.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return PurePosixPath(*parts)


@dataclass(frozen=True)
class Problem:
    code: str  # a row error code (domain/errors/texts.py ROW_MESSAGES)
    params: dict


class ImportPhotos:
    """The pictures one import uses, found and shrunk while it is checked; use it as a
    context manager around both passes (an XLSX stays open for its embedded pictures)."""

    def __init__(self, conn: Connection, path: Path, now: datetime) -> None:
        self.conn, self.now = conn, now
        self.folder = Path(path).resolve().parent
        self.path = Path(path)
        self.named: dict[str, str | Problem] = {}  # the cell's text -> hash, or its problem
        self.anchored: dict[tuple[str | None, int], str] = {}  # (sheet, row) -> hash
        self.sources: dict[str, str] = {}  # SHA-256 of a file read -> the thumbnail's hash
        self.made = 0  # thumbnails made and new to this booth
        self.images = AnchoredImages(None)
        self._stack = ExitStack()

    def __enter__(self) -> ImportPhotos:
        self.images = self._stack.enter_context(anchored_images(self.path))
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def sheet_has_photos(self, sheet: Sheet) -> bool:
        return photo_column(sheet) is not None or bool(self.images.of(sheet.name))

    # -- the checking pass ---------------------------------------------------------------
    def check(self, errors, sheet: Sheet, n: int, named: str) -> None:
        """Find and shrink the picture of row ``n`` (``named``: its photo cell); a problem is
        added to ``errors`` as a row error of the photo column."""
        if named.strip():
            found = self.named.get(named)
            if found is None:
                found = self.named[named] = self._from_file(named)
            if isinstance(found, Problem):
                errors.add(RowError(n, photo_column(sheet) or COLUMNS[0], found.code,
                                    sheet=sheet.name, value=named, **found.params))
            return
        part = self.images.of(sheet.name).get(n)
        if part is None:
            return
        found = self._from_bytes(lambda: self._embedded(part), part)
        if isinstance(found, Problem):
            errors.add(RowError(n, COLUMNS[0], found.code, sheet=sheet.name,
                                value=part.rsplit("/", 1)[-1], **found.params))
        else:
            self.anchored[(sheet.name, n)] = found

    def _from_file(self, named: str) -> str | Problem:
        name = relative_name(named)
        if name is None:
            return Problem("photo_path", {})
        target = self.folder.joinpath(*name.parts)
        try:
            real = target.resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return Problem("photo_missing", {})
        if not real.is_relative_to(self.folder):
            return Problem("photo_path", {})
        if not real.is_file():
            return Problem("photo_missing", {})
        return self._from_bytes(lambda: photos.read_photo_file(real), named)

    def _embedded(self, part: str) -> bytes:
        if self.images.size(part) > MAX_FILE_BYTES:
            raise DomainError("photo_too_big", path=part, max=MAX_FILE_BYTES // 2**20)
        data = self.images.read(part, MAX_FILE_BYTES)
        if len(data) > MAX_FILE_BYTES:
            raise DomainError("photo_too_big", path=part, max=MAX_FILE_BYTES // 2**20)
        return data

    def _from_bytes(self, read, name: str) -> str | Problem:
        try:
            data = read()
            source = photos.source_hash(data)
            digest = self.sources.get(source) or photos.known_source(self.conn, source)
            if digest is None:
                thumb = make_thumbnail(data, name)
                digest = thumb.hash
                self.made += photos.store(self.conn, thumb, self.now, source)
        except DomainError as exc:
            if exc.code.startswith("photo_"):
                return Problem(exc.code, {k: v for k, v in exc.params.items() if k == "max"})
            return Problem("photo_missing", {})  # unreadable: as good as not there
        self.sources[source] = digest
        return digest

    # -- the writing pass ----------------------------------------------------------------
    def hash_for(self, sheet: Sheet, n: int, named: str) -> str | None:
        """The photo row ``n`` gives its product (None: leave the product's photo as is)."""
        if named.strip():
            found = self.named.get(named)
            return found if isinstance(found, str) else None
        return self.anchored.get((sheet.name, n))


__all__ = ["COLUMNS", "ImportPhotos", "photo_column", "relative_name"]
