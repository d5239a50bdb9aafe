"""A dead, stalled, offline or vanishing printer never touches the sale, never hangs the caller,
and every attempt is recorded; the retry prints the very bytes the Dummy renders, and a second
print is a COPY. Printers are emulated on 127.0.0.1 (tests/integration/fake_printer.py)."""

from __future__ import annotations

import contextlib
import errno
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from escpos.exceptions import DeviceNotFoundError

from pos_app.adapters.printing.escpos_receipt import receipt_bytes
from pos_app.adapters.printing.transport import run_with_deadline, translate_error
from pos_app.adapters.printing.uri import parse_printer_uri
from pos_app.domain.errors import DomainError
from pos_app.domain.receipt import receipt_elements
from pos_app.domain.tenders import Method, Tender
from pos_app.i18n import load
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.printing import PrinterConfig, print_receipt, what_to_check
from pos_app.services.sale.receipts import receipt_for
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import ShiftRow
from tests.integration.fake_printer import STATUS_QUERY, FakePrinter, refused_port

SALE_TABLES = {
    "sale": "SELECT * FROM sale", "sale_line": "SELECT * FROM sale_line",
    "payment": "SELECT * FROM payment", "stock_movement": "SELECT * FROM stock_movement",
    # the sale number counter; the 'record' sequence moves with every print_job row
    "counter": "SELECT * FROM counter WHERE name != 'record'",
}
TIMEOUT = 1.0
DRAWER = b"\x1bp"


def snapshot(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as con:
        return {t: sorted(con.execute(sql).fetchall(), key=repr)
                for t, sql in SALE_TABLES.items()}


def print_jobs(path: Path) -> list[sqlite3.Row]:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        return con.execute("SELECT * FROM print_job ORDER BY rowid").fetchall()
    finally:
        con.close()


def sell(booth: Booth, till_shift: ShiftRow, items: tuple[tuple[str, int], ...], *tenders: Tender):
    """A till sale into the open shift ``till``."""
    return checkout(booth, SaleRequest(items=tuple(SaleItem(q, sku=s) for s, q in items),
                                       tenders=tenders, shift_id=till_shift.id))


@pytest.fixture
def sale(booth: Booth, till_shift: ShiftRow):
    """KPG-01-000001: three lines, QRIS 300.000 + cash 300.000, total Rp569.950."""
    result = sell(booth, till_shift, (("KOP-001", 2), ("MAK-003", 1), ("TEN-001", 1)),
                  Tender(Method.QRIS, 300_000, "QR-1"), Tender(Method.CASH, 300_000))
    assert (result.number, result.total) == ("KPG-01-000001", 569_950)
    return result


@pytest.fixture
def printers() -> Iterator[Callable[[str], FakePrinter]]:
    started: list[FakePrinter] = []

    def start(mode: str) -> FakePrinter:
        started.append(FakePrinter(mode))
        return started[-1]

    yield start
    for p in started:
        p.close()


def expected_bytes(booth: Booth, sale_id: uuid.UUID, copy: bool, width: int = 58,
                   translate=lambda s: s, drawer: bool = False) -> bytes:
    doc = receipt_for(booth, sale_id, copy, translate)
    return receipt_bytes(receipt_elements(doc, translate), width, drawer=drawer)


def fault_uri(mode: str, printers, stack) -> str:
    if mode == "refuse":
        return f"tcp://127.0.0.1:{stack.enter_context(refused_port())}"
    return printers(mode).uri


UNREACHABLE = ("printer_unreachable", "The receipt printer does not answer. Check that it is "
               "switched on and that its cable (USB or network) is plugged in")


@pytest.mark.parametrize(("mode", "code", "message", "plain"), [
    ("refuse", "printer_refused", "The printer at {t} refused the connection", UNREACHABLE),
    ("stall", "printer_timeout", "The printer at {t} did not answer within 1 s", UNREACHABLE),
    ("drop", "printer_disconnected", "The printer at {t} was disconnected while printing",
     UNREACHABLE),
    ("offline", "printer_offline",
     "The printer {t} is offline (out of paper or cover open)",
     ("printer_not_ready", "The receipt printer is not ready. Check that it has paper and "
      "that its cover is closed")),
])
def test_fault_is_recorded_sale_untouched_then_retry_prints(
        booth: Booth, sale, printers, mode: str, code: str, message: str,
        plain: tuple[str, str]) -> None:
    path = booth.db.path
    before = snapshot(path)
    assert [len(before[t]) for t in SALE_TABLES] == [1, 3, 2, 89 + 3, 1]

    with contextlib.ExitStack() as stack:
        uri = fault_uri(mode, printers, stack)
        target = uri.removeprefix("tcp://")
        outcome = print_receipt(booth, sale.number, PrinterConfig(uri, 58, TIMEOUT))

    assert outcome.printed is False
    assert outcome.error is not None and outcome.error.code == code
    assert outcome.error.message() == message.format(t=target)
    cause = what_to_check(outcome.error)  # what the cashier reads: what to check
    assert (cause.code, cause.message()) == plain
    assert (outcome.number, outcome.document_id, outcome.copy) == (sale.number, sale.id, False)
    assert outcome.destination == uri
    assert snapshot(path) == before
    jobs = print_jobs(path)
    assert len(jobs) == 1
    job = jobs[0]
    assert job["id"] == outcome.job_id.hex
    assert (job["document_kind"], job["document_id"], job["printer"], job["copy"],
            job["status"], job["error_code"], job["error"]) == (
        "receipt", sale.id.hex, uri, 0, "failed", code, message.format(t=target))

    # Retry on a working printer: the first successful print is the original, not a copy.
    ok = printers("ok")
    retry = print_receipt(booth, sale.number, PrinterConfig(ok.uri, 58, TIMEOUT))
    assert (retry.printed, retry.copy, retry.error, retry.destination) == (
        True, False, None, f"127.0.0.1:{ok.port}")
    (conn,) = ok.wait_closed(1)
    assert conn.receipt == expected_bytes(booth, sale.id, copy=False)
    assert bytes(conn.data) == conn.receipt + STATUS_QUERY
    assert conn.status_queries == 1
    assert b"COPY" not in conn.receipt
    assert snapshot(path) == before
    jobs = print_jobs(path)
    assert [(j["status"], j["copy"], j["error_code"]) for j in jobs] == [
        ("failed", 0, code), ("printed", 0, None)]


def test_second_print_is_a_copy(booth: Booth, sale, printers) -> None:
    ok = printers("ok")
    config = PrinterConfig(ok.uri, 80, TIMEOUT)
    first = print_receipt(booth, sale.number, config)
    second = print_receipt(booth, sale.number, config)
    assert (first.printed, first.copy, second.printed, second.copy) == (True, False, True, True)
    a, b = ok.wait_closed(2)
    assert a.receipt == expected_bytes(booth, sale.id, copy=False, width=80)
    assert b.receipt == expected_bytes(booth, sale.id, copy=True, width=80)
    assert b"COPY\n" not in a.receipt
    assert b.receipt.count(b"COPY\n") == 1
    assert [(j["status"], j["copy"]) for j in print_jobs(booth.db.path)] == [
        ("printed", 0), ("printed", 1)]


def test_copy_in_indonesian_says_salinan(booth: Booth, sale, printers) -> None:
    ok = printers("ok")
    indonesian = load("id").gettext
    assert indonesian("COPY") == "SALINAN"
    config = PrinterConfig(ok.uri, 58, TIMEOUT)
    print_receipt(booth, sale.number, config, translate=indonesian)
    again = print_receipt(booth, sale.number, config, translate=indonesian)
    assert again.copy is True
    a, b = ok.wait_closed(2)
    assert b"SALINAN" not in a.receipt
    assert b.receipt.count(b"SALINAN\n") == 1
    assert b"COPY" not in b.receipt
    assert b.receipt == expected_bytes(booth, sale.id, True, translate=indonesian)


def test_failed_prints_do_not_make_the_next_one_a_copy(booth: Booth, sale, printers) -> None:
    offline = printers("offline")
    for _ in range(2):
        assert print_receipt(booth, sale.number,
                             PrinterConfig(offline.uri, 58, TIMEOUT)).printed is False
    ok = printers("ok")
    assert print_receipt(booth, sale.number, PrinterConfig(ok.uri, 58, TIMEOUT)).copy is False
    assert [(j["status"], j["copy"]) for j in print_jobs(booth.db.path)] == [
        ("failed", 0), ("failed", 0), ("printed", 0)]


def test_drawer_opens_on_first_print_of_a_cash_sale_only(booth: Booth, till_shift: ShiftRow,
                                                         printers) -> None:
    cash = sell(booth, till_shift, (("KOP-001", 1),), Tender(Method.CASH, 100_000))
    qris = sell(booth, till_shift, (("KOP-002", 1),), Tender(Method.QRIS, 45_000, "QR-7"))
    ok = printers("ok")
    config = PrinterConfig(ok.uri, 58, TIMEOUT, drawer=True)
    assert print_receipt(booth, cash.number, config).printed
    assert print_receipt(booth, cash.number, config).copy  # re-print: no drawer
    assert print_receipt(booth, qris.number, config).printed
    first, reprint, qris_print = ok.wait_closed(3)
    assert first.receipt.count(DRAWER) == 1
    assert first.receipt.startswith(b"\x1b@\x1bp\x00\x32\x32")
    assert first.receipt == expected_bytes(booth, cash.id, False, drawer=True)
    assert DRAWER not in reprint.receipt
    assert DRAWER not in qris_print.receipt
    assert qris_print.receipt == expected_bytes(booth, qris.id, False)


def test_drawer_stays_shut_when_disabled(booth: Booth, till_shift: ShiftRow, printers) -> None:
    cash = sell(booth, till_shift, (("KOP-001", 1),), Tender(Method.CASH, 100_000))
    ok = printers("ok")
    assert print_receipt(booth, cash.number, PrinterConfig(ok.uri, 58, TIMEOUT)).printed
    (conn,) = ok.wait_closed(1)
    assert DRAWER not in conn.receipt


# --- transport: exception mapping and the deadline ---

TARGET = parse_printer_uri("usb://0416:5011")


class USBError(OSError):
    """Shaped like pyusb's usb.core.USBError (errno + backend_error_code)."""

    def __init__(self, text: str, error_code: int | None = None, errno_: int | None = None):
        super().__init__(errno_, text)
        self.backend_error_code = error_code


@pytest.mark.parametrize(("exc", "code"), [
    (PermissionError("Access denied"), "printer_access_denied"),
    (USBError("Access denied (insufficient permissions)", -3, errno.EACCES),
     "printer_access_denied"),
    (OSError(errno.EBUSY, "Resource busy"), "printer_busy"),
    (USBError("Resource busy", -6, errno.EBUSY), "printer_busy"),
    (DeviceNotFoundError("Unable to open USB printer on (1046, 20497)"), "printer_not_found"),
    (TimeoutError("timed out"), "printer_timeout"),  # socket.timeout is TimeoutError
    (TimeoutError(), "printer_timeout"),
    (USBError("Operation timed out", -7, errno.ETIMEDOUT), "printer_timeout"),
    (BrokenPipeError(errno.EPIPE, "Broken pipe"), "printer_disconnected"),
    (ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"),
     "printer_disconnected"),
    (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), "printer_refused"),
    (DeviceNotFoundError("Could not open socket for 10.0.0.9:\n[Errno 111] Connection refused"),
     "printer_refused"),
    (ValueError("weird"), "printer_failed"),
])
def test_translate_error(exc: BaseException, code: str) -> None:
    err = translate_error(exc, TARGET, 8.0)
    assert isinstance(err, DomainError)
    assert err.code == code
    assert err.params["target"] == "USB 0416:5011"


def test_translate_error_keeps_the_reason_of_an_unknown_failure() -> None:
    err = translate_error(ValueError("weird"), TARGET, 8.0)
    assert err.message() == "Printing on USB 0416:5011 failed: ValueError: weird"
    same = DomainError("printer_offline", target="x")
    assert translate_error(same, TARGET, 8.0) is same


def test_run_with_deadline_abandons_a_hung_job() -> None:
    """The caller gets printer_timeout while the hung job is still running (no clock read:
    the job only ends when the test releases it)."""
    release, ended = threading.Event(), threading.Event()

    def hung() -> None:
        release.wait(30)
        ended.set()

    with pytest.raises(DomainError) as info:
        run_with_deadline(hung, TARGET, 0.3)
    assert info.value.code == "printer_timeout"
    assert not ended.is_set()  # the caller did not wait for the job
    release.set()
    assert ended.wait(5)


def test_run_with_deadline_translates_and_passes() -> None:
    run_with_deadline(lambda: None, TARGET, 1.0)  # no exception

    def busy() -> None:
        raise OSError(errno.EBUSY, "Resource busy")

    with pytest.raises(DomainError) as info:
        run_with_deadline(busy, TARGET, 1.0)
    assert info.value.code == "printer_busy"
