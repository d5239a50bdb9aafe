"""Business days: a sale at 01:30 on a festival night belongs to the evening before."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Makassar"  # WITA, the time zone of NTT
DEFAULT_CUTOFF = time(4, 0)


def local_time(ts: datetime, tz: str = DEFAULT_TZ) -> datetime:
    """``ts`` (aware UTC) shown in the event's time zone."""
    return ts.astimezone(ZoneInfo(tz))


def business_date(ts: datetime, tz: str = DEFAULT_TZ, cutoff: time = DEFAULT_CUTOFF) -> date:
    """The day a sale is booked on: local date, but before ``cutoff`` it is still yesterday."""
    local = local_time(ts, tz)
    shifted = local - timedelta(hours=cutoff.hour, minutes=cutoff.minute)
    return shifted.date()
