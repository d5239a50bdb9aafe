"""Who may do what: users and PINs, coordinator approvals, the tamper-evident journal."""

__all__ = [
    "auth",
    "approvals",
    "audit",
    "journal_check",
    "unlocking",
    "pin_pepper",
]
