"""Sales history, voids and refunds, and the coordinator's approval on the spot."""

__all__ = [
    "history_dialog",
    "history_model",
    "reversal_dialogs",
    "approval_dialog",
]
