"""Records on a USB stick from the sync screen, in the real main window, for a booth with no
network: Save for USB… writes a signed bundle that head office imports (into a real central
PostgreSQL), Load acknowledgement… marks what head office received, and the figures drop. The
central database is unreachable from the booth throughout; a cashier does it all. A changed
acknowledgement marks nothing and says so in Indonesian; a booth without its bundle key
cannot start either; the till sells while a bundle is being written."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from pos_app import i18n
from pos_app.domain.errors import MESSAGES
from pos_app.persistence.models import Sale
from pos_app.services.setup.booth import Booth, write_setting
from pos_app.services.sync import bundle, enrollment, sync_catalog
from pos_app.services.sync.bundle_import import import_bundle
from pos_app.services.sync.sync_status import status
from pos_app.ui.sync import sync_usb
from tests.central import test_sync_gui as sync_gui
from tests.central.test_push import central_ids, make_sales, states
from tests.central.test_sync_gui import local_sale_ids, open_screen, pending, sell_kopi
from tests.gui import conftest as gui
from tests.gui.cashier import TIMEOUT, Cashier, count

# The main window during Kasir's (a cashier's) shift; the booth enrolled as in test_sync_gui.
cashier, window, ops, english, kasir, shift = (
    gui.cashier, gui.window, gui.ops, gui.english, gui.kasir, gui.shift)
booth = sync_gui.booth


@pytest.fixture
def enrolled(register, booth: Booth) -> Path:
    """As in test_sync_gui, with nothing published by head office yet: the booth's catalog
    travels in the bundle (as proposals, central migration ``c0009``)."""
    out = register(booth, publish=False)
    enrollment.enroll(booth, out)
    return out

CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def offline(enrolled: Path, booth: Booth, tmp_path: Path) -> Path:
    """The enrolled booth with no network: its central database's address leads nowhere."""
    with booth.db.write() as s:
        write_setting(s, "central_host", str(tmp_path / "no-server-here"))
    return enrolled


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def fake_save_dialog(monkeypatch, path: Path) -> list[Path]:
    """The save dialog answers ``path``; what it suggested is collected."""
    asked: list[Path] = []

    def answer(parent, title, suggested, filters):
        asked.append(Path(suggested))
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return asked


def fake_open_dialog(monkeypatch, path: Path) -> list[tuple[Path, str]]:
    """The open dialog answers ``path``; the folder and filters it was opened with are kept."""
    asked: list[tuple[Path, str]] = []

    def answer(parent, title, folder, filters):
        asked.append((Path(folder), filters))
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    return asked


def worker(cashier: Cashier):
    return sync_usb.usb_worker(cashier.window.sync_runner)


def wait_banner(screen, qtbot, kind: str) -> str:
    qtbot.waitUntil(lambda: screen.banner.kind() == kind and not screen.usb.busy,
                    timeout=TIMEOUT)
    return screen.banner.text()


def test_a_cashier_saves_for_usb_and_loads_the_acknowledgement_with_no_network(
        offline, cashier: Cashier, booth: Booth, central_url: str, shift, stick: Path,
        monkeypatch, qtbot) -> None:
    make_sales(booth, shift, 3)
    sell_kopi(cashier)
    waiting, changes = pending(booth), len(sync_catalog.versions(booth))
    catalog_rows = status(booth).catalog_pending
    assert waiting > 10 and changes > 0 and status(booth).enrolled
    asked = fake_save_dialog(monkeypatch, stick / "kopi")  # no suffix typed: it is added
    screen = open_screen(cashier, qtbot)
    usb = screen.usb
    assert usb.save_button.isEnabled() and usb.load_button.isEnabled()
    assert usb.save_button.toolTip() == ""

    qtbot.mouseClick(usb.save_button, CLICK)
    text = wait_banner(screen, qtbot, "success")
    saved = stick / "kopi.lapak"
    assert [p.name for p in asked] == [f"{booth.context.device_code}-2026-11-21-1930.lapak"]
    assert saved.is_file()
    assert text == (f"{waiting} records and {changes} catalog changes saved to {saved}. Take "
                    "the file to head office, then load the acknowledgement it brings back "
                    "(kopi.lapak.ack) here.")
    assert pending(booth) == waiting and screen.pending_value.text() == str(waiting)

    # head office: the bundle passes every check and goes in whole, the .ack next to it
    imported = import_bundle(saved, central_url)
    assert imported.records == imported.inserted == waiting + changes
    assert imported.device_id == booth.context.device_id and imported.quarantined == []
    assert imported.ack == stick / "kopi.lapak.ack" and imported.ack.is_file()
    assert set(central_ids(central_url)["sale"]) == local_sale_ids(booth)

    opened = fake_open_dialog(monkeypatch, imported.ack)
    qtbot.mouseClick(usb.load_button, CLICK)
    text = wait_banner(screen, qtbot, "success")
    assert opened == [(stick, "Acknowledgements (*.ack)")]  # opened where the bundle went
    assert text == (f"Acknowledgement loaded: {waiting + catalog_rows} marked delivered, "
                    "0 quarantined.")
    qtbot.waitUntil(lambda: screen.pending_value.text() == "0", timeout=TIMEOUT)
    assert screen.quarantined_value.text() == "0" and screen.oldest_value.text() == "—"
    after = status(booth)
    assert (after.unsynced, after.catalog_pending, after.quarantined) == (0, 0, 0)
    assert states(booth) == {"sent": waiting}
    label = cashier.window.sync_label  # the status bar's count drops as well
    qtbot.waitUntil(lambda: label.text() == "Unsynced: 0", timeout=TIMEOUT)

    # the next bundle has only what was sold since
    make_sales(booth, shift, 1)
    fake_save_dialog(monkeypatch, stick / "next.lapak")
    qtbot.mouseClick(usb.save_button, CLICK)
    text = wait_banner(screen, qtbot, "success")
    assert text.startswith(f"{pending(booth)} records and 0 catalog changes saved to "
                           f"{stick / 'next.lapak'}.")
    assert 0 < pending(booth) < waiting


def test_a_changed_acknowledgement_marks_nothing_and_says_so_in_indonesian(
        offline, cashier: Cashier, booth: Booth, central_url: str, shift, tmp_path: Path,
        monkeypatch, qtbot) -> None:
    make_sales(booth, shift, 2)
    saved = tmp_path / "b.lapak"
    bundle.export_bundle(booth, saved)
    ack = import_bundle(saved, central_url).ack
    header, signature = ack.read_bytes().split(b"\n")[:2]
    doc = json.loads(header)
    doc["received"]["sale"] = doc["received"]["sale"][:1]  # claims fewer: still refused
    forged = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    ack.write_bytes(forged + signature + b"\n")
    before, waiting = states(booth), pending(booth)
    assert set(before) == {"pending"}

    fake_open_dialog(monkeypatch, ack)
    screen = open_screen(cashier, qtbot)
    i18n.set_language("id")
    try:
        qtbot.mouseClick(screen.usb.load_button, CLICK)
        text = wait_banner(screen, qtbot, "error")
        expected = i18n._(MESSAGES["ack_not_head_office"]).format(path=ack)
    finally:
        i18n.set_language("en")
    assert expected != MESSAGES["ack_not_head_office"].format(path=ack)  # the catalog has it
    assert text == expected and "Traceback" not in text
    assert states(booth) == before and pending(booth) == waiting
    assert screen.pending_value.text() == str(waiting)
    assert screen.usb.load_button.isEnabled()  # the right file may be loaded next

    fake_open_dialog(monkeypatch, saved)  # the bundle itself is no acknowledgement either
    qtbot.mouseClick(screen.usb.load_button, CLICK)
    qtbot.waitUntil(lambda: screen.banner.text() == MESSAGES["ack_invalid"].format(
        path=saved) and not screen.usb.busy, timeout=TIMEOUT)
    assert states(booth) == before


def test_a_booth_that_is_not_enrolled_cannot_save_or_load(
        cashier: Cashier, booth: Booth, tmp_path: Path, monkeypatch, qtbot) -> None:
    sell_kopi(cashier)
    saves = fake_save_dialog(monkeypatch, tmp_path / "x.lapak")
    opens = fake_open_dialog(monkeypatch, tmp_path / "x.lapak.ack")
    screen = open_screen(cashier, qtbot)
    assert screen.enrolled_label.text() == "Not enrolled"
    usb = screen.usb
    for button in (usb.save_button, usb.load_button):
        assert not button.isEnabled()
        assert button.toolTip() == MESSAGES["bundle_not_enrolled"]
    usb.save()  # a shortcut or a stray call does nothing either
    usb.load()
    assert saves == [] and opens == [] and not list(tmp_path.glob("*.lapak"))
    assert screen.banner.text() == ""


def test_a_bundle_key_gone_is_said_in_the_banner(
        enrolled, cashier: Cashier, booth: Booth, tmp_path: Path, monkeypatch, qtbot) -> None:
    screen = open_screen(cashier, qtbot)
    assert screen.usb.save_button.isEnabled()
    enrollment.secret_path(booth.context.device_id).unlink()  # e.g. the secrets were wiped
    fake_save_dialog(monkeypatch, tmp_path / "x.lapak")
    qtbot.mouseClick(screen.usb.save_button, CLICK)
    assert wait_banner(screen, qtbot, "error") == MESSAGES["bundle_not_enrolled"]
    assert not (tmp_path / "x.lapak").exists()

    screen.refresh()  # read again, the screen knows: both buttons are off, and say why
    qtbot.waitUntil(lambda: not screen.usb.save_button.isEnabled(), timeout=TIMEOUT)
    assert not screen.usb.load_button.isEnabled()
    assert screen.usb.load_button.toolTip() == MESSAGES["bundle_not_enrolled"]


def test_the_till_sells_while_a_bundle_is_being_written(
        offline, cashier: Cashier, booth: Booth, central_url: str, stick: Path, monkeypatch,
        qtbot) -> None:
    inside, release = threading.Event(), threading.Event()
    real_export = sync_usb.export_bundle

    def held(*args, **kwargs):  # the USB worker waits here until released
        inside.set()
        assert release.wait(TIMEOUT / 1000)
        return real_export(*args, **kwargs)

    monkeypatch.setattr(sync_usb, "export_bundle", held)
    asked = fake_save_dialog(monkeypatch, stick / "slow.lapak")
    sell_kopi(cashier)
    screen = open_screen(cashier, qtbot)
    usb = screen.usb
    sales_before = count(booth, Sale)
    try:
        qtbot.mouseClick(usb.save_button, CLICK)
        qtbot.waitUntil(inside.is_set, timeout=TIMEOUT)
        assert screen.banner.kind() == "info"
        assert screen.banner.text() == f"Saving the records to {stick / 'slow.lapak'}…"
        assert not usb.save_button.isEnabled() and not usb.load_button.isEnabled()
        qtbot.mouseClick(usb.save_button, CLICK)  # never twice at once
        usb.save()
        assert len(asked) == 1
        screen.reject()  # closing the screen does not stop the bundle
        qtbot.waitUntil(lambda: cashier.window.sync_dialog is None
                        or not cashier.window.sync_dialog.isVisible(), timeout=TIMEOUT)
        sell_kopi(cashier)  # the sale screen answers while the worker is held
        assert count(booth, Sale) == sales_before + 1
        assert cashier.screen.cart.lines == [] and cashier.screen.notice.text() == ""
        assert worker(cashier).busy and not release.is_set()
    finally:
        release.set()
    qtbot.waitUntil(lambda: not worker(cashier).busy, timeout=TIMEOUT)
    saved = stick / "slow.lapak"
    assert saved.is_file()
    imported = import_bundle(saved, central_url)  # with the sale made meanwhile
    assert imported.records - len(sync_catalog.versions(booth)) == pending(booth)
    assert set(central_ids(central_url)["sale"]) == local_sale_ids(booth)
