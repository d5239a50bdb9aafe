"""Reports and exports: one set of figures, report options, the exported workbooks and packs."""

__all__ = [
    "reports",
    "report_facts",
    "totals",
    "report_options",
    "export_data",
    "export_pack",
    "export_target",
    "export_sheets",
    "export_summary",
    "export_tables",
    "booth_export",
]
