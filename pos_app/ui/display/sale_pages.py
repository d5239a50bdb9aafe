"""The customer display's pages during a sale: the cart (lines as they are added, the total
in large type), the QRIS to scan (with the amount, merchant and NMID), and the end (the
change after cash, then the thank-you naming the facilities whose goods were bought).

Type sizes come from the window's style sheet (``display_window.sheet``): every label has a
``d`` property naming its size there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import format_rupiah
from pos_app.i18n import _, ngettext
from pos_app.services.sale.qris import QrisOffer
from pos_app.ui.display.feed import DisplayLine
from pos_app.ui.display.qr_paint import QrSquare

ROWS = 6  # lines shown at once (the newest at the bottom); every size scales with the window


def label(parent: QWidget, size: str, text: str = "", *,
          align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> QLabel:
    made = QLabel(text, parent)
    made.setProperty("d", size)
    made.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    return made


class ElidedLabel(QLabel):
    """One line that ends in … when it does not fit; ``text()`` stays whole."""

    def __init__(self, parent: QWidget, size: str) -> None:
        super().__init__(parent)
        self.setProperty("d", size)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setPen(self.palette().color(self.foregroundRole()))
        p.setFont(self.font())
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                              rect.width())
        p.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)
        p.end()


def joined(names: tuple[str, ...]) -> str:
    """``A``, ``A dan B``, ``A, B dan C`` (in the reader's language)."""
    if len(names) <= 1:
        return "".join(names)
    return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])


class LineRow(QFrame):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setProperty("d", "row")
        self.name = ElidedLabel(self, "line")
        self.facility = ElidedLabel(self, "facility")
        self.qty = label(self, "qty", align=Qt.AlignmentFlag.AlignRight)
        self.total = label(self, "line-total", align=Qt.AlignmentFlag.AlignRight)
        grid = QGridLayout(self)
        grid.setContentsMargins(14, 2, 14, 2)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(0)
        grid.addWidget(self.name, 0, 0)
        grid.addWidget(self.facility, 1, 0)
        grid.addWidget(self.qty, 0, 1, 2, 1)
        grid.addWidget(self.total, 0, 2, 2, 1)
        grid.setColumnStretch(0, 1)

    def show_line(self, line: DisplayLine, fresh: bool) -> None:
        self.name.setText(line.name)
        self.facility.setText(line.facility)
        self.qty.setText(_("{qty} × {price}").format(qty=line.qty,
                                                     price=format_rupiah(line.unit_price)))
        self.total.setText(format_rupiah(line.total))
        if self.property("fresh") != fresh:
            self.setProperty("fresh", fresh)
            self.style().unpolish(self)
            self.style().polish(self)


class CartPage(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.earlier = label(self, "earlier")
        self.rows = [LineRow(self) for _ in range(ROWS)]
        band = QFrame(self)
        band.setProperty("d", "total-band")
        self.total_caption = label(band, "total-caption", _("TOTAL"))
        self.count = label(band, "count")
        self.discount = label(band, "count")
        self.total = label(band, "total", format_rupiah(0), align=Qt.AlignmentFlag.AlignRight)
        left = QVBoxLayout()
        left.setSpacing(0)
        left.addWidget(self.total_caption)
        left.addWidget(self.count)
        left.addWidget(self.discount)
        row = QHBoxLayout(band)
        row.setContentsMargins(24, 8, 24, 8)
        row.addLayout(left)
        row.addStretch(1)
        row.addWidget(self.total)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 12)
        layout.setSpacing(4)
        layout.addWidget(self.earlier)
        for line_row in self.rows:
            layout.addWidget(line_row)
        layout.addStretch(1)
        layout.addWidget(band)
        self.previous: tuple[DisplayLine, ...] = ()
        for hidden in (self.earlier, *self.rows):  # shown as lines come (and sized then)
            hidden.setVisible(False)

    def show_lines(self, lines: tuple[DisplayLine, ...], total: int) -> None:
        """The newest lines (the one just changed highlighted), the item count and total."""
        changed = next((i for i, (a, b) in enumerate(zip(lines, self.previous, strict=False))
                        if a != b), len(lines) - 1)
        self.previous = lines
        room = ROWS if len(lines) <= ROWS else ROWS - 1  # one row says how many are above
        first = max(len(lines) - room, 0)
        if first and changed < first:  # a change above the newest lines: show it instead
            first = changed
        shown = lines[first:first + room]
        hidden = len(lines) - len(shown)
        self.earlier.setText(ngettext("+ {count} more item above", "+ {count} more items above",
                                      hidden).format(count=hidden) if hidden else "")
        for i, line_row in enumerate(self.rows):
            if i < len(shown):
                line_row.show_line(shown[i], first + i == changed)
        # hide first, then show: the page never asks for more room than it will have
        wanted = {self.earlier: bool(hidden), **{r: i < len(shown)
                                                 for i, r in enumerate(self.rows)}}
        for widget, visible in sorted(wanted.items(), key=lambda item: item[1]):
            widget.setVisible(visible)
        items = sum(line.qty for line in lines)
        self.count.setText(ngettext("{count} item", "{count} items", items).format(count=items))
        saved = sum(line.discount for line in lines)
        self.discount.setText(_("You save {amount}").format(amount=format_rupiah(saved))
                              if saved else "")
        self.discount.setVisible(bool(saved))
        self.total.setText(format_rupiah(total))


class QrisPage(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.qr = QrSquare(self)
        self.caption = label(self, "caption", _("Scan this QRIS to pay"))
        self.caption.setWordWrap(True)
        self.amount = label(self, "qris-amount")
        self.merchant = label(self, "merchant")
        self.merchant.setWordWrap(True)
        self.nmid = label(self, "nmid")
        self.note = label(self, "note")
        self.note.setWordWrap(True)
        side = QVBoxLayout()
        side.setSpacing(6)
        side.addStretch(1)
        for widget in (self.caption, self.amount, self.merchant, self.nmid, self.note):
            side.addWidget(widget)
        side.addStretch(2)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(32)
        layout.addWidget(self.qr, 5)
        layout.addLayout(side, 4)

    def show_offer(self, offer: QrisOffer, modules: list[list[bool]]) -> None:
        self.qr.set_modules(modules)
        self.amount.setText(format_rupiah(offer.amount))
        self.merchant.setText(f"{offer.merchant}, {offer.city}" if offer.city else offer.merchant)
        self.nmid.setText(f"NMID {offer.nmid}" if offer.nmid else "")
        self.nmid.setVisible(bool(offer.nmid))
        note = "" if offer.with_amount else _("Type {amount} in your app after scanning.").format(
            amount=format_rupiah(offer.amount))
        self.note.setText(note)
        self.note.setVisible(bool(note))


class FinishPage(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        center = Qt.AlignmentFlag.AlignHCenter
        self.change_caption = label(self, "caption", _("Your change"), align=center)
        self.change = label(self, "change", align=center)
        self.thanks = label(self, "thanks", _("Thank you!"), align=center)
        self.made_by = label(self, "made-by", align=center)
        self.made_by.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 16, 40, 24)
        layout.setSpacing(8)
        layout.addStretch(1)
        for widget in (self.change_caption, self.change):
            layout.addWidget(widget)
        layout.addSpacing(24)
        layout.addWidget(self.thanks)
        layout.addWidget(self.made_by)
        layout.addStretch(1)

    def set_change(self, change: int) -> None:
        self.change.setText(format_rupiah(change) if change else "")
        for widget in (self.change_caption, self.change):
            widget.setVisible(change > 0)
        self.made_by.clear()

    def set_facilities(self, facilities: tuple[str, ...]) -> None:
        self.made_by.setText(_("Made by the inmates (WBP) of {facilities}").format(
            facilities=joined(facilities)) if facilities else "")
