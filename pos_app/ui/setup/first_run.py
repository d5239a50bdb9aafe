"""The first run: is this a real booth or a demo? Nobody can approve, unlock or manage users
until an administrator exists.

On a fresh database (no product, no user) the dialog asks first:

- **a real booth**: start with an empty catalog or import a catalog file, and create the
  administrator with a name and a PIN typed twice (4 to 8 digits, no easy PIN). No user with
  a known PIN is ever made (``setup.create_first_admin``);
- **a demo**: the administrator as above, then the NTT demo catalog and the demo users with
  their published PINs, marked DEMO on screen and on every receipt (``setup.seed_demo``).

A database that already has a catalog but no user (``pos-app init``) goes straight to the
administrator. One with users is never offered this dialog (``auth.has_no_users``):
an administrator is then made by an administrator, or from the command line. Every call runs
as an op, journaled as done by the set-up.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.errors import DomainError
from pos_app.i18n import _
from pos_app.services.access import auth
from pos_app.services.access.auth import UserInfo
from pos_app.services.access.pin_rules import check_new_pin
from pos_app.services.setup import setup
from pos_app.services.setup.booth import Booth, BoothContext
from pos_app.ui.access.pin_twice import PinTwice
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.changes import Change
from pos_app.ui.common.dialog_layout import reserve_lines
from pos_app.ui.common.files import ask_open_path, documents_folder
from pos_app.ui.common.ops import OpFailure, error_text

WAIT, CHOOSE, ADMIN = range(3)
LOADED = {Change.CATALOG, Change.STOCK, Change.USERS, Change.SETTINGS}


def first_admin(booth: Booth, name: str, pin: str, catalog: Path | None,
                demo: bool) -> tuple[UserInfo, BoothContext]:
    """Runs in an op: the administrator (only on a database with no user), then the catalog
    file or the demo; the device context as it is now (marked DEMO after a demo)."""
    user = setup.create_first_admin(booth, name, pin, catalog, demo=demo)
    return user, booth.context


TEXT_WIDTH = 620 - 56  # the dialog's least width less its margins


def caption(text: str, parent: QWidget, role: str = "caption") -> QLabel:
    """A wrapped label with the height its text needs already reserved."""
    label = QLabel(text, parent)
    label.setProperty("role", role)
    label.setWordWrap(True)
    reserve_lines(label, TEXT_WIDTH)
    return label


class FirstRunDialog(QDialog):
    """Cancelling it (Quit, Esc) closes the app: nothing works until an administrator exists."""

    created = Signal(object)  # UserInfo

    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.busy = False
        self.catalog: Path | None = None
        self.demo = False  # loaded with the administrator, who comes first (issue 17)
        self.setWindowTitle(_("Welcome to Lapak POS"))
        self.setModal(True)
        self.setMinimumWidth(620)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(QWidget(self.pages))
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._admin_page())
        self.error = Banner(self)
        quit_button = TouchButton(_("Quit"), self, key="Esc")
        quit_button.clicked.connect(self.reject)
        self.save_button = TouchButton(_("Create administrator"), self, role="primary",
                                       key="Enter")
        self.save_button.clicked.connect(self.confirm)
        self.save_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        app_ctx.ops.run(setup.is_fresh, app_ctx.booth, owner=self, on_error=self._failed,
                        on_success=lambda fresh: self.show_page(CHOOSE if fresh else ADMIN))

    # -- pages ----------------------------------------------------------------------------
    def _choose_page(self) -> QWidget:
        page = QWidget(self.pages)
        heading = caption(_("Is this a real booth or a demo?"), page, "title")
        self.real_button = TouchButton(_("A real booth"), page, role="primary")
        self.real_button.clicked.connect(lambda: self.choose_real())
        real_note = caption(_("Start with an empty catalog or import your catalog file, and "
                              "create the administrator. No user has a known PIN."), page,
                            "hint")
        self.demo_button = TouchButton(_("A demo, for practice"), page)
        self.demo_button.clicked.connect(lambda: self.choose_demo())
        demo_note = caption(_("The NTT demo catalog and demo users whose PINs are published "
                              "(cashier Kasir 1234, coordinator Maria 2468). The screen and "
                              "every receipt say DEMO. Never use it at a real event."), page,
                            "hint")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addSpacing(6)
        for button, note in ((self.real_button, real_note), (self.demo_button, demo_note)):
            layout.addWidget(button)
            layout.addWidget(note)
            layout.addSpacing(6)
        layout.addStretch(1)
        return page

    def _admin_page(self) -> QWidget:
        page = QWidget(self.pages)
        heading = caption(_("Create the administrator"), page, "title")
        self.about = caption(_("The administrator manages users and settings and can approve "
                               "voids, refunds and large discounts. Choose a PIN of 4 to 8 "
                               "digits that only you know; easy PINs such as 1234 are "
                               "refused."), page)
        self.catalog_box = QWidget(page)
        self.empty_radio = QRadioButton(_("Start with an empty catalog"), self.catalog_box)
        self.import_radio = QRadioButton(_("Import a catalog file (CSV or XLSX)"),
                                         self.catalog_box)
        self.empty_radio.setChecked(True)
        group = QButtonGroup(self.catalog_box)
        group.addButton(self.empty_radio)
        group.addButton(self.import_radio)
        self.file_button = TouchButton(_("Choose the file…"), self.catalog_box)
        self.file_button.clicked.connect(self.choose_file)
        self.file_label = caption("", self.catalog_box, "hint")
        self.import_radio.toggled.connect(self._import_toggled)
        self._import_toggled(False)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_button)
        file_row.addWidget(self.file_label, 1)
        box = QVBoxLayout(self.catalog_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.empty_radio)
        box.addWidget(self.import_radio)
        box.addLayout(file_row)
        self.name_edit = QLineEdit(page)
        self.name_edit.setMaxLength(auth.NAME_MAX)
        self.name_edit.setPlaceholderText(_("e.g. Yohanes"))
        self.pins = PinTwice(page, pad=False)
        self.pin_edit, self.again_edit = self.pins.pin_edit, self.pins.again_edit
        for edit in (self.name_edit, self.pin_edit, self.again_edit):
            edit.returnPressed.connect(self.confirm)
            edit.textEdited.connect(lambda _t: self.error.clear())
        name_label = caption(_("Name"), page, "field")
        name_label.setBuddy(self.name_edit)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(self.about)
        layout.addWidget(self.catalog_box)
        layout.addWidget(name_label)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.pins)
        layout.addStretch(1)
        self.catalog_box.hide()  # only for a real booth chosen here
        return page

    def show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.save_button.setVisible(index == ADMIN)
        if index == ADMIN:
            self.name_edit.setFocus()
        elif index == CHOOSE:
            self.real_button.setFocus()

    def _import_toggled(self, on: bool) -> None:
        self.file_button.setEnabled(on)
        self.file_label.setEnabled(on)

    def choose_file(self) -> None:
        path = ask_open_path(self, _("Open a catalog file"), _("Catalogs (*.csv *.xlsx)"),
                             documents_folder())
        if path is not None:
            self.use_catalog(path)

    def use_catalog(self, path: Path) -> None:
        """Import ``path`` when the administrator is created (all rows or none)."""
        self.catalog = path
        self.import_radio.setChecked(True)
        self.file_label.setText(path.name)
        self.error.clear()

    # -- choices ---------------------------------------------------------------------------
    def choose_real(self) -> None:
        self.catalog_box.show()
        self.show_page(ADMIN)

    def choose_demo(self) -> None:
        if self.busy:
            return
        self.demo = True
        self.catalog_box.hide()
        self.about.setText(_("First the administrator, who manages users and settings; "
                             "choose a PIN of 4 to 8 digits that only you know. Then the "
                             "demo catalog and its users are loaded."))
        reserve_lines(self.about, TEXT_WIDTH)
        self.show_page(ADMIN)

    def confirm(self) -> None:
        if self.busy or self.pages.currentIndex() != ADMIN:
            return
        name, pin = self.name_edit.text().strip(), self.pin_edit.text()
        try:
            auth.clean_name(name)
            check_new_pin(pin)
        except DomainError as exc:
            self.error.show_error(error_text(exc))
            return
        problem = self.pins.problem()
        if problem:
            self.error.show_error(problem)
            self.again_edit.clear()
            self.again_edit.setFocus()
            return
        catalog = None
        if self.catalog_box.isVisible() and self.import_radio.isChecked():
            if self.catalog is None:
                self.error.show_error(_("Choose the catalog file, or start with an empty "
                                        "catalog"))
                return
            catalog = self.catalog
        self._set_busy(True)
        self.app_ctx.ops.run(first_admin, self.app_ctx.booth, name, pin, catalog, self.demo,
                             on_success=self._created, on_error=self._failed, owner=self,
                             changes=LOADED if catalog or self.demo else {Change.USERS})

    def _created(self, done: tuple[UserInfo, BoothContext]) -> None:
        user, context = done
        self._set_busy(False)
        if self.demo:
            self.app_ctx.context = context
            self.app_ctx.changes.notify({Change.SETTINGS})  # the status bar says DEMO now
        self.created.emit(user)
        self.accept()

    def _failed(self, failure: OpFailure) -> None:
        self._set_busy(False)
        self.error.show_error(failure.message)
        if self.pages.currentIndex() == WAIT:
            self.show_page(ADMIN)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in (self.save_button, self.real_button, self.demo_button):
            button.setEnabled(not busy)

    def reject(self) -> None:
        if not self.busy:
            super().reject()
