"""``Sync now`` from the back office in one call: connect as this device (at the enrolled
server or, this once, another address), put the quarantined records back in line when asked,
run the sync, and say what is still waiting."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.services.setup.booth import Booth
from pos_app.services.sync.sync_status import (
    SyncResult,
    SyncStatus,
    device_connector,
    requeue_quarantined,
    run_sync,
    status,
)


@dataclass(frozen=True)
class SyncNow:
    retried: int  # quarantined records put back in line first
    done: SyncResult
    left: SyncStatus  # what is still waiting afterwards


def sync_now(booth: Booth, *, central_url: str | None = None, retry_quarantined: bool = False,
             batch_size: int | None = None, progress=None) -> SyncNow:
    """Raises ``NotEnrolled`` (before anything is sent) when the booth has no usable
    enrollment; other failures as ``run_sync``."""
    connect = device_connector(booth, central_url) if central_url else None
    retried = requeue_quarantined(booth) if retry_quarantined else 0
    done = run_sync(booth, batch_size=batch_size, connect=connect, progress=progress)
    return SyncNow(retried, done, status(booth))
