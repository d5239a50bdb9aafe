"""Who is at the till, as the screens ask it: may the user see the coordinator's screens, and
the actor (name, role) the services record."""

from __future__ import annotations

from pos_app.services.access.auth import RANK
from pos_app.ui.common.app_context import AppContext


def coordinator_or_admin(app_ctx: AppContext) -> bool:
    user = app_ctx.login_state.user
    return user is not None and RANK.get(user.role, -1) >= RANK["coordinator"]


def actor_of(app_ctx: AppContext) -> tuple[str, str]:
    """(name, role) of the logged-in user, for the stock services' ``actor``/``actor_role``."""
    user = app_ctx.login_state.user
    return (user.name, user.role) if user is not None else (app_ctx.actor, "cashier")
