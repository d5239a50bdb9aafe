"""Pure-Python booth rules: money, cart and pricing, tax, tenders, numbering, errors.

Nothing here imports Qt or SQLAlchemy or does I/O.
"""

__all__ = ["barcodes", "calendar", "cart", "cash", "errors", "figures", "ids", "kwitansi",
           "labels",
           "money", "numbering", "receipt", "reconcile", "settlement", "shift_report", "stock",
           "tax", "tenders", "terbilang", "text"]
