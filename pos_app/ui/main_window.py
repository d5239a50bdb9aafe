"""The main window: a toolbar (shift, lock, language, history, stock, reports, back office), the
login/lock screen, the sale screen or the back office's "open a shift" panel, and a status
bar (device, shift, cashier, event, printer).

Nobody sells before logging in with a PIN and opening (or continuing) a shift; a coordinator
or admin who opens none works in the back office (stock, reports, settings, ...). Locking (F10,
the Lock button, or ``idle_lock_minutes`` without input) hides the sale screen behind the lock
screen; the cart stays as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from pos_app import i18n
from pos_app.domain.cart import Cart
from pos_app.i18n import LANGUAGES, _
from pos_app.services.setup.settings import set_language
from pos_app.ui.access.login_flow import LoginFlow
from pos_app.ui.access.login_screen import LoginScreen
from pos_app.ui.access.login_state import IdleWatcher
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.scanner import ScanFilter
from pos_app.ui.common.status_bar import PrinterStatus, StatusBar
from pos_app.ui.display.display_control import DisplayControl
from pos_app.ui.main_toolbar import make_toolbar
from pos_app.ui.sale.print_queue import PrintResult
from pos_app.ui.sale.sale_screen import SaleScreen
from pos_app.ui.shift.no_shift_panel import NoShiftPanel
from pos_app.ui.sync.sync_runner import SyncRunner
from pos_app.ui.sync.sync_screen import Clickable, SyncScreen

if TYPE_CHECKING:  # the dialogs load when first opened, not at start-up
    from pos_app.ui.history.history_dialog import HistoryDialog
    from pos_app.ui.setup.first_run import FirstRunDialog
    from pos_app.ui.setup.settings_dialog import SettingsDialog

__all__ = ["MainWindow", "PrinterStatus"]

STATUS_SHOWN_MS = 8_000
D = TypeVar("D", bound=QDialog)
LOGIN_PAGE, SALE_PAGE, OFFICE_PAGE = 0, 1, 2


class MainWindow(QMainWindow):
    language_switched = Signal(str)

    def __init__(self, app_ctx: AppContext, cart: Cart | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.login_state = app_ctx.login_state
        self.toolbar: QToolBar | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.history_dialog: HistoryDialog | None = None
        self.stock_dialog: QDialog | None = None  # StockScreen, imported when opened
        self.reconcile_dialog: QDialog | None = None  # ReconcileDialog, likewise
        self.reports_dialog: QDialog | None = None
        self.first_run_dialog: FirstRunDialog | None = None
        self.sync_dialog: SyncScreen | None = None
        self._shown: tuple | None = None  # what the login screen last showed
        self.setMinimumSize(1024, 700)
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)
        self.flow = LoginFlow(app_ctx, self, self.back_to_login,
                              lambda: self.shift_menu.close(end_on_cancel=True))
        app_ctx.printer.finished.connect(self._print_finished)
        self.login_state.changed.connect(self._session_changed)
        # The background sync (its own thread); it says what it changed on app_ctx.changes.
        self.sync_runner = SyncRunner(app_ctx.booth, self, changes=app_ctx.changes)
        self.sync_runner.failed.connect(self._sync_failed)
        self.scanner = ScanFilter.install(app_ctx.settings, self)  # scans wherever the focus is
        self._build(cart)
        self.sync_runner.configure(app_ctx.settings)
        self.display = DisplayControl(app_ctx, self)  # the buyer's screen, when set on
        self.language_switched.connect(lambda _lang: self.display.retranslate())

    def _build(self, cart: Cart | None) -> None:
        """Make every widget in the current language (again, after a switch)."""
        ctx = self.app_ctx.context
        self.setWindowTitle(_("Lapak POS — {event}").format(event=ctx.event_name)
                            if ctx.event_name else _("Lapak POS"))
        if self.toolbar is not None:
            self.removeToolBar(self.toolbar)
            self.toolbar.deleteLater()
            self.shift_menu.menu.deleteLater()
            self.shift_menu.deleteLater()
            self.back_office.menu.deleteLater()
            for action, _duty in self.back_office.entries:
                action.deleteLater()
        for action in self.actions():
            self.removeAction(action)
            action.deleteLater()
        self.toolbar = make_toolbar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

        self.pages = QStackedWidget(self)
        self.login_screen = LoginScreen(self.app_ctx, self.pages)
        self.login_screen.logged_in.connect(self.flow.logged_in)
        self.sale_screen = SaleScreen(self.app_ctx, cart, self.pages)
        self.no_shift_panel = NoShiftPanel(self.pages)  # the back office, without a shift
        self.no_shift_panel.open_shift.connect(self.open_shift)
        self.pages.addWidget(self.login_screen)
        self.pages.addWidget(self.sale_screen)
        self.pages.addWidget(self.no_shift_panel)
        self.setCentralWidget(self.pages)  # the old screens are deleted by Qt
        self.app_ctx.ops.error_sink = self.sale_screen.show_failure

        bar = StatusBar(self.app_ctx, self)
        bar.lock_button.clicked.connect(self.lock)
        self.device_label, self.shift_label = bar.device_label, bar.shift_label
        self.cashier_label, self.event_label = bar.cashier_label, bar.event_label
        self.printer_label, self.lock_button = bar.printer_label, bar.lock_button
        self.sync_label = bar.sync_label
        Clickable(self.sync_label).clicked.connect(self.open_sync)
        self.setStatusBar(bar)
        self.sale_screen.start()
        self._shown = None
        self._session_changed()

    # -- who is at the till -------------------------------------------------------------
    def first_run(self) -> FirstRunDialog:
        """No administrator yet: ask for one before anyone logs in (Quit closes the app)."""
        from pos_app.ui.setup.first_run import FirstRunDialog

        dialog = FirstRunDialog(self.app_ctx, self)
        dialog.created.connect(lambda _user: self.login_screen.refresh())
        dialog.rejected.connect(self.close)
        self.first_run_dialog = dialog
        dialog.open()
        return dialog

    def _session_changed(self) -> None:
        login_state = self.login_state
        ready, present = login_state.ready, login_state.present
        self.pages.setCurrentIndex(SALE_PAGE if ready else OFFICE_PAGE
                                   if login_state.in_back_office else LOGIN_PAGE)
        shown = (login_state.user.id if login_state.user else None, login_state.locked, ready)
        if shown != self._shown:
            self._shown = shown
            if login_state.locked and login_state.user is not None:
                self.login_screen.show_locked(login_state.user.name)
            elif login_state.user is None:
                self.login_screen.show_login()
            if ready:
                self.sale_screen.focus_scan()
            elif present:
                self.no_shift_panel.open_button.setFocus()
        self.history_action.setEnabled(ready)  # reprints, voids and refunds: in a shift
        self.shift_menu.set_enabled(ready)
        # the back office needs no shift: someone at the unlocked till, as the role allows
        for action in (self.lock_action, self.stock_key, self.reports_key, self.settings_key,
                       self.sync_key):
            action.setEnabled(present)
        self.back_office.refresh(login_state)
        if present:
            self.idle.set_minutes(self.app_ctx.settings.idle_lock_minutes)  # 0: off
            self.scanner.configure(self.app_ctx.settings)
        else:
            self.idle.stop()

    def back_to_login(self, name: str = "") -> None:
        """Show the login screen (with ``name`` picked), or the lock screen when locked."""
        login_state = self.login_state
        self._session_changed()
        if login_state.locked and login_state.user is not None:
            self.login_screen.show_locked(login_state.user.name)
        elif not login_state.ready:
            if login_state.in_back_office:  # she leaves the back office for someone else
                login_state.end()
            self.login_screen.show_login(name)

    def lock(self) -> None:
        """Lock the till (F10, the Lock button, or idle). Open dialogs are cancelled first; one
        that cannot be (a sale being saved) puts the lock off until the next idle spell."""
        if not self.login_state.present:
            return
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        if any(d.isVisible() for d in self.findChildren(QDialog)):
            self.idle.poke()
            return
        self.login_state.lock()

    # -- actions ----------------------------------------------------------------------
    def switch_language(self, lang: str) -> None:
        """Store the choice (so the next start opens in it) and rebuild the window in it."""
        if lang == i18n.language():
            return
        self.app_ctx.store(set_language, lang, self.app_ctx.actor, self.app_ctx.role,
                        on_done=lambda: self._apply_language(lang), owner=self)

    def _apply_language(self, lang: str) -> None:
        i18n.set_language(lang)
        self._build(self.sale_screen.cart)
        self.language_switched.emit(lang)

    def toggle_language(self) -> None:
        codes = list(LANGUAGES)
        current = i18n.language()
        self.switch_language(codes[(codes.index(current) + 1) % len(codes)]
                             if current in codes else codes[0])

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showMaximized()
        else:
            self.showFullScreen()

    def open_settings(self) -> None:
        """The settings (F9), for coordinators and admins: a cashier changes only the
        language (the toolbar's language button)."""
        if not self.login_state.present:
            return
        if not self.login_state.can("settings"):
            self.sale_screen.notice.show_error(
                _("Settings are for coordinators and admins; ask one to log in"))
            return
        from pos_app.ui.setup.settings_dialog import SettingsDialog

        self.settings_dialog = self._show(SettingsDialog(self.app_ctx, self), keep=True)

    def open_shift(self) -> None:
        """From the back office: open (or continue, or take over) a shift to sell."""
        user = self.login_state.user
        if self.login_state.in_back_office and user is not None:
            self.flow.start_selling(user)

    def open_history(self) -> None:
        if not self.login_state.ready:
            return
        from pos_app.ui.history.history_dialog import HistoryDialog

        self.history_dialog = self._show(HistoryDialog(self.app_ctx, self))

    def open_stock(self) -> None:
        """The stock screen (F6), for coordinators and admins."""
        if not self.login_state.present:
            return
        if not self.login_state.can("back_office"):
            self.sale_screen.notice.show_error(
                _("The stock screen is for coordinators and admins; ask one to log in"))
            return
        from pos_app.ui.stock.stock_screen import StockScreen  # loaded when first opened

        self.stock_dialog = self._show(StockScreen(self.app_ctx, self))

    def open_reports(self) -> None:
        """The reports screen (Ctrl+R), for coordinators and admins; loaded when first opened,
        never at start-up."""
        if not self.login_state.present:
            return
        if not self.login_state.can("back_office"):
            self.sale_screen.notice.show_error(
                _("Reports are for coordinators and admins; ask one to log in"))
            return
        from pos_app.ui.reporting.reports_screen import ReportsScreen

        self.reports_dialog = self._show(ReportsScreen(self.app_ctx, self))

    def open_reconcile(self) -> None:
        """Payment reconciliation against a statement, for coordinators and admins."""
        if not (self.login_state.present and self.login_state.can("back_office")):
            return
        from pos_app.ui.shift.reconcile_dialog import ReconcileDialog  # loaded when first opened

        self.reconcile_dialog = self._show(ReconcileDialog(self.app_ctx, self))

    def open_sync(self) -> None:
        """The sync screen (Ctrl+Shift+S or a tap on the unsynced count), for everyone."""
        if not self.login_state.present:
            return
        dialog = SyncScreen(self.app_ctx, self.sync_runner, self)
        dialog.usb.acknowledged.connect(self.sync_label.refresh)
        self.sync_dialog = self._show(dialog)

    def _show(self, dialog: D, keep: bool = False) -> D:
        """Open ``dialog`` over the sale screen; closing it gives the scan box back and, unless
        ``keep``, deletes it."""
        dialog.finished.connect(lambda _r: self.sale_screen.dialog_closed()
                                if self.login_state.ready else self.activateWindow())
        if not keep:
            dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _sync_failed(self, message: str) -> None:
        """A background sync that failed is said quietly; the records wait for the next."""
        self.sync_label.refresh()
        self.notify(_("Sync failed: {reason}").format(reason=message))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.sale_screen.keeper.may_close(event):  # items in the cart: park or discard?
            return
        self.sync_runner.shutdown()
        super().closeEvent(event)

    def notify(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_SHOWN_MS)

    def _print_finished(self, result: PrintResult) -> None:
        """A printed receipt is said quietly in the status bar; failures warn on the screen."""
        if result.kind == "receipt" and result.printed:
            self.notify(result.done_text())
