"""Head office's own key: an Ed25519 key pair that signs bundle acknowledgements.

The private key lives in the central database's ``head_office_key`` table, readable only by
the administrator login that owns the schema (no booth role and no report user may read it),
so any head office PC with that login can sign. It is made once by ``central init`` (or on
first need, by ``add-device`` or a bundle import). The public key goes into every enrollment
file; a booth checks an acknowledgement with it, so an acknowledgement signed with anything
else (the booth's own bundle key above all) is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

KEY_SIZE = 32  # bytes of an Ed25519 public key, and of its private key (raw)

Execute = Callable[[str, tuple], Any]  # a driver's execute(sql, params) -> cursor


def ensure(execute: Execute) -> tuple[bytes, bytes]:
    """(private, public) raw keys of head office, made and stored if there are none yet.
    ``execute`` runs SQL in the caller's transaction (two PCs at once: one key wins)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    raw = serialization.Encoding.Raw
    private = key.private_bytes(raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(raw, serialization.PublicFormat.Raw)
    execute("INSERT INTO head_office_key (id, private_key, public_key) VALUES (1, %s, %s)"
            " ON CONFLICT (id) DO NOTHING", (private, public))
    row = execute("SELECT private_key, public_key FROM head_office_key WHERE id = 1",
                  ()).fetchone()
    return bytes(row[0]), bytes(row[1])


def sign(private: bytes, data: bytes) -> str:
    """The Ed25519 signature of ``data``, in hex."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(private).sign(data).hex()


def verify(public: bytes, data: bytes, signature: str) -> bool:
    """Whether ``signature`` (hex) is head office's signature of ``data``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public).verify(bytes.fromhex(signature), data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


__all__ = ["KEY_SIZE", "ensure", "sign", "verify"]
