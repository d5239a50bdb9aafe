"""Restore a backup, for administrators: choose the file, see what it holds (device, when its
journal was last written, sales, journal head) and only then replace the booth's database.
A backup of another device needs a tick of its own. Afterwards the app closes: everything on
screen was read from the database just replaced, so it starts again on the restored one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLabel, QWidget

from pos_app.domain.calendar import local_time
from pos_app.domain.numbering import sale_number
from pos_app.i18n import _
from pos_app.services.setup.backup_restore import BackupSummary, inspect_backup, restore_backup
from pos_app.services.setup.restore import FROM_HEAD_OFFICE, NUMBERS_UNKNOWN, RestoreResult
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import button_row, fit_to_screen, titled
from pos_app.ui.common.files import ask_open_path
from pos_app.ui.common.ops import OpFailure


class RestoreDialog(QDialog):
    """``app_closing`` is emitted once the restore is done and the user pressed Close the
    app; whoever opened the dialog closes the app then."""

    app_closing = Signal()

    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None,
                 start: Path | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.start = start
        self.summary: BackupSummary | None = None
        self.result: RestoreResult | None = None
        self.loaded = False
        fit_to_screen(self, 760, 560)
        layout = titled(self, _("Restore a backup"), _(
            "Choose a backup file. What it holds is shown first; nothing is replaced until "
            "you press Restore. The database it replaces is kept beside it."))
        self.choose_button = TouchButton(_("Choose a backup…"), self)
        self.choose_button.clicked.connect(self.choose)
        layout.addWidget(self.choose_button)
        form = QFormLayout()
        form.setSpacing(10)
        self.fields: dict[str, QLabel] = {}
        for key, title in (("file", _("File")), ("device", _("Device")),
                           ("last", _("Last written")), ("sales", _("Sales")),
                           ("head", _("Journal head"))):
            self.fields[key] = QLabel("—", self)
            self.fields[key].setWordWrap(True)
            form.addRow(title, self.fields[key])
        layout.addLayout(form)
        self.other_device = QCheckBox(self)
        self.other_device.setVisible(False)
        self.other_device.toggled.connect(lambda _on: self._update())
        layout.addWidget(self.other_device)
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        layout.addStretch(1)
        self.cancel_button = TouchButton(_("Cancel"), self, key="Esc")
        self.cancel_button.clicked.connect(self.reject)
        self.restore_button = TouchButton(_("Restore"), self, role="danger")
        self.restore_button.clicked.connect(self.restore)
        self.close_app_button = TouchButton(_("Close the app"), self, role="primary")
        self.close_app_button.clicked.connect(self._close_app)
        self.close_app_button.setVisible(False)
        row = button_row(self.cancel_button, self.restore_button)  # Restore on the right
        row.addWidget(self.close_app_button)  # in its place once restored
        layout.addLayout(row)
        self._update()

    def choose(self) -> None:
        path = ask_open_path(self, _("Choose a backup"), _("Lapak backups (*.db)"),
                             str(self.start or ""))
        if path is not None:
            self.inspect(path)

    def inspect(self, path: Path) -> None:
        """Read what ``path`` holds (in an op); nothing is replaced."""
        self.summary = None
        self.loaded = False
        self._update()
        self.app_ctx.ops.run(inspect_backup, self.app_ctx.booth, path,
                             actor=self.app_ctx.actor, role=self.app_ctx.role,
                             on_success=self._show, on_error=self._refused, owner=self)

    def _show(self, summary: BackupSummary) -> None:
        self.loaded = True
        self.summary = summary
        c = summary.contents
        tz = self.app_ctx.context.timezone
        self.fields["file"].setText(str(summary.path))
        self.fields["device"].setText(c.device_code)
        self.fields["last"].setText(f"{local_time(c.last_at, tz):%d/%m/%Y %H:%M}"
                                    if c.last_at else "—")
        self.fields["sales"].setText(str(c.sales))
        self.fields["head"].setText(f"#{c.head_index} {c.head_hash[:16]}")
        self.other_device.setChecked(False)
        self.other_device.setText(_(
            "This backup is of device {device}, not of this one ({ours}). Restore it here "
            "anyway.").format(device=c.device_code, ours=summary.this_device))
        self.other_device.setVisible(summary.other_device)
        if summary.other_device:
            self.banner.show_error(_("This backup belongs to another device."))
        else:
            self.banner.show_message(_("Check what the backup holds, then press Restore."),
                                     "info")
        self._update()

    def _refused(self, failure: OpFailure) -> None:
        self.loaded = True
        self.summary = None
        for label in self.fields.values():
            label.setText("—")
        self.other_device.setVisible(False)
        self.banner.show_error(failure.message)
        self._update()

    def _update(self) -> None:
        s = self.summary
        self.restore_button.setEnabled(
            s is not None and self.result is None
            and (not s.other_device or self.other_device.isChecked()))

    def restore(self) -> None:
        s = self.summary
        if s is None or (s.other_device and not self.other_device.isChecked()):
            return
        self.restore_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.app_ctx.ops.run(restore_backup, self.app_ctx.booth, s.path,
                             actor=self.app_ctx.actor, role=self.app_ctx.role,
                             other_device=self.other_device.isChecked(),
                             on_success=self._restored, on_error=self._failed, owner=self)

    def _restored(self, result: RestoreResult) -> None:
        self.result = result
        kept = _("The replaced database is kept as {path}").format(path=result.previous) \
            if result.previous else ""
        if "sale" in result.raised:
            kept += ("\n" if kept else "") + _(
                "Sale numbers continue after {number}: this device had issued them after the "
                "backup was made").format(
                    number=sale_number(result.device_code, result.raised["sale"][1]))
        if result.unknown:
            kept += ("\n" if kept else "") + _(NUMBERS_UNKNOWN)
        elif result.central and not result.kept_read:
            kept += ("\n" if kept else "") + _(FROM_HEAD_OFFICE)
        self.banner.show_message(
            _("Restored. The app closes now; start it again to work on the restored data.")
            + (f"\n{kept}" if kept else ""), "error" if result.unknown else "success")
        self.cancel_button.setVisible(False)
        self.restore_button.setVisible(False)
        self.close_app_button.setVisible(True)
        self.close_app_button.setFocus()

    def _failed(self, failure: OpFailure) -> None:
        self.banner.show_error(failure.message)
        self.choose_button.setEnabled(True)
        self._update()

    def _close_app(self) -> None:
        self.accept()
        self.app_closing.emit()

    def reject(self) -> None:
        if self.result is not None:  # restored: the only way on is closing the app
            self._close_app()
            return
        super().reject()
