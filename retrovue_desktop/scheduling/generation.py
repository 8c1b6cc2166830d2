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
and bumpers (`_Filler`). Each programme part and each fill item is one schedule_instances
row with its UTC times, kind, part number and break position.

A rebuild replaces only `planned` rows of the range: approved and played rows stay and
the rest is planned around them, and the history before the range (programme log and
play log) decides where each rotation continues. The same grid, catalogue, history and
seed give the same rows. Nothing is committed here: the caller's transaction holds the
whole build, so a cancelled or failed build leaves the log as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from retrovue_desktop.progress import CancelFn, ProgressFn, never_cancelled, no_progress
from retrovue_desktop.store.channels import get_channel
from retrovue_desktop.store.tables import CI, INSTANCES, MM, PLAYS
from retrovue_desktop.words import count

from . import ad_rules, breaks, clock
from .ad_policies import list_policies
from .blocks import list_blocks
from .constraints import (
    SelectionConstraints,
    SeriesConstraints,
    SpecificConstraints,
    effective_ceiling,
)
from .eligibility import Candidate, candidates, fill_query, playable
from .errors import BuildCancelled, ScheduleError
from .matching import matching_ids
from .occurrences import Occurrence, occurrences
from .rotation import Airings, Pool, Rotation, shuffle_key

log = logging.getLogger(__name__)

PICK_STRATEGY = {
    "series": "series_next",
    "specific": "specific",
    "collection": "auto",
    "auto": "auto",
}
MAX_DAYS = 366
MAX_WARNINGS = 200
# Seconds left over at a block's end that earn a warning: less is the usual remainder
# when no fill item is short enough, counted in the totals but not worth a line.
UNFILLED_WARNING_SECONDS = 30
_WRITE_BATCH = 1_000
_FAR = 1 << 40


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
            f" {duration_words(self.unfilled_seconds)} unfilled."
        )


def duration_words(seconds: int) -> str:
    """12 s, 4 min 10 s, 2 h 5 min: short and exact enough for a rundown."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def _epoch(text: str | None) -> int | None:
    """play_log's ISO 8601 text as UTC seconds (naive text is UTC); None if unreadable."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


class PoolCache:
    """What a build reads from the catalogue, kept for the next channel's build in the
    same action: pools depend on the block's constraints and the ceiling, not on the
    channel, so building ten channels reads each pool once. Use one cache per action
    (the catalogue may change between actions)."""

    def __init__(self) -> None:
        self.pools: dict[Any, list[Candidate]] = {}
        self.sorted: dict[Any, Pool] = {}
        self.markers: dict[int, tuple[list[int], list[int]]] | None = None

    def sorted_pool(self, key: Any, items: Callable[[], list[Candidate]]) -> Pool:
        if key not in self.sorted:
            self.sorted[key] = Pool(items())
        return self.sorted[key]


@dataclass(frozen=True)
class _Kept:
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


def _episode_order(c: Candidate) -> tuple[int, int, int]:
    return (
        c.season if c.season is not None else _FAR,
        c.episode if c.episode is not None else _FAR,
        c.id,
    )


class _Cost:
    """A programme's air time with the breaks its policy will give it."""

    def __init__(self, rules: ad_rules.AdRules | None) -> None:
        self.rules = rules

    def total(self, seconds: int) -> int:
        if self.rules is None or seconds < breaks.SHORT_ITEM_SECONDS:
            return seconds
        return seconds + breaks.wanted_breaks(self.rules, seconds) * self.rules.break_seconds

    def longest(self, remaining: int) -> int:
        """The longest programme whose total fits in `remaining` (total only grows with
        the length, so a bisection finds it)."""
        if self.rules is None:
            return remaining
        low, high = 0, remaining
        while low < high:
            middle = (low + high + 1) // 2
            if self.total(middle) <= remaining:
                low = middle
            else:
                high = middle - 1
        return low


class _Planner:
    """One channel's build: its pools, rotations and history, and the rows planned."""

    def __init__(
        self,
        session: Session,
        request: BuildRequest,
        tz: ZoneInfo,
        ceiling: str | None,
        report: BuildReport,
        cache: PoolCache,
    ) -> None:
        self.session = session
        self.cache = cache
        self.channel_id = request.channel_id
        self.tz = tz
        self.ceiling = ceiling
        self.report = report
        self.seed = shuffle_key(request.seed, request.channel_id)
        self.airings = Airings()
        # show id -> (when its last episode aired, that episode's order key)
        self.series_last: dict[int, tuple[int, tuple[int, int, int]]] = {}
        self.specific_last: dict[int, int] = {}  # block id -> item id last aired there
        self.rows: list[dict[str, Any]] = []
        self._pools: dict[Any, Any] = {}
        self._fills: dict[Any, dict[str, Rotation]] = {}
        self._warned: set[Any] = set()
        self.policies: dict[int, ad_rules.AdRules | None] = {}
        for policy in list_policies(session):
            self.policies[policy.id] = policy.rules
            if policy.problem:
                report.warn(
                    f"Ad policy “{policy.name}” is unreadable, so its blocks get no"
                    f" breaks: {policy.problem}"
                )

    # -- history -------------------------------------------------------------------

    def load_history(self, before: int) -> None:
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
            at = _epoch(ts)
            if at is not None and at < before:
                seen.append((item_id, at, 1, show_id, season, episode))
        for item_id, at, times, show_id, season, episode in seen:
            previous = self.airings.count.get(item_id, 0)
            self.airings.aired(item_id, at)
            self.airings.count[item_id] = previous + times
            if show_id is not None:
                self._series_seen(show_id, at, (season, episode, item_id))
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

    def _series_seen(
        self, show_id: int, at: int, where: tuple[int | None, int | None, int]
    ) -> None:
        season, episode, item_id = where
        key = (
            season if season is not None else _FAR,
            episode if episode is not None else _FAR,
            item_id,
        )
        if show_id not in self.series_last or at >= self.series_last[show_id][0]:
            self.series_last[show_id] = (at, key)

    def note_kept(self, kept: Sequence[_Kept]) -> None:
        """Count approved and played rows of the range as aired before planning, so that
        nothing planned earlier in the range repeats an item they will air."""
        for row in kept:
            if row.item_id is not None and row.first_part:
                self.airings.aired(row.item_id, row.starts_at)

    def apply_kept(self, kept: _Kept) -> None:
        """Series and list progress past an approved or played row the plan reaches
        (their airings were counted by `note_kept`)."""
        if kept.item_id is None or not kept.first_part:
            return
        if kept.show_id is not None:
            self._series_seen(
                kept.show_id, kept.starts_at, (kept.season, kept.episode, kept.item_id)
            )
        if kept.pick == "specific" and kept.block_id is not None:
            self.specific_last[kept.block_id] = kept.item_id

    # -- pools ---------------------------------------------------------------------

    def _warn_once(self, key: Any, sentence: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self.report.warn(sentence)

    def _matches(self, occ: Occurrence) -> list[Candidate]:
        key = ("programmes", occ.strategy, occ.constraints, self.ceiling)
        if key not in self.cache.pools:
            query = playable(matching_ids(occ.strategy, occ.constraints, self.ceiling))
            self.cache.pools[key] = candidates(self.session, query)
        return self.cache.pools[key]

    def _pool(self, occ: Occurrence) -> Any:
        key = (occ.strategy, occ.constraints)
        if key not in self._pools:
            found = self._matches(occ)
            if occ.strategy == "series":
                shows: dict[int, list[Candidate]] = {}
                for c in found:
                    if c.show_id is not None:
                        shows.setdefault(c.show_id, []).append(c)
                for episodes in shows.values():
                    episodes.sort(key=_episode_order)
                self._pools[key] = shows
            elif occ.strategy == "specific":
                self._pools[key] = {c.id: c for c in found}
            else:
                order = "rounds" if occ.strategy == "collection" else "recent"
                pool = self.cache.sorted_pool(("sorted", key, self.ceiling), lambda: found)
                self._pools[key] = Rotation(pool, self.airings, self.seed, order)
        return self._pools[key]

    def markers(self, file_id: int) -> tuple[list[int], list[int]]:
        """The file's ad_break marker starts and chapter starts, in seconds."""
        if self.cache.markers is None:
            found: dict[int, tuple[list[int], list[int]]] = {}
            for fid, kind, start_ms in self.session.execute(
                select(MM.c.media_file_id, MM.c.marker_kind, MM.c.start_ms).where(
                    MM.c.marker_kind.in_(("ad_break", "chapter"))
                )
            ):
                ad, chapters = found.setdefault(fid, ([], []))
                (ad if kind == "ad_break" else chapters).append(int(start_ms) // 1000)
            self.cache.markers = found
        return self.cache.markers.get(file_id, ([], []))

    def fill_pools(self, occ: Occurrence, rules: ad_rules.AdRules) -> dict[str, Rotation]:
        selection = occ.constraints if isinstance(occ.constraints, SelectionConstraints) else None
        ceiling = effective_ceiling(selection.max_rating if selection else None, self.ceiling)
        allow_unrated = selection.allow_unrated if selection else False
        key = (rules.fill_kinds, ceiling, allow_unrated)
        if key not in self._fills:
            if ("fill", *key) not in self.cache.pools:
                query = fill_query(rules.fill_kinds, ceiling, allow_unrated)
                self.cache.pools[("fill", *key)] = candidates(self.session, query)
            found = self.cache.pools[("fill", *key)]

            def of_kind(kind: str) -> Callable[[], list[Candidate]]:
                return lambda: [c for c in found if c.kind == kind]

            self._fills[key] = {
                kind: Rotation(
                    self.cache.sorted_pool(("fill", kind, *key), of_kind(kind)),
                    self.airings,
                    self.seed,
                    "recent",
                )
                for kind in rules.fill_kinds
            }
        return self._fills[key]

    # -- picking programmes ----------------------------------------------------------

    def pick(self, occ: Occurrence, start: int, seconds: int, cost: _Cost) -> list[Candidate]:
        """Programmes for `seconds` of the window from `start`, in air order; each takes
        its length plus `cost(length)`, the breaks the policy will cut it with."""
        if isinstance(occ.constraints, SeriesConstraints):
            return self._pick_series(occ, start, seconds, occ.constraints, cost)
        if isinstance(occ.constraints, SpecificConstraints):
            return self._pick_specific(occ, start, seconds, occ.constraints, cost)
        rotation: Rotation = self._pool(occ)
        picked: list[Candidate] = []
        used: set[int] = set()
        remaining, at = seconds, start
        while True:
            item = rotation.take(cost.longest(remaining), at, skip=used)
            if item is None:
                break
            self.airings.aired(item.id, at)
            rotation.give_back(item)
            picked.append(item)
            used.add(item.id)
            remaining -= cost.total(item.seconds)
            at += item.seconds
        if not len(rotation):
            self._warn_once(
                ("empty", occ.block_id),
                f"“{occ.name}” matches nothing that can be played; open the block and"
                " widen what it matches, or check its files on the Libraries tab.",
            )
        return picked

    def _pick_series(
        self, occ: Occurrence, start: int, seconds: int, c: SeriesConstraints, cost: _Cost
    ) -> list[Candidate]:
        shows: dict[int, list[Candidate]] = self._pool(occ)
        order = [s for s in c.show_ids if shows.get(s)]
        if not order:
            self._warn_once(
                ("empty", occ.block_id),
                f"“{occ.name}” has no episodes that can be played; check its shows' files"
                " on the Libraries tab.",
            )
            return []
        picked: list[Candidate] = []
        used: set[int] = set()
        remaining, at = seconds, start
        while True:
            # The show that aired least recently goes next (ties: the block's order).
            ranked = sorted(
                order, key=lambda s: (self.series_last.get(s, (-_FAR, ()))[0], order.index(s))
            )
            chosen: Candidate | None = None
            for show_id in ranked:
                episode = self._next_episode(occ, show_id, shows[show_id])
                if (
                    episode is not None
                    and cost.total(episode.seconds) <= remaining
                    and episode.id not in used
                ):
                    chosen = episode
                    break
            if chosen is None:
                break
            picked.append(chosen)
            used.add(chosen.id)
            self.airings.aired(chosen.id, at)
            assert chosen.show_id is not None
            self.series_last[chosen.show_id] = (at, _episode_order(chosen))
            remaining -= cost.total(chosen.seconds)
            at += chosen.seconds
        return picked

    def _next_episode(
        self, occ: Occurrence, show_id: int, episodes: list[Candidate]
    ) -> Candidate | None:
        """The episode after the show's last one (wrapping), passing over any too long
        for the whole window (with a warning, so the run is never stuck on it)."""
        last = self.series_last.get(show_id)
        index = 0
        if last is not None:
            after = [i for i, e in enumerate(episodes) if _episode_order(e) > last[1]]
            index = after[0] if after else 0
        for step in range(len(episodes)):
            episode = episodes[(index + step) % len(episodes)]
            if episode.seconds <= occ.seconds:
                return episode
            self._warn_once(
                ("long", occ.block_id, episode.id),
                f"“{occ.name}” passes over an episode longer than the block"
                f" ({duration_words(episode.seconds)}; content item {episode.id}).",
            )
        return None

    def _pick_specific(
        self, occ: Occurrence, start: int, seconds: int, c: SpecificConstraints, cost: _Cost
    ) -> list[Candidate]:
        items: dict[int, Candidate] = self._pool(occ)
        listed = list(c.item_ids)
        if not listed:
            return []
        last = self.specific_last.get(occ.block_id)
        index = (listed.index(last) + 1) % len(listed) if last in listed else 0
        picked: list[Candidate] = []
        remaining, at = seconds, start
        for step in range(len(listed)):
            item_id = listed[(index + step) % len(listed)]
            item = items.get(item_id)
            if item is None:
                self._warn_once(
                    ("missing", occ.block_id, item_id),
                    f"“{occ.name}” names content item {item_id}, which cannot be played"
                    " (missing, unavailable or above the channel's rating); it is passed over.",
                )
                continue
            if cost.total(item.seconds) > remaining:
                if item.seconds > occ.seconds:
                    self._warn_once(
                        ("long", occ.block_id, item_id),
                        f"“{occ.name}” passes over content item {item_id}: it is longer"
                        " than the block.",
                    )
                    continue
                break
            picked.append(item)
            self.specific_last[occ.block_id] = item_id
            self.airings.aired(item.id, at)
            remaining -= cost.total(item.seconds)
            at += item.seconds
        return picked

    # -- laying out a window ---------------------------------------------------------

    def plan_window(self, occ: Occurrence, start: int, end: int, numbering: list[int]) -> int:
        """Plan [start, end) of the block's window; returns the seconds left unfilled."""
        rules = self.policies.get(occ.ad_policy_id) if occ.ad_policy_id is not None else None
        pools = self.fill_pools(occ, rules) if rules is not None and rules.fill_kinds else {}
        shortest = min((p.shortest for p in pools.values() if len(p)), default=0)
        # Leave room for each programme's breaks at the policy's length; when that fits
        # nothing at all, take programmes as they come and let the breaks shrink.
        cost = _Cost(rules if shortest else None)
        programmes = self.pick(occ, start, end - start, cost)
        if not programmes and cost.rules is not None:
            programmes = self.pick(occ, start, end - start, _Cost(None))
        layout = []
        for programme in programmes:
            wanted = breaks.wanted_breaks(rules, programme.seconds) if pools else 0
            ad_marks, chapters = self.markers(programme.file_id) if wanted else ([], [])
            layout.append((programme, breaks.cuts(programme.seconds, wanted, ad_marks, chapters)))
        total_cuts = sum(len(cuts) for _, cuts in layout)
        budget = end - start - sum(p.seconds for p in programmes)
        target = 0
        if total_cuts and rules is not None:
            target = min(rules.break_seconds, budget // total_cuts)
            if target < shortest or not shortest:
                target = 0
        if not target:
            layout = [(p, []) for p, _ in layout]
        t = start
        filler = _Filler(self, occ, rules, pools) if rules is not None else None
        for programme, cuts in layout:
            pieces = breaks.parts(programme.seconds, cuts)
            for number, (offset, length) in enumerate(pieces, start=1):
                note = f"{occ.strategy.capitalize()} block “{occ.name}”"
                if len(pieces) > 1:
                    note += f"; part {number} of {len(pieces)}"
                self.add_row(
                    occ,
                    t,
                    t + length,
                    programme,
                    item_kind="program",
                    pick=PICK_STRATEGY[occ.strategy],
                    notes=note,
                    segment=number,
                    offset_ms=offset * 1000,
                )
                t += length
                if number < len(pieces) and filler is not None:
                    numbering[0] += 1
                    t = filler.fill(t, t + target, numbering[0], f"Break {numbering[0]}")
            self.report.programmes += 1
        if filler is not None and end - t >= shortest > 0:
            numbering[0] += 1
            t = filler.fill(t, end, numbering[0], "End-of-block fill")
        return end - t

    def add_row(
        self,
        occ: Occurrence,
        start: int,
        end: int,
        item: Candidate,
        *,
        item_kind: str,
        pick: str,
        notes: str,
        segment: int | None = None,
        offset_ms: int | None = None,
        break_number: int | None = None,
        break_seq: int | None = None,
    ) -> None:
        air_date, start_time = clock.local_parts(start, self.tz)
        self.rows.append(
            {
                "channel_id": self.channel_id,
                "block_id": occ.block_id,
                "air_date": air_date,
                "start_time": start_time,
                "end_time": clock.local_parts(end, self.tz)[1],
                "content_item_id": item.id,
                "show_id": item.show_id,
                "pick_strategy": pick,
                "status": "planned",
                "notes": notes,
                "starts_at": start,
                "ends_at": end,
                "item_kind": item_kind,
                "segment": segment,
                "offset_ms": offset_ms,
                "break_number": break_number,
                "break_seq": break_seq,
            }
        )


class _Filler:
    """Fills one block window's breaks from its policy's ads, promos and bumpers."""

    def __init__(
        self,
        planner: _Planner,
        occ: Occurrence,
        rules: ad_rules.AdRules,
        pools: dict[str, Rotation],
    ) -> None:
        self.planner = planner
        self.occ = occ
        self.rules = rules
        self.pools = pools
        self.separation = rules.min_repeat_minutes * 60

    def _take(
        self, kinds: Sequence[str], seconds: int, at: int, used: set[int]
    ) -> Candidate | None:
        """The least recently aired item of `kinds` that fits, ads kept apart by the
        policy's separation."""
        offers: list[tuple[int, int, str, Candidate]] = []
        for kind in kinds:
            pool = self.pools.get(kind)
            if pool is None:
                continue
            separation = self.separation if kind == "ad" else 0
            item = pool.take(seconds, at, separation=separation, skip=used)
            if item is not None:
                offers.append((self.planner.airings.last.get(item.id, -_FAR), item.id, kind, item))
        if not offers:
            return None
        offers.sort(key=lambda o: (o[0], o[1]))
        chosen = offers[0][3]
        self.planner.airings.aired(chosen.id, at)
        for _, _, kind, item in offers:
            self.pools[kind].give_back(item)
        return chosen

    def fill(self, start: int, end: int, number: int, label: str) -> int:
        """Fill [start, end) as break `number`; returns where the break ends."""
        rules = self.rules
        bumpers_around = [k for k in ("bumper",) if k in rules.fill_kinds]
        middle = [k for k in rules.fill_kinds if k != "bumper"] or bumpers_around
        used: set[int] = set()
        picked: list[Candidate] = []
        t = start
        closing: Candidate | None = None
        if rules.bumper_after and bumpers_around:
            closing = self._take(bumpers_around, end - t, t, used)
            if closing is not None:
                used.add(closing.id)
        limit = end - (closing.seconds if closing else 0)
        if rules.bumper_before and bumpers_around:
            opening = self._take(bumpers_around, limit - t, t, used)
            if opening is not None:
                picked.append(opening)
                used.add(opening.id)
                t += opening.seconds
        while t < limit:
            item = self._take(middle, limit - t, t, used)
            if item is None:
                break
            picked.append(item)
            used.add(item.id)
            t += item.seconds
        if closing is not None:
            picked.append(closing)
            t += closing.seconds
        at = start
        note = f"{label} in “{self.occ.name}”"
        for seq, item in enumerate(picked, start=1):
            self.planner.airings.last[item.id] = at
            self.planner.add_row(
                self.occ,
                at,
                at + item.seconds,
                item,
                item_kind=item.kind,
                pick="auto",
                notes=note,
                break_number=number,
                break_seq=seq,
            )
            at += item.seconds
        return at


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
        _Kept(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] in (None, 1))
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
    planner = _Planner(session, request, tz, ceiling, report, cache or PoolCache())
    planner.load_history(lo)
    planner.note_kept(kept)
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
            planner.apply_kept(row)
            free_from = max(free_from, row.ends_at)
            next_kept += 1
        if free_from < occ.ends_at:
            unfilled += planner.plan_window(occ, free_from, occ.ends_at, numbering)
        report.unfilled_seconds += unfilled
        if unfilled >= UNFILLED_WARNING_SECONDS:
            start = clock.local_parts(occ.starts_at, tz)[1][:5]
            report.warn(
                f"“{occ.name}” on {occ.day:%a %d %b} at {start} has"
                f" {duration_words(unfilled)} unfilled."
            )
    if cancelled():
        raise _cancelled()
    progress("Writing the log", len(occs), len(occs))
    removed = session.execute(delete(INSTANCES).where(in_range, INSTANCES.c.status == "planned"))
    report.removed = int(getattr(removed, "rowcount", 0) or 0)
    rows = planner.rows
    for first in range(0, len(rows), _WRITE_BATCH):
        if cancelled():
            raise _cancelled()
        session.execute(insert(INSTANCES), rows[first : first + _WRITE_BATCH])
    report.written = len(rows)
    log.info(
        "built channel %s from %s for %s days: %s",
        request.channel_id,
        request.first_day,
        request.days,
        report.summary(),
    )
    return report
