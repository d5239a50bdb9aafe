"""Shift dialogs: open, hand over, close, cash count, payment reconciliation."""

__all__ = [
    "shift_dialogs",
    "shift_menu",
    "no_shift_panel",
    "close_shift_dialog",
    "handover_dialog",
    "cash_count",
    "reconcile_dialog",
    "reconcile_lists",
    "reconcile_mapping",
]
