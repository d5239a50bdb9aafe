"""Payment reconciliation: the unverified QRIS and transfer payments, matched against a bank
or e-wallet statement, and a coordinator's confirmation of a match (a ``payment_match`` row
naming who confirmed it, journaled). The payment row itself is never changed.

A statement line that an earlier confirmation already used is not offered again, so loading
the same statement after some confirmations shows only what is still open.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, func, select

from pos_app.domain.errors import DomainError
from pos_app.domain.reconcile import Matching, OpenPayment, StatementLine, match
from pos_app.persistence.models import Payment, PaymentMatch, Sale
from pos_app.services.access import audit, roles
from pos_app.services.reporting.reports import unverified_payments
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder
from pos_app.services.shift.statement_import import Statement, StatementMapping, import_statement


@dataclass(frozen=True)
class Review:
    """A statement read and matched: what the reconciliation screen shows."""

    statement: Statement
    matching: Matching


def open_payments(booth: Booth) -> list[OpenPayment]:
    with booth.db.read() as s:
        rows = unverified_payments(s.connection())
    return [OpenPayment(u.payment_id, u.sale_number, u.method, u.amount, u.created_at,
                        u.reference, u.qris_payload) for u in rows]


def _key(at: datetime, amount: int, reference: str) -> tuple[datetime, int, str]:
    return at.astimezone(UTC), amount, reference[:120]


def _used(conn: Connection) -> Counter:
    """How often each (time, amount, reference) of a statement line was confirmed already."""
    rows = conn.execute(select(PaymentMatch.statement_at, PaymentMatch.statement_amount,
                               PaymentMatch.statement_reference))
    return Counter(_key(at, amount, ref or "") for at, amount, ref in rows)


def unused_lines(booth: Booth, lines: Sequence[StatementLine]) -> list[StatementLine]:
    """``lines`` without those an earlier confirmation used (each use takes one line)."""
    with booth.db.read() as s:
        used = _used(s.connection())
    out = []
    for line in lines:
        key = _key(line.at, line.amount, line.reference)
        if used[key] > 0:
            used[key] -= 1
        else:
            out.append(line)
    return out


def propose(booth: Booth, lines: Sequence[StatementLine]) -> Matching:
    """Matched, ambiguous and unmatched payments for a statement's lines (nothing written)."""
    return match(open_payments(booth), unused_lines(booth, lines))


def load_statement(booth: Booth, path: Path | str, mapping: StatementMapping,
                   actor: str = "pos") -> Review:
    """Read a statement through ``mapping`` (remembered for its source when the file is good)
    and match it. Raises ``ImportRejected`` with every bad row; a bad file writes nothing."""
    statement = import_statement(booth, path, mapping, actor)
    return Review(statement, propose(booth, statement.lines))


def _check_role(actor: str, actor_role: str) -> None:
    roles.require(actor_role, "reconcile", actor)


def _confirm(conn: Connection, rec: Recorder, payment_id: uuid.UUID, line: StatementLine,
             actor: str, source: str) -> uuid.UUID:
    row = conn.execute(select(Payment.amount, Payment.verified, Payment.method, Sale.number)
                       .join(Sale, Sale.id == Payment.sale_id)
                       .where(Payment.id == payment_id)).first()
    if row is None or row.verified:
        raise DomainError("not_reconcilable", payment=str(payment_id))
    if conn.execute(select(PaymentMatch.id).where(PaymentMatch.payment_id == payment_id)
                    ).first() is not None:
        raise DomainError("already_matched", number=row.number)
    if line.amount != row.amount:
        raise DomainError("match_amount", number=row.number, amount=row.amount,
                          statement=line.amount)
    # A reference (a QRIS RRN, a transfer's number) names one line: it pays one sale only.
    reference = line.reference[:120]
    if reference and conn.execute(
            select(func.count()).select_from(PaymentMatch).where(
                PaymentMatch.statement_reference == reference,
                PaymentMatch.statement_amount == line.amount,
                PaymentMatch.statement_at == line.at)).scalar_one():
        raise DomainError("statement_line_used", reference=reference)
    match_id = uuid.uuid4()
    rec.insert(PaymentMatch, [{
        "id": match_id, "payment_id": payment_id, "statement_at": line.at,
        "statement_amount": line.amount, "statement_reference": reference,
        "statement_text": line.text[:200], "source": source[:200],
        "confirmed_by": actor[:80]}])
    audit.append(rec, actor, "payment.match", "payment", payment_id, {
        "number": row.number, "method": row.method, "amount": row.amount,
        "statement_reference": line.reference, "source": source})
    return match_id


def confirm(booth: Booth, payment_id: uuid.UUID, line: StatementLine, *, actor: str,
            actor_role: str, source: str = "") -> uuid.UUID:
    """Record that ``line`` of a statement is the money of ``payment_id``."""
    return confirm_all(booth, [(payment_id, line)], actor=actor, actor_role=actor_role,
                       source=source)[0]


def confirm_all(booth: Booth, pairs: Sequence[tuple[uuid.UUID, StatementLine]], *, actor: str,
                actor_role: str, source: str = "") -> list[uuid.UUID]:
    """Confirm several matches in one transaction: all of them, or (on any error) none."""
    _check_role(actor, actor_role)
    rows = [line.row for _, line in pairs]
    twice = next((line for _, line in pairs if rows.count(line.row) > 1), None)
    if twice is not None:
        raise DomainError("statement_line_used", reference=twice.reference or str(twice.row))
    with booth.db.write_connection() as conn:
        rec = Recorder(conn, booth.context.device_id, booth.clock.now())
        return [_confirm(conn, rec, payment_id, line, actor, source)
                for payment_id, line in pairs]
