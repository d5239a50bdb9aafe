"""The catalog: products, categories and facilities, edited on the spot or imported."""

__all__ = [
    "catalog",
    "catalog_edit",
    "catalog_import",
    "catalog_rows",
    "product_rules",
]
