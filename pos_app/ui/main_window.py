"""The main window: a toolbar (shift, lock, language, history, stock, settings), the login/lock screen
or the sale screen, and a status bar (device, shift, cashier, event, printer).

Nobody sells before logging in with a PIN and opening (or continuing) a shift. Locking (F10,
the Lock button, or ``idle_lock_minutes`` without input) hides the sale screen behind the lock
screen; the cart stays as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QToolButton,
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
from pos_app.ui.common.labels import ElidedLabel
from pos_app.ui.common.scanner import ScanFilter
from pos_app.ui.common.status_bar import PrinterStatus, StatusBar
from pos_app.ui.sale.print_queue import PrintResult
from pos_app.ui.sale.sale_screen import SaleScreen
from pos_app.ui.shift.shift_menu import ShiftMenu
from pos_app.ui.sync.sync_runner import SyncRunner
from pos_app.ui.sync.sync_screen import SHORTCUT as SYNC_KEY
from pos_app.ui.sync.sync_screen import Clickable, SyncScreen

if TYPE_CHECKING:  # the dialogs load when first opened, not at start-up
    from pos_app.ui.history.history_dialog import HistoryDialog
    from pos_app.ui.setup.first_run import FirstRunDialog
    from pos_app.ui.setup.settings_dialog import SettingsDialog

__all__ = ["MainWindow", "PrinterStatus"]

STATUS_SHOWN_MS = 8_000
D = TypeVar("D", bound=QDialog)
LOGIN_PAGE, SALE_PAGE = 0, 1


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
        for action in self.actions():
            self.removeAction(action)
            action.deleteLater()
        self.toolbar = self._make_toolbar()
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

        self.pages = QStackedWidget(self)
        self.login_screen = LoginScreen(self.app_ctx, self.pages)
        self.login_screen.logged_in.connect(self.flow.logged_in)
        self.sale_screen = SaleScreen(self.app_ctx, cart, self.pages)
        self.pages.addWidget(self.login_screen)
        self.pages.addWidget(self.sale_screen)
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

    def _make_toolbar(self) -> QToolBar:
        bar = QToolBar(_("Main"), self)
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        bar.toggleViewAction().setVisible(False)
        brand = QLabel("Lapak", bar)
        brand.setProperty("role", "brand")
        event = ElidedLabel(self.app_ctx.context.event_name, bar)  # gives way on 1024 px
        event.setProperty("role", "event")
        spacer = QWidget(bar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(brand)
        bar.addWidget(event)
        bar.addWidget(spacer)

        self.shift_menu = ShiftMenu(self.app_ctx, self, self._notify)
        bar.addWidget(self.shift_menu.button)
        self.lock_action = QAction(_("Lock"), self)
        self.lock_action.setShortcut(QKeySequence("F10"))
        self.lock_action.setToolTip(_("Lock the till; your PIN opens it again (F10)"))
        self.lock_action.triggered.connect(self.lock)
        bar.addAction(self.lock_action)
        self.addAction(self.lock_action)

        self.language_actions: dict[str, QAction] = {}
        menu = QMenu(self)
        group = QActionGroup(menu)
        for code, name in LANGUAGES.items():
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == i18n.language())
            action.triggered.connect(lambda _c=False, c=code: self.switch_language(c))
            group.addAction(action)
            self.language_actions[code] = action
        self.language_button = QToolButton(bar)
        self.language_button.setText(f"{i18n.language().upper()}  ▾")  # the names: in its menu
        self.language_button.setToolTip(_("Language (Ctrl+L)"))
        self.language_button.setMenu(menu)
        self.language_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        bar.addWidget(self.language_button)

        self.history_action = QAction(_("Sales history"), self)
        self.history_action.setShortcut(QKeySequence("F8"))
        self.history_action.setToolTip(_("Find a sale, reprint its receipt, kwitansi (F8)"))
        self.history_action.triggered.connect(self.open_history)
        bar.addAction(self.history_action)
        self.addAction(self.history_action)

        # The toolbar button is shown to coordinators and admins; F6 works for everyone, so a
        # cashier who presses it is told why nothing opens.
        self.stock_action = QAction(_("Stock"), self)
        self.stock_action.setToolTip(_("On hand, receive goods, count, close-out (F6)"))
        self.stock_action.triggered.connect(self.open_stock)
        bar.addAction(self.stock_action)
        self.stock_key = QAction(self)
        self.stock_key.setShortcut(QKeySequence("F6"))
        self.stock_key.triggered.connect(self.open_stock)
        self.addAction(self.stock_key)
        self.reconcile_action = QAction(_("Reconcile"), self)  # coordinators, like Stock
        self.reconcile_action.setToolTip(_("Match QRIS and transfer payments to the bank "
                                           "statement"))
        self.reconcile_action.triggered.connect(self.open_reconcile)
        bar.addAction(self.reconcile_action)

        # Reports, like stock: the button for coordinators and admins, Ctrl+R (every F-key is
        # taken at the till) for everyone, so a cashier who presses it is told why.
        self.reports_action = QAction(_("Reports"), self)
        self.reports_action.setToolTip(_("How the event is going: totals, breakdowns, "
                                         "charts (Ctrl+R)"))
        self.reports_action.triggered.connect(self.open_reports)
        bar.addAction(self.reports_action)
        self.reports_key = QAction(self)
        self.reports_key.setShortcut(QKeySequence("Ctrl+R"))
        self.reports_key.triggered.connect(self.open_reports)
        self.addAction(self.reports_key)

        self.settings_action = QAction(_("Settings"), self)
        self.settings_action.setShortcut(QKeySequence("F9"))
        self.settings_action.setToolTip(_("Settings (F9)"))
        self.settings_action.triggered.connect(self.open_settings)
        bar.addAction(self.settings_action)
        self.addAction(self.settings_action)

        toggle = QAction(self)
        toggle.setShortcut(QKeySequence("Ctrl+L"))
        toggle.triggered.connect(self._toggle_language)
        self.addAction(toggle)
        self.sync_key = QAction(self)  # also a tap on the status bar's unsynced count
        self.sync_key.setShortcut(QKeySequence(SYNC_KEY))
        self.sync_key.triggered.connect(self.open_sync)
        self.addAction(self.sync_key)
        fullscreen = QAction(self)
        fullscreen.setShortcut(QKeySequence("F11"))
        fullscreen.triggered.connect(self._toggle_fullscreen)
        self.addAction(fullscreen)
        return bar

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
        ready = login_state.ready
        self.pages.setCurrentIndex(SALE_PAGE if ready else LOGIN_PAGE)
        shown = (login_state.user.id if login_state.user else None, login_state.locked, ready)
        if shown != self._shown:
            self._shown = shown
            if login_state.locked and login_state.user is not None:
                self.login_screen.show_locked(login_state.user.name)
            elif login_state.user is None:
                self.login_screen.show_login()
            if ready:
                self.sale_screen.focus_scan()
        for action in (self.history_action, self.settings_action, self.lock_action,
                       self.stock_action, self.stock_key, self.reports_action,
                       self.reports_key, self.sync_key):
            action.setEnabled(ready)
        self.stock_action.setVisible(self.login_state.can("back_office"))
        self.reconcile_action.setEnabled(ready)
        self.reconcile_action.setVisible(self.login_state.can("back_office"))
        self.reports_action.setVisible(self.login_state.can("back_office"))
        self.shift_menu.set_enabled(ready)
        if ready:
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
            self.login_screen.show_login(name)

    def lock(self) -> None:
        """Lock the till (F10, the Lock button, or idle). Open dialogs are cancelled first; one
        that cannot be (a sale being saved) puts the lock off until the next idle spell."""
        if not self.login_state.ready:
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

    def _toggle_language(self) -> None:
        codes = list(LANGUAGES)
        current = i18n.language()
        self.switch_language(codes[(codes.index(current) + 1) % len(codes)]
                             if current in codes else codes[0])

    def _toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showMaximized()
        else:
            self.showFullScreen()

    def open_settings(self) -> None:
        if not self.login_state.ready:
            return
        from pos_app.ui.setup.settings_dialog import SettingsDialog

        self.settings_dialog = self._show(SettingsDialog(self.app_ctx, self), keep=True)

    def open_history(self) -> None:
        if not self.login_state.ready:
            return
        from pos_app.ui.history.history_dialog import HistoryDialog

        self.history_dialog = self._show(HistoryDialog(self.app_ctx, self))

    def open_stock(self) -> None:
        """The stock screen (F6), for coordinators and admins."""
        if not self.login_state.ready:
            return
        if not self.login_state.can("back_office"):
            self.sale_screen.notice.show_error(
                _("The stock screen is for coordinators and admins; ask one to log in"))
            return
        from pos_app.ui.stock.stock_screen import StockScreen  # loaded when first opened

        self.stock_dialog = self._show(StockScreen(self.app_ctx, self))

    def open_reports(self) -> None:
        """The reports screen (Ctrl+R), for coordinators and admins; matplotlib loads here,
        never at start-up."""
        if not self.login_state.ready:
            return
        if not self.login_state.can("back_office"):
            self.sale_screen.notice.show_error(
                _("Reports are for coordinators and admins; ask one to log in"))
            return
        from pos_app.ui.reporting.reports_screen import ReportsScreen

        self.reports_dialog = self._show(ReportsScreen(self.app_ctx, self))

    def open_reconcile(self) -> None:
        """Payment reconciliation against a statement, for coordinators and admins."""
        if not (self.login_state.ready and self.login_state.can("back_office")):
            return
        from pos_app.ui.shift.reconcile_dialog import ReconcileDialog  # loaded when first opened

        self.reconcile_dialog = self._show(ReconcileDialog(self.app_ctx, self))

    def open_sync(self) -> None:
        """The sync screen (Ctrl+Shift+S or a tap on the unsynced count), for everyone."""
        if not self.login_state.ready:
            return
        dialog = SyncScreen(self.app_ctx, self.sync_runner, self)
        dialog.usb.acknowledged.connect(self.sync_label.refresh)
        self.sync_dialog = self._show(dialog)

    def _show(self, dialog: D, keep: bool = False) -> D:
        """Open ``dialog`` over the sale screen; closing it gives the scan box back and, unless
        ``keep``, deletes it."""
        dialog.finished.connect(lambda _r: self.sale_screen.dialog_closed())
        if not keep:
            dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _sync_failed(self, message: str) -> None:
        """A background sync that failed is said quietly; the records wait for the next."""
        self.sync_label.refresh()
        self._notify(_("Sync failed: {reason}").format(reason=message))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.sale_screen.keeper.may_close(event):  # items in the cart: park or discard?
            return
        self.sync_runner.shutdown()
        super().closeEvent(event)

    def _notify(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_SHOWN_MS)

    def _print_finished(self, result: PrintResult) -> None:
        """A printed receipt is said quietly in the status bar; failures warn on the screen."""
        if result.kind == "receipt" and result.printed:
            text = (_("Copy of receipt {number} printed") if result.copy
                    else _("Receipt {number} printed")).format(number=result.number)
            self._notify(text)
