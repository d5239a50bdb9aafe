"""Sync: the outbox to the central PostgreSQL, the catalog pull and its photos, USB bundles,
enrollment, and head office's authority over the shared catalog."""

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
    "bundle_spool",
    "photo_sync",
    "enrollment",
    "limits",
    "sync_now",
    "catalog_authority",
    "high_marks",
]
