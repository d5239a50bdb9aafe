"""A count (stock opname) in one go from the back office: use the facility's open count or
start one, enter what was counted, approve it or cancel it, and read the variance back, all in
one transaction, so a refused request leaves no half-made count behind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pos_app.domain.errors import DomainError
from pos_app.domain.stock import VarianceReport, check_reason
from pos_app.services.setup.booth import Booth
from pos_app.services.stock.stock import facility_by_code
from pos_app.services.stock.stock_counts import (
    approve_count_in,
    cancel_count_in,
    enter_counts_in,
    start_count_in,
    variance_in,
)
from pos_app.services.stock.stock_docs import (
    facility_products,
    merge_items,
    open_count_row,
    require_role,
)


@dataclass(frozen=True)
class CountOutcome:
    number: str
    facility_code: str  # as asked for (upper case)
    started: bool  # the count was started by this request
    entered: int  # products entered by this request
    cancelled: bool
    report: VarianceReport | None  # the variance after the request; None when cancelled


def count_stock(booth: Booth, facility_code: str, items: Iterable[tuple[str, int]] = (), *,
                actor: str, actor_role: str, reasons: Mapping[str, str] | None = None,
                approve: bool = False, cancel: bool = False) -> CountOutcome:
    """Enter ``items`` (SKU, counted) into the facility's open count, starting one when there
    is none; ``approve`` posts the differences (with ``reasons`` per SKU), ``cancel`` drops
    the open count. Everything is checked before anything is written."""
    if cancel and (approve or reasons):
        raise ValueError("cancel goes alone")
    items = list(items)
    reasons = {k.strip().upper(): check_reason(v) for k, v in (reasons or {}).items()}
    require_role(actor_role, "count", actor)
    if cancel or approve:
        require_role(actor_role, "approve_count", actor)
    wanted = (facility_code or "").strip().upper()
    with booth.db.write_connection() as conn:
        facility = facility_by_code(conn, facility_code)
        row = open_count_row(conn, facility.id)
        number = row.number if row else None
        if cancel:
            if number is None:
                raise DomainError("no_open_count", facility=wanted)
            cancel_count_in(conn, booth, number, actor)
            return CountOutcome(number, wanted, False, 0, True, None)
        if not items and number is None:
            raise DomainError("no_open_count", facility=wanted)
        counted = merge_items(items, allow_zero=True, last_wins=True)
        facility_products(conn, facility.id, facility.code, [*counted, *reasons])
        started = number is None
        if started:
            number = start_count_in(conn, booth, facility, actor).number
        entered = enter_counts_in(conn, booth, number, items, actor) if items else 0
        if approve:
            approve_count_in(conn, booth, number, actor, reasons)
        report = variance_in(conn, booth, number)
    return CountOutcome(number, wanted, started, entered, False, report)
