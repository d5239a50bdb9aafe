"""Where the device keeps its secrets: the OS keyring, or 0600 files in a 0700 folder.

The keyring is ``keyring`` (Keychain, Secret Service, KWallet, Windows Credential Locker)
under the service ``lapak-pos``; it counts as usable only with a real backend (not the
``fail``/``null`` ones, not a ``keyrings.alt`` plaintext one). The secrets folder is
``$LAPAK_SECRETS_DIR`` when set (tests point it at a temporary folder), else
``user_data_path("lapak-pos") / "secrets"``. What is kept there, and in which order the two
places are tried, is the caller's business (the PIN pepper, the central credentials).
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

__all__ = ["ENV_DIR", "SERVICE", "create_private_file", "fsync_dir", "keyring_read",
           "keyring_usable", "keyring_write", "read_private_file", "replace_private_file",
           "secrets_dir"]

SERVICE = "lapak-pos"
ENV_DIR = "LAPAK_SECRETS_DIR"

log = logging.getLogger("pos_app")


def secrets_dir() -> Path:
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("lapak-pos", appauthor=False) / "secrets"


# --- keyring ---------------------------------------------------------------------------------

def keyring_usable():
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


def keyring_read(key: str) -> tuple[str | None, str]:
    """(stored value or None, why there is none)."""
    kr = keyring_usable()
    if kr is None:
        return None, "no usable keyring"
    try:
        return kr.get_password(SERVICE, key), "not in the keyring"
    except Exception as exc:  # noqa: BLE001 - a locked or broken keyring reads as "not there"
        return None, f"keyring error: {type(exc).__name__}"


def keyring_write(key: str, value: str) -> str | None:
    """Store ``value`` and read it back: what the keyring now holds, or None when there is no
    usable keyring or it does not keep what is written."""
    kr = keyring_usable()
    if kr is None:
        return None
    try:
        kr.set_password(SERVICE, key, value)
        return kr.get_password(SERVICE, key)
    except Exception:  # noqa: BLE001 - a locked or broken keyring: the caller uses a file
        return None


# --- files -----------------------------------------------------------------------------------

def read_private_file(path: Path) -> str | None:
    """The text of ``path`` (None if there is no such file), made 0600 again if it was opened
    up. Raises OSError or UnicodeDecodeError when it cannot be read."""
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    if os.name == "posix" and path.stat().st_mode & 0o077:
        log.warning("the device secret %s was readable by others; now 0600", path)
        os.chmod(path, 0o600)
    return text


def fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a new 0600 file; never overwrites (O_EXCL)."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _temporary(path: Path) -> Path:
    return path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"


def create_private_file(path: Path, text: str) -> None:
    """Make ``path`` (0600, its folder 0700) holding ``text`` and a newline, unless it exists:
    a file already there (a racing creator's) is kept."""
    directory = path.parent
    if not directory.exists():
        directory.mkdir(parents=True, mode=0o700)
    elif os.name == "posix" and not os.environ.get(ENV_DIR) and directory.stat().st_mode & 0o077:
        os.chmod(directory, 0o700)  # our own directory, opened up by someone: close it again
    # Written whole to a temporary name, then linked into place: a crash never leaves a
    # half-written secret under the real name, and a racing creator's secret is kept.
    tmp = _temporary(path)
    _write_new(tmp, text.encode("ascii") + b"\n")
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # another process made it first: theirs stands
    except OSError:  # no hard links on this file system
        try:
            _write_new(path, text.encode("ascii") + b"\n")
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(directory)


def replace_private_file(path: Path, text: str) -> None:
    """Replace ``path`` whole with ``text`` and a newline: a 0600 temporary file renamed into
    place."""
    directory = path.parent
    if not directory.exists():
        directory.mkdir(parents=True, mode=0o700)
    tmp = _temporary(path)
    _write_new(tmp, text.encode("utf-8") + b"\n")
    try:
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(directory)
