"""Head office's side of the central PostgreSQL: create or upgrade it, and register booths.

``init_central`` runs the central migrations (tables, roles, row-level security) in one
transaction and makes head office's acknowledgement key
(:mod:`pos_app.services.sync.head_office_key`) if there is none. ``add_device`` creates a booth's own LOGIN role with a random password (sent to
the server only as a SCRAM-SHA-256 verifier, so it never appears in a server log), records
it in ``device_role`` and writes the enrollment file, all or nothing. ``reissue_device``
writes a registered booth a new file (new password, new bundle key, head office's current
public key) for the same device, and the old file stops logging in.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from pos_app.adapters.central import connection, roles
from pos_app.domain.errors import N_, DomainError, Message
from pos_app.domain.numbering import check_device_code
from pos_app.persistence import central as db
from pos_app.services.sync import enrollment, head_office_key

SCRAM_ITERATIONS = 4096


@dataclass(frozen=True)
class InitResult:
    before: str | None  # the revision found (None: an empty database)
    after: str


@dataclass(frozen=True)
class DeviceResult:
    device_id: uuid.UUID
    device_code: str
    role: str
    path: Path


def init_central(url: str) -> InitResult:
    """Create or upgrade the central schema; running it again changes nothing."""
    params = connection.params(url)
    try:
        engine = db.engine(params)
        with engine.begin() as conn:
            before = db.current_revision(conn)
            if before is not None and before not in db.known_revisions():
                raise DomainError("central_newer", revision=before)
            if before != db.HEAD:
                # one migration at a time across head office PCs
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('lapak-central'))"))
                db.upgrade(conn)
            after = db.current_revision(conn)
            head_office_key.ensure(conn.exec_driver_sql)
    except DomainError:
        raise
    except (DBAPIError, *connection.errors()) as exc:
        raise connection.db_error(exc) from None
    finally:
        if "engine" in locals():
            engine.dispose()
    return InitResult(before, after)


def scram_verifier(password: str, salt: bytes | None = None,
                   iterations: int = SCRAM_ITERATIONS) -> str:
    """The ``SCRAM-SHA-256$...`` string PostgreSQL stores for ``password`` (RFC 5802/7677)."""
    salt = salt or secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(b: bytes) -> str:
        return base64.b64encode(b).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def role_name() -> str:
    """A new booth login role's name: random, so that the names every login can read in
    ``pg_roles`` tell nobody a device id or code (``device_role`` maps it to its device;
    the enrollment file carries it as the booth's login). Roles are cluster-wide: 64 random
    bits never meet another's."""
    return f"lapak_dev_{secrets.token_hex(8)}"


def _prepared(url: str, code: str, out: Path, sslmode: str | None,
              ca: Path | None) -> tuple[str, dict, str, str | None]:
    """The checked code, head office's connection parameters, the booth's sslmode and CA
    certificate for a new enrollment file ``out`` (which must not exist yet)."""
    try:
        code = check_device_code(code)
    except DomainError:
        raise DomainError("bad_device_code", code=code) from None
    params = connection.params(url)
    if sslmode is not None and sslmode not in db.SSLMODES:
        raise DomainError("central_bad_url")
    sslmode = sslmode or db.DEFAULT_SSLMODE  # never the admin's own (maybe local) setting
    ca_pem = enrollment.read_ca(ca) if ca is not None else None
    if sslmode == "verify-ca" and ca_pem is None:  # libpq: system roots need verify-full
        raise DomainError("central_ca_required")
    if Path(out).exists():
        raise DomainError("cannot_write", path=str(out), reason=Message(N_("the file already exists")))
    return code, params, sslmode, ca_pem


def _new_enrollment(params: dict, device_id: uuid.UUID, code: str, host: str | None,
                    port: int | None, sslmode: str, ca_pem: str | None) -> enrollment.Enrollment:
    """A fresh enrollment for ``device_id``: a new random password and bundle key."""
    return enrollment.Enrollment(
        device_id=device_id, device_code=code,
        host=host or params.get("host") or "localhost",
        port=int(port or params.get("port") or 5432),
        dbname=params.get("dbname") or params.get("user") or "postgres",
        sslmode=sslmode, user=role_name(), password=secrets.token_urlsafe(32),
        signing_key=enrollment.new_signing_key(), ca_pem=ca_pem)


def add_device(url: str, code: str, out: Path, *, device_id: uuid.UUID | None = None,
               host: str | None = None, port: int | None = None,
               sslmode: str | None = None, ca: Path | None = None) -> DeviceResult:
    """Register a booth: its login role, its ``device_role`` row and its enrollment file.

    ``device_id`` is the booth's own id (``pos-app`` prints it; a booth keeps the id it was
    initialised with); a new one is made when not given. ``host``/``port`` say how the
    booth reaches the server, when that differs from how head office does. The booth
    verifies the server (``verify-full``) whatever ``url`` says: only ``sslmode`` weakens
    that. ``ca`` is a PEM file with the CA certificate(s) the server's certificate chains
    to, embedded in the file; without it the booth trusts its system's roots (a server with
    a publicly trusted certificate)."""
    code, params, sslmode, ca_pem = _prepared(url, code, out, sslmode, ca)
    out = Path(out)
    device_id = device_id or uuid.uuid4()
    e = _new_enrollment(params, device_id, code, host, port, sslmode, ca_pem)
    role = e.user
    written = False
    try:
        with connection.connect(params) as conn:  # one transaction: commit on success
            if (rev := _revision(conn)) != db.HEAD:
                raise DomainError("central_not_ready", revision=rev or "-")
            taken = conn.execute("SELECT device_id, code FROM device_role"
                                 " WHERE device_id = %s OR code = %s", (device_id, code)).fetchone()
            if taken is not None:
                raise DomainError("device_registered", code=taken[1], device=str(taken[0]))
            _private, public = head_office_key.ensure(conn.execute)
            e = dataclasses.replace(e, head_office_key=public)
            roles.create_device_role(conn, role, scram_verifier(e.password), db.DEVICE_ROLE)
            conn.execute("INSERT INTO device_role (device_id, code, role_name, bundle_key)"
                         " VALUES (%s, %s, %s, %s)", (device_id, code, role, e.signing_key))
            enrollment.write_file(out, e)
            written = True
    except DomainError:
        if written:
            out.unlink(missing_ok=True)
        raise
    except connection.errors() as exc:
        if written:  # the commit failed: the file names a role that does not exist
            out.unlink(missing_ok=True)
        raise connection.db_error(exc) from None
    return DeviceResult(device_id, code, role, out)


@dataclass(frozen=True)
class ReissueResult:
    device_id: uuid.UUID
    device_code: str
    role: str
    path: Path
    sessions_ended: int | None  # None: this login may not end them (see roles.end_sessions)


def reissue_device(url: str, code: str, out: Path, *, host: str | None = None,
                   port: int | None = None, sslmode: str | None = None,
                   ca: Path | None = None) -> ReissueResult:
    """A new enrollment file for a booth already registered (and not revoked): the same
    device id, code and role (a role still named by its device id, as before c0007, is
    renamed at random: the new file carries the new name), a NEW password (its SCRAM verifier replaces the old one, so
    the old file no longer logs in), a new bundle key and head office's current public key.
    The role's open sessions end after the commit, as on revoking. ``host``, ``port``,
    ``sslmode`` and ``ca`` as for :func:`add_device` (head office does not keep them).

    For a booth enrolled before head office signed acknowledgements, or one whose file or
    secrets may have leaked. Bundles the booth signed with its old key are refused from now
    on (export again: importing twice changes nothing). All or nothing: an unknown or
    revoked code changes nothing and writes no file."""
    code, params, sslmode, ca_pem = _prepared(url, code, out, sslmode, ca)
    out = Path(out)
    written = committed = False
    try:
        with connection.connect(params) as conn:  # one transaction: commit on success
            if (rev := _revision(conn)) != db.HEAD:
                raise DomainError("central_not_ready", revision=rev or "-")
            row = conn.execute("SELECT device_id, role_name, revoked_at FROM device_role"
                               " WHERE code = %s FOR UPDATE", (code,)).fetchone()
            if row is None:
                raise DomainError("device_not_registered", code=code)
            device_id, role, revoked = row
            if revoked is not None:
                raise DomainError("reissue_revoked", code=code, when=revoked.isoformat(
                    sep=" ", timespec="minutes"))
            e = _new_enrollment(params, device_id, code, host, port, sslmode, ca_pem)
            _private, public = head_office_key.ensure(conn.execute)
            if role == f"lapak_dev_{device_id.hex}":  # named by its id before c0007
                roles.rename_role(conn, role, e.user)
                conn.execute("UPDATE device_role SET role_name = %s WHERE device_id = %s",
                             (e.user, device_id))
                role = e.user
            e = dataclasses.replace(e, user=role, head_office_key=public)
            roles.set_password(conn, role, scram_verifier(e.password))
            conn.execute("UPDATE device_role SET bundle_key = %s WHERE device_id = %s",
                         (e.signing_key, device_id))
            enrollment.write_file(out, e)
            written = True
            conn.commit()  # the old password is gone; then end the sessions it opened
            committed = True
            ended = roles.end_sessions(conn, role)
    except DomainError:
        if written:
            out.unlink(missing_ok=True)
        raise
    except connection.errors() as exc:
        if written and not committed:  # the commit failed: the old file still holds
            out.unlink(missing_ok=True)
        raise connection.db_error(exc) from None
    return ReissueResult(device_id, code, role, out, ended)


@dataclass(frozen=True)
class RevokeResult:
    device_id: uuid.UUID
    device_code: str
    role: str
    sessions_ended: int | None  # None: this login may not end them (see roles.end_sessions)


def revoke_device(url: str, code: str) -> RevokeResult:
    """Take a booth's access away (a lost or replaced laptop): its role may no longer log in,
    its open sessions end, and ``device_role.revoked_at`` is set, so the row-level security
    (which maps a role to its device only while not revoked) refuses it even mid-session and
    its bundles are refused. What it sent before stays. Once revoked, always revoked."""
    try:
        code = check_device_code(code)
    except DomainError:
        raise DomainError("bad_device_code", code=code) from None
    try:
        with connection.connect(connection.params(url)) as conn:  # one transaction: commit on success
            if (rev := _revision(conn)) != db.HEAD:
                raise DomainError("central_not_ready", revision=rev or "-")
            row = conn.execute("SELECT device_id, role_name, revoked_at FROM device_role"
                               " WHERE code = %s FOR UPDATE", (code,)).fetchone()
            if row is None:
                raise DomainError("device_not_registered", code=code)
            device_id, role, revoked = row
            if revoked is None:
                conn.execute("UPDATE device_role SET revoked_at = now() WHERE device_id = %s",
                             (device_id,))
            roles.forbid_login(conn, role)
            conn.commit()  # no new login from here on; then end the ones already open
            ended = roles.end_sessions(conn, role)
    except connection.errors() as exc:
        raise connection.db_error(exc) from None
    return RevokeResult(device_id, code, role, ended)


def _revision(conn) -> str | None:
    if conn.execute("SELECT to_regclass('alembic_version')").fetchone()[0] is None:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None
