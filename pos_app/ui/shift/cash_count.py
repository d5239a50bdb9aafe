"""Counting the drawer: rupiah notes and coins with their pieces and a running total, and the
figures shown once a blind count is confirmed (expected, counted, difference)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.cash import COINS, NOTES
from pos_app.domain.money import format_rupiah
from pos_app.i18n import _
from pos_app.ui.common.keypad import Keypad
from pos_app.ui.common.style import set_role

NOTE, COIN = "note", "coin"


def difference_text(difference: int) -> tuple[str, str]:
    """(text, label role): green when exact, red when short, amber when over."""
    if difference == 0:
        return _("{amount} — exact").format(amount=format_rupiah(0)), "figure-good"
    if difference < 0:
        return _("{amount} short").format(amount=format_rupiah(-difference)), "figure-warn"
    return _("{amount} over").format(amount=format_rupiah(difference)), "figure-over"


class CashCount(QWidget):
    """Notes on the left, coins on the right, a number pad for a touch screen. The Rp1.000
    note and coin are counted apart and added together (the till has one key for them)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[tuple[str, int], QLineEdit] = {}
        self._subtotals: dict[tuple[str, int], QLabel] = {}
        blocks = QHBoxLayout()
        blocks.setSpacing(24)
        self._order: list[QLineEdit] = []
        for kind, title, values in ((NOTE, _("Notes"), NOTES), (COIN, _("Coins"), COINS)):
            grid = QGridLayout()
            grid.setHorizontalSpacing(10)
            grid.setVerticalSpacing(6)
            heading = QLabel(title, self)
            heading.setProperty("role", "field")
            grid.addWidget(heading, 0, 0, 1, 3)
            for row, value in enumerate(values, start=1):
                label = QLabel(format_rupiah(value), self)
                label.setProperty("role", "field")
                edit = QLineEdit(self)
                edit.setProperty("role", "count")
                edit.setAlignment(Qt.AlignmentFlag.AlignRight)
                edit.setPlaceholderText("0")
                edit.setFixedWidth(84)
                edit.setMaxLength(5)
                edit.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]{0,5}"),
                                                              edit))
                edit.setAccessibleName(_("Pieces of {amount}").format(
                    amount=format_rupiah(value)))
                edit.textChanged.connect(self._refresh)
                edit.installEventFilter(self)
                subtotal = QLabel(self)
                subtotal.setProperty("role", "caption")
                subtotal.setFixedWidth(96)
                subtotal.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                grid.addWidget(label, row, 0)
                grid.addWidget(edit, row, 1)
                grid.addWidget(subtotal, row, 2)
                self.fields[(kind, value)] = edit
                self._subtotals[(kind, value)] = subtotal
                self._order.append(edit)
            grid.setRowStretch(len(values) + 1, 1)
            blocks.addLayout(grid)

        self.keypad = Keypad(self._order[0], self)
        self.keypad.setFixedWidth(240)
        total_caption = QLabel(_("Counted"), self)
        total_caption.setProperty("role", "caption")
        self.total_label = QLabel(self)
        self.total_label.setProperty("role", "figure")
        side = QVBoxLayout()
        side.setSpacing(8)
        side.addWidget(self.keypad)
        side.addStretch(1)
        side.addWidget(total_caption)
        side.addWidget(self.total_label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(24)
        layout.addLayout(blocks)
        layout.addStretch(1)
        layout.addLayout(side)
        self._refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """The pad types into the field last touched; Up and Down move between fields."""
        if isinstance(watched, QLineEdit):
            if event.type() == QEvent.Type.FocusIn:
                self.keypad.target = watched
            elif event.type() == QEvent.Type.KeyPress and event.key() in (
                    Qt.Key.Key_Up, Qt.Key.Key_Down):
                i = self._order.index(watched) + (1 if event.key() == Qt.Key.Key_Down else -1)
                if 0 <= i < len(self._order):
                    self._order[i].setFocus(Qt.FocusReason.TabFocusReason)
                    self._order[i].selectAll()
                return True
        return super().eventFilter(watched, event)

    def focus_first(self) -> None:
        self._order[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def pieces(self, kind: str, value: int) -> int:
        text = self.fields[(kind, value)].text().strip()
        return int(text) if text else 0

    def set_pieces(self, value: int, pieces: int, kind: str = NOTE) -> None:
        self.fields[(kind, value)].setText(str(pieces) if pieces else "")

    def count(self) -> dict[int, int]:
        """{denomination: pieces}, the Rp1.000 note and coin together; zeros left out."""
        out: dict[int, int] = {}
        for (kind, value) in self.fields:
            pieces = self.pieces(kind, value)
            if pieces:
                out[value] = out.get(value, 0) + pieces
        return out

    def total(self) -> int:
        return sum(value * pieces for value, pieces in self.count().items())

    def clear(self) -> None:
        for edit in self.fields.values():
            edit.clear()

    def _refresh(self) -> None:
        for key, label in self._subtotals.items():
            pieces = self.pieces(*key)
            label.setText(format_rupiah(key[1] * pieces) if pieces else "")
        self.total_label.setText(format_rupiah(self.total()))
        self.changed.emit()


class CountFigures(QFrame):
    """Expected, counted and the difference, side by side, once a blind count is in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 14, 20, 14)
        row.setSpacing(32)
        self.expected_label, self.counted_label, self.difference_label = (
            self._figure(row, text) for text in (_("Expected"), _("Counted"), _("Difference")))
        row.addStretch(1)

    def _figure(self, row: QHBoxLayout, caption: str) -> QLabel:
        box = QVBoxLayout()
        box.setSpacing(0)
        cap = QLabel(caption, self)
        cap.setProperty("role", "caption")
        value = QLabel(self)
        value.setProperty("role", "figure")
        box.addWidget(cap)
        box.addWidget(value)
        row.addLayout(box)
        return value

    def show_result(self, expected: int, counted: int, difference: int) -> None:
        self.expected_label.setText(format_rupiah(expected))
        self.counted_label.setText(format_rupiah(counted))
        text, role = difference_text(difference)
        self.difference_label.setText(text)
        set_role(self.difference_label, "role", role)
