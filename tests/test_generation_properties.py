"""Generation's invariants over random catalogues and grids (hypothesis), on SQLite and
PostgreSQL: nothing above the ceiling or unplayable, nothing overlapping, outside its
block or inside another item's break, and every programme's parts add up."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling import week
from retrovue_desktop.scheduling.constraints import (
    SelectionConstraints,
    SeriesConstraints,
    SpecificConstraints,
)
from retrovue_desktop.scheduling.errors import ScheduleError
from retrovue_desktop.scheduling.generation import BuildRequest, build
from retrovue_desktop.store import models as m
from tests.generation_invariants import check_log
from tests.log_builders import Catalogue, block, channel, policy

RATINGS = [None, "G", "PG", "PG-13", "R", "TV-Y", "TV-PG", "TV-MA", "XYZ"]
ZONES = ["UTC", "America/New_York", "Europe/London"]
# Weeks holding a daylight-saving change in New York or London, and an ordinary one.
FIRST_DAYS = [date(2026, 3, 6), date(2026, 3, 27), date(2026, 10, 30), date(2026, 11, 23)]

_item = st.tuples(
    st.sampled_from(["movie", "episode", "ad", "promo", "bumper"]),
    st.integers(5, 3600),  # seconds
    st.sampled_from(RATINGS),
    st.sampled_from(["ok", "ok", "ok", "unknown", "missing", "unmapped", "unreadable"]),
    st.integers(0, 2),  # show
)
_block = st.tuples(
    st.integers(0, 6),  # day
    st.integers(0, 1439),  # start minute
    st.integers(10, 300),  # length
    st.sampled_from(["series", "specific", "collection", "auto"]),
    st.sampled_from([None, "PG", "TV-14"]),  # block ceiling (selection)
    st.booleans(),  # allow unrated
    st.booleans(),  # with ad policy
)
_policy = st.tuples(
    st.sampled_from(["half_hour", "programme"]),
    st.integers(0, 3),
    st.integers(0, 300),
    st.booleans(),
    st.booleans(),
    st.integers(0, 90),
)


def _wipe(s: Session) -> None:
    for model in (
        m.PlayLogEntry,
        m.ScheduleInstance,
        m.ScheduleBlock,
        m.AdPolicy,
        m.Channel,
        m.MediaMarker,
        m.ContentItemFile,
        m.MediaFile,
        m.ContentTag,
        m.ContentItem,
        m.Season,
        m.Show,
        m.Library,
        m.PlexServer,
    ):
        s.execute(delete(model))


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    items=st.lists(_item, min_size=1, max_size=40),
    grid=st.lists(_block, min_size=1, max_size=8),
    rules=_policy,
    channel_ceiling=st.sampled_from([None, "PG-13", "TV-PG"]),
    zone=st.sampled_from(ZONES),
    first=st.sampled_from(FIRST_DAYS),
    seed=st.integers(0, 3),
)
def test_generated_logs_keep_every_invariant(
    sessions: sessionmaker[Session],
    items: list[tuple[str, int, str | None, str, int]],
    grid: list[tuple[int, int, int, str, str | None, bool, bool]],
    rules: tuple[str, int, int, bool, bool, int],
    channel_ceiling: str | None,
    zone: str,
    first: date,
    seed: int,
) -> None:
    with sessions.begin() as s:
        _wipe(s)
        cat = Catalogue.make(s)
        shows = [cat.show(f"Show {i}", 0, 60)[0] for i in range(3)]
        ids: list[int] = []
        for n, (kind, seconds, rating, availability, show) in enumerate(items):
            episode = kind == "episode"
            ids.append(
                cat.item(
                    kind,
                    f"I{n}",
                    seconds,
                    rating=rating,
                    availability=availability,
                    show_id=shows[show] if episode else None,
                    season=1 if episode else None,
                    episode=n if episode else None,
                )
            )
            if kind == "movie" and seconds > 900:
                cat.marker(ids[-1], "ad_break", seconds // 3)
        per, count, length, before, after, gap = rules
        bumpers = before or after
        policy_id = policy(
            s,
            breaks_per=per,
            breaks=count,
            break_seconds=length,
            fill_kinds=["ad", "bumper", "promo"],
            bumper_before=before and bumpers,
            bumper_after=after,
            min_repeat_minutes=gap,
        )
        ch = channel(s, zone=zone, ceiling=channel_ceiling)
        placed: list[week.WeekBlock] = []
        for day, start, minutes, strategy, ceiling, unrated, with_policy in grid:
            candidate = week.WeekBlock.create(day, start, minutes)
            if week.conflicts(placed, candidate):
                continue
            placed.append(candidate)
            made: Any
            if strategy == "series":
                made = SeriesConstraints(show_ids=tuple(shows))
            elif strategy == "specific":
                made = SpecificConstraints(item_ids=tuple(ids[: 1 + start % len(ids)]))
            else:
                clean = ceiling if ceiling is None or channel_ceiling is None else None
                made = SelectionConstraints(max_rating=clean, allow_unrated=unrated)
            end = week.format_time((candidate.start + minutes) % 1440)[:5]
            try:
                block(
                    s,
                    ch,
                    f"B{len(placed)}",
                    candidate.day_of_week,
                    week.format_time(candidate.start)[:5],
                    end,
                    strategy,
                    made,
                    policy_id if with_policy else None,
                )
            except ScheduleError:
                placed.pop()
    with sessions.begin() as s:
        build(s, BuildRequest(ch, first, 7, seed), station_zone="UTC", station_ceiling=None)
    with sessions() as s:
        found = check_log(s, ch, first, 7, zone, channel_ceiling)
    event("rows written" if found else "nothing written")
    event("with breaks" if any(r.break_number for r in found) else "no breaks")
    event("programmes cut" if any(r.segment == 2 for r in found) else "nothing cut")
