"""The Settings dialog: printer and receipt texts (with a test print), the QRIS image, the
stock settings and the backups; a tab shows only when the logged-in role may change its
settings (the service refuses the others anyway)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.i18n import _
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.settings import may_change, set_setting
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.files import ask_open_path
from pos_app.ui.display.display_settings import DisplaySettingsPage
from pos_app.ui.sale.tender_form import read_image
from pos_app.ui.setup.backup_page import BackupSettingsPage
from pos_app.ui.setup.printer_settings import PrinterPage
from pos_app.ui.setup.qris_settings import QrisPayloadBox
from pos_app.ui.stock.stock_settings import StockSettingsPage

PREVIEW = 180
# the tabs, each shown when the role may change the key that stands for it
PRINTER_KEY, QRIS_KEY, STOCK_KEY = "printer_uri", "qris_image", "negative_stock"


def store_settings(booth: Booth, changes: dict[str, str], qris_image: str | None,
                   actor: str = "pos", role: str = "cashier") -> None:
    """Runs in an op: every changed setting (keys of the settings model), then the QRIS image
    (stored as an absolute path; "" forgets it, None leaves it); each change is checked
    against ``role`` and journaled as done by ``actor``."""
    for key, value in changes.items():
        set_setting(booth, key, value, actor=actor, role=role)
    if qris_image is not None:
        image = "" if not qris_image else str(Path(qris_image).expanduser().resolve())
        set_setting(booth, QRIS_KEY, image, actor=actor, role=role)


class SettingsDialog(QDialog):
    saved = Signal()

    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.preview_ok: bool | None = True  # None while the image is being read
        self.setWindowTitle(_("Settings"))
        self.setModal(True)
        self.setMinimumWidth(980)

        self.tabs = QTabWidget(self)
        role = app_ctx.role
        self.printer_page: PrinterPage | None = None
        self.qris_page: QWidget | None = None
        self.stock_page: StockSettingsPage | None = None
        self.backup_page: BackupSettingsPage | None = None
        if may_change(role, PRINTER_KEY):
            self.printer_page = PrinterPage(app_ctx, self.tabs)
            self.printer_page.validity_changed.connect(lambda _ok: self._update_save())
            self.tabs.addTab(self.printer_page, _("Printer and receipt"))
        if may_change(role, QRIS_KEY):
            self.qris_page = self._qris_page()
            self.tabs.addTab(self.qris_page, _("QRIS"))
        if may_change(role, STOCK_KEY):
            self.stock_page = StockSettingsPage(app_ctx, self.tabs)
            self.tabs.addTab(self.stock_page, _("Stock"))
        if may_change(role, "backup_dir"):
            self.backup_page = BackupSettingsPage(app_ctx, self.tabs)
            self.tabs.addTab(self.backup_page, _("Backups"))
        self.display_page = DisplaySettingsPage(app_ctx, self.tabs) \
            if may_change(role, "customer_display") else None
        if self.display_page is not None:
            self.tabs.addTab(self.display_page, _("Customer display"))

        self.error = Banner(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._load_preview)

        cancel = TouchButton(_("Cancel"), self, key="Esc")
        cancel.clicked.connect(self.reject)
        self.save_button = TouchButton(_("Save"), self, role="primary")
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._load_preview()
        self._update_save()

    def _qris_page(self) -> QWidget:
        page = QWidget(self.tabs)
        self.qris_box = QrisPayloadBox(self.app_ctx, page)
        self.qris_box.changed.connect(self._update_save)
        heading = QLabel(_("QRIS sticker image"), page)
        heading.setProperty("role", "heading")
        about = QLabel(_("A photo or scan of the booth's static QRIS sticker. The payment "
                         "dialog shows it so the buyer can scan it."), page)
        about.setProperty("role", "caption")
        about.setWordWrap(True)
        self.path_edit = QLineEdit(self.app_ctx.settings.qris_image, page)
        self.path_edit.setPlaceholderText(_("No image chosen"))
        self.path_edit.textChanged.connect(lambda _t: self._timer.start())
        choose = TouchButton(_("Choose…"), page)
        choose.clicked.connect(self.choose_file)
        forget = TouchButton(_("Clear"), page, role="danger")
        forget.clicked.connect(self.path_edit.clear)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(choose)
        path_row.addWidget(forget)

        self.preview = QLabel(page)
        self.preview.setFixedSize(PREVIEW + 16, PREVIEW + 16)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: white; border: 1px solid #D8DFE5; "
                                   "border-radius: 10px; color: #5F6F7D;")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(12)
        layout.addWidget(self.qris_box)
        layout.addWidget(heading)
        layout.addWidget(about)
        layout.addLayout(path_row)
        layout.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        return page

    def choose_file(self) -> None:
        current = self.path_edit.text().strip()
        path = ask_open_path(self, _("Choose the QRIS image"),
                             _("Images (*.png *.jpg *.jpeg *.bmp *.webp)"),
                             str(Path(current).parent) if current else "")
        if path is not None:
            self.path_edit.setText(str(path))

    @property
    def printer_valid(self) -> bool:
        return self.printer_page is None or self.printer_page.valid

    def _load_preview(self) -> None:
        if self.qris_page is None:
            return
        path = self.path_edit.text().strip()
        self.error.clear()
        if not path:
            self.preview_ok = True
            self.preview.setPixmap(QPixmap())
            self.preview.setText(_("No image"))
            self._update_save()
            return
        self.preview_ok = None
        self._update_save()
        self.app_ctx.ops.run(read_image, path, on_success=lambda image: self._preview(path, image),
                          owner=self, key="qris-preview")

    def _preview(self, path: str, image: QImage | None) -> None:
        if path != self.path_edit.text().strip():
            return
        self.preview_ok = image is not None
        if image is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(_("No image"))
            self.error.show_error(_("This file is not an image that can be read."))
        else:
            self.preview.setPixmap(QPixmap.fromImage(image).scaled(
                PREVIEW, PREVIEW, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        self._update_save()

    @property
    def qris_valid(self) -> bool:
        return self.qris_page is None or self.qris_box.valid

    def _update_save(self) -> None:
        if not hasattr(self, "save_button"):
            return  # the QRIS box checks its text before the buttons exist
        self.save_button.setEnabled(bool(self.preview_ok) and self.printer_valid
                                    and self.qris_valid and self.tabs.count() > 0)

    def save(self) -> None:
        """Store what changed on the tabs shown; an invalid printer address or QRIS image
        stores nothing."""
        if not self.preview_ok or not self.printer_valid or not self.qris_valid:
            self.tabs.setCurrentWidget(self.printer_page if not self.printer_valid
                                       else self.qris_page)
            return
        if self.tabs.count() == 0:
            return
        self.save_button.setEnabled(False)
        changes = {**(self.printer_page.changes() if self.printer_page else {}),
                   **(self.stock_page.changes() if self.stock_page else {}),
                   **(self.backup_page.changes() if self.backup_page else {}),
                   **(self.display_page.changes() if self.display_page else {}),
                   **(self.qris_box.changes() if self.qris_page is not None else {})}
        image = self.path_edit.text().strip() if self.qris_page is not None else None
        self.app_ctx.store(store_settings, changes, image, self.app_ctx.actor,
                           self.app_ctx.role,
                           on_done=self._saved, on_error=self._failed, owner=self)

    def _saved(self) -> None:
        self.app_ctx.printer.configure(self.app_ctx.settings)
        self.saved.emit()
        self.accept()

    def _failed(self, failure) -> None:
        self.error.show_error(failure.message)
        self._update_save()
