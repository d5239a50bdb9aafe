"""The reports screen, the settlement screen and the export dialog."""

__all__ = [
    "reports_screen",
    "report_chart",
    "report_dialog",
    "report_filters",
    "report_models",
    "report_pages",
    "export_dialog",
    "settlement_screen",
    "settlement_action",
]
