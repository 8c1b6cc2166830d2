"""A channel's weekly blocks in the database, guarded so that nothing overlapping and
nothing with unreadable constraints is ever saved; no Qt.

Every write checks the whole channel's week inside its own transaction (the channel's
row is locked first on PostgreSQL, so two writers cannot both slip a block into the same
gap), then writes or raises a ScheduleError/ConstraintsError with a sentence and writes
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, delete, insert, select, update
from sqlalchemy.orm import Session

from retrovue_desktop.store.programming import STRATEGIES
from retrovue_desktop.store.tables import BLOCKS as BL
from retrovue_desktop.store.tables import CHANNELS as CH
from retrovue_desktop.store.tables import INSTANCES as INST

from . import constraints, week
from .errors import ScheduleError
from .week import WeekBlock


@dataclass(frozen=True)
class BlockValues:
    """What the operator edits on a block: every column but its id and channel."""

    name: str
    day_of_week: int
    start_time: str  # "HH:MM:SS"
    end_time: str  # "HH:MM:SS"; at or before start_time: runs past midnight
    strategy: str  # one of store.programming.STRATEGIES
    constraints_json: str | None = None
    ad_policy_id: int | None = None

    def week_block(self, block_id: int | None = None) -> WeekBlock:
        """Where it sits in the week (ScheduleError if the times are unreadable)."""
        return WeekBlock.from_times(
            self.day_of_week, self.start_time, self.end_time, id=block_id, name=self.name
        )


@dataclass(frozen=True)
class BlockRow:
    """A saved block."""

    id: int
    channel_id: int
    values: BlockValues


@dataclass(frozen=True)
class ListedBlock:
    """A saved block as the grid shows it: `week` is None when its times are unreadable
    (written by something else); `constraints` None when its JSON is; `problem` is the
    sentence for the first thing unreadable."""

    row: BlockRow
    week: WeekBlock | None
    problem: str | None
    constraints: constraints.Constraints | None = None


def _select() -> Select[Any]:
    return select(
        BL.c.id,
        BL.c.channel_id,
        BL.c.name,
        BL.c.day_of_week,
        BL.c.start_time,
        BL.c.end_time,
        BL.c.strategy,
        BL.c.constraints_json,
        BL.c.ad_policy_id,
    )


def _row(found: Any) -> BlockRow:
    return BlockRow(
        id=found[0],
        channel_id=found[1],
        values=BlockValues(found[2], found[3], found[4], found[5], found[6], found[7], found[8]),
    )


def list_blocks(session: Session, channel_id: int) -> list[ListedBlock]:
    """Every block of the channel, in week order; never raises on unreadable rows."""
    rows = session.execute(
        _select().where(BL.c.channel_id == channel_id).order_by(BL.c.day_of_week, BL.c.start_time)
    ).all()
    listed = []
    for found in rows:
        row = _row(found)
        problems: list[str] = []
        try:
            week: WeekBlock | None = row.values.week_block(row.id)
        except ScheduleError as error:
            week = None
            problems.append(str(error))
        try:
            parsed = constraints.parse(row.values.constraints_json, row.values.strategy)
        except ScheduleError as error:
            parsed = None
            problems.append(str(error))
        listed.append(ListedBlock(row, week, problems[0] if problems else None, parsed))
    return listed


def get_blocks(session: Session, block_ids: Iterable[int]) -> list[BlockRow]:
    """The rows of these blocks, or a sentence when one has gone since."""
    wanted = list(dict.fromkeys(block_ids))
    rows = {r.id: r for r in map(_row, session.execute(_select().where(BL.c.id.in_(wanted))))}
    missing = [i for i in wanted if i not in rows]
    if missing:
        raise ScheduleError(
            "That block no longer exists; the grid will show the channel as it is now.",
            detail=f"blocks {missing} not found",
        )
    return [rows[i] for i in wanted]


def _lock_channel(session: Session, channel_id: int) -> str | None:
    """Take the channel's row lock (PostgreSQL; SQLite has one writer) and return its
    rating ceiling; a sentence when the channel has gone."""
    found = session.execute(
        select(CH.c.id, CH.c.max_rating_code).where(CH.c.id == channel_id).with_for_update()
    ).first()
    if found is None:
        raise ScheduleError(
            "That channel no longer exists; it may have been removed.",
            detail=f"channel {channel_id} not found",
        )
    value: str | None = found[1]
    return value


def check_values(values: BlockValues, ceiling: str | None, old: BlockValues | None = None) -> None:
    """Refuse a block the grid could not show or the generator could not use. Constraints
    that were already stored unreadable may stay as they are (a drag moves such a
    block without having to fix it first); new or changed constraints must read."""
    if not values.name.strip():
        raise ScheduleError("A block needs a name.", detail="empty block name")
    if values.strategy not in STRATEGIES:
        raise ScheduleError(
            f"“{values.strategy}” is not a strategy: use one of {', '.join(STRATEGIES)}.",
            detail=f"strategy {values.strategy!r}",
        )
    values.week_block()
    unchanged = (
        old is not None
        and old.constraints_json == values.constraints_json
        and old.strategy == values.strategy
    )
    if not unchanged:
        parsed = constraints.parse(values.constraints_json, values.strategy)
        constraints.check_against_channel(parsed, ceiling)


def _guard(session: Session, channel_id: int, placed: dict[int | None, list[WeekBlock]]) -> None:
    """Refuse when the channel's week, with `placed` blocks in place of the saved ones of
    the same id (None: new blocks), would have two blocks sharing a minute."""
    others = [
        b.week
        for b in list_blocks(session, channel_id)
        if b.week is not None and b.row.id not in placed
    ]
    for candidates in placed.values():
        for candidate in candidates:
            week.place(others, candidate)
            others.append(candidate)


def create_blocks(
    session: Session,
    channel_id: int,
    values: Sequence[BlockValues],
    ids: Sequence[int] | None = None,
    default_ceiling: str | None = None,
) -> list[int]:
    """Add blocks to the channel, all or none; `ids` restores blocks under the ids they
    had (undo of a delete, redo of an add). Returns their ids."""
    ceiling = _lock_channel(session, channel_id) or default_ceiling
    for value in values:
        check_values(value, ceiling)
    weeks = [v.week_block(None) for v in values]
    _guard(session, channel_id, {None: weeks})
    new_ids = []
    for index, value in enumerate(values):
        columns = {**_columns(value), "channel_id": channel_id}
        if ids is not None:
            columns["id"] = ids[index]
        result = session.execute(insert(BL).values(**columns).returning(BL.c.id))
        new_ids.append(int(result.scalar_one()))
    return new_ids


def update_blocks(
    session: Session, changes: Mapping[int, BlockValues], default_ceiling: str | None = None
) -> dict[int, BlockValues]:
    """Change several blocks of one channel at once (a multi-block drag may swap places,
    so the set is checked as a whole); returns the values they had, for undo."""
    rows = get_blocks(session, changes)
    channels = {r.channel_id for r in rows}
    if len(channels) != 1:
        raise ScheduleError(
            "Blocks of different channels cannot be changed together.",
            detail=f"channels {sorted(channels)}",
        )
    channel_id = channels.pop()
    ceiling = _lock_channel(session, channel_id) or default_ceiling
    before = {r.id: r.values for r in rows}
    for block_id, value in changes.items():
        check_values(value, ceiling, before[block_id])
    _guard(
        session,
        channel_id,
        {block_id: [v.week_block(block_id)] for block_id, v in changes.items()},
    )
    for block_id, value in changes.items():
        session.execute(update(BL).where(BL.c.id == block_id).values(**_columns(value)))
    return before


def delete_blocks(session: Session, block_ids: Iterable[int]) -> list[BlockRow]:
    """Remove blocks; returns their rows so an undo can put them back under the same ids.
    The dated log keeps its rows (their block_id becomes null, as the schema says)."""
    rows = get_blocks(session, block_ids)
    ids = [r.id for r in rows]
    session.execute(update(INST).where(INST.c.block_id.in_(ids)).values(block_id=None))
    session.execute(delete(BL).where(BL.c.id.in_(ids)))
    return rows


def _columns(values: BlockValues) -> dict[str, object]:
    block = values.week_block()
    return {
        "name": values.name.strip(),
        "day_of_week": block.day_of_week,
        "start_time": block.start_time,
        "end_time": block.end_time,
        "strategy": values.strategy,
        "constraints_json": values.constraints_json,
        "ad_policy_id": values.ad_policy_id,
    }


def placed(values: BlockValues, block: WeekBlock) -> BlockValues:
    """`values` moved to where `block` sits (a drag or nudge result)."""
    return replace(
        values,
        day_of_week=block.day_of_week,
        start_time=block.start_time,
        end_time=block.end_time,
    )


def instance_links(session: Session, block_ids: Iterable[int]) -> dict[int, list[int]]:
    """Which dated log rows point at these blocks (kept by an undoable delete)."""
    ids = list(block_ids)
    links: dict[int, list[int]] = {}
    for instance_id, block_id in session.execute(
        select(INST.c.id, INST.c.block_id).where(INST.c.block_id.in_(ids))
    ):
        links.setdefault(block_id, []).append(instance_id)
    return links


def relink_instances(session: Session, links: Mapping[int, Sequence[int]]) -> None:
    """Point dated log rows back at their restored blocks (undo of a delete)."""
    for block_id, instance_ids in links.items():
        session.execute(
            update(INST)
            .where(INST.c.id.in_(list(instance_ids)), INST.c.block_id.is_(None))
            .values(block_id=block_id)
        )
