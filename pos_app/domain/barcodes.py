"""Barcodes for price tags: which symbology a product's label carries, and in-store EAN-13
numbers for goods that arrive without one.

A product with a valid EAN-13 prints as EAN-13. Any other barcode (EAN-8, UPC-A) and a
product with none (handmade goods) print as Code 128 of that code or of the SKU, which the
scanner reads back and the till finds by barcode or by SKU.

New in-store numbers use the GS1 restricted-circulation prefix 2 (never issued to a brand):
``2 1 DDDD NNNNNN C`` — ``DDDD`` from the device, ``NNNNNN`` a per-device counter, ``C`` the
check digit, so two booths never mint the same number.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from stdnum import ean

IN_STORE_PREFIX = "21"


@dataclass(frozen=True)
class LabelCode:
    symbology: str  # "ean13" | "code128"
    value: str


def is_ean13(code: str | None) -> bool:
    return bool(code) and len(code) == 13 and code.isdigit() and ean.is_valid(code)


def label_code(sku: str, barcode: str | None) -> LabelCode:
    """What a product's price tag encodes."""
    if is_ean13(barcode):
        return LabelCode("ean13", barcode)
    return LabelCode("code128", barcode or sku)


def device_block(device_id_hex: str) -> str:
    """Four digits that tell devices apart in in-store numbers."""
    return f"{zlib.crc32(device_id_hex.encode()) % 10_000:04d}"


def in_store_ean13(device_id_hex: str, counter: int) -> str:
    """The ``counter``-th in-store EAN-13 of a device (``counter`` from 1 to 999,999)."""
    if not 1 <= counter <= 999_999:
        raise ValueError("in-store barcode counter out of range")
    body = f"{IN_STORE_PREFIX}{device_block(device_id_hex)}{counter:06d}"
    return body + ean.calc_check_digit(body)
