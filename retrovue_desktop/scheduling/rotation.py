"""Who airs next from a pool: least recently aired, or least often, with seeded ties.

A build walks a channel's dates in time order and keeps, per item, when it last aired
and how often (`Airings`, seeded from the programme log and the play log). A `Rotation`
orders one pool (a block's matches, or a policy's ads) by

- `recent`: (last aired, shuffle) — `auto` blocks and break fill: least recently first;
- `rounds`: (times aired, shuffle of that round) — `collection` blocks: nothing repeats
  until every item has aired, and each round is a new shuffle.

The shuffle is a hash of the seed, the item and (for `rounds`) the round, so the same
inputs give the same order.

A pick must also fit the time left, so the pool is sorted by length and held in a
segment tree of keys: "the first item no longer than N seconds" is a prefix minimum,
O(log n) however many items are too long. Airings only ever raise a key, so an item
aired through another pool of the channel (a stale, too-small key) is re-keyed when it
comes out on top and the query repeats.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from .eligibility import Candidate

_MASK = (1 << 64) - 1
NEVER = -(1 << 62)
_NONE = (1 << 63, 0, -1)  # larger than any key: an empty slot
_SKIPPED = (1 << 62, 0)


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


class Pool:
    """A pool's items sorted by length, with a base shuffle: built once per action and
    shared by every channel's `Rotation` over the same matches."""

    def __init__(self, items: Iterable[Candidate]) -> None:
        self.items = sorted(items, key=lambda c: (c.seconds, c.id))
        self.lengths = [c.seconds for c in self.items]
        self.shuffle = [shuffle_key(c.id) for c in self.items]


class Rotation:
    """A pool's items in the order they should air next."""

    def __init__(self, pool: Pool, airings: Airings, seed: int, order: str):
        self._airings = airings
        self._seed = seed
        self._rounds = order == "rounds"
        self._items = pool.items
        self._lengths = pool.lengths
        salt = shuffle_key(seed)
        self._shuffle = [base ^ salt for base in pool.shuffle]
        self._positions = {c.id: i for i, c in enumerate(self._items)}
        size = 1
        while size < max(1, len(self._items)):
            size *= 2
        self._size = size
        self._tree: list[tuple[int, int, int]] = [_NONE] * (2 * size)
        for position in range(len(self._items)):
            self._tree[size + position] = (*self._key(position), position)
        for node in range(size - 1, 0, -1):
            self._tree[node] = min(self._tree[2 * node], self._tree[2 * node + 1])
        self.shortest = self._lengths[0] if self._items else 0

    def __len__(self) -> int:
        return len(self._items)

    def _key(self, position: int) -> tuple[int, int]:
        item_id = self._items[position].id
        if self._rounds:
            n = self._airings.count.get(item_id, 0)
            return n, (shuffle_key(self._seed, item_id, n) if n else self._shuffle[position])
        return self._airings.last.get(item_id, NEVER), self._shuffle[position]

    def _set(self, position: int, key: tuple[int, int]) -> None:
        tree = self._tree
        node = self._size + position
        tree[node] = (*key, position)
        node >>= 1
        while node:
            left, right = tree[2 * node], tree[2 * node + 1]
            tree[node] = left if left < right else right
            node >>= 1

    def _first(self, end: int) -> tuple[int, int, int]:
        """The smallest key among positions [0, end)."""
        tree = self._tree
        best = _NONE
        low, high = self._size, self._size + end
        while low < high:
            if low & 1:
                if tree[low] < best:
                    best = tree[low]
                low += 1
            if high & 1:
                high -= 1
                if tree[high] < best:
                    best = tree[high]
            low >>= 1
            high >>= 1
        return best

    def take(
        self,
        seconds: int,
        at: int,
        separation: int = 0,
        skip: frozenset[int] | set[int] = frozenset(),
    ) -> Candidate | None:
        """The next item no longer than `seconds`, not in `skip`, and (with
        `separation`) not aired within `separation` seconds before `at`; None if none.

        Call `give_back` after recording its airing so that it moves back in the order.
        """
        end = bisect_right(self._lengths, seconds)
        skipped: list[int] = []
        found: Candidate | None = None
        while end:
            a, b, position = self._first(end)
            if position < 0 or (a, b) == _SKIPPED:
                break
            current = self._key(position)
            if current != (a, b):
                self._set(position, current)
                continue
            if separation and not self._rounds and a > at - separation:
                break  # least recent first: everything else aired more recently still
            item = self._items[position]
            if item.id in skip:
                skipped.append(position)
                self._set(position, _SKIPPED)
                continue
            found = item
            break
        for position in skipped:
            self._set(position, self._key(position))
        return found

    def give_back(self, item: Candidate) -> None:
        """Re-key an item after its airing was recorded."""
        position = self._positions[item.id]
        self._set(position, self._key(position))
