"""Who may do what: the roles in rank order and the least role for every guarded action,
with the one check (:func:`can`) that services and screens ask.

cashier < coordinator < admin. :data:`ACTIONS` are the actions a cashier may still do with a
coordinator's approval (their names are stored in ``approval.action``, at most 16 characters);
:data:`DUTIES` are the ones nobody can approve for someone else: the role is needed.
"""

from __future__ import annotations

from typing import Protocol

from pos_app.domain.errors import DomainError

ROLES = ("cashier", "coordinator", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}

# action -> the least role that may do it without someone else's approval
ACTIONS: dict[str, str] = {
    "sell": "cashier",
    "void": "coordinator",
    "refund": "coordinator",
    "discount": "coordinator",  # a discount above the setting discount_approval_percent
    "price_override": "coordinator",
    "open_drawer": "coordinator",  # open the cash drawer without a sale
    "unlock_user": "coordinator",
    "manage_users": "admin",
}

# action -> the least role; no approval stands in for it (the command line acts as a
# coordinator: the back office)
DUTIES: dict[str, str] = {
    "back_office": "coordinator",  # the stock, reports and reconciliation screens
    # the settings screen; each key has its own least role (services/setup/settings_model)
    "settings": "coordinator",
    "close_shift_of": "coordinator",  # close another cashier's open shift
    "create_product": "coordinator",
    "product_photo": "coordinator",  # give a product its photo (a catalog change)
    "settlement": "coordinator",  # the settlement statements; a facility's settlement shares
    "reconcile": "coordinator",  # match payments against a bank statement
    "reports": "coordinator",  # the reports screen's figures
    "export": "coordinator",  # the end-of-event pack and its files
    "receive": "coordinator",  # stock documents
    "adjust": "coordinator",
    "return": "coordinator",
    "count": "cashier",
    "approve_count": "coordinator",
    "restore_backup": "admin",  # put a backup in place of the booth's database
}

LEAST: dict[str, str] = {**ACTIONS, **DUTIES}


class HasRole(Protocol):
    @property
    def role(self) -> str: ...


def check_role(role: str) -> str:
    """``role`` when it is one of :data:`ROLES`; anything else is a programming error."""
    if role not in RANK:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    return role


def _role(who: HasRole | str) -> str:
    return check_role(who if isinstance(who, str) else who.role)


def holds(who: HasRole | str | None, least: str) -> bool:
    """Is ``who`` (a user, or a role name) ``least`` or above? Nobody (``None``) is."""
    return who is not None and RANK[_role(who)] >= RANK[check_role(least)]


def can(who: HasRole | str | None, action: str) -> bool:
    """May ``who`` (a user, or a role name) do ``action`` on their own? Nobody (``None``)
    may do anything; an unknown action or role is a programming error (``KeyError`` /
    ``ValueError``)."""
    return holds(who, LEAST[action])


def require(who: HasRole | str, action: str, name: str | None = None) -> None:
    """Raise ``not_allowed`` (naming ``name``, or the user's own name) unless :func:`can`."""
    if not can(who, action):
        role = _role(who)
        shown = name if name is not None else getattr(who, "name", role)
        raise DomainError("not_allowed", name=shown, role=role, action=action)


def needs_approval(who: HasRole | str, action: str) -> bool:
    """True when ``who`` needs a coordinator's approval token for ``action``."""
    if action not in ACTIONS:
        raise KeyError(f"{action!r} is not an action anyone can approve")
    return not can(who, action)


def approvable(action: str) -> str:
    """``action`` when a cashier may do it with an approval (its least role is above
    cashier); anything else is a programming error."""
    if RANK[ACTIONS[action]] == 0:  # KeyError for an unknown action
        raise ValueError(f"{action!r} needs no approval")
    return action
