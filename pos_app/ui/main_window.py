"""The main window: a toolbar (history, language, settings), the sale screen, and a status bar
that says which device, cashier and event this is and how the receipt printer is doing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QStatusBar,
    QToolBar,
    QToolButton,
    QWidget,
)

from pos_app import i18n
from pos_app.domain.cart import Cart
from pos_app.i18n import LANGUAGES, _
from pos_app.services.settings import set_language as store_language
from pos_app.ui.history_dialog import HistoryDialog
from pos_app.ui.print_queue import BUSY, FAILED, NONE, PrintQueue, PrintResult
from pos_app.ui.sale_screen import SaleScreen
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.till import Till

STATUS_SHOWN_MS = 8_000


class PrinterStatus(QLabel):
    """``Printer: ready`` / ``not set`` / ``printing…`` / ``last job failed``, kept current."""

    def __init__(self, queue: PrintQueue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue = queue
        queue.state_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        state = self.queue.state
        if state == NONE:
            text = _("Printer: not set")
        elif state == BUSY:
            text = _("Printer: printing…")
        elif state == FAILED:
            text = _("Printer: last job failed")
        else:
            text = _("Printer: ready")
        self.setText(text)
        self.setStyleSheet("color: #B42318; font-weight: 600;" if state == FAILED else "")


class MainWindow(QMainWindow):
    language_switched = Signal(str)

    def __init__(self, till: Till, cart: Cart | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.till = till
        self.toolbar: QToolBar | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.history_dialog: HistoryDialog | None = None
        self.setMinimumSize(1024, 700)
        till.printer.finished.connect(self._print_finished)
        self._build(cart)

    def _build(self, cart: Cart | None) -> None:
        """Make every widget in the current language (again, after a switch)."""
        ctx = self.till.context
        self.setWindowTitle(_("Lapak POS — {event}").format(event=ctx.event_name)
                            if ctx.event_name else _("Lapak POS"))
        if self.toolbar is not None:
            self.removeToolBar(self.toolbar)
            self.toolbar.deleteLater()
        for action in self.actions():
            self.removeAction(action)
            action.deleteLater()
        self.toolbar = self._make_toolbar()
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

        self.sale_screen = SaleScreen(self.till, cart, self)
        self.setCentralWidget(self.sale_screen)  # the old screen is deleted by Qt
        self.till.ops.error_sink = self.sale_screen.show_failure

        bar = QStatusBar(self)
        bar.setSizeGripEnabled(False)
        self.device_label = QLabel(_("Device {code}").format(code=ctx.device_code), bar)
        self.cashier_label = QLabel(_("Cashier: {name}").format(name=self.till.cashier), bar)
        self.event_label = QLabel(_("Event: {name}").format(name=ctx.event_name or "—"), bar)
        self.printer_label = PrinterStatus(self.till.printer, bar)
        for label in (self.device_label, self.cashier_label, self.event_label,
                      self.printer_label):
            bar.addPermanentWidget(label)
        self.setStatusBar(bar)
        self.sale_screen.start()

    def _make_toolbar(self) -> QToolBar:
        bar = QToolBar(_("Main"), self)
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        bar.toggleViewAction().setVisible(False)
        brand = QLabel("Lapak", bar)
        brand.setProperty("role", "brand")
        event = QLabel(self.till.context.event_name, bar)
        event.setProperty("role", "event")
        spacer = QWidget(bar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(brand)
        bar.addWidget(event)
        bar.addWidget(spacer)

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
        self.language_button.setText(f"{LANGUAGES.get(i18n.language(), i18n.language())}  ▾")
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
        fullscreen = QAction(self)
        fullscreen.setShortcut(QKeySequence("F11"))
        fullscreen.triggered.connect(self._toggle_fullscreen)
        self.addAction(fullscreen)
        return bar

    # -- actions ----------------------------------------------------------------------
    def switch_language(self, lang: str) -> None:
        """Store the choice (so the next start opens in it) and rebuild the window in it."""
        if lang == i18n.language():
            return
        self.till.store(store_language, lang, on_done=lambda: self._apply_language(lang),
                        owner=self)

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
        dialog = SettingsDialog(self.till, self)
        dialog.finished.connect(lambda _r: self.sale_screen._dialog_closed())
        self.settings_dialog = dialog
        dialog.open()

    def open_history(self) -> None:
        dialog = HistoryDialog(self.till, self)
        dialog.finished.connect(lambda _r: self.sale_screen._dialog_closed())
        dialog.finished.connect(dialog.deleteLater)
        self.history_dialog = dialog
        dialog.open()

    def _print_finished(self, result: PrintResult) -> None:
        """A printed receipt is said quietly in the status bar; failures warn on the screen."""
        if result.kind == "receipt" and result.printed:
            text = (_("Copy of receipt {number} printed") if result.copy
                    else _("Receipt {number} printed")).format(number=result.number)
            self.statusBar().showMessage(text, STATUS_SHOWN_MS)
