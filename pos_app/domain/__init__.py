"""Pure-Python booth rules: money, cart and pricing, tax, tenders, numbering, errors.

Nothing here imports Qt or SQLAlchemy or does I/O.
"""
