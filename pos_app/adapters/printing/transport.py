"""Getting a receipt onto paper (or into a PDF) through a printer URI, within a deadline.

Every failure becomes a ``DomainError`` with a printer code (refused, timeout, disconnected,
access denied, busy, not found, offline, unsupported); nothing else escapes. A job that
outlives its deadline is abandoned in its thread and reported as a timeout, so a hung
driver can never hold the caller.

After the bytes, a network printer must have taken them all (TCP: acknowledged; one that
stops reading is a timeout). Then the printer is asked whether it is online (DLE EOT 1):
many print servers and some printers never answer. One known to answer must (offline or
silent: a failure); one known to stay silent is not asked; one not known yet gets a short
wait (:data:`PROBE_SECONDS`) and its silence is no failure: :class:`Delivery` says whether
it answered, so the caller can remember it.
"""

from __future__ import annotations

import errno
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pos_app.adapters.printing.escpos_receipt import PaperWidth, draw, receipt_bytes
from pos_app.adapters.printing.uri import PrinterTarget
from pos_app.domain.errors import DomainError
from pos_app.domain.receipt import Element

RT_STATUS_ONLINE = 1  # DLE EOT 1
OFFLINE_BIT = 0x08
STATUS_SCHEMES = ("tcp", "usb", "serial")  # the transports that can read an answer
PROBE_SECONDS = 2.0  # how long a printer not known to answer gets (a real one takes ms)


@dataclass(frozen=True)
class Delivery:
    """Where a job went and what the printer said: ``answered`` True (online), False (all
    bytes taken, no answer to the status query) or None (not asked: not a printer that can
    answer, ``?status=0``, or known to stay silent)."""

    destination: str
    answered: bool | None = None


def _open(target: PrinterTarget, width: PaperWidth, timeout: float):
    """The python-escpos printer object for ``target`` (not yet connected)."""
    from escpos import printer as escpos_printer

    if target.scheme == "tcp":
        return escpos_printer.Network(target.host, port=target.port, timeout=timeout,
                                      profile=width.profile)
    if target.scheme == "usb":
        return escpos_printer.Usb(target.vendor_id, target.product_id,
                                  timeout=int(timeout * 1000), profile=width.profile)
    if target.scheme == "serial":
        return escpos_printer.Serial(devfile=target.path, baudrate=target.baudrate,
                                     timeout=timeout, profile=width.profile)
    if target.scheme == "file":
        return escpos_printer.File(devfile=target.path, profile=width.profile)
    if target.scheme == "win32":
        if sys.platform != "win32":
            raise DomainError("printer_unsupported", target=target.label,
                              reason="Windows only")
        return escpos_printer.Win32Raw(target.name, profile=width.profile)
    raise DomainError("printer_bad_uri", uri=target.uri)


def _unacknowledged(printer) -> int | None:
    """Bytes a network printer has not taken yet (Linux: TIOCOUTQ), None when unknown."""
    sock = getattr(printer, "_device", None)
    if not isinstance(sock, socket.socket):
        return None
    try:
        import fcntl
        import termios

        return struct.unpack("i", fcntl.ioctl(sock, termios.TIOCOUTQ, b"\0\0\0\0"))[0]
    except (ImportError, OSError, AttributeError, ValueError):
        return None


def _wait_taken(printer, target: PrinterTarget, deadline: float, timeout: float) -> None:
    """Until the printer has taken every byte; one that stops reading is a timeout."""
    while _unacknowledged(printer):
        if time.monotonic() >= deadline:
            raise DomainError("printer_timeout", target=target.label, seconds=f"{timeout:g}")
        time.sleep(0.01)


def _set_read_timeout(printer, seconds: float) -> None:
    device = getattr(printer, "_device", None)
    if isinstance(device, socket.socket):
        device.settimeout(seconds)
    elif device is not None and hasattr(device, "timeout") and not callable(device.timeout):
        try:  # a pyserial port
            device.timeout = seconds
        except (AttributeError, ValueError, TypeError):
            pass


def _ask_online(printer, target: PrinterTarget, timeout: float) -> bool:
    """Ask the printer whether it is online; a write that 'succeeded' proves nothing. True:
    online; False: no answer from a printer not known to answer. Raises when it says
    offline, or when a printer known to answer does not."""
    _set_read_timeout(printer, timeout if target.answers else min(timeout, PROBE_SECONDS))
    try:
        status = printer.query_status(bytes([0x10, 0x04, RT_STATUS_ONLINE]))
    except Exception as exc:  # noqa: BLE001 - a read timeout is the silence itself
        if target.answers or translate_error(exc, target, timeout).code != "printer_timeout":
            raise
        status = b""
    if not status:
        if target.answers:
            raise DomainError("printer_disconnected", target=target.label)
        return False
    if status[0] & OFFLINE_BIT:
        raise DomainError("printer_offline", target=target.label)
    return True


def _escpos_job(target: PrinterTarget, elements: list[Element], width: PaperWidth,
                timeout: float, drawer: bool) -> bool | None:
    """Print; returns whether the printer answered the status query (None: not asked)."""
    started = time.monotonic()
    if target.scheme == "cups":
        data = receipt_bytes(elements, width.mm, drawer=drawer)
        try:
            subprocess.run(["lp", "-d", target.name, "-o", "raw"], input=data, check=True,
                           capture_output=True, timeout=timeout)
        except FileNotFoundError:
            raise DomainError("printer_unsupported", target=target.label,
                              reason="CUPS (lp) is not installed") from None
        except subprocess.CalledProcessError as exc:
            reason = exc.stderr.decode(errors="replace").strip() or f"lp exit {exc.returncode}"
            raise DomainError("printer_failed", target=target.label, reason=reason) from None
        return None
    printer = _open(target, width, timeout)
    try:
        draw(printer, elements, width, drawer=drawer)
        _wait_taken(printer, target, started + timeout, timeout)
        if target.check_status and target.scheme in STATUS_SCHEMES and \
                target.answers is not False:
            return _ask_online(printer, target, timeout)
        return None
    finally:
        try:
            printer.close()
        except Exception:  # noqa: BLE001 - closing a broken device must not mask the cause
            pass


def translate_error(exc: BaseException, target: PrinterTarget, timeout: float) -> DomainError:
    """Map transport exceptions (socket, USB, serial, escpos) to a printer error code."""
    if isinstance(exc, DomainError):
        return exc
    name = type(exc).__name__
    text = str(exc)
    lowered = text.lower()
    code_no = getattr(exc, "errno", None) or getattr(exc, "backend_error_code", None)
    if isinstance(exc, socket.timeout | TimeoutError) or "timed out" in lowered or \
            code_no in (errno.ETIMEDOUT, 110):
        return DomainError("printer_timeout", target=target.label, seconds=f"{timeout:g}")
    if isinstance(exc, ConnectionRefusedError) or "refused" in lowered:
        return DomainError("printer_refused", target=target.label)
    if isinstance(exc, BrokenPipeError | ConnectionResetError | ConnectionAbortedError) or \
            code_no in (errno.EPIPE, errno.ECONNRESET) or "no such device" in lowered:
        return DomainError("printer_disconnected", target=target.label)
    if isinstance(exc, PermissionError) or code_no == errno.EACCES or "access denied" in lowered:
        return DomainError("printer_access_denied", target=target.label)
    if code_no == errno.EBUSY or "busy" in lowered:
        return DomainError("printer_busy", target=target.label)
    if name in ("DeviceNotFoundError", "USBNotFoundError", "FileNotFoundError",
                "NoBackendError") or "not found" in lowered or code_no == errno.ENOENT:
        if name == "NoBackendError":
            return DomainError("printer_unsupported", target=target.label,
                               reason="libusb is not installed")
        if "refused" in lowered:
            return DomainError("printer_refused", target=target.label)
        return DomainError("printer_not_found", target=target.label)
    if isinstance(exc, ImportError):
        return DomainError("printer_unsupported", target=target.label, reason=text)
    return DomainError("printer_failed", target=target.label, reason=f"{name}: {text}"[:200])


def run_with_deadline(job: Callable[[], object], target: PrinterTarget, timeout: float):
    """Run ``job`` in a daemon thread; give up (as a timeout) when ``timeout`` passes.
    Returns what the job returned."""
    outcome: list[BaseException | None] = []
    result: list[object] = []

    def runner() -> None:
        try:
            result.append(job())
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - everything is reported, nothing escapes
            outcome.append(exc)

    thread = threading.Thread(target=runner, name=f"print {target.label}", daemon=True)
    thread.start()
    thread.join(timeout + 0.5)  # the transport's own timeout should fire first
    if thread.is_alive():
        raise DomainError("printer_timeout", target=target.label, seconds=f"{timeout:g}")
    if outcome and outcome[0] is not None:
        raise translate_error(outcome[0], target, timeout)
    return result[0] if result else None


def send(target: PrinterTarget, elements: list[Element], width: PaperWidth, *,
         timeout: float = 8.0, drawer: bool = False, document_name: str = "receipt",
         pdf: Callable[[Path], None] | None = None) -> str:
    """Print or save one receipt; returns where it went. Raises ``DomainError`` on failure."""
    return deliver(target, elements, width, timeout=timeout, drawer=drawer,
                   document_name=document_name, pdf=pdf).destination


def deliver(target: PrinterTarget, elements: list[Element], width: PaperWidth, *,
            timeout: float = 8.0, drawer: bool = False, document_name: str = "receipt",
            pdf: Callable[[Path], None] | None = None) -> Delivery:
    """Print or save one receipt: where it went and whether the printer answered its status
    query. Raises ``DomainError`` on failure."""
    if target.scheme == "pdf":
        folder = Path(target.path)
        out = folder / f"{document_name}.pdf"

        def save() -> None:
            folder.mkdir(parents=True, exist_ok=True)
            if pdf is None:
                raise DomainError("printer_unsupported", target=target.label, reason="PDF")
            tmp = out.with_suffix(".pdf.part")
            pdf(tmp)
            tmp.replace(out)

        run_with_deadline(save, target, timeout)
        return Delivery(str(out))
    answered = run_with_deadline(lambda: _escpos_job(target, elements, width, timeout, drawer),
                                 target, timeout)
    return Delivery(target.label, answered)


def kick_drawer(target: PrinterTarget, width: PaperWidth, *, timeout: float = 8.0) -> str:
    """Send only the drawer pulse (ESC p, pin 2) through ``target``; returns where it went.
    Raises ``DomainError`` on failure, within the same deadline as a receipt."""
    if target.scheme == "pdf":
        raise DomainError("printer_unsupported", target=target.label, reason="PDF")

    def job() -> None:
        if target.scheme == "cups":
            from escpos.printer import Dummy

            dummy = Dummy(profile=width.profile)
            dummy.cashdraw(2)
            try:
                subprocess.run(["lp", "-d", target.name, "-o", "raw"], input=dummy.output,
                               check=True, capture_output=True, timeout=timeout)
            except FileNotFoundError:
                raise DomainError("printer_unsupported", target=target.label,
                                  reason="CUPS (lp) is not installed") from None
            except subprocess.CalledProcessError as exc:
                reason = (exc.stderr.decode(errors="replace").strip()
                          or f"lp exit {exc.returncode}")
                raise DomainError("printer_failed", target=target.label,
                                  reason=reason) from None
            return
        printer = _open(target, width, timeout)
        try:
            printer.cashdraw(2)
        finally:
            try:
                printer.close()
            except Exception:  # noqa: BLE001 - closing a broken device must not mask the cause
                pass

    run_with_deadline(job, target, timeout)
    return target.label
