"""The device's journal secret: the key of the journal's HMAC chain, kept outside the database.

Each journal event's hash is ``HMAC-SHA256(secret, the event's canonical fields)``, so whoever
holds only the database file (a copy, a backup, a stolen disk image) cannot re-chain edited
events: the secret stays on this device, where the sync secrets stay (the OS keyring under
``journal:<device id hex>``, else a ``0600`` file ``journal-<device id hex>`` in the secrets
folder; see :mod:`pos_app.adapters.secrets`). It is never exported, never in a backup, a
bundle or an enrollment file.

Made once per device, on the first journal event written after it is needed; read once per
process (cached). A journal ``journal.keyed`` event names the secret's fingerprint, so verify
knows which part of the chain this machine can check.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import uuid
from pathlib import Path

from pos_app.adapters import secrets as secret_store
from pos_app.adapters.secrets import secrets_dir

__all__ = ["SIZE", "JournalKeyError", "fingerprint", "file_path", "forget_cache", "key_name",
           "load", "mac"]

SIZE = 32

log = logging.getLogger("pos_app")

_cache: dict[tuple[str, str], bytes | None] = {}
_lock = threading.Lock()


class JournalKeyError(Exception):
    """The stored journal secret cannot be read (unreadable or corrupt): never replaced."""


def key_name(device_id: uuid.UUID) -> str:
    return f"journal:{device_id.hex}"


def file_path(device_id: uuid.UUID) -> Path:
    return secrets_dir() / f"journal-{device_id.hex}"


def fingerprint(secret: bytes) -> str:
    """Names a secret without revealing it (kept in the ``journal.keyed`` event)."""
    return hmac.new(secret, b"lapak-pos journal key", hashlib.sha256).hexdigest()[:32]


def mac(secret: bytes, material: bytes) -> str:
    return hmac.new(secret, material, hashlib.sha256).hexdigest()


def _decode(text: str | None, where: str) -> bytes:
    try:
        value = bytes.fromhex((text or "").strip())
    except ValueError:
        value = b""
    if len(value) != SIZE:
        raise JournalKeyError(f"the journal secret in {where} is corrupt")
    return value


def _read(device_id: uuid.UUID) -> bytes | None:
    path = file_path(device_id)
    try:
        text = secret_store.read_private_file(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise JournalKeyError(f"cannot read {path}: {exc}") from exc
    if text is not None:
        return _decode(text, str(path))
    stored, _why = secret_store.keyring_read(key_name(device_id))
    return None if stored is None else _decode(stored, "the keyring")


def _create(device_id: uuid.UUID) -> bytes:
    fresh = secrets.token_bytes(SIZE)
    back = secret_store.keyring_write(key_name(device_id), fresh.hex())
    if back is not None:
        return _decode(back, "the keyring")
    path = file_path(device_id)
    secret_store.create_private_file(path, fresh.hex())
    log.warning("no usable OS keyring: the journal secret is kept in %s "
                "(readable only by this user)", path)
    value = _read(device_id)
    if value is None:
        raise JournalKeyError(f"{path} vanished right after it was written")
    return value


def load(device_id: uuid.UUID, *, create: bool = False) -> bytes | None:
    """This device's journal secret; None when there is none (and ``create`` is false)."""
    with _lock:
        cache_key = (str(secrets_dir()), device_id.hex)
        value = _cache.get(cache_key)
        if value is not None:
            return value
        value = _read(device_id)
        if value is None and create:
            value = _create(device_id)
        if value is not None:
            _cache[cache_key] = value
        return value


def forget_cache() -> None:
    """Drop the in-process cache (tests; a changed secrets folder)."""
    with _lock:
        _cache.clear()
