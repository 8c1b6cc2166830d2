"""Block placement in the week: midnight and Saturday→Sunday wrap, snapping, edits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.scheduling.errors import BlockConflict, ScheduleError
from retrovue_desktop.scheduling.week import (
    MAX_LENGTH,
    WEEK_MINUTES,
    WeekBlock,
    conflicts,
    format_time,
    move,
    overlaps,
    parse_time,
    place,
    resize_bottom,
    resize_top,
    shift,
    snap,
)

SUN, MON, TUE, WED, THU, FRI, SAT = range(7)


def b(day: int, start: str, end: str, id: int | None = None) -> WeekBlock:
    return WeekBlock.from_times(day, start, end, id=id)


OVERLAP_CASES = [
    # (a, b, overlap?)
    ((MON, "17:00", "18:00"), (MON, "18:00", "19:00"), False),  # touching is fine
    ((MON, "17:00", "18:00"), (MON, "17:59", "19:00"), True),
    ((MON, "17:00", "18:00"), (TUE, "17:00", "18:00"), False),
    ((MON, "17:00", "18:00"), (MON, "17:15", "17:45"), True),  # inside
    ((MON, "23:00", "01:00"), (TUE, "00:30", "02:00"), True),  # across midnight
    ((MON, "23:00", "01:00"), (TUE, "01:00", "02:00"), False),
    ((MON, "23:00", "01:00"), (MON, "00:30", "02:00"), False),  # same day, morning
    ((MON, "23:00", "01:00"), (MON, "22:00", "23:30"), True),
    ((SAT, "23:00", "01:00"), (SUN, "00:00", "00:30"), True),  # across the week's end
    ((SAT, "23:00", "01:00"), (SUN, "01:00", "03:00"), False),
    ((SAT, "23:00", "01:00"), (SAT, "00:00", "00:30"), False),
    ((SAT, "12:00", "11:59"), (SUN, "11:58", "12:30"), True),  # 23 h 59 min block
    ((SAT, "12:00", "11:59"), (SUN, "11:59", "12:00"), False),
    ((SUN, "00:00", "23:59"), (SAT, "23:59", "00:00"), False),
    ((SUN, "00:00", "23:59"), (SAT, "23:59", "00:01"), True),
    ((FRI, "06:00", "05:00"), (SAT, "04:00", "04:30"), True),
    ((WED, "00:00", "00:01"), (WED, "00:00", "00:01"), True),
]


@pytest.mark.parametrize(("first", "second", "expected"), OVERLAP_CASES)
def test_overlap_table(
    first: tuple[int, str, str], second: tuple[int, str, str], expected: bool
) -> None:
    a, c = b(*first), b(*second)
    assert overlaps(a, c) is expected
    assert overlaps(c, a) is expected
    assert bool(a.minutes() & c.minutes()) is expected


def test_times_parse_and_format() -> None:
    assert parse_time("17:30") == 17 * 60 + 30
    assert parse_time("07:05:00") == 425
    assert parse_time("7:05") == 425
    assert format_time(425) == "07:05:00"
    block = b(MON, "23:00:00", "01:00:00")
    assert (block.start_time, block.end_time, block.length) == ("23:00:00", "01:00:00", 120)
    assert block.crosses_midnight
    assert block.segments() == ((MON, 1380, 1440), (TUE, 0, 60))
    assert b(SAT, "23:00", "01:00").segments() == ((SAT, 1380, 1440), (SUN, 0, 60))
    assert b(MON, "17:00", "18:00").segments() == ((MON, 1020, 1080),)


@pytest.mark.parametrize("text", ["", "noon", "24:00", "12:60", "1230", "12:00:61", "-1:00"])
def test_bad_times_are_sentences(text: str) -> None:
    with pytest.raises(ScheduleError, match="time of day"):
        parse_time(text)


def test_seconds_and_equal_ends_are_refused() -> None:
    with pytest.raises(ScheduleError, match="whole minutes"):
        parse_time("12:00:30")
    with pytest.raises(ScheduleError, match="same time"):
        b(MON, "17:00", "17:00:00")
    with pytest.raises(ScheduleError, match="Sunday through Saturday"):
        b(7, "17:00", "18:00")
    assert isinstance(ScheduleError("x"), OperatorError)


def test_conflicts_ignore_the_edited_block() -> None:
    existing = [b(MON, "17:00", "18:00", id=1), b(MON, "23:00", "01:00", id=2)]
    candidate = b(TUE, "00:00", "00:30", id=3)
    assert conflicts(existing, candidate) == [existing[1]]
    moved = b(MON, "17:30", "18:30", id=1)
    assert conflicts(existing, moved) == []  # its own old place does not count
    assert conflicts(existing, b(MON, "17:30", "18:30"), ignore_id=1) == []
    assert conflicts(existing, b(MON, "17:30", "18:30")) == [existing[0]]
    with pytest.raises(BlockConflict) as refused:
        place(existing, candidate)
    assert refused.value.conflicts == (existing[1],)
    assert "Monday 23:00-01:00" in str(refused.value)
    assert "never overlap" in str(refused.value)


@pytest.mark.parametrize(
    ("minutes", "step", "expected"),
    [
        (17 * 60 + 2, 5, 17 * 60),
        (17 * 60 + 3, 5, 17 * 60 + 5),
        (17 * 60 + 7, 15, 17 * 60),
        (17 * 60 + 8, 15, 17 * 60 + 15),
        (17 * 60 + 7, 30, 17 * 60),
        (17 * 60 + 15, 30, 17 * 60 + 30),  # halves round up
        (17 * 60 + 7, None, 17 * 60 + 7),
        (-7, 15, 0),
        (-8, 15, -15),
    ],
)
def test_snap(minutes: int, step: int | None, expected: int) -> None:
    assert snap(minutes, step) == expected


def test_snap_step_must_be_known() -> None:
    with pytest.raises(ScheduleError, match="5, 15 or 30"):
        snap(10, 10)


def test_move_keeps_length_and_wraps() -> None:
    block = b(MON, "17:00", "18:30", id=4)
    moved = move(block, THU, 20 * 60 + 7, step=15)
    assert (moved.day_of_week, moved.start_time, moved.end_time) == (THU, "20:00:00", "21:30:00")
    assert moved.id == 4 and moved.length == 90
    late = move(block, SAT, 23 * 60 + 31, step=None)
    assert (late.day_of_week, late.start_time, late.end_time) == (SAT, "23:31:00", "01:01:00")
    past_end = move(block, SAT, 24 * 60 + 30)  # dragged below Saturday: Sunday
    assert (past_end.day_of_week, past_end.start_time) == (SUN, "00:30:00")
    before = move(block, SUN, -60)  # above Sunday: Saturday
    assert (before.day_of_week, before.start_time) == (SAT, "23:00:00")
    assert shift(block, 10, step=5).start_time == "17:10:00"
    assert shift(b(SAT, "23:30", "00:30"), 60).day_of_week == SUN
    with pytest.raises(ScheduleError):
        move(block, 8, 0)


def test_resize_edges() -> None:
    block = b(MON, "17:00", "18:00")
    longer = resize_bottom(block, 53, step=15)
    assert (longer.start_time, longer.end_time) == ("17:00:00", "19:00:00")
    past_midnight = resize_bottom(block, 7 * 60)
    assert (past_midnight.end_time, past_midnight.crosses_midnight) == ("01:00:00", True)
    earlier = resize_top(block, -90, step=30)
    assert (earlier.day_of_week, earlier.start_time, earlier.end_time) == (
        MON,
        "15:30:00",
        "18:00:00",
    )
    into_sunday = resize_top(b(SUN, "01:00", "02:00"), -120)
    assert (into_sunday.day_of_week, into_sunday.start_time, into_sunday.end_time) == (
        SAT,
        "23:00:00",
        "02:00:00",
    )
    assert resize_top(block, 59).length == 1
    with pytest.raises(ScheduleError, match="at least one minute"):
        resize_top(block, 60)
    with pytest.raises(ScheduleError, match="at least one minute"):
        resize_bottom(block, -61)
    with pytest.raises(ScheduleError, match="at least one minute"):
        resize_bottom(block, -50, step=30)  # snaps onto the start
    with pytest.raises(ScheduleError, match="24 hours"):
        resize_bottom(block, 23 * 60)
    assert resize_bottom(block, 23 * 60 - 1).length == MAX_LENGTH
    with pytest.raises(ScheduleError, match="24 hours"):
        resize_top(block, -23 * 60)


# --- hypothesis: whatever the operator does, the saved set never overlaps -------------

_minute = st.integers(min_value=-2 * 1440, max_value=2 * 1440)
_op = st.one_of(
    st.tuples(
        st.just("create"),
        st.integers(0, 6),
        st.integers(0, 1439),
        st.integers(-5, 1445),
        st.sampled_from([None, 5, 15, 30]),
    ),
    st.tuples(
        st.just("move"),
        st.integers(0, 30),
        st.integers(0, 6),
        _minute,
        st.sampled_from([None, 5, 15, 30]),
    ),
    st.tuples(
        st.sampled_from(["top", "bottom", "shift"]),
        st.integers(0, 30),
        _minute,
        st.integers(0, 0),
        st.sampled_from([None, 5, 15, 30]),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_op, max_size=40))
def test_random_edits_never_save_overlaps(ops: list[tuple[str, int, int, int, int | None]]) -> None:
    saved: dict[int, WeekBlock] = {}
    next_id = 1
    for kind, a, c, d, step in ops:
        try:
            if kind == "create":
                candidate = WeekBlock.create(a, snap(c, step), d, id=next_id)
            else:
                if not saved:
                    continue
                block = saved[sorted(saved)[a % len(saved)]]
                if kind == "move":
                    candidate = move(block, c, d, step)
                elif kind == "top":
                    candidate = resize_top(block, c, step)
                elif kind == "bottom":
                    candidate = resize_bottom(block, c, step)
                else:
                    candidate = shift(block, c, step)
            accepted = place(saved.values(), candidate)
        except ScheduleError as refused:
            assert str(refused)  # a sentence, never a crash
            continue
        assert accepted.id is not None
        saved[accepted.id] = accepted
        if kind == "create":
            next_id += 1
    occupied: set[int] = set()
    for block in saved.values():
        assert 1 <= block.length <= MAX_LENGTH
        assert block.start_time != block.end_time
        assert 0 <= block.day_of_week <= 6 and 0 <= block.start < 1440
        again = WeekBlock.from_times(block.day_of_week, block.start_time, block.end_time)
        assert again.length == block.length  # the columns say the same thing
        minutes = block.minutes()
        assert not occupied & minutes
        occupied |= minutes
    assert len(occupied) <= WEEK_MINUTES
