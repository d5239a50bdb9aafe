"""Printing after a sale never costs a sale: receipts print on their own thread, a stalled or
refusing printer leaves the sale screen ready for the next customer, and a failure is a
non-blocking warning with a one-click Reprint. Printers are tests/integration/fake_printer.py."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pos_app import i18n
from pos_app.domain.tenders import Method
from pos_app.persistence.models import Payment, Sale, SaleLine
from pos_app.services.sale.printing import remember_answers
from tests.gui.cashier import (
    Cashier,
    count,
    payments,
    print_jobs,
    sale_lines,
    sales,
    use_printer,
)
from tests.integration.fake_printer import FakePrinter, refused_port

KOPI_BAJAWA = "8994111000016"  # Rp85.000, Lapas Ende
SELENDANG_AMARASI = "8994102000148"  # Rp250.000, Lapas Perempuan Kupang
PRINT_WAIT = 20_000  # ms: generous; a stalled job gives up after its 3 s timeout


def ring_up(cashier: Cashier, code: str, method: Method, amount: str,
            reference: str = "") -> None:
    """One customer: scan, F12, tender, Enter. Returns once the sale is on disk."""
    cashier.scan(code)
    dialog = cashier.open_payment()
    cashier.tender(dialog, method, amount, reference=reference)
    cashier.confirm(dialog)
    assert not dialog.isVisible()


def test_a_stalled_printer_never_holds_up_the_next_sale_and_reprint_recovers(
        cashier: Cashier, booth) -> None:
    qtbot, window, screen = cashier.qtbot, cashier.window, cashier.screen
    queue = window.app_ctx.printer
    with FakePrinter("stall") as printer:
        # the booth's printer, known to answer its status (its test print did), hangs: a
        # short receipt fits in its buffer, so only its silence tells
        remember_answers(booth, printer.uri, True)
        use_printer(window, booth, printer.uri, printer_timeout="3")
        target = printer.uri.removeprefix("tcp://")
        timeout_text = f"The printer at {target} did not answer within 3 s"  # the record's
        plain_text = ("The receipt printer does not answer. Check that it is switched on and "
                      "that its cable (USB or network) is plugged in")  # the cashier's

        ring_up(cashier, KOPI_BAJAWA, Method.CASH, "100000")
        # The payment has returned; the receipt is still with the printer, not the cashier.
        assert cashier.cart() == [] and cashier.total_shown() == "Rp0"
        qtbot.waitUntil(screen.scan_box.hasFocus, timeout=5000)
        assert screen.scan_box.isEnabled() and not screen.busy
        assert queue.pending == 1 and queue.state == "busy"
        assert print_jobs(booth) == []
        assert window.printer_label.text() == "Printer: printing…"

        ring_up(cashier, SELENDANG_AMARASI, Method.QRIS, "250000", reference="QR-2")
        first, second = sales(booth)
        assert [(s.number, s.total, s.change) for s in (first, second)] == [
            ("KPG-01-000001", 85_000, 15_000), ("KPG-01-000002", 250_000, 0)]
        assert print_jobs(booth) == []  # the first receipt is still stuck at the printer
        assert queue.pending == 2

        qtbot.waitUntil(lambda: len(print_jobs(booth)) == 1, timeout=PRINT_WAIT)
        [job] = print_jobs(booth)
        assert (job.document_kind, job.document_id, job.printer, job.copy, job.status,
                job.error_code, job.error) == (
            "receipt", first.id, printer.uri, False, "failed", "printer_timeout", timeout_text)
        warning = screen.print_warning
        qtbot.waitUntil(lambda: warning.text() != "", timeout=5000)
        assert warning.text() == f"Receipt KPG-01-000001 was not printed: {plain_text}"
        assert warning.reprint_button.isVisible()

        qtbot.waitUntil(lambda: len(print_jobs(booth)) == 2, timeout=PRINT_WAIT)
        qtbot.waitUntil(lambda: queue.pending == 0, timeout=5000)
        assert [(j.document_id, j.status, j.error_code) for j in print_jobs(booth)] == [
            (first.id, "failed", "printer_timeout"), (second.id, "failed", "printer_timeout")]
        assert warning.text() == ("2 receipts were not printed (last KPG-01-000002): "
                                  + plain_text)
        assert window.printer_label.text() == "Printer: last job failed"
        assert count(booth, Sale) == 2  # nothing about the sales changed

        printer.mode = "ok"  # paper jam cleared: the next connection is served normally
        qtbot.mouseClick(warning.reprint_button, Qt.MouseButton.LeftButton)
        assert warning.text() == ""
        qtbot.waitUntil(lambda: len(print_jobs(booth)) == 4, timeout=PRINT_WAIT)
        qtbot.waitUntil(lambda: queue.pending == 0, timeout=5000)
        jobs = print_jobs(booth)
        assert [(j.document_id, j.status, j.copy, j.error_code) for j in jobs[2:]] == [
            (first.id, "printed", False, None), (second.id, "printed", False, None)]
        assert len(printer.connections) == 4
        stalled, reprinted = printer.connections[:2], printer.connections[2:]
        assert [bytes(c.data) for c in stalled] == [b"", b""]  # a stalled printer reads nothing
        assert b"KPG-01-000001" in reprinted[0].receipt
        assert b"Kopi Arabika Flores Bajawa 250 g" in reprinted[0].receipt
        assert b"KPG-01-000002" in reprinted[1].receipt
        assert b"COPY" not in reprinted[0].receipt  # never printed before: not a copy
        assert warning.text() == ""
        assert window.printer_label.text() == "Printer: ready"
        assert window.statusBar().currentMessage() == "Receipt KPG-01-000002 printed"


def test_auto_print_success_is_quiet_and_recorded(cashier: Cashier, booth) -> None:
    qtbot, window = cashier.qtbot, cashier.window
    with FakePrinter("ok") as printer:
        use_printer(window, booth, printer.uri)
        assert window.printer_label.text() == "Printer: ready"
        ring_up(cashier, KOPI_BAJAWA, Method.CASH, "85000")
        qtbot.waitUntil(lambda: len(print_jobs(booth)) == 1, timeout=PRINT_WAIT)
        [sale] = sales(booth)
        [job] = print_jobs(booth)
        assert (job.document_kind, job.document_id, job.printer, job.copy, job.status,
                job.error_code, job.error) == (
            "receipt", sale.id, printer.uri, False, "printed", None, None)
        [conn] = printer.wait_closed(1)
        assert b"KPG-01-000001" in conn.receipt
        assert b"TOTAL" in conn.receipt and b"Rp85.000" in conn.receipt
        assert b"\x1bp" not in conn.receipt  # the drawer is off by default
    qtbot.waitUntil(lambda: window.app_ctx.printer.pending == 0, timeout=5000)
    assert cashier.screen.print_warning.text() == ""
    assert cashier.screen.print_warning.isHidden()
    assert window.printer_label.text() == "Printer: ready"
    assert window.statusBar().currentMessage() == "Receipt KPG-01-000001 printed"


def test_without_a_printer_or_with_auto_print_off_nothing_is_printed(cashier: Cashier,
                                                                     booth) -> None:
    window = cashier.window
    assert window.printer_label.text() == "Printer: not set"
    ring_up(cashier, KOPI_BAJAWA, Method.CASH, "85000")
    assert window.app_ctx.printer.pending == 0
    with FakePrinter("ok") as printer:
        use_printer(window, booth, printer.uri, auto_print="0")
        ring_up(cashier, KOPI_BAJAWA, Method.CASH, "85000")
        assert window.app_ctx.printer.pending == 0
        assert printer.connections == []
    assert [s.number for s in sales(booth)] == ["KPG-01-000001", "KPG-01-000002"]
    assert print_jobs(booth) == []


def test_a_refusing_printer_warns_in_indonesian_and_the_sale_stands(cashier: Cashier,
                                                                   booth) -> None:
    qtbot, window, screen = cashier.qtbot, cashier.window, cashier.screen
    with refused_port() as port:
        use_printer(window, booth, f"tcp://127.0.0.1:{port}")
        i18n.set_language("id")  # the warning is worded when the job fails
        ring_up(cashier, SELENDANG_AMARASI, Method.CASH, "300000")
        qtbot.waitUntil(lambda: len(print_jobs(booth)) == 1, timeout=PRINT_WAIT)
        qtbot.waitUntil(lambda: screen.print_warning.text() != "", timeout=5000)

    assert screen.print_warning.text() == (
        "Struk KPG-01-000001 tidak tercetak: Printer struk tidak menjawab. Periksa apakah "
        "printer menyala dan kabelnya (USB atau jaringan) terpasang")  # not "menolak sambungan"
    assert screen.print_warning.reprint_button.isVisible()
    [job] = print_jobs(booth)
    assert (job.status, job.error_code, job.error) == (
        "failed", "printer_refused", f"The printer at 127.0.0.1:{port} refused the connection")
    [sale] = sales(booth)
    assert (sale.number, sale.total, sale.tendered, sale.change) == (
        "KPG-01-000001", 250_000, 300_000, 50_000)
    assert [(ln.sku, ln.qty, ln.total) for ln in sale_lines(booth)] == [("TEN-005", 1, 250_000)]
    assert [(p.method, p.amount, p.tendered, p.change) for p in payments(booth)] == [
        ("cash", 250_000, 300_000, 50_000)]
    assert (count(booth, Sale), count(booth, SaleLine), count(booth, Payment)) == (1, 1, 1)
    assert cashier.cart() == []  # and the screen serves the next customer
    cashier.scan(KOPI_BAJAWA)
    assert cashier.cart() == [("Kopi Arabika Flores Bajawa 250 g", 1)]
    assert screen.print_warning.text() != ""  # the warning stays until Reprint or ×


def test_a_printer_that_never_answers_status_is_sent_not_failed(cashier: Cashier,
                                                                booth) -> None:
    """Most print servers never answer DLE EOT: the receipt came out, so the cashier sees no
    "not printed", nothing reprints it by itself, and the history says it was sent."""
    from pos_app.services.sale.history import find_sales
    from pos_app.ui.history.history_model import print_status_text

    qtbot, window = cashier.qtbot, cashier.window
    with FakePrinter("silent") as printer:
        use_printer(window, booth, printer.uri, printer_timeout="3")
        ring_up(cashier, KOPI_BAJAWA, Method.CASH, "85000")
        qtbot.waitUntil(lambda: len(print_jobs(booth)) == 1, timeout=PRINT_WAIT)
        qtbot.waitUntil(lambda: window.app_ctx.printer.pending == 0, timeout=5000)
        [sale] = sales(booth)
        [conn] = printer.wait_closed(1)
        assert b"KPG-01-000001" in conn.receipt and conn.status_queries == 1
        assert cashier.screen.print_warning.text() == ""
        assert cashier.screen.print_warning.isHidden()
        assert window.printer_label.text() == "Printer: ready"
        assert window.statusBar().currentMessage() == "Receipt KPG-01-000001 sent to the printer"
        qtbot.wait(1500)  # nothing comes back for another go
        assert len(printer.connections) == 1
        [job] = print_jobs(booth)
        assert (job.document_id, job.status, job.error_code, job.copy) == (
            sale.id, "printed", "sent", False)
    [row] = find_sales(booth)
    assert row.print_status == "sent" and print_status_text(row.print_status) == "Sent"
