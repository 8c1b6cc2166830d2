"""Where a programme's ad breaks go and how many it gets; pure arithmetic, no database.

DESIGN.md: breaks go at `ad_break` markers first, then chapter boundaries, then evenly
spaced points. Whatever the source, a cut is never within `EDGE_SECONDS` of either end
of the programme, no part is left shorter than `MIN_PART_SECONDS`, and a programme
shorter than `SHORT_ITEM_SECONDS` is never cut (a cartoon or a music video plays whole).

When a programme has more markers than it needs breaks, the markers nearest to evenly
spaced points are used, so the breaks spread over the programme rather than bunching
where an editor marked many.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from .ad_rules import AdRules

EDGE_SECONDS = 120
MIN_PART_SECONDS = 300
SHORT_ITEM_SECONDS = 600
HALF_HOUR = 1800


@dataclass(frozen=True)
class Cut:
    """A break point `at` seconds into the programme, and what put it there."""

    at: int
    source: str  # "marker", "chapter" or "even"


def wanted_breaks(rules: AdRules | None, seconds: int) -> int:
    """How many breaks the policy asks for inside a programme of `seconds`."""
    if rules is None or rules.breaks == 0 or rules.break_seconds == 0:
        return 0
    if rules.breaks_per == "programme":
        return rules.breaks
    half_hours = max(1, round(seconds / HALF_HOUR))
    return rules.breaks * half_hours


def cuts(
    seconds: int,
    wanted: int,
    markers: Sequence[int] = (),
    chapters: Sequence[int] = (),
) -> list[Cut]:
    """Up to `wanted` break points in a programme of `seconds`, in time order.

    `markers` are the file's `ad_break` marker starts and `chapters` its chapter starts,
    in whole seconds. Fewer cuts come back when the rules above leave no room for more.
    """
    if wanted <= 0 or seconds < SHORT_ITEM_SECONDS:
        return []
    targets = [seconds * k / (wanted + 1) for k in range(1, wanted + 1)]
    chosen: list[Cut] = []

    def fits(at: int) -> bool:
        if at < EDGE_SECONDS or at > seconds - EDGE_SECONDS:
            return False
        bounds = [0, seconds, *(c.at for c in chosen)]
        return all(abs(at - b) >= MIN_PART_SECONDS for b in bounds)

    open_targets = list(targets)
    for source, points in (("marker", markers), ("chapter", chapters)):
        for target in list(open_targets):
            usable = sorted({p for p in points if fits(p)}, key=lambda p: (abs(p - target), p))
            if usable:
                chosen.append(Cut(usable[0], source))
                open_targets.remove(target)
    for target in open_targets:
        at = round(target)
        if fits(at):
            chosen.append(Cut(at, "even"))
    return sorted(chosen, key=lambda c: c.at)


def parts(seconds: int, at: Sequence[Cut]) -> list[tuple[int, int]]:
    """The (offset, length) of each part of a programme cut at `at`."""
    edges = [0, *(c.at for c in at), seconds]
    return [(a, b - a) for a, b in pairwise(edges)]
