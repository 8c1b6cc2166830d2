"""The programme log as the operator reads and edits it: a day's rundown with its totals
and warnings, approving, canceling and swapping items, and the undo of each; no Qt.

A day is the channel's local day (`clock.day_bounds`): the rows whose `starts_at` falls
in it, in air order, read with their titles, block and file in a few set-based queries.
A programme cut by breaks is several rows (segment 1..n, fill rows between them); the
operator acts on the programme, so canceling or swapping any part acts on all of them.
Unfilled time is counted per block window, clipped to the day (a block of the day before
that runs past midnight counts here from midnight); like the build, only windows with
`UNFILLED_WARNING_SECONDS` or more unfilled earn a warning, smaller remainders count in
the totals.

Every function works in the caller's session and never commits: the caller makes one
transaction of each operator action. Refusals are ScheduleError sentences raised before
anything is written. Each write returns what it changed, so that an undo (`revert`,
`restore_rows`) and a redo (`reapply`, or the same call again) put it back exactly, or
refuse when the log has moved on underneath.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select, update
from sqlalchemy.orm import Session

from retrovue_desktop.store.editorial import effective_title
from retrovue_desktop.store.tables import BLOCKS, CI, CIF, ED, MF, SHOW
from retrovue_desktop.store.tables import INSTANCES as INST

from . import clock, constraints
from .blocks import get_blocks, list_blocks
from .constraints import Constraints, SelectionConstraints, effective_ceiling
from .eligibility import FILL_KINDS, UNPLAYABLE, candidates, fill_query, playable
from .errors import ScheduleError
from .generation import UNFILLED_WARNING_SECONDS, duration_words
from .matching import matching_ids
from .occurrences import occurrences

PROGRAMME = "program"
LIVE = ("planned", "approved")  # what the operator may still change
MAX_APPROVE_DAYS = 366
SWAP_LIMIT = 200
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


@dataclass(frozen=True)
class StatusChange:
    """One row's status before and after an approve or cancel (undo and redo)."""

    id: int
    before: str
    after: str


@dataclass(frozen=True)
class RowSnapshot:
    """The columns a swap changes, as they were (undo)."""

    id: int
    content_item_id: int | None
    show_id: int | None
    item_kind: str | None
    pick_strategy: str
    status: str
    notes: str | None
    ends_at: int | None
    end_time: str
    offset_ms: int | None


@dataclass(frozen=True)
class SwapTarget:
    """What a swap replaces: the programme (all its live parts) or the fill item."""

    instance_ids: tuple[int, ...]
    title: str
    kind: str
    seconds: int  # air time the replacement may use
    content_item_id: int | None
    block_id: int | None
    local_start: str

    @property
    def is_fill(self) -> bool:
        return self.kind in FILL_KINDS


@dataclass(frozen=True)
class SwapCandidate:
    """An item the picker offers."""

    id: int
    title: str
    kind: str
    seconds: int
    rating: str | None


# -- reading -----------------------------------------------------------------------------


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
            warnings.append(
                (w.starts_at, f"{span} has {duration_words(w.unfilled_seconds)} unfilled.")
            )
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


# -- status: approve, cancel, and their undo ---------------------------------------------


def approve(
    session: Session, channel_id: int, first_day: date, days: int, tz: ZoneInfo
) -> list[StatusChange]:
    """`planned` → `approved` for the rows starting on the `days` local dates from
    `first_day`; returns the rows changed (how many: its length)."""
    if not 1 <= days <= MAX_APPROVE_DAYS:
        raise ScheduleError(
            f"Approve 1 to {MAX_APPROVE_DAYS} days at a time.", detail=f"days={days}"
        )
    lo = clock.day_bounds(first_day, tz)[0]
    hi = clock.day_bounds(first_day + timedelta(days=days - 1), tz)[1]
    where = and_(
        INST.c.channel_id == channel_id,
        INST.c.starts_at >= lo,
        INST.c.starts_at < hi,
        INST.c.status == "planned",
    )
    ids = list(session.execute(select(INST.c.id).where(where).order_by(INST.c.id)).scalars())
    if ids:
        session.execute(update(INST).where(INST.c.id.in_(ids)).values(status="approved"))
    return [StatusChange(i, "planned", "approved") for i in ids]


def _missing(ids: Iterable[int]) -> ScheduleError:
    return ScheduleError(
        "That log entry no longer exists; the rundown will show the day as it is now.",
        detail=f"schedule instances {sorted(ids)} not found",
    )


def _moved_on() -> ScheduleError:
    return ScheduleError(
        "The programme log changed since; the rundown will show it as it is now.",
        detail="status or rows differ from the recorded change",
    )


def _set_statuses(session: Session, pairs: Sequence[tuple[int, str, str]]) -> None:
    """Move each row from its expected status to the new one, all or none."""
    if not pairs:
        return
    ids = [i for i, _, _ in pairs]
    now = dict(session.execute(select(INST.c.id, INST.c.status).where(INST.c.id.in_(ids))).all())
    if len(now) != len(set(ids)):
        raise _missing(set(ids) - set(now))
    if any(now[i] != expected for i, expected, _ in pairs):
        raise _moved_on()
    by_status: dict[str, list[int]] = {}
    for i, _, wanted in pairs:
        by_status.setdefault(wanted, []).append(i)
    for wanted, chosen in by_status.items():
        session.execute(update(INST).where(INST.c.id.in_(chosen)).values(status=wanted))


def revert(session: Session, changes: Sequence[StatusChange]) -> None:
    """Undo an approve or cancel: each row back from `after` to `before`."""
    _set_statuses(session, [(c.id, c.after, c.before) for c in changes])


def reapply(session: Session, changes: Sequence[StatusChange]) -> None:
    """Redo an approve or cancel exactly as it was done."""
    _set_statuses(session, [(c.id, c.before, c.after) for c in changes])


def _one_row(session: Session, instance_id: int) -> RundownRow:
    found = _rows(session, INST.c.id == instance_id)
    if not found:
        raise _missing([instance_id])
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


def cancel(session: Session, instance_ids: Iterable[int]) -> list[StatusChange]:
    """Cancel the rows and every other part of their programmes; rows already canceled
    are passed over, a played one refuses the whole cancel. Returns what changed."""
    wanted: dict[int, RundownRow] = {}
    for instance_id in dict.fromkeys(instance_ids):
        if instance_id in wanted:
            continue
        for row in programme_rows(session, instance_id):
            wanted[row.id] = row
    played = [r for r in wanted.values() if r.status == "played"]
    if played:
        first = min(played, key=lambda r: r.starts_at)
        raise ScheduleError(
            f"“{first.title}” at {first.local_start[:5]} has already aired, so it cannot be"
            " canceled.",
            detail=f"schedule instance {first.id} is played",
        )
    changes = [
        StatusChange(r.id, r.status, "canceled")
        for r in sorted(wanted.values(), key=lambda r: (r.starts_at, r.id))
        if r.status in LIVE
    ]
    _set_statuses(session, [(c.id, c.before, c.after) for c in changes])
    return changes


# -- swapping ----------------------------------------------------------------------------


def swap_target(session: Session, instance_id: int) -> SwapTarget:
    """What swapping this row replaces, or a sentence why it cannot be swapped."""
    rows = programme_rows(session, instance_id)
    head = rows[0]
    if any(r.status == "played" for r in rows):
        raise ScheduleError(
            f"“{head.title}” at {head.local_start[:5]} has already aired; it cannot be swapped.",
            detail=f"programme of instance {instance_id} has played parts",
        )
    live = [r for r in rows if r.status in LIVE]
    if not live:
        raise ScheduleError(
            f"“{head.title}” at {head.local_start[:5]} is canceled; there is nothing to swap.",
            detail=f"programme of instance {instance_id} is canceled",
        )
    return SwapTarget(
        instance_ids=tuple(r.id for r in live),
        title=head.title,
        kind=head.kind,
        seconds=sum(r.seconds for r in live),
        content_item_id=head.content_item_id,
        block_id=head.block_id,
        local_start=live[0].local_start,
    )


def _block_rule(session: Session, block_id: int | None) -> tuple[str, Constraints]:
    """The block's strategy and constraints; a block that has gone matches like an
    `auto` block without constraints (any programme under the channel's ceiling)."""
    if block_id is None:
        return "auto", SelectionConstraints()
    try:
        (row,) = get_blocks(session, [block_id])
    except ScheduleError:
        return "auto", SelectionConstraints()
    return row.values.strategy, constraints.parse(row.values.constraints_json, row.values.strategy)


def _search_clause(text: str) -> ColumnElement[bool] | None:
    words = text.split()
    if not words:
        return None
    clauses = []
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        clauses.append(
            or_(
                effective_title().ilike(pattern, escape="\\"),
                SHOW.c.title.ilike(pattern, escape="\\"),
            )
        )
    return and_(*clauses)


def _eligible(session: Session, target: SwapTarget, channel_ceiling: str | None) -> Select[Any]:
    """The `playable` query of what the target's slot may air, and its length limit."""
    milliseconds = func.coalesce(CI.c.duration_ms, MF.c.duration_ms)
    limits: list[ColumnElement[bool]] = [milliseconds <= target.seconds * 1000]
    if target.content_item_id is not None:
        limits.append(CI.c.id != target.content_item_id)
    strategy, rule = _block_rule(session, target.block_id)
    if target.is_fill:
        selection = rule if isinstance(rule, SelectionConstraints) else None
        ceiling = effective_ceiling(selection.max_rating if selection else None, channel_ceiling)
        allow_unrated = selection.allow_unrated if selection else False
        return fill_query([target.kind], ceiling, allow_unrated).where(*limits)
    return playable(matching_ids(strategy, rule, channel_ceiling), *limits)


def swap_candidates(
    session: Session,
    instance_id: int,
    channel_ceiling: str | None,
    limit: int = SWAP_LIMIT,
    text: str = "",
) -> list[SwapCandidate]:
    """Items that could take the row's place: for a programme, what its block could air
    (playable, under the ceiling) that fits in the programme's air time; for a fill
    item, playable items of its kind no longer than it. Longest first (the closest
    fit), then by title; `text` keeps those whose title or show has every word."""
    target = swap_target(session, instance_id)
    fits = _eligible(session, target, channel_ceiling).subquery()
    milliseconds = list(fits.c)[1]
    title = effective_title()
    search = _search_clause(text)
    outer = (
        select(
            fits.c.id,
            milliseconds,
            CI.c.kind,
            title.label("title"),
            SHOW.c.title.label("show_title"),
            CI.c.season_number,
            CI.c.episode_number,
            CI.c.rating_code,
        )
        .select_from(
            fits.join(CI, CI.c.id == fits.c.id)
            .outerjoin(ED, ED.c.content_item_id == CI.c.id)
            .outerjoin(SHOW, SHOW.c.id == CI.c.show_id)
        )
        .order_by(
            milliseconds.desc(),
            func.coalesce(func.lower(title), literal("")),
            fits.c.id,
        )
        .limit(limit)
    )
    if search is not None:
        outer = outer.where(search)
    return [
        SwapCandidate(
            id=r.id,
            title=display_title(r.title, r.kind, r.show_title, r.season_number, r.episode_number),
            kind=r.kind,
            seconds=-(-int(r[1]) // 1000),
            rating=r.rating_code,
        )
        for r in session.execute(outer)
    ]


def _snapshots(session: Session, ids: Sequence[int]) -> list[RowSnapshot]:
    found = session.execute(
        select(
            INST.c.id,
            INST.c.content_item_id,
            INST.c.show_id,
            INST.c.item_kind,
            INST.c.pick_strategy,
            INST.c.status,
            INST.c.notes,
            INST.c.ends_at,
            INST.c.end_time,
            INST.c.offset_ms,
        ).where(INST.c.id.in_(list(ids)))
    ).all()
    order = {instance_id: n for n, instance_id in enumerate(ids)}
    return [
        RowSnapshot(
            id=r.id,
            content_item_id=r.content_item_id,
            show_id=r.show_id,
            item_kind=r.item_kind,
            pick_strategy=r.pick_strategy,
            status=r.status,
            notes=r.notes,
            ends_at=r.ends_at,
            end_time=r.end_time,
            offset_ms=r.offset_ms,
        )
        for r in sorted(found, key=lambda r: order[r.id])
    ]


def swap(session: Session, instance_id: int, new_item_id: int, tz: ZoneInfo) -> list[RowSnapshot]:
    """Put `new_item_id` in place of the row's programme (or fill item), in place.

    A programme's parts keep their places and lengths: the new item is cut at the same
    points (`offset_ms` accumulating), its last part shortened to what is left of it and
    parts beyond its end canceled; a fill row keeps its start and ends where the new
    item does. `tz` (the channel's zone) writes the wall-clock end. Refuses an item that
    cannot be played, is of the wrong kind, or is longer than the air time. Returns the
    rows as they were, for `restore_rows`.
    """
    target = swap_target(session, instance_id)
    found = candidates(session, playable(select(CI.c.id).where(CI.c.id == new_item_id)))
    named = session.execute(
        select(effective_title(), CI.c.kind)
        .select_from(CI.outerjoin(ED, ED.c.content_item_id == CI.c.id))
        .where(CI.c.id == new_item_id)
    ).first()
    if named is None:
        raise ScheduleError(
            "That item is no longer in the catalogue; choose another.",
            detail=f"content item {new_item_id} not found",
        )
    new_title = named[0] or "(untitled)"
    if not found:
        raise ScheduleError(
            f"“{new_title}” cannot be played (its file is missing, unavailable or of unknown"
            " length); choose another.",
            detail=f"content item {new_item_id} is not playable",
        )
    item = found[0]
    if target.is_fill and item.kind != target.kind:
        raise ScheduleError(
            f"“{new_title}” is not of the same kind as the {target.kind} it would replace.",
            detail=f"kind {item.kind} for a {target.kind} row",
        )
    if not target.is_fill and item.kind in FILL_KINDS:
        raise ScheduleError(
            f"“{new_title}” is an {item.kind}, not a programme; choose a programme.",
            detail=f"kind {item.kind} for a programme",
        )
    if item.seconds > target.seconds:
        raise ScheduleError(
            f"“{new_title}” ({duration_words(item.seconds)}) is longer than the"
            f" {duration_words(target.seconds)} “{target.title}” has on air; choose a"
            " shorter one.",
            detail=f"item {item.id}: {item.seconds} s > {target.seconds} s",
        )
    ids = list(target.instance_ids)
    before = _snapshots(session, ids)
    note = f"Swapped in by the operator (was “{target.title}”)"
    starts = dict(
        session.execute(select(INST.c.id, INST.c.starts_at).where(INST.c.id.in_(ids))).all()
    )
    ends = {s.id: s.ends_at for s in before}
    left, offset = item.seconds, 0
    for instance_id_ in ids:
        start = int(starts[instance_id_])
        length = int(ends[instance_id_] or start) - start
        values: dict[str, Any] = {"notes": note, "pick_strategy": "specific"}
        if left <= 0:
            values["status"] = "canceled"
        else:
            used = min(length, left)
            values.update(
                content_item_id=item.id,
                show_id=item.show_id,
                ends_at=start + used,
                end_time=clock.local_parts(start + used, tz)[1],
            )
            if target.is_fill:
                values["item_kind"] = item.kind
            else:
                values["offset_ms"] = offset * 1000
            left -= used
            offset += used
        session.execute(update(INST).where(INST.c.id == instance_id_).values(**values))
    return before


def restore_rows(session: Session, snapshots: Sequence[RowSnapshot]) -> None:
    """Undo a swap: the rows back as they were (refused when one has gone)."""
    ids = [s.id for s in snapshots]
    present = set(session.execute(select(INST.c.id).where(INST.c.id.in_(ids))).scalars())
    if present != set(ids):
        raise _missing(set(ids) - present)
    for s in snapshots:
        session.execute(
            update(INST)
            .where(INST.c.id == s.id)
            .values(
                content_item_id=s.content_item_id,
                show_id=s.show_id,
                item_kind=s.item_kind,
                pick_strategy=s.pick_strategy,
                status=s.status,
                notes=s.notes,
                ends_at=s.ends_at,
                end_time=s.end_time,
                offset_ms=s.offset_ms,
            )
        )
