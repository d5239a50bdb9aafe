"""Printer addresses as URIs: ``usb://VID:PID``, ``serial:///dev/ttyUSB0?baudrate=9600``,
``tcp://HOST:9100``, ``file:///dev/usb/lp0``, ``cups://QUEUE``, ``win32://NAME``, ``pdf://DIR``.

Options (query): ``baudrate`` (serial, default 9600); ``status`` (tcp, usb, serial) says
whether to ask the printer its status (DLE EOT) after a job: ``status=0`` (or ``off``,
``no``) never asks, ``status=1`` (or ``on``, ``yes``) insists on an answer (no answer is a
failure); without it the app asks and learns whether the printer answers at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from pos_app.domain.errors import DomainError

SCHEMES = ("usb", "serial", "tcp", "file", "cups", "win32", "pdf")


@dataclass(frozen=True)
class PrinterTarget:
    uri: str
    scheme: str
    host: str | None = None
    port: int | None = None
    vendor_id: int | None = None
    product_id: int | None = None
    path: str | None = None  # serial/file device, pdf directory
    baudrate: int = 9600
    name: str | None = None  # cups queue, windows printer name
    check_status: bool = True  # ask the printer (DLE EOT) whether the job landed
    answers: bool | None = None  # does it answer that question? None: not known (yet)

    @property
    def label(self) -> str:
        """How the printer is named in messages."""
        if self.scheme == "tcp":
            return f"{self.host}:{self.port}"
        if self.scheme == "usb":
            return f"USB {self.vendor_id:04x}:{self.product_id:04x}"
        return self.name or self.path or self.uri


OPTIONS = ("baudrate", "status")
STATUS_OFF, STATUS_ON = ("0", "off", "no"), ("1", "on", "yes")


def parse_printer_uri(uri: str) -> PrinterTarget:
    """The printer ``uri`` names; ``printer_bad_uri`` when it names none this app can reach,
    ``printer_bad_option`` for an option value it does not know (``?status=maybe``)."""
    text = uri.strip()
    try:
        parts = urlsplit(text)  # ValueError for a broken address such as tcp://[::1
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    except ValueError:
        raise DomainError("printer_bad_uri", uri=uri) from None
    scheme = parts.scheme.lower()
    for option in query:
        if option not in OPTIONS:  # a typo such as ?stauts=0 must not pass unseen
            raise DomainError("printer_unknown_option", uri=uri, option=option,
                              known=", ".join(OPTIONS))
    asked = query.get("status", "").strip().lower()
    if "status" in query and asked not in STATUS_OFF + STATUS_ON:
        raise DomainError("printer_bad_option", uri=uri, option="status", value=query["status"],
                          choices=", ".join(STATUS_OFF + STATUS_ON))
    status = asked not in STATUS_OFF
    answers = True if asked in STATUS_ON else None
    try:
        if scheme == "tcp":
            if not parts.hostname:
                raise ValueError("host")
            return PrinterTarget(text, scheme, host=parts.hostname, port=parts.port or 9100,
                                 check_status=status, answers=answers)
        if scheme == "usb":
            vid, pid = (int(part, 16) for part in parts.netloc.split(":"))
            if not (0 <= vid <= 0xFFFF and 0 <= pid <= 0xFFFF):
                raise ValueError("usb id")
            return PrinterTarget(text, scheme, vendor_id=vid, product_id=pid,
                                 check_status=status, answers=answers)
        if scheme == "serial":
            device = unquote(parts.netloc + parts.path)  # /dev/ttyUSB0, or COM3 on Windows
            if not device:
                raise ValueError("device")
            return PrinterTarget(text, scheme, path=device,
                                 baudrate=int(query.get("baudrate", "9600")),
                                 check_status=status, answers=answers)
        if scheme in ("file", "pdf"):
            path = unquote(parts.netloc + parts.path)
            if not path:
                raise ValueError("path")
            return PrinterTarget(text, scheme, path=path, check_status=False)
        if scheme in ("cups", "win32"):
            name = unquote(parts.netloc + parts.path).strip("/")
            if not name:
                raise ValueError("name")
            return PrinterTarget(text, scheme, name=name, check_status=False)
    except ValueError:
        pass
    raise DomainError("printer_bad_uri", uri=uri)
