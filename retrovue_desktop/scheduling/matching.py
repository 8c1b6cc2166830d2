"""Which catalogue items a block could air: one SQL query per block, no Qt.

`matching_ids` is the eligibility rule of docs/constraints.md ("What a block matches") as
a select of content_items.id; the block editor counts it live and schedule generation
can draw from it. In short:

- never an item gone from its source;
- the rating ceiling is the gentler of the block's and the channel's
  (`constraints.effective_ceiling`). For `collection`/`auto` an unrated item (no code, or
  a code the shared scale does not know) passes a ceiling only with `allow_unrated`; a
  `series` or `specific` block names its shows or items, which is the operator saying so,
  so unrated items pass there and rated ones above the channel's ceiling do not;
- `series`: the shows' episodes, from `start_from` (season, episode) onward when given;
- `specific`: each listed item once, if it exists;
- `collection`/`auto`: every included tag, no excluded one, the kinds (programmes only,
  movies and episodes, when none are named), the libraries, the duration window;
  `date_range` gates the air dates, not the items.

Each condition is index-friendly: included and excluded tags are IN / NOT IN over the
content_tags (namespace, key) index (read once, not probed per item), a series is a
range of the (show_id, season_number, episode_number) index and a specific block a
primary-key lookup per id, so counting 100,000 items takes tens of milliseconds.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from retrovue_desktop.store.content_query import rating_clause
from retrovue_desktop.store.tables import CI, CT

from .constraints import (
    Constraints,
    SelectionConstraints,
    SeriesConstraints,
    SpecificConstraints,
    effective_ceiling,
)
from .errors import ConstraintsError

# What `collection` and `auto` draw from when the block names no kinds: programmes, not
# the ads, promos, bumpers and other short material that fills the gaps between them.
PROGRAMME_KINDS = ("movie", "episode")
MS_PER_MINUTE = 60_000


def _has_tag(tag: str) -> ColumnElement[bool]:
    namespace, key = tag.split(":", 1)
    return CI.c.id.in_(
        select(CT.c.content_item_id).where(CT.c.namespace == namespace, CT.c.key == key)
    )


def _lacks_tags(tags: list[str]) -> ColumnElement[bool]:
    pairs = [tag.split(":", 1) for tag in tags]
    return CI.c.id.not_in(
        select(CT.c.content_item_id).where(
            or_(*(and_(CT.c.namespace == n, CT.c.key == k) for n, k in pairs))
        )
    )


def _series(c: SeriesConstraints) -> list[ColumnElement[bool]]:
    where = [CI.c.show_id.in_(c.show_ids), CI.c.kind == "episode"]
    if c.start_from is not None:
        season, episode = c.start_from.season, c.start_from.episode
        where.append(
            or_(
                CI.c.season_number > season,
                and_(CI.c.season_number == season, CI.c.episode_number >= episode),
            )
        )
    return where


def _selection(c: SelectionConstraints) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [CI.c.kind.in_(c.kinds or PROGRAMME_KINDS)]
    if c.library_ids:
        where.append(CI.c.library_id.in_(c.library_ids))
    if c.min_duration_minutes is not None:
        where.append(CI.c.duration_ms >= c.min_duration_minutes * MS_PER_MINUTE)
    if c.max_duration_minutes is not None:
        where.append(CI.c.duration_ms <= c.max_duration_minutes * MS_PER_MINUTE)
    where.extend(_has_tag(tag) for tag in sorted(set(c.tags_include)))
    if c.tags_exclude:
        where.append(_lacks_tags(sorted(set(c.tags_exclude))))
    return where


def matching_ids(
    strategy: str, constraints: Constraints, channel_ceiling: str | None
) -> Select[int]:
    """content_items.id of every item the block could air (each id once, unordered).

    `constraints` must be of the form `strategy` uses (constraints.parse gives it);
    a mismatch raises ConstraintsError.
    """
    where: list[ColumnElement[bool]] = [CI.c.gone_from_source_at.is_(None)]
    ceiling: ColumnElement[bool] | None
    if strategy == "series" and isinstance(constraints, SeriesConstraints):
        where.extend(_series(constraints))
        ceiling = rating_clause(channel_ceiling, allow_unrated=True)
    elif strategy == "specific" and isinstance(constraints, SpecificConstraints):
        where.append(CI.c.id.in_(sorted(set(constraints.item_ids))))
        ceiling = rating_clause(channel_ceiling, allow_unrated=True)
    elif strategy in ("collection", "auto") and isinstance(constraints, SelectionConstraints):
        where.extend(_selection(constraints))
        ceiling = rating_clause(
            effective_ceiling(constraints.max_rating, channel_ceiling), constraints.allow_unrated
        )
    else:
        raise ConstraintsError(
            f"These constraints are not the form a {strategy} block uses.",
            detail=f"strategy {strategy!r} with {type(constraints).__name__}",
        )
    if ceiling is not None:
        where.append(ceiling)
    return select(CI.c.id).where(*where)


def count_matches(
    session: Session, strategy: str, constraints: Constraints, channel_ceiling: str | None
) -> int:
    """How many items the block could air (what the block editor shows)."""
    inner = matching_ids(strategy, constraints, channel_ceiling).subquery()
    return int(session.execute(select(func.count()).select_from(inner)).scalar_one())
