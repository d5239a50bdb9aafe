"""The outside world: files, printers, PDFs, the central database."""
