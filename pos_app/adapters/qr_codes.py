"""QR codes in and out: reading the text of a QR code in a photo or scan (zxing-cpp through
Pillow), and a QR code's module matrix and PNG (qrcode) for the payment dialog, the customer
display and ``pos-app qris payload --png``.

A photo that Pillow cannot open, one too large to decode safely, or one with no QR code in
it gives an empty list; the caller says so in one line."""

from __future__ import annotations

from pathlib import Path

__all__ = ["MAX_IMAGE_BYTES", "matrix", "read_texts", "write_png"]

MAX_IMAGE_BYTES = 30 * 1024 * 1024  # a phone photo is a few MB
MAX_PIXELS = 60_000_000  # Pillow's own bomb check refuses beyond ~179M; a sticker needs far less


def read_texts(path: Path) -> list[str]:
    """The texts of the QR codes found in the image at ``path`` (none: none found, or not
    an image). ``OSError`` when the file cannot be read at all."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    if Path(path).stat().st_size > MAX_IMAGE_BYTES:
        return []
    try:
        with Image.open(path) as img:
            if img.width * img.height > MAX_PIXELS:
                return []
            img.load()
            rgb = img.convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError, SyntaxError, ValueError):
        return []
    found = zxingcpp.read_barcodes(rgb, formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in found if code.valid and code.text]


def matrix(text: str, *, border: int = 2) -> list[list[bool]]:
    """The QR code of ``text`` as rows of dark (True) modules, quiet zone included."""
    import qrcode

    code = qrcode.QRCode(border=border, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def write_png(text: str, out: Path, *, scale: int = 8) -> Path:
    """The QR code of ``text`` as a black-on-white PNG at ``out`` (``scale`` px a module)."""
    from PIL import Image

    rows = matrix(text, border=4)
    size = len(rows)
    img = Image.new("1", (size, size), 1)
    img.putdata([0 if dark else 1 for row in rows for dark in row])
    img = img.resize((size * scale, size * scale), Image.Resampling.NEAREST)
    img.save(out, format="PNG")
    return out
