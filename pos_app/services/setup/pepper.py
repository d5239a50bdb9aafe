"""The device secret ("pepper") that keys every PIN hash on this device.

A PIN has 10^4..10^8 values, so its argon2id hash alone falls to an offline search in
minutes. Each PIN is therefore hashed as ``argon2id(HMAC-SHA256(pepper, PIN))`` with a
32-byte random pepper that lives *outside* the database: a copy of the database taken off
the device cannot verify (or search) PINs without it.

Where the pepper lives, tried in this order:

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
import os
import secrets
import threading
import uuid
from pathlib import Path

SERVICE = "lapak-pos"
ENV_DIR = "LAPAK_SECRETS_DIR"
SIZE = 32

log = logging.getLogger("pos_app")

_cache: dict[tuple[str, str], bytes] = {}
_lock = threading.Lock()


class PepperError(Exception):
    """The pepper cannot be read (missing, unreadable or corrupt). Never silently replaced."""


class PepperMissing(PepperError):
    """No pepper exists for this device (and none was asked to be made)."""


def secrets_dir() -> Path:
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("lapak-pos", appauthor=False) / "secrets"


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


# --- keyring ---------------------------------------------------------------------------------

def _keyring_usable():
    """The keyring module if a real backend is configured, else None."""
    try:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - any failure to set up a keyring means "no keyring"
        return None
    kinds = getattr(backend, "backends", None) or [backend]
    real = [b for b in kinds
            if not isinstance(b, fail.Keyring | null.Keyring)
            and not type(b).__module__.startswith("keyrings.alt")]
    return keyring if real else None


def _keyring_get(device_id: uuid.UUID) -> tuple[str | None, str]:
    """(stored value or None, why there is none)."""
    kr = _keyring_usable()
    if kr is None:
        return None, "no usable keyring"
    try:
        return kr.get_password(SERVICE, key_name(device_id)), "not in the keyring"
    except Exception as exc:  # noqa: BLE001 - a locked or broken keyring reads as "not there"
        return None, f"keyring error: {type(exc).__name__}"


def _keyring_create(device_id: uuid.UUID, value: bytes) -> bytes | None:
    """Store ``value`` and read it back; None when the keyring does not keep it."""
    kr = _keyring_usable()
    if kr is None:
        return None
    try:
        kr.set_password(SERVICE, key_name(device_id), value.hex())
        back = kr.get_password(SERVICE, key_name(device_id))
    except Exception:  # noqa: BLE001
        return None
    if back is None:
        return None
    return _decode(back, "the keyring")


# --- file ------------------------------------------------------------------------------------

def _read_file(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise PepperError(f"cannot read {path}: {exc}") from exc
    if os.name == "posix" and path.stat().st_mode & 0o077:
        log.warning("the device secret %s was readable by others; now 0600", path)
        os.chmod(path, 0o600)
    return _decode(text, str(path))


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_new(path: Path, value: bytes) -> None:
    """Write ``value`` to a new 0600 file; never overwrites (O_EXCL)."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    try:
        os.write(fd, value.hex().encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)


def _file_create(device_id: uuid.UUID, value: bytes) -> bytes:
    directory = secrets_dir()
    if not directory.exists():
        directory.mkdir(parents=True, mode=0o700)
    elif os.name == "posix" and not os.environ.get(ENV_DIR) and directory.stat().st_mode & 0o077:
        os.chmod(directory, 0o700)  # our own directory, opened up by someone: close it again
    path = file_path(device_id, directory)
    # Written whole to a temporary name, then linked into place: a crash never leaves a
    # half-written secret under the real name, and a racing creator's secret is kept.
    tmp = directory / f".{path.name}.{secrets.token_hex(8)}.tmp"
    _write_new(tmp, value)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # another process made it first: theirs stands
    except OSError:  # no hard links on this file system
        try:
            _write_new(path, value)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(directory)
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
            stored, why = _keyring_get(device_id)
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

