"""Shifts: opening a till with a counted float, cash in and out, handing over, X readings and
the blind close with its Z report.

A shift is a ``shift`` row written once, then one ``shift_event`` row per step (open,
cash_in, cash_out, handover, x_report, close); nothing is ever updated. A shift is open while
it has no ``close`` event; its current cashier is the target of its last handover. Every step
is written in one ``BEGIN IMMEDIATE`` transaction together with its journal (audit) event.

Reading shifts and their totals is :mod:`pos_app.services.shift.shift_reads`; its public
names are offered here too, so a caller needs one module for shifts.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from pos_app.domain.calendar import business_date
from pos_app.domain.cash import check_count, count_to_json, count_total
from pos_app.domain.errors import DomainError
from pos_app.domain.money import MAX_AMOUNT, check_amount, format_rupiah
from pos_app.domain.shift_report import ShiftTotals
from pos_app.domain.text import REASON, check_text
from pos_app.persistence.models import Shift, ShiftEvent, User
from pos_app.services.access import audit, journal_anchor, roles
from pos_app.services.access.audit import ChainHead
from pos_app.services.access.journal_anchor import Anchor
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder
from pos_app.services.shift.shift_reads import (
    ShiftRow,
    close_event,
    compute_totals,
    current_cashier,
    current_shift,
    expected_cash,
    find_user,
    get_shift,
    last_closed_shift,
    open_pos_shift,
    read_events,
    read_shift,
    require_user,
    shift_totals,
)

__all__ = ["CloseResult", "CountResult", "ShiftRow", "cash_in", "cash_out", "close_in",
           "close_shift", "current_shift", "expected_cash", "get_shift", "handover",
           "last_closed_shift", "open_backoffice_in", "open_shift", "record_x_reading",
           "sale_shift_in", "shift_events", "shift_totals", "x_report"]


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
    backup_path: Path | None = None  # the automatic backup (None: it failed)
    # a failed backup (or copy to the second folder) never undoes the close
    backup_error: DomainError | None = None


# ---------------------------------------------------------------------------------- writing

def _canonical(obj: Any) -> str:
    return audit.canonical(obj)


def _open_for_write(conn: Connection, shift_id) -> tuple[Mapping[str, Any], list]:
    shift = read_shift(conn, shift_id)
    events = read_events(conn, shift["id"])
    if close_event(events) is not None:
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
        other = open_pos_shift(conn, ctx.device_id)
        if other is not None:
            raise DomainError("shift_already_open",
                              cashier=current_cashier(other, read_events(conn, other["id"])))
        user_id, name = require_user(conn, cashier_name)
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
        raise DomainError("bad_positive_amount", amount=amount, max=format_rupiah(MAX_AMOUNT))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required")
    check_text(reason[:200], REASON, 200)
    ctx = booth.context
    with _begin(booth) as conn:
        now = booth.clock.now()
        shift, _events_ = _open_for_write(conn, shift_id)
        user_id, _name = find_user(conn, by)
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
        user_id, name = require_user(conn, to_cashier)
        previous = current_cashier(shift, events)
        actor = by or previous
        expected = compute_totals(conn, shift, events, ctx.device_code).expected_cash
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
        totals = compute_totals(conn, shift, events, ctx.device_code)
        user_id, _name = find_user(conn, by)
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


def _may_close(conn: Connection, shift: Mapping[str, Any], events: list, by: str) -> None:
    """A cashier closes only their own shift; closing someone else's is a coordinator's
    duty (``close_shift_of``). An actor who is no user (the command line, the till) is the
    device's back office."""
    if by.strip() == current_cashier(shift, events):
        return
    role = conn.execute(select(User.role).where(User.name == by.strip(),
                                                User.active.is_(True))).scalar_one_or_none()
    if role is not None:
        roles.require(role, "close_shift_of", name=by)


def close_in(conn: Connection, ctx, now: datetime, shift_id, count: dict[int, int] | None,
             by: str, kind: str | None = None) -> tuple[uuid.UUID, ShiftTotals, ChainHead]:
    """Close a shift inside the caller's write transaction (events, totals, journal)."""
    shift, events = _open_for_write(conn, shift_id)
    if kind is not None and shift["kind"] != kind:
        raise DomainError("unknown_shift", shift=shift_id)
    _may_close(conn, shift, events, by)
    base = compute_totals(conn, shift, events, ctx.device_code)
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
    # the head the Z report prints: an anchor audit verify compares the chain with later
    journal_anchor.record(conn, ctx.device_id, now, Anchor("z", head.index, head.hash))
    user_id, _name = find_user(conn, by)
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
    Z totals and the journal head), then backs the database up (``automatic_backup``: the
    backups folder, and the second folder when one is set)."""
    from pos_app.services.setup.backup import automatic_backup

    count = check_count(counted)
    event_id, totals, head = _close(booth, shift_id, count, by)
    backup_path, backup_error = None, None
    try:
        done = automatic_backup(booth)
        backup_path, backup_error = done.path, done.second_error
    except DomainError as exc:  # the close stands; the caller reports the failed backup
        backup_error = exc
    assert totals.counted_cash is not None and totals.difference is not None
    return CloseResult(uuid.UUID(totals.shift_id), event_id, totals.expected_cash,
                       totals.counted_cash, totals.difference, totals, head, backup_path,
                       backup_error)


# ------------------------------------------------------------------------- back-office shifts

def open_backoffice_in(conn: Connection, ctx, now: datetime, actor: str) -> uuid.UUID:
    """Open a back-office shift inside the caller's write transaction."""
    user_id, name = find_user(conn, actor)
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
    current = open_pos_shift(conn, ctx.device_id)
    return current["id"] if current is not None else None


def shift_events(booth: Booth, shift_id) -> tuple[Mapping[str, Any], list[Mapping[str, Any]]]:
    """A shift's row and its events, oldest first (what its reports are kept in)."""
    with booth.db.read() as s:
        conn = s.connection()
        shift = read_shift(conn, shift_id)
        return shift, read_events(conn, shift["id"])
