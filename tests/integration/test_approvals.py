"""Approvals (issue #4 item 2): a coordinator's own PIN gives a single-use token that expires
in minutes, bound to the action, the subject and the requester; both people are journaled;
a wrong approver PIN counts toward the approver's lockout. ``consume`` runs inside the
caller's transaction, as the void/refund code calls it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from pos_app.domain.errors import DomainError
from pos_app.services.access import approvals, auth
from pos_app.services.access.approvals import approve, consume
from pos_app.services.setup.booth import Booth, write_setting
from pos_app.services.setup.records import Recorder
from tests.integration.journal import events, sql

SALE = uuid.UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
SUBJECT = approvals.sale_subject(SALE)


pytestmark = pytest.mark.usefixtures("secrets")


def code_of(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as err:
        call(*args, **kwargs)
    return err.value.code


def use(booth: Booth, token_id: uuid.UUID, action: str = "void", subject: str = SUBJECT,
        used_by: str = "Kasir") -> approvals.ApprovalRecord:
    """What the void/refund service does: consume inside its own write transaction."""
    with booth.db.write() as s:
        rec = Recorder(s, booth.context.device_id, booth.clock.now())
        return consume(rec, token_id, action, subject, used_by)


def grant(booth: Booth, action: str = "void", subject: str = SUBJECT,
          requested_by: str = "Kasir") -> approvals.ApprovalToken:
    return approve(booth, "Maria", "2468", action, subject, requested_by)


def count(booth: Booth, table: str) -> int:
    return sql(booth, f"SELECT count(*) AS n FROM {table}")[0]["n"]


def test_a_cashier_needs_an_approval_a_coordinator_does_not(booth: Booth) -> None:
    kasir = auth.login(booth, "Kasir", "1234")
    maria = auth.login(booth, "Maria", "2468")
    for action in ("void", "refund", "discount", "price_override", "open_drawer"):
        assert approvals.needs_approval(kasir, action) is True
        assert approvals.needs_approval(maria, action) is False
    assert approvals.needs_approval(kasir, "sell") is False


def test_an_approval_is_granted_and_used_once_with_both_people_recorded(booth: Booth,
                                                                       clock) -> None:
    token = grant(booth)
    maria_id = sql(booth, "SELECT id FROM user WHERE name = 'Maria'")[0]["id"]
    assert (token.action, token.subject, token.approver, token.requested_by) == (
        "void", SUBJECT, "Maria", "Kasir")
    assert token.expires_at == clock.now() + timedelta(minutes=5)
    [row] = sql(booth, "SELECT * FROM approval")
    assert {k: row[k] for k in ("id", "action", "subject", "approver_id", "approver_name",
                                "requested_by")} == {
        "id": token.id.hex, "action": "void", "subject": SUBJECT, "approver_id": maria_id,
        "approver_name": "Maria", "requested_by": "Kasir"}
    assert row["expires_at"] == (clock.now() + timedelta(minutes=5)).isoformat(
        timespec="microseconds")
    assert events(booth, "approval.grant") == [{
        "actor": "Maria", "action": "approval.grant", "subject_kind": "user",
        "subject_id": maria_id, "payload": {
            "approval": token.id.hex, "action": "void", "subject": SUBJECT,
            "approver": "Maria", "requested_by": "Kasir",
            "expires_at": row["expires_at"]}}]

    clock.advance(minutes=4)
    spent = use(booth, token.id)
    assert (spent.approval_id, spent.approver, str(spent.approver_id.hex), spent.requested_by,
            spent.used_by) == (token.id, "Maria", maria_id, "Kasir", "Kasir")
    [used] = sql(booth, "SELECT approval_id, used_by FROM approval_use")
    assert used == {"approval_id": token.id.hex, "used_by": "Kasir"}
    assert events(booth, "approval.use") == [{
        "actor": "Kasir", "action": "approval.use", "subject_kind": "approval",
        "subject_id": token.id.hex, "payload": {
            "action": "void", "subject": SUBJECT, "approver": "Maria",
            "requested_by": "Kasir", "used_by": "Kasir"}}]
    assert sql(booth, "SELECT count(*) AS n FROM outbox WHERE table_name IN "
                      "('approval', 'approval_use')") == [{"n": 2}]


def test_an_approval_cannot_be_used_twice(booth: Booth) -> None:
    token = grant(booth)
    use(booth, token.id)
    assert code_of(use, booth, token.id) == "approval_used"
    assert count(booth, "approval_use") == 1
    assert len(events(booth, "approval.use")) == 1


def test_the_unique_key_stops_a_second_use_the_checks_did_not_see(booth: Booth) -> None:
    """A race past the SELECT: the UNIQUE approval_use.approval_id maps to approval_used, and
    the caller's transaction (here holding the first use) still commits."""
    token = grant(booth)
    with booth.db.write() as s:
        rec = Recorder(s, booth.context.device_id, booth.clock.now())
        approvals.spend(rec, token.id, "Kasir")
        with pytest.raises(DomainError) as err:
            approvals.spend(rec, token.id, "Kasir")
        assert err.value.code == "approval_used"
    assert count(booth, "approval_use") == 1
    # the failed insert was rolled back to its savepoint: no sequence number was burnt
    assert sql(booth, "SELECT value FROM counter WHERE name = 'record'")[0]["value"] == sql(
        booth, "SELECT max(seq) AS m FROM outbox")[0]["m"]


def test_an_approval_expires(booth: Booth, clock) -> None:
    token = grant(booth)
    clock.advance(minutes=6)
    assert code_of(use, booth, token.id) == "approval_expired"
    exact = grant(booth)
    clock.advance(minutes=5)  # valid strictly before expires_at
    assert code_of(use, booth, exact.id) == "approval_expired"
    assert count(booth, "approval_use") == 0
    assert events(booth, "approval.use") == []


def test_the_validity_is_a_setting(booth: Booth, clock) -> None:
    with booth.db.write() as s:
        write_setting(s, "approval_minutes", "2")
    token = grant(booth)
    assert token.expires_at == clock.now() + timedelta(minutes=2)
    clock.advance(minutes=2, seconds=1)
    assert code_of(use, booth, token.id) == "approval_expired"


def test_an_approval_is_bound_to_its_action_subject_and_requester(booth: Booth) -> None:
    token = grant(booth)
    other_sale = approvals.sale_subject(uuid.uuid4())
    assert code_of(use, booth, token.id, action="refund") == "approval_invalid"
    assert code_of(use, booth, token.id, subject=other_sale) == "approval_invalid"
    assert code_of(use, booth, token.id, used_by="Budi") == "approval_invalid"
    assert code_of(use, booth, uuid.uuid4()) == "approval_invalid"
    assert count(booth, "approval_use") == 0
    assert use(booth, token.id).approver == "Maria"  # the right use still works


def test_a_failed_caller_transaction_leaves_the_approval_unspent(booth: Booth) -> None:
    token = grant(booth)
    with pytest.raises(RuntimeError), booth.db.write() as s:
        rec = Recorder(s, booth.context.device_id, booth.clock.now())
        consume(rec, token.id, "void", SUBJECT, "Kasir")
        raise RuntimeError("the void failed after the approval was checked")
    assert count(booth, "approval_use") == 0
    assert use(booth, token.id).used_by == "Kasir"


def test_a_cashier_cannot_approve(booth: Booth) -> None:
    auth.create_user(booth, "Budi", "cashier", "1357", actor="test")
    assert code_of(approve, booth, "Budi", "1357", "void", SUBJECT, "Kasir") == "not_allowed"
    assert count(booth, "approval") == 0
    assert events(booth, "approval.grant") == []


def test_nobody_approves_their_own_request(booth: Booth) -> None:
    assert code_of(approve, booth, "Maria", "2468", "void", SUBJECT, "Maria") == "self_approval"
    assert code_of(approve, booth, "maria", "0000", "void", SUBJECT, "Maria") == "self_approval"
    assert count(booth, "approval") == 0
    assert events(booth, "login.failed") == []  # refused before any PIN was checked


def test_a_wrong_approver_pin_counts_toward_the_approvers_lockout(booth: Booth) -> None:
    maria_id = sql(booth, "SELECT id FROM user WHERE name = 'Maria'")[0]["id"]
    codes = [code_of(approve, booth, "Maria", "1111", "void", SUBJECT, "Kasir")
             for _ in range(3)]
    codes += [code_of(auth.login, booth, "Maria", "1111") for _ in range(2)]
    assert codes == ["bad_pin"] * 5
    failed = events(booth, "login.failed")
    assert [(e["actor"], e["subject_id"], e["payload"]["purpose"]) for e in failed] == (
        [("Maria", maria_id, "approval")] * 3 + [("Maria", maria_id, "login")] * 2)
    assert failed[0]["payload"] == {"purpose": "approval", "action": "void", "subject": SUBJECT,
                                    "requested_by": "Kasir", "name": "Maria",
                                    "reason": "bad_pin", "attempt": 1}
    assert auth.is_locked(booth, "Maria") is True
    assert code_of(approve, booth, "Maria", "2468", "void", SUBJECT, "Kasir") == "account_locked"
    assert code_of(auth.login, booth, "Maria", "2468") == "account_locked"
    assert count(booth, "approval") == 0


def test_an_unknown_approver_is_a_wrong_pin(booth: Booth) -> None:
    assert code_of(approve, booth, "Nobody", "2468", "void", SUBJECT, "Kasir") == "bad_pin"
    assert [e["actor"] for e in events(booth, "login.failed")] == ["Nobody"]


def test_a_good_approval_pin_resets_the_approvers_count(booth: Booth) -> None:
    for _ in range(4):
        code_of(approve, booth, "Maria", "1111", "void", SUBJECT, "Kasir")
    grant(booth)
    assert auth.failures_of(booth, "Maria") == 0


def test_subjects(booth: Booth) -> None:
    cart = uuid.UUID(int=7)
    assert approvals.sale_subject(SALE) == SALE.hex and len(SUBJECT) == 32
    assert approvals.cart_subject(cart, "sale:15%") == f"cart:{cart.hex}:sale:15%"
    assert approvals.shift_subject(cart) == f"shift:{cart.hex}"
    with pytest.raises(ValueError):
        approvals.cart_subject(cart, "x" * 30)  # over 64 characters
    with pytest.raises(ValueError):
        approve(booth, "Maria", "2468", "sell", SUBJECT, "Kasir")  # needs no approval
    token = grant(booth, "discount", approvals.cart_subject(cart, "sale:15%"))
    assert use(booth, token.id, "discount", f"cart:{cart.hex}:sale:15%").action == "discount"
