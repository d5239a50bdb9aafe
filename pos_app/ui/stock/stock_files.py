"""Saving the stock PDFs (tanda terima, surat retur, count sheet, variance, close-out, labels):
the coordinator picks the file, an op writes it, and a banner says where it went."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from pos_app import i18n
from pos_app.i18n import _
from pos_app.services.stock import stock_print
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.files import ask_pdf_path
from pos_app.ui.common.ops import OpFailure


class PdfSaver:
    """One per dialog; ``saved(path)`` is told after each written file."""

    def __init__(self, app_ctx: AppContext, owner: QWidget, banner: Banner,
                 saved: Callable[[Path], None] | None = None) -> None:
        self.app_ctx, self.owner, self.banner, self.saved = app_ctx, owner, banner, saved
        self.last: Path | None = None  # the last file written (tests, the screenshots)

    def document(self, number: str, kind: str = "") -> None:
        """A tanda terima, surat retur or adjustment; a count's variance report."""
        if kind == "count":
            self.variance(number)
            return
        self._save(stock_print.save_stock_document_pdf, (number,), f"{number}.pdf",
                   _("Save the stock document as PDF"), translated=True)

    def count_sheet(self, number: str) -> None:
        self._save(stock_print.save_count_sheet_pdf, (number,), f"count-sheet-{number}.pdf",
                   _("Save the count sheet as PDF"), translated=True)

    def variance(self, number: str) -> None:
        self._save(stock_print.save_variance_pdf, (number,), f"variance-{number}.pdf",
                   _("Save the variance report as PDF"), translated=True)

    def close_out(self, facility_code: str) -> None:
        self._save(stock_print.save_close_out_pdf, (facility_code,),
                   f"close-out-{facility_code}.pdf", _("Save the close-out as PDF"),
                   translated=True)

    def labels(self, items: Sequence[tuple[str, int]]) -> None:
        self._save(stock_print.save_labels_pdf, (list(items),), "labels.pdf",
                   _("Save the label sheet as PDF"))

    def _save(self, fn: Callable[..., Any], args: tuple, name: str, title: str,
              translated: bool = False) -> None:
        out = ask_pdf_path(self.owner, title, name)
        if out is None:
            return
        extra = {"translate": _, "language": i18n.language()} if translated else {}
        self.banner.show_message(_("Writing {name}…").format(name=out.name), "info")
        self.app_ctx.ops.run(fn, self.app_ctx.booth, *args, out, **extra,
                          on_success=lambda _result: self._done(out), on_error=self._failed,
                          owner=self.owner)

    def _done(self, path: Path) -> None:
        self.last = path
        self.banner.show_message(_("Saved: {path}").format(path=path), "success")
        if self.saved is not None:
            self.saved(path)

    def _failed(self, failure: OpFailure) -> None:
        self.banner.show_error(failure.message)
