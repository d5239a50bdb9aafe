"""Managing the booth's users: add a user with a role, reset a PIN, change a role, deactivate
and reactivate.

Only an administrator manages users (``manage_users`` in :mod:`roles`); a logged-in
``actor`` is re-read from the database, so a demoted or deactivated admin is refused at once.
The command line passes a back-office name (``os:alice``) instead: it is the device's back
office and needs no PIN, but the journal names it.

Rules, each a ``DomainError``: a new PIN is 4 to 8 digits and not trivial
(:mod:`pin_rules`, ``weak_pin``); a reset PIN is not the user's previous one
(``pin_reused``); the last active administrator can be neither demoted nor deactivated
(``last_admin``). Journal actions: ``user.create``, ``user.pin``, ``user.role``,
``user.deactivate``, ``user.activate``; never a PIN or a hash.
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from pos_app.domain.errors import DomainError
from pos_app.persistence.models import User
from pos_app.services.access import audit
from pos_app.services.access.auth import (
    AuthUser,
    UserInfo,
    create_user,
    current_user,
    hash_pin,
    may_manage,
    store_hash,
    user_row,
    verify_pin,
)
from pos_app.services.access.pin_pepper import pepper_for_writing
from pos_app.services.access.pin_rules import check_new_pin
from pos_app.services.access.roles import RANK, check_role
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder

__all__ = ["add_user", "change_role", "reset_pin", "set_active"]


def add_user(booth: Booth, name: str, role: str, pin: str,
             actor: AuthUser | str) -> UserInfo:
    """A new active user with ``role`` and ``pin`` (which must pass :func:`check_new_pin`)."""
    check_new_pin(pin)
    return create_user(booth, name, role, pin, actor=actor)


def reset_pin(booth: Booth, name: str, pin: str, actor: AuthUser | str) -> None:
    """Give ``name`` a new PIN (and a clean failure count). A logged-in ``actor`` may reset
    their own PIN; anyone else's needs ``manage_users``."""
    check_new_pin(pin)
    with booth.db.write() as s:
        rec = Recorder(s, booth.context.device_id, booth.clock.now())
        row = _target(rec, name)
        if isinstance(actor, AuthUser):
            who = current_user(rec.conn, actor)
            if who.id != row.id:
                may_manage(who, row.role)
        pepper = pepper_for_writing(booth, rec)
        if verify_pin(row.pin_hash, pin, pepper):
            raise DomainError("pin_reused", name=row.name)
        store_hash(rec, row.id, hash_pin(pepper, pin))
        audit.append(rec, _name_of(actor), "user.pin", "user", row.id, {"name": row.name})


def change_role(booth: Booth, name: str, role: str, actor: AuthUser | str) -> None:
    """Make ``name`` a ``role``; the last active administrator stays one."""
    check_role(role)
    with booth.db.write() as s:
        rec = Recorder(s, booth.context.device_id, booth.clock.now())
        row = _target(rec, name)
        _check_actor(rec, actor, max(role, row.role, key=RANK.__getitem__))
        if row.role == role:
            return
        if row.role == "admin":
            _keep_an_admin(rec, row)
        _change(rec, row.id, role=role)
        audit.append(rec, _name_of(actor), "user.role", "user", row.id,
                     {"name": row.name, "from": row.role, "to": role})


def set_active(booth: Booth, name: str, active: bool, actor: AuthUser | str) -> None:
    """Deactivate ``name`` (they can no longer log in or approve; their records stay) or
    reactivate them; the last active administrator cannot be deactivated."""
    with booth.db.write() as s:
        rec = Recorder(s, booth.context.device_id, booth.clock.now())
        row = _target(rec, name)
        _check_actor(rec, actor, row.role)
        if row.active == active:
            return
        if not active and row.role == "admin":
            _keep_an_admin(rec, row)
        _change(rec, row.id, active=active)
        audit.append(rec, _name_of(actor), "user.activate" if active else "user.deactivate",
                     "user", row.id, {"name": row.name})


def _name_of(actor: AuthUser | str) -> str:
    return actor.name if isinstance(actor, AuthUser) else str(actor)


def _target(rec: Recorder, name: str):
    row = user_row(rec.conn, (name or "").strip())
    if row is None:
        raise DomainError("unknown_user", name=name)
    return row


def _check_actor(rec: Recorder, actor: AuthUser | str, role: str) -> None:
    if isinstance(actor, AuthUser):
        may_manage(current_user(rec.conn, actor), role)


def _keep_an_admin(rec: Recorder, row) -> None:
    """Refuse to take away the last active administrator who can log in."""
    others = rec.conn.execute(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.pin_hash.is_not(None),
        User.id != row.id)).scalar_one()
    if others == 0:
        raise DomainError("last_admin", name=row.name)


def _change(rec: Recorder, user_id, **values) -> None:
    rec.conn.execute(update(User).where(User.id == user_id).values(
        **values, revision=User.revision + 1, updated_at=rec.now))
    rec.queue(User, user_id)
