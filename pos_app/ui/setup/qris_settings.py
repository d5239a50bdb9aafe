"""The booth's QRIS text in the settings (coordinators): pasted, or read from a photo or scan
of the sticker; checked as it is typed, with the merchant, city and NMID shown to confirm,
or the one reason it cannot be used. Saved by the settings dialog (``qris_payload``,
journaled)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from pos_app.domain.errors import DomainError
from pos_app.i18n import _
from pos_app.services.sale.qris import read_image, set_qris
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.files import ask_open_path
from pos_app.ui.common.ops import OpFailure, error_text


class QrisPayloadBox(QWidget):
    """``value`` is the text to keep ("" for none); ``valid`` False while it cannot be used."""

    changed = Signal()

    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.initial = app_ctx.settings.qris_payload
        heading = QLabel(_("The booth's QRIS"), self)
        heading.setProperty("role", "heading")
        about = QLabel(_("Paste the text of the booth's static QRIS, or read it from a photo "
                         "of the sticker. Each sale then shows a QRIS carrying its amount, so "
                         "the buyer never types it."), self)
        about.setProperty("role", "caption")
        about.setWordWrap(True)
        self.edit = QLineEdit(self.initial, self)
        self.edit.setPlaceholderText(_("QRIS text, starting 000201…"))
        self.edit.textChanged.connect(lambda _t: self.check())
        read = TouchButton(_("Read from a photo…"), self)
        read.clicked.connect(self.read_photo)
        clear = TouchButton(_("Clear"), self, role="danger")
        clear.clicked.connect(self.edit.clear)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(read)
        row.addWidget(clear)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(about)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.valid = True
        self.check()

    @property
    def value(self) -> str:
        return self.edit.text().strip()

    def check(self) -> None:
        """Check the text (no disk, no network: the service only parses it)."""
        text = self.value
        if not text:
            self.valid = True
            self.status.setProperty("role", "caption")
            self.status.setText(_("No QRIS: the payment dialog shows the sticker image below, "
                                  "if there is one."))
        else:
            try:
                q = set_qris(self.app_ctx.booth, payload=text, actor=self.app_ctx.actor,
                             role=self.app_ctx.role, confirm=False)
            except DomainError as exc:
                self.valid = False
                self.status.setProperty("role", "field-error")
                self.status.setText(error_text(exc))
            else:
                self.valid = True
                self.status.setProperty("role", "field-ok")
                self.status.setText(_("Merchant: {name} · City: {city} · NMID: {nmid}").format(
                    name=q.merchant, city=q.city, nmid=q.nmid))
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.changed.emit()

    def read_photo(self) -> None:
        path = ask_open_path(self, _("Choose a photo of the QRIS sticker"),
                             _("Images (*.png *.jpg *.jpeg *.bmp *.webp)"), "")
        if path is not None:
            self.app_ctx.ops.run(read_image, Path(path), on_success=self.edit.setText,
                                 on_error=self._unread, owner=self, key="qris-photo")

    def _unread(self, failure: OpFailure) -> None:
        self.valid = False
        self.status.setProperty("role", "field-error")
        self.status.setText(failure.message)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.changed.emit()

    def changes(self) -> dict[str, str]:
        return {"qris_payload": self.value} if self.value != self.initial else {}
