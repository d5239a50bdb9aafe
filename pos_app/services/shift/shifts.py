"""Shifts: opening a till with a counted float, cash in and out, handing over, X readings and
the blind close with its Z report.

A shift is a ``shift`` row written once, then one ``shift_event`` row per step (open,
cash_in, cash_out, handover, x_report, close); nothing is ever updated. A shift is open while
it has no ``close`` event; its current cashier is the target of its last handover. Every step
is written in one ``BEGIN IMMEDIATE`` transaction together with its journal (audit) event.

Expected cash = opening float + cash taken on sales - cash paid back on voids and refunds
+ cash in - cash out, over the sales whose ``shift_id`` is the shift.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, exists, func, select, text
from sqlalchemy.engine import Connection

from pos_app.domain.calendar import business_date
from pos_app.domain.cash import check_count, count_from_json, count_to_json, count_total
from pos_app.domain.errors import DomainError
from pos_app.domain.money import MAX_AMOUNT, check_amount, format_rupiah
from pos_app.domain.shift_report import (
    METHODS,
    ShiftTotals,
)
from pos_app.persistence.models import Payment, Sale, SaleLine, Shift, ShiftEvent, User
from pos_app.services.access import audit
from pos_app.services.access.audit import ChainHead
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder

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


@dataclass(frozen=True)
class CountResult:
    """A cash count against what the drawer should hold (a handover)."""

    event_id: uuid.UUID
    expected: int
    counted: int
    difference: int  # counted - expected


@dataclass(frozen=True)
class CloseResult:
    shift_id: uuid.UUID
    event_id: uuid.UUID
    expected: int
    counted: int
    difference: int  # counted - expected: + over, - short
    totals: ShiftTotals
    chain_head: ChainHead  # the journal head at close (covers the close itself)
    backup_path: Path | None = None  # when a backup folder is set
    backup_error: DomainError | None = None  # a failed backup never undoes the close


# ---------------------------------------------------------------------------------- reading

def _shift(conn: Connection, shift_id: uuid.UUID | str) -> Mapping[str, Any]:
    try:
        sid = shift_id if isinstance(shift_id, uuid.UUID) else uuid.UUID(str(shift_id))
    except ValueError:
        raise DomainError("unknown_shift", shift=shift_id) from None
    row = conn.execute(select(Shift.__table__).where(_S.id == sid)).mappings().first()
    if row is None:
        raise DomainError("unknown_shift", shift=shift_id)
    return row


def _events(conn: Connection, shift_id: uuid.UUID) -> list[Mapping[str, Any]]:
    return list(conn.execute(select(ShiftEvent.__table__).where(_E.shift_id == shift_id)
                             .order_by(_E.seq)).mappings())


def _close_event(events: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    return next((e for e in events if e["kind"] == "close"), None)


def _current_cashier(shift: Mapping[str, Any], events: list[Mapping[str, Any]]) -> str:
    handovers = [e["user_name"] for e in events if e["kind"] == "handover"]
    return handovers[-1] if handovers else shift["cashier_name"]


def _row(shift: Mapping[str, Any], events: list[Mapping[str, Any]]) -> ShiftRow:
    close = _close_event(events)
    return ShiftRow(id=shift["id"], kind=shift["kind"], cashier=_current_cashier(shift, events),
                    opened_by=shift["cashier_name"], opening_float=shift["opening_float"],
                    business_date=shift["business_date"], opened_at=shift["created_at"],
                    closed_at=close["created_at"] if close else None)


def _open_pos_shift(conn: Connection, device_id: uuid.UUID) -> Mapping[str, Any] | None:
    return conn.execute(select(Shift.__table__).where(
        _S.device_id == device_id, _S.kind == "pos", ~_CLOSED)
        .order_by(_S.seq.desc()).limit(1)).mappings().first()


def _user(conn: Connection, name: str) -> tuple[uuid.UUID | None, str | None]:
    row = conn.execute(select(_U.id, _U.name).where(_U.name == name.strip(),
                                                    _U.active.is_(True))).first()
    return (row[0], row[1]) if row else (None, None)


def _require_user(conn: Connection, name: str) -> tuple[uuid.UUID, str]:
    user_id, user_name = _user(conn, name or "")
    if user_id is None or user_name is None:
        raise DomainError("unknown_cashier", name=name)
    return user_id, user_name


def current_shift(booth: Booth) -> ShiftRow | None:
    """The open POS shift on this device, or None."""
    with booth.db.read() as s:
        conn = s.connection()
        shift = _open_pos_shift(conn, booth.context.device_id)
        return _row(shift, _events(conn, shift["id"])) if shift else None


def get_shift(booth: Booth, shift_id: uuid.UUID | str) -> ShiftRow:
    with booth.db.read() as s:
        conn = s.connection()
        shift = _shift(conn, shift_id)
        return _row(shift, _events(conn, shift["id"]))


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
        return _row(_shift(conn, shift_id), _events(conn, shift_id))


def _sum(column):
    return func.coalesce(func.sum(column), 0)


def _compute(conn: Connection, shift: Mapping[str, Any], events: list[Mapping[str, Any]],
             device_code: str) -> ShiftTotals:
    """The shift's totals from its sales, payments and events (close fields left empty)."""
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
        opened_by=shift["cashier_name"], cashier=_current_cashier(shift, events),
        sales=count, gross=gross, discounts=discounts, tax=tax, tax_added=tax_added,
        net_sales=net, voids=reversals.get("void", (0, 0))[0],
        voids_total=reversals.get("void", (0, 0))[1],
        refunds=reversals.get("refund", (0, 0))[0],
        refunds_total=reversals.get("refund", (0, 0))[1], payments=payments,
        opening_float=shift["opening_float"], cash_sales=cash_sales, cash_refunds=cash_back,
        cash_in=cash_in, cash_out=cash_out, expected_cash=expected,
        handovers=tuple(e["user_name"] for e in events if e["kind"] == "handover"),
        days=days,
    )


def _with_close(totals: ShiftTotals, close: Mapping[str, Any] | None) -> ShiftTotals:
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
        shift = _shift(conn, shift_id)
        events = _events(conn, shift["id"])
        totals = _compute(conn, shift, events, booth.context.device_code)
        return _with_close(totals, _close_event(events))


# ---------------------------------------------------------------------------------- writing

def _canonical(obj: Any) -> str:
    return audit.canonical(obj)


def _open_for_write(conn: Connection, shift_id) -> tuple[Mapping[str, Any], list]:
    shift = _shift(conn, shift_id)
    events = _events(conn, shift["id"])
    if _close_event(events) is not None:
        raise DomainError("shift_closed")
    return shift, events


def _begin(booth: Booth):
    return booth.db.write_connection()


def open_shift(booth: Booth, cashier_name: str, opening_float: int | None,
               counted: Mapping[int, int] | None = None, *, by: str | None = None) -> ShiftRow:
    """Open this device's POS shift for a known cashier with a float (counted by denomination
    when ``counted`` is given: it must add up to ``opening_float``, or gives it when that is
    None). Raises ``shift_already_open`` while another POS shift is open here."""
    count = check_count(counted) if counted is not None else None
    if opening_float is None and count is not None:
        opening_float = count_total(count)
    check_amount(opening_float)
    assert opening_float is not None
    if count is not None and count_total(count) != opening_float:
        raise DomainError("count_mismatch", counted=count_total(count), amount=opening_float)
    ctx = booth.context
    with _begin(booth) as conn:
        now = booth.clock.now()
        other = _open_pos_shift(conn, ctx.device_id)
        if other is not None:
            raise DomainError("shift_already_open",
                              cashier=_current_cashier(other, _events(conn, other["id"])))
        user_id, name = _require_user(conn, cashier_name)
        shift_id = uuid.uuid4()
        return _insert_open(conn, ctx, now, shift_id, "pos", user_id, name, opening_float,
                            count, by or name)


def _insert_open(conn, ctx, now, shift_id, kind, user_id, name, opening_float, count,
                 actor) -> ShiftRow:
    day = business_date(now, ctx.timezone, ctx.cutoff)
    rec = Recorder(conn, ctx.device_id, now)
    rec.insert_all([
        (Shift, [{"id": shift_id, "event_id": ctx.event_id, "cashier_id": user_id,
                  "cashier_name": name, "kind": kind, "opening_float": opening_float,
                  "business_date": day}]),
        (ShiftEvent, [{"shift_id": shift_id, "kind": "open", "user_id": user_id,
                       "user_name": name, "amount": opening_float, "reason": "",
                       "expected": None,
                       "counted": count_total(count) if count is not None else None,
                       "payload": _canonical({"count": count_to_json(count or {})})}]),
    ])
    audit.append(rec, actor, "shift.open", "shift", shift_id, {
        "kind": kind, "cashier": name, "opening_float": opening_float,
        "business_date": day, "count": count_to_json(count or {})})
    return ShiftRow(shift_id, kind, name, name, opening_float, day, now)


def _cash_move(booth: Booth, kind: str, shift_id, amount: int, reason: str, by: str) -> uuid.UUID:
    check_amount(amount)
    if amount <= 0:
        raise DomainError("bad_amount", amount=amount, max=format_rupiah(MAX_AMOUNT))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required")
    ctx = booth.context
    with _begin(booth) as conn:
        now = booth.clock.now()
        shift, _events_ = _open_for_write(conn, shift_id)
        user_id, _name = _user(conn, by)
        event_id = uuid.uuid4()
        rec = Recorder(conn, ctx.device_id, now)
        rec.insert(ShiftEvent, [{"id": event_id, "shift_id": shift["id"], "kind": kind,
                                 "user_id": user_id, "user_name": by[:80], "amount": amount,
                                 "reason": reason[:200], "expected": None, "counted": None,
                                 "payload": None}])
        audit.append(rec, by, f"shift.{kind}", "shift", shift["id"],
                     {"event": event_id, "amount": amount, "reason": reason[:200]})
    return event_id


def cash_in(booth: Booth, shift_id, amount: int, reason: str, by: str) -> uuid.UUID:
    """Cash put into the drawer (more change, say); returns the event id."""
    return _cash_move(booth, "cash_in", shift_id, amount, reason, by)


def cash_out(booth: Booth, shift_id, amount: int, reason: str, by: str) -> uuid.UUID:
    """Cash taken out of the drawer (a safe drop, a paid expense); returns the event id."""
    return _cash_move(booth, "cash_out", shift_id, amount, reason, by)


def handover(booth: Booth, shift_id, to_cashier: str, counted: Mapping[int, int],
             by: str | None = None) -> CountResult:
    """Hand the open shift to another cashier, with the cash counted at the handover (blind:
    the count comes in before the expected amount goes out)."""
    count = check_count(counted)
    total = count_total(count)
    ctx = booth.context
    with _begin(booth) as conn:
        now = booth.clock.now()
        shift, events = _open_for_write(conn, shift_id)
        user_id, name = _require_user(conn, to_cashier)
        previous = _current_cashier(shift, events)
        actor = by or previous
        expected = _compute(conn, shift, events, ctx.device_code).expected_cash
        event_id = uuid.uuid4()
        rec = Recorder(conn, ctx.device_id, now)
        rec.insert(ShiftEvent, [{
            "id": event_id, "shift_id": shift["id"], "kind": "handover", "user_id": user_id,
            "user_name": name, "amount": 0, "reason": "", "expected": expected,
            "counted": total, "payload": _canonical({
                "from": previous, "to": name, "by": actor, "count": count_to_json(count),
                "difference": total - expected})}])
        audit.append(rec, actor, "shift.handover", "shift", shift["id"], {
            "event": event_id, "from": previous, "to": name, "expected": expected,
            "counted": total, "difference": total - expected})
    return CountResult(event_id, expected, total, total - expected)


def record_x_reading(booth: Booth, shift_id, by: str) -> tuple[uuid.UUID, ShiftTotals]:
    ctx = booth.context
    with _begin(booth) as conn:
        now = booth.clock.now()
        shift, events = _open_for_write(conn, shift_id)
        totals = _compute(conn, shift, events, ctx.device_code)
        user_id, _name = _user(conn, by)
        event_id = uuid.uuid4()
        rec = Recorder(conn, ctx.device_id, now)
        rec.insert(ShiftEvent, [{
            "id": event_id, "shift_id": shift["id"], "kind": "x_report", "user_id": user_id,
            "user_name": by[:80], "amount": 0, "reason": "", "expected": totals.expected_cash,
            "counted": None, "payload": _canonical({"totals": totals.to_json()})}])
        audit.append(rec, by, "shift.x_report", "shift", shift["id"], {
            "event": event_id, "expected": totals.expected_cash, "net_sales": totals.net_sales,
            "totals": _digest(totals)})
    return event_id, totals


def x_report(booth: Booth, shift_id, by: str) -> ShiftTotals:
    """A mid-shift reading; kept as an ``x_report`` event with the totals."""
    return record_x_reading(booth, shift_id, by)[1]


def _digest(totals: ShiftTotals) -> str:
    return hashlib.sha256(_canonical(totals.to_json()).encode()).hexdigest()


def _close(booth: Booth, shift_id, count: dict[int, int] | None, by: str,
           kind: str | None = None) -> tuple[uuid.UUID, ShiftTotals, ChainHead]:
    with _begin(booth) as conn:
        return close_in(conn, booth.context, booth.clock.now(), shift_id, count, by, kind)


def close_in(conn: Connection, ctx, now: datetime, shift_id, count: dict[int, int] | None,
             by: str, kind: str | None = None) -> tuple[uuid.UUID, ShiftTotals, ChainHead]:
    """Close a shift inside the caller's write transaction (events, totals, journal)."""
    shift, events = _open_for_write(conn, shift_id)
    if kind is not None and shift["kind"] != kind:
        raise DomainError("unknown_shift", shift=shift_id)
    base = _compute(conn, shift, events, ctx.device_code)
    counted = count_total(count) if count is not None else None
    totals = replace(base, closed_at=now, closed_by=by[:80], counted_cash=counted,
                     difference=None if counted is None else counted - base.expected_cash,
                     count=tuple((count or {}).items()))
    event_id = uuid.uuid4()
    rec = Recorder(conn, ctx.device_id, now)
    audit.append(rec, by, "shift.close", "shift", shift["id"], {
        "event": event_id, "kind": shift["kind"], "expected": totals.expected_cash,
        "counted": counted, "difference": totals.difference,
        "net_sales": totals.net_sales, "totals": _digest(totals)})
    head = audit.head(conn, ctx.device_id)
    user_id, _name = _user(conn, by)
    rec.insert(ShiftEvent, [{
        "id": event_id, "shift_id": shift["id"], "kind": "close", "user_id": user_id,
        "user_name": by[:80], "amount": 0, "reason": "", "expected": totals.expected_cash,
        "counted": counted, "payload": _canonical({
            "totals": totals.to_json(), "count": count_to_json(count or {}),
            "chain_head": {"index": head.index, "hash": head.hash}})}])
    return event_id, totals, head


def close_shift(booth: Booth, shift_id, counted: Mapping[int, int], by: str) -> CloseResult:
    """The blind close: the cash counted by denomination goes in, and only then does the
    expected amount come out. Records the ``close`` event (counted, expected, difference, the
    Z totals and the journal head) and, when a backup folder is set, backs the database up."""
    count = check_count(counted)
    event_id, totals, head = _close(booth, shift_id, count, by)
    backup_path, backup_error = None, None
    if booth.settings().backup_dir.strip():
        from pos_app.services.setup.backup import backup_after_close

        try:
            backup_path = backup_after_close(booth)
        except DomainError as exc:  # the close stands; the caller reports the failed backup
            backup_error = exc
    assert totals.counted_cash is not None and totals.difference is not None
    return CloseResult(uuid.UUID(totals.shift_id), event_id, totals.expected_cash,
                       totals.counted_cash, totals.difference, totals, head, backup_path,
                       backup_error)


# ------------------------------------------------------------------------- back-office shifts

def open_backoffice_in(conn: Connection, ctx, now: datetime, actor: str) -> uuid.UUID:
    """Open a back-office shift inside the caller's write transaction."""
    user_id, name = _user(conn, actor)
    shift_id = uuid.uuid4()
    _insert_open(conn, ctx, now, shift_id, "backoffice", user_id, name or actor[:80], 0,
                 None, actor)
    return shift_id


# One prebuilt statement for the sale path: does the shift exist, and is it closed?
_SHIFT_STATE = text(
    "SELECT EXISTS (SELECT 1 FROM shift_event WHERE shift_id = :id AND kind = 'close') "
    "FROM shift WHERE id = :id")


def sale_shift_in(conn: Connection, ctx, shift_id: uuid.UUID | None) -> uuid.UUID | None:
    """The shift a sale goes into, checked inside the sale's transaction: the given one must
    be open (``shift_closed``); with none given, this device's open POS shift, if any."""
    if shift_id is not None:
        try:
            sid = shift_id if isinstance(shift_id, uuid.UUID) else uuid.UUID(str(shift_id))
        except ValueError:
            raise DomainError("unknown_shift", shift=shift_id) from None
        state = conn.execute(_SHIFT_STATE, {"id": sid.hex}).first()
        if state is None:
            raise DomainError("unknown_shift", shift=shift_id)
        if state[0]:
            raise DomainError("shift_closed")
        return shift_id
    current = _open_pos_shift(conn, ctx.device_id)
    return current["id"] if current is not None else None


def shift_events(booth: Booth, shift_id) -> tuple[Mapping[str, Any], list[Mapping[str, Any]]]:
    """A shift's row and its events, oldest first (what its reports are kept in)."""
    with booth.db.read() as s:
        conn = s.connection()
        shift = _shift(conn, shift_id)
        return shift, _events(conn, shift["id"])
