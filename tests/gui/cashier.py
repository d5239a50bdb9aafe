"""A test cashier: drives the real login screen, sale screen, payment and shift dialogs with
keys and taps; and readers of the rows they write."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from pos_app.domain.tenders import Method
from pos_app.persistence.models import (
    Approval,
    ApprovalUse,
    AuditEvent,
    Payment,
    PrintJob,
    Sale,
    SaleLine,
    Shift,
    ShiftEvent,
    StockMovement,
)
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.settings import set_setting
from pos_app.ui.common.ops import Ops
from pos_app.ui.main_window import MainWindow
from pos_app.ui.sale.payment_dialog import PaymentDialog
from pos_app.ui.sale.sale_screen import SaleScreen

TIMEOUT = 10_000


class Cashier:
    def __init__(self, qtbot, window: MainWindow, ops: Ops) -> None:
        self.qtbot, self.window, self.ops = qtbot, window, ops

    @property
    def screen(self) -> SaleScreen:
        return self.window.sale_screen

    def wait_idle(self) -> None:
        self.qtbot.waitUntil(lambda: not self.ops.busy, timeout=TIMEOUT)

    # -- finding and adding ---------------------------------------------------------------
    def type_in_scan_box(self, text: str) -> None:
        box = self.screen.scan_box
        box.setFocus()
        self.qtbot.keyClicks(box, text)

    def scan(self, code: str) -> None:
        """What a barcode scanner does: the digits, then Enter."""
        self.type_in_scan_box(code)
        self.qtbot.keyClick(self.screen.scan_box, Qt.Key.Key_Return)
        self.wait_idle()

    def grid_names(self) -> list[str]:
        return [row.name for row in self.screen.grid.model.rows()]

    def tap_product(self, name: str) -> None:
        view = self.screen.grid.view
        row = self.grid_names().index(name)
        index = view.model().index(row, 0)
        view.scrollTo(index)
        self.qtbot.waitUntil(lambda: view.visualRect(index).isValid(), timeout=TIMEOUT)
        self.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                              pos=view.visualRect(index).center())

    def press(self, key: Qt.Key, widget=None) -> None:
        self.qtbot.keyClick(widget or self.screen.scan_box, key)

    def cart(self) -> list[tuple[str, int]]:
        return [(line.product.name, line.qty) for line in self.screen.cart.lines]

    def total_shown(self) -> str:
        return self.screen.panel.total_label.text()

    # -- paying -----------------------------------------------------------------------------
    def open_payment(self) -> PaymentDialog:
        self.press(Qt.Key.Key_F12)
        self.qtbot.waitUntil(lambda: self.screen.payment_dialog is not None
                             and self.screen.payment_dialog.isVisible(), timeout=TIMEOUT)
        return self.activate(self.screen.payment_dialog)

    def activate(self, dialog):
        """What the window manager does when a dialog opens (offscreen has none)."""
        dialog.activateWindow()
        self.qtbot.waitUntil(dialog.isActiveWindow, timeout=TIMEOUT)
        return dialog

    def tender(self, dialog: PaymentDialog, method: Method, amount: str,
               reference: str = "", add: bool = False) -> None:
        """Pick the method (by its F-key), type the amount and reference as a cashier would."""
        keys = {Method.CASH: Qt.Key.Key_F1, Method.QRIS: Qt.Key.Key_F2,
                Method.TRANSFER: Qt.Key.Key_F3, Method.CARD: Qt.Key.Key_F4}
        self.qtbot.keyClick(dialog.form.amount_edit, keys[method])
        assert dialog.form.method is method
        dialog.form.amount_edit.clear()
        self.qtbot.keyClicks(dialog.form.amount_edit, amount)
        if reference:
            self.qtbot.keyClicks(dialog.form.reference_edit, reference)
        if add:
            self.qtbot.keyClick(dialog.form.amount_edit, Qt.Key.Key_F6)

    def confirm(self, dialog: PaymentDialog) -> None:
        self.qtbot.keyClick(dialog.form.amount_edit, Qt.Key.Key_Return)
        self.wait_idle()

    # -- logging in and counting --------------------------------------------------------------
    def log_in(self, name: str, pin: str) -> None:
        """Tap the name, tap the PIN on the pad, tap OK; returns once the PIN was checked."""
        screen = self.window.login_screen
        self.qtbot.waitUntil(lambda: name in screen.picker.buttons, timeout=TIMEOUT)
        self.qtbot.mouseClick(screen.picker.buttons[name], Qt.MouseButton.LeftButton)
        for digit in pin:
            self.qtbot.mouseClick(screen.pad.buttons[digit], Qt.MouseButton.LeftButton)
        self.qtbot.mouseClick(screen.pad.buttons["OK"], Qt.MouseButton.LeftButton)
        self.wait_idle()

    def count_cash(self, count_widget, pieces: dict[int, int],
                   coins: dict[int, int] | None = None) -> None:
        """Type the pieces of each note (and coin) into a cash count, as a cashier would."""
        for kind, values in (("note", pieces), ("coin", coins or {})):
            for value, n in values.items():
                edit = count_widget.fields[(kind, value)]
                edit.setFocus()
                edit.clear()
                self.qtbot.keyClicks(edit, str(n))

    def wait_for(self, get_dialog):
        """The dialog ``get_dialog()`` returns, once it is on screen (and active)."""
        self.qtbot.waitUntil(lambda: get_dialog() is not None and get_dialog().isVisible(),
                             timeout=TIMEOUT)
        return self.activate(get_dialog())


def count(booth: Booth, model) -> int:
    with booth.db.read() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def sales(booth: Booth) -> list[Sale]:
    with booth.db.read() as s:
        return list(s.scalars(select(Sale).order_by(Sale.number)))


def sale_lines(booth: Booth) -> list[SaleLine]:
    with booth.db.read() as s:
        return list(s.scalars(select(SaleLine).order_by(SaleLine.line_no)))


def payments(booth: Booth) -> list[Payment]:
    with booth.db.read() as s:
        return list(s.scalars(select(Payment).order_by(Payment.line_no)))


def sale_movements(booth: Booth) -> list[StockMovement]:
    with booth.db.read() as s:
        return list(s.scalars(select(StockMovement).where(StockMovement.kind == "sale")
                              .order_by(StockMovement.qty)))


def print_jobs(booth: Booth) -> list[PrintJob]:
    with booth.db.read() as s:
        return list(s.scalars(select(PrintJob).order_by(PrintJob.seq)))


def use_printer(window: MainWindow, booth: Booth, uri: str, **settings: str) -> None:
    """What saving the Settings dialog does: store, refresh the till's copy, tell the queue."""
    for key, value in {"printer_uri": uri, **settings}.items():
        set_setting(booth, key, value)
    window.app_ctx.settings = booth.settings()
    window.app_ctx.printer.configure(window.app_ctx.settings)


def shift_rows(booth: Booth) -> list[Shift]:
    with booth.db.read() as s:
        return list(s.scalars(select(Shift).order_by(Shift.seq)))


def shift_events(booth: Booth) -> list[ShiftEvent]:
    with booth.db.read() as s:
        return list(s.scalars(select(ShiftEvent).order_by(ShiftEvent.seq)))


def journal(booth: Booth, *actions: str) -> list[AuditEvent]:
    """The journal events (of ``actions``, if given), oldest first."""
    with booth.db.read() as s:
        q = select(AuditEvent).order_by(AuditEvent.chain_index)
        if actions:
            q = q.where(AuditEvent.action.in_(actions))
        return list(s.scalars(q))


def approval_rows(booth: Booth) -> list[Approval]:
    with booth.db.read() as s:
        return list(s.scalars(select(Approval).order_by(Approval.seq)))


def approval_uses(booth: Booth) -> list[ApprovalUse]:
    with booth.db.read() as s:
        return list(s.scalars(select(ApprovalUse).order_by(ApprovalUse.seq)))
