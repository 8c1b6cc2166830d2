"""Which items a block matches, against an independent Python reading of the rows.

Every expectation is computed here from the raw rows with plain Python (the shared
rating scale's `within_ceiling`, tuple comparisons, set operations), never through the
SQL under test. The hypothesis test builds a random catalogue inside a transaction per
example and rolls it back.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop import ratings
from retrovue_desktop.scheduling import constraints as c
from retrovue_desktop.scheduling.errors import ConstraintsError
from retrovue_desktop.scheduling.matching import PROGRAMME_KINDS, count_matches, matching_ids
from retrovue_desktop.store import models as m
from retrovue_desktop.store.catalog import CONTENT_KINDS
from tests.builders import add

TAGS = ("genre:comedy", "holiday:christmas", "audience:adult", "tone:dark", "genre:drama")
CODES = (*ratings.CODES, None, "NR")  # "NR": a code the scale does not know (unrated)
MIN = 60_000


@dataclass
class Item:
    """One content item as inserted: the independent side's view of the row."""

    kind: str
    show: int | None = None
    season: int | None = None
    episode: int | None = None
    rating: str | None = None
    duration_ms: int | None = None
    library: int | None = None
    gone: bool = False
    tags: frozenset[str] = field(default_factory=frozenset)
    id: int = 0


@dataclass
class Parents:
    libraries: tuple[int, int]
    shows: tuple[int, int]


def _parents(sessions: sessionmaker[Session]) -> Parents:
    with sessions() as s, s.begin():
        server = add(s, m.PlexServer, name="Den")
        tv = add(
            s, m.Library, server_id=server, plex_library_key="1", title="TV", library_type="show"
        )
        ads = add(
            s, m.Library, source="local", root_path="/srv/ads", title="Ads", library_type="ad"
        )
        shows = tuple(
            add(s, m.Show, server_id=server, library_id=tv, plex_rating_key=f"s{n}", title=title)
            for n, title in enumerate(("Cheers", "Taxi"))
        )
    return Parents((tv, ads), (shows[0], shows[1]))


def _insert(session: Session, items: list[Item]) -> None:
    for item in items:
        item.id = add(
            session,
            m.ContentItem,
            kind=item.kind,
            title=f"{item.kind} {item.show} {item.season}x{item.episode}",
            show_id=item.show,
            season_number=item.season,
            episode_number=item.episode,
            rating_code=item.rating,
            duration_ms=item.duration_ms,
            library_id=item.library,
            gone_from_source_at=1_700_000_000 if item.gone else None,
        )
        if item.tags:
            session.execute(
                insert(m.ContentTag),
                [
                    {"content_item_id": item.id, "namespace": t.split(":")[0],
                     "key": t.split(":")[1]}
                    for t in sorted(item.tags)
                ],
            )  # fmt: skip


def expected(
    items: list[Item], strategy: str, cons: c.Constraints, channel: str | None
) -> set[int]:
    """The rule of docs/constraints.md, written out over Python values."""
    out = set()
    for item in items:
        if item.gone:
            continue
        if isinstance(cons, c.SeriesConstraints):
            if item.kind != "episode" or item.show not in cons.show_ids:
                continue
            start = cons.start_from
            if start is not None:
                if item.season is None:
                    continue
                later_season = item.season > start.season
                same_season = item.season == start.season and (
                    item.episode is not None and item.episode >= start.episode
                )
                if not (later_season or same_season):
                    continue
            if not ratings.within_ceiling(item.rating, channel, allow_unrated=True):
                continue
        elif isinstance(cons, c.SpecificConstraints):
            if item.id not in cons.item_ids:
                continue
            if not ratings.within_ceiling(item.rating, channel, allow_unrated=True):
                continue
        else:
            kinds = cons.kinds or PROGRAMME_KINDS
            if item.kind not in kinds:
                continue
            if cons.library_ids and item.library not in cons.library_ids:
                continue
            if not set(cons.tags_include) <= item.tags or set(cons.tags_exclude) & item.tags:
                continue
            low, high = cons.min_duration_minutes, cons.max_duration_minutes
            if low is not None or high is not None:
                if item.duration_ms is None:
                    continue
                if low is not None and item.duration_ms < low * MIN:
                    continue
                if high is not None and item.duration_ms > high * MIN:
                    continue
            ceiling = c.effective_ceiling(cons.max_rating, channel)
            if not ratings.within_ceiling(item.rating, ceiling, cons.allow_unrated):
                continue
        out.add(item.id)
    return out


def _matched(session: Session, strategy: str, cons: c.Constraints, channel: str | None) -> set[int]:
    return set(session.scalars(matching_ids(strategy, cons, channel)))


def _fixture_items(p: Parents) -> list[Item]:
    tv, ads = p.libraries
    cheers, taxi = p.shows
    items = [
        Item("episode", cheers, season, episode, "TV-PG", 22 * MIN, tv)
        for season in (1, 2, 3)
        for episode in (1, 2, 3)
    ]
    items += [
        Item("episode", cheers, 2, 4, None, 22 * MIN, tv),  # unrated episode
        Item("episode", cheers, 2, 5, "TV-MA", 22 * MIN, tv),  # above a TV-14 channel
        Item("episode", cheers, 2, 6, "TV-PG", 22 * MIN, tv, gone=True),
        Item("episode", cheers, None, None, "TV-PG", 22 * MIN, tv),  # no numbers
        Item("clip", cheers, 1, 9, "TV-PG", 2 * MIN, tv),  # not an episode
        Item("episode", taxi, 1, 1, "TV-14", 25 * MIN, tv, tags=frozenset({"genre:comedy"})),
        Item("movie", None, None, None, "PG", 95 * MIN, tv,
             tags=frozenset({"holiday:christmas", "genre:comedy"})),
        Item("movie", None, None, None, "R", 120 * MIN, tv,
             tags=frozenset({"holiday:christmas", "audience:adult"})),
        Item("movie", None, None, None, "NR", 20 * MIN, tv, tags=frozenset({"holiday:christmas"})),
        Item("movie", None, None, None, None, None, tv),
        Item("movie", None, None, None, "G", 30 * MIN, tv, gone=True),
        Item("ad", None, None, None, None, 30_000, ads, tags=frozenset({"holiday:christmas"})),
        Item("promo", None, None, None, "TV-G", 20_000, ads),
        Item("bumper", None, None, None, None, 5_000, ads),
    ]  # fmt: skip
    return items


@pytest.fixture
def catalogue(sessions: sessionmaker[Session]) -> Iterator[tuple[Parents, list[Item]]]:
    parents = _parents(sessions)
    items = _fixture_items(parents)
    with sessions() as s, s.begin():
        _insert(s, items)
    yield parents, items


def _check(
    sessions: sessionmaker[Session],
    items: list[Item],
    strategy: str,
    cons: c.Constraints,
    channel: str | None,
) -> set[int]:
    want = expected(items, strategy, cons, channel)
    with sessions() as s:
        assert _matched(s, strategy, cons, channel) == want
        assert count_matches(s, strategy, cons, channel) == len(want)
    return want


def _ids(items: list[Item], *indexes: int) -> set[int]:
    return {items[i].id for i in indexes}


def test_series_plays_the_shows_episodes_and_skips_gone_and_non_episodes(
    sessions: sessionmaker[Session], catalogue: tuple[Parents, list[Item]]
) -> None:
    p, items = catalogue
    got = _check(sessions, items, "series", c.SeriesConstraints((p.shows[0],)), None)
    # 9 numbered + unrated + TV-MA + the unnumbered one; not the gone one, not the clip.
    assert got == _ids(items, *range(9), 9, 10, 12)
    both = _check(sessions, items, "series", c.SeriesConstraints(p.shows), None)
    assert both == got | _ids(items, 14)


def test_series_start_from_and_the_channel_ceiling(
    sessions: sessionmaker[Session], catalogue: tuple[Parents, list[Item]]
) -> None:
    p, items = catalogue
    start = c.SeriesConstraints((p.shows[0],), c.EpisodeRef(2, 3))
    got = _check(sessions, items, "series", start, None)
    # S2E3, S2E4 (unrated), S2E5, S3E1-3; the episode without numbers cannot be placed.
    assert got == _ids(items, 5, 9, 10, 6, 7, 8)
    # A TV-14 channel drops the TV-MA episode; the unrated one stays (the block names it).
    assert _check(sessions, items, "series", start, "TV-14") == got - _ids(items, 10)
    later = c.SeriesConstraints((p.shows[0],), c.EpisodeRef(4, 0))
    assert _check(sessions, items, "series", later, None) == set()


def test_specific_counts_each_existing_item_once(
    sessions: sessionmaker[Session], catalogue: tuple[Parents, list[Item]]
) -> None:
    _p, items = catalogue
    named = (items[0].id, items[0].id, items[10].id, items[11].id, items[18].id, 999_999)
    got = _check(sessions, items, "specific", c.SpecificConstraints(named), None)
    assert got == _ids(items, 0, 10, 18)  # repeats once, gone and missing ids left out
    # The channel's ceiling: TV-MA goes, the unrated movie stays.
    on_kids = _check(sessions, items, "specific", c.SpecificConstraints(named), "TV-PG")
    assert on_kids == _ids(items, 0, 18)


def test_auto_without_constraints_is_every_programme(
    sessions: sessionmaker[Session], catalogue: tuple[Parents, list[Item]]
) -> None:
    _p, items = catalogue
    got = _check(sessions, items, "auto", c.SelectionConstraints(), None)
    assert {i.kind for i in items if i.id in got} == {"episode", "movie"}
    assert not any(i.gone for i in items if i.id in got)


@pytest.mark.parametrize(
    ("field_values", "channel"),
    [
        ({"tags_include": ("holiday:christmas",)}, None),
        ({"tags_include": ("holiday:christmas", "genre:comedy")}, None),
        ({"tags_include": ("holiday:christmas",), "tags_exclude": ("audience:adult",)}, None),
        ({"tags_exclude": ("genre:comedy", "audience:adult")}, None),
        ({"kinds": ("ad", "promo")}, None),
        ({"kinds": ("clip",)}, None),
        ({"library_ids": "ads"}, None),
        ({"kinds": CONTENT_KINDS, "library_ids": "tv"}, None),
        ({"max_rating": "PG"}, None),
        ({"max_rating": "PG", "allow_unrated": True}, None),
        ({}, "TV-14"),
        ({"allow_unrated": True}, "TV-14"),
        ({"max_rating": "TV-Y"}, "TV-14"),
        ({"max_rating": "NC-17"}, "TV-PG"),  # the gentler (the channel's) wins
        ({"max_rating": "R", "kinds": CONTENT_KINDS}, None),
        ({"min_duration_minutes": 22}, None),
        ({"max_duration_minutes": 22}, None),
        ({"min_duration_minutes": 23, "max_duration_minutes": 100}, None),
        ({"max_duration_minutes": 0, "kinds": CONTENT_KINDS}, None),
        ({"date_range": c.DateRange("12-01", "12-31")}, None),
    ],
)
def test_selection_fields(
    sessions: sessionmaker[Session],
    catalogue: tuple[Parents, list[Item]],
    field_values: dict[str, Any],
    channel: str | None,
) -> None:
    p, items = catalogue
    values = dict(field_values)
    if values.get("library_ids") == "ads":
        values["library_ids"] = (p.libraries[1],)
    elif values.get("library_ids") == "tv":
        values["library_ids"] = (p.libraries[0],)
    cons = c.SelectionConstraints(**values)
    for strategy in ("collection", "auto"):
        _check(sessions, items, strategy, cons, channel)


def test_selection_fields_pick_what_the_docs_say(
    sessions: sessionmaker[Session], catalogue: tuple[Parents, list[Item]]
) -> None:
    """A few hand-counted answers, so the reference itself is checked once."""
    p, items = catalogue
    christmas = c.SelectionConstraints(tags_include=("holiday:christmas",))
    assert _check(sessions, items, "collection", christmas, None) == _ids(items, 15, 16, 17)
    assert _check(sessions, items, "collection", christmas, "PG-13") == _ids(items, 15)
    unrated = c.SelectionConstraints(tags_include=("holiday:christmas",), allow_unrated=True)
    assert _check(sessions, items, "collection", unrated, "PG-13") == _ids(items, 15, 17)
    ads = c.SelectionConstraints(kinds=("ad",), library_ids=(p.libraries[1],))
    assert _check(sessions, items, "collection", ads, None) == _ids(items, 20)
    short = c.SelectionConstraints(max_duration_minutes=20)
    assert _check(sessions, items, "auto", short, None) == _ids(items, 17)  # 20 min is in
    untimed = c.SelectionConstraints(min_duration_minutes=0)
    assert items[18].id not in _check(sessions, items, "auto", untimed, None)


def test_constraints_of_another_form_are_refused() -> None:
    with pytest.raises(ConstraintsError):
        matching_ids("series", c.SelectionConstraints(), None)
    with pytest.raises(ConstraintsError):
        matching_ids("auto", c.SpecificConstraints((1,)), None)


def test_an_unknown_ceiling_lets_only_unrated_through_when_allowed(
    sessions: sessionmaker[Session], catalogue: tuple[Parents, list[Item]]
) -> None:
    _p, items = catalogue
    # A channel ceiling the scale does not know (hand-edited database): nothing rated.
    got = _check(sessions, items, "auto", c.SelectionConstraints(allow_unrated=True), "XYZ")
    assert got == {i.id for i in items if not i.gone and i.kind in PROGRAMME_KINDS
                   and ratings.rank(i.rating) is None}  # fmt: skip


# -- random catalogues and constraints ---------------------------------------------------

_tags = st.frozensets(st.sampled_from(TAGS), max_size=3)
# Constraints are often left empty, or nothing would ever match a small catalogue.
_few_tags = st.just(frozenset[str]()) | st.frozensets(st.sampled_from(TAGS), max_size=2)
_minutes = st.none() | st.none() | st.integers(min_value=0, max_value=130)


@st.composite
def _items(draw: st.DrawFn, p: Parents) -> list[Item]:
    out = []
    for _ in range(draw(st.integers(min_value=0, max_value=25))):
        kind = draw(st.sampled_from(("episode", "episode", "movie", *CONTENT_KINDS)))
        out.append(
            Item(
                kind=kind,
                show=draw(st.sampled_from((None, *p.shows))),
                season=draw(st.none() | st.integers(min_value=0, max_value=3)),
                episode=draw(st.none() | st.integers(min_value=0, max_value=4)),
                rating=draw(st.sampled_from(CODES)),
                duration_ms=draw(st.none() | st.integers(min_value=0, max_value=140 * MIN)),
                library=draw(st.sampled_from((None, *p.libraries))),
                gone=draw(st.booleans()),
                tags=draw(_tags),
            )
        )
    return out


@st.composite
def _constraints(draw: st.DrawFn, p: Parents) -> tuple[str, c.Constraints]:
    strategy = draw(st.sampled_from(("series", "specific", "collection", "auto")))
    if strategy == "series":
        shows = draw(st.lists(st.sampled_from(p.shows), min_size=1, max_size=2, unique=True))
        start = draw(st.none() | st.builds(c.EpisodeRef, st.integers(0, 3), st.integers(0, 4)))
        return strategy, c.SeriesConstraints(tuple(sorted(shows)), start)
    if strategy == "specific":
        # Ids are drawn from a window; the test maps them onto the inserted items.
        return strategy, c.SpecificConstraints(
            tuple(draw(st.lists(st.integers(1, 30), min_size=1, max_size=8)))
        )
    include = draw(_few_tags)
    exclude = draw(_few_tags) - include
    low, high = draw(_minutes), draw(_minutes)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return strategy, c.SelectionConstraints(
        tags_include=tuple(sorted(include)),
        tags_exclude=tuple(sorted(exclude)),
        kinds=tuple(sorted(draw(st.sets(st.sampled_from(CONTENT_KINDS), max_size=4)))),
        library_ids=tuple(sorted(draw(st.sets(st.sampled_from(p.libraries), max_size=1)))),
        max_rating=draw(st.sampled_from((None, *ratings.CODES))),
        allow_unrated=draw(st.booleans()),
        min_duration_minutes=low,
        max_duration_minutes=high,
    )


def test_random_catalogues_match_the_reference(sessions: sessionmaker[Session]) -> None:
    parents = _parents(sessions)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        items=_items(parents),
        form=_constraints(parents),
        channel=st.sampled_from((None, *ratings.CODES)),
    )
    def run(items: list[Item], form: tuple[str, c.Constraints], channel: str | None) -> None:
        strategy, cons = form
        with sessions() as s:
            s.begin()
            try:
                _insert(s, items)
                if isinstance(cons, c.SpecificConstraints) and items:
                    # Point the drawn numbers at real items (and some past the end).
                    base = min(i.id for i in items) - 1
                    cons = c.SpecificConstraints(tuple(base + n for n in cons.item_ids))
                want = expected(items, strategy, cons, channel)
                assert _matched(s, strategy, cons, channel) == want
                assert count_matches(s, strategy, cons, channel) == len(want)
            finally:
                s.rollback()

    run()


def _random_item(rng: random.Random, p: Parents) -> Item:
    return Item(
        kind=rng.choice(("episode", "episode", "movie", *CONTENT_KINDS)),
        show=rng.choice((None, *p.shows)),
        season=rng.choice((None, 0, 1, 2, 3)),
        episode=rng.choice((None, 0, 1, 2, 3, 4)),
        rating=rng.choice(CODES),
        duration_ms=rng.choice((None, rng.randrange(0, 140 * MIN))),
        library=rng.choice((None, *p.libraries)),
        gone=rng.random() < 0.1,
        tags=frozenset(rng.sample(TAGS, rng.randint(0, 3))),
    )


def _random_selection(rng: random.Random, p: Parents) -> c.SelectionConstraints:
    def maybe(value: Any, chance: float = 0.3) -> Any:
        return value if rng.random() < chance else None

    include = set(maybe(rng.sample(TAGS, rng.randint(1, 2))) or ())
    exclude = set(maybe(rng.sample(TAGS, 1)) or ()) - include
    low, high = maybe(rng.randrange(0, 60)), maybe(rng.randrange(20, 140))
    if low is not None and high is not None and low > high:
        low, high = high, low
    return c.SelectionConstraints(
        tags_include=tuple(sorted(include)),
        tags_exclude=tuple(sorted(exclude)),
        kinds=tuple(sorted(maybe(rng.sample(CONTENT_KINDS, rng.randint(1, 4))) or ())),
        library_ids=tuple(maybe([rng.choice(p.libraries)]) or ()),
        max_rating=maybe(rng.choice(ratings.CODES), 0.5),
        allow_unrated=rng.random() < 0.5,
        min_duration_minutes=low,
        max_duration_minutes=high,
    )


def test_a_larger_random_catalogue_matches_the_reference(sessions: sessionmaker[Session]) -> None:
    """500 items, 150 random blocks: most of them match something, all match exactly."""
    rng = random.Random(7)
    parents = _parents(sessions)
    items = [_random_item(rng, parents) for _ in range(500)]
    with sessions() as s, s.begin():
        _insert(s, items)
    ids = [i.id for i in items]
    nonempty = 0
    with sessions() as s:
        for _ in range(150):
            strategy = rng.choice(("series", "specific", "collection", "auto"))
            cons: c.Constraints
            if strategy == "series":
                start = c.EpisodeRef(rng.randint(0, 3), rng.randint(0, 4))
                shows = tuple(rng.sample(parents.shows, rng.randint(1, 2)))
                cons = c.SeriesConstraints(shows, start if rng.random() < 0.5 else None)
            elif strategy == "specific":
                cons = c.SpecificConstraints(tuple(rng.choices(ids, k=rng.randint(1, 12))))
            else:
                cons = _random_selection(rng, parents)
            channel = rng.choice((None, *ratings.CODES))
            want = expected(items, strategy, cons, channel)
            assert _matched(s, strategy, cons, channel) == want, (strategy, cons, channel)
            assert count_matches(s, strategy, cons, channel) == len(want)
            nonempty += bool(want)
    assert nonempty > 100
