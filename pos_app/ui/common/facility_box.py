"""The facility picker of the stock and report screens."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from pos_app.services.catalog.catalog import FacilityRow


class FacilityBox(QComboBox):
    """The facilities by name (code in brackets); ``placeholder`` is the first choice, meaning
    "all facilities" (a filter) or "none chosen yet" (a document)."""

    picked = Signal(str)  # the code, "" for the placeholder

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = placeholder
        self.setMinimumContentsLength(22)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.addItem(placeholder, "")
        self.currentIndexChanged.connect(lambda _i: self.picked.emit(self.code()))

    def set_facilities(self, rows: Sequence[FacilityRow], keep: str = "") -> None:
        keep = keep or self.code()
        self.blockSignals(True)
        self.clear()
        self.addItem(self.placeholder, "")
        for row in rows:
            self.addItem(f"{row.name} ({row.code})", row.code)
        self.blockSignals(False)
        self.select(keep)

    def code(self) -> str:
        return self.currentData() or ""

    def select(self, code: str) -> None:
        index = self.findData(code or "")
        self.setCurrentIndex(max(index, 0))
