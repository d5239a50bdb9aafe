"""The device secret ("pepper") that keys every PIN hash on this device.

A PIN has 10^4..10^8 values, so its argon2id hash alone falls to an offline search in
minutes. Each PIN is therefore hashed as ``argon2id(HMAC-SHA256(pepper, PIN))`` with a
32-byte random pepper that lives *outside* the database: a copy of the database taken off
the device cannot verify (or search) PINs without it.

Where the pepper lives, tried in this order (the store itself is ``adapters.secrets``):

1. a file ``<secrets dir>/pepper-<device id hex>`` if one exists (it was made on a machine
   without a usable keyring, and stays authoritative so that a keyring appearing later does
   not orphan it);
2. the OS keyring (``keyring``: Keychain, Secret Service, KWallet, Windows Credential
   Locker), service ``lapak-pos``, key ``pepper:<device id hex>``;
3. when no usable keyring exists (``NoKeyringError``, any keyring error, a backend that
   does not keep what is written, or a ``keyrings.alt`` plaintext backend), that file,
   created ``0600`` in a ``0700`` directory; its creation is logged (once: it is made once).

The secrets directory is ``$LAPAK_SECRETS_DIR`` when set (tests point it at a temporary
directory), else ``user_data_path("lapak-pos") / "secrets"``.

A pepper, once made, is never replaced: losing it makes every PIN on the device
unverifiable. :func:`load` only makes one when asked to (``create=True``); the caller
(``auth``) asks only while holding the database write lock and only if no PIN was ever
hashed on this device. Values are stored as 64 hex digits.
"""

from __future__ import annotations

import logging
import secrets
import threading
import uuid
from pathlib import Path

from pos_app.adapters import secrets as secret_store
from pos_app.adapters.secrets import ENV_DIR, SERVICE, secrets_dir

__all__ = ["ENV_DIR", "SERVICE", "SIZE", "PepperError", "PepperMissing", "file_path",
           "forget_cache", "key_name", "load", "secrets_dir"]

SIZE = 32

log = logging.getLogger("pos_app")

_cache: dict[tuple[str, str], bytes] = {}
_lock = threading.Lock()


class PepperError(Exception):
    """The pepper cannot be read (missing, unreadable or corrupt). Never silently replaced."""


class PepperMissing(PepperError):
    """No pepper exists for this device (and none was asked to be made)."""


def key_name(device_id: uuid.UUID) -> str:
    return f"pepper:{device_id.hex}"


def file_path(device_id: uuid.UUID, directory: Path | None = None) -> Path:
    return (directory or secrets_dir()) / f"pepper-{device_id.hex}"


def _decode(text: str | None, where: str) -> bytes:
    text = (text or "").strip()
    try:
        value = bytes.fromhex(text)
    except ValueError:
        value = b""
    if len(value) != SIZE:
        raise PepperError(f"the device secret in {where} is corrupt")
    return value


def _read_file(path: Path) -> bytes | None:
    try:
        text = secret_store.read_private_file(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise PepperError(f"cannot read {path}: {exc}") from exc
    return None if text is None else _decode(text, str(path))


def _keyring_create(device_id: uuid.UUID, value: bytes) -> bytes | None:
    """Store ``value`` in the keyring and read it back; None when the keyring does not keep it."""
    back = secret_store.keyring_write(key_name(device_id), value.hex())
    return None if back is None else _decode(back, "the keyring")


def _file_create(device_id: uuid.UUID, value: bytes) -> bytes:
    path = file_path(device_id)
    secret_store.create_private_file(path, value.hex())
    stored = _read_file(path)
    if stored is None:
        raise PepperError(f"{path} vanished right after it was written")
    log.warning("no usable OS keyring: the device secret for PINs is kept in %s "
                "(readable only by this user)", path)
    return stored


# --- the API ---------------------------------------------------------------------------------

def load(device_id: uuid.UUID, *, create: bool = False) -> bytes:
    """This device's pepper (32 bytes). Raises :class:`PepperMissing` if there is none and
    ``create`` is false, :class:`PepperError` if the stored one is unreadable or corrupt."""
    with _lock:
        cache_key = (str(secrets_dir()), device_id.hex)
        cached = _cache.get(cache_key)
        if cached is not None:
            return cached
        path = file_path(device_id)
        value = _read_file(path)
        if value is None:
            stored, why = secret_store.keyring_read(key_name(device_id))
            if stored is not None:
                value = _decode(stored, "the keyring")
        if value is None:
            if not create:
                raise PepperMissing(f"{why}; no {path}")
            fresh = secrets.token_bytes(SIZE)
            value = _keyring_create(device_id, fresh) or _file_create(device_id, fresh)
        _cache[cache_key] = value
        return value


def forget_cache() -> None:
    """Drop the in-process cache (tests; a changed secrets directory)."""
    with _lock:
        _cache.clear()

