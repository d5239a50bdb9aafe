"""The status bar's word on backups, and the daily backup behind it: a few minutes after
start-up and then every half hour the app backs up when the newest backup is more than a day
old (on the ops' background worker, never in the checkout's queue; not at once, so a start
stays light and a quick start-and-quit writes nothing). The label is hidden while all is well and
shows, in amber, a backup that is too old or failed, or a second folder (the USB stick)
that is missing or cannot be written."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from pos_app.domain.calendar import local_time
from pos_app.i18n import _
from pos_app.services.setup.backup_routine import BackupState, backup_if_due, backup_state
from pos_app.ui.common import style
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.changes import Change
from pos_app.ui.common.ops import OpFailure, error_text

CHECK_MS = 30 * 60_000
FIRST_CHECK_MS = 10 * 60_000  # after start-up


def backup_words(state: BackupState) -> str:
    """What is most wrong with the backups, in a few words ("": all is well); the tooltip
    says the rest. Short: the status bar has no room to spare on a 1024 px screen."""
    if state.error is not None:
        return _("Backup failed")
    if state.second_problem is not None:
        return (_("Backup USB missing")
                if state.second_problem.code == "backup_second_missing"
                else _("Backup USB not writable"))
    if state.last_at is None:
        return _("No backup yet")
    if state.stale:
        return _("Backup {hours} h old").format(hours=state.age_hours)
    return ""


def backup_tip(state: BackupState, timezone: str) -> str:
    lines = [_("Backups: {folder}").format(folder=state.folder)]
    if state.last_at is None:
        lines.append(_("No backup yet"))
    else:
        made = local_time(state.last_at, timezone)
        lines.append(_("Last backup: {time}").format(time=f"{made:%d/%m/%Y %H:%M}"))
    if state.second is not None:
        lines.append(_("Second folder: {folder}").format(folder=state.second))
    for problem in (state.error, state.second_problem):
        if problem is not None:
            lines.append(error_text(problem))
    return "\n".join(lines)


class BackupStatus(QLabel):
    """Reads the folders at start; checks (and backs up when due) :data:`FIRST_CHECK_MS`
    later and then every :data:`CHECK_MS`; re-reads the folders, without backing up, after a
    settings change or a login, lock or close. Until the first check, having no backup at
    all is not yet a warning (a new booth gets its first one then, or at its first close)."""

    shown = Signal()  # the text changed: the status bar makes room

    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.state: BackupState | None = None
        self.checked = False  # a check (which backs up when due) has run
        self.setVisible(False)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(FIRST_CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        app_ctx.changes.listen(self, {Change.SETTINGS}, lambda _c: self.read())
        app_ctx.login_state.changed.connect(self.read)
        self.read()

    def check(self) -> None:
        """Back up if the newest backup is more than a day old, then show the state."""
        self.checked = True
        self.timer.setSingleShot(False)
        self.timer.start(CHECK_MS)
        self._run(backup_if_due)

    def read(self) -> None:
        self._run(backup_state)

    def _run(self, fn) -> None:
        self.app_ctx.ops.run(fn, self.app_ctx.booth, on_success=self.show_state,
                             on_error=self._failed, owner=self, key="backup_status",
                             background=True)

    def show_state(self, state: BackupState) -> None:
        self.state = state
        words = backup_words(state)
        if not self.checked and words == _("No backup yet"):
            words = ""  # the first check (or the first close) makes the first backup
        self.setText(words)
        self.setToolTip(backup_tip(state, self.app_ctx.context.timezone))
        self.setStyleSheet(f"color: {style.WARNING}; background: {style.WARNING_SOFT};"
                           " font-weight: 600; padding: 0 6px;")
        self.setVisible(bool(words))
        self.shown.emit()

    def _failed(self, failure: OpFailure) -> None:
        self.setText(_("Backup failed"))
        self.setToolTip(failure.message)
        self.setVisible(True)
        self.shown.emit()
