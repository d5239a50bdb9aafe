"""The filter bar of the reports screen: event, business-date range, shift, cashier, facility
and payment method. It says ``changed`` when the choice changes; :meth:`current` is the
choice as a :class:`ReportFilter`."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.calendar import local_time
from pos_app.i18n import _
from pos_app.services.reporting.report_facts import METHODS, ReportFilter
from pos_app.services.reporting.report_options import EventOption, ReportOptions
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.facility_box import FacilityBox
from pos_app.ui.common.labels import method_label
from pos_app.ui.common.style import BORDER, PRIMARY, SURFACE

DATE_DEBOUNCE_MS = 300  # typing a date changes it digit by digit: report once it settles
DATE_STYLE = f"""
QDateEdit {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px;
    min-height: 44px; padding: 0 8px; font-size: 16px;
    selection-background-color: {PRIMARY}; selection-color: white;
}}
QDateEdit:focus {{ border: 2px solid {PRIMARY}; }}
QDateEdit::drop-down {{ border: none; width: 20px; }}
"""


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _uuid(hex_id: str | None) -> uuid.UUID | None:
    """Combo boxes keep ids as text (Qt compares text, not Python objects)."""
    return uuid.UUID(hex_id) if hex_id else None


def _combo(parent: QWidget, everything: str, width: int) -> QComboBox:
    box = QComboBox(parent)
    box.addItem(everything, None)
    box.setMinimumContentsLength(width)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return box


class ReportFilters(QWidget):
    changed = Signal()

    def __init__(self, timezone: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz, self.today = timezone, today
        self.options: ReportOptions | None = None
        self.event_box = _combo(self, _("All events"), 3)
        self.event_box.currentIndexChanged.connect(lambda _i: self._event_picked())
        self.from_edit, self.to_edit = self._date_edit(), self._date_edit()
        self.from_edit.dateChanged.connect(lambda _d: self._date_changed(self.from_edit))
        self.to_edit.dateChanged.connect(lambda _d: self._date_changed(self.to_edit))
        self.whole_button = TouchButton(_("Whole event"), self)
        self.whole_button.setToolTip(_("From the event's first day to its last"))
        self.whole_button.clicked.connect(self.whole_event)
        self.shift_box = _combo(self, _("All shifts"), 3)
        self.cashier_box = _combo(self, _("All cashiers"), 3)
        self.facility_box = FacilityBox(_("All facilities"), self)
        self.facility_box.setMinimumContentsLength(3)
        self.method_box = _combo(self, _("All methods"), 3)
        for method in METHODS:
            self.method_box.addItem(method_label(method), method)
        for box in (self.shift_box, self.cashier_box, self.facility_box, self.method_box):
            box.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DATE_DEBOUNCE_MS)
        self._timer.timeout.connect(self.changed)

        dash = QLabel("–", self)
        # Two rows: the event and its days, then who and how. The screen puts its title at
        # the start of the first (``first_row``) and its state at the end of the second.
        self.first_row, self.second_row = QHBoxLayout(), QHBoxLayout()
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(8)
        for row in (self.first_row, self.second_row):
            row.setSpacing(8)
            rows.addLayout(row)
        # The lists say what they filter ("All shifts"); a tooltip names each one when set.
        for row, widget, tip, stretch in (
            (self.first_row, self.event_box, _("Event"), 1),
            (self.first_row, self.from_edit, _("First business day"), 0),
            (self.first_row, dash, "", 0),
            (self.first_row, self.to_edit, _("Last business day"), 0),
            (self.first_row, self.whole_button, None, 0),
            (self.second_row, self.shift_box, _("Shift"), 1),
            (self.second_row, self.cashier_box, _("Cashier"), 1),
            (self.second_row, self.facility_box, _("Facility"), 1),
            (self.second_row, self.method_box, _("Paid by"), 1),
        ):
            if tip:
                widget.setToolTip(tip)
                widget.setAccessibleName(tip)
            row.addWidget(widget, stretch)
        self.inputs = (self.event_box, self.from_edit, self.to_edit, self.whole_button,
                       self.shift_box, self.cashier_box, self.facility_box, self.method_box)
        self.set_ready(False)
        self.setStyleSheet(DATE_STYLE)

    def set_ready(self, ready: bool) -> None:
        """The filters can be used once the lists are read."""
        for widget in self.inputs:
            widget.setEnabled(ready)

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setMinimumHeight(44)
        edit.setDate(_qdate(self.today))
        return edit

    # -- what there is to choose from ------------------------------------------------------
    def set_options(self, options: ReportOptions) -> None:
        """Fill the lists; the device's event is chosen with its whole span."""
        self.options = options
        self.blockSignals(True)
        self.event_box.blockSignals(True)
        for event in options.events:
            self.event_box.addItem(event.name, event.id.hex)
        current = options.current_event.hex if options.current_event else None
        self.event_box.setCurrentIndex(max(0, self.event_box.findData(current)))
        self.event_box.blockSignals(False)
        self.cashier_box.blockSignals(True)
        for name in options.cashiers:
            self.cashier_box.addItem(name, name)
        self.cashier_box.blockSignals(False)
        self.facility_box.set_facilities(options.facilities)
        self._event_picked()
        self.blockSignals(False)

    def chosen_event(self) -> EventOption | None:
        event_id = self.event_box.currentData()
        if self.options is None or event_id is None:
            return None
        return next((e for e in self.options.events if e.id.hex == event_id), None)

    def span(self) -> tuple[date, date]:
        """The chosen event's days (every day with sales for "all events")."""
        event = self.chosen_event()
        if event is not None and event.first_day is not None:
            return event.first_day, event.last_day or event.first_day
        if event is None and self.options is not None and self.options.sales_span:
            return self.options.sales_span
        return self.today, self.today

    def _event_picked(self) -> None:
        event_id = self.event_box.currentData()
        self.shift_box.blockSignals(True)
        keep = self.shift_box.currentData()
        self.shift_box.clear()
        self.shift_box.addItem(_("All shifts"), None)
        for shift in self.options.shifts if self.options else ():
            if event_id is None or (shift.event_id and shift.event_id.hex == event_id):
                self.shift_box.addItem(self._shift_text(shift), shift.id.hex)
        self.shift_box.setCurrentIndex(max(0, self.shift_box.findData(keep)))
        self.shift_box.blockSignals(False)
        self.whole_event()

    def _shift_text(self, shift) -> str:
        opened = local_time(shift.opened_at, self.tz).strftime("%d/%m %H.%M")
        text = f"{opened} · {shift.cashier}"
        return text if shift.kind == "pos" else f"{text} · {_('back office')}"

    # -- dates ---------------------------------------------------------------------------------
    def whole_event(self) -> None:
        first, last = self.span()
        self.set_dates(first, last)

    def set_dates(self, first: date, last: date) -> None:
        """Both ends at once, and one report for them."""
        for edit, day in ((self.from_edit, first), (self.to_edit, last)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self._timer.stop()
        self.changed.emit()

    def _date_changed(self, edited: QDateEdit) -> None:
        """Keep from <= to by moving the other end along, then report after a pause."""
        first, last = self.from_edit.date(), self.to_edit.date()
        if first > last:
            other = self.to_edit if edited is self.from_edit else self.from_edit
            other.blockSignals(True)
            other.setDate(edited.date())
            other.blockSignals(False)
        self._timer.start()

    # -- the choice ----------------------------------------------------------------------------
    def current(self) -> ReportFilter:
        facility_id: uuid.UUID | None = None
        code = self.facility_box.code()
        if code and self.options is not None:
            facility_id = next((f.id for f in self.options.facilities if f.code == code), None)
        return ReportFilter(
            event_id=_uuid(self.event_box.currentData()),
            date_from=self.from_edit.date().toPython(),
            date_to=self.to_edit.date().toPython(),
            shift_id=_uuid(self.shift_box.currentData()),
            cashier=self.cashier_box.currentData(),
            facility_id=facility_id,
            method=self.method_box.currentData(),
        )
