"""The status bar: device, shift (since when, whose), cashier, event, printer state and a
Lock button, kept current as people log in, lock, hand over and close."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar, QWidget

from pos_app.domain.calendar import local_time
from pos_app.i18n import _
from pos_app.ui.print_queue import BUSY, FAILED, NONE, PrintQueue
from pos_app.ui.session import Session
from pos_app.ui.till import Till


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


def shift_text(session: Session, timezone: str) -> str:
    shift = session.shift
    if shift is None:
        return _("No shift open")
    opened = local_time(shift.opened_at, timezone).strftime("%d/%m %H:%M")
    return _("Shift since {time} ({cashier})").format(time=opened, cashier=shift.cashier)


class StatusBar(QStatusBar):
    def __init__(self, till: Till, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.till = till
        ctx = till.context
        self.setSizeGripEnabled(False)
        self.device_label = QLabel(_("Device {code}").format(code=ctx.device_code), self)
        self.shift_label = QLabel(self)
        self.cashier_label = QLabel(self)
        self.event_label = QLabel(_("Event: {name}").format(name=ctx.event_name or "—"), self)
        self.printer_label = PrinterStatus(till.printer, self)
        self.lock_button = QPushButton(_("Lock  F10"), self)
        self.lock_button.setProperty("role", "status")
        self.lock_button.setToolTip(_("Lock the till; your PIN opens it again (F10)"))
        self.lock_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lock_button.setCursor(Qt.CursorShape.PointingHandCursor)
        for widget in (self.device_label, self.shift_label, self.cashier_label,
                       self.event_label, self.printer_label, self.lock_button):
            self.addPermanentWidget(widget)
        till.session.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        session = self.till.session
        self.shift_label.setText(shift_text(session, self.till.context.timezone))
        self.cashier_label.setText(_("Cashier: {name}").format(name=session.cashier or "—"))
        self.lock_button.setEnabled(session.ready)
