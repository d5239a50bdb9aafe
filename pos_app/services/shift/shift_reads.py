"""Reading shifts: a shift and its events, this device's open one, who is at the till, and
the totals of a shift (what its X and Z reports show). Nothing here writes.

Expected cash = opening float + cash taken on sales - cash paid back on voids and refunds
+ cash in - cash out, over the sales whose ``shift_id`` is the shift.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.engine import Connection

from pos_app.domain.cash import count_from_json
from pos_app.domain.errors import DomainError
from pos_app.domain.shift_report import METHODS, ShiftTotals
from pos_app.persistence.models import Payment, Sale, SaleLine, Shift, ShiftEvent, User
from pos_app.services.reporting.report_facts import ReportFilter, iter_facts
from pos_app.services.reporting.totals import figures_of
from pos_app.services.setup.booth import Booth

__all__ = ["ShiftRow", "close_event", "compute_totals", "current_cashier", "current_shift",
           "expected_cash", "find_user", "get_shift", "last_closed_shift", "open_pos_shift",
           "read_events", "read_shift", "require_user", "shift_row", "shift_totals",
           "with_close"]

_S, _E = Shift.__table__.c, ShiftEvent.__table__.c
_SALE, _LINE, _PAY, _U = Sale.__table__.c, SaleLine.__table__.c, Payment.__table__.c, \
    User.__table__.c
_CLOSED = exists().where(_E.shift_id == _S.id, _E.kind == "close")


@dataclass(frozen=True)
class ShiftRow:
    id: uuid.UUID
    kind: str  # pos | backoffice
    cashier: str  # the cashier now: the last handover's target, else who opened it
    opened_by: str
    opening_float: int
    business_date: date
    opened_at: datetime
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


# ---------------------------------------------------------------------------------- reading

def read_shift(conn: Connection, shift_id: uuid.UUID | str) -> Mapping[str, Any]:
    try:
        sid = shift_id if isinstance(shift_id, uuid.UUID) else uuid.UUID(str(shift_id))
    except ValueError:
        raise DomainError("unknown_shift", shift=shift_id) from None
    row = conn.execute(select(Shift.__table__).where(_S.id == sid)).mappings().first()
    if row is None:
        raise DomainError("unknown_shift", shift=shift_id)
    return row


def read_events(conn: Connection, shift_id: uuid.UUID) -> list[Mapping[str, Any]]:
    return list(conn.execute(select(ShiftEvent.__table__).where(_E.shift_id == shift_id)
                             .order_by(_E.seq)).mappings())


def close_event(events: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    return next((e for e in events if e["kind"] == "close"), None)


def current_cashier(shift: Mapping[str, Any], events: list[Mapping[str, Any]]) -> str:
    handovers = [e["user_name"] for e in events if e["kind"] == "handover"]
    return handovers[-1] if handovers else shift["cashier_name"]


def shift_row(shift: Mapping[str, Any], events: list[Mapping[str, Any]]) -> ShiftRow:
    close = close_event(events)
    return ShiftRow(id=shift["id"], kind=shift["kind"], cashier=current_cashier(shift, events),
                    opened_by=shift["cashier_name"], opening_float=shift["opening_float"],
                    business_date=shift["business_date"], opened_at=shift["created_at"],
                    closed_at=close["created_at"] if close else None)


def open_pos_shift(conn: Connection, device_id: uuid.UUID) -> Mapping[str, Any] | None:
    return conn.execute(select(Shift.__table__).where(
        _S.device_id == device_id, _S.kind == "pos", ~_CLOSED)
        .order_by(_S.seq.desc()).limit(1)).mappings().first()


def find_user(conn: Connection, name: str) -> tuple[uuid.UUID | None, str | None]:
    row = conn.execute(select(_U.id, _U.name).where(_U.name == name.strip(),
                                                    _U.active.is_(True))).first()
    return (row[0], row[1]) if row else (None, None)


def require_user(conn: Connection, name: str) -> tuple[uuid.UUID, str]:
    user_id, user_name = find_user(conn, name or "")
    if user_id is None or user_name is None:
        raise DomainError("unknown_cashier", name=name)
    return user_id, user_name


def current_shift(booth: Booth) -> ShiftRow | None:
    """The open POS shift on this device, or None."""
    with booth.db.read() as s:
        conn = s.connection()
        shift = open_pos_shift(conn, booth.context.device_id)
        return shift_row(shift, read_events(conn, shift["id"])) if shift else None


def get_shift(booth: Booth, shift_id: uuid.UUID | str) -> ShiftRow:
    with booth.db.read() as s:
        conn = s.connection()
        shift = read_shift(conn, shift_id)
        return shift_row(shift, read_events(conn, shift["id"]))


def last_closed_shift(booth: Booth) -> ShiftRow | None:
    """The POS shift on this device that was closed last."""
    with booth.db.read() as s:
        conn = s.connection()
        shift_id = conn.execute(
            select(_E.shift_id).join_from(ShiftEvent.__table__, Shift.__table__,
                                          _S.id == _E.shift_id)
            .where(_E.kind == "close", _S.kind == "pos",
                   _S.device_id == booth.context.device_id)
            .order_by(_E.seq.desc()).limit(1)).scalar()
        if shift_id is None:
            return None
        return shift_row(read_shift(conn, shift_id), read_events(conn, shift_id))


def _sum(column):
    return func.coalesce(func.sum(column), 0)


def compute_totals(conn: Connection, shift: Mapping[str, Any], events: list[Mapping[str, Any]],
             device_code: str, tz: str = "UTC") -> ShiftTotals:
    """The shift's totals from its sales, payments and events (close fields left empty); its
    money figures are the one set (``reporting.totals``)."""
    sid = shift["id"]
    in_shift = _SALE.shift_id == sid
    sold = and_(in_shift, _SALE.kind == "sale")
    count, discounts, tax, net = conn.execute(
        select(func.count(), _sum(_SALE.discount), _sum(_SALE.tax), _sum(_SALE.total))
        .where(sold)).one()
    gross, tax_added = conn.execute(
        select(_sum(_LINE.gross),
               func.coalesce(func.sum(_LINE.tax).filter(_LINE.tax_mode == "added"), 0))
        .join_from(SaleLine.__table__, Sale.__table__, _SALE.id == _LINE.sale_id)
        .where(sold)).one()
    reversals = {kind: (n, total) for kind, n, total in conn.execute(
        select(_SALE.kind, func.count(), _sum(_SALE.total))
        .where(in_shift, _SALE.kind.in_(("void", "refund"))).group_by(_SALE.kind))}
    taken: dict[str, int] = {}
    paid_back: dict[str, int] = {}
    for kind, method, amount in conn.execute(
            select(_SALE.kind, _PAY.method, _sum(_PAY.amount))
            .join_from(Payment.__table__, Sale.__table__, _SALE.id == _PAY.sale_id)
            .where(in_shift).group_by(_SALE.kind, _PAY.method)):
        into = taken if kind == "sale" else paid_back
        into[method] = into.get(method, 0) + amount
    methods = [m for m in METHODS if m in taken or m in paid_back]
    methods += sorted((set(taken) | set(paid_back)) - set(METHODS))
    payments = tuple((m, taken.get(m, 0) - paid_back.get(m, 0)) for m in methods)
    days = tuple((d, n, t) for d, n, t in conn.execute(
        select(_SALE.business_date, func.count(), _sum(_SALE.total)).where(sold)
        .group_by(_SALE.business_date).order_by(_SALE.business_date)))
    cash_in = sum(e["amount"] for e in events if e["kind"] == "cash_in")
    cash_out = sum(e["amount"] for e in events if e["kind"] == "cash_out")
    cash_sales, cash_back = taken.get("cash", 0), paid_back.get("cash", 0)
    expected = shift["opening_float"] + cash_sales - cash_back + cash_in - cash_out
    return ShiftTotals(
        shift_id=sid.hex, kind=shift["kind"], device_code=device_code,
        business_date=shift["business_date"], opened_at=shift["created_at"],
        opened_by=shift["cashier_name"], cashier=current_cashier(shift, events),
        sales=count, gross=gross, discounts=discounts, tax=tax, tax_added=tax_added,
        net_sales=net, voids=reversals.get("void", (0, 0))[0],
        voids_total=reversals.get("void", (0, 0))[1],
        refunds=reversals.get("refund", (0, 0))[0],
        refunds_total=reversals.get("refund", (0, 0))[1], payments=payments,
        opening_float=shift["opening_float"], cash_sales=cash_sales, cash_refunds=cash_back,
        cash_in=cash_in, cash_out=cash_out, expected_cash=expected,
        handovers=tuple(e["user_name"] for e in events if e["kind"] == "handover"),
        days=days,
        figures=figures_of(iter_facts(conn, ReportFilter(shift_id=sid), tz)),
    )


def with_close(totals: ShiftTotals, close: Mapping[str, Any] | None) -> ShiftTotals:
    if close is None:
        return totals
    payload = json.loads(close["payload"] or "{}")
    count = count_from_json(payload.get("count"))
    counted = close["counted"]
    return replace(totals, closed_at=close["created_at"], closed_by=close["user_name"],
                   counted_cash=counted,
                   difference=None if counted is None else counted - totals.expected_cash,
                   count=tuple(count.items()))


def expected_cash(booth: Booth, shift_id: uuid.UUID | str) -> int:
    """What the drawer should hold now (for a closed shift: what it held at close, unless
    something was added to the shift afterwards)."""
    return shift_totals(booth, shift_id).expected_cash


def shift_totals(booth: Booth, shift_id: uuid.UUID | str) -> ShiftTotals:
    """The shift's totals computed from the records now; with the count if it is closed."""
    with booth.db.read() as s:
        conn = s.connection()
        shift = read_shift(conn, shift_id)
        events = read_events(conn, shift["id"])
        totals = compute_totals(conn, shift, events, booth.context.device_code,
                                booth.context.timezone)
        return with_close(totals, close_event(events))
