"""The Customer display tab of the Settings dialog: off, a window or a second screen (and
which), and each facility's short text, shown on the display between customers."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.i18n import _
from pos_app.services.catalog.catalog import FacilityRow, facilities
from pos_app.services.catalog.showcase import FACILITY_TEXT_MOST, parse_texts
from pos_app.ui.common.app_context import AppContext

MODE_KEY, SCREEN_KEY, TEXTS_KEY = "customer_display", "customer_display_screen", "facility_texts"


def screen_names() -> list[str]:
    """Each attached screen as the list offers it: its number (from 1), size and name."""
    return [_("Screen {number}: {width} × {height} ({name})").format(
        number=i + 1, width=s.size().width(), height=s.size().height(), name=s.name())
        for i, s in enumerate(QGuiApplication.screens())]


class DisplaySettingsPage(QWidget):
    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        stored = app_ctx.settings
        heading = QLabel(_("Customer display"), self)
        heading.setProperty("role", "heading")
        about = QLabel(_("A second screen facing the buyer: the items, the total, the QRIS to "
                         "scan and the change; between customers, the facilities and their "
                         "goods. It never takes the keyboard from the till."), self)
        about.setProperty("role", "caption")
        about.setWordWrap(True)
        self.mode = QComboBox(self)
        for text, value in ((_("Off"), "off"),
                            (_("A window (for a small USB display)"), "window"),
                            (_("Full screen on a second screen, when one is attached"),
                             "screen")):
            self.mode.addItem(text, value)
        self.mode.setCurrentIndex(max(self.mode.findData(stored.customer_display), 0))
        self.screen = QComboBox(self)
        self.screen.addItem(_("Any screen but the till's"), 0)
        for number, name in enumerate(screen_names(), start=1):
            self.screen.addItem(name, number)
        wanted = stored.customer_display_screen
        if wanted and self.screen.findData(wanted) < 0:  # not attached now: keep the choice
            self.screen.addItem(_("Screen {number} (not attached)").format(number=wanted),
                                wanted)
        self.screen.setCurrentIndex(max(self.screen.findData(wanted), 0))
        self.mode.currentIndexChanged.connect(lambda _i: self._enable())
        form = QFormLayout()
        form.setSpacing(12)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("Show the customer display"), self.mode)
        form.addRow(_("On which screen"), self.screen)

        texts_heading = QLabel(_("About each facility"), self)
        texts_heading.setProperty("role", "heading")
        texts_about = QLabel(_("A short text per facility (at most {most} characters), shown "
                               "with its goods between customers.").format(
            most=FACILITY_TEXT_MOST), self)
        texts_about.setProperty("role", "caption")
        texts_about.setWordWrap(True)
        self.texts = parse_texts(stored.facility_texts)
        self.stored_texts = dict(self.texts)
        self.facility_list = QListWidget(self)
        self.facility_list.setMinimumWidth(280)
        self.facility_list.currentItemChanged.connect(lambda item, _old: self._pick(item))
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setPlaceholderText(_("For example: coffee roasted and weaving woven by "
                                            "the inmates' workshop"))
        self.text_edit.textChanged.connect(self._typed)
        self.left = QLabel(self)
        self.left.setProperty("role", "caption")
        editor = QVBoxLayout()
        editor.addWidget(self.text_edit, 1)
        editor.addWidget(self.left)
        pair = QHBoxLayout()
        pair.addWidget(self.facility_list, 2)
        pair.addLayout(editor, 3)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(texts_heading)
        layout.addWidget(texts_about)
        layout.addLayout(pair, 1)
        self.code: str | None = None
        self._enable()
        self._pick(None)
        app_ctx.ops.run(facilities, app_ctx.booth, on_success=self._listed, owner=self)

    def _enable(self) -> None:
        self.screen.setEnabled(self.mode.currentData() == "screen")

    def _listed(self, rows: list[FacilityRow]) -> None:
        for row in rows:
            item = QListWidgetItem(row.name, self.facility_list)
            item.setData(Qt.ItemDataRole.UserRole, row.code)
        if rows:
            self.facility_list.setCurrentRow(0)

    def _pick(self, item: QListWidgetItem | None) -> None:
        self.code = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.text_edit.setEnabled(self.code is not None)
        self.text_edit.blockSignals(True)
        self.text_edit.setPlainText(self.texts.get(self.code, "") if self.code else "")
        self.text_edit.blockSignals(False)
        self._count()

    def _typed(self) -> None:
        text = self.text_edit.toPlainText()
        if len(text) > FACILITY_TEXT_MOST:  # typed or pasted past the limit: cut there
            self.text_edit.blockSignals(True)
            self.text_edit.setPlainText(text[:FACILITY_TEXT_MOST])
            self.text_edit.blockSignals(False)
            text = text[:FACILITY_TEXT_MOST]
        if self.code is not None:
            said = " ".join(text.split())
            if said:
                self.texts[self.code] = said
            else:
                self.texts.pop(self.code, None)
        self._count()

    def _count(self) -> None:
        used = len(self.text_edit.toPlainText())
        self.left.setText(_("{used} of {most} characters").format(used=used,
                                                                  most=FACILITY_TEXT_MOST))

    def changes(self) -> dict[str, str]:
        stored = self.app_ctx.settings
        values = {MODE_KEY: self.mode.currentData(), SCREEN_KEY: str(self.screen.currentData())}
        out = {key: value for key, value in values.items() if stored[key] != value}
        if self.texts != self.stored_texts:
            out[TEXTS_KEY] = json.dumps(dict(sorted(self.texts.items())), ensure_ascii=False)
        return out
