"""What the reports screen offers in its filters: the events with the business days they
cover, the shifts and the cashiers that recorded sales, and the facilities."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from pos_app.persistence.models import Event, Sale, Shift
from pos_app.services.catalog.catalog import FacilityRow, facilities
from pos_app.services.setup.booth import Booth


@dataclass(frozen=True)
class EventOption:
    id: uuid.UUID
    name: str
    first_day: date | None  # the event's first day, or its first day of sales if earlier
    last_day: date | None  # the event's last day, or its last day of sales if later


@dataclass(frozen=True)
class ShiftOption:
    id: uuid.UUID
    event_id: uuid.UUID | None
    cashier: str  # who opened it
    kind: str  # pos | backoffice
    business_date: date
    opened_at: datetime  # UTC


@dataclass(frozen=True)
class ReportOptions:
    events: list[EventOption]
    shifts: list[ShiftOption]  # newest first
    cashiers: list[str]  # everyone who recorded a sale, a refund or a void
    facilities: list[FacilityRow]
    current_event: uuid.UUID | None  # this device's event
    sales_span: tuple[date, date] | None  # first and last business day of any document


def _span(*days: date | None) -> tuple[date | None, date | None]:
    known = [d for d in days if d is not None]
    return (min(known), max(known)) if known else (None, None)


def report_options(booth: Booth) -> ReportOptions:
    """Everything the filters list, read in one go."""
    with booth.db.read() as s:
        spans = {event_id: (first, last) for event_id, first, last in s.execute(
            select(Sale.event_id, func.min(Sale.business_date), func.max(Sale.business_date))
            .group_by(Sale.event_id))}
        events = []
        for event_id, name, starts_on, ends_on in s.execute(
                select(Event.id, Event.name, Event.starts_on, Event.ends_on)
                .order_by(Event.starts_on.desc(), Event.name)):
            first, last = spans.get(event_id, (None, None))
            events.append(EventOption(event_id, name, *_span(starts_on, ends_on, first, last)))
        shifts = [ShiftOption(*row) for row in s.execute(
            select(Shift.id, Shift.event_id, Shift.cashier_name, Shift.kind,
                   Shift.business_date, Shift.created_at)
            .order_by(Shift.created_at.desc(), Shift.id))]
        cashiers = list(s.scalars(select(Sale.cashier_name).distinct()
                                  .order_by(Sale.cashier_name)))
        first, last = s.execute(select(func.min(Sale.business_date),
                                       func.max(Sale.business_date))).one()
    return ReportOptions(events, shifts, cashiers, facilities(booth), booth.context.event_id,
                         (first, last) if first is not None else None)
