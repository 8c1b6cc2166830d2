"""Where the weekly grid lands on real dates: each block's window on each day, in UTC.

A block airs on every date whose weekday is its day (0 = Sunday), unless its constraints
carry a date range (a seasonal block) that leaves that date out. Its window runs from its
start on that date to its end, on the next date when it runs past midnight; both ends go
through `clock.to_utc`, so a week with a daylight-saving change has no gaps or overlaps.
A block whose times or constraints are unreadable has no window: it is reported, not
guessed at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from . import clock
from .blocks import ListedBlock
from .constraints import Constraints, SelectionConstraints


@dataclass(frozen=True)
class Occurrence:
    """One block on one date: [starts_at, ends_at) in UTC seconds."""

    block_id: int
    name: str
    strategy: str
    day: date
    starts_at: int
    ends_at: int
    constraints: Constraints
    ad_policy_id: int | None

    @property
    def seconds(self) -> int:
        return self.ends_at - self.starts_at


def weekday(day: date) -> int:
    """The grid's day number of `day`: 0 = Sunday … 6 = Saturday."""
    return (day.weekday() + 1) % 7


def airs_on(constraints: Constraints, day: date) -> bool:
    """Whether a seasonal date range (if any) lets the block air on `day`."""
    if isinstance(constraints, SelectionConstraints) and constraints.date_range is not None:
        return constraints.date_range.contains(day)
    return True


def occurrences(
    blocks: Iterable[ListedBlock], first_day: date, days: int, tz: ZoneInfo
) -> list[Occurrence]:
    """Every readable block's window on the `days` dates from `first_day`, in time order.

    Windows that the clock squeezes to nothing (a block inside a skipped hour) are left
    out.
    """
    by_day: dict[int, list[ListedBlock]] = {}
    for block in blocks:
        if block.week is not None and block.constraints is not None:
            by_day.setdefault(block.week.day_of_week, []).append(block)
    out: list[Occurrence] = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for block in by_day.get(weekday(day), []):
            week, parsed = block.week, block.constraints
            assert week is not None and parsed is not None
            if not airs_on(parsed, day):
                continue
            start = clock.to_utc(day, week.start * 60, tz)
            end = clock.to_utc(day, (week.start + week.length) * 60, tz)
            if end <= start:
                continue
            values = block.row.values
            out.append(
                Occurrence(
                    block_id=block.row.id,
                    name=values.name,
                    strategy=values.strategy,
                    day=day,
                    starts_at=start,
                    ends_at=end,
                    constraints=parsed,
                    ad_policy_id=values.ad_policy_id,
                )
            )
    out.sort(key=lambda o: (o.starts_at, o.block_id))
    return out
