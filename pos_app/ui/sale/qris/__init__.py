"""QRIS in the payment dialog: the per-sale code painted crisply, what it asks for (amount,
merchant, NMID), and the ops that make it for the amount being paid."""

__all__ = [
    "qr_view",
    "qris_info",
    "qris_feed",
]
