"""The main window: status bar, language switch (stored, window rebuilt), QRIS image setting,
and the app's start-up (smoke mode, a bad database) in a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from sqlalchemy import select

from pos_app import i18n
from pos_app.domain.tenders import Method
from pos_app.paths import resources_dir
from pos_app.persistence.models import AuditEvent, Setting
from pos_app.services.access import auth
from pos_app.services.setup.booth import DEFAULTS, Booth
from pos_app.services.setup.setup import init_booth
from pos_app.ui.app import choose_language
from tests.gui.cashier import Cashier, journal, payments


def stored_settings(booth: Booth) -> dict[str, str]:
    """The settings as the next start reads them (a default is not written as a row)."""
    with booth.db.read() as s:
        return {**DEFAULTS, **dict(s.execute(select(Setting.key, Setting.value)).all())}


def test_status_bar_names_device_shift_cashier_and_event(window) -> None:
    assert window.device_label.text() == "Device KPG-01"
    assert window.shift_label.text() == "Shift since 21/11 19:30 (Kasir)"
    assert window.cashier_label.text() == "Cashier: Kasir"
    assert window.lock_button.text() == "Lock  F10" and window.lock_button.isEnabled()
    assert window.event_label.text() == "Event: Festival UMKM Kupang 2026"
    assert window.windowTitle() == "Lapak POS — Festival UMKM Kupang 2026"


def test_switching_language_is_stored_and_keeps_the_cart(cashier: Cashier, booth) -> None:
    cashier.scan("8994111000016")
    window = cashier.window
    window.language_actions["id"].trigger()
    cashier.qtbot.waitUntil(lambda: i18n.language() == "id", timeout=5000)

    assert stored_settings(booth)["language"] == "id"
    screen = window.sale_screen  # a new screen, built in Indonesian
    assert screen.panel.pay_button.label() == "Bayar"
    assert screen.panel.park_button.label() == "Tahan"
    assert screen.scan_box.placeholderText() == "Cari produk atau pindai barcode (F1)"
    assert window.cashier_label.text() == "Kasir: Kasir"
    assert cashier.cart() == [("Kopi Arabika Flores Bajawa 250 g", 1)]
    cashier.qtbot.waitUntil(lambda: screen.grid.loaded, timeout=5000)

    window.language_actions["en"].trigger()
    cashier.qtbot.waitUntil(lambda: i18n.language() == "en", timeout=5000)
    assert stored_settings(booth)["language"] == "en"
    [event] = journal(booth, "setting")  # "id" was the default already: only "en" is a change
    assert (event.actor, json.loads(event.payload)) == (
        "Kasir", {"key": "language", "from": "id", "to": "en", "role": "cashier"})
    assert window.sale_screen.panel.pay_button.label() == "Pay"


def test_the_qris_image_set_in_settings_shows_when_paying(coordinator_at_till: Cashier, booth,
                                                          tmp_path: Path) -> None:
    cashier = coordinator_at_till  # the QRIS image is a coordinator's setting
    image = QImage(120, 120, QImage.Format.Format_RGB32)
    image.fill(QColor("black"))
    path = tmp_path / "qris sticker.png"
    assert image.save(str(path))

    window = cashier.window
    window.settings_action.trigger()
    dialog = cashier.activate(window.settings_dialog)
    dialog.path_edit.setText(str(tmp_path / "not-there.png"))
    cashier.qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=5000)
    assert dialog.error.text() == "This file is not an image that can be read."
    assert not dialog.save_button.isEnabled()

    dialog.path_edit.setText(str(path))
    cashier.qtbot.waitUntil(dialog.save_button.isEnabled, timeout=5000)
    cashier.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    cashier.wait_idle()
    assert not dialog.isVisible()
    assert stored_settings(booth)["qris_image"] == str(path.resolve())

    cashier.scan("8994111000016")
    payment = cashier.open_payment()
    cashier.tender(payment, Method.QRIS, "85000", reference="QR-1")
    cashier.wait_idle()
    assert payment.form.qr.isVisible() and payment.form.qr.image is not None  # no QRIS set
    assert payment.form.qris_info.notice.text() == "The static QRIS: the buyer types the amount."
    assert payment.form.note.text().startswith("Recorded as unverified")
    cashier.confirm(payment)
    assert [(p.method, p.verified, p.reference) for p in payments(booth)] == [
        ("qris", False, "QR-1")]


def test_without_a_qris_image_the_dialog_says_where_to_set_it(cashier: Cashier) -> None:
    cashier.scan("8994111000016")
    payment = cashier.open_payment()
    cashier.tender(payment, Method.QRIS, "85000")
    cashier.wait_idle()
    assert not payment.form.qr.isVisible()
    assert payment.form.qris_info.notice.isVisible()
    assert "Settings" in payment.form.qris_info.notice.text()


def test_language_choice_prefers_an_explicit_flag_then_the_stored_setting() -> None:
    assert choose_language("en", "id") == "en"
    assert choose_language("id", "en") == "id"  # the CLI passes None when no --lang is given
    assert choose_language(None, "en") == "en"
    assert choose_language(None, "xx") == "id"


def run_pos_app(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pos_app", *args], capture_output=True,
                          text=True, timeout=120)


def test_smoke_mode_creates_the_demo_booth_and_prints_smoke_ok(tmp_path: Path) -> None:
    db = tmp_path / "first-run.db"
    done = run_pos_app("--db", str(db), "--smoke")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["smoke ok"]
    again = run_pos_app("--db", str(db), "--smoke")  # the demo database, still no admin
    assert (again.returncode, again.stdout.splitlines()) == (0, ["smoke ok"]), again.stderr
    booth, result = init_booth(db)  # already there: nothing new is made
    assert auth.needs_admin(booth)  # smoke mode asked nobody for anything
    assert journal_actions(booth) == ["user.create", "user.create"]  # the demo users only
    booth.close()
    demo_rows = len((resources_dir() / "demo" / "products.csv").read_text(
        encoding="utf-8").strip().splitlines()) - 1
    assert (result.created_device, result.device_code, result.products) == (
        False, "KPG-01", demo_rows)


def test_smoke_mode_on_a_booth_with_an_administrator(tmp_path: Path) -> None:
    db = tmp_path / "admin.db"
    booth, _result = init_booth(db, demo=True, admin_name="Yohanes", admin_pin="1357")
    booth.close()
    done = run_pos_app("--db", str(db), "--smoke")
    assert (done.returncode, done.stdout.splitlines()) == (0, ["smoke ok"]), done.stderr


def journal_actions(booth: Booth) -> list[str]:
    with booth.db.read() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.chain_index)))


def test_a_bad_database_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("this is not a database", encoding="utf-8")
    done = run_pos_app("--db", str(db), "--smoke", "--lang", "en")
    assert done.returncode == 1
    assert done.stdout == ""
    assert f"pos-app: Not a Lapak database: {db}" in done.stderr.splitlines()
    assert "Traceback" not in done.stderr
