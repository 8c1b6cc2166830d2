"""Which programmes fill a block's window, by its strategy, and which fill items a
policy's breaks draw from: the pools read from the catalogue and the rotations over them.

Strategies (DESIGN.md): `series` continues each show from its last episode on the
channel, wrapping, the least recently aired show first; `specific` continues the block's
list; `collection` airs every match once per seeded round; `auto` least recently first.
Programmes are picked only if they fit the time left with the breaks their policy will
give them (`Cost`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from retrovue_desktop.store.tables import MM
from retrovue_desktop.words import duration

from . import ad_rules, breaks
from .constraints import (
    SelectionConstraints,
    SeriesConstraints,
    SpecificConstraints,
    effective_ceiling,
)
from .eligibility import Candidate, candidates, fill_query, playable
from .history import ChannelHistory, episode_order
from .matching import matching_ids
from .occurrences import Occurrence
from .rotation import NEVER, Pool, Rotation


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


class Cost:
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


class Picker:
    """One channel's pools and rotations, and the picks of each block window."""

    def __init__(
        self,
        session: Session,
        cache: PoolCache,
        history: ChannelHistory,
        ceiling: str | None,
        seed: int,
        warn: Callable[[str], None],
    ) -> None:
        self.session = session
        self.cache = cache
        self.history = history
        self.ceiling = ceiling
        self.seed = seed
        self.warn = warn
        self._pools: dict[Any, Any] = {}
        self._fills: dict[Any, dict[str, Rotation]] = {}
        self._warned: set[Any] = set()

    def _warn_once(self, key: Any, sentence: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self.warn(sentence)

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
                    episodes.sort(key=episode_order)
                self._pools[key] = shows
            elif occ.strategy == "specific":
                self._pools[key] = {c.id: c for c in found}
            else:
                order = "rounds" if occ.strategy == "collection" else "recent"
                pool = self.cache.sorted_pool(("sorted", key, self.ceiling), lambda: found)
                self._pools[key] = Rotation(pool, self.history.airings, self.seed, order)
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
                    self.history.airings,
                    self.seed,
                    "recent",
                )
                for kind in rules.fill_kinds
            }
        return self._fills[key]

    def pick(self, occ: Occurrence, start: int, seconds: int, cost: Cost) -> list[Candidate]:
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
            self.history.airings.aired(item.id, at)
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
        self, occ: Occurrence, start: int, seconds: int, c: SeriesConstraints, cost: Cost
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
                order,
                key=lambda s: (self.history.series_last.get(s, (NEVER, ()))[0], order.index(s)),
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
            self.history.airings.aired(chosen.id, at)
            assert chosen.show_id is not None
            self.history.series_last[chosen.show_id] = (at, episode_order(chosen))
            remaining -= cost.total(chosen.seconds)
            at += chosen.seconds
        return picked

    def _next_episode(
        self, occ: Occurrence, show_id: int, episodes: list[Candidate]
    ) -> Candidate | None:
        """The episode after the show's last one (wrapping), passing over any too long
        for the whole window (with a warning, so the run is never stuck on it)."""
        last = self.history.series_last.get(show_id)
        index = 0
        if last is not None:
            after = [i for i, e in enumerate(episodes) if episode_order(e) > last[1]]
            index = after[0] if after else 0
        for step in range(len(episodes)):
            episode = episodes[(index + step) % len(episodes)]
            if episode.seconds <= occ.seconds:
                return episode
            self._warn_once(
                ("long", occ.block_id, episode.id),
                f"“{occ.name}” passes over an episode longer than the block"
                f" ({duration(episode.seconds)}; content item {episode.id}).",
            )
        return None

    def _pick_specific(
        self, occ: Occurrence, start: int, seconds: int, c: SpecificConstraints, cost: Cost
    ) -> list[Candidate]:
        items: dict[int, Candidate] = self._pool(occ)
        listed = list(c.item_ids)
        if not listed:
            return []
        last = self.history.specific_last.get(occ.block_id)
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
            self.history.specific_last[occ.block_id] = item_id
            self.history.airings.aired(item.id, at)
            remaining -= cost.total(item.seconds)
            at += item.seconds
        return picked
