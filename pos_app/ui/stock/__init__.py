"""The stock screen: receiving, counts, products, labels, stock files and settings."""

__all__ = [
    "stock_screen",
    "stock_closeout",
    "stock_count",
    "stock_count_model",
    "stock_files",
    "stock_labels",
    "stock_models",
    "stock_product",
    "stock_receive",
    "stock_settings",
]
