"""The customer display: a second window facing the buyer (the cart, the total, the QRIS, the
change, a thank-you; the facilities and their goods between customers), fed by the till's
signals, placed by the settings and the screens, never taking the cashier's focus."""

__all__ = [
    "display_control",
    "display_settings",
    "display_window",
    "feed",
    "payment_watch",
    "qr_paint",
    "sale_pages",
    "showcase_page",
]
