"""Selling: checkout, parked carts, receipts, voids and refunds, history, kwitansi, receipt printing."""

__all__ = [
    "checkout",
    "parking",
    "receipts",
    "refunds",
    "history",
    "kwitansi",
    "printing",
    "receipt_delivery",
]
