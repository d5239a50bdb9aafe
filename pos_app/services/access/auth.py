"""Users, PINs, login, lockout and roles.

PINs
    4 to 8 ASCII digits. Stored as ``argon2id(HMAC-SHA256(pepper, PIN))`` where the pepper is
    this device's 32-byte secret kept outside the database (``pepper``): a database copied
    off the device cannot verify or search PINs. The argon2id parameters are in
    ``pin_hash`` (production: t=3, m=64 MiB, p=4, about 0.1 s a hash). A hash made with
    other parameters is replaced at the next successful login.

    The pepper is checked against a fingerprint kept in the database
    (:mod:`pos_app.services.access.pin_pepper`): a missing or different one makes every PIN
    check fail with ``secret_unavailable`` instead of counting as a wrong PIN and locking
    everyone out.

Lockout
    Derived from the journal only, so it survives a restart or a kill: a user is locked
    when the ``login.failed`` events about them since their last ``login.ok``,
    ``user.unlock``, ``user.pin`` or ``approval.grant`` event number at least the setting
    ``lockout_attempts`` (default 5). A locked user's PIN is not even checked. PIN checks
    for approvals (``approvals.approve``) go through the same path and share the count.
    Each check runs inside a ``BEGIN IMMEDIATE`` transaction, so concurrent attempts are
    counted exactly.

    A wrong PIN and an unknown (or inactive) name give the same error ``bad_pin`` and take
    the same time.

Roles
    cashier < coordinator < admin; the rule is ``roles`` (``can``, ``require``), named here
    too for the callers of this module.

Journal actions written here: ``user.create``, ``user.pin``, ``login.ok``, ``login.failed``
(subject: the user, or none for an unknown name), ``user.unlock``. No PIN or hash is ever
put into a journal payload.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass

from argon2 import extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update

from pos_app.domain.errors import DomainError
from pos_app.domain.text import USER_NAME, check_text
from pos_app.persistence.models import AuditEvent, User
from pos_app.services.access import audit
from pos_app.services.access.pin_hash import HASHER
from pos_app.services.access.pin_pepper import (
    pepper_for_checking,
    pepper_for_writing,
)
from pos_app.services.access.roles import ACTIONS as ACTIONS
from pos_app.services.access.roles import RANK, check_role, require
from pos_app.services.access.roles import ROLES as ROLES
from pos_app.services.access.roles import can as can
from pos_app.services.access.roles import needs_approval as needs_approval
from pos_app.services.access.user_names import check_one_script, name_key
from pos_app.services.setup.booth import Booth, read_settings
from pos_app.services.setup.records import Recorder

PIN_MIN, PIN_MAX = 4, 8
NAME_MAX = 80
_PIN = re.compile(rf"[0-9]{{{PIN_MIN},{PIN_MAX}}}")


FAILED = "login.failed"
RESETS = ("login.ok", "user.unlock", "user.pin", "approval.grant")


@dataclass(frozen=True)
class AuthUser:
    """Someone who proved their PIN in this process."""

    id: uuid.UUID
    name: str
    role: str


@dataclass(frozen=True)
class UserInfo:
    id: uuid.UUID
    name: str
    role: str
    active: bool
    has_pin: bool
    locked: bool


# --- PIN hashing -----------------------------------------------------------------------------

def check_pin_format(pin: str) -> str:
    if not isinstance(pin, str) or not _PIN.fullmatch(pin):
        raise DomainError("bad_pin_format")
    return pin


def _secret(pepper_bytes: bytes, pin: str) -> bytes:
    return hmac.new(pepper_bytes, pin.encode("ascii"), hashlib.sha256).digest()


def hash_pin(pepper_bytes: bytes, pin: str) -> str:
    """argon2id over HMAC-SHA256(pepper, PIN); the PIN must already be well-formed."""
    return HASHER.hash(_secret(pepper_bytes, check_pin_format(pin)))


def verify_pin(stored: str | None, pin: str, pepper_bytes: bytes | None) -> bool:
    if not stored or pepper_bytes is None:
        _spend_time(pin)
        return False
    try:
        return HASHER.verify(stored, _secret(pepper_bytes, pin))
    except (VerificationError, InvalidHashError):
        return False


_dummy: list[str] = []


def _spend_time(pin: str) -> None:
    """Verify against a throwaway hash, so an unknown name costs what a wrong PIN costs."""
    if not _dummy:
        _dummy.append(HASHER.hash(b"lapak-pos: no such user"))
    try:
        HASHER.verify(_dummy[0], _secret(b"\0" * 32, pin))
    except (VerificationError, InvalidHashError):
        pass


def hash_parameters(stored: str):
    """argon2 ``Parameters`` (type, time_cost, memory_cost in KiB, parallelism) of a hash."""
    return extract_parameters(stored)


# --- users -----------------------------------------------------------------------------------

def clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise DomainError("bad_user_name", max=NAME_MAX)
    return check_one_script(check_text(name, USER_NAME, NAME_MAX))


def _actor_name(actor: AuthUser | str) -> str:
    return actor.name if isinstance(actor, AuthUser) else str(actor)


_USER_COLUMNS = (User.id, User.name, User.role, User.active, User.pin_hash)


def user_row(conn, name: str):
    """The user called ``name``: exactly, else the one whose name compares equal
    (:func:`name_key`: case and compatibility forms folded). A booth has a handful of
    users, so the second look reads them all."""
    row = conn.execute(select(*_USER_COLUMNS).where(User.name == name)).first()
    if row is not None:
        return row
    key = name_key(name)
    return next((r for r in conn.execute(select(*_USER_COLUMNS).order_by(User.seq))
                 if name_key(r.name) == key), None)


def current_user(conn, who: AuthUser):
    """``who`` as the database has them now (a role change or deactivation counts at once)."""
    row = conn.execute(select(User.id, User.name, User.role, User.active)
                       .where(User.id == who.id)).first()
    if row is None or not row.active:
        raise DomainError("not_allowed", name=who.name, role=who.role, action="act")
    return AuthUser(row.id, row.name, row.role)


def may_manage(actor: AuthUser, target_role: str, action: str = "manage_users") -> None:
    require(actor, action)
    if RANK[target_role] > RANK[actor.role]:
        raise DomainError("not_allowed", name=actor.name, role=actor.role, action=action)


def create_user(booth: Booth, name: str, role: str, pin: str,
                actor: AuthUser | str, *, only_first_admin: bool = False) -> UserInfo:
    """Add a user with a PIN. ``actor`` is a logged-in user (needs ``manage_users`` and
    cannot create a higher role than their own) or a back-office name such as ``os:alice``.
    ``only_first_admin``: the first run's administrator, refused (``first_admin_refused``)
    once the database has any user. A name equal to another user's but for case or
    compatibility forms is ``user_exists``."""
    name, role = clean_name(name), check_role(role)
    check_pin_format(pin)
    ctx = booth.context
    with booth.db.write() as s:
        rec = Recorder(s, ctx.device_id, booth.clock.now())
        if isinstance(actor, AuthUser):
            may_manage(current_user(rec.conn, actor), role)
        if only_first_admin and rec.conn.execute(
                select(func.count()).select_from(User)).scalar_one():
            raise DomainError("first_admin_refused")
        same = user_row(rec.conn, name)
        if same is not None:
            raise DomainError("user_exists", name=same.name)
        pin_hash = hash_pin(pepper_for_writing(booth, rec), pin)
        user_id = uuid.uuid4()
        rec.insert(User, [{"id": user_id, "name": name, "role": role, "active": True,
                           "pin_hash": pin_hash}])
        audit.append(rec, _actor_name(actor), "user.create", "user", user_id,
                     {"name": name, "role": role})
    return UserInfo(user_id, name, role, True, True, False)


def set_pin(booth: Booth, name: str, pin: str, actor: AuthUser | str) -> None:
    """Give ``name`` a new PIN (and a clean failure count). A logged-in ``actor`` may change
    their own PIN, or, with ``manage_users``, that of anyone up to their own role."""
    check_pin_format(pin)
    ctx = booth.context
    with booth.db.write() as s:
        rec = Recorder(s, ctx.device_id, booth.clock.now())
        row = user_row(rec.conn, name.strip())
        if row is None:
            raise DomainError("unknown_user", name=name)
        if isinstance(actor, AuthUser):
            who = current_user(rec.conn, actor)
            if who.id != row.id:
                may_manage(who, row.role)
        store_hash(rec, row.id, hash_pin(pepper_for_writing(booth, rec), pin))
        audit.append(rec, _actor_name(actor), "user.pin", "user", row.id, {"name": row.name})


def store_hash(rec: Recorder, user_id: uuid.UUID, pin_hash: str) -> None:
    rec.conn.execute(update(User).where(User.id == user_id).values(
        pin_hash=pin_hash, revision=User.revision + 1, updated_at=rec.now))
    rec.queue(User, user_id)


def users(booth: Booth) -> list[UserInfo]:
    device_id = booth.context.device_id
    with booth.db.read() as s:
        limit = read_settings(s).lockout_attempts
        rows = s.execute(select(User.id, User.name, User.role, User.active, User.pin_hash)
                         .order_by(User.name)).all()
        conn = s.connection()
        return [UserInfo(r.id, r.name, r.role, r.active, r.pin_hash is not None,
                         failures(conn, device_id, r.id) >= limit) for r in rows]


def has_no_users(booth: Booth) -> bool:
    """No user at all yet: only then may the app's first run make the administrator."""
    with booth.db.read() as s:
        return s.execute(select(func.count()).select_from(User)).scalar_one() == 0


def needs_admin(booth: Booth) -> bool:
    """True while no active admin with a PIN exists: the app must ask for one first."""
    with booth.db.read() as s:
        return s.execute(select(func.count()).select_from(User).where(
            User.role == "admin", User.active.is_(True), User.pin_hash.is_not(None))
        ).scalar_one() == 0


# --- lockout ---------------------------------------------------------------------------------

_EV = AuditEvent.__table__.c


def failures(conn, device_id: uuid.UUID, user_id: uuid.UUID) -> int:
    """Consecutive ``login.failed`` events about the user since their last reset event."""
    subject = user_id.hex
    last_reset = (select(func.coalesce(func.max(_EV.chain_index), 0))
                  .where(_EV.device_id == device_id, _EV.subject_id == subject,
                         _EV.action.in_(RESETS)).scalar_subquery())
    return conn.execute(select(func.count()).where(
        _EV.device_id == device_id, _EV.subject_id == subject, _EV.action == FAILED,
        _EV.chain_index > last_reset)).scalar_one()


def _count(booth: Booth, name: str) -> tuple[int, int]:
    device_id = booth.context.device_id
    with booth.db.read() as s:
        row = user_row(s.connection(), name.strip())
        if row is None:
            raise DomainError("unknown_user", name=name)
        return failures(s.connection(), device_id, row.id), read_settings(s).lockout_attempts


def failures_of(booth: Booth, name: str) -> int:
    """``name``'s consecutive PIN failures (``unknown_user`` if there is no such user)."""
    return _count(booth, name)[0]


def tries_left(booth: Booth, name: str) -> int:
    """How many more wrong PINs lock ``name`` (0: locked already); ``unknown_user`` if there
    is no such user. The login screen warns when one is left."""
    count, limit = _count(booth, name)
    return max(0, limit - count)


def is_locked(booth: Booth, name: str) -> bool:
    count, limit = _count(booth, name)
    return count >= limit


def authenticate(rec: Recorder, name: str, pin: str, pepper_bytes: bytes | None,
                 purpose: str, detail: dict | None = None,
                 ) -> tuple[AuthUser | None, DomainError | None]:
    """Check ``name``'s PIN inside the caller's write transaction; journal a failure.

    Returns (user, None) on success -- the caller journals what the success was for -- or
    (None, error): the caller must COMMIT (so the failure counts) and then raise the error.
    """
    limit = read_settings(rec.conn).lockout_attempts
    name = (name or "").strip()
    row = user_row(rec.conn, name) if name else None
    base = {"purpose": purpose, **(detail or {})}
    if row is None or not row.active:
        _spend_time(pin)
        # a "name" of digits is likely a PIN typed in the wrong field: keep it out of the journal
        shown = "?" if not name or name.isdigit() else name[:NAME_MAX]
        audit.append(rec, shown, FAILED, "user", None,
                     {**base, "name": shown, "reason": "unknown"})
        return None, DomainError("bad_pin")
    count = failures(rec.conn, rec.device_id, row.id)
    if count >= limit:
        audit.append(rec, row.name, FAILED, "user", row.id,
                     {**base, "name": row.name, "reason": "locked", "attempt": count + 1})
        return None, DomainError("account_locked", name=row.name)
    if not verify_pin(row.pin_hash, pin, pepper_bytes):
        audit.append(rec, row.name, FAILED, "user", row.id,
                     {**base, "name": row.name, "reason": "bad_pin", "attempt": count + 1})
        return None, DomainError("bad_pin")
    if HASHER.check_needs_rehash(row.pin_hash):
        store_hash(rec, row.id, hash_pin(pepper_bytes, pin))
    return AuthUser(row.id, row.name, row.role), None


def login(booth: Booth, name: str, pin: str) -> AuthUser:
    """Who is at the till. Raises ``bad_pin`` (wrong PIN or unknown name), ``bad_pin_format``,
    ``account_locked`` or ``secret_unavailable``; every failure is journaled first."""
    check_pin_format(pin)
    secret = pepper_for_checking(booth)
    ctx = booth.context
    with booth.db.write() as s:
        rec = Recorder(s, ctx.device_id, booth.clock.now())
        user, error = authenticate(rec, name, pin, secret, "login")
        if user is not None:
            audit.append(rec, user.name, "login.ok", "user", user.id, {"name": user.name})
    if error is not None:
        raise error
    return user


def unlock_user(booth: Booth, name: str, by: AuthUser) -> None:
    """Clear ``name``'s failure count. ``by`` needs ``unlock_user`` (coordinator or admin), a
    role at least the target's, and cannot be the target."""
    ctx = booth.context
    with booth.db.write() as s:
        rec = Recorder(s, ctx.device_id, booth.clock.now())
        who = current_user(rec.conn, by)
        row = user_row(rec.conn, name.strip())
        if row is None:
            raise DomainError("unknown_user", name=name)
        may_manage(who, row.role, "unlock_user")
        if who.id == row.id:
            raise DomainError("not_allowed", name=who.name, role=who.role, action="unlock_user")
        count = failures(rec.conn, rec.device_id, row.id)
        audit.append(rec, who.name, "user.unlock", "user", row.id,
                     {"name": row.name, "failures": count})

