"""The sale screen: product grid, cart, payment, parking, discounts, receipt preview and printing."""

__all__ = [
    "sale_screen",
    "cart_model",
    "cart_panel",
    "cart_view",
    "product_grid",
    "product_model",
    "product_tile",
    "scan_box",
    "scan_intake",
    "payment_dialog",
    "tender_form",
    "price_dialog",
    "discount_dialog",
    "discount_approval",
    "park_dialogs",
    "receipt_preview",
    "kwitansi_dialog",
    "print_queue",
    "print_warning",
]
