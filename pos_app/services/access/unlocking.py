"""Unlocking a user from the back office in one call: the coordinator (or admin) who unlocks
proves it with their own PIN first."""

from __future__ import annotations

from pos_app.services.access.auth import login, unlock_user
from pos_app.services.setup.booth import Booth


def unlock_with_pin(booth: Booth, name: str, by_name: str, by_pin: str) -> None:
    """Clear ``name``'s failure count as ``by_name`` (logged in with ``by_pin``; a wrong PIN
    counts against them as at the till)."""
    unlock_user(booth, name, by=login(booth, by_name, by_pin))
