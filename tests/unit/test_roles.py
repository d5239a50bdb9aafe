"""The one role rule (``roles.can``): the least role per action, for users and role names."""

from __future__ import annotations

import uuid

import pytest

from pos_app.domain.errors import DomainError
from pos_app.services.access import roles
from pos_app.services.access.auth import AuthUser


def test_every_action_by_role() -> None:
    table = {a: [roles.can(r, a) for r in roles.ROLES] for a in roles.DUTIES}
    assert table == {
        "back_office": [False, True, True], "settings": [False, True, True],
        "close_shift_of": [False, True, True],
        "create_product": [False, True, True], "product_photo": [False, True, True],
        "settlement": [False, True, True],
        "reconcile": [False, True, True], "reports": [False, True, True],
        "export": [False, True, True], "receive": [False, True, True],
        "adjust": [False, True, True], "return": [False, True, True],
        "count": [True, True, True], "approve_count": [False, True, True],
        "restore_backup": [False, False, True],
    }
    assert not set(roles.ACTIONS) & set(roles.DUTIES)


def test_users_role_names_and_nobody() -> None:
    maria = AuthUser(uuid.uuid4(), "Maria", "coordinator")
    assert roles.can(maria, "void") and roles.can("coordinator", "void")
    assert not roles.can(maria, "manage_users") and roles.can(maria, "settings")
    assert not roles.can(None, "sell")
    assert roles.holds(maria, "cashier") and not roles.holds("coordinator", "admin")
    with pytest.raises(ValueError):
        roles.can("boss", "sell")
    with pytest.raises(KeyError):
        roles.can(maria, "fly")


def test_require_names_who_was_refused() -> None:
    with pytest.raises(DomainError) as err:
        roles.require("cashier", "receive", "Kasir")
    assert (err.value.code, err.value.params) == (
        "not_allowed", {"name": "Kasir", "role": "cashier", "action": "receive"})
    roles.require("coordinator", "receive", "Maria")


def test_only_actions_above_a_cashier_are_approved() -> None:
    assert roles.needs_approval("cashier", "refund") and not roles.needs_approval("admin",
                                                                                   "refund")
    assert roles.approvable("void") == "void"
    with pytest.raises(ValueError):
        roles.approvable("sell")
    with pytest.raises(KeyError):
        roles.needs_approval("cashier", "back_office")  # nobody approves a duty
