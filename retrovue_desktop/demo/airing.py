"""The demo's last few days on air: approved, marked as aired, and on one channel's
last day recorded item by item with the slips a real night has, so that the play log
and its reconciliation have something to show.

Everything goes through the scheduling layer's own actions (`log_status.approve`,
`play_recording.mark_aired`, `mark_instances_aired`, `start_play`, `end_play`), as the
operator's clicks and a playout's reports would; only the late programme's `played`
status is set directly, since no action records "aired, but not as planned".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from retrovue_desktop.scheduling import clock
from retrovue_desktop.scheduling.log_status import approve
from retrovue_desktop.scheduling.play_recording import (
    end_play,
    mark_aired,
    mark_instances_aired,
    start_play,
)
from retrovue_desktop.store.tables import CI, CIF, PLAYS
from retrovue_desktop.store.tables import INSTANCES as INST

PAST_DAYS = 3  # days before `today` that have aired
AHEAD_DAYS = 2  # today and tomorrow are approved, not yet aired
LATE_SECONDS = 95
SIGN_ON_BUMPER = "Sign-On Chime"


@dataclass(frozen=True)
class Slips:
    """What went differently on the channel's last day (instance ids, play id)."""

    late_instance: int | None = None
    missed_instance: int | None = None
    unplanned_play: int | None = None


def _file_of(session: Session, item_id: int | None) -> int | None:
    if item_id is None:
        return None
    found = session.execute(
        select(func.min(CIF.c.media_file_id)).where(
            CIF.c.content_item_id == item_id, CIF.c.role == "primary"
        )
    ).scalar()
    return int(found) if found is not None else None


def _with_slips(session: Session, channel_id: int, day: date, tz: ZoneInfo) -> Slips:
    """Air the day's approved rows, except: the first programme from 17:00 started
    LATE_SECONDS late (recorded by start/end as a playout would), the first ad from
    20:00 never aired, and a sign-on ident nobody planned went out before the first
    block."""
    lo, hi = clock.day_bounds(day, tz)
    rows = session.execute(
        select(
            INST.c.id,
            INST.c.starts_at,
            INST.c.ends_at,
            INST.c.item_kind,
            INST.c.segment,
            INST.c.content_item_id,
        )
        .where(
            INST.c.channel_id == channel_id,
            INST.c.status == "approved",
            INST.c.starts_at >= lo,
            INST.c.starts_at < hi,
        )
        .order_by(INST.c.starts_at, INST.c.id)
    ).all()
    evening, night = lo + 17 * 3600, lo + 20 * 3600
    late = next(
        (r for r in rows if r.item_kind == "program" and r.segment == 1 and r.starts_at >= evening),
        None,
    )
    missed = next((r for r in rows if r.item_kind == "ad" and r.starts_at >= night), None)
    skipped = {r.id for r in (late, missed) if r is not None}
    mark_instances_aired(session, [r.id for r in rows if r.id not in skipped])
    if late is not None:
        play = start_play(
            session,
            channel_id,
            late.starts_at + LATE_SECONDS,
            "program",
            content_item_id=late.content_item_id,
            media_file_id=_file_of(session, late.content_item_id),
            schedule_instance_id=late.id,
            notes="Started late: the tape before it was rewound by hand.",
        )
        end_play(session, play, late.ends_at)
        session.execute(update(INST).where(INST.c.id == late.id).values(status="played"))
    unplanned = None
    bumper = session.execute(
        select(CI.c.id, CI.c.duration_ms).where(CI.c.title == SIGN_ON_BUMPER)
    ).first()
    first = next((r.starts_at for r in rows if r.starts_at >= lo + 5 * 3600), None)
    if bumper is not None and first is not None:
        seconds = -(-int(bumper.duration_ms) // 1000)
        at = first - seconds - 5
        already = session.execute(
            select(func.count()).where(PLAYS.c.channel_id == channel_id, PLAYS.c.ts_end.is_(None))
        ).scalar_one()
        if not already:
            unplanned = start_play(
                session,
                channel_id,
                at,
                "bumper",
                content_item_id=int(bumper.id),
                media_file_id=_file_of(session, int(bumper.id)),
                notes="Played by hand before sign-on.",
            )
            end_play(session, unplanned, at + seconds)
    return Slips(
        late.id if late is not None else None,
        missed.id if missed is not None else None,
        unplanned,
    )


def air_past_days(
    session: Session, channel_ids: list[int], today: date, tz: ZoneInfo, slips_on: int
) -> Slips:
    """Approve from PAST_DAYS before `today` to AHEAD_DAYS from it; the past days air as
    planned, except the day before `today` on channel `slips_on` (see `_with_slips`)."""
    first = today - timedelta(days=PAST_DAYS)
    slips = Slips()
    for channel_id in channel_ids:
        approve(session, channel_id, first, PAST_DAYS + AHEAD_DAYS, tz)
        if channel_id == slips_on:
            mark_aired(session, channel_id, first, PAST_DAYS - 1, tz)
            slips = _with_slips(session, channel_id, today - timedelta(days=1), tz)
        else:
            mark_aired(session, channel_id, first, PAST_DAYS, tz)
    return slips
