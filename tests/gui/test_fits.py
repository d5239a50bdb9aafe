"""Every screen and dialog fits a booth laptop: at 1024x768, 1366x768 and 1920x1080, in English
and in Indonesian, nothing lies outside its window, no label or button text is cut, every control
a finger taps is at least 44 px high (a banner's × 44 px wide too), and no window is bigger than
the screen.

The screen is the size under test: ``dialog_layout.screen_room`` (what dialogs fit themselves
to) is made to answer it, whatever the test machine's own screen is."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QTableView,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from pos_app import i18n
from pos_app.domain.errors import DomainError
from pos_app.domain.tenders import Method, Tender
from pos_app.i18n import _
from pos_app.services.access import auth
from pos_app.services.catalog import catalog
from pos_app.services.reporting.report_facts import ReportFilter
from pos_app.services.sale import parking
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.history import find_sales
from pos_app.services.sale.kwitansi import KwitansiPlan
from pos_app.services.sale.refunds import refundable
from pos_app.services.stock import stock
from pos_app.ui.access.login_flow import ShiftOpenDialog
from pos_app.ui.access.unlock_dialog import UnlockDialog
from pos_app.ui.access.users_screen import ADD, UsersDialog
from pos_app.ui.common import dialog_layout
from pos_app.ui.history.approval_dialog import ApprovalDialog
from pos_app.ui.history.reversal_dialogs import RefundDialog, VoidDialog
from pos_app.ui.reporting.export_dialog import ExportDialog
from pos_app.ui.reporting.report_dialog import ReportDialog
from pos_app.ui.reporting.settlement_screen import open_settlement
from pos_app.ui.sale.discount_dialog import DiscountDialog
from pos_app.ui.sale.kwitansi_dialog import KwitansiDialog
from pos_app.ui.sale.park_dialogs import ParkDialog, ParkedDialog
from pos_app.ui.sale.price_dialog import PriceDialog
from pos_app.ui.setup.first_run import FirstRunDialog
from pos_app.ui.setup.restore_dialog import RestoreDialog
from pos_app.ui.shift.close_shift_dialog import CloseShiftDialog
from pos_app.ui.shift.handover_dialog import HandoverDialog
from pos_app.ui.shift.shift_dialogs import CashMoveDialog, OpenShiftDialog
from pos_app.ui.stock.stock_closeout import CloseOutDialog
from pos_app.ui.stock.stock_count import CountDialog
from pos_app.ui.stock.stock_labels import LabelsDialog
from pos_app.ui.stock.stock_product import NewProductDialog
from pos_app.ui.stock.stock_receive import ReceiveDialog
from tests.gui.cashier import Cashier

PERAHU = "8994111000610"  # Rp300.000
KOPI_BAJAWA = "8994111000016"  # Rp85.000
FIGURE = re.compile(r"^[-−+]?\s*(Rp)?\s*[\d.,]+$")  # Rp1.250.000, −3, 12
SIZES = [(1024, 768), (1366, 768), (1920, 1080)]
LANGS = ["en", "id"]
TOUCH = 44
TIMEOUT = 10_000


# -- what is wrong with a window ------------------------------------------------------------
def _inside_scroll_view(widget: QWidget, top: QWidget) -> bool:
    """Scrolled content may lie outside the window; its scroll area is what must fit."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _cut_cells(view: QTableView) -> list[str]:
    """Figures (of the first rows) that need more width than their column has: a name may be
    shortened with "…", an amount never. Columns that paint their own cells are left out."""
    model = view.model()
    if model is None or view.wordWrap() or view.textElideMode() == Qt.TextElideMode.ElideNone:
        return []
    cut = []
    for col in range(model.columnCount()):
        if view.isColumnHidden(col) or view.itemDelegateForColumn(col) is not None:
            continue
        for row in range(min(model.rowCount(), 30)):
            index = model.index(row, col)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if not isinstance(text, str) or not FIGURE.match(text):
                continue
            font = index.data(Qt.ItemDataRole.FontRole) or view.font()
            need = QFontMetrics(font).horizontalAdvance(text) + 12 + 6
            if view.columnWidth(col) < need:
                cut.append(f"{text!r} needs {need} px, its column is {view.columnWidth(col)}")
    return cut


def _cut_headers(header: QHeaderView) -> list[str]:
    """The columns of a table whose heading needs more width than the column has (its text in
    the stylesheet's heading type, 13 px semibold, with 8 px padding either side)."""
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return []
    font = QFont(header.font())
    font.setPixelSize(13)
    font.setWeight(QFont.Weight.DemiBold)
    cut = []
    for section in range(header.count()):
        title = model.headerData(section, Qt.Orientation.Horizontal)
        if header.isSectionHidden(section) or not title:
            continue
        need = QFontMetrics(font).horizontalAdvance(str(title)) + 16
        if header.sectionSize(section) < need:
            cut.append(f"column {title!r} is {header.sectionSize(section)} px, needs {need}")
    return cut


def _name(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    return f"{type(widget).__name__}({text!r}, {widget.objectName()!r})"


def _text_room(widget: QWidget) -> int:
    """The width a label's or button's text has, inside borders and padding."""
    if isinstance(widget, QPushButton):
        opt = QStyleOptionButton()
        widget.initStyleOption(opt)
        rect = widget.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, widget)
        room = rect.width()
        if not widget.icon().isNull():
            room -= widget.iconSize().width() + 4
        if widget.menu() is not None:
            room -= 16
        return room
    return widget.contentsRect().width() - 2 * widget.margin()


def _cut_text(widget: QWidget) -> bool:
    if isinstance(widget, QLabel):
        if widget.wordWrap() or widget.pixmap() is not None and not widget.pixmap().isNull():
            return False
        if widget.textFormat() == Qt.TextFormat.RichText or (
                widget.textFormat() == Qt.TextFormat.AutoText and "<" in widget.text()):
            return False
    text = widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text.strip():
        return False
    metrics = widget.fontMetrics()
    need = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
    return need > _text_room(widget)


def _tappable(widget: QWidget) -> bool:
    if isinstance(widget, QToolButton) and isinstance(widget.parentWidget(), (QTabBar,)):
        return False  # a tab bar's own scroll arrows
    if widget.objectName() == "qt_toolbar_ext_button":
        return False
    return isinstance(widget, (QAbstractButton, QComboBox, QCheckBox, QAbstractSpinBox))


def problems(top: QWidget, size: QSize) -> list[str]:
    """Everything wrong with ``top`` (a window shown at its size) on a ``size`` screen."""
    found = []
    if top.width() > size.width() or top.height() > size.height():
        found.append(f"{_name(top)} is {top.width()}x{top.height()}")
    frame = top.rect()
    for widget in top.findChildren(QWidget):
        if not _shown(widget) or widget.window() is not top:
            continue
        where = QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())
        if not _inside_scroll_view(widget, top) and not frame.contains(where):
            found.append(f"{_name(widget)} at {where.getRect()} is outside {frame.getRect()}")
        if isinstance(widget, (QLabel, QPushButton)) and _cut_text(widget):
            found.append(f"{_name(widget)} is cut: {_text_room(widget)} px for its text")
        box = widget.layout()
        if box is not None and widget.height() < box.minimumSize().height():
            found.append(f"{_name(widget)} is squeezed: {widget.height()} px of the "
                         f"{box.minimumSize().height()} its layout needs")
        if _tappable(widget) and widget.height() < TOUCH:
            found.append(f"{_name(widget)} is {widget.height()} px high")
        if widget.property("role") == "close" and widget.width() < TOUCH:
            found.append(f"{_name(widget)} is {widget.width()} px wide")
        if isinstance(widget, QComboBox) and widget.count():
            row = widget.view().sizeHintForRow(0)
            if row < TOUCH:
                found.append(f"{_name(widget)}'s items are {row} px high")
        if isinstance(widget, QTableView):
            found += [f"{_name(widget)}: {c}" for c in _cut_cells(widget)]
        if isinstance(widget, QHeaderView):
            found += [f"{_name(widget.parentWidget())}: {c}" for c in _cut_headers(widget)]
        if isinstance(widget, QToolBar):
            hidden = [a.text() for a in widget.actions() if a.isVisible()
                      and widget.widgetForAction(a) is not None
                      and not widget.widgetForAction(a).isVisible()]
            if hidden:
                found.append(f"the toolbar hides {hidden}")
    return found


# -- the till at a size, in a language ---------------------------------------------------------
@pytest.fixture(params=[(w, h, lang) for w, h in SIZES for lang in LANGS],
                ids=lambda p: f"{p[0]}x{p[1]}-{p[2]}")
def till(request, qtbot, window, booth, shift, monkeypatch):
    """The main window at the size (and language) under test, Maria (coordinator) at the till."""
    w, h, lang = request.param
    size = QSize(w, h)
    monkeypatch.setattr(dialog_layout, "screen_room", lambda _widget=None: QSize(size))
    if lang != i18n.language():
        i18n.set_language(lang)
        window.switch_language  # noqa: B018 - the window rebuilds itself below
        window._apply_language(lang)
    maria = auth.login(booth, "Maria", "2468")
    window.app_ctx.login_state.start(maria, shift)
    window.resize(size)
    qtbot.waitUntil(lambda: window.size() == size, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.sale_screen.grid.loaded, timeout=TIMEOUT)
    return window, size


def check(qtbot, top: QWidget, size: QSize) -> list[str]:
    top.show()
    qtbot.waitExposed(top)
    QApplication.processEvents()
    found = problems(top, size)
    if isinstance(top, QDialog) and not found:
        # with no window manager (or a small screen) a dialog opens at its minimum size
        top.resize(top.minimumSize().expandedTo(top.minimumSizeHint()))
        QApplication.processEvents()
        found = [f"at its minimum size {top.width()}x{top.height()}: {p}"
                 for p in problems(top, size)]
    return found


def opened(qtbot, dialog: QDialog, size: QSize) -> list[str]:
    """Show ``dialog`` as the app does, report what is wrong, close it."""
    try:
        return [f"{type(dialog).__name__}: {p}" for p in check(qtbot, dialog, size)]
    finally:
        dialog.reject()
        dialog.deleteLater()


def test_the_main_window(till, qtbot) -> None:
    window, size = till
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert least.width() <= 1024 and least.height() <= 768 - 40, least
    found = check(qtbot, window, size)  # an empty cart
    assert not found, "\n".join(found)
    qtbot.waitUntil(lambda: window.statusBar().backup_label.state is not None, timeout=TIMEOUT)
    state = window.statusBar().backup_label.state  # the longest backup warning there is
    window.statusBar().backup_label.show_state(replace(
        state, last_at=state.now - timedelta(hours=30), second=Path("/media/usb"),
        second_problem=DomainError("backup_second_failed", folder="/media/usb",
                                   reason="not writable")))
    found = check(qtbot, window, size)
    assert not found, "\n".join(found)
    cashier = Cashier(qtbot, window, window.app_ctx.ops)
    for _n in range(8):
        cashier.scan(PERAHU)
    cashier.scan(KOPI_BAJAWA)
    assert cashier.total_shown().endswith("2.485.000")
    found = check(qtbot, window, size)
    assert not found, "\n".join(found)
    dialog = cashier.open_payment()  # paid with change: the sale's banner, and a notice
    cashier.tender(dialog, Method.CASH, "2500000")
    cashier.confirm(dialog)
    screen = window.sale_screen
    assert screen.panel.sale_banner.text().endswith("Rp15.000")
    screen.notice.show_error(_("Stock below zero for {names}: recorded; tell the coordinator to "
                               "check the stock.").format(names="Perahu Sandeq, Kopi Bajawa"))
    found = check(qtbot, window, size)
    assert not found, "\n".join(found)


def _each_tab(qtbot, dialog: QDialog, size: QSize) -> list[str]:
    """What is wrong on every tab of ``dialog`` (it is shown)."""
    found = problems(dialog, size)
    for tabs in dialog.findChildren(QTabWidget):
        for i in range(tabs.count()):
            if tabs.isTabEnabled(i) and tabs.isTabVisible(i) and i != tabs.currentIndex():
                tabs.setCurrentIndex(i)
                QApplication.processEvents()
                found += problems(dialog, size)
        tabs.setCurrentIndex(0)
    return found


def look_at(qtbot, ops, dialog: QDialog | None, size: QSize) -> list[str]:
    """Open ``dialog`` (as the app does), let it load, say what is wrong, close it."""
    if dialog is None:
        return ["a dialog did not open"]
    try:
        if not dialog.isVisible():
            dialog.open()
        qtbot.waitExposed(dialog)
        qtbot.waitUntil(lambda: not ops.busy, timeout=TIMEOUT)
        QApplication.processEvents()
        return [f"{type(dialog).__name__}: {p}" for p in dict.fromkeys(
            _each_tab(qtbot, dialog, size))]
    finally:
        dialog.reject()
        if shiboken6.isValid(dialog):  # the till's own dialogs delete themselves on closing
            dialog.deleteLater()
        qtbot.waitUntil(lambda: not ops.busy, timeout=TIMEOUT)


@pytest.fixture
def sold(booth, shift):
    """One sale, paid by QRIS and cash, that history, voids and refunds can show."""
    return checkout(booth, SaleRequest(
        items=(SaleItem(2, sku="KOP-001"), SaleItem(1, sku="MAK-003")),
        tenders=(Tender(Method.QRIS, 200_000, "QR-1"), Tender(Method.CASH, 100_000)),
        cashier="Kasir", shift_id=shift.id))


def the_dialogs(window, shift, sold) -> list[Callable[[], QDialog | None]]:
    """How to open each dialog, as the till does (or as its own screen does)."""
    app_ctx, booth = window.app_ctx, window.app_ctx.booth
    facilities, categories = catalog.facilities(booth), catalog.categories(booth)
    user = app_ctx.login_state.user

    def opened(open_it, attr):
        return lambda: (open_it(), getattr(window, attr))[1]

    return [
        opened(window.open_history, "history_dialog"),
        opened(window.open_stock, "stock_dialog"),
        opened(window.open_reports, "reports_dialog"),
        opened(window.open_settings, "settings_dialog"),
        opened(window.open_sync, "sync_dialog"),
        opened(window.open_reconcile, "reconcile_dialog"),
        lambda: ReceiveDialog(app_ctx, facilities, categories, parent=window),
        lambda: CountDialog(app_ctx, facilities, parent=window),
        lambda: CloseOutDialog(app_ctx, facilities, parent=window),
        lambda: LabelsDialog(app_ctx, stock.on_hand(booth)[:3], window),
        lambda: NewProductDialog(app_ctx, facilities[0], categories, window),
        lambda: ReportDialog(app_ctx, shift.id, "x", parent=window),
        lambda: ExportDialog(app_ctx, ReportFilter(), window),
        lambda: OpenShiftDialog(app_ctx, user, window),
        lambda: CashMoveDialog(app_ctx, "cash_in", window),
        lambda: CloseShiftDialog(app_ctx, window),
        lambda: HandoverDialog(app_ctx, parent=window),
        lambda: ShiftOpenDialog(user, shift, app_ctx.context.timezone, window),
        lambda: ParkDialog(window),
        lambda: ParkedDialog(parking.parked(booth), app_ctx.context.timezone, window),
        lambda: PriceDialog("Kopi Arabika Flores Bajawa 250 g", 85_000, 85_000, window),
        lambda: DiscountDialog(_("Line discount"), "Kopi Arabika Flores Bajawa 250 g", None,
                               lambda _d: None, window),
        lambda: ApprovalDialog(app_ctx, "void", sold.number, "\n".join((
            f"Sale {sold.number}", "Rp569.950 back: Rp200.000 by QRIS, Rp369.950 in cash",
            "Reason: the buyer changed their mind about the colour of the cloth")), window),
        lambda: KwitansiDialog(sold.number, sold.total, window),
        lambda: KwitansiDialog(sold.number, sold.total, window, KwitansiPlan(  # a copy
            sold.total, "KPG-01-KW-000001", "Maria Goreti Bria", "Dinas Koperasi dan UKM "
            "Provinsi NTT", "Pembelian produk hasil karya WBP: " + "2 Kopi Arabika, " * 30)),
        lambda: VoidDialog(app_ctx, find_sales(booth, sold.number)[0], window),
        lambda: RefundDialog(app_ctx, refundable(booth, sold.id), window),
        lambda: FirstRunDialog(app_ctx, window),
        lambda: real_booth_first_run(app_ctx, window),
        lambda: users_adding(app_ctx, window),
        lambda: UnlockDialog(app_ctx, "Kasir", window),
        lambda: open_settlement(window),
        lambda: RestoreDialog(app_ctx, window),
        lambda: settings_after_a_silent_test_print(window),
    ]


def settings_after_a_silent_test_print(window) -> QDialog:
    """The printer page with its longest answer: a test page sent to a printer that does
    not report its status."""
    window.open_settings()
    dialog = window.settings_dialog
    dialog.printer_page.test_result.show_message(_(
        "Test page sent to {printer}. This printer does not report its status: check "
        "that the page came out; receipts to it will show as sent").format(
        printer="192.168.100.200:9100"), "success")
    return dialog


def real_booth_first_run(app_ctx, window) -> FirstRunDialog:
    """The first run's tallest page: a real booth's catalog choice and administrator."""
    dialog = FirstRunDialog(app_ctx, window)
    dialog.catalog_box.show()
    return dialog


def users_adding(app_ctx, window) -> UsersDialog:
    """The users screen with its tallest form open: a new user with the PIN pad."""
    dialog = UsersDialog(app_ctx, window)
    dialog.start(ADD)
    return dialog


def test_every_dialog(till, qtbot, shift, sold) -> None:
    window, size = till
    ops = window.app_ctx.ops
    found = []
    for open_it in the_dialogs(window, shift, sold):
        found += look_at(qtbot, ops, open_it(), size)
    cashier = Cashier(qtbot, window, ops)
    cashier.scan(PERAHU)
    window.sale_screen.pay()
    found += look_at(qtbot, ops, window.sale_screen.payment_dialog, size)
    assert not found, "\n".join(found)
