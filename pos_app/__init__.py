"""Lapak POS: an offline-first point of sale for festival and exhibition booths."""

__version__ = "0.1.0"

__all__ = ["adapters", "cli", "domain", "i18n", "logs", "paths", "persistence", "services", "ui"]
