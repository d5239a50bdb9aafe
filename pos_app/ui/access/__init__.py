"""Logging in and the logged-in state."""

__all__ = [
    "login_flow",
    "login_screen",
    "login_state",
]
