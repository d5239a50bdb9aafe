"""The Backups tab of the Settings dialog: where the automatic backups go, the optional
second folder (a USB stick; coordinators and admins may set it) and, for administrators,
restoring a backup."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.i18n import _
from pos_app.services.access import roles
from pos_app.services.setup.backup import folder_of
from pos_app.services.setup.settings_model import SPECS
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.files import ask_folder


class BackupSettingsPage(QWidget):
    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        stored = app_ctx.settings
        self.folder = folder_of(stored.backup_dir, app_ctx.booth.db.path)
        heading = QLabel(_("Backups"), self)
        heading.setProperty("role", "heading")
        about = QLabel(_("A backup is made at every shift close and at least once a day; "
                         "the newest {keep} are kept. A second folder (a USB stick) gets a "
                         "copy of each.").format(keep=stored.backup_keep), self)
        about.setProperty("role", "caption")
        about.setWordWrap(True)
        where = QLabel(str(self.folder), self)
        where.setWordWrap(True)
        self.second_edit = QLineEdit(stored.backup_second_dir, self)
        self.second_edit.setPlaceholderText(_("None"))
        may_set = roles.holds(app_ctx.role, SPECS["backup_second_dir"].role)
        self.second_edit.setReadOnly(not may_set)
        choose = TouchButton(_("Choose…"), self)
        choose.clicked.connect(self.choose_folder)
        clear = TouchButton(_("Clear"), self, role="danger")
        clear.clicked.connect(self.second_edit.clear)
        for button in (choose, clear):
            button.setEnabled(may_set)
        row = QHBoxLayout()
        row.addWidget(self.second_edit, 1)
        row.addWidget(choose)
        row.addWidget(clear)
        form = QFormLayout()
        form.setSpacing(12)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("Backup folder"), where)
        form.addRow(_("Second folder (USB stick)"), row)
        self.restore_button = TouchButton(_("Restore a backup…"), self, role="danger")
        self.restore_button.clicked.connect(self.open_restore)
        self.restore_button.setVisible(roles.can(app_ctx.role, "restore_backup"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.restore_button)
        layout.addStretch(1)
        self.restore_dialog = None

    def choose_folder(self) -> None:
        folder = ask_folder(self, _("Choose the second backup folder"),
                            self.second_edit.text().strip() or None)
        if folder is not None:
            self.second_edit.setText(str(folder))

    def changes(self) -> dict[str, str]:
        value = self.second_edit.text().strip()
        return {} if value == self.app_ctx.settings.backup_second_dir else \
            {"backup_second_dir": value}

    def open_restore(self):
        """The restore dialog (admins); once it has restored, the app closes."""
        from pos_app.ui.setup.restore_dialog import RestoreDialog

        dialog = RestoreDialog(self.app_ctx, self.window(), start=self.folder)
        dialog.app_closing.connect(QApplication.closeAllWindows)
        dialog.finished.connect(dialog.deleteLater)
        self.restore_dialog = dialog
        dialog.open()
        return dialog
