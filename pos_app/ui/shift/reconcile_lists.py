"""The matches page of the reconciliation screen: payments matched to one statement line (each
with its Confirm button, and Confirm all), payments with several possible lines (pick one, then
confirm), and what matched nothing on either side."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.calendar import local_time
from pos_app.domain.money import format_rupiah
from pos_app.domain.reconcile import Matching, OpenPayment, StatementLine
from pos_app.i18n import _, ngettext
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.labels import method_label
from pos_app.ui.common.rows import Column, RowsModel
from pos_app.ui.common.style import MUTED, SUCCESS
from pos_app.ui.common.tables import fix_widths, make_table

ACTION_ROW_HEIGHT = 50  # a touch-sized button or choice in every row
ACTION_WIDTH = 150

# columns of the matched table
M_SALE, M_METHOD, M_PAID, M_AMOUNT, M_LINE, M_REFERENCE, M_TEXT, M_ACTION = range(8)
# columns of the ambiguous table
A_SALE, A_METHOD, A_PAID, A_AMOUNT, A_PICK, A_ACTION = range(6)


def when(at, tz: str) -> str:
    return local_time(at, tz).strftime("%d/%m %H:%M")


def line_time(line: StatementLine, tz: str) -> str:
    if line.until is not None:
        return _("{date} (whole day)").format(date=local_time(line.at, tz).strftime("%d/%m"))
    return when(line.at, tz)


def line_text(line: StatementLine, tz: str) -> str:
    """One statement line in a choice: ``row 5 · 21/11 19:58 · TRF-7 · TRF YOHANES``."""
    parts = [_("row {row}").format(row=line.row), line_time(line, tz)]
    parts += [p for p in (line.reference, line.text) if p]
    return " · ".join(parts)


def _payment_columns(tz: str) -> list[Column]:
    return [
        Column(_("Sale"), lambda r: _payment(r).sale_number),
        Column(_("Method"), lambda r: method_label(_payment(r).method),
               tip=lambda r: _payment(r).reference or ""),
        Column(_("Paid at"), lambda r: when(_payment(r).at, tz)),
        Column(_("Amount"), lambda r: format_rupiah(_payment(r).amount), numeric=True,
               tip=lambda r: qris_tip(_payment(r))),
    ]


def qris_tip(payment: OpenPayment) -> str:
    """The exact QRIS the buyer was shown (it carries the amount), for a dispute."""
    if not payment.qris_payload:
        return ""
    return _("QRIS shown to the buyer:") + " " + payment.qris_payload


def _payment(row) -> OpenPayment:
    return row[0] if isinstance(row, tuple) else row


class MatchedModel(RowsModel):
    def __init__(self, tz: str, parent=None) -> None:
        super().__init__([
            *_payment_columns(tz),
            Column(_("Statement"), lambda r: _("row {row} · {time}").format(
                row=r[1].row, time=line_time(r[1], tz))),
            Column(_("Reference"), lambda r: r[1].reference),
            Column(_("Description"), lambda r: r[1].text, tip=lambda r: r[1].text),
            Column("", lambda r: ""),
        ], parent)

    def foreground(self, row, col: int) -> str | None:
        return SUCCESS if col == M_LINE else MUTED if col == M_METHOD else None


class AmbiguousModel(RowsModel):
    def __init__(self, tz: str, parent=None) -> None:
        super().__init__([
            *_payment_columns(tz),
            Column(_("Which statement line?"), lambda r: ""),
            Column("", lambda r: ""),
        ], parent)


class UnmatchedModel(RowsModel):
    def __init__(self, tz: str, parent=None) -> None:
        super().__init__([*_payment_columns(tz),
                          Column(_("Reference"), lambda r: r.reference or "",
                                 tip=lambda r: r.reference or "")], parent)


class UnusedModel(RowsModel):
    def __init__(self, tz: str, parent=None) -> None:
        super().__init__([
            Column(_("Row"), lambda r: str(r.row), numeric=True),
            Column(_("Time"), lambda r: line_time(r, tz)),
            Column(_("Amount"), lambda r: format_rupiah(r.amount), numeric=True),
            Column(_("Reference"), lambda r: r.reference, tip=lambda r: r.reference),
            Column(_("Description"), lambda r: r.text, tip=lambda r: r.text),
        ], parent)


def _section(parent: QWidget, title: QLabel, table: QTableView,
             *extra: QWidget) -> QWidget:
    box = QWidget(parent)
    head = QHBoxLayout()
    head.setSpacing(10)
    head.addWidget(title, 1)
    for widget in extra:
        head.addWidget(widget)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 6, 0, 0)
    layout.setSpacing(6)
    layout.addLayout(head)
    layout.addWidget(table, 1)
    return box


def _heading(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setProperty("role", "heading")
    return label


class MatchLists(QWidget):
    """Emits ``confirm_requested`` with the (payment, statement line) pairs to confirm."""

    confirm_requested = Signal(list)

    def __init__(self, tz: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.matching = Matching((), (), (), ())
        self.summary_label = QLabel(self)
        self.summary_label.setProperty("role", "hint")
        self.summary_label.setWordWrap(True)

        self.matched_model = MatchedModel(tz, self)
        self.matched_table = self._table(self.matched_model, M_TEXT, actions=True)
        self.matched_label = _heading(self)
        self.confirm_all_button = TouchButton(_("Confirm all matched"), self, role="primary")
        self.confirm_all_button.setToolTip(_("Confirm every payment in this list against its "
                                             "statement line"))
        self.confirm_all_button.clicked.connect(self._confirm_all)

        self.ambiguous_model = AmbiguousModel(tz, self)
        self.ambiguous_table = self._table(self.ambiguous_model, A_PICK, actions=True)
        self.ambiguous_label = _heading(self)
        self.ambiguous_hint = QLabel(_("Several statement lines fit: pick the one that is "
                                       "this payment, then confirm"), self)
        self.ambiguous_hint.setProperty("role", "caption")

        self.unmatched_model = UnmatchedModel(tz, self)
        self.unmatched_table = self._table(self.unmatched_model, 4)
        self.unmatched_label = _heading(self)
        self.unused_model = UnusedModel(tz, self)
        self.unused_table = self._table(self.unused_model, 4)
        self.unused_label = _heading(self)

        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        bottom.setChildrenCollapsible(False)
        bottom.addWidget(_section(bottom, self.unmatched_label, self.unmatched_table))
        bottom.addWidget(_section(bottom, self.unused_label, self.unused_table))
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(_section(self.splitter, self.matched_label, self.matched_table,
                                         self.confirm_all_button))
        self.splitter.addWidget(_section(self.splitter, self.ambiguous_label,
                                         self.ambiguous_table, self.ambiguous_hint))
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.splitter, 1)
        self.show_matching(self.matching)

    def _table(self, model: RowsModel, stretch: int, actions: bool = False) -> QTableView:
        if not actions:
            return make_table(model, self, stretch)
        table = make_table(model, self, stretch, row_height=ACTION_ROW_HEIGHT)
        fix_widths(table, ((model.columnCount() - 1, ACTION_WIDTH),))
        return table

    # -- showing -------------------------------------------------------------------------------
    def show_matching(self, matching: Matching) -> None:
        self.matching = matching
        self.matched_model.set_rows(matching.matched)
        self.ambiguous_model.set_rows(matching.ambiguous)
        self.unmatched_model.set_rows(matching.unmatched)
        self.unused_model.set_rows(matching.unused_lines)
        n = len(matching.matched)
        self.matched_label.setText(ngettext("Matched: {count} payment",
                                            "Matched: {count} payments", n).format(count=n))
        n = len(matching.ambiguous)
        self.ambiguous_label.setText(ngettext("Ambiguous: {count} payment",
                                              "Ambiguous: {count} payments", n).format(count=n))
        n = len(matching.unmatched)
        self.unmatched_label.setText(ngettext(
            "Not on the statement: {count} payment",
            "Not on the statement: {count} payments", n).format(count=n))
        n = len(matching.unused_lines)
        self.unused_label.setText(ngettext(
            "Statement lines nobody used: {count}",
            "Statement lines nobody used: {count}", n).format(count=n))
        self.confirm_all_button.setEnabled(bool(matching.matched))
        self._share_height(matching)
        self.confirm_buttons: list[TouchButton] = []  # one per matched row
        self.pick_boxes: list[QComboBox] = []  # one per ambiguous row, with its button
        self.pick_buttons: list[TouchButton] = []
        for row, (payment, line) in enumerate(matching.matched):
            button = self._button(lambda _c=False, p=payment, ln=line: self._confirm([(p, ln)]))
            self.matched_table.setIndexWidget(self.matched_model.index(row, M_ACTION), button)
            self.confirm_buttons.append(button)
        for row, (_payment, options) in enumerate(matching.ambiguous):
            pick = QComboBox(self.ambiguous_table)
            pick.addItem(_("— pick a line —"), None)
            for line in options:
                pick.addItem(f"{line_text(line, self.tz)}", line.row)
            button = self._button(lambda _c=False, r=row: self._confirm_pick(r))
            button.setEnabled(False)
            pick.currentIndexChanged.connect(
                lambda i, b=button: b.setEnabled(i > 0))
            self.ambiguous_table.setIndexWidget(self.ambiguous_model.index(row, A_PICK), pick)
            self.ambiguous_table.setIndexWidget(self.ambiguous_model.index(row, A_ACTION),
                                                button)
            self.pick_boxes.append(pick)
            self.pick_buttons.append(button)

    def _share_height(self, matching: Matching) -> None:
        """Give each list room for its rows: in proportion when they do not all fit, the
        spare height to the matched list when they do."""
        chrome = 100  # a section's heading and the table's header
        # the lists to act on come first; the two at the bottom scroll beyond four rows
        bottom = min(max(len(matching.unmatched), len(matching.unused_lines), 1), 4)
        wants = [chrome + ACTION_ROW_HEIGHT * min(max(len(matching.matched), 1), 6),
                 chrome + ACTION_ROW_HEIGHT * min(max(len(matching.ambiguous), 1), 4),
                 chrome + self.unused_table.verticalHeader().defaultSectionSize() * bottom]
        room = self.splitter.height() - 2 * self.splitter.handleWidth()
        if room <= 0:
            self.splitter.setSizes(wants)
            return
        if sum(wants) <= room:
            wants[0] += room - sum(wants)
        else:
            wants = [room * w // sum(wants) for w in wants]
        self.splitter.setSizes(wants)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._share_height(self.matching)

    def _button(self, handler) -> TouchButton:
        button = TouchButton(_("Confirm"), self)
        button.clicked.connect(handler)
        return button

    def summarize(self, text: str) -> None:
        self.summary_label.setText(text)

    # -- confirming ----------------------------------------------------------------------------
    def _confirm(self, pairs: Sequence[tuple[OpenPayment, StatementLine]]) -> None:
        if pairs:
            self.confirm_requested.emit(list(pairs))

    def _confirm_all(self) -> None:
        self._confirm(list(self.matching.matched))

    def _confirm_pick(self, row: int) -> None:
        payment, options = self.matching.ambiguous[row]
        chosen = self.pick_boxes[row].currentData()
        line = next((ln for ln in options if ln.row == chosen), None)
        if line is not None:
            self._confirm([(payment, line)])
