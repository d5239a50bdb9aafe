"""The sync screen (Ctrl+Shift+S, or a tap on the status bar's unsynced count): whether this
booth is enrolled with a central database, what is still waiting to be sent and how old the
oldest unsent sale is, what was quarantined and why, how the last sync ended, a progress bar
while one runs, and Sync now; and, for a booth with no network, Save for USB… and Load
acknowledgement… (:mod:`pos_app.ui.sync.sync_usb`).

Everything shown is read in an op (never on the GUI thread); the sync itself is the
:class:`~pos_app.ui.sync.sync_runner.SyncRunner`'s, so closing this screen never stops it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.calendar import local_time
from pos_app.i18n import _
from pos_app.services.setup.booth import Booth
from pos_app.services.sync import sync_status
from pos_app.services.sync.record import describe
from pos_app.services.sync.sync_status import SyncStatus
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import shortcut
from pos_app.ui.sync.sync_runner import NOT_ENROLLED, SyncRunner
from pos_app.ui.sync.sync_usb import UsbBundle, has_bundle_key

SHORTCUT = "Ctrl+Shift+S"
QUARANTINE_SHOWN = 200  # rows listed; the count above says how many there are


@dataclass(frozen=True)
class SyncFacts:
    status: SyncStatus
    now: datetime
    timezone: str
    device_code: str
    host: str
    port: str
    dbname: str
    quarantined: tuple[tuple[str, uuid.UUID, str], ...]  # (table, record id, reason)
    bundle_key: bool = False  # enrolled, with the key USB bundles are signed with


def read_facts(booth: Booth) -> SyncFacts:
    """Runs in an op: the status, where the central database is, the quarantined records."""
    st = sync_status.status(booth)
    rows = sync_status.quarantined_records(booth, QUARANTINE_SHOWN)
    settings = booth.settings()
    ctx = booth.context
    return SyncFacts(st, booth.clock.now(), ctx.timezone,
                     settings.central_device_code or ctx.device_code,
                     settings.central_host, str(settings.central_port), settings.central_dbname,
                     tuple(rows),
                     st.enrolled and has_bundle_key(booth))


def age_text(hours: float | None) -> str:
    if hours is None:
        return "—"
    if hours < 1:
        return _("{minutes} min ago").format(minutes=int(hours * 60))
    return _("{hours} h ago").format(hours=int(hours))


class Clickable(QObject):
    """Makes a label (the status bar's unsynced count) open something when tapped."""

    clicked = Signal()

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        widget.installEventFilter(self)
        widget.setCursor(Qt.CursorShape.PointingHandCursor)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (event.type() == QEvent.Type.MouseButtonRelease
                and event.button() == Qt.MouseButton.LeftButton):
            self.clicked.emit()
            return True
        return False


def _tile(parent: QWidget, caption: str) -> tuple[QFrame, QLabel]:
    frame = QFrame(parent)
    frame.setProperty("role", "card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 12)
    layout.setSpacing(4)
    top = QLabel(caption, frame)
    top.setProperty("role", "caption")
    value = QLabel("—", frame)
    value.setProperty("role", "figure")
    layout.addWidget(top)
    layout.addWidget(value)
    return frame, value


class SyncScreen(QDialog):
    """What the sync stands at, and Sync now."""

    loaded = Signal()

    def __init__(self, app_ctx: AppContext, runner: SyncRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx, self.runner = app_ctx, runner
        self.facts: SyncFacts | None = None
        self.setWindowTitle(_("Sync"))
        self.setModal(True)
        self.setMinimumWidth(880)

        title = QLabel(_("Sync with the central database"), self)
        title.setProperty("role", "title")
        self.enrolled_label = QLabel(self)
        self.enrolled_label.setWordWrap(True)
        self.enrolled_label.setProperty("role", "heading")
        self.where_label = QLabel(self)
        self.where_label.setWordWrap(True)
        self.where_label.setProperty("role", "hint")
        tiles = QGridLayout()
        tiles.setSpacing(12)
        pending, self.pending_value = _tile(self, _("Waiting to be sent"))
        oldest, self.oldest_value = _tile(self, _("Oldest unsent sale"))
        quarantined, self.quarantined_value = _tile(self, _("Quarantined"))
        last, self.last_value = _tile(self, _("Last sync"))
        for col, frame in enumerate((pending, oldest, quarantined, last)):
            tiles.addWidget(frame, 0, col)
            tiles.setColumnStretch(col, 1)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setProperty("role", "hint")

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setMinimumHeight(28)
        self.state_label = QLabel(self)
        self.banner = Banner(self)

        self.quarantine_caption = QLabel(_("Quarantined records (kept aside, never "
                                           "overwritten; head office sorts them out)"), self)
        self.quarantine_caption.setProperty("role", "field")
        self.quarantine_caption.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([_("Table"), _("Record"), _("Reason")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.setMinimumHeight(200)  # the dialog grows to show it
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.quarantine_caption.hide()
        self.table.hide()

        self.close_button = TouchButton(_("Close"), self, key="Esc")
        self.close_button.clicked.connect(self.reject)
        self.sync_button = TouchButton(_("Sync now"), self, role="primary")
        self.sync_button.setMinimumWidth(220)
        self.sync_button.setEnabled(False)
        self.sync_button.clicked.connect(self.sync_now)
        self.usb = UsbBundle(self, runner)  # its worker outlives this screen
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sync_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(self.enrolled_label)
        layout.addWidget(self.where_label)
        layout.addLayout(tiles)
        layout.addWidget(self.result_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.state_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.quarantine_caption)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.usb.row)
        layout.addLayout(buttons)
        shortcut(self, "Ctrl+Return", self.sync_now)

        runner.started.connect(self._started)
        runner.progress.connect(self._progressed)
        runner.finished.connect(self._finished)
        runner.failed.connect(self._failed)
        runner.state_changed.connect(self._update_button)
        if runner.running:
            self._started()
            if runner.total:
                self._progressed(runner.done, runner.total)
        self.refresh()

    # -- reading --------------------------------------------------------------------------
    def refresh(self) -> None:
        self.app_ctx.ops.run(read_facts, self.app_ctx.booth, on_success=self._show,
                          on_error=lambda failure: self.banner.show_error(failure.message),
                          owner=self, key="sync_screen")

    def _show(self, facts: SyncFacts) -> None:
        self.facts = facts
        st = facts.status
        if st.enrolled and self.runner.state == NOT_ENROLLED:  # e.g. its password is gone
            self.enrolled_label.setText(_("Not enrolled"))
            self.where_label.setText(_(self.runner.not_enrolled_msgid))
        elif st.enrolled:
            self.enrolled_label.setText(_("Enrolled as {code}").format(code=facts.device_code))
            self.where_label.setText(_("Central database {dbname} on {host}").format(
                dbname=facts.dbname, host=f"{facts.host}:{facts.port}" if facts.port
                else facts.host))
        else:
            self.enrolled_label.setText(_("Not enrolled"))
            self.where_label.setText(_(sync_status.NOT_ENROLLED))
        self.pending_value.setText(str(st.unsynced))
        self.oldest_value.setText(age_text(st.oldest_age_hours(facts.now)))
        self.quarantined_value.setText(str(st.quarantined))
        self.last_value.setText(local_time(st.last_push_at, facts.timezone)
                                .strftime("%d/%m %H:%M") if st.last_push_at else "—")
        self.result_label.setText(_("Last result: {result}").format(
            result=describe(st.last_result)))
        self._fill_quarantine(facts.quarantined)
        self.usb.set_ready(facts.bundle_key)
        self._update_button()
        self.loaded.emit()

    def _fill_quarantine(self, rows: tuple[tuple[str, uuid.UUID, str], ...]) -> None:
        self.table.setRowCount(len(rows))
        for r, (table, record_id, reason) in enumerate(rows):
            for c, text in enumerate((table, str(record_id), reason)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.quarantine_caption.setVisible(bool(rows))
        self.table.setVisible(bool(rows))

    # -- syncing --------------------------------------------------------------------------
    @property
    def enrolled(self) -> bool:
        return (self.facts is not None and self.facts.status.enrolled
                and self.runner.state != NOT_ENROLLED)

    def _update_button(self) -> None:
        self.sync_button.setEnabled(self.enrolled and not self.runner.running)

    def sync_now(self) -> None:
        if self.sync_button.isEnabled():
            self.runner.sync_now()

    def _started(self) -> None:
        self.banner.clear()
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self.state_label.setText(_("Syncing…"))
        self._update_button()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.state_label.setText(_("{done} of {total} records sent").format(
            done=done, total=total))

    def _finished(self, text: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.state_label.setText("")
        self.banner.show_message(text, "success")
        self.refresh()

    def _failed(self, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.state_label.setText("")
        self.banner.show_error(message)
        self.refresh()


__all__ = ["SHORTCUT", "Clickable", "SyncFacts", "SyncScreen", "age_text", "read_facts"]
