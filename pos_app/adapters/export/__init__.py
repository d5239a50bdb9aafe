"""Export files: the XLSX workbook and the CSV tables of the end-of-event pack."""

__all__ = ["csv_pack", "xlsx_pack", "xlsx_rows"]
