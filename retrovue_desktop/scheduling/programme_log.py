"""A channel's programme log as the operator reads it: a day's rundown with its totals
and warnings, and the parts of a programme; no Qt. The edits build on it
(`log_status`, `log_swap`).

A day is the channel's local day (`clock.day_bounds`): the rows whose `starts_at` falls
in it, in air order, read with their titles, block and file in a few set-based queries.
A programme cut by breaks is several rows (segment 1..n, fill rows between them); the
operator acts on the programme, so `programme_rows` finds all of them from any part.
Unfilled time is counted per block window, clipped to the day (a block of the day before
that runs past midnight counts here from midnight); like the build, only windows with
`UNFILLED_WARNING_SECONDS` or more unfilled earn a warning, smaller remainders count in
the totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from retrovue_desktop.store.editorial import effective_title
from retrovue_desktop.store.tables import BLOCKS, CI, CIF, ED, MF, SHOW
from retrovue_desktop.store.tables import INSTANCES as INST
from retrovue_desktop.words import duration

from . import clock
from .blocks import list_blocks
from .eligibility import FILL_KINDS, UNPLAYABLE
from .errors import ScheduleError
from .generation import UNFILLED_WARNING_SECONDS
from .occurrences import occurrences

PROGRAMME = "program"
LIVE = ("planned", "approved")  # what the operator may still change
# Programme parts are looked for this far either side of the row acted on (a block, and
# so a programme, is shorter than a day).
_PART_SPAN = 2 * clock.SECONDS_PER_DAY
# A content item's kind in the log's words, for rows written before item_kind existed.
_KIND_OF_ITEM = {"movie": PROGRAMME, "episode": PROGRAMME, "ad": "ad", "promo": "promo",
                 "bumper": "bumper", "clip": "clip"}  # fmt: skip
_FILE_PROBLEMS = {
    "missing": "its file is missing",
    "unmapped": "its file's folder is not mapped to this computer",
    "unreadable": "its file cannot be read",
    "gone": "its file is gone from its source",
}


@dataclass(frozen=True)
class RundownRow:
    """One log row as the rundown shows it. `problem` says why it can no longer be
    played (None: it can, or it no longer matters: played or canceled)."""

    id: int
    starts_at: int
    ends_at: int
    local_start: str  # "HH:MM:SS", the channel's wall clock
    kind: str  # play_log's words: program, ad, promo, bumper, clip, unknown
    title: str
    content_item_id: int | None
    block_id: int | None
    block_name: str | None
    segment: int | None
    offset_ms: int | None
    break_number: int | None
    break_seq: int | None
    status: str
    pick_strategy: str
    notes: str | None
    availability: str | None  # the primary file's; None: no primary file
    problem: str | None = None
    parts: int = 1  # how many parts this row's programme has in the day (fill: 1)
    programme_id: int = 0  # id of the first part of its programme in the day (fill: own)

    @property
    def seconds(self) -> int:
        return self.ends_at - self.starts_at

    @property
    def is_fill(self) -> bool:
        return self.kind in FILL_KINDS

    @property
    def canceled(self) -> bool:
        return self.status == "canceled"


@dataclass(frozen=True)
class BlockWindow:
    """The part of one block occurrence inside the day, and how much of it no row
    covers."""

    block_id: int
    name: str
    starts_at: int
    ends_at: int
    unfilled_seconds: int
    has_rows: bool
    gaps: tuple[tuple[int, int], ...] = ()  # the unfilled stretches, UTC seconds


@dataclass(frozen=True)
class Rundown:
    """A channel's day: its rows in air order, the block windows, totals and warnings."""

    channel_id: int
    day: date
    starts_at: int
    ends_at: int
    rows: tuple[RundownRow, ...]
    windows: tuple[BlockWindow, ...]
    programme_seconds: int
    fill_seconds: int
    unfilled_seconds: int
    warnings: tuple[str, ...] = field(default=())
    # Live rows of the day before that run past midnight into this day (the timeline
    # draws them; they are the day before's to list and edit).
    earlier: tuple[RundownRow, ...] = field(default=())

    @property
    def built(self) -> bool:
        """Whether anything at all is planned for the day."""
        return bool(self.rows)


def _row_select() -> Select[Any]:
    """Log rows with everything the rundown shows, in one query. The primary file is a
    correlated lookup per row (an index range of content_item_files), so a day's few
    hundred rows never make the database group the whole catalogue's files."""
    file_id = (
        select(func.min(CIF.c.media_file_id))
        .where(CIF.c.content_item_id == INST.c.content_item_id, CIF.c.role == "primary")
        .correlate(INST)
        .scalar_subquery()
    )
    availability = select(MF.c.availability).where(MF.c.id == file_id).scalar_subquery()
    return select(
        INST.c.id,
        INST.c.starts_at,
        INST.c.ends_at,
        INST.c.start_time,
        INST.c.item_kind,
        INST.c.content_item_id,
        INST.c.block_id,
        BLOCKS.c.name,
        INST.c.segment,
        INST.c.offset_ms,
        INST.c.break_number,
        INST.c.break_seq,
        INST.c.status,
        INST.c.pick_strategy,
        INST.c.notes,
        effective_title().label("title"),
        CI.c.kind,
        CI.c.season_number,
        CI.c.episode_number,
        SHOW.c.title.label("show_title"),
        CI.c.gone_from_source_at,
        file_id.label("file_id"),
        availability.label("availability"),
    ).select_from(
        INST.outerjoin(BLOCKS, BLOCKS.c.id == INST.c.block_id)
        .outerjoin(CI, CI.c.id == INST.c.content_item_id)
        .outerjoin(ED, ED.c.content_item_id == CI.c.id)
        .outerjoin(SHOW, SHOW.c.id == CI.c.show_id)
    )


def display_title(
    title: str | None,
    kind: str | None,
    show_title: str | None,
    season: int | None,
    episode: int | None,
) -> str:
    """An episode as "Show — S01E02 Title" (what a rundown reads), else the title."""
    text = title or "(untitled)"
    if kind != "episode" or not show_title:
        return text
    numbers = ("" if season is None else f"S{season:02d}") + (
        "" if episode is None else f"E{episode:02d}"
    )
    dash = "\N{EM DASH}"
    return f"{show_title} {dash} {numbers} {text}" if numbers else f"{show_title} {dash} {text}"


def _problem(found: Any) -> str | None:
    if found.status not in LIVE:
        return None
    if found.content_item_id is None:
        return "its item was removed from the catalogue"
    if found.gone_from_source_at is not None:
        return "it is gone from its source"
    if found.file_id is None:
        return "it has no file"
    if found.availability in UNPLAYABLE:
        return _FILE_PROBLEMS.get(found.availability, "its file cannot be played")
    return None


def _rundown_row(found: Any) -> RundownRow:
    if found.content_item_id is None:
        title = "(removed from the catalogue)"
    else:
        title = display_title(
            found.title, found.kind, found.show_title, found.season_number, found.episode_number
        )
    kind = found.item_kind or _KIND_OF_ITEM.get(found.kind or "", "unknown")
    return RundownRow(
        id=found.id,
        starts_at=int(found.starts_at),
        ends_at=int(found.ends_at if found.ends_at is not None else found.starts_at),
        local_start=found.start_time,
        kind=kind,
        title=title,
        content_item_id=found.content_item_id,
        block_id=found.block_id,
        block_name=found.name,
        segment=found.segment,
        offset_ms=found.offset_ms,
        break_number=found.break_number,
        break_seq=found.break_seq,
        status=found.status,
        pick_strategy=found.pick_strategy,
        notes=found.notes,
        availability=found.availability,
        problem=_problem(found),
        programme_id=found.id,
    )


def _rows(session: Session, *where: ColumnElement[bool]) -> list[RundownRow]:
    query = _row_select().where(INST.c.starts_at.is_not(None), *where)
    found = session.execute(query.order_by(INST.c.starts_at, INST.c.id)).all()
    return [_rundown_row(r) for r in found]


def _continues(previous: RundownRow, row: RundownRow) -> bool:
    """Whether `row` is the next part of the programme `previous` is a part of."""
    return (
        previous.kind == PROGRAMME
        and row.kind == PROGRAMME
        and previous.content_item_id == row.content_item_id
        and previous.block_id == row.block_id
        and previous.segment is not None
        and row.segment == previous.segment + 1
    )


def _programmes(rows: Sequence[RundownRow]) -> list[list[RundownRow]]:
    """The rows grouped into programmes (a fill item is a group of its own), air order."""
    groups: list[list[RundownRow]] = []
    last_part: RundownRow | None = None
    for row in rows:
        if row.kind != PROGRAMME:
            groups.append([row])
            continue
        if last_part is not None and _continues(last_part, row):
            for group in reversed(groups):
                if group[0].kind == PROGRAMME:
                    group.append(row)
                    break
        else:
            groups.append([row])
        last_part = row
    return groups


def _with_parts(rows: Sequence[RundownRow]) -> list[RundownRow]:
    out: dict[int, RundownRow] = {}
    for group in _programmes(rows):
        for row in group:
            out[row.id] = replace(row, parts=len(group), programme_id=group[0].id)
    return [out[r.id] for r in rows]


def _hhmm(instant: int, tz: ZoneInfo, day_end: int | None = None) -> str:
    if day_end is not None and instant == day_end:
        return "24:00"
    return clock.local_parts(instant, tz)[1][:5]


def _gaps(intervals: Iterable[tuple[int, int]], lo: int, hi: int) -> tuple[tuple[int, int], ...]:
    """The stretches of [lo, hi) that no interval covers, in time order."""
    clipped = sorted((max(a, lo), min(b, hi)) for a, b in intervals if a < hi and b > lo)
    gaps: list[tuple[int, int]] = []
    reach = lo
    for a, b in clipped:
        if a > reach:
            gaps.append((reach, a))
        reach = max(reach, b)
    if reach < hi:
        gaps.append((reach, hi))
    return tuple(gaps)


def _windows(
    session: Session, channel_id: int, day: date, tz: ZoneInfo, lo: int, hi: int
) -> list[BlockWindow]:
    """The day's block windows (the day before's block running past midnight included),
    each clipped to the day, with the seconds no live row covers."""
    listed = list_blocks(session, channel_id)
    spans = [
        (o, max(o.starts_at, lo), min(o.ends_at, hi))
        for o in occurrences(listed, day - timedelta(days=1), 2, tz)
    ]
    spans = [(o, a, b) for o, a, b in spans if a < b]
    if not spans:
        return []
    low, high = min(a for _, a, _ in spans), max(b for _, _, b in spans)
    touching = session.execute(
        select(INST.c.starts_at, INST.c.ends_at, INST.c.status).where(
            INST.c.channel_id == channel_id,
            INST.c.starts_at < high,
            INST.c.ends_at > low,
        )
    ).all()
    live = [(int(s), int(e)) for s, e, status in touching if status != "canceled"]
    every = [(int(s), int(e)) for s, e, _ in touching]
    out = []
    for o, a, b in spans:
        gaps = _gaps(live, a, b)
        out.append(
            BlockWindow(
                block_id=o.block_id,
                name=o.name,
                starts_at=a,
                ends_at=b,
                unfilled_seconds=sum(y - x for x, y in gaps),
                has_rows=_gaps(every, a, b) != ((a, b),),
                gaps=gaps,
            )
        )
    return out


def day_rundown(session: Session, channel_id: int, day: date, tz: ZoneInfo) -> Rundown:
    """The channel's log for its local `day`: rows, block windows, totals, warnings."""
    lo, hi = clock.day_bounds(day, tz)
    rows = _with_parts(
        _rows(
            session,
            INST.c.channel_id == channel_id,
            INST.c.starts_at >= lo,
            INST.c.starts_at < hi,
        )
    )
    windows = _windows(session, channel_id, day, tz, lo, hi)
    earlier = _rows(
        session,
        INST.c.channel_id == channel_id,
        INST.c.starts_at >= lo - clock.SECONDS_PER_DAY,
        INST.c.starts_at < lo,
        INST.c.ends_at > lo,
        INST.c.status != "canceled",
    )
    live = [r for r in rows if not r.canceled]
    fill = sum(r.seconds for r in live if r.is_fill)
    programme = sum(r.seconds for r in live if not r.is_fill)

    warnings: list[tuple[int, str]] = []
    any_rows = any(w.has_rows for w in windows) or bool(rows)
    for w in windows:
        span = f"“{w.name}” {_hhmm(w.starts_at, tz)}\N{EN DASH}{_hhmm(w.ends_at, tz, hi)}"
        if not w.has_rows:
            if any_rows:
                warnings.append(
                    (w.starts_at, f"{span} has nothing planned: build or re-plan this day.")
                )
        elif w.unfilled_seconds >= UNFILLED_WARNING_SECONDS:
            warnings.append((w.starts_at, f"{span} has {duration(w.unfilled_seconds)} unfilled."))
    previous: RundownRow | None = None
    for row in rows:
        first_part = previous is None or not _continues(previous, row)
        if row.kind == PROGRAMME:
            previous = row
        if row.problem is not None and first_part:
            warnings.append(
                (
                    row.starts_at,
                    f"“{row.title}” at {row.local_start[:5]} can no longer be played:"
                    f" {row.problem}.",
                )
            )
    warnings.sort(key=lambda pair: pair[0])
    return Rundown(
        channel_id=channel_id,
        day=day,
        starts_at=lo,
        ends_at=hi,
        rows=tuple(rows),
        windows=tuple(windows),
        programme_seconds=programme,
        fill_seconds=fill,
        unfilled_seconds=sum(w.unfilled_seconds for w in windows),
        warnings=tuple(text for _, text in warnings),
        earlier=tuple(earlier),
    )


def missing_rows(ids: Iterable[int]) -> ScheduleError:
    """The refusal when rows an edit names have gone (a rebuild removed them, say)."""
    return ScheduleError(
        "That log entry no longer exists; the rundown will show the day as it is now.",
        detail=f"schedule instances {sorted(ids)} not found",
    )


def _one_row(session: Session, instance_id: int) -> RundownRow:
    found = _rows(session, INST.c.id == instance_id)
    if not found:
        raise missing_rows([instance_id])
    return found[0]


def programme_rows(session: Session, instance_id: int) -> list[RundownRow]:
    """Every part of the programme this row belongs to (a fill item: just the row)."""
    row = _one_row(session, instance_id)
    if row.kind != PROGRAMME or row.segment is None:
        return [row]
    channel = session.execute(
        select(INST.c.channel_id).where(INST.c.id == instance_id)
    ).scalar_one()
    same_block = (
        INST.c.block_id.is_(None) if row.block_id is None else INST.c.block_id == row.block_id
    )
    near = _rows(
        session,
        INST.c.channel_id == channel,
        same_block,
        or_(INST.c.item_kind == PROGRAMME, INST.c.item_kind.is_(None)),
        INST.c.starts_at >= row.starts_at - _PART_SPAN,
        INST.c.starts_at <= row.starts_at + _PART_SPAN,
    )
    near = [r for r in near if r.kind == PROGRAMME]
    at = next(i for i, r in enumerate(near) if r.id == row.id)
    first = at
    while first > 0 and near[first].segment != 1 and _continues(near[first - 1], near[first]):
        first -= 1
    last = at
    while last + 1 < len(near) and _continues(near[last], near[last + 1]):
        last += 1
    return near[first : last + 1]
