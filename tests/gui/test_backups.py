"""Backups in the app: the window backs up a while after start-up when none is a day old (a
start writes nothing at once), the status bar
says when the newest backup is older than a day or the second folder (the USB stick) is
missing, the Settings dialog's Backups tab stores the second folder and shows Restore to
admins only, and the restore dialog shows what a backup holds before anything is replaced,
refuses a file that is not a Lapak database, asks for a tick for another device's backup,
and closes the app once it has restored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from pos_app.services.access import auth
from pos_app.services.setup import backup as backups
from pos_app.services.setup.settings import set_setting
from pos_app.services.setup.setup import init_booth
from pos_app.ui.setup import backup_page, restore_dialog
from pos_app.ui.setup.backup_status import CHECK_MS, FIRST_CHECK_MS
from pos_app.ui.setup.restore_dialog import RestoreDialog
from pos_app.ui.setup.settings_dialog import SettingsDialog
from tests.gui.cashier import Cashier

TIMEOUT = 10_000


def backup_names(booth) -> list[str]:
    folder = booth.db.path.parent / "backups"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def status(cashier: Cashier):
    return cashier.window.statusBar().backup_label


def settle(cashier: Cashier, label) -> None:
    cashier.qtbot.waitUntil(lambda: label.state is not None and not cashier.ops.busy,
                            timeout=TIMEOUT)


@pytest.fixture
def admin(qtbot, window, ops, booth, shift) -> Cashier:
    """Ani (admin) at the till."""
    auth.create_user(booth, "Ani", "admin", "80514", "os:test")
    window.app_ctx.login_state.start(auth.login(booth, "Ani", "80514"), shift)
    return Cashier(qtbot, window, ops)


def test_the_window_backs_up_after_start_and_warns_when_a_day_old(cashier: Cashier, booth,
                                                                  clock) -> None:
    label = status(cashier)
    settle(cashier, label)
    assert backup_names(booth) == []  # a fresh install: nothing written at start
    assert not label.isVisible() and label.text() == ""  # no warning before the first check
    assert label.timer.isActive() and label.timer.interval() == FIRST_CHECK_MS
    label.timer.timeout.emit()  # ten minutes later
    cashier.qtbot.waitUntil(lambda: label.checked and not cashier.ops.busy, timeout=TIMEOUT)
    assert backup_names(booth) == ["lapak-KPG-01-20261121-193000.db"]
    assert not label.isVisible() and label.text() == ""
    assert label.timer.interval() == CHECK_MS
    clock.advance(hours=25)
    label.read()  # what a settings change or a closed shift does: no backup, just a look
    cashier.qtbot.waitUntil(lambda: label.isVisible(), timeout=TIMEOUT)
    assert label.text() == "Backup 25 h old"
    assert "Last backup: 21/11/2026 19:30" in label.toolTip()
    label.check()  # the half-hourly check: a day has passed, so it backs up
    cashier.qtbot.waitUntil(lambda: not label.isVisible(), timeout=TIMEOUT)
    assert backup_names(booth) == ["lapak-KPG-01-20261121-193000.db",
                                   "lapak-KPG-01-20261122-203000.db"]


def test_a_missing_second_folder_is_reported(cashier: Cashier, booth, tmp_path: Path) -> None:
    label = status(cashier)
    settle(cashier, label)
    stick = tmp_path / "USB" / "lapak"
    set_setting(booth, "backup_second_dir", str(stick), actor="Maria", role="coordinator")
    label.read()
    cashier.qtbot.waitUntil(lambda: label.isVisible(), timeout=TIMEOUT)
    assert label.text() == "Backup USB missing"
    assert f"The second backup folder is not there: {stick}" in label.toolTip()
    stick.mkdir(parents=True)  # the stick is back
    label.read()
    cashier.qtbot.waitUntil(lambda: not label.isVisible(), timeout=TIMEOUT)


def test_the_backups_tab_stores_the_second_folder(qtbot, admin: Cashier, booth,
                                                  tmp_path: Path) -> None:
    dialog = SettingsDialog(admin.window.app_ctx, admin.window)
    qtbot.addWidget(dialog)
    page = dialog.backup_page
    assert page.restore_button.isVisibleTo(page)
    page.second_edit.setText(str(tmp_path))
    assert page.changes() == {"backup_second_dir": str(tmp_path)}
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: booth.settings().backup_second_dir == str(tmp_path),
                    timeout=TIMEOUT)
    admin.wait_idle()


def test_restore_is_for_admins_only(qtbot, window, booth) -> None:
    maria = auth.login(booth, "Maria", "2468")
    for user in (window.app_ctx.login_state.user, maria):
        window.app_ctx.login_state.start(user, window.app_ctx.login_state.shift)
        page = backup_page.BackupSettingsPage(window.app_ctx)
        qtbot.addWidget(page)
        assert not page.restore_button.isVisibleTo(page)
        # a cashier may not even type a second folder; a coordinator may
        assert page.second_edit.isReadOnly() == (user.role == "cashier")


def open_restore(admin: Cashier, monkeypatch, path: Path) -> RestoreDialog:
    """The Backups tab's Restore, over the main window, with ``path`` chosen."""
    page = backup_page.BackupSettingsPage(admin.window.app_ctx, admin.window)
    monkeypatch.setattr(restore_dialog, "ask_open_path", lambda *_a: path)
    dialog = page.open_restore()
    admin.qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    admin.qtbot.waitUntil(lambda: dialog.loaded, timeout=TIMEOUT)
    return dialog


def test_restore_shows_the_summary_first_then_closes_the_app(admin: Cashier, booth, shift,
                                                              monkeypatch) -> None:
    made = backups.automatic_backup(booth).path
    con = sqlite3.connect(made)
    head = con.execute("SELECT chain_index, hash FROM audit_event "
                       "ORDER BY chain_index DESC LIMIT 1").fetchone()
    con.close()
    dialog = open_restore(admin, monkeypatch, made)
    shown = {key: label.text() for key, label in dialog.fields.items()}
    assert shown == {"file": str(made), "device": "KPG-01", "last": "21/11/2026 19:30",
                     "sales": "0", "head": f"#{head[0]} {head[1][:16]}"}
    assert not dialog.other_device.isVisible()
    assert dialog.restore_button.isEnabled()
    assert not booth.db.path.with_name("booth.db.before-restore").exists()  # nothing yet
    closing = []
    dialog.app_closing.disconnect()  # the page would close every window of the test run
    dialog.app_closing.connect(lambda: closing.append(True))
    admin.qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    admin.qtbot.waitUntil(lambda: dialog.result is not None, timeout=TIMEOUT)
    assert booth.db.path.with_name("booth.db.before-restore").exists()
    assert dialog.close_app_button.isVisible() and not dialog.restore_button.isVisible()
    assert dialog.banner.text().startswith("Restored. The app closes now")
    admin.qtbot.mouseClick(dialog.close_app_button, Qt.MouseButton.LeftButton)
    assert closing == [True]


def test_restore_refuses_a_file_that_is_not_a_lapak_database(admin: Cashier, booth,
                                                             tmp_path: Path, monkeypatch) -> None:
    junk = tmp_path / "catatan.db"
    junk.write_text("bukan database")
    dialog = open_restore(admin, monkeypatch, junk)
    assert dialog.banner.text() == f"Not a Lapak database: {junk}"
    assert dialog.fields["device"].text() == "—"
    assert not dialog.restore_button.isEnabled()
    dialog.reject()


def test_another_devices_backup_needs_the_tick(admin: Cashier, booth, tmp_path: Path,
                                               monkeypatch) -> None:
    other, _res = init_booth(tmp_path / "sba.db", demo=False, device_code="SBA-02")
    other.close()
    dialog = open_restore(admin, monkeypatch, tmp_path / "sba.db")
    assert dialog.fields["device"].text() == "SBA-02"
    assert dialog.other_device.isVisible()
    assert dialog.banner.text() == "This backup belongs to another device."
    assert not dialog.restore_button.isEnabled()
    dialog.other_device.setChecked(True)
    assert dialog.restore_button.isEnabled()
    dialog.other_device.setChecked(False)
    dialog.restore()  # pressed anyway (a shortcut): nothing happens
    admin.wait_idle()
    assert dialog.result is None and booth.context.device_code == "KPG-01"
    dialog.reject()


def test_restore_of_an_older_backup_says_what_it_replaced_and_where_numbers_go_on(
        admin: Cashier, booth, shift, monkeypatch, tmp_path: Path) -> None:
    """A sale made after the backup: the dialog names the kept copy and says sale numbers
    continue after it (issue 17), so the cashier knows nothing was reissued."""
    from pos_app.domain.tenders import Method, Tender
    from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout

    made = backups.backup(booth, tmp_path / "lama.db")
    checkout(booth, SaleRequest(items=(SaleItem(1, sku="KOP-001"),),
                                tenders=(Tender(Method.CASH, 100_000),), shift_id=shift.id))
    dialog = open_restore(admin, monkeypatch, made)
    dialog.app_closing.disconnect()
    admin.qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    admin.qtbot.waitUntil(lambda: dialog.result is not None, timeout=TIMEOUT)
    kept = booth.db.path.with_name("booth.db.before-restore")
    assert dialog.banner.text().splitlines()[1:] == [
        f"The replaced database is kept as {kept}",
        "Sale numbers continue after KPG-01-000001: this device had issued them after the backup was made"]
    dialog.reject()
