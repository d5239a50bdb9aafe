"""PDF documents with reportlab: roll-width receipts, the A4 kwitansi, later reports."""
