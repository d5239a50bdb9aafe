"""A new PIN typed twice, on the keyboard or on the number pad (which types into whichever of
the two fields was last touched). Shared by the users screen and the first run."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from pos_app.i18n import _
from pos_app.ui.common.pin_pad import PinField, PinPad

PAD_KEY_HEIGHT = 52  # a little lower than the login pad's: the form above it needs the room


class NewPinField(PinField):
    """A PIN field that says when it takes the focus (so the pad types into it)."""

    focused = Signal()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        self.focused.emit()


class PinTwice(QWidget):
    """Two PIN fields side by side and, with ``pad``, a number pad under them."""

    def __init__(self, parent: QWidget | None = None, *, pad: bool = True) -> None:
        super().__init__(parent)
        self.pin_edit = NewPinField(self)
        self.again_edit = NewPinField(self)
        self.again_edit.setPlaceholderText("")  # its label says it; the field is narrow
        for edit in (self.pin_edit, self.again_edit):
            edit.setMinimumHeight(48)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        for col, (text, edit) in enumerate(((_("New PIN"), self.pin_edit),
                                            (_("PIN again"), self.again_edit))):
            label = QLabel(text, self)
            label.setProperty("role", "field")
            label.setBuddy(edit)
            grid.addWidget(label, 0, col)
            grid.addWidget(edit, 1, col)
        self.pad: PinPad | None = None
        if pad:
            self.pad = PinPad(self.pin_edit, self)
            for button in self.pad.buttons.values():
                button.setMinimumHeight(PAD_KEY_HEIGHT)
            for row in range(4):
                self.pad.layout().setRowMinimumHeight(row, PAD_KEY_HEIGHT)
            grid.addWidget(self.pad, 2, 0, 1, 2)
            self.pin_edit.focused.connect(lambda: self._aim(self.pin_edit))
            self.again_edit.focused.connect(lambda: self._aim(self.again_edit))

    def _aim(self, edit: PinField) -> None:
        if self.pad is not None:
            self.pad.target = edit

    def problem(self) -> str:
        """What is wrong with the two fields before the service is asked ("" when nothing):
        empty, or two different PINs."""
        if not self.pin_edit.text():
            return _("Type the new PIN")
        if self.pin_edit.text() != self.again_edit.text():
            return _("The two PINs are not the same")
        return ""

    def pin(self) -> str:
        return self.pin_edit.text()

    def clear(self) -> None:
        self.pin_edit.clear()
        self.again_edit.clear()
        self._aim(self.pin_edit)
