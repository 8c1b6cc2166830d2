"""Swapping another item into a programme's (or fill item's) place: what it replaces,
what may take it, the swap and its undo; no Qt.

A programme's parts keep their places, so the rest of the log never moves. Every
function works in the caller's session and never commits, so each operator action is
one transaction; refusals are ScheduleError sentences raised before anything is written.
A swap returns the rows as they were, so that `restore_rows` undoes it exactly (the same
call again redoes it), or refuses when the rows have gone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select, update
from sqlalchemy.orm import Session

from retrovue_desktop.store.editorial import effective_title
from retrovue_desktop.store.tables import CI, ED, MF, SHOW
from retrovue_desktop.store.tables import INSTANCES as INST
from retrovue_desktop.words import duration

from . import clock, constraints
from .blocks import get_blocks
from .constraints import Constraints, SelectionConstraints, effective_ceiling
from .eligibility import FILL_KINDS, candidates, fill_query, playable
from .errors import ScheduleError
from .matching import matching_ids
from .programme_log import LIVE, display_title, missing_rows, programme_rows

SWAP_LIMIT = 200


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
            f"“{new_title}” ({duration(item.seconds)}) is longer than the"
            f" {duration(target.seconds)} “{target.title}” has on air; choose a"
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
        raise missing_rows(set(ids) - present)
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
