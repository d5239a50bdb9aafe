"""A booth's enrollment with the central database: the file head office hands over, and
``pos-app enroll`` that stores what it holds.

The file is JSON: the device's id and code, where the central database is (host, port,
database, sslmode and, optionally, ``ca_pem``: the CA certificate(s) the server's TLS
certificate must chain to), the device's own login role and password, and a random key that
signs its USB bundles, and head office's PUBLIC key (``head_office_key``, Ed25519) that
acknowledgements of those bundles must be signed with. A SHA-256 over everything else (``checksum``) catches a file edited or
damaged on the way; it is no signature (whoever edits the file can recompute it), the file
itself is the secret and travels by hand.

On the booth the password and the signing key go where the PIN pepper goes (see
:mod:`pos_app.services.setup.pepper`): the OS keyring, else a ``0600`` file in the ``0700``
secrets folder, with a logged warning. Settings keep only what is not secret: the device
code and where the central database is.

The CA certificate is no secret, but it is kept beside them, ``central-ca-<device>.pem`` in
the secrets folder (found again from the device id, so the folder may move), and the setting
``central_sslrootcert`` says which roots libpq trusts: ``file`` (that certificate) or
``system`` (the operating system's, for a server with a publicly trusted certificate).
"""

from __future__ import annotations

import binascii
import hashlib
import json
import logging
import os
import re
import secrets
import ssl
import uuid
from dataclasses import dataclass
from pathlib import Path

from pos_app.adapters import secrets as secret_store
from pos_app.domain.errors import N_, DomainError, Message, cannot_write, os_reason
from pos_app.domain.numbering import DEVICE_CODE
from pos_app.persistence.central import SSLMODES
from pos_app.services.access import audit
from pos_app.services.setup.booth import Booth, write_setting
from pos_app.services.setup.records import Recorder

FORMAT = "lapak-pos-enrollment"
VERSION = 1
KEY_SIZE = 32  # bytes of the bundle signing key
SETTINGS = ("central_device_code", "central_host", "central_port", "central_dbname",
            "central_sslmode", "central_user", "central_sslrootcert")
ROOTS_FILE = "file"  # central_sslrootcert: the CA certificate from the enrollment file
ROOTS_SYSTEM = "system"  # central_sslrootcert: the operating system's trusted roots
VERIFYING = ("verify-ca", "verify-full")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

log = logging.getLogger("pos_app")


@dataclass(frozen=True)
class Enrollment:
    device_id: uuid.UUID
    device_code: str
    host: str
    port: int
    dbname: str
    sslmode: str
    user: str
    password: str
    signing_key: bytes
    ca_pem: str | None = None  # PEM CERTIFICATE blocks; None: the system's trusted roots
    head_office_key: bytes | None = None  # Ed25519 public key; None: a file from before it

    def conninfo(self) -> dict:
        """libpq parameters for connecting as this device (without ``sslrootcert``: libpq
        reads it from a file; see :func:`sslrootcert`)."""
        return {"host": self.host, "port": self.port, "dbname": self.dbname,
                "sslmode": self.sslmode, "user": self.user, "password": self.password}


@dataclass(frozen=True)
class EnrollResult:
    device_code: str
    host: str
    dbname: str
    stored_in: str  # "keyring" or the path of the fallback file
    again: bool = False  # this booth was enrolled before: the file's secrets replaced its own


# --- the file --------------------------------------------------------------------------------

def _checksum(body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def new_signing_key() -> bytes:
    return secrets.token_bytes(KEY_SIZE)


_PEM = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.S)


def check_ca_pem(text: str) -> str:
    """The certificates in PEM ``text``, re-encoded; ``ValueError(reason)`` when it holds
    anything but X.509 certificates (a private key above all) or none at all.

    Each block is parsed by the standard library's OpenSSL (present on every platform), so a
    block that merely looks like PEM is refused too. Text around the blocks is dropped."""
    blocks = _PEM.findall(text)
    if any("PRIVATE KEY" in kind for kind, _ in blocks):
        raise ValueError(Message(N_("it contains a private key; give only the certificate")))
    if any(kind != "CERTIFICATE" for kind, _ in blocks):
        raise ValueError(Message(N_("it holds something other than certificates")))
    if not blocks or "-----BEGIN" in _PEM.sub("", text):
        raise ValueError(Message(N_("it has no complete -----BEGIN CERTIFICATE----- block")))
    out = []
    for _, body in blocks:
        try:
            der = binascii.a2b_base64("".join(body.split()), strict_mode=True)
            ssl.create_default_context(cadata=der)  # parses it as X.509, or raises
        except (binascii.Error, ssl.SSLError, ValueError):
            raise ValueError(Message(N_("a certificate in it is damaged"))) from None
        out.append(ssl.DER_cert_to_PEM_cert(der))
    return "".join(out)


def read_ca(path: Path) -> str:
    """The CA certificate(s) of the PEM file ``path`` for :func:`check_ca_pem`."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DomainError("ca_unreadable", path=str(path), reason=os_reason(exc)) \
            from None
    try:
        return check_ca_pem(raw.decode("ascii"))
    except UnicodeDecodeError:
        raise DomainError("ca_invalid", path=str(path),
                          reason=Message(N_("it is not PEM text"))) from None
    except ValueError as exc:
        raise DomainError("ca_invalid", path=str(path), reason=exc.args[0]) from None


def to_document(e: Enrollment) -> dict:
    central = {"host": e.host, "port": e.port, "dbname": e.dbname, "sslmode": e.sslmode}
    if e.ca_pem is not None:  # absent, not null: older files stay as they were
        central["ca_pem"] = e.ca_pem
    body = {
        "format": FORMAT, "version": VERSION,
        "device_id": str(e.device_id), "device_code": e.device_code,
        "central": central,
        "user": e.user, "password": e.password, "signing_key": e.signing_key.hex(),
    }
    if e.head_office_key is not None:  # absent in older files
        body["head_office_key"] = e.head_office_key.hex()
    return {**body, "checksum": _checksum(body)}


def write_file(path: Path, e: Enrollment) -> None:
    """Write a new enrollment file, ``0600`` from its first byte; never overwrites."""
    data = (json.dumps(to_document(e), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0),
                     0o600)
    except FileExistsError:
        raise DomainError("cannot_write", path=str(path),
                          reason=Message(N_("the file already exists"))) from None
    except OSError as exc:
        raise cannot_write(path, exc) from None
    try:
        os.write(fd, data)
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise cannot_write(path, exc) from None
    os.close(fd)


def _malformed(path: Path, field: str) -> DomainError:
    return DomainError("enrollment_malformed", path=str(path), field=field)


def parse(path: Path, raw: bytes) -> Enrollment:
    """The enrollment in ``raw``; a :class:`DomainError` naming the first problem otherwise."""
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _malformed(path, "JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _malformed(path, "format")
    if doc.get("version") != VERSION:
        raise _malformed(path, "version")
    body = {k: v for k, v in doc.items() if k != "checksum"}
    if not isinstance(doc.get("checksum"), str) or doc["checksum"] != _checksum(body):
        raise DomainError("enrollment_tampered", path=str(path))
    central = doc.get("central")
    if not isinstance(central, dict):
        raise _malformed(path, "central")

    def text(value, field: str, pattern: re.Pattern | None = None) -> str:
        if not isinstance(value, str) or not value or (pattern and not pattern.match(value)):
            raise _malformed(path, field)
        return value

    try:
        device_id = uuid.UUID(text(doc.get("device_id"), "device_id"))
    except ValueError:
        raise _malformed(path, "device_id") from None
    port = central.get("port")
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise _malformed(path, "central.port")
    sslmode = text(central.get("sslmode"), "central.sslmode")
    if sslmode not in SSLMODES:
        raise _malformed(path, "central.sslmode")
    ca_pem = central.get("ca_pem")
    if ca_pem is not None:
        try:
            if not isinstance(ca_pem, str):
                raise ValueError
            check_ca_pem(ca_pem)
        except ValueError:
            raise _malformed(path, "central.ca_pem") from None
    head_office_key = doc.get("head_office_key")
    if head_office_key is not None:
        head_office_key = bytes.fromhex(text(head_office_key, "head_office_key", _HEX64))
    return Enrollment(
        device_id=device_id,
        device_code=text(doc.get("device_code"), "device_code", DEVICE_CODE),
        host=text(central.get("host"), "central.host"),
        port=port,
        dbname=text(central.get("dbname"), "central.dbname"),
        sslmode=sslmode,
        user=text(doc.get("user"), "user", _ROLE),
        password=text(doc.get("password"), "password"),
        signing_key=bytes.fromhex(text(doc.get("signing_key"), "signing_key", _HEX64)),
        ca_pem=ca_pem, head_office_key=head_office_key,
    )


def read_file(path: Path) -> Enrollment:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DomainError("enrollment_unreadable", path=str(path),
                          reason=os_reason(exc)) from None
    return parse(path, raw)


# --- the secrets -----------------------------------------------------------------------------

def key_name(device_id: uuid.UUID) -> str:
    return f"central:{device_id.hex}"


def secret_path(device_id: uuid.UUID) -> Path:
    return secret_store.secrets_dir() / f"central-{device_id.hex}"


def ca_path(device_id: uuid.UUID) -> Path:
    """Where ``enroll`` keeps the CA certificate of the enrollment file (not secret)."""
    return secret_store.secrets_dir() / f"central-ca-{device_id.hex}.pem"


def system_roots() -> str:
    """``sslrootcert`` for the operating system's trusted roots.

    libpq's ``system`` means its own OpenSSL's default store, which in the psycopg binary
    wheels points into a folder that does not exist (so nothing would be trusted) unless
    ``SSL_CERT_FILE``/``SSL_CERT_DIR`` say otherwise. Without those, the CA bundle Python's
    own OpenSSL uses (the system's, e.g. ``/etc/ssl/certs``) is given as a file instead;
    ``system`` only when there is none (Windows: set ``SSL_CERT_FILE`` or use ``--ca``)."""
    if os.environ.get("SSL_CERT_FILE") or os.environ.get("SSL_CERT_DIR"):
        return "system"
    return ssl.get_default_verify_paths().cafile or "system"


def sslrootcert(device_id: uuid.UUID, roots: str | None, sslmode: str) -> str | None:
    """libpq's ``sslrootcert`` for a booth whose ``central_sslrootcert`` setting is
    ``roots``; None to leave libpq's default (``~/.postgresql/root.crt``): a booth enrolled
    before the file carried a CA, or a mode that verifies nothing."""
    if sslmode not in VERIFYING or not roots:
        return None
    if roots == ROOTS_FILE:
        return str(ca_path(device_id))  # missing: libpq says so, naming the file
    if roots == ROOTS_SYSTEM and sslmode == "verify-full":  # libpq: system needs verify-full
        return system_roots()
    return None


def _secret_text(e: Enrollment) -> str:
    kept = {"user": e.user, "password": e.password, "signing_key": e.signing_key.hex()}
    if e.head_office_key is not None:  # public, but kept with the rest so it changes only
        kept["head_office_key"] = e.head_office_key.hex()  # by enrolling again
    return json.dumps(kept, sort_keys=True)


def _keyring_store(device_id: uuid.UUID, value: str) -> bool:
    return secret_store.keyring_write(key_name(device_id), value) == value


def store_secrets(e: Enrollment) -> str:
    """Keep the device's central password and signing key; returns where they went.

    An existing fallback file stays authoritative (as for the pepper) and is replaced."""
    value = _secret_text(e)
    path = secret_path(e.device_id)
    if not path.exists() and _keyring_store(e.device_id, value):
        return "keyring"
    try:
        secret_store.replace_private_file(path, value)
    except OSError as exc:
        raise DomainError("secret_store_failed", reason=os_reason(exc)) from None
    log.warning("no usable OS keyring: the central database password and bundle signing key "
                "are kept in %s (readable only by this user)", path)
    return str(path)


def load_secrets(device_id: uuid.UUID) -> dict | None:
    """``{"user", "password", "signing_key"[, "head_office_key"]}`` as stored by :func:`store_secrets`, or None."""
    path = secret_path(device_id)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        pass
    stored, _why = secret_store.keyring_read(key_name(device_id))
    return None if stored is None else json.loads(stored)


def store_ca(e: Enrollment) -> None:
    """Keep the enrollment's CA certificate (``0600``, replaced whole), or remove the one
    an earlier enrollment left when this one has none."""
    path = ca_path(e.device_id)
    try:
        if e.ca_pem is None:
            path.unlink(missing_ok=True)
        else:
            secret_store.replace_private_file(path, check_ca_pem(e.ca_pem).rstrip("\n"))
    except OSError as exc:
        raise cannot_write(path, exc) from None


# --- the use case ----------------------------------------------------------------------------

def enroll(booth: Booth, path: Path, actor: str = "cli") -> EnrollResult:
    """Check the file, store its secrets, remember where the central database is.

    Refuses (changing nothing) a file that is unreadable, malformed, edited, or made for
    another device. A booth already enrolled takes a file for its own device id (head
    office's ``central reissue``): the file's password, bundle key and head office key
    replace what it kept; its records, sequence and bundle exports stay as they are."""
    e = read_file(path)
    here = booth.context.device_id
    if e.device_id != here:
        raise DomainError("enrollment_wrong_device", code=e.device_code,
                          file_device=str(e.device_id), device=str(here))
    again = bool(booth.stored("central_user"))
    store_ca(e)
    stored_in = store_secrets(e)
    values = {"central_device_code": e.device_code, "central_host": e.host,
              "central_port": str(e.port), "central_dbname": e.dbname,
              "central_sslmode": e.sslmode, "central_user": e.user,
              "central_sslrootcert": ROOTS_SYSTEM if e.ca_pem is None else ROOTS_FILE}
    with booth.db.write() as s:
        for key, value in values.items():
            write_setting(s, key, value)
        rec = Recorder(s, here, booth.clock.now())
        audit.append(rec, actor, "enroll", "device", here,
                     {**values, "secrets": "keyring" if stored_in == "keyring" else "file",
                      **({"again": True} if again else {})})
    booth.refresh()
    return EnrollResult(e.device_code, e.host, e.dbname, stored_in, again)
