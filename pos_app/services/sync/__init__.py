"""Sync: the outbox to the central PostgreSQL, the catalog pull, USB bundles, enrollment."""

__all__ = [
    "sync_catalog",
    "sync_copy",
    "sync_push",
    "sync_status",
    "record",
    "central",
    "central_export",
    "bundle",
    "bundle_import",
    "enrollment",
    "limits",
    "sync_now",
]
