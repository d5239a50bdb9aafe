"""Getting a receipt onto paper (or into a PDF) through a printer URI, within a deadline.

Every failure becomes a ``DomainError`` with a printer code (refused, timeout, disconnected,
access denied, busy, not found, offline, unsupported); nothing else escapes. A job that
outlives its deadline is abandoned in its thread and reported as a timeout, so a hung
driver can never hold the caller.
"""

from __future__ import annotations

import errno
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from pos_app.adapters.printing.escpos_receipt import PaperWidth, draw, receipt_bytes
from pos_app.adapters.printing.uri import PrinterTarget
from pos_app.domain.errors import DomainError
from pos_app.domain.receipt import Element

RT_STATUS_ONLINE = 1  # DLE EOT 1
OFFLINE_BIT = 0x08


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


def _check_online(printer, target: PrinterTarget, timeout: float) -> None:
    """Ask the printer whether it is online; a write that 'succeeded' proves nothing."""
    status = printer.query_status(bytes([0x10, 0x04, RT_STATUS_ONLINE]))
    if not status:
        raise DomainError("printer_disconnected", target=target.label)
    if status[0] & OFFLINE_BIT:
        raise DomainError("printer_offline", target=target.label)


def _escpos_job(target: PrinterTarget, elements: list[Element], width: PaperWidth,
                timeout: float, drawer: bool) -> None:
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
        return
    printer = _open(target, width, timeout)
    try:
        draw(printer, elements, width, drawer=drawer)
        if target.check_status and target.scheme in ("tcp", "usb", "serial"):
            _check_online(printer, target, timeout)
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


def run_with_deadline(job: Callable[[], None], target: PrinterTarget, timeout: float) -> None:
    """Run ``job`` in a daemon thread; give up (as a timeout) when ``timeout`` passes."""
    outcome: list[BaseException | None] = []

    def runner() -> None:
        try:
            job()
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


def send(target: PrinterTarget, elements: list[Element], width: PaperWidth, *,
         timeout: float = 8.0, drawer: bool = False, document_name: str = "receipt",
         pdf: Callable[[Path], None] | None = None) -> str:
    """Print or save one receipt; returns where it went. Raises ``DomainError`` on failure."""
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
        return str(out)
    run_with_deadline(lambda: _escpos_job(target, elements, width, timeout, drawer), target,
                      timeout)
    return target.label


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
