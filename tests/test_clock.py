"""Wall clock to UTC across daylight-saving changes: one instant per grid time, never
going backwards, the skipped hour squeezed to its jump and the repeated hour first."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrovue_desktop.scheduling import clock
from retrovue_desktop.scheduling.errors import ScheduleError

NY = clock.zone("America/New_York")
SPRING = date(2026, 3, 8)  # 02:00 EST becomes 03:00 EDT
AUTUMN = date(2026, 11, 1)  # 02:00 EDT becomes 01:00 EST


def hm(hours: int, minutes: int = 0) -> int:
    return hours * 3600 + minutes * 60


def test_skipped_hour_is_the_jump() -> None:
    jump = clock.to_utc(SPRING, hm(3), NY)
    assert clock.to_utc(SPRING, hm(2), NY) == jump
    assert clock.to_utc(SPRING, hm(2, 30), NY) == jump
    assert jump - clock.to_utc(SPRING, hm(1, 59), NY) == 60
    assert clock.local_parts(jump, NY) == ("2026-03-08", "03:00:00")


def test_repeated_hour_is_its_first_occurrence() -> None:
    first = clock.to_utc(AUTUMN, hm(1, 30), NY)
    assert clock.local_parts(first, NY) == ("2026-11-01", "01:30:00")
    assert clock.to_utc(AUTUMN, hm(2), NY) - first == 90 * 60
    start, end = clock.day_bounds(AUTUMN, NY)
    assert end - start == 25 * 3600


def test_unknown_zone_is_a_sentence() -> None:
    with pytest.raises(ScheduleError, match="not known"):
        clock.zone("Nowhere/Special")


@given(
    day=st.sampled_from([SPRING, AUTUMN, date(2026, 3, 29), date(2026, 10, 25)]),
    zone=st.sampled_from(["America/New_York", "Europe/London", "Australia/Lord_Howe", "UTC"]),
    a=st.integers(0, 2 * 86400),
    b=st.integers(0, 2 * 86400),
)
def test_later_wall_times_are_never_earlier_instants(day: date, zone: str, a: int, b: int) -> None:
    tz = clock.zone(zone)
    low, high = sorted((a, b))
    assert clock.to_utc(day, low, tz) <= clock.to_utc(day, high, tz)
