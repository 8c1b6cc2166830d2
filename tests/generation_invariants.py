"""The invariants every generated programme log keeps, checked on a channel's rows: used
by generation's property test and by the demo station's test.

Nothing above the ceiling (nor unrated under one, unless the block allows it), nothing
unplayable, nothing overlapping, every row inside its block's window, fill rows in a
break, and every programme's parts contiguous and adding up to its length.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from retrovue_desktop import ratings
from retrovue_desktop.scheduling import clock
from retrovue_desktop.scheduling.blocks import list_blocks
from retrovue_desktop.scheduling.constraints import SelectionConstraints, effective_ceiling
from retrovue_desktop.scheduling.eligibility import UNPLAYABLE
from retrovue_desktop.scheduling.occurrences import occurrences
from retrovue_desktop.store.tables import CI, CIF, INSTANCES, MF


def channel_rows(session: Session, channel_id: int) -> list[Any]:
    """The channel's log rows in time order, with their item's rating and length and
    their primary file's availability."""
    return list(
        session.execute(
            select(INSTANCES, CI.c.rating_code, CI.c.duration_ms, MF.c.availability)
            .select_from(
                INSTANCES.join(CI, CI.c.id == INSTANCES.c.content_item_id)
                .join(CIF, (CIF.c.content_item_id == CI.c.id) & (CIF.c.role == "primary"))
                .join(MF, MF.c.id == CIF.c.media_file_id)
            )
            .where(INSTANCES.c.channel_id == channel_id)
            .order_by(INSTANCES.c.starts_at)
        ).all()
    )


def check_log(
    session: Session,
    channel_id: int,
    first: date,
    days: int,
    zone: str,
    channel_ceiling: str | None,
) -> list[Any]:
    """Assert every invariant on the channel's log built for `days` from `first`;
    returns the rows checked."""
    listed = {b.row.id: b for b in list_blocks(session, channel_id)}
    windows = occurrences(listed.values(), first, days, clock.zone(zone))
    found = channel_rows(session, channel_id)
    for earlier, later in pairwise(found):
        assert earlier.ends_at <= later.starts_at, "rows overlap"
    programme_parts: dict[tuple[int, int], list[Any]] = {}
    for row in found:
        assert row.availability not in UNPLAYABLE
        assert row.starts_at < row.ends_at
        block_row = listed[row.block_id]
        inside = [
            o
            for o in windows
            if o.block_id == row.block_id
            and o.starts_at <= row.starts_at
            and row.ends_at <= o.ends_at
        ]
        assert inside, "a row outside its block's window"
        parsed = block_row.constraints
        selection = parsed if isinstance(parsed, SelectionConstraints) else None
        if row.item_kind == "program" and selection is None:
            limit, unrated_ok = channel_ceiling, True
        else:
            limit = effective_ceiling(selection.max_rating if selection else None, channel_ceiling)
            unrated_ok = selection.allow_unrated if selection else False
        if limit is not None:
            rank = ratings.rank(row.rating_code) if row.rating_code else None
            if rank is None:
                assert unrated_ok, "an unrated item under a ceiling"
            else:
                assert rank <= (ratings.rank(limit) or 0), "an item above the ceiling"
        if row.item_kind == "program":
            programme_parts.setdefault((row.content_item_id, inside[0].starts_at), []).append(row)
        else:
            assert row.break_number is not None and row.break_seq is not None
    for parts in programme_parts.values():
        # Several airings of one item in one window would share a key; split on segment 1.
        runs: list[list[Any]] = []
        for part in parts:
            if part.segment == 1:
                runs.append([])
            runs[-1].append(part)
        for run in runs:
            assert [p.segment for p in run] == list(range(1, len(run) + 1))
            offsets = [p.offset_ms for p in run]
            lengths = [(p.ends_at - p.starts_at) * 1000 for p in run]
            assert offsets == [sum(lengths[:i]) for i in range(len(run))]
            assert sum(lengths) == -(-run[0].duration_ms // 1000) * 1000
            # Nothing but fill sits between a programme's parts.
            between = [
                r
                for r in found
                if run[0].starts_at < r.starts_at < run[-1].ends_at
                and r.item_kind == "program"
                and r.content_item_id != run[0].content_item_id
            ]
            assert not between, "a programme inside another's break"
    return found
