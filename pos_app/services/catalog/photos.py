"""Product photos: one picture per product, kept once as a small thumbnail named by its
content hash (``photo`` table; ``product.image`` holds the hash), shown on the sale grid's
tiles and on the customer display.

A photo comes from the catalog import (:mod:`pos_app.services.catalog.import_photos`), from
the stock screen or from ``pos-app catalog photo SKU FILE`` (:func:`set_photo`). Setting one
is a change of the product, like a new price: a coordinator's, at a new revision, journaled
(``product.photo``) and sent to head office with the catalog, the photo itself with it
(:mod:`pos_app.services.sync.sync_photos`).

For the screens (the customer display included) there are plain reads: :func:`thumbnail`
(one picture's bytes), :func:`thumbnails` (many, for a page of tiles) and
:func:`products_with_photos` (what to show between customers).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from pos_app.adapters.photo_image import MAX_FILE_BYTES, Thumbnail, make_thumbnail
from pos_app.domain.errors import N_, DomainError, Message, cannot_read
from pos_app.persistence.local import Photo
from pos_app.persistence.models import Facility, Product
from pos_app.services.access import audit, roles
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder

HASH_LENGTH = 64
NOT_A_FILE = Message(N_("it is not a regular file"))


@dataclass(frozen=True)
class PhotoSet:
    """What :func:`set_photo` did: the product, the photo's hash and size, and whether the
    product changed (``False``: it already had this photo; nothing was written)."""

    sku: str
    name: str
    photo: str
    width: int
    height: int
    kind: str
    changed: bool


@dataclass(frozen=True)
class PhotoProduct:
    """An active product that has a photo, for the customer display between customers."""

    product_id: uuid.UUID
    sku: str
    name: str
    price: int
    facility_id: uuid.UUID
    facility_code: str
    facility_name: str
    photo: str  # the hash: thumbnail(booth, photo) gives the picture


def read_photo_file(path: Path | str) -> bytes:
    """A photo file's bytes; a file over the size limit is refused before it is read, and an
    unreadable one (missing, a folder, no permission) in one line."""
    path = Path(path)
    try:
        if path.exists() and not path.is_file():  # a pipe or a device would never end
            raise DomainError("import_unreadable", path=str(path), reason=NOT_A_FILE)
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        if isinstance(exc, ValueError):
            raise DomainError("import_unreadable", path=repr(str(path))[1:-1],
                              reason=NOT_A_FILE) from None
        raise cannot_read(path, exc) from None
    if len(data) > MAX_FILE_BYTES:
        raise DomainError("photo_too_big", path=str(path), max=MAX_FILE_BYTES // 2**20)
    return data


def source_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def known_source(conn: Connection, source: str) -> str | None:
    """The hash of the thumbnail already made from the file whose SHA-256 is ``source``."""
    return conn.execute(select(Photo.hash).where(Photo.source_sha256 == source)
                        .limit(1)).scalar()


def store(conn: Connection, thumb: Thumbnail, now: datetime, source: str | None = None,
          sent: datetime | None = None) -> bool:
    """Keep ``thumb`` (once: a thumbnail already there is left as it is); True when it is
    new here."""
    return conn.execute(sqlite_insert(Photo).values(
        hash=thumb.hash, data=thumb.data, kind=thumb.kind, width=thumb.width,
        height=thumb.height, source_sha256=source, created_at=now, sent_at=sent,
    ).on_conflict_do_nothing(index_elements=["hash"])).rowcount == 1


def _product(conn: Connection, code: str):
    code = (code or "").strip()
    found = conn.execute(select(Product.id, Product.sku, Product.name, Product.image,
                                Product.revision).where(Product.sku == code.upper())).first()
    if found is None and code:
        found = conn.execute(select(Product.id, Product.sku, Product.name, Product.image,
                                    Product.revision).where(Product.barcode == code)).first()
    if found is None:
        raise DomainError("unknown_product", ref=code)
    return found


def set_photo(booth: Booth, code: str, path: Path | str, *, actor: str,
              actor_role: str) -> PhotoSet:
    """Give the product ``code`` (its SKU or barcode) the photo in the file ``path``.

    A coordinator's job. The file is read and shrunk before the write transaction (a bad
    picture is refused with one ``DomainError`` and nothing is written); the same file
    given again is not shrunk again, and the same picture is stored once."""
    roles.require(actor_role, "product_photo", actor)
    data = read_photo_file(path)
    source = source_hash(data)
    with booth.db.read() as s:
        _product(s.connection(), code)  # an unknown product before the picture is decoded
        known = known_source(s.connection(), source)
        kept = s.get(Photo, known) if known else None
        thumb = Thumbnail(kept.data, kept.kind, kept.width, kept.height) if kept else None
    if thumb is None:
        thumb = make_thumbnail(data, str(path))
    with booth.db.write_connection() as conn:
        product = _product(conn, code)
        now = booth.clock.now()
        store(conn, thumb, now, source)
        digest = thumb.hash
        changed = product.image != digest
        if changed:
            rec = Recorder(conn, booth.context.device_id, now)
            conn.execute(update(Product).where(Product.id == product.id).values(
                image=digest, revision=product.revision + 1, updated_at=now))
            rec.queue(Product, product.id)
            audit.append(rec, actor, "product.photo", "product", product.id, {
                "sku": product.sku, "photo": digest, "was": product.image,
                "file": Path(path).name[:120]})
    return PhotoSet(product.sku, product.name, digest, thumb.width, thumb.height, thumb.kind,
                    changed)


def thumbnail(booth: Booth, key: uuid.UUID | str) -> bytes | None:
    """The thumbnail (JPEG or PNG bytes, at most 256 px a side) of a product, by the
    product's id (a ``uuid.UUID``) or by the photo's hash (64 hex digits, what
    ``ProductRow.image`` and :attr:`PhotoProduct.photo` hold); None when the product has no
    photo, or the photo has not reached this booth yet (a text tile is shown instead).
    Reads the database: call it off the GUI thread (an op)."""
    with booth.db.read() as s:
        if isinstance(key, uuid.UUID):
            key = s.execute(select(Product.image).where(Product.id == key)).scalar()
        if not isinstance(key, str) or len(key) != HASH_LENGTH:
            return None
        return s.execute(select(Photo.data).where(Photo.hash == key)).scalar()


def thumbnails(booth: Booth, hashes: list[str]) -> dict[str, bytes]:
    """The thumbnails of ``hashes`` this booth has, by hash (one read; a page of tiles)."""
    wanted = sorted({h for h in hashes if isinstance(h, str) and len(h) == HASH_LENGTH})
    out: dict[str, bytes] = {}
    with booth.db.read() as s:
        for k in range(0, len(wanted), 500):
            out.update((h, d) for h, d in s.execute(
                select(Photo.hash, Photo.data).where(Photo.hash.in_(wanted[k:k + 500]))))
    return out


def products_with_photos(booth: Booth, limit: int = 200,
                         facility_id: uuid.UUID | None = None) -> list[PhotoProduct]:
    """Active products whose photo this booth has, by facility then product name (at most
    ``limit``; of one facility when ``facility_id`` is given): what the customer display
    shows between customers, each with the facility that made it. Reads the database: call
    it off the GUI thread."""
    q = (select(Product.id, Product.sku, Product.name, Product.price, Facility.id,
                Facility.code, Facility.name, Product.image)
         .join(Facility, Facility.id == Product.facility_id)
         .join(Photo, Photo.hash == Product.image)
         .where(Product.active.is_(True)))
    if facility_id is not None:
        q = q.where(Product.facility_id == facility_id)
    with booth.db.read() as s:
        return [PhotoProduct(*row) for row in s.execute(
            q.order_by(Facility.name, Product.name).limit(max(0, limit)))]


def photo_count(booth: Booth) -> int:
    """How many photos this booth keeps."""
    with booth.db.read() as s:
        return s.execute(select(func.count()).select_from(Photo)).scalar_one()


__all__ = ["PhotoProduct", "PhotoSet", "known_source", "photo_count", "products_with_photos",
           "read_photo_file", "set_photo", "source_hash", "store", "thumbnail", "thumbnails"]
