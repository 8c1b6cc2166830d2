"""Break points and counts (pure): markers first, then chapters, then even spacing,
never near the ends, never leaving a short part, never cutting a short programme."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from retrovue_desktop.scheduling.ad_rules import AdRules
from retrovue_desktop.scheduling.breaks import (
    EDGE_SECONDS,
    MIN_PART_SECONDS,
    SHORT_ITEM_SECONDS,
    Cut,
    cuts,
    parts,
    wanted_breaks,
)


def test_wanted_breaks_per_half_hour_and_per_programme() -> None:
    assert wanted_breaks(None, 3600) == 0
    assert wanted_breaks(AdRules(breaks=0), 3600) == 0
    assert wanted_breaks(AdRules(break_seconds=0), 3600) == 0
    assert wanted_breaks(AdRules(breaks=2), 22 * 60) == 2  # at least one half hour
    assert wanted_breaks(AdRules(breaks=2), 3600) == 4
    assert wanted_breaks(AdRules(breaks=1), 100 * 60) == 3
    assert wanted_breaks(AdRules(breaks_per="programme", breaks=3), 100 * 60) == 3


def test_markers_win_then_chapters_then_even() -> None:
    assert cuts(3000, 1, markers=[1000], chapters=[1500]) == [Cut(1000, "marker")]
    assert cuts(3000, 1, chapters=[1400]) == [Cut(1400, "chapter")]
    assert cuts(3000, 1) == [Cut(1500, "even")]
    # Two wanted, one marker: the marker, then the chapter nearest the open target.
    assert cuts(3000, 2, markers=[900], chapters=[2100, 2500]) == [
        Cut(900, "marker"),
        Cut(2100, "chapter"),
    ]
    # Of many markers, the ones nearest evenly spaced points.
    assert [c.at for c in cuts(3600, 2, markers=[600, 1150, 1300, 2400, 3000])] == [1150, 2400]


def test_no_cut_near_the_ends_or_leaving_a_short_part() -> None:
    assert cuts(3000, 1, markers=[60]) == [Cut(1500, "even")]
    assert cuts(3000, 2, markers=[1000, 1100]) == [Cut(1000, "marker"), Cut(2000, "even")]
    assert cuts(SHORT_ITEM_SECONDS - 1, 1) == []
    assert cuts(SHORT_ITEM_SECONDS, 5) == [Cut(300, "even")]


@given(
    seconds=st.integers(1, 4 * 3600),
    wanted=st.integers(0, 12),
    markers=st.lists(st.integers(-10, 15000), max_size=8),
    chapters=st.lists(st.integers(-10, 15000), max_size=8),
)
def test_cuts_always_keep_their_rules(
    seconds: int, wanted: int, markers: list[int], chapters: list[int]
) -> None:
    found = cuts(seconds, wanted, markers, chapters)
    assert len(found) <= wanted
    if seconds < SHORT_ITEM_SECONDS:
        assert not found
    pieces = parts(seconds, found)
    assert sum(length for _, length in pieces) == seconds
    if found:
        assert all(length >= MIN_PART_SECONDS for _, length in pieces)
        assert all(EDGE_SECONDS <= c.at <= seconds - EDGE_SECONDS for c in found)
    assert [c.at for c in found] == sorted(c.at for c in found)
