"""Export files: the XLSX workbook and the CSV tables of the end-of-event pack."""
