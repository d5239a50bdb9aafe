"""Per-device document numbers such as ``KPG-01-000123``: unique without a network."""

from __future__ import annotations

import re

from pos_app.domain.errors import DomainError

DEVICE_CODE = re.compile(r"^[A-Z0-9]{2,8}(?:-[A-Z0-9]{1,4})?$")
SALE_NUMBER = re.compile(r"^(?P<device>[A-Z0-9]{2,8}(?:-[A-Z0-9]{1,4})?)-(?P<seq>\d{6,})$")


def check_device_code(code: str) -> str:
    code = code.strip().upper()
    if not DEVICE_CODE.match(code):
        raise DomainError("bad_sale_number", number=code)
    return code


def sale_number(device_code: str, seq: int) -> str:
    """The ``seq``-th sale of a device; six digits, more when a device passes a million."""
    if seq < 1:
        raise ValueError("sale sequence starts at 1")
    return f"{device_code}-{seq:06d}"


def parse_sale_number(text: str) -> tuple[str, int]:
    match = SALE_NUMBER.match(text.strip().upper())
    if not match:
        raise DomainError("bad_sale_number", number=text)
    return match["device"], int(match["seq"])
