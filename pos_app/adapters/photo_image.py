"""Product photos as pictures (Pillow): whatever photo a coordinator or a catalog file gives is
checked and shrunk once into the small thumbnail the booth keeps, and a thumbnail that comes
from elsewhere (head office, a bundle) is checked again before the booth keeps it.

A thumbnail is at most :data:`THUMB_SIDE` pixels on its longest side, turned upright by its
EXIF orientation, without any of the original's metadata (no camera, no GPS), encoded as
JPEG, or as PNG when it has transparency. The same picture always gives the same bytes, so
its SHA-256 names it (:attr:`Thumbnail.hash`) and it is stored once however often it is used.

Refused, each with one :class:`~pos_app.domain.errors.DomainError` and nothing decoded past
the header: a file over :data:`MAX_FILE_BYTES`, anything Pillow does not read as one of
:data:`FORMATS`, a picture over :data:`MAX_PIXELS` (a decompression bomb: a 30000x30000 PNG
of a few kilobytes), and a damaged or cut file.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from pos_app.domain.errors import DomainError

THUMB_SIDE = 256  # px, the longest side of a kept thumbnail
MAX_FILE_BYTES = 20 * 2**20  # a photo file larger than this is refused before it is read
MAX_PIXELS = 64_000_000  # 64 megapixels: any camera's photo, no decompression bomb
MAX_THUMB_BYTES = 256 * 1024  # a kept thumbnail (and central's limit on one)
FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP")
KINDS = ("jpeg", "png")
JPEG_QUALITY = 84


@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    kind: str  # "jpeg" | "png"
    width: int
    height: int

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _open(data: bytes, name: str):
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise DomainError("photo_too_many_pixels", path=name,
                              max=MAX_PIXELS // 1_000_000) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise DomainError("photo_not_image", path=name) from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise DomainError("photo_too_many_pixels", path=name, max=MAX_PIXELS // 1_000_000)
    return image


def _encode(image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "png":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _transparent(image) -> bool:
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        alpha = image.convert("RGBA").getchannel("A")
        return alpha.getextrema()[0] < 255
    return False


def make_thumbnail(data: bytes, name: str) -> Thumbnail:
    """The thumbnail of the picture ``data`` (``name``: the file, for the messages)."""
    from PIL import Image, ImageOps

    if len(data) > MAX_FILE_BYTES:
        raise DomainError("photo_too_big", path=name, max=MAX_FILE_BYTES // 2**20)
    image = _open(data, name)
    try:
        if image.format == "JPEG":  # decode at a fraction of the size: much faster
            image.draft("RGB", (THUMB_SIDE * 2, THUMB_SIDE * 2))
        image.load()
        image = ImageOps.exif_transpose(image)
        clear = _transparent(image)
        image = image.convert("RGBA" if clear else "RGB")
        image.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS, reducing_gap=2.0)
    except (OSError, ValueError, SyntaxError, EOFError):  # cut short, bad data, bad EXIF
        raise DomainError("photo_damaged", path=name) from None
    kind = "png" if clear else "jpeg"
    out = _encode(image, kind)
    if len(out) > MAX_THUMB_BYTES:  # a noisy picture with transparency: flatten it
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        kind, out, image = "jpeg", _encode(flat, "jpeg"), flat
    return Thumbnail(out, kind, image.width, image.height)


def checked_thumbnail(data: bytes, kind: str, width: int, height: int) -> Thumbnail | None:
    """``data`` as a thumbnail this booth would have made itself (the format ``kind``, the
    size given, at most :data:`THUMB_SIDE` and :data:`MAX_THUMB_BYTES`, fully decodable),
    else None: what came from elsewhere is shown only when it is what it says."""
    from PIL import Image, UnidentifiedImageError

    if kind not in KINDS or not isinstance(data, bytes) or len(data) > MAX_THUMB_BYTES \
            or not (0 < width <= THUMB_SIDE and 0 < height <= THUMB_SIDE):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=(kind.upper(),))
            if image.size != (width, height):
                return None
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
            Image.DecompressionBombWarning, Image.DecompressionBombError):
        return None
    return Thumbnail(data, kind, width, height)


__all__ = ["FORMATS", "KINDS", "MAX_FILE_BYTES", "MAX_PIXELS", "MAX_THUMB_BYTES", "THUMB_SIDE",
           "Thumbnail", "checked_thumbnail", "make_thumbnail"]
