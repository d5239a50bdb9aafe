"""The ops behind the QRIS on show: for the amount being paid by QRIS, the booth's per-sale
code (``services.sale.qris.offer``) and its QR matrix, made off the GUI thread; with no QRIS
set, the old sticker photo (the ``qris_image`` setting) or how to set one."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from pos_app.i18n import _
from pos_app.services.sale.qris import QrisOffer, offer, qr_modules
from pos_app.services.setup.booth import Booth
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.ops import OpFailure
from pos_app.ui.sale.tender_form import TenderForm, read_image


def made_for(booth: Booth, amount: int) -> tuple[QrisOffer, list[list[bool]]]:
    """Runs in an op: the QRIS for ``amount`` and the modules of its QR code."""
    shown = offer(booth, amount)
    return shown, qr_modules(shown.payload)


class QrisFeed(QObject):
    """Keeps ``form``'s QRIS in step with the amount it is for (``form.qris_wanted``)."""

    KEY = "payment-qris"

    def __init__(self, app_ctx: AppContext, form: TenderForm, owner: QWidget) -> None:
        super().__init__(owner)
        self.app_ctx, self.form, self.owner = app_ctx, form, owner
        self.sticker: QImage | None = None
        self.sticker_path: str | None = None  # read (or tried) already
        form.qris_expected = bool(app_ctx.settings.qris_payload)
        form.qris_wanted.connect(self.show_for)

    def show_for(self, amount: int) -> None:
        """Make the code for ``amount`` (0: no amount typed, nothing to scan yet)."""
        if amount <= 0:
            self.app_ctx.ops.run(lambda: None, key=self.KEY, owner=self.owner)  # drop any pending
            self.form.show_qris_note(0, _("Type the amount the buyer pays by QRIS."))
            return
        self.app_ctx.ops.run(made_for, self.app_ctx.booth, amount, key=self.KEY,
                             owner=self.owner, on_success=self.form.show_qris,
                             on_error=lambda failure: self._failed(amount, failure))

    def _failed(self, amount: int, failure: OpFailure) -> None:
        if failure.code != "qris_not_set":
            self.form.show_qris_note(amount, failure.message)
            return
        path = self.app_ctx.settings.qris_image
        if not path:
            self.form.show_qris_note(amount, failure.message)
        elif path == self.sticker_path:
            self._sticker(amount, path)
        else:
            self.app_ctx.ops.run(read_image, path, key=self.KEY, owner=self.owner,
                                 on_success=lambda image: self._read(amount, path, image))

    def _read(self, amount: int, path: str, image: QImage | None) -> None:
        self.sticker, self.sticker_path = image, path
        self._sticker(amount, path)

    def _sticker(self, amount: int, path: str) -> None:
        if self.sticker is None:
            self.form.show_qris_note(amount, _("The QRIS image could not be read: {path}")
                                     .format(path=path))
        else:
            self.form.show_qris_sticker(self.sticker, amount,
                                        _("The static QRIS: the buyer types the amount."))
