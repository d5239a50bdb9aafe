"""The outside world: files, printers, PDFs, the central database, the keyring."""

__all__ = ["central", "export", "pdf", "photo_image", "printing", "qr_codes", "secrets", "tabular",
           "workfiles", "xlsx_images"]
