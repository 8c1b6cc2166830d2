"""The channel's wall clock and UTC: where a grid time on a date falls, and back.

Block times are wall-clock times in the channel's zone. A log must be exact in UTC, so
each grid time on a date becomes one UTC instant by one monotonic rule:

- a time that occurs twice (the hour repeated when daylight saving ends) is its first
  occurrence, so the repeated hour belongs to whatever block spans 01:00 in it;
- a time that does not occur (the hour skipped when it starts) is the instant the clock
  jumps, so blocks inside the skipped hour last no time and the ones around it meet.

Both rules keep later wall times at later-or-equal instants, so consecutive blocks never
leave a gap or overlap in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ScheduleError

SECONDS_PER_DAY = 86_400


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`, or ScheduleError with a sentence."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ScheduleError(
            f"The time zone “{name}” is not known here; choose another in the channel's settings.",
            detail=repr(error),
        ) from error


def _exists(local: datetime, tz: ZoneInfo) -> bool:
    back = local.astimezone(UTC).astimezone(tz)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


def to_utc(day: date, seconds: int, tz: ZoneInfo) -> int:
    """UTC seconds of wall time `seconds` after midnight on `day` (may exceed a day)."""
    naive = datetime(day.year, day.month, day.day) + timedelta(seconds=seconds)
    local = naive.replace(tzinfo=tz, fold=0)
    if not _exists(local, tz):
        # In a skipped hour: the instant the clock jumps is the first minute after it
        # that exists (a zone's jumps are whole minutes and at most a few hours).
        probe = naive.replace(second=0, microsecond=0)
        for _ in range(24 * 60):
            probe += timedelta(minutes=1)
            candidate = probe.replace(tzinfo=tz, fold=0)
            if _exists(candidate, tz):
                local = candidate
                break
    return int(local.timestamp())


def local_parts(instant: int, tz: ZoneInfo) -> tuple[str, str]:
    """The wall-clock ("YYYY-MM-DD", "HH:MM:SS") of UTC seconds `instant` in `tz`."""
    t = datetime.fromtimestamp(instant, tz)
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}", f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def day_bounds(day: date, tz: ZoneInfo) -> tuple[int, int]:
    """UTC seconds of the start of `day` and of the next day in `tz`."""
    return to_utc(day, 0, tz), to_utc(day + timedelta(days=1), 0, tz)


def utc_iso(instant: int) -> str:
    """UTC seconds as ISO 8601 with offset, for logs and exports."""
    return datetime.fromtimestamp(instant, UTC).isoformat()
