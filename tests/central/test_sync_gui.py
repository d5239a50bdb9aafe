"""The background sync and the sync screen, in the real main window, against a real central
PostgreSQL: the runner pushes on its timer on its own thread while the cashier keeps selling,
reports progress, never runs twice at once, says a failure in the cashier's language and
leaves the till usable, stays quiet on a booth that is not enrolled, and stops cleanly when
the window closes. The booth is enrolled as ``pos-app enroll FILE`` does it."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from pos_app import i18n
from pos_app.domain.errors import MESSAGES
from pos_app.domain.tenders import Method
from pos_app.persistence.models import PUSHED, Outbox, Sale
from pos_app.services.setup.booth import Booth, write_setting
from pos_app.services.sync import enrollment
from pos_app.services.sync.record import describe
from pos_app.services.sync.sync_status import read_record, status
from pos_app.ui.sync.sync_runner import FAILED, IDLE, NOT_ENROLLED
from tests.central.test_push import _insert_as_admin, _local_row, central_ids, make_sales
from tests.gui import conftest as gui
from tests.gui.cashier import TIMEOUT, Cashier, count

# The main window during Kasir's shift, and a cashier at it (the GUI tests' own fixtures).
cashier, window, ops, english, kasir, shift = (
    gui.cashier, gui.window, gui.ops, gui.english, gui.kasir, gui.shift)

KOPI_BAJAWA = "8994111000016"  # Rp85.000


@pytest.fixture
def booth(secrets: Path, booth: Booth) -> Booth:
    """The demo booth with this test's own secrets folder (the enrollment's password goes
    there), syncing every 2 minutes."""
    with booth.db.write() as s:
        write_setting(s, "sync_minutes", "2")
    return booth


@pytest.fixture
def enrolled(register, booth: Booth) -> Path:
    """The central database set up and this booth enrolled from its file; the file's path."""
    out = register(booth)
    enrollment.enroll(booth, out)
    return out


class Seen:
    """What a runner said, in order."""

    def __init__(self, runner) -> None:
        self.events: list[tuple] = []
        runner.started.connect(lambda: self.events.append(("started",)))
        runner.progress.connect(lambda d, t: self.events.append(("progress", d, t)))
        runner.finished.connect(lambda text: self.events.append(("finished", text)))
        runner.failed.connect(lambda message: self.events.append(("failed", message)))

    def kinds(self, kind: str) -> list[tuple]:
        return [e for e in self.events if e[0] == kind]


def pending(booth: Booth) -> int:
    return status(booth).unsynced


def local_sale_ids(booth: Booth) -> set:
    with booth.db.read() as s:
        return set(s.execute(select(Sale.id)).scalars())


def sell_kopi(cashier: Cashier) -> None:
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CASH, "100000")
    cashier.confirm(dialog)


def open_screen(cashier: Cashier, qtbot):
    window = cashier.window
    qtbot.keyClick(window.sale_screen.scan_box, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    screen = cashier.wait_for(lambda: window.sync_dialog)
    qtbot.waitUntil(lambda: screen.facts is not None, timeout=TIMEOUT)
    return screen


def test_the_timer_syncs_in_the_background_and_the_status_bar_drops_to_zero(
        enrolled, cashier: Cashier, booth: Booth, central_url: str, qtbot) -> None:
    window, runner = cashier.window, cashier.window.sync_runner
    assert runner.timer.isActive() and runner.timer.interval() == 2 * 60_000
    sell_kopi(cashier)
    waiting = pending(booth)
    assert waiting > 0
    label = window.sync_label
    qtbot.waitUntil(lambda: label.text().startswith(f"Unsynced: {waiting}"), timeout=TIMEOUT)

    seen = Seen(runner)
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT):
        runner.timer.timeout.emit()  # the timer's tick: the interval is not waited out
    assert seen.events[0] == ("started",)
    progress = seen.kinds("progress")
    assert progress[0] == ("progress", 0, waiting)
    assert progress[-1] == ("progress", waiting, waiting)
    assert seen.events[-1][0] == "finished"
    text = seen.events[-1][1]  # the records, then the catalog's turn
    assert text.startswith(f"Sent {waiting} (new {waiting}, already there 0), quarantined 0")
    assert runner.state == IDLE and runner.last_text == text and not runner.running

    assert pending(booth) == 0
    assert set(central_ids(central_url)["sale"]) == local_sale_ids(booth)
    qtbot.waitUntil(lambda: label.text() == "Unsynced: 0", timeout=TIMEOUT)
    assert describe(read_record(booth)) == text  # as remembered


def test_the_till_sells_while_a_sync_is_held_and_two_never_run_at_once(
        enrolled, cashier: Cashier, booth: Booth, central_url: str, shift, qtbot) -> None:
    runner = cashier.window.sync_runner
    make_sales(booth, shift, 3)
    inside, release = threading.Event(), threading.Event()

    def held(params: dict):  # the worker waits here, inside the sync, until released
        inside.set()
        assert release.wait(TIMEOUT / 1000)
        return psycopg.connect(**params, autocommit=True)

    runner.connect = held
    seen = Seen(runner)
    sales_before = count(booth, Sale)
    try:
        assert runner.sync_now()
        qtbot.waitUntil(inside.is_set, timeout=TIMEOUT)
        assert not runner.sync_now()  # a request while one runs is ignored
        runner.timer.timeout.emit()  # and so is the timer's tick
        sell_kopi(cashier)  # the sale screen answers while the worker is held
        assert count(booth, Sale) == sales_before + 1
        assert cashier.screen.cart.lines == [] and cashier.screen.notice.text() == ""
        assert runner.running and not release.is_set()
        assert seen.kinds("started") == [("started",)] and seen.kinds("finished") == []
    finally:
        release.set()
    qtbot.waitUntil(lambda: not runner.running, timeout=TIMEOUT)
    assert seen.kinds("failed") == [] and len(seen.kinds("finished")) == 1
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT):
        assert runner.sync_now()  # whatever the held one had not counted goes now
    assert pending(booth) == 0
    assert set(central_ids(central_url)["sale"]) == local_sale_ids(booth)
    assert len(seen.kinds("started")) == 2


def test_central_down_is_said_in_indonesian_and_the_till_goes_on(
        enrolled, cashier: Cashier, booth: Booth, tmp_path: Path, qtbot) -> None:
    window, runner = cashier.window, cashier.window.sync_runner
    sell_kopi(cashier)
    waiting = pending(booth)
    with booth.db.write() as s:  # the server's socket folder is not there: nobody answers
        write_setting(s, "central_host", str(tmp_path / "no-server-here"))
    i18n.set_language("id")
    try:
        seen = Seen(runner)
        with qtbot.waitSignal(runner.failed, timeout=TIMEOUT):
            runner.timer.timeout.emit()
        english_start = MESSAGES["central_unreachable"].split("{")[0]
        indonesian_start = i18n._(MESSAGES["central_unreachable"]).split("{")[0]
        assert indonesian_start != english_start  # the catalog has it
        message = seen.kinds("failed")[0][1]
        assert message.startswith(indonesian_start)
        assert runner.state == FAILED and runner.last_error == message
        assert message in window.statusBar().currentMessage()  # said quietly, not a pop-up
    finally:
        i18n.set_language("en")
    assert cashier.screen.notice.text() == ""
    assert pending(booth) == waiting  # nothing was lost or marked
    assert read_record(booth).failure.code == "central_unreachable"
    assert describe(read_record(booth)).startswith("Failed: Cannot reach")
    sell_kopi(cashier)  # the till goes on
    assert pending(booth) > waiting


def test_a_wrong_password_is_shown_on_the_sync_screen(
        enrolled, cashier: Cashier, booth: Booth, secrets: Path, qtbot) -> None:
    sell_kopi(cashier)
    waiting = pending(booth)
    stored = enrollment.secret_path(booth.context.device_id)
    assert stored.parent == secrets  # the password went to this test's own folder
    doc = json.loads(stored.read_text())
    stored.write_text(json.dumps({**doc, "password": "not-the-password"}))
    screen = open_screen(cashier, qtbot)
    assert screen.sync_button.isEnabled()
    with qtbot.waitSignal(cashier.window.sync_runner.failed, timeout=TIMEOUT):
        qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.banner.kind() == "error" and screen.banner.text() != "",
                    timeout=TIMEOUT)
    assert "password authentication failed" in screen.banner.text()
    assert screen.banner.text().startswith(("Cannot reach the central database",
                                            "The central database refused"))
    qtbot.waitUntil(lambda: screen.result_label.text().startswith("Last result: Failed: "),
                    timeout=TIMEOUT)
    assert screen.sync_button.isEnabled()  # it may be tried again
    assert screen.pending_value.text() == str(waiting)
    screen.reject()
    sell_kopi(cashier)
    assert pending(booth) > waiting


def test_a_booth_that_is_not_enrolled_stays_quiet(cashier: Cashier, booth: Booth,
                                                  qtbot) -> None:
    window, runner = cashier.window, cashier.window.sync_runner
    sell_kopi(cashier)
    seen = Seen(runner)
    with qtbot.waitSignal(runner.state_changed, timeout=TIMEOUT,
                          check_params_cb=lambda *a: runner.state == NOT_ENROLLED):
        runner.timer.timeout.emit()
    assert runner.timer.isActive()  # an enrollment made meanwhile is picked up next time
    assert seen.kinds("failed") == [] and seen.kinds("finished") == []
    assert window.statusBar().currentMessage() == ""
    assert cashier.screen.notice.text() == ""
    assert booth.settings()["sync_last_result"] == ""  # nothing tried, nothing noted

    qtbot.mouseClick(window.sync_label, Qt.MouseButton.LeftButton)  # a tap on the count
    screen = cashier.wait_for(lambda: window.sync_dialog)
    qtbot.waitUntil(lambda: screen.facts is not None, timeout=TIMEOUT)
    assert screen.enrolled_label.text() == "Not enrolled"
    assert "pos-app enroll FILE" in screen.where_label.text()
    assert not screen.sync_button.isEnabled()
    assert screen.pending_value.text() == str(pending(booth)) != "0"
    assert screen.last_value.text() == "—" and screen.table.isHidden()


def test_the_sync_screen_shows_the_state_syncs_and_lists_the_quarantined(
        enrolled, cashier: Cashier, booth: Booth, central_url: str, shift, qtbot) -> None:
    make_sales(booth, shift, 3)
    sale = _local_row(booth, "sale")
    _insert_as_admin(central_url, "sale", {**sale, "cashier_name": "Someone Else"})
    waiting = pending(booth)
    screen = open_screen(cashier, qtbot)
    dbname = central_url.split("?")[0].rsplit("/", 1)[1]
    assert screen.enrolled_label.text() == f"Enrolled as {booth.context.device_code}"
    assert screen.where_label.text().startswith(f"Central database {dbname} on ")
    assert screen.pending_value.text() == str(waiting)
    assert screen.oldest_value.text() == "0 min ago"
    assert (screen.quarantined_value.text(), screen.last_value.text()) == ("0", "—")
    assert screen.result_label.text() == "Last result: —" and screen.table.isHidden()
    assert screen.sync_button.isEnabled()

    runner = cashier.window.sync_runner
    seen = Seen(runner)
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT):
        qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
        assert runner.running and not screen.sync_button.isEnabled()  # never twice
    assert seen.kinds("progress")[-1] == ("progress", waiting, waiting)
    assert screen.progress.value() == screen.progress.maximum()
    text = screen.banner.text()
    assert screen.banner.kind() == "success" and text == runner.last_text
    assert text.startswith(f"Sent {waiting - 1} (new {waiting - 1}, already there 0), "
                           "quarantined 1")
    qtbot.waitUntil(lambda: screen.pending_value.text() == "0", timeout=TIMEOUT)
    assert screen.quarantined_value.text() == "1"
    assert screen.last_value.text() == "21/11 19:30"  # the fixed clock, in Kupang time
    assert screen.result_label.text() == f"Last result: {text}"
    assert screen.sync_button.isEnabled()
    assert screen.table.isVisibleTo(screen) and screen.table.rowCount() == 1
    assert screen.table.item(0, 0).text() == "sale"
    assert screen.table.item(0, 1).text() == str(sale["id"])
    assert "different payload" in screen.table.item(0, 2).text()
    label = cashier.window.sync_label  # the status bar says so too, in amber
    qtbot.waitUntil(lambda: label.text() == "Unsynced: 0 · quarantined 1", timeout=TIMEOUT)
    assert label.kind == "warning"


def test_closing_the_window_lets_the_running_batch_finish_and_stops(
        enrolled, cashier: Cashier, booth: Booth, central_url: str, shift, qtbot) -> None:
    runner = cashier.window.sync_runner
    make_sales(booth, shift, 3)
    waiting = pending(booth)
    assert waiting > 10
    runner.batch_size = 5
    inside = threading.Event()

    def held(params: dict):  # connects only once the window is closing
        inside.set()
        assert runner.stopping.wait(TIMEOUT / 1000)
        return psycopg.connect(**params, autocommit=True)

    runner.connect = held
    assert runner.sync_now()
    qtbot.waitUntil(inside.is_set, timeout=TIMEOUT)
    cashier.window.close()  # returns once the worker is done
    assert not runner.timer.isActive() and not runner.running
    assert not runner.sync_now()  # nothing starts after closing
    with booth.db.read() as s:
        sent = s.execute(select(func.count()).where(
            Outbox.table_name.in_(PUSHED), Outbox.state == "sent")).scalar_one()
    assert sent == 5  # the batch under way was finished, and no other was started
    assert pending(booth) == waiting - 5
    assert sum(len(ids) for ids in central_ids(central_url).values()) == 5
    assert booth.settings()["sync_last_result"] == ""  # not a failure
