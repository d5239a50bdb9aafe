"""Plain words where Qt and the clock speak: Qt's own standard buttons and file chooser in
Indonesian (PySide6 ships no qtbase_id.qm), and "dibuka 05/12 pukul 00.37"."""

from __future__ import annotations

import dataclasses
import gc
import uuid
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel, QMessageBox

from pos_app import i18n
from pos_app.services.access.auth import AuthUser
from pos_app.ui import qt_words
from pos_app.ui.access.login_flow import ShiftOpenDialog, clock_text

Button = QDialogButtonBox.StandardButton


@pytest.fixture
def indonesian():
    previous = i18n.language()
    i18n.set_language("id")
    yield
    i18n.set_language(previous)


@pytest.fixture
def words(qapp: QApplication):
    translator = qt_words.install(qapp)
    yield
    qapp.removeTranslator(translator)


def test_qt_standard_buttons_and_the_file_chooser_speak_indonesian(qtbot, words,
                                                                   indonesian) -> None:
    gc.collect()  # the translator lives as long as the application, not as a local
    box = QDialogButtonBox(Button.Ok | Button.Cancel | Button.Yes | Button.No | Button.Open
                           | Button.Retry)
    qtbot.addWidget(box)
    assert [box.button(b).text() for b in (Button.Ok, Button.Cancel, Button.Yes, Button.No,
                                           Button.Open, Button.Retry)] == [
        "OK", "Batal", "&Ya", "&Tidak", "Buka", "Coba lagi"]
    message = QMessageBox(QMessageBox.Icon.Question, "Lapak POS", "?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(message)
    assert sorted(b.text() for b in message.buttons()) == ["&Tidak", "&Ya"]
    chooser = QFileDialog(None, "Simpan")
    qtbot.addWidget(chooser)
    chooser.setOption(QFileDialog.Option.DontUseNativeDialog)
    chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    Label = QFileDialog.DialogLabel
    assert [chooser.labelText(k) for k in (Label.FileName, Label.Accept, Label.Reject)] == [
        "&Nama berkas:", "&Simpan", "Batal"]


def test_english_keeps_qts_own_words(qtbot, words, english) -> None:
    box = QDialogButtonBox(Button.Yes | Button.Open)
    qtbot.addWidget(box)
    assert [box.button(b).text() for b in (Button.Yes, Button.Open)] == ["&Yes", "Open"]


def test_the_shift_opened_reads_day_then_time(qtbot, shift, indonesian) -> None:
    # 04/12 16:37 UTC is 05/12 00:37 WITA, just past midnight.
    late = dataclasses.replace(shift, opened_at=datetime(2026, 12, 4, 16, 37, tzinfo=UTC))
    maria = AuthUser(uuid.uuid4(), "Maria", "coordinator")
    dialog = ShiftOpenDialog(maria, late, "Asia/Makassar")
    qtbot.addWidget(dialog)
    [note] = [label.text() for label in dialog.findChildren(QLabel) if "dibuka" in label.text()]
    assert note.startswith("Shift di kasir ini dibuka 05/12 pukul 00.37 dan sekarang dipegang "
                           "Kasir.")
    assert clock_text(datetime(2026, 12, 5, 0, 37)) == "00.37"


def test_english_writes_the_time_with_a_colon(english) -> None:
    assert clock_text(datetime(2026, 12, 5, 0, 37)) == "00:37"

