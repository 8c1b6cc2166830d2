"""Where a channel's rotations stand before a build: what aired when, and how far each
series and each specific block has got.

Read from the programme log (rows not canceled) and from the play log's rows that no
log row explains, before the range being built; then moved on by the approved and played
rows kept inside the range, and by what the build itself picks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from retrovue_desktop.store.tables import CI, INSTANCES, PLAYS

from .eligibility import Candidate
from .play_times import from_text
from .rotation import Airings

_FAR = 1 << 40
EpisodeKey = tuple[int, int, int]


def episode_order(c: Candidate) -> EpisodeKey:
    """Season, then episode, then id; unnumbered episodes last."""
    return (
        c.season if c.season is not None else _FAR,
        c.episode if c.episode is not None else _FAR,
        c.id,
    )


@dataclass(frozen=True)
class Kept:
    """An approved or played row inside the range: its time is taken."""

    starts_at: int
    ends_at: int
    item_id: int | None
    show_id: int | None
    season: int | None
    episode: int | None
    block_id: int | None
    pick: str
    first_part: bool


@dataclass
class ChannelHistory:
    """One channel's airings and series and list progress, as the build moves on."""

    session: Session
    channel_id: int
    airings: Airings = field(default_factory=Airings)
    # show id -> (when its last episode aired, that episode's order key)
    series_last: dict[int, tuple[int, EpisodeKey]] = field(default_factory=dict)
    specific_last: dict[int, int] = field(default_factory=dict)  # block -> item last aired

    def load(self, before: int) -> None:
        """Airings and series progress from the log and the play log before `before`."""
        rows = self.session.execute(
            select(
                INSTANCES.c.content_item_id,
                func.max(INSTANCES.c.starts_at),
                func.count(),
                CI.c.show_id,
                CI.c.season_number,
                CI.c.episode_number,
            )
            .select_from(INSTANCES.join(CI, CI.c.id == INSTANCES.c.content_item_id))
            .where(
                INSTANCES.c.channel_id == self.channel_id,
                INSTANCES.c.status != "canceled",
                INSTANCES.c.starts_at < before,
                or_(INSTANCES.c.segment.is_(None), INSTANCES.c.segment == 1),
            )
            .group_by(
                INSTANCES.c.content_item_id,
                CI.c.show_id,
                CI.c.season_number,
                CI.c.episode_number,
            )
        ).all()
        played = self.session.execute(
            select(
                PLAYS.c.content_item_id,
                PLAYS.c.ts_start,
                CI.c.show_id,
                CI.c.season_number,
                CI.c.episode_number,
            )
            .select_from(PLAYS.join(CI, CI.c.id == PLAYS.c.content_item_id))
            .where(PLAYS.c.channel_id == self.channel_id, PLAYS.c.schedule_instance_id.is_(None))
        ).all()
        seen: list[tuple[int, int, int, int | None, int | None, int | None]] = [
            (r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows
        ]
        for item_id, ts, show_id, season, episode in played:
            at = from_text(ts)
            if at is not None and at < before:
                seen.append((item_id, at, 1, show_id, season, episode))
        for item_id, at, times, show_id, season, episode in seen:
            previous = self.airings.count.get(item_id, 0)
            self.airings.aired(item_id, at)
            self.airings.count[item_id] = previous + times
            if show_id is not None:
                self.series_seen(show_id, at, (season, episode, item_id))
        specific = self.session.execute(
            select(INSTANCES.c.block_id, INSTANCES.c.content_item_id)
            .where(
                INSTANCES.c.channel_id == self.channel_id,
                INSTANCES.c.status != "canceled",
                INSTANCES.c.pick_strategy == "specific",
                INSTANCES.c.block_id.is_not(None),
                INSTANCES.c.content_item_id.is_not(None),
                INSTANCES.c.starts_at < before,
            )
            .order_by(INSTANCES.c.starts_at, INSTANCES.c.id)
        ).all()
        for block_id, item_id in specific:
            self.specific_last[block_id] = item_id

    def series_seen(self, show_id: int, at: int, where: tuple[int | None, int | None, int]) -> None:
        season, episode, item_id = where
        key = (
            season if season is not None else _FAR,
            episode if episode is not None else _FAR,
            item_id,
        )
        if show_id not in self.series_last or at >= self.series_last[show_id][0]:
            self.series_last[show_id] = (at, key)

    def note_kept(self, kept: Sequence[Kept]) -> None:
        """Count approved and played rows of the range as aired before planning, so that
        nothing planned earlier in the range repeats an item they will air."""
        for row in kept:
            if row.item_id is not None and row.first_part:
                self.airings.aired(row.item_id, row.starts_at)

    def apply_kept(self, kept: Kept) -> None:
        """Series and list progress past an approved or played row the plan reaches
        (their airings were counted by `note_kept`)."""
        if kept.item_id is None or not kept.first_part:
            return
        if kept.show_id is not None:
            self.series_seen(
                kept.show_id, kept.starts_at, (kept.season, kept.episode, kept.item_id)
            )
        if kept.pick == "specific" and kept.block_id is not None:
            self.specific_last[kept.block_id] = kept.item_id
