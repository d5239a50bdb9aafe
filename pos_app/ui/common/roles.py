"""Who is at the till, as the screens name it: the actor (name, role) the services record.
Whether the user may do something is ``LoginState.can`` (the one rule, ``services.access.roles``)."""

from __future__ import annotations

from pos_app.ui.common.app_context import AppContext


def actor_of(app_ctx: AppContext) -> tuple[str, str]:
    """(name, role) of the logged-in user, for the stock services' ``actor``/``actor_role``."""
    user = app_ctx.login_state.user
    return (user.name, user.role) if user is not None else (app_ctx.actor, "cashier")
