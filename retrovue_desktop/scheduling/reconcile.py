"""Reconciliation of a channel's day: the plan (programme log) beside what aired (play
log), row by row, with what differs; no Qt.

The plan is the day's schedule_instances that are not canceled; what aired is the
channel's play_log rows starting in the same local day. A play row is paired with the
instance it names (`schedule_instance_id`) first; the rest are paired by content item,
closest start first, within `window_seconds`. A pair whose start differs by more than
the tolerance started late or early (by that many seconds); unpaired plan rows were
planned but not aired, unpaired play rows aired but not planned.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from retrovue_desktop.store.editorial import effective_title
from retrovue_desktop.store.tables import CI, ED, PLAYS, SHOW
from retrovue_desktop.store.tables import INSTANCES as INST

from . import clock
from .play_times import from_text, to_text
from .programme_log import display_title

AS_PLANNED = "aired as planned"
LATE = "started late"
EARLY = "started early"
NOT_AIRED = "planned but not aired"
UNPLANNED = "aired but not planned"
OUTCOMES = (AS_PLANNED, LATE, EARLY, NOT_AIRED, UNPLANNED)

DEFAULT_TOLERANCE_SECONDS = 30
# How far apart a play and a plan row of the same item may start and still be paired.
DEFAULT_WINDOW_SECONDS = 3 * 3600


@dataclass(frozen=True)
class PlanRow:
    """A programme-log row of the day."""

    id: int
    starts_at: int
    ends_at: int
    kind: str
    content_item_id: int | None
    title: str
    status: str


@dataclass(frozen=True)
class AiredRow:
    """A play-log row of the day."""

    id: int
    starts_at: int
    ends_at: int | None
    kind: str
    content_item_id: int | None
    title: str
    schedule_instance_id: int | None
    notes: str | None


@dataclass(frozen=True)
class Line:
    """One line of the reconciliation: a plan row, a play row, or both paired.
    `difference` is aired start minus planned start in seconds (pairs only)."""

    planned: PlanRow | None
    aired: AiredRow | None
    outcome: str

    @property
    def difference(self) -> int | None:
        if self.planned is None or self.aired is None:
            return None
        return self.aired.starts_at - self.planned.starts_at

    @property
    def starts_at(self) -> int:
        row = self.planned or self.aired
        assert row is not None
        return row.starts_at


@dataclass(frozen=True)
class Reconciliation:
    channel_id: int
    day: date
    zone: str
    tolerance_seconds: int
    lines: tuple[Line, ...]

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        """Lines per outcome, every outcome present (zero included), in OUTCOMES order."""
        found = Counter(line.outcome for line in self.lines)
        return {outcome: found[outcome] for outcome in OUTCOMES}


def _title(found: Any) -> str:
    if found.content_item_id is None:
        return "(no catalogue item)"
    return display_title(
        found.title, found.ci_kind, found.show_title, found.season_number, found.episode_number
    )


def _titled(*columns: Any) -> Any:
    return select(
        *columns,
        effective_title().label("title"),
        CI.c.kind.label("ci_kind"),
        SHOW.c.title.label("show_title"),
        CI.c.season_number,
        CI.c.episode_number,
    )


def _plan(session: Session, channel_id: int, lo: int, hi: int) -> list[PlanRow]:
    query = _titled(
        INST.c.id,
        INST.c.starts_at,
        INST.c.ends_at,
        INST.c.item_kind,
        INST.c.content_item_id,
        INST.c.status,
    ).select_from(
        INST.outerjoin(CI, CI.c.id == INST.c.content_item_id)
        .outerjoin(ED, ED.c.content_item_id == CI.c.id)
        .outerjoin(SHOW, SHOW.c.id == CI.c.show_id)
    )
    found = session.execute(
        query.where(
            INST.c.channel_id == channel_id,
            INST.c.starts_at >= lo,
            INST.c.starts_at < hi,
            INST.c.status != "canceled",
        ).order_by(INST.c.starts_at, INST.c.id)
    ).all()
    return [
        PlanRow(
            id=r.id,
            starts_at=int(r.starts_at),
            ends_at=int(r.ends_at if r.ends_at is not None else r.starts_at),
            kind=r.item_kind or "unknown",
            content_item_id=r.content_item_id,
            title=_title(r),
            status=r.status,
        )
        for r in found
    ]


def _aired(session: Session, channel_id: int, lo: int, hi: int) -> list[AiredRow]:
    # Rows RetroVue wrote compare as text; a day's margin either side lets rows written
    # with another offset in, and the exact instant decides below.
    margin = clock.SECONDS_PER_DAY
    query = _titled(
        PLAYS.c.id,
        PLAYS.c.ts_start,
        PLAYS.c.ts_end,
        PLAYS.c.item_kind,
        PLAYS.c.content_item_id,
        PLAYS.c.schedule_instance_id,
        PLAYS.c.notes,
    ).select_from(
        PLAYS.outerjoin(CI, CI.c.id == PLAYS.c.content_item_id)
        .outerjoin(ED, ED.c.content_item_id == CI.c.id)
        .outerjoin(SHOW, SHOW.c.id == CI.c.show_id)
    )
    found = session.execute(
        query.where(
            and_(
                PLAYS.c.channel_id == channel_id,
                PLAYS.c.ts_start >= to_text(lo - margin),
                PLAYS.c.ts_start < to_text(hi + margin),
            )
        ).order_by(PLAYS.c.ts_start, PLAYS.c.id)
    ).all()
    out = []
    for r in found:
        start = from_text(r.ts_start)
        if start is None or not lo <= start < hi:
            continue
        out.append(
            AiredRow(
                id=r.id,
                starts_at=start,
                ends_at=from_text(r.ts_end),
                kind=r.item_kind,
                content_item_id=r.content_item_id,
                title=_title(r),
                schedule_instance_id=r.schedule_instance_id,
                notes=r.notes,
            )
        )
    out.sort(key=lambda a: (a.starts_at, a.id))
    return out


def _outcome(planned: PlanRow, aired: AiredRow, tolerance: int) -> str:
    difference = aired.starts_at - planned.starts_at
    if difference > tolerance:
        return LATE
    if difference < -tolerance:
        return EARLY
    return AS_PLANNED


def pair(
    plan: Sequence[PlanRow],
    aired: Sequence[AiredRow],
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    window_seconds: int = DEFAULT_WINDOW_SECONDS,
) -> list[Line]:
    """The lines of plan beside aired, in time order (see the module's docstring)."""
    by_id = {p.id: p for p in plan}
    matched: dict[int, AiredRow] = {}  # plan id -> its play
    loose: list[AiredRow] = []
    for a in aired:
        linked = a.schedule_instance_id
        if linked is not None and linked in by_id and linked not in matched:
            matched[linked] = a
        else:
            loose.append(a)
    # Then by item: every (plan, play) of the same item within the window, closest first.
    candidates = sorted(
        (abs(a.starts_at - p.starts_at), p.starts_at, a.starts_at, p.id, a.id, p, a)
        for p in plan
        if p.id not in matched and p.content_item_id is not None
        for a in loose
        if a.content_item_id == p.content_item_id
        and abs(a.starts_at - p.starts_at) <= window_seconds
    )
    used: set[int] = set()
    for *_, p, a in candidates:
        if p.id in matched or a.id in used:
            continue
        matched[p.id] = a
        used.add(a.id)
    lines = [
        Line(p, matched[p.id], _outcome(p, matched[p.id], tolerance_seconds))
        if p.id in matched
        else Line(p, None, NOT_AIRED)
        for p in plan
    ]
    paired = {a.id for a in matched.values()}
    lines += [Line(None, a, UNPLANNED) for a in aired if a.id not in paired]
    lines.sort(key=lambda line: (line.starts_at, line.planned is None, _line_id(line)))
    return lines


def _line_id(line: Line) -> int:
    row = line.planned or line.aired
    assert row is not None
    return row.id


def reconcile(
    session: Session,
    channel_id: int,
    day: date,
    tz: ZoneInfo,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    window_seconds: int = DEFAULT_WINDOW_SECONDS,
) -> Reconciliation:
    """The channel's local `day`: plan beside what aired, each line with its outcome."""
    lo, hi = clock.day_bounds(day, tz)
    lines = pair(
        _plan(session, channel_id, lo, hi),
        _aired(session, channel_id, lo, hi),
        max(0, tolerance_seconds),
        window_seconds,
    )
    return Reconciliation(channel_id, day, tz.key, max(0, tolerance_seconds), tuple(lines))


CSV_COLUMNS = (
    "outcome",
    "difference_seconds",
    "planned_start",
    "planned_end",
    "planned_kind",
    "planned_title",
    "schedule_instance_id",
    "aired_start",
    "aired_end",
    "aired_kind",
    "aired_title",
    "play_id",
    "aired_notes",
)


def _local(instant: int | None, tz: ZoneInfo) -> str:
    return "" if instant is None else datetime.fromtimestamp(instant, tz).isoformat()


def to_csv(reconciliation: Reconciliation, out: TextIO) -> int:
    """Write the lines as CSV with a header (times ISO 8601 in the channel's zone, with
    their offset); returns how many lines were written."""
    tz = clock.zone(reconciliation.zone)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in reconciliation.lines:
        p, a = line.planned, line.aired
        difference = line.difference
        writer.writerow(
            (
                line.outcome,
                "" if difference is None else difference,
                _local(p.starts_at, tz) if p else "",
                _local(p.ends_at, tz) if p else "",
                p.kind if p else "",
                p.title if p else "",
                p.id if p else "",
                _local(a.starts_at, tz) if a else "",
                _local(a.ends_at, tz) if a else "",
                a.kind if a else "",
                a.title if a else "",
                a.id if a else "",
                (a.notes or "") if a else "",
            )
        )
    return len(reconciliation.lines)
