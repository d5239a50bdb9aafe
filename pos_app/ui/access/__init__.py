"""Logging in and the logged-in state; the users screen (administrators)."""

__all__ = [
    "login_flow",
    "login_screen",
    "login_state",
    "pin_twice",
    "unlock_dialog",
    "users_entry",
    "users_screen",
]
