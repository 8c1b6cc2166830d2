"""Recording what went to air: an item's start and end on a channel, and "Mark as
aired", which turns approved programme-log rows into play-log rows exactly as planned.

Used by the GUI, the command line and later the station's own playout; no Qt. Every
function works in the caller's session and never commits (one operator action, one
transaction); a refusal is a ScheduleError sentence raised before anything is written.
An item that started and never ended is closed when the next one starts on its channel,
so the log never holds two items on air at once. Timestamps are written through
`play_times.to_text` and compared as seconds (`from_text`), so rows written by other
tools order correctly too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.orm import Session

from retrovue_desktop.store.programming import PLAY_KINDS
from retrovue_desktop.store.tables import CHANNELS, CI, CIF, MF, PLAYS
from retrovue_desktop.store.tables import INSTANCES as INST
from retrovue_desktop.words import count

from . import clock
from .errors import ScheduleError
from .log_status import MAX_APPROVE_DAYS
from .play_times import from_text, to_text

AIRED_NOTE = "Marked as aired from the programme log"


def _when(instant: int) -> str:
    return f"{to_text(instant)[:19].replace('T', ' ')} UTC"


def _refuse_unknown(session: Session, table: Any, row_id: int | None, sentence: str) -> None:
    if row_id is None:
        return
    if session.execute(select(table.c.id).where(table.c.id == row_id)).first() is None:
        raise ScheduleError(sentence, detail=f"{table.name} {row_id} does not exist")


def start_play(
    session: Session,
    channel_id: int,
    at: int,
    kind: str,
    *,
    content_item_id: int | None = None,
    media_file_id: int | None = None,
    schedule_instance_id: int | None = None,
    ad_block_seq: int | None = None,
    notes: str | None = None,
) -> int:
    """Record that an item went to air on the channel at `at` (UTC seconds); returns
    the new play_log id. Rows of the channel still open (no end) that started before
    `at` end at `at`; an `at` at or before an open row's start is refused (the record
    would go back in time)."""
    if kind not in PLAY_KINDS:
        raise ScheduleError(
            f"“{kind}” is not a kind of play; use one of {', '.join(PLAY_KINDS)}.",
            detail=f"kind={kind!r}",
        )
    _refuse_unknown(
        session,
        CHANNELS,
        channel_id,
        "That channel does not exist (any more); nothing was recorded.",
    )
    _refuse_unknown(
        session,
        CI,
        content_item_id,
        "That item is no longer in the catalogue; nothing was recorded.",
    )
    _refuse_unknown(
        session, MF, media_file_id, "That media file is no longer known; nothing was recorded."
    )
    if schedule_instance_id is not None:
        owner = session.execute(
            select(INST.c.channel_id).where(INST.c.id == schedule_instance_id)
        ).scalar()
        if owner != channel_id:
            raise ScheduleError(
                "That programme-log row is not this channel's (or is gone); nothing was recorded.",
                detail=f"schedule instance {schedule_instance_id} channel={owner}",
            )
    open_rows = session.execute(
        select(PLAYS.c.id, PLAYS.c.ts_start).where(
            PLAYS.c.channel_id == channel_id, PLAYS.c.ts_end.is_(None)
        )
    ).all()
    closing = []
    for play_id, ts_start in open_rows:
        started = from_text(ts_start)
        if started is not None and started >= at:
            raise ScheduleError(
                f"The item on air on this channel started at {_when(started)}; a new item"
                f" cannot start at {_when(at)}, before or with it.",
                detail=f"open play {play_id} starts {ts_start}, at={at}",
            )
        closing.append(play_id)
    if closing:
        session.execute(update(PLAYS).where(PLAYS.c.id.in_(closing)).values(ts_end=to_text(at)))
    result = session.execute(
        insert(PLAYS)
        .values(
            channel_id=channel_id,
            ts_start=to_text(at),
            ts_end=None,
            item_kind=kind,
            content_item_id=content_item_id,
            media_file_id=media_file_id,
            schedule_instance_id=schedule_instance_id,
            ad_block_seq=ad_block_seq,
            notes=notes,
        )
        .returning(PLAYS.c.id)
    )
    return int(result.scalar_one())


def end_play(session: Session, play_id: int, at: int) -> None:
    """Record that the item of play `play_id` left the air at `at` (UTC seconds)."""
    found = session.execute(
        select(PLAYS.c.ts_start, PLAYS.c.ts_end).where(PLAYS.c.id == play_id)
    ).first()
    if found is None:
        raise ScheduleError(
            "That play-log row is gone; nothing was recorded.", detail=f"play {play_id}"
        )
    if found.ts_end is not None:
        raise ScheduleError(
            f"That item already ended at {found.ts_end}; nothing was recorded.",
            detail=f"play {play_id} ts_end={found.ts_end}",
        )
    started = from_text(found.ts_start)
    if started is not None and at < started:
        raise ScheduleError(
            f"An item cannot end at {_when(at)}, before it started ({_when(started)}).",
            detail=f"play {play_id} ts_start={found.ts_start} at={at}",
        )
    session.execute(update(PLAYS).where(PLAYS.c.id == play_id).values(ts_end=to_text(at)))


# -- Mark as aired ------------------------------------------------------------------------


@dataclass(frozen=True)
class AiredReport:
    """What "Mark as aired" did: the (instance id, play id) pairs it wrote (undo uses
    them), the planned rows it left (only approved rows air), and the approved rows it
    left because a play row already records them."""

    pairs: list[tuple[int, int]]
    planned_left: int = 0
    already_recorded: int = 0

    def sentence(self) -> str:
        """What happened, for a notice."""
        text = f"Marked {count(len(self.pairs), 'row')} as aired."
        if self.planned_left:
            text += (
                f" {count(self.planned_left, 'planned row')} left as"
                f" {'it was' if self.planned_left == 1 else 'they were'}: approve first."
            )
        if self.already_recorded:
            text += (
                f" {count(self.already_recorded, 'approved row')} already in the play log"
                " left as well."
            )
        return text


def _range(first_day: date, days: int, tz: ZoneInfo) -> tuple[int, int]:
    if not 1 <= days <= MAX_APPROVE_DAYS:
        raise ScheduleError(
            f"Mark 1 to {MAX_APPROVE_DAYS} days at a time as aired.", detail=f"days={days}"
        )
    lo = clock.day_bounds(first_day, tz)[0]
    hi = clock.day_bounds(first_day + timedelta(days=days - 1), tz)[1]
    return lo, hi


def _recorded() -> Any:
    """Whether a play_log row already records the instance (correlated EXISTS)."""
    return (
        select(PLAYS.c.id).where(PLAYS.c.schedule_instance_id == INST.c.id).correlate(INST).exists()
    )


def mark_aired(
    session: Session, channel_id: int, first_day: date, days: int, tz: ZoneInfo
) -> AiredReport:
    """Every approved row of the channel starting in the `days` local days from
    `first_day` becomes a play_log row as planned and is set `played`."""
    lo, hi = _range(first_day, days, tz)
    in_range = and_(INST.c.channel_id == channel_id, INST.c.starts_at >= lo, INST.c.starts_at < hi)
    ids = list(
        session.execute(
            select(INST.c.id)
            .where(in_range, INST.c.status == "approved", ~_recorded())
            .order_by(INST.c.starts_at, INST.c.id)
        ).scalars()
    )
    planned = session.execute(
        select(func.count()).where(in_range, INST.c.status == "planned")
    ).scalar_one()
    recorded = session.execute(
        select(func.count()).where(in_range, INST.c.status == "approved", _recorded())
    ).scalar_one()
    return AiredReport(mark_instances_aired(session, ids), int(planned), int(recorded))


def mark_instances_aired(session: Session, instance_ids: Sequence[int]) -> list[tuple[int, int]]:
    """The given approved rows become play rows as planned and `played` (redo of a
    Mark as aired); refused whole when any is no longer approved or is already in the
    play log."""
    if not instance_ids:
        return []
    wanted = list(dict.fromkeys(instance_ids))
    primary_file = (
        select(func.min(CIF.c.media_file_id))
        .where(CIF.c.content_item_id == INST.c.content_item_id, CIF.c.role == "primary")
        .correlate(INST)
        .scalar_subquery()
    )
    rows: list[Any] = []
    for chunk in _chunks(wanted):
        rows += session.execute(
            select(
                INST.c.id,
                INST.c.channel_id,
                INST.c.status,
                INST.c.starts_at,
                INST.c.ends_at,
                INST.c.item_kind,
                INST.c.content_item_id,
                INST.c.break_seq,
                primary_file.label("file_id"),
                _recorded().label("recorded"),
            ).where(INST.c.id.in_(chunk))
        ).all()
    if len(rows) != len(wanted) or any(
        r.status != "approved" or r.recorded or r.starts_at is None for r in rows
    ):
        raise _moved_on()
    rows.sort(key=lambda r: (r.starts_at, r.id))
    values = [
        {
            "channel_id": r.channel_id,
            "ts_start": to_text(int(r.starts_at)),
            "ts_end": to_text(int(r.ends_at if r.ends_at is not None else r.starts_at)),
            "item_kind": r.item_kind if r.item_kind in PLAY_KINDS else "unknown",
            "content_item_id": r.content_item_id,
            "media_file_id": r.file_id,
            "schedule_instance_id": r.id,
            "ad_block_seq": r.break_seq,
            "notes": AIRED_NOTE,
        }
        for r in rows
    ]
    written = session.execute(
        insert(PLAYS).returning(
            PLAYS.c.schedule_instance_id, PLAYS.c.id, sort_by_parameter_order=True
        ),
        values,
    ).all()
    for chunk in _chunks([r.id for r in rows]):
        session.execute(update(INST).where(INST.c.id.in_(chunk)).values(status="played"))
    return [(int(i), int(p)) for i, p in written]


def unmark_aired(session: Session, pairs: Iterable[tuple[int, int]]) -> None:
    """Undo a Mark as aired: delete those play rows and make the instances approved
    again; refused whole if either changed meanwhile."""
    wanted = list(pairs)
    if not wanted:
        return
    instances = [i for i, _ in wanted]
    plays = [p for _, p in wanted]
    statuses: dict[int, str] = {}
    links: dict[int, int | None] = {}
    for chunk in _chunks(instances):
        found = session.execute(select(INST.c.id, INST.c.status).where(INST.c.id.in_(chunk)))
        statuses.update((i, status) for i, status in found)
    for chunk in _chunks(plays):
        linked = session.execute(
            select(PLAYS.c.id, PLAYS.c.schedule_instance_id).where(PLAYS.c.id.in_(chunk))
        )
        links.update((p, i) for p, i in linked)
    if any(statuses.get(i) != "played" or links.get(p, 0) != i for i, p in wanted):
        raise _moved_on()
    for chunk in _chunks(plays):
        session.execute(delete(PLAYS).where(PLAYS.c.id.in_(chunk)))
    for chunk in _chunks(instances):
        session.execute(update(INST).where(INST.c.id.in_(chunk)).values(status="approved"))


def _moved_on() -> ScheduleError:
    return ScheduleError(
        "The programme log or the play log changed since; nothing was changed.",
        detail="statuses or play rows differ from the recorded Mark as aired",
    )


_CHUNK = 500  # ids per IN list: well under every backend's bound-parameter limit


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])
