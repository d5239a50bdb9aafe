"""The Stock tab of the Settings dialog: selling below zero, the low-stock level, the
price-tag sheet grid and whether the sale grid shows product photos."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pos_app.i18n import _
from pos_app.services.setup.settings_model import MAX_LABEL_GRID
from pos_app.ui.common.app_context import AppContext


class StockSettingsPage(QWidget):
    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        stored = app_ctx.settings
        heading = QLabel(_("Stock"), self)
        heading.setProperty("role", "heading")
        self.negative = QComboBox(self)
        self.negative.addItem(_("Warn and record the sale (the goods are already sold)"),
                              "warn")
        self.negative.addItem(_("Refuse the sale"), "block")
        self.negative.setCurrentIndex(max(self.negative.findData(
            stored.negative_stock), 0))
        self.low = QSpinBox(self)
        self.low.setRange(0, 10_000)
        self.low.setValue(stored.low_stock)
        self.cols = QSpinBox(self)
        self.cols.setRange(1, MAX_LABEL_GRID)
        self.cols.setValue(stored.label_cols)
        self.rows = QSpinBox(self)
        self.rows.setRange(1, MAX_LABEL_GRID)
        self.rows.setValue(stored.label_rows)
        self.photos = QCheckBox(_("Show product photos on the sale screen's tiles"), self)
        self.photos.setChecked(stored.grid_photos)
        form = QFormLayout()
        form.setSpacing(12)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a narrow screen
        form.addRow(_("A sale that takes stock below zero"), self.negative)
        form.addRow(_("Highlight stock at or below (units)"), self.low)
        form.addRow(_("Price tags across an A4 sheet"), self.cols)
        form.addRow(_("Price tags down an A4 sheet"), self.rows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.photos)
        layout.addStretch(1)

    def values(self) -> dict[str, str]:
        return {"negative_stock": self.negative.currentData(), "low_stock": str(self.low.value()),
                "label_cols": str(self.cols.value()), "label_rows": str(self.rows.value()),
                "grid_photos": "1" if self.photos.isChecked() else "0"}

    def changes(self) -> dict[str, str]:
        stored = self.app_ctx.settings
        return {key: value for key, value in self.values().items()
                if stored[key] != value}
