"""Shifts: opening, handover and closing, shift reports, per-facility settlement, payment reconciliation."""

__all__ = [
    "shifts",
    "shift_reads",
    "shift_reports",
    "settlement",
    "settlement_print",
    "reconcile",
    "statement_import",
    "statement_values",
    "backoffice",
    "till",
    "settlement_report",
    "settlement_slip",
]
