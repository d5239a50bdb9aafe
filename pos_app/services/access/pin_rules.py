"""What a new PIN may be: 4 to 8 digits that are not trivial to guess.

Trivial: every digit the same (0000, 1111) or a straight run up or down (1234, 4321,
123456, 9876). The user's previous PIN is refused where a PIN is reset
(:func:`pos_app.services.access.users.reset_pin`), which can check it against the stored hash.
Demo users (:mod:`pos_app.services.setup.setup`) keep their published PINs: they exist only
in a demo database.
"""

from __future__ import annotations

from pos_app.domain.errors import DomainError
from pos_app.services.access.auth import check_pin_format


def is_trivial(pin: str) -> bool:
    """True for one digit repeated or a straight ascending or descending run."""
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    return steps in ({0}, {1}, {-1})


def check_new_pin(pin: str) -> str:
    """``pin`` when it may be chosen: ``bad_pin_format`` (not 4 to 8 digits) or
    ``weak_pin`` (trivial) otherwise."""
    check_pin_format(pin)
    if is_trivial(pin):
        raise DomainError("weak_pin")
    return pin
