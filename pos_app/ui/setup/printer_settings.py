"""The Printer and receipt page of Settings: printer address, paper, drawer, test print, texts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.errors import N_, DomainError
from pos_app.i18n import _
from pos_app.services.sale.printing import PrinterConfig, check_printer_uri
from pos_app.services.sale.receipts import DEFAULT_FOOTER
from pos_app.services.setup.booth import booth_name
from pos_app.services.setup.settings_model import SPECS
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.ops import error_text
from pos_app.ui.common.style import set_role
from pos_app.ui.sale.print_queue import PrintResult

# Words services.printing.test_print prints through ``translate``; marked for the catalog.
TEST_PAGE_WORDS = (N_("Test print"), N_("Device"), N_("Paper"))
EXAMPLES = ("tcp://192.168.1.50:9100", "usb://0416:5011", "serial:///dev/ttyUSB0?baudrate=9600",
            "serial://COM3?baudrate=9600", "file:///dev/usb/lp0", "cups://POS58",
            "win32://POS-58", "pdf://Struk")
TIMEOUTS = (3, 5, 8, 10, 15, 20, 30, 60)  # seconds before a print job is given up
KEYS = ("printer_uri", "printer_width", "printer_timeout", "drawer_enabled", "auto_print",
        "booth_name", "receipt_footer", "kwitansi_place")


def uri_problem(uri: str) -> str:
    """The translated reason ``uri`` is not a printer address; "" if it is one (or empty)."""
    if not uri.strip():
        return ""
    try:
        check_printer_uri(uri)
    except DomainError as exc:
        return error_text(exc)
    return ""


def _caption(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("role", "caption")
    label.setWordWrap(True)
    return label


def _label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("role", "field")
    return label


def _field(layout: QVBoxLayout, text: str, widget: QWidget, parent: QWidget) -> None:
    """A label above its field: long Indonesian labels never squeeze the field."""
    label = _label(text, parent)
    label.setBuddy(widget)
    layout.addSpacing(4)
    layout.addWidget(label)
    layout.addWidget(widget)


def _examples(parent: QWidget) -> QGridLayout:
    """The address forms, two to a row, in a typewriter face so they read as typed."""
    grid = QGridLayout()
    grid.setContentsMargins(0, 2, 0, 4)
    grid.setHorizontalSpacing(16)
    grid.setVerticalSpacing(3)
    grid.addWidget(_caption(_("For example:"), parent), 0, 0, 1, 2)
    for i, example in enumerate(EXAMPLES):
        label = QLabel(example, parent)
        label.setProperty("role", "example")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(label, 1 + i // 2, i % 2)
    return grid


class PrinterPage(QWidget):
    validity_changed = Signal(bool)

    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        settings = app_ctx.settings
        self.uri_edit = QLineEdit(settings.printer_uri, self)
        self.uri_edit.setPlaceholderText(_("No receipt printer (receipts can be saved as PDF)"))
        self.uri_edit.textChanged.connect(self._check_uri)
        self.uri_error = QLabel(self)
        self.uri_error.setProperty("role", "field-error")
        self.uri_error.setWordWrap(True)
        self.width_combo = QComboBox(self)
        self.width_combo.addItem(_("58 mm (32 characters a line)"), "58")
        self.width_combo.addItem(_("80 mm (48 characters a line)"), "80")
        self.width_combo.setCurrentIndex(max(self.width_combo.findData(
            str(settings.printer_width)), 0))
        self.timeout_combo = QComboBox(self)
        stored = settings.printer_timeout
        for seconds in sorted({*TIMEOUTS, stored}):
            self.timeout_combo.addItem(_("{seconds} seconds").format(seconds=seconds), seconds)
        self.timeout_combo.setCurrentIndex(self.timeout_combo.findData(stored))
        self.auto_print_check = QCheckBox(_("Print the receipt after every sale"), self)
        self.auto_print_check.setChecked(settings.auto_print)
        self.drawer_check = QCheckBox(_("Open the cash drawer after cash sales"), self)
        self.drawer_check.setChecked(settings.drawer_enabled)
        self.test_button = TouchButton(_("Test print"), self)
        self.test_button.clicked.connect(self.test_print)
        self.test_result = Banner(self)

        self.booth_name_edit = QLineEdit(settings.booth_name, self)
        self.booth_name_edit.setMaxLength(60)
        self.booth_name_edit.setPlaceholderText(booth_name("", app_ctx.context.event_name))
        self.footer_edit = QPlainTextEdit(settings.receipt_footer, self)
        self.footer_edit.setPlaceholderText(_(DEFAULT_FOOTER))
        self.footer_edit.setFixedHeight(104)
        self.place_edit = QLineEdit(settings.kwitansi_place, self)
        self.place_edit.setMaxLength(60)
        self.place_edit.setPlaceholderText(SPECS["kwitansi_place"].default)

        printer = QVBoxLayout()
        printer.setSpacing(6)
        _field(printer, _("Printer address"), self.uri_edit, self)
        printer.addWidget(self.uri_error)
        printer.addLayout(_examples(self))
        paper = QGridLayout()
        paper.setHorizontalSpacing(12)
        paper.setVerticalSpacing(4)
        paper.addWidget(_label(_("Paper"), self), 0, 0)
        paper.addWidget(_label(_("Give up after"), self), 0, 1)
        paper.addWidget(self.width_combo, 1, 0)
        paper.addWidget(self.timeout_combo, 1, 1)
        paper.setColumnStretch(0, 3)
        paper.setColumnStretch(1, 2)
        printer.addSpacing(4)
        printer.addLayout(paper)
        printer.addSpacing(4)
        printer.addWidget(self.auto_print_check)
        printer.addWidget(self.drawer_check)
        test_row = QHBoxLayout()
        self.test_button.setMinimumWidth(180)
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        test_row.addStretch(0)
        printer.addLayout(test_row)
        printer.addStretch(1)

        receipt = QVBoxLayout()
        receipt.setSpacing(6)
        _field(receipt, _("Booth name"), self.booth_name_edit, self)
        _field(receipt, _("Receipt footer"), self.footer_edit, self)
        _field(receipt, _("Kwitansi place"), self.place_edit, self)
        receipt.addStretch(1)

        grid = QGridLayout(self)
        grid.setContentsMargins(18, 16, 18, 16)
        grid.setHorizontalSpacing(32)
        grid.setVerticalSpacing(6)
        for col, (title, note, column) in enumerate((
                (_("Receipt printer"), _("Receipts print after each sale, in the background: "
                                         "a printer that fails never holds up a sale."),
                 printer),
                (_("On the receipt"), _("The booth name heads every receipt and kwitansi; "
                                        "the footer closes the receipt."), receipt))):
            heading = QLabel(title, self)
            heading.setProperty("role", "heading")
            grid.addWidget(heading, 0, col)
            grid.addWidget(_caption(note, self), 1, col)
            grid.addLayout(column, 2, col)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(2, 1)
        self._valid = True
        self._check_uri()

    # -- checking -----------------------------------------------------------------------
    @property
    def valid(self) -> bool:
        return self._valid

    def _check_uri(self) -> None:
        problem = uri_problem(self.uri_edit.text())
        self.uri_error.setText(problem)
        self.uri_error.setVisible(bool(problem))
        set_role(self.uri_edit, "role", "invalid" if problem else "")
        if self._valid != (not problem):
            self._valid = not problem
            self.validity_changed.emit(self._valid)

    def values(self) -> dict[str, str]:
        """Every printer and receipt setting as it would be stored."""
        footer = "\n".join(line.rstrip() for line in
                           self.footer_edit.toPlainText().strip().splitlines())
        return {
            "printer_uri": self.uri_edit.text().strip(),
            "printer_width": str(self.width_combo.currentData()),
            "printer_timeout": str(self.timeout_combo.currentData()),
            "drawer_enabled": "1" if self.drawer_check.isChecked() else "0",
            "auto_print": "1" if self.auto_print_check.isChecked() else "0",
            "booth_name": self.booth_name_edit.text().strip(),
            "receipt_footer": footer,
            "kwitansi_place": self.place_edit.text().strip(),
        }

    def changes(self) -> dict[str, str]:
        """Only the settings that differ from those stored."""
        stored = self.app_ctx.settings
        return {key: value for key, value in self.values().items()
                if stored[key] != value}

    # -- test print -----------------------------------------------------------------------
    def test_print(self) -> None:
        uri = self.uri_edit.text().strip()
        if not uri:
            self.test_result.show_error(_("Type the printer address first"))
            return
        if not self._valid:
            self.test_result.show_error(uri_problem(uri))
            return
        config = PrinterConfig(uri, int(self.width_combo.currentData()),
                               float(self.timeout_combo.currentData()))
        self.test_button.setEnabled(False)
        self.test_button.setText(_("Printing…"))
        self.test_result.show_message(_("Sending a test page to {uri}…").format(uri=uri), "info")
        self.app_ctx.printer.test(config, self._tested, owner=self)

    def _tested(self, result: PrintResult) -> None:
        self.test_button.setEnabled(True)
        self.test_button.setText(_("Test print"))
        if result.printed and result.sent:
            self.test_result.show_message(_(
                "Test page sent to {printer}. This printer does not report its status: check "
                "that the page came out; receipts to it will show as sent").format(
                printer=result.destination), "success")
        elif result.printed:
            self.test_result.show_message(_("Test page printed on {printer}").format(
                printer=result.destination), "success")
        else:
            self.test_result.show_error(result.message)

