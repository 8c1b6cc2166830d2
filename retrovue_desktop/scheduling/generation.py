"""The programme log: a channel's weekly grid turned into dated rows, exact to the second.

`build` plans a channel's dates in time order. For each block window (`occurrences`) it
picks programmes by the block's strategy (DESIGN.md, "Strategies"):

- `series`: the shows' next episodes in season and episode order, continuing from the
  last one scheduled or aired on the channel and wrapping at the end; with several shows,
  the one that aired least recently goes next;
- `specific`: the named items in list order, continuing from where the block left off;
- `collection`: a seeded shuffle with no repeat until every match has aired;
- `auto`: least recently scheduled or aired first.

Only playable items under the ceiling are ever picked (`eligibility`, `matching`), and a
programme never runs past its window. The block's ad policy then cuts the programmes at
break points (`breaks`) and fills the breaks and the end of the window from ads, promos
and bumpers (`layout`). Each programme part and each fill item is one schedule_instances
row with its UTC times, kind, part number and break position.

A rebuild replaces only `planned` rows of the range: approved and played rows stay and
the rest is planned around them, and the history before the range (programme log and
play log) decides where each rotation continues. The same grid, catalogue, history and
seed give the same rows. Nothing is committed here: the caller's transaction holds the
whole build, so a cancelled or failed build leaves the log as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.orm import Session

from retrovue_desktop.progress import CancelFn, ProgressFn, never_cancelled, no_progress
from retrovue_desktop.store.channels import get_channel
from retrovue_desktop.store.tables import CI, INSTANCES
from retrovue_desktop.words import count, duration

from . import ad_rules, clock
from .ad_policies import list_policies
from .blocks import list_blocks
from .errors import BuildCancelled, ScheduleError
from .history import ChannelHistory, Kept
from .layout import ROW_COLUMNS, Layout
from .occurrences import Occurrence, occurrences
from .picking import Picker, PoolCache
from .rotation import shuffle_key

log = logging.getLogger(__name__)

MAX_DAYS = 366
MAX_WARNINGS = 200
# Seconds left over at a block's end that earn a warning: less is the usual remainder
# when no fill item is short enough, counted in the totals but not worth a line.
UNFILLED_WARNING_SECONDS = 30
_WRITE_BATCH = 1_000


@dataclass(frozen=True)
class BuildRequest:
    """Which channel, which dates (in the channel's zone), and the shuffle's seed."""

    channel_id: int
    first_day: date
    days: int
    seed: int = 0


@dataclass
class BuildReport:
    """What a build did, for the status line and the command line."""

    written: int = 0
    removed: int = 0
    kept: int = 0
    programmes: int = 0
    unfilled_seconds: int = 0
    warnings: list[str] = field(default_factory=list)

    def warn(self, sentence: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(sentence)

    def summary(self) -> str:
        return (
            f"{count(self.written, 'log row')} written ({count(self.programmes, 'programme')}),"
            f" {count(self.removed, 'planned row')} replaced,"
            f" {count(self.kept, 'approved or played row')} kept;"
            f" {duration(self.unfilled_seconds)} unfilled."
        )


def _range_bounds(
    blocks: Iterable[Any], request: BuildRequest, tz: ZoneInfo, occs: list[Occurrence]
) -> tuple[int, int]:
    """[lo, hi): the UTC span whose planned rows the build replaces: its dates, minus the
    tail of the day before's block that runs past midnight into them, plus the tail of
    its last block past the last date."""
    lo, _ = clock.day_bounds(request.first_day, tz)
    hi, _ = clock.day_bounds(request.first_day + timedelta(days=request.days), tz)
    for before in occurrences(blocks, request.first_day - timedelta(days=1), 1, tz):
        lo = max(lo, before.ends_at)
    if occs:
        hi = max(hi, max(o.ends_at for o in occs))
    return lo, hi


def _policies(session: Session, report: BuildReport) -> dict[int, ad_rules.AdRules | None]:
    """Every ad policy's rules; an unreadable one gives its blocks no breaks, said once."""
    policies: dict[int, ad_rules.AdRules | None] = {}
    for policy in list_policies(session):
        policies[policy.id] = policy.rules
        if policy.problem:
            report.warn(
                f"Ad policy “{policy.name}” is unreadable, so its blocks get no"
                f" breaks: {policy.problem}"
            )
    return policies


def _cancelled() -> BuildCancelled:
    return BuildCancelled("The build was cancelled; the programme log is unchanged.")


def _check(request: BuildRequest) -> None:
    if not 1 <= request.days <= MAX_DAYS:
        raise ScheduleError(
            f"A build covers 1 to {MAX_DAYS} days; ask for fewer days.",
            detail=f"days={request.days}",
        )


def build(
    session: Session,
    request: BuildRequest,
    *,
    station_zone: str,
    station_ceiling: str | None,
    progress: ProgressFn = no_progress,
    cancelled: CancelFn = never_cancelled,
    cache: PoolCache | None = None,
) -> BuildReport:
    """Plan the channel's log for the request's dates in the caller's transaction.

    Pass one `cache` to the builds of one action (several channels) to read each pool
    once.

    Raises BuildCancelled when `cancelled()` turns true (checked between block windows)
    and ScheduleError sentences for bad input; the caller rolls back either way.
    """
    _check(request)
    channel = get_channel(session, request.channel_id)
    tz = clock.zone(channel.values.time_zone or station_zone)
    ceiling = channel.values.max_rating_code or station_ceiling
    report = BuildReport()
    listed = list_blocks(session, request.channel_id)
    for block in listed:
        if block.problem:
            report.warn(f"“{block.row.values.name}” is left out: {block.problem}")
    occs = occurrences(listed, request.first_day, request.days, tz)
    lo, hi = _range_bounds(listed, request, tz, occs)
    in_range = and_(
        INSTANCES.c.channel_id == request.channel_id,
        INSTANCES.c.starts_at >= lo,
        INSTANCES.c.starts_at < hi,
    )
    progress("Reading the log", 0, len(occs))
    kept = [
        Kept(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] in (None, 1))
        for r in session.execute(
            select(
                INSTANCES.c.starts_at,
                INSTANCES.c.ends_at,
                INSTANCES.c.content_item_id,
                CI.c.show_id,
                CI.c.season_number,
                CI.c.episode_number,
                INSTANCES.c.block_id,
                INSTANCES.c.pick_strategy,
                INSTANCES.c.segment,
            )
            .select_from(INSTANCES.outerjoin(CI, CI.c.id == INSTANCES.c.content_item_id))
            .where(in_range, INSTANCES.c.status.in_(("approved", "played")))
            .order_by(INSTANCES.c.starts_at, INSTANCES.c.id)
        )
        if r[1] is not None
    ]
    report.kept = len(kept)
    history = ChannelHistory(session, request.channel_id)
    history.load(lo)
    history.note_kept(kept)
    seed = shuffle_key(request.seed, request.channel_id)
    picker = Picker(session, cache or PoolCache(), history, ceiling, seed, report.warn)
    planner = Layout(picker, _policies(session, report), tz, request.channel_id)
    next_kept = 0
    for done, occ in enumerate(occs):
        if cancelled():
            raise _cancelled()
        if done % 16 == 0:
            progress("Planning", done, len(occs))
        free_from = occ.starts_at
        numbering = [0]
        unfilled = 0
        while next_kept < len(kept) and kept[next_kept].starts_at < occ.ends_at:
            row = kept[next_kept]
            if row.starts_at > free_from:
                unfilled += planner.plan_window(occ, free_from, row.starts_at, numbering)
            history.apply_kept(row)
            free_from = max(free_from, row.ends_at)
            next_kept += 1
        if free_from < occ.ends_at:
            unfilled += planner.plan_window(occ, free_from, occ.ends_at, numbering)
        report.unfilled_seconds += unfilled
        if unfilled >= UNFILLED_WARNING_SECONDS:
            start = clock.local_parts(occ.starts_at, tz)[1][:5]
            report.warn(
                f"“{occ.name}” on {occ.day:%a %d %b} at {start} has {duration(unfilled)} unfilled."
            )
    if cancelled():
        raise _cancelled()
    progress("Writing the log", len(occs), len(occs))
    removed = session.execute(delete(INSTANCES).where(in_range, INSTANCES.c.status == "planned"))
    report.removed = int(getattr(removed, "rowcount", 0) or 0)
    report.programmes = planner.programmes
    rows = planner.rows
    for first in range(0, len(rows), _WRITE_BATCH):
        if cancelled():
            raise _cancelled()
        batch = [
            dict(zip(ROW_COLUMNS, row, strict=True)) for row in rows[first : first + _WRITE_BATCH]
        ]
        session.execute(insert(INSTANCES), batch)
    report.written = len(rows)
    log.info(
        "built channel %s from %s for %s days: %s",
        request.channel_id,
        request.first_day,
        request.days,
        report.summary(),
    )
    return report
