"""How changes of figures read (``+5``, ``−3``, ``−Rp10.000``) and the label that shows a
figure on a screen (selectable, so it can be copied)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from pos_app.domain.money import format_number, format_rupiah


def signed(qty: int) -> str:
    """``+5`` / ``−3`` / ``0``: a change of stock, grouped like every figure."""
    text = format_number(abs(qty))
    return f"+{text}" if qty > 0 else f"−{text}" if qty < 0 else "0"


def signed_rupiah(amount: int) -> str:
    return f"−{format_rupiah(-amount)}" if amount < 0 else format_rupiah(amount)


def figure_label(parent: QWidget, role: str = "hint") -> QLabel:
    label = QLabel(parent)
    label.setProperty("role", role)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
