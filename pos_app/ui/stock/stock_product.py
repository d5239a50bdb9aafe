"""A product made on the spot while receiving goods (a painting, a new batch with no catalog
entry): name, category and price; the facility is the receipt's. The service gives it a SKU
and an in-store EAN-13 for its label. And a product's photo, chosen on the stock screen."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from pos_app.domain.errors import DomainError
from pos_app.domain.money import parse_rupiah
from pos_app.i18n import _
from pos_app.services.catalog.catalog import CategoryRow, FacilityRow, ProductRow
from pos_app.services.catalog.catalog_edit import NAME_MAX, create_product
from pos_app.services.catalog.photos import PhotoSet, set_photo
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.changes import Change
from pos_app.ui.common.dialog_layout import button_row, titled
from pos_app.ui.common.files import ask_open_path
from pos_app.ui.common.ops import OpFailure, error_text
from pos_app.ui.common.roles import actor_of


class NewProductDialog(QDialog):
    created = Signal(object)  # ProductRow

    def __init__(self, app_ctx: AppContext, facility: FacilityRow, categories: Sequence[CategoryRow],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx, self.facility = app_ctx, facility
        self.busy = False
        self.product: ProductRow | None = None
        self.setMinimumWidth(620)
        layout = titled(self, _("New product"), _(
            "Made by {facility}. It goes into the catalog now, with a SKU and an in-store "
            "barcode for its label.").format(facility=facility.name))
        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_edit.setPlaceholderText(_("e.g. Lukisan Akrilik Pantai Kolbano 40x60"))
        self.category_box = QComboBox(self)
        for row in categories:
            self.category_box.addItem(row.name, row.code)
        self.price_edit = QLineEdit(self)
        self.price_edit.setProperty("role", "count")
        self.price_edit.setPlaceholderText(_("Rupiah, e.g. 350.000"))
        form = QFormLayout()
        form.setSpacing(10)
        form.addRow(self._field(_("Name")), self.name_edit)
        form.addRow(self._field(_("Category")), self.category_box)
        form.addRow(self._field(_("Price")), self.price_edit)
        layout.addLayout(form)
        self.error = Banner(self)
        layout.addWidget(self.error)
        cancel = TouchButton(_("Cancel"), self, key="Esc")
        cancel.clicked.connect(self.reject)
        self.create_button = TouchButton(_("Create product"), self, role="primary", key="Enter")
        self.create_button.clicked.connect(self.confirm)
        for edit in (self.name_edit, self.price_edit):
            edit.returnPressed.connect(self.confirm)
        layout.addLayout(button_row(cancel, self.create_button))
        self.name_edit.setFocus()

    def _field(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setProperty("role", "field")
        return label

    def confirm(self) -> None:
        if self.busy:
            return
        name = self.name_edit.text().strip()
        if not name:
            self.error.show_error(error_text(DomainError("bad_product_name", max=NAME_MAX)))
            self.name_edit.setFocus()
            return
        try:
            price = parse_rupiah(self.price_edit.text())
        except DomainError as exc:
            self.error.show_error(error_text(exc))
            self.price_edit.setFocus()
            return
        actor, role = actor_of(self.app_ctx)
        self.busy = True
        self.create_button.setEnabled(False)
        self.app_ctx.ops.run(create_product, self.app_ctx.booth, name=name,
                          facility_code=self.facility.code,
                          category_code=self.category_box.currentData() or "", price=price,
                          actor=actor, actor_role=role, on_success=self._created,
                          on_error=self._failed, owner=self, changes={Change.CATALOG})

    def _created(self, row: ProductRow) -> None:
        self.busy = False
        self.product = row
        self.created.emit(row)
        self.accept()

    def _failed(self, failure: OpFailure) -> None:
        self.busy = False
        self.create_button.setEnabled(True)
        self.error.show_error(failure.message)

    def reject(self) -> None:
        if not self.busy:
            super().reject()


PICTURES = "*.jpg *.jpeg *.png *.webp *.gif *.bmp"


class PhotoChooser:
    """The stock screen's "Photo…": a picture file for a product, kept as its thumbnail by
    ``services.catalog.photos.set_photo`` in an op (the file is read and shrunk off the GUI
    thread); the grid shows it after the catalog change. ``done`` holds the last result."""

    def __init__(self, app_ctx: AppContext, owner: QWidget, banner: Banner) -> None:
        self.app_ctx, self.owner, self.banner = app_ctx, owner, banner
        self.done: PhotoSet | None = None

    def choose(self, sku: str, name: str, path: Path | None = None) -> None:
        """Ask for the picture of ``sku`` (``name`` in the chooser's title) unless ``path``
        is given, then set it."""
        if path is None:
            path = ask_open_path(self.owner, _("Photo of {name}").format(name=name),
                                 _("Pictures ({patterns})").format(patterns=PICTURES))
        if path is None:
            return
        actor, role = actor_of(self.app_ctx)
        self.banner.show_message(_("Reading {name}…").format(name=path.name), "info")
        self.app_ctx.ops.run(set_photo, self.app_ctx.booth, sku, path, actor=actor,
                             actor_role=role, on_success=self._set, on_error=self._failed,
                             owner=self.owner, changes={Change.CATALOG})

    def _set(self, done: PhotoSet) -> None:
        self.done = done
        text = _("Photo of {sku} ({name}) set: {width}×{height} px") if done.changed else \
            _("{sku} ({name}) already has this photo; nothing was changed")
        self.banner.show_message(text.format(sku=done.sku, name=done.name, width=done.width,
                                             height=done.height), "success")

    def _failed(self, failure: OpFailure) -> None:
        self.banner.show_error(failure.message)
