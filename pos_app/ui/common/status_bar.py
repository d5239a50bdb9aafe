"""The status bar: DEMO on a demo database, device, shift (since when, whose), cashier, event,
printer state, what is still unsent to the central database, a backup warning when there is
one, and a Lock button, kept current as people log in, lock, hand over and close."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar, QWidget

from pos_app.domain.calendar import local_time
from pos_app.i18n import _
from pos_app.services.setup.booth import Booth
from pos_app.services.sync.record import describe
from pos_app.services.sync.sync_status import SyncStatus, status
from pos_app.ui.access.login_state import LoginState
from pos_app.ui.common import style
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.changes import Change
from pos_app.ui.sale.print_queue import BUSY, FAILED, NONE, PrintQueue
from pos_app.ui.setup.backup_status import BackupStatus


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


SYNC_REFRESH_MS = 60_000
# Sales coming fast are counted once: a change notice waits this long for the next ones.
SYNC_COALESCE_MS = 700


def _read_sync(booth: Booth) -> tuple[SyncStatus, datetime]:
    """Runs in an op: the status and the booth clock's now (the age is measured by it)."""
    return status(booth), booth.clock.now()


def sync_text(st: SyncStatus, now: datetime) -> str:
    hours = st.oldest_age_hours(now)
    if hours is None:
        text = _("Unsynced: {count}").format(count=st.unsynced)
    elif hours < 1:
        text = _("Unsynced: {count} · oldest {minutes}m").format(
            count=st.unsynced, minutes=int(hours * 60))
    else:
        text = _("Unsynced: {count} · oldest {hours}h").format(count=st.unsynced,
                                                               hours=int(hours))
    if st.quarantined:  # set aside: they will not reach head office by themselves
        text += " · " + _("quarantined {count}").format(count=st.quarantined)
    return text


class SyncStatusLabel(QLabel):
    """``Unsynced: N · oldest Xh``, amber past ``sync_warn_hours`` or while records are
    quarantined, with the last sync's result in its tooltip. Read on the ops' background
    worker, never in the checkout's queue: after sales or a sync (the app's change signal,
    coalesced: a burst of sales is one read), and every minute."""

    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.kind = ""
        self.loaded = False
        self.reads = 0  # reads started, for tests and benchmarks
        self.setProperty("kind", "")
        self.timer = QTimer(self)
        self.timer.setInterval(SYNC_REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.soon = QTimer(self)
        self.soon.setSingleShot(True)
        self.soon.setInterval(SYNC_COALESCE_MS)
        self.soon.timeout.connect(self.refresh)
        app_ctx.changes.listen(self, {Change.SALES, Change.SYNC}, lambda _c: self.later())
        self.refresh()

    def later(self) -> None:
        """Refresh shortly, once for however many changes arrive meanwhile."""
        if not self.soon.isActive():
            self.soon.start()

    def refresh(self) -> None:
        self.reads += 1
        self.app_ctx.ops.run(_read_sync, self.app_ctx.booth, on_success=self._show,
                             on_error=lambda _failure: None, owner=self, key="sync_status",
                             background=True)

    def _show(self, result: tuple[SyncStatus, datetime]) -> None:
        st, now = result
        self.loaded = True
        self.kind = "warning" if st.warning(now) or st.quarantined else ""
        self.setText(sync_text(st, now))
        self.setProperty("kind", self.kind)
        tip = _("Records not yet sent to the central database")
        if st.quarantined:
            tip += "\n" + _("Quarantined: {count}").format(count=st.quarantined)
        if not st.last_result.empty:
            tip += "\n" + _("Last result: {result}").format(result=describe(st.last_result))
        self.setToolTip(tip)
        self.setStyleSheet(f"color: {style.WARNING}; background: {style.WARNING_SOFT};"
                           " font-weight: 600;" if self.kind else "")


def shift_text(login_state: LoginState, timezone: str) -> str:
    shift = login_state.shift
    if shift is None:
        return _("No shift open")
    opened = local_time(shift.opened_at, timezone).strftime("%d/%m %H:%M")
    return _("Shift since {time} ({cashier})").format(time=opened, cashier=shift.cashier)


class StatusBar(QStatusBar):
    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        ctx = app_ctx.context
        self.setSizeGripEnabled(False)
        # a demo database (its users' PINs are published) says so on every screen
        self.demo_label = QLabel(_("DEMO"), self)
        self.demo_label.setToolTip(_("A demo database: its users' PINs are published, its "
                                     "sales are not real"))
        self.demo_label.setStyleSheet(f"color: {style.WARNING}; background: "
                                      f"{style.WARNING_SOFT}; font-weight: 700; "
                                      "padding: 0 8px;")
        self.demo_label.setVisible(ctx.demo)
        self.device_label = QLabel(_("Device {code}").format(code=ctx.device_code), self)
        self.shift_label = QLabel(self)
        self.cashier_label = QLabel(self)
        self.event_label = QLabel(_("Event: {name}").format(name=ctx.event_name or "—"), self)
        self.printer_label = PrinterStatus(app_ctx.printer, self)
        self.sync_label = SyncStatusLabel(app_ctx, self)
        self.backup_label = BackupStatus(app_ctx, self)  # hidden while all is well
        self.backup_label.shown.connect(self._fit)
        self.lock_button = QPushButton(_("Lock  F10"), self)
        self.lock_button.setProperty("role", "status")
        self.lock_button.setToolTip(_("Lock the till; your PIN opens it again (F10)"))
        self.lock_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lock_button.setCursor(Qt.CursorShape.PointingHandCursor)
        for widget in (self.demo_label, self.device_label, self.shift_label, self.cashier_label,
                       self.event_label, self.printer_label, self.sync_label, self.backup_label,
                       self.lock_button):
            self.addPermanentWidget(widget)
        for label in (self.device_label, self.event_label, self.cashier_label):
            label.setMinimumWidth(1)  # they give way (see _fit) rather than widen the window
        app_ctx.login_state.changed.connect(self.refresh)
        app_ctx.changes.listen(self, {Change.SETTINGS, Change.USERS}, lambda _c: self.refresh())
        self.refresh()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """On a narrow screen the event (already in the toolbar) and then the device give way,
        so what is left is never cut."""
        super().resizeEvent(event)
        self._fit()

    def event(self, event: QEvent) -> bool:  # noqa: D102 - Qt override
        # a label's text changed (the sync count, the printer): fit again, as on a resize
        if event.type() == QEvent.Type.LayoutRequest:
            self._fit()
        return super().event(event)

    def _fit(self) -> None:
        shown = [self.shift_label, self.printer_label, self.sync_label,
                 self.lock_button, *([self.backup_label] if self.backup_label.text() else [])]
        room = self.width() - 24
        if self.app_ctx.context.demo:
            shown.append(self.demo_label)
        need = sum(w.sizeHint().width() + 6 for w in shown)
        for label in (self.device_label, self.event_label, self.cashier_label):  # give way
            need += label.sizeHint().width() + 6
            label.setVisible(need <= room)

    def refresh(self) -> None:
        login_state = self.app_ctx.login_state
        self.shift_label.setText(shift_text(login_state, self.app_ctx.context.timezone))
        self.cashier_label.setText(_("Cashier: {name}").format(name=login_state.cashier or "—"))
        self.lock_button.setEnabled(login_state.present)
        self.demo_label.setVisible(self.app_ctx.context.demo)
        self._fit()
