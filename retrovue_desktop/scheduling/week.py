"""Where a schedule block sits in the week, as minutes; no database, no Qt.

Conventions (spec `schedule_blocks`, DESIGN.md "Schedule block times"):

- `day_of_week` is 0 = Sunday … 6 = Saturday.
- `start_time` / `end_time` are wall-clock `HH:MM[:SS]` (00:00 to 23:59; written back as
  `HH:MM:SS`). The grid works in whole minutes, so seconds other than `00` are refused.
- An end at or before the start means the block runs past midnight into the next day:
  Monday 23:00-01:00 ends Tuesday 01:00; Saturday 23:00-01:00 ends Sunday 01:00.
- `start ≠ end` is required: a block lasts at least one minute and less than 24 hours
  (a 24-hour block is not allowed, as its start and end would be equal).

The week is a circle of 7 x 1440 minutes starting Sunday 00:00; a block is the half-open
interval [start, start + length) on it, so Saturday→Sunday wraps like any midnight.
Two blocks of one channel overlap when their intervals share a minute.

Every edit (`move`, `shift`, `resize_top`, `resize_bottom`) returns a new `WeekBlock`
or raises `ScheduleError` with a sentence; `place` refuses a block that would overlap
others with `BlockConflict`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .errors import BlockConflict, ScheduleError

MINUTES_PER_DAY = 1440
DAYS = 7
WEEK_MINUTES = DAYS * MINUTES_PER_DAY
# The longest block: one minute short of 24 hours (start and end may not be equal).
MAX_LENGTH = MINUTES_PER_DAY - 1
SNAP_STEPS = (5, 15, 30)
DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")

_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_time(text: str) -> int:
    """`HH:MM[:SS]` → minute of the day (0-1439), or a ScheduleError."""
    found = _TIME.fullmatch(text.strip()) if isinstance(text, str) else None
    if not found:
        raise ScheduleError(
            f"“{text}” is not a time of day: write it as HH:MM, such as “17:30”.",
            detail=f"bad time {text!r}",
        )
    hours, minutes = int(found.group(1)), int(found.group(2))
    seconds = int(found.group(3) or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise ScheduleError(
            f"“{text}” is not a time of day: hours go from 00 to 23 and minutes from 00 to 59.",
            detail=f"time out of range {text!r}",
        )
    if seconds:
        raise ScheduleError(
            f"“{text}” has seconds: blocks start and end on whole minutes.",
            detail=f"time with seconds {text!r}",
        )
    return hours * 60 + minutes


def format_time(minute_of_day: int) -> str:
    """Minute of the day → `HH:MM:SS`, the spec's column format."""
    minute = minute_of_day % MINUTES_PER_DAY
    return f"{minute // 60:02d}:{minute % 60:02d}:00"


def _clock(minute_of_week: int) -> str:
    minute = minute_of_week % WEEK_MINUTES
    day, rest = divmod(minute, MINUTES_PER_DAY)
    return f"{DAY_NAMES[day]} {rest // 60:02d}:{rest % 60:02d}"


def _length_words(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


@dataclass(frozen=True)
class WeekBlock:
    """A block's place in the week: day (0 = Sunday), start minute of that day and length.

    `id` is the database id (None for a block not saved yet); `name` is for sentences.
    Build one with `WeekBlock.from_times` or `WeekBlock.create`, which check it.
    """

    id: int | None
    day_of_week: int
    start: int
    length: int
    name: str = ""

    @classmethod
    def create(
        cls, day_of_week: int, start: int, length: int, id: int | None = None, name: str = ""
    ) -> WeekBlock:
        """A checked block; `start` may be any minute count, it is folded into the week."""
        check_length(length)
        if isinstance(day_of_week, bool) or day_of_week not in range(DAYS):
            raise ScheduleError(
                "A block's day must be Sunday through Saturday.",
                detail=f"day_of_week {day_of_week!r}",
            )
        day, minute = divmod((day_of_week * MINUTES_PER_DAY + start) % WEEK_MINUTES, 1440)
        return cls(id=id, day_of_week=day, start=minute, length=length, name=name)

    @classmethod
    def from_times(
        cls,
        day_of_week: int,
        start_time: str,
        end_time: str,
        id: int | None = None,
        name: str = "",
    ) -> WeekBlock:
        """From the columns of `schedule_blocks`; end ≤ start runs past midnight."""
        start = parse_time(start_time)
        end = parse_time(end_time)
        if start == end:
            raise ScheduleError(
                f"A block cannot start and end at the same time ({start_time}): give it an"
                " end that differs from its start.",
                detail=f"start == end {start_time!r}",
            )
        return cls.create(day_of_week, start, (end - start) % MINUTES_PER_DAY, id, name)

    @property
    def end(self) -> int:
        """Minute of the day the block ends (on the next day when it crosses midnight)."""
        return (self.start + self.length) % MINUTES_PER_DAY

    @property
    def start_time(self) -> str:
        return format_time(self.start)

    @property
    def end_time(self) -> str:
        return format_time(self.end)

    @property
    def week_start(self) -> int:
        """Minute of the week (0 = Sunday 00:00) the block starts."""
        return self.day_of_week * MINUTES_PER_DAY + self.start

    @property
    def week_end(self) -> int:
        """Minute of the week the block ends, folded into 0…WEEK_MINUTES-1."""
        return (self.week_start + self.length) % WEEK_MINUTES

    @property
    def crosses_midnight(self) -> bool:
        return self.start + self.length > MINUTES_PER_DAY

    def segments(self) -> tuple[tuple[int, int, int], ...]:
        """(day, start minute, end minute) per day drawn, end ≤ 1440; two when it crosses
        midnight (Saturday's tail is drawn on Sunday)."""
        if not self.crosses_midnight:
            return ((self.day_of_week, self.start, self.start + self.length),)
        tail = self.start + self.length - MINUTES_PER_DAY
        return (
            (self.day_of_week, self.start, MINUTES_PER_DAY),
            ((self.day_of_week + 1) % DAYS, 0, tail),
        )

    def minutes(self) -> frozenset[int]:
        """Every minute of the week the block occupies (for checks and tests)."""
        return frozenset((self.week_start + i) % WEEK_MINUTES for i in range(self.length))

    def describe(self) -> str:
        label = f"“{self.name}” " if self.name else ""
        return f"{label}{_clock(self.week_start)}-{self.end_time[:5]}"


def check_length(length: int) -> int:
    """`length` if a block may last that many minutes (1 … 23 h 59 min)."""
    if isinstance(length, bool) or not isinstance(length, int) or length < 1:
        raise ScheduleError(
            "A block must last at least one minute; its end must differ from its start.",
            detail=f"length {length!r}",
        )
    if length > MAX_LENGTH:
        raise ScheduleError(
            "A block cannot last 24 hours or more: its end must differ from its start.",
            detail=f"length {length!r}",
        )
    return length


def overlaps(a: WeekBlock, b: WeekBlock) -> bool:
    """Whether two blocks share a minute, across midnight and Saturday→Sunday included."""
    return (b.week_start - a.week_start) % WEEK_MINUTES < a.length or (
        a.week_start - b.week_start
    ) % WEEK_MINUTES < b.length


def conflicts(
    blocks: Iterable[WeekBlock], candidate: WeekBlock, ignore_id: int | None = None
) -> list[WeekBlock]:
    """The blocks `candidate` would overlap, leaving out `ignore_id` (the block being
    edited) and, when the candidate has an id, the candidate itself."""
    skip = {i for i in (ignore_id, candidate.id) if i is not None}
    return [b for b in blocks if (b.id is None or b.id not in skip) and overlaps(b, candidate)]


def place(
    blocks: Iterable[WeekBlock], candidate: WeekBlock, ignore_id: int | None = None
) -> WeekBlock:
    """`candidate` if it overlaps none of `blocks`; otherwise BlockConflict saying which."""
    found = conflicts(blocks, candidate, ignore_id)
    if not found:
        return candidate
    names = ", ".join(b.describe() for b in found[:3])
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    raise BlockConflict(
        f"{candidate.describe()} would overlap {names}{more}; blocks of a channel never"
        " overlap, so it was not placed.",
        detail=f"candidate {candidate!r} overlaps {found!r}",
        conflicts=tuple(found),
    )


def check_snap(step: int | None) -> int | None:
    """`step` if it is a snapping step (5, 15, 30) or None (no snapping)."""
    if step is None or step in SNAP_STEPS:
        return step
    raise ScheduleError("Snapping is to 5, 15 or 30 minutes, or off.", detail=f"snap step {step!r}")


def snap(minutes: int, step: int | None) -> int:
    """`minutes` rounded to the nearest multiple of `step` (halves round up); None: as is."""
    if check_snap(step) is None:
        return minutes
    assert step is not None
    return (minutes + step // 2) // step * step


def move(block: WeekBlock, day_of_week: int, start: int, step: int | None = None) -> WeekBlock:
    """The block moved to `day_of_week` at `start` (minutes from that day's 00:00, may go
    past either end of the day), snapped, same length; the week wraps."""
    if isinstance(day_of_week, bool) or day_of_week not in range(DAYS):
        raise ScheduleError(
            "A block's day must be Sunday through Saturday.",
            detail=f"day_of_week {day_of_week!r}",
        )
    target = snap(day_of_week * MINUTES_PER_DAY + start, step) % WEEK_MINUTES
    day, minute = divmod(target, MINUTES_PER_DAY)
    return replace(block, day_of_week=day, start=minute)


def shift(block: WeekBlock, delta: int, step: int | None = None) -> WeekBlock:
    """The block moved by `delta` minutes (keyboard nudge or drag), snapped, same length."""
    return move(block, block.day_of_week, block.start + delta, step)


def resize_top(block: WeekBlock, delta: int, step: int | None = None) -> WeekBlock:
    """The start edge dragged by `delta` minutes (snapped); the end stays put."""
    end = block.week_start + block.length
    new_start = snap(block.week_start + delta, step)
    length = check_length(end - new_start)
    day, minute = divmod(new_start % WEEK_MINUTES, MINUTES_PER_DAY)
    return replace(block, day_of_week=day, start=minute, length=length)


def resize_bottom(block: WeekBlock, delta: int, step: int | None = None) -> WeekBlock:
    """The end edge dragged by `delta` minutes (snapped); the start stays put."""
    new_end = snap(block.week_start + block.length + delta, step)
    return replace(block, length=check_length(new_end - block.week_start))


def describe_length(block: WeekBlock) -> str:
    """ "1 h 30 min" and the like, for the editor."""
    return _length_words(block.length)
