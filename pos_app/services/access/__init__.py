"""Who may do what: users and PINs (and managing them), coordinator approvals, the
tamper-evident journal."""

__all__ = [
    "auth",
    "approvals",
    "audit",
    "journal_anchor",
    "journal_check",
    "journal_key",
    "unlocking",
    "user_names",
    "pin_pepper",
    "pin_rules",
    "users",
]
