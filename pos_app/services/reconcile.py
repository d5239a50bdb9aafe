"""Payment reconciliation: the unverified QRIS and transfer payments, matched against a bank
or e-wallet statement, and a coordinator's confirmation of a match (a ``payment_match`` row
naming who confirmed it, journaled). The payment row itself is never changed."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from pos_app.domain.errors import DomainError
from pos_app.domain.reconcile import Matching, OpenPayment, StatementLine, match
from pos_app.persistence.models import Payment, PaymentMatch, Sale
from pos_app.services import audit
from pos_app.services.auth import RANK
from pos_app.services.booth import Booth
from pos_app.services.records import Recorder
from pos_app.services.reports import unverified_payments


def open_payments(booth: Booth) -> list[OpenPayment]:
    with booth.db.read() as s:
        rows = unverified_payments(s.connection())
    return [OpenPayment(u.payment_id, u.sale_number, u.method, u.amount, u.created_at,
                        u.reference) for u in rows]


def propose(booth: Booth, lines: list[StatementLine]) -> Matching:
    """Matched, ambiguous and unmatched payments for a statement's lines (nothing written)."""
    return match(open_payments(booth), lines)


def confirm(booth: Booth, payment_id: uuid.UUID, line: StatementLine, *, actor: str,
            actor_role: str, source: str = "") -> uuid.UUID:
    """Record that ``line`` of a statement is the money of ``payment_id``."""
    if actor_role not in RANK:
        raise ValueError(f"unknown role {actor_role!r}")
    if RANK[actor_role] < RANK["coordinator"]:
        raise DomainError("not_allowed", name=actor, role=actor_role, action="reconcile")
    with booth.db.write_connection() as conn:
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
        rec = Recorder(conn, booth.context.device_id, booth.clock.now())
        match_id = uuid.uuid4()
        rec.insert(PaymentMatch, [{
            "id": match_id, "payment_id": payment_id, "statement_at": line.at,
            "statement_amount": line.amount, "statement_reference": line.reference[:120],
            "statement_text": line.text[:200], "source": source[:200],
            "confirmed_by": actor[:80]}])
        audit.append(rec, actor, "payment.match", "payment", payment_id, {
            "number": row.number, "method": row.method, "amount": row.amount,
            "statement_reference": line.reference, "source": source})
    return match_id
