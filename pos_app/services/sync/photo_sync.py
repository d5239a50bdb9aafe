"""Product photos between this booth and head office, with the catalog and never in the way
of the sales: by network in the catalog's turn of a sync (after every record went up), by
bundle as lines of their own beside the catalog changes.

**Up.** The photos a product here names that head office is not known to have
(``photo.sent_at`` empty) are first asked for by name (a picture another booth sent is not
sent again), then inserted, at most ``PUSH_BYTES`` per central transaction, each under a
savepoint: ``ON CONFLICT (hash) DO NOTHING``, and central's CHECK holds the name to the bytes
(central migration ``c0012``). Photos go up before the catalog versions naming them.

**Down.** After the catalog is pulled, the photos its products name that this booth lacks
are read ``PULL_BATCH`` at a time; each is kept only when its bytes have the SHA-256 it is
named by and are a thumbnail this booth would have made (``checked_thumbnail``). A photo
head office does not have yet is asked for again at the next sync; the tile shows text.

**Bundle.** An export carries, as ``photo`` lines, the photos of the product versions it
carries; head office's import verifies them with the rest and inserts them before the
catalog versions, exactly as a push does.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select, update

from pos_app.adapters.central import connection
from pos_app.adapters.photo_image import Thumbnail, checked_thumbnail
from pos_app.persistence.local import Photo
from pos_app.persistence.models import Product
from pos_app.services.catalog import photos
from pos_app.services.setup.booth import Booth

PHOTO_LINE = "photo"  # the table a bundle's photo line names
PUSH_BYTES = 4 << 20  # photo bytes per central transaction
PULL_BATCH = 100  # photos asked for at a time
LOOKUP = 500  # names asked about at a time
COLUMNS = ("hash", "data", "kind", "width", "height")
INSERT = ("INSERT INTO photo (hash, device_id, data, kind, width, height)"
          " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (hash) DO NOTHING RETURNING hash")


@dataclass
class PhotoResult:
    sent: int = 0  # photos head office got from this booth (new there)
    already: int = 0  # photos head office had already (from another booth)
    received: int = 0  # photos this booth got
    refused: list[tuple[str, str]] = field(default_factory=list)  # (hash, why)


def unsent(booth: Booth) -> list[str]:
    """The photos a product here names that head office is not known to have."""
    with booth.db.read() as s:
        return list(s.execute(select(Photo.hash).where(Photo.sent_at.is_(None))
                              .where(Photo.hash.in_(select(Product.image)
                                                    .where(Product.image.is_not(None))))
                              .order_by(Photo.hash)).scalars())


def _mark_sent(booth: Booth, hashes: list[str]) -> None:
    if hashes:
        with booth.db.write() as s:
            for k in range(0, len(hashes), LOOKUP):
                s.execute(update(Photo).where(Photo.hash.in_(hashes[k:k + LOOKUP]))
                          .values(sent_at=booth.clock.now()))


def insert_central(conn, device: uuid.UUID, rows: list[dict], result: PhotoResult) -> list[str]:
    """Insert ``rows`` (:data:`COLUMNS`) inside the caller's transaction, each under a
    savepoint (a refused one blocks nothing); returns the names head office now has."""
    there = []
    for row in rows:
        try:
            with conn.transaction():
                new = conn.execute(INSERT, (row["hash"], device, row["data"], row["kind"],
                                            row["width"], row["height"])).fetchone()
        except Exception as exc:  # noqa: BLE001 - sorted below
            if not connection.is_record_error(exc):
                raise
            result.refused.append((row["hash"], connection.first_line(exc)[:200]))
            continue
        result.sent += new is not None
        result.already += new is None
        there.append(row["hash"])
    return there


def push_photos(booth: Booth, conn, result: PhotoResult) -> None:
    """Send the photos head office lacks (``conn``: autocommit, as this device)."""
    wanted = unsent(booth)
    device = booth.context.device_id
    for k in range(0, len(wanted), LOOKUP):
        names = wanted[k:k + LOOKUP]
        known = {r[0] for r in conn.execute("SELECT hash FROM photo WHERE hash = ANY(%s)",
                                            (names,))}
        result.already += len(known)
        _mark_sent(booth, sorted(known))
        batch, size = [], 0
        for name in (n for n in names if n not in known):
            with booth.db.read() as s:
                kept = s.get(Photo, name)
            if kept is None:
                continue
            batch.append({c: getattr(kept, c) for c in COLUMNS})
            size += len(kept.data)
            if size >= PUSH_BYTES:
                _push(booth, conn, device, batch, result)
                batch, size = [], 0
        _push(booth, conn, device, batch, result)


def _push(booth: Booth, conn, device: uuid.UUID, batch: list[dict],
          result: PhotoResult) -> None:
    if batch:
        with conn.transaction():
            there = insert_central(conn, device, batch, result)
        _mark_sent(booth, there)  # after the central COMMIT


def missing(booth: Booth) -> list[str]:
    """The photos the products here name that this booth does not have."""
    with booth.db.read() as s:
        return list(s.execute(select(Product.image).distinct()
                              .outerjoin(Photo, Photo.hash == Product.image)
                              .where(Product.image.is_not(None), Photo.hash.is_(None))
                              .order_by(Product.image)).scalars())


def received(row) -> Thumbnail | None:
    """A photo from elsewhere as a thumbnail to keep, or None when it is not what its name
    says (other bytes) or not a thumbnail this booth would have made."""
    data = bytes(row["data"]) if isinstance(row["data"], bytes | memoryview) else None
    if data is None or hashlib.sha256(data).hexdigest() != row["hash"]:
        return None
    return checked_thumbnail(data, row["kind"], row["width"], row["height"])


def pull_photos(booth: Booth, conn, result: PhotoResult) -> None:
    """Fetch the photos this booth's products name and it lacks."""
    wanted = missing(booth)
    for k in range(0, len(wanted), PULL_BATCH):
        with connection.dict_cursor(conn) as cur:
            cur.execute(f"SELECT {', '.join(COLUMNS)} FROM photo WHERE hash = ANY(%s)",
                        (wanted[k:k + PULL_BATCH],))
            found = cur.fetchall()
        good = [thumb for thumb in map(received, found) if thumb is not None]
        result.refused += [(r["hash"], "not the picture its name says") for r in found
                           if r["hash"] not in {t.hash for t in good}]
        if good:
            with booth.db.write_connection() as local:
                now = booth.clock.now()
                result.received += sum(photos.store(local, thumb, now, sent=now)
                                       for thumb in good)


# --- the bundle --------------------------------------------------------------------------------

def bundle_lines(booth: Booth, catalog: list[tuple[str, int, dict]]) -> list[tuple]:
    """``catalog`` (a bundle's catalog lines) after a ``photo`` line for each photo its
    product versions name and this booth has."""
    names = sorted({row["payload"].get("image") for _name, _seq, row in catalog
                    if row["table_name"] == "product" and row["payload"].get("image")})
    lines = []
    with booth.db.read() as s:
        for k in range(0, len(names), LOOKUP):
            for kept in s.execute(select(Photo).where(Photo.hash.in_(names[k:k + LOOKUP]))
                                  .order_by(Photo.hash)).scalars():
                lines.append((PHOTO_LINE, None, {
                    "hash": kept.hash, "data": base64.b64encode(kept.data).decode("ascii"),
                    "kind": kept.kind, "width": kept.width, "height": kept.height}))
    return lines + catalog


def bundle_photo(rec: dict) -> dict:
    """A bundle's ``photo`` line as a row to insert (:data:`COLUMNS`); ValueError when it is
    not one, or not the picture its name says."""
    row = rec.get("row")
    if not isinstance(row, dict) or set(row) != set(COLUMNS) or rec.get("seq") is not None \
            or not all(type(row[k]) is int for k in ("width", "height")) \
            or not all(isinstance(row[k], str) for k in ("hash", "data", "kind")):
        raise ValueError("not a photo line")
    thumb = received({**row, "data": base64.b64decode(row["data"], validate=True)})
    if thumb is None:
        raise ValueError("not the picture its name says")
    return {"hash": thumb.hash, "data": thumb.data, "kind": thumb.kind, "width": thumb.width,
            "height": thumb.height}


__all__ = ["PHOTO_LINE", "PhotoResult", "bundle_lines", "bundle_photo", "insert_central",
           "missing", "pull_photos", "push_photos", "received", "unsent"]
