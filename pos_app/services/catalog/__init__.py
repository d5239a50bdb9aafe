"""The catalog: products, categories and facilities, edited on the spot or imported."""

__all__ = [
    "catalog",
    "catalog_edit",
    "catalog_import",
    "catalog_rows",
    "import_photos",
    "photos",
    "product_rules",
    "showcase",
]
