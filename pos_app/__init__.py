"""Lapak POS: an offline-first point of sale for festival and exhibition booths."""

__version__ = "0.1.0"
