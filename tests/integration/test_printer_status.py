"""Printers that do not answer the status query (DLE EOT 1). A printer that took every byte and
stays silent is no failure: the job is "sent" (its own state, stored as printed with the code
``sent``), the next print is a COPY, and nothing reprints by itself. The test print finds out
whether a printer answers and remembers it per URI: a printer known to stay silent is not
asked again (no wait on the sale path), one known to answer must answer (offline or silent
is an error). A printer that stops reading is a clear timeout, never a hang.
Printers are emulated on 127.0.0.1 (tests/integration/fake_printer.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

import pytest

from pos_app.domain.tenders import Method, Tender
from pos_app.services.sale.printing import (
    PrinterConfig,
    known_answers,
    print_receipt,
)
from pos_app.services.sale.printing import (
    test_print as printer_test_print,
)
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import ShiftRow
from tests.integration.fake_printer import STATUS_QUERY, FakePrinter
from tests.integration.test_printer_faults import expected_bytes, print_jobs, sell

TIMEOUT = 3.0  # seconds: a silent printer not known yet gets PROBE_SECONDS (2 s) of it


@pytest.fixture
def printers() -> Iterator[Callable[[str], FakePrinter]]:
    started: list[FakePrinter] = []

    def start(mode: str) -> FakePrinter:
        started.append(FakePrinter(mode))
        return started[-1]

    yield start
    for p in started:
        p.close()


@pytest.fixture
def sale(booth: Booth, till_shift: ShiftRow):
    return sell(booth, till_shift, (("KOP-001", 2), ("TEN-001", 1)),
                Tender(Method.CASH, 1_000_000))


def jobs(booth: Booth) -> list[tuple]:
    return [(j["document_kind"], j["status"], j["error_code"], j["copy"])
            for j in print_jobs(booth.db.path)]


def test_a_printer_that_answers_is_learnt_and_prints(booth: Booth, sale, printers) -> None:
    ok = printers("ok")
    test = printer_test_print(booth, PrinterConfig(ok.uri, 58, TIMEOUT))
    assert (test.printed, test.sent, test.state, test.error) == (True, False, "printed", None)
    assert known_answers(booth, ok.uri) is True
    assert json.loads(booth.settings().printer_status) == {ok.uri: True}
    done = print_receipt(booth, sale.number, PrinterConfig(ok.uri, 58, TIMEOUT))
    assert (done.state, done.copy) == ("printed", False)
    conns = ok.wait_closed(2)
    assert [c.status_queries for c in conns] == [1, 1]
    assert jobs(booth) == [("test", "printed", None, 0), ("receipt", "printed", None, 0)]


def test_a_silent_printer_is_sent_not_failed_and_never_waited_for_again(
        booth: Booth, sale, printers) -> None:
    silent = printers("silent")
    config = PrinterConfig(silent.uri, 58, TIMEOUT)
    test = printer_test_print(booth, config)
    # every byte went; no answer is no failure, and it is remembered
    assert (test.printed, test.sent, test.state, test.error) == (True, True, "sent", None)
    assert known_answers(booth, silent.uri) is False

    started = time.monotonic()
    done = print_receipt(booth, sale.number, config)
    took = time.monotonic() - started
    assert (done.printed, done.state, done.error, done.copy) == (True, "sent", None, False)
    assert took < 1.5, took  # known silent: not asked, no wait for an answer
    test_conn, receipt_conn = silent.wait_closed(2)
    assert test_conn.status_queries == 1  # the test print asked
    assert receipt_conn.status_queries == 0  # the receipt did not
    assert bytes(receipt_conn.data) == expected_bytes(booth, sale.id, copy=False)
    # the history shows it sent (stored printed + code "sent"), exactly one receipt job:
    # nothing reprinted it by itself; a reprint asked for is a COPY
    assert jobs(booth) == [("test", "printed", "sent", 0), ("receipt", "printed", "sent", 0)]
    again = print_receipt(booth, sale.number, config)
    assert (again.state, again.copy) == ("sent", True)


def test_a_silent_printer_not_known_yet_is_sent_and_learnt(booth: Booth, sale,
                                                           printers) -> None:
    silent = printers("silent")
    done = print_receipt(booth, sale.number, PrinterConfig(silent.uri, 58, TIMEOUT))
    assert (done.printed, done.state, done.error) == (True, "sent", None)
    (conn,) = silent.wait_closed(1)
    assert conn.receipt == expected_bytes(booth, sale.id, copy=False)
    assert conn.status_queries == 1
    assert known_answers(booth, silent.uri) is False
    assert jobs(booth) == [("receipt", "printed", "sent", 0)]


def test_a_printer_known_to_answer_that_says_offline_fails(booth: Booth, sale,
                                                            printers) -> None:
    offline = printers("offline")
    config = PrinterConfig(offline.uri, 58, TIMEOUT)
    test = printer_test_print(booth, config)
    assert (test.printed, test.state, test.error.code) == (False, "failed", "printer_offline")
    assert known_answers(booth, offline.uri) is True  # it answered: offline
    done = print_receipt(booth, sale.number, config)
    assert (done.printed, done.state, done.error.code) == (False, "failed", "printer_offline")
    assert [c.status_queries for c in offline.wait_closed(2)] == [1, 1]
    assert jobs(booth) == [("test", "failed", "printer_offline", 0),
                           ("receipt", "failed", "printer_offline", 0)]


def test_a_printer_known_to_answer_that_falls_silent_fails(booth: Booth, sale,
                                                           printers) -> None:
    silent = printers("silent")
    done = print_receipt(booth, sale.number,
                         PrinterConfig(silent.uri + "?status=1", 58, 1.0))
    assert (done.printed, done.state) == (False, "failed")
    assert done.error.code in ("printer_timeout", "printer_disconnected")
    assert jobs(booth) == [("receipt", "failed", done.error.code, 0)]


def test_status_0_never_asks(booth: Booth, sale, printers) -> None:
    ok = printers("ok")
    done = print_receipt(booth, sale.number, PrinterConfig(ok.uri + "?status=0", 58, TIMEOUT))
    assert (done.state, done.error) == ("sent", None)
    (conn,) = ok.wait_closed(1)
    assert STATUS_QUERY not in bytes(conn.data) and conn.status_queries == 0


def test_a_stalled_printer_times_out_clearly(booth: Booth, sale, printers) -> None:
    stall = printers("stall")
    started = time.monotonic()
    done = print_receipt(booth, sale.number, PrinterConfig(stall.uri, 58, 1.0))
    took = time.monotonic() - started
    assert (done.printed, done.state, done.error.code) == (False, "failed", "printer_timeout")
    assert took < 3.0, took
    assert known_answers(booth, stall.uri) is None  # nothing learnt from a hung printer
    assert jobs(booth) == [("receipt", "failed", "printer_timeout", 0)]
