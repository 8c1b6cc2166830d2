"""Who airs next from a pool: least recently aired, or least often, with seeded ties.

A build walks a channel's dates in time order and keeps, per item, when it last aired
and how often (`Airings`, seeded from the programme log and the play log). A `Rotation`
is a heap over one pool (a block's matches, or a policy's ads), keyed by

- `recent`: (last aired, shuffle) — `auto` blocks and break fill: least recently first;
- `rounds`: (times aired, shuffle of that round) — `collection` blocks: nothing repeats
  until every item has aired, and each round is a new shuffle.

The shuffle is a hash of the seed, the item and (for `rounds`) the round, so the same
inputs give the same order. Items aired through another pool carry a stale key; they
are re-keyed lazily when they reach the top.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

from .eligibility import Candidate

_MASK = (1 << 64) - 1
NEVER = -(1 << 62)
# How many items a pick may look past (too long, or just used) before giving up; keeps a
# pick cheap in a pool of 100,000 items when little time is left.
SCAN_LIMIT = 256


def shuffle_key(*parts: int) -> int:
    """A deterministic 64-bit hash of whole numbers (splitmix64 over their mix)."""
    x = 0
    for part in parts:
        x = (x * 0x100000001B3 + (part & _MASK)) & _MASK
        x = (x + 0x9E3779B97F4A7C15) & _MASK
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
        x ^= x >> 31
    return x


@dataclass
class Airings:
    """When each item last aired on the channel (UTC seconds) and how many times."""

    last: dict[int, int] = field(default_factory=dict)
    count: dict[int, int] = field(default_factory=dict)

    def aired(self, item_id: int, at: int) -> None:
        if at >= self.last.get(item_id, NEVER):
            self.last[item_id] = at
        self.count[item_id] = self.count.get(item_id, 0) + 1


class Rotation:
    """A pool's items in the order they should air next."""

    def __init__(self, items: Iterable[Candidate], airings: Airings, seed: int, order: str):
        self._airings = airings
        self._seed = seed
        self._rounds = order == "rounds"
        self._items = {c.id: c for c in items}
        self._heap = [(self._key(c.id), c.id) for c in self._items.values()]
        heapq.heapify(self._heap)
        self.shortest = min((c.seconds for c in self._items.values()), default=0)

    def __len__(self) -> int:
        return len(self._items)

    def _key(self, item_id: int) -> tuple[int, int]:
        if self._rounds:
            n = self._airings.count.get(item_id, 0)
            return n, shuffle_key(self._seed, item_id, n)
        return self._airings.last.get(item_id, NEVER), shuffle_key(self._seed, item_id)

    def take(
        self,
        seconds: int,
        at: int,
        separation: int = 0,
        skip: frozenset[int] | set[int] = frozenset(),
    ) -> Candidate | None:
        """The next item no longer than `seconds`, not in `skip`, and (with
        `separation`) not aired within `separation` seconds before `at`; None if none.

        The item leaves the pool until `give_back`: the caller records its airing first,
        so that it goes back under its new key.
        """
        if not self._items or seconds < self.shortest:
            return None
        passed: list[tuple[tuple[int, int], int]] = []
        found: Candidate | None = None
        while self._heap and len(passed) < SCAN_LIMIT:
            key, item_id = heapq.heappop(self._heap)
            current = self._key(item_id)
            if current != key:
                heapq.heappush(self._heap, (current, item_id))
                continue
            if separation and not self._rounds and key[0] > at - separation:
                # Least recent first: everything after this aired more recently still.
                passed.append((key, item_id))
                break
            candidate = self._items[item_id]
            if candidate.seconds <= seconds and item_id not in skip:
                found = candidate
                break
            passed.append((key, item_id))
        for entry in passed:
            heapq.heappush(self._heap, entry)
        return found

    def give_back(self, item: Candidate) -> None:
        """Return a taken item to the pool under its (new) key."""
        heapq.heappush(self._heap, (self._key(item.id), item.id))
