"""PDF documents with reportlab: roll-width receipts, the A4 kwitansi, labels, and the A4
stock, settlement and summary documents on one shared sheet."""

__all__ = ["fonts", "kwitansi_pdf", "labels_pdf", "receipt_pdf", "settlement_pdf", "sheet",
           "stock_pdf", "summary_pdf"]
