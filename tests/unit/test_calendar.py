"""Business days in WITA with a 04:00 cut-off: a 01:30 sale belongs to the evening before."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from pos_app.domain.calendar import DEFAULT_CUTOFF, DEFAULT_TZ, business_date, local_time

WITA = timedelta(hours=8)


def wita(y: int, m: int, d: int, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    """A WITA wall-clock time as the aware UTC instant that is stored."""
    return datetime(y, m, d, hh, mm, ss, tzinfo=UTC) - WITA


def test_defaults() -> None:
    assert DEFAULT_TZ == "Asia/Makassar"
    assert DEFAULT_CUTOFF == time(4, 0)


@pytest.mark.parametrize(
    ("ts", "day"),
    [
        (wita(2026, 11, 22, 1, 30), date(2026, 11, 21)),  # 01:30 WITA: still the 21st
        (wita(2026, 11, 22, 4, 0), date(2026, 11, 22)),  # 04:00 exactly: the new day
        (wita(2026, 11, 22, 3, 59, 59), date(2026, 11, 21)),
        (wita(2026, 11, 22, 0, 0), date(2026, 11, 21)),
        (wita(2026, 11, 21, 19, 30), date(2026, 11, 21)),
        (wita(2026, 11, 21, 23, 59, 59), date(2026, 11, 21)),
        (wita(2027, 1, 1, 2, 0), date(2026, 12, 31)),  # across a year end
        (datetime(2026, 11, 21, 16, 0, tzinfo=UTC), date(2026, 11, 21)),  # 00:00 WITA 22nd
        (datetime(2026, 11, 21, 20, 0, tzinfo=UTC), date(2026, 11, 22)),  # 04:00 WITA 22nd
    ],
)
def test_business_date_with_0400_cutoff(ts: datetime, day: date) -> None:
    assert business_date(ts) == day


def test_local_time_is_wita() -> None:
    local = local_time(datetime(2026, 11, 21, 11, 30, tzinfo=UTC))
    assert (local.date(), local.hour, local.minute) == (date(2026, 11, 21), 19, 30)
    assert local.utcoffset() == WITA


def test_midnight_cutoff_books_on_the_calendar_day() -> None:
    assert business_date(wita(2026, 11, 22, 1, 30), cutoff=time(0, 0)) == date(2026, 11, 22)


def test_other_time_zone() -> None:
    # 01:30 WITA is 00:30 WIB (Jakarta) and 02:30 WIT (Jayapura): all before 04:00.
    ts = wita(2026, 11, 22, 1, 30)
    assert business_date(ts, "Asia/Jakarta") == date(2026, 11, 21)
    assert business_date(ts, "Asia/Jayapura") == date(2026, 11, 21)
    # 04:30 WITA is 03:30 WIB: still the evening before in Jakarta.
    assert business_date(wita(2026, 11, 22, 4, 30), "Asia/Jakarta") == date(2026, 11, 21)
    assert business_date(wita(2026, 11, 22, 4, 30)) == date(2026, 11, 22)


def test_cutoff_with_minutes() -> None:
    assert business_date(wita(2026, 11, 22, 5, 29), cutoff=time(5, 30)) == date(2026, 11, 21)
    assert business_date(wita(2026, 11, 22, 5, 30), cutoff=time(5, 30)) == date(2026, 11, 22)
