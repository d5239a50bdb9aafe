"""Stock: receiving, counts, stock documents, their exports and printed sheets."""

__all__ = [
    "stock",
    "stock_counts",
    "stock_docs",
    "stock_export",
    "stock_print",
    "counting",
    "back_office",
]
