"""What generation may put on air: the block's matches that can actually be played.

`matching.matching_ids` says which items a block names or selects (what its editor
counts). Generation needs more: the item's primary file must be playable from here and
its length known, or the log would promise air time nobody can fill. Playable means the
primary file (the lowest id if an item has several) is not unmapped, missing,
unreadable or gone; a file not yet validated ("unknown") or one that differs from what
Plex reported (size or probe mismatch) still plays. The length is the item's duration,
else its file's, rounded up to the second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from retrovue_desktop.store.content_query import rating_clause
from retrovue_desktop.store.tables import CI, CIF, MF

UNPLAYABLE = ("unmapped", "missing", "unreadable", "gone")
FILL_KINDS = ("ad", "bumper", "promo")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One item generation may pick, with what placing it needs."""

    id: int
    seconds: int
    kind: str
    file_id: int
    show_id: int | None = None
    season: int | None = None
    episode: int | None = None


def _primary_file() -> ColumnElement[int]:
    """The item's primary file id (the lowest if several): one index probe per item
    through content_item_files' primary key, so a pool of ten items costs ten probes."""
    return (
        select(func.min(CIF.c.media_file_id))
        .where(CIF.c.content_item_id == CI.c.id, CIF.c.role == "primary")
        .correlate(CI)
        .scalar_subquery()
    )


def playable(ids: Select[Any] | None, *where: ColumnElement[bool]) -> Select[Any]:
    """Candidates' columns for items among `ids` (None: every item) passing `where`."""
    milliseconds = func.coalesce(CI.c.duration_ms, MF.c.duration_ms)
    query = (
        select(
            CI.c.id,
            milliseconds,
            CI.c.kind,
            MF.c.id,
            CI.c.show_id,
            CI.c.season_number,
            CI.c.episode_number,
        )
        .select_from(CI.join(MF, MF.c.id == _primary_file()))
        .where(
            MF.c.availability.not_in(UNPLAYABLE),
            CI.c.gone_from_source_at.is_(None),
            milliseconds > 0,
            *where,
        )
    )
    if ids is not None:
        query = query.where(CI.c.id.in_(ids.scalar_subquery()))
    return query


def candidates(session: Session, query: Select[Any]) -> list[Candidate]:
    """Run a `playable` query; ordered by id so that callers start from a fixed order."""
    out = [
        Candidate(
            id=int(row[0]),
            seconds=-(-int(row[1]) // 1000),
            kind=str(row[2]),
            file_id=int(row[3]),
            show_id=row[4],
            season=row[5],
            episode=row[6],
        )
        for row in session.execute(query)
    ]
    out.sort(key=lambda c: c.id)
    return out


def fill_query(kinds: Sequence[str], ceiling: str | None, allow_unrated: bool) -> Select[Any]:
    """Playable ads, promos and bumpers of `kinds` allowed under `ceiling`."""
    where: list[ColumnElement[bool]] = [CI.c.kind.in_(sorted(set(kinds) & set(FILL_KINDS)))]
    clause = rating_clause(ceiling, allow_unrated)
    if clause is not None:
        where.append(clause)
    return playable(None, *where)
