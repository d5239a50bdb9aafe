"""The file choosers: where a PDF, an export or a pack is written and which file is read.
Each returns a :class:`~pathlib.Path`, or None when the user cancels."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from pos_app.i18n import _


def documents_folder() -> Path:
    return Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation))


def ask_save_path(parent: QWidget, title: str, start: Path | str, kinds: str,
                  suffix: str) -> Path | None:
    """A file to write (``kinds`` is the dialog's filter), ending in ``suffix`` even when the
    name typed does not; None when cancelled."""
    path, _filter = QFileDialog.getSaveFileName(parent, title, str(start), kinds)
    if not path:
        return None
    return Path(path if path.lower().endswith(suffix) else path + suffix)


def ask_pdf_path(parent: QWidget, title: str, name: str) -> Path | None:
    """The PDF file to write, chosen in the file dialog; None when cancelled."""
    return ask_save_path(parent, title, documents_folder() / name, _("PDF files (*.pdf)"), ".pdf")


def ask_export_path(parent: QWidget, title: str, name: str) -> Path | None:
    """A .csv or .xlsx file to export to (the suffix follows the chosen filter if not typed)."""
    csv_filter, xlsx_filter = _("CSV files (*.csv)"), _("Excel workbooks (*.xlsx)")
    path, chosen = QFileDialog.getSaveFileName(parent, title, str(documents_folder() / name),
                                               f"{csv_filter};;{xlsx_filter}")
    if not path:
        return None
    if Path(path).suffix.lower() not in (".csv", ".xlsx"):
        path += ".xlsx" if chosen == xlsx_filter else ".csv"
    return Path(path)


def ask_open_path(parent: QWidget, title: str, kinds: str, start: Path | str = "") -> Path | None:
    """An existing file to read (``kinds`` is the dialog's filter, e.g. "Images (*.png)")."""
    path, _filter = QFileDialog.getOpenFileName(parent, title, str(start), kinds)
    return Path(path) if path else None


def ask_folder(parent: QWidget, title: str, start: Path | str | None = None) -> Path | None:
    """A folder to write into; None when cancelled."""
    path = QFileDialog.getExistingDirectory(parent, title,
                                            str(start if start is not None else documents_folder()))
    return Path(path) if path else None
