"""Programme-log generation on a small hand-built station, on SQLite and PostgreSQL:
each strategy's exact items and times, progress across blocks and rebuilds, ceilings,
availability, ad breaks, kept rows, determinism and daylight saving."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling import clock
from retrovue_desktop.scheduling.constraints import (
    DateRange,
    EpisodeRef,
    SelectionConstraints,
    SeriesConstraints,
    SpecificConstraints,
)
from retrovue_desktop.scheduling.errors import BuildCancelled, ScheduleError
from retrovue_desktop.scheduling.generation import BuildReport, BuildRequest, build
from retrovue_desktop.store import models as m
from retrovue_desktop.store.tables import INSTANCES
from tests.builders import add
from tests.log_builders import MINUTE, Catalogue, block, channel, policy

MONDAY = date(2026, 11, 23)  # grid day 1
TUESDAY = date(2026, 11, 24)


def utc(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def run(
    sessions: sessionmaker[Session],
    channel_id: int,
    first: date,
    days: int,
    seed: int = 0,
    zone: str = "UTC",
    ceiling: str | None = None,
) -> BuildReport:
    with sessions() as s, s.begin():
        return build(
            s,
            BuildRequest(channel_id, first, days, seed),
            station_zone=zone,
            station_ceiling=ceiling,
        )


def rows(sessions: sessionmaker[Session], channel_id: int, **where: Any) -> list[Any]:
    with sessions() as s:
        query = select(INSTANCES).where(INSTANCES.c.channel_id == channel_id)
        for name, value in where.items():
            query = query.where(INSTANCES.c[name] == value)
        return list(s.execute(query.order_by(INSTANCES.c.starts_at)).all())


def programmes(sessions: sessionmaker[Session], channel_id: int) -> list[tuple[int, str, int]]:
    """(content item, local start "YYYY-MM-DD HH:MM:SS", segment) of programme rows."""
    return [
        (r.content_item_id, f"{r.air_date} {r.start_time}", r.segment)
        for r in rows(sessions, channel_id, item_kind="program")
    ]


def test_series_continues_across_blocks_days_and_rebuilds(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        show, eps = cat.show("Cheers", 4, 22 * MINUTE)
        ch = channel(s)
        rules = SeriesConstraints(show_ids=(show,))
        block(s, ch, "Cheers hour", 1, "20:00", "21:00", "series", rules)
        block(s, ch, "Cheers late", 2, "23:30", "00:00", "series", rules)
    report = run(sessions, ch, MONDAY, 2)
    assert programmes(sessions, ch) == [
        (eps[0], "2026-11-23 20:00:00", 1),
        (eps[1], "2026-11-23 20:22:00", 1),
        (eps[2], "2026-11-24 23:30:00", 1),
    ]
    assert report.programmes == 3 and report.written == 3
    # 16 min left on Monday, 8 min on Tuesday: no ad policy fills them.
    assert report.unfilled_seconds == 24 * MINUTE
    assert any("Cheers hour" in w and "16 min unfilled" in w for w in report.warnings)
    first = rows(sessions, ch)[0]
    assert (first.starts_at, first.ends_at) == (utc("2026-11-23T20:00"), utc("2026-11-23T20:22"))
    assert first.pick_strategy == "series_next" and first.status == "planned"
    assert first.show_id == show and first.offset_ms == 0

    # Rebuilding Tuesday alone continues from Monday's last episode; the week after
    # carries on and wraps past the last episode.
    again = run(sessions, ch, TUESDAY, 1)
    assert again.removed == 1 and again.written == 1
    assert [p[0] for p in programmes(sessions, ch)] == [eps[0], eps[1], eps[2]]
    run(sessions, ch, date(2026, 11, 30), 2)
    assert [p[0] for p in programmes(sessions, ch)][3:] == [eps[3], eps[0], eps[1]]


def test_series_start_from_and_several_shows_alternate(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        a, a_eps = cat.show("Alf", 3, 25 * MINUTE, seasons=2)
        b, _b_eps = cat.show("Benson", 3, 25 * MINUTE)
        ch = channel(s)
        rules = SeriesConstraints(show_ids=(a, b), start_from=EpisodeRef(2, 2))
        block(s, ch, "Two shows", 1, "19:00", "21:00", "series", rules)
    run(sessions, ch, MONDAY, 1)
    # Alf starts at S2E2 (start_from applies to what the block matches), Benson at
    # its first episode that passes it — none of season 1 — so only Alf airs.
    assert [p[0] for p in programmes(sessions, ch)] == [a_eps[4], a_eps[5]]


def test_specific_plays_the_named_items_in_order(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        one = cat.item("movie", "One", 30 * MINUTE)
        two = cat.item("movie", "Two", 30 * MINUTE)
        three = cat.item("movie", "Three", 30 * MINUTE)
        ch = channel(s)
        block(
            s,
            ch,
            "Picks",
            1,
            "18:00",
            "19:30",
            "specific",
            SpecificConstraints(item_ids=(two, one, three)),
        )
        block(
            s,
            ch,
            "Short picks",
            2,
            "18:00",
            "19:00",
            "specific",
            SpecificConstraints(item_ids=(three, one)),
        )
    run(sessions, ch, MONDAY, 2)
    assert programmes(sessions, ch) == [
        (two, "2026-11-23 18:00:00", 1),
        (one, "2026-11-23 18:30:00", 1),
        (three, "2026-11-23 19:00:00", 1),
        (three, "2026-11-24 18:00:00", 1),
        (one, "2026-11-24 18:30:00", 1),
    ]
    assert {r.pick_strategy for r in rows(sessions, ch)} == {"specific"}


def test_specific_continues_where_the_block_left_off(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        films = [cat.item("movie", f"F{i}", 60 * MINUTE) for i in range(3)]
        ch = channel(s)
        block(
            s,
            ch,
            "Film",
            1,
            "20:00",
            "21:00",
            "specific",
            SpecificConstraints(item_ids=tuple(films)),
        )
    run(sessions, ch, MONDAY, 1)
    run(sessions, ch, date(2026, 11, 30), 1)
    run(sessions, ch, date(2026, 12, 7), 1)
    run(sessions, ch, date(2026, 12, 14), 1)
    assert [p[0] for p in programmes(sessions, ch)] == [films[0], films[1], films[2], films[0]]


def test_collection_never_repeats_until_all_have_aired(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        pool = [cat.item("movie", f"M{i}", 30 * MINUTE, tags=("genre:comedy",)) for i in range(5)]
        cat.item("movie", "Drama", 30 * MINUTE, tags=("genre:drama",))
        ch = channel(s)
        rules = SelectionConstraints(tags_include=("genre:comedy",))
        for day in range(7):
            block(s, ch, "Comedy", day, "20:00", "21:00", "collection", rules)
    run(sessions, ch, MONDAY, 7, seed=3)
    aired = [p[0] for p in programmes(sessions, ch)]
    assert len(aired) == 14 and set(aired) == set(pool)
    for start in range(0, 10, 5):
        assert sorted(aired[start : start + 5]) == sorted(pool)  # each round has all five
    assert {r.pick_strategy for r in rows(sessions, ch)} == {"auto"}
    # Deterministic: the same seed gives the same log; another seed another shuffle.
    before = [(r.content_item_id, r.starts_at) for r in rows(sessions, ch)]
    run(sessions, ch, MONDAY, 7, seed=3)
    assert [(r.content_item_id, r.starts_at) for r in rows(sessions, ch)] == before
    orders = set()
    for seed in range(6):
        run(sessions, ch, MONDAY, 7, seed=seed)
        orders.add(tuple(p[0] for p in programmes(sessions, ch)))
    assert len(orders) > 1


def test_auto_airs_least_recently_aired_first(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        a = cat.item("movie", "A", 30 * MINUTE)
        b = cat.item("movie", "B", 30 * MINUTE)
        c = cat.item("movie", "C", 30 * MINUTE)
        ch = channel(s)
        block(s, ch, "Auto", 1, "20:00", "21:00", "auto", SelectionConstraints())
        # History: C aired long ago (play log), A last week (programme log), B never.
        add(
            s,
            m.PlayLogEntry,
            channel_id=ch,
            ts_start="2026-10-01T20:00:00+00:00",
            item_kind="program",
            content_item_id=c,
        )
        add(
            s,
            m.ScheduleInstance,
            channel_id=ch,
            air_date="2026-11-16",
            start_time="20:00:00",
            end_time="20:30:00",
            content_item_id=a,
            pick_strategy="auto",
            status="played",
            starts_at=utc("2026-11-16T20:00"),
            ends_at=utc("2026-11-16T20:30"),
            segment=1,
            item_kind="program",
        )
    run(sessions, ch, MONDAY, 1)
    # The first row is last week's history (A); B never aired, then C.
    assert [p[0] for p in programmes(sessions, ch)] == [a, b, c]
    run(sessions, ch, date(2026, 11, 30), 1)
    assert [p[0] for p in programmes(sessions, ch)][3:] == [a, b]


def test_only_playable_items_under_the_ceiling_are_picked(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        ok = cat.item("movie", "Fine", 20 * MINUTE, rating="PG")
        cat.item("movie", "Missing", 20 * MINUTE, rating="G", availability="missing")
        cat.item("movie", "Unmapped", 20 * MINUTE, rating="G", availability="unmapped")
        cat.item("movie", "No file", 20 * MINUTE, rating="G", with_file=False)
        cat.item("movie", "Too strong", 20 * MINUTE, rating="R")
        cat.item("movie", "Unrated", 20 * MINUTE)
        unknown = cat.item(
            "movie", "Not yet checked", 20 * MINUTE, rating="G", availability="unknown"
        )
        ch = channel(s, ceiling="PG-13")
        block(s, ch, "Family", 1, "18:00", "20:00", "auto", SelectionConstraints(max_rating="PG"))
    report = run(sessions, ch, MONDAY, 1)
    assert sorted(p[0] for p in programmes(sessions, ch)) == sorted([ok, unknown])
    assert report.unfilled_seconds == 80 * MINUTE


def test_seasonal_blocks_air_only_in_their_dates(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        cat.item("movie", "Holiday", 30 * MINUTE)
        ch = channel(s)
        rules = SelectionConstraints(date_range=DateRange("12-20", "01-05"))
        block(s, ch, "Holiday", 1, "20:00", "20:30", "collection", rules)
    run(sessions, ch, MONDAY, 43)
    assert [p[1][:10] for p in programmes(sessions, ch)] == [
        "2026-12-21",
        "2026-12-28",
        "2027-01-04",
    ]


def test_breaks_at_markers_then_chapters_then_even(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        marked = cat.item("movie", "Marked", 50 * MINUTE)
        cat.marker(marked, "ad_break", 17 * MINUTE)
        cat.marker(marked, "chapter", 10 * MINUTE)
        chaptered = cat.item("movie", "Chaptered", 50 * MINUTE)
        cat.marker(chaptered, "chapter", 20 * MINUTE)
        plain = cat.item("movie", "Plain", 50 * MINUTE)
        short = cat.item("movie", "Short", 8 * MINUTE)
        ads = [cat.item("ad", f"Ad {i}", 30) for i in range(12)]
        ch = channel(s)
        p = policy(
            s,
            breaks_per="programme",
            breaks=1,
            break_seconds=120,
            fill_kinds=["ad"],
            min_repeat_minutes=0,
        )
        films = SpecificConstraints(item_ids=(marked, chaptered, plain, short))
        block(s, ch, "Films", 1, "12:00", "18:00", "specific", films, policy=p)
    run(sessions, ch, MONDAY, 1)
    parts = rows(sessions, ch, item_kind="program")
    cut_at = {r.content_item_id: r.offset_ms // 1000 for r in parts if r.segment == 2}
    assert cut_at == {marked: 17 * MINUTE, chaptered: 20 * MINUTE, plain: 25 * MINUTE}
    assert [r.segment for r in parts if r.content_item_id == short] == [1]  # never cut
    every = rows(sessions, ch)
    breaks_: dict[int, list[Any]] = {}
    for r in every:
        if r.item_kind == "ad":
            breaks_.setdefault(r.break_number, []).append(r)
    # Three breaks of exactly 2 min (4 ads of 30 s), then the end-of-block fill.
    for number in (1, 2, 3):
        assert [r.break_seq for r in breaks_[number]] == [1, 2, 3, 4]
        assert sum(r.ends_at - r.starts_at for r in breaks_[number]) == 120
        assert "Break" in breaks_[number][0].notes and "Films" in breaks_[number][0].notes
    # The programme and its parts run back to back with the breaks, to the second.
    for earlier, later in pairwise(every):
        assert earlier.ends_at == later.starts_at
    assert every[0].starts_at == utc("2026-11-23T12:00")
    assert set(ads) >= {r.content_item_id for r in every if r.item_kind == "ad"}


def test_ads_keep_their_separation_and_breaks_use_bumpers(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        show, _ = cat.show("Sitcom", 10, 22 * MINUTE)
        ads = [cat.item("ad", f"Ad {i}", 30) for i in range(6)]
        bumper = cat.item("bumper", "Back soon", 10)
        ch = channel(s)
        p = policy(
            s,
            breaks_per="half_hour",
            breaks=2,
            break_seconds=80,
            fill_kinds=["ad", "bumper"],
            bumper_before=True,
            bumper_after=False,
            min_repeat_minutes=45,
        )
        block(
            s,
            ch,
            "Sitcoms",
            1,
            "18:00",
            "20:00",
            "series",
            SeriesConstraints(show_ids=(show,)),
            policy=p,
        )
    run(sessions, ch, MONDAY, 1)
    every = rows(sessions, ch)
    fill = [r for r in every if r.item_kind in ("ad", "bumper")]
    last_seen: dict[int, int] = {}
    for r in fill:
        if r.item_kind == "ad":
            if r.content_item_id in last_seen:
                assert r.starts_at - last_seen[r.content_item_id] >= 45 * MINUTE
            last_seen[r.content_item_id] = r.starts_at
    by_break: dict[int, list[Any]] = {}
    for r in fill:
        by_break.setdefault(r.break_number, []).append(r)
    inside = [b for b in by_break.values() if b[0].notes.startswith("Break")]
    assert inside and all(
        b[0].item_kind == "bumper" and b[0].content_item_id == bumper for b in inside
    )
    assert all(sum(r.ends_at - r.starts_at for r in b) <= 80 for b in inside)
    assert set(last_seen) <= set(ads)


def test_rebuild_keeps_approved_rows_and_plans_around_them(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        films = [cat.item("movie", f"F{i}", 30 * MINUTE) for i in range(8)]
        ch = channel(s)
        block(s, ch, "Films", 1, "18:00", "20:00", "auto", SelectionConstraints())
    run(sessions, ch, MONDAY, 1)
    first = rows(sessions, ch)
    keep = first[1]
    with sessions() as s, s.begin():
        s.execute(update(INSTANCES).where(INSTANCES.c.id == keep.id).values(status="approved"))
    report = run(sessions, ch, MONDAY, 1, seed=9)
    after = rows(sessions, ch)
    assert report.kept == 1 and report.removed == 3
    assert keep.id in [r.id for r in after]
    assert [(r.starts_at, r.ends_at) for r in after] == [(r.starts_at, r.ends_at) for r in first]
    assert [r.status for r in after] == ["planned", "approved", "planned", "planned"]
    assert len({r.content_item_id for r in after}) == 4 and set(films) >= {
        r.content_item_id for r in after
    }


def test_cancel_and_bad_requests_leave_the_log_unchanged(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        cat.item("movie", "F", 30 * MINUTE)
        ch = channel(s)
        block(s, ch, "Films", 1, "18:00", "19:00", "auto", SelectionConstraints())
        station_zone = channel(s, "Station's zone", zone=None)
    run(sessions, ch, MONDAY, 1)
    before = rows(sessions, ch)
    with pytest.raises(BuildCancelled), sessions() as s, s.begin():
        build(
            s,
            BuildRequest(ch, MONDAY, 1, seed=5),
            station_zone="UTC",
            station_ceiling=None,
            cancelled=lambda: True,
        )
    with pytest.raises(ScheduleError, match="1 to 366 days"), sessions() as s, s.begin():
        build(s, BuildRequest(ch, MONDAY, 0), station_zone="UTC", station_ceiling=None)
    with pytest.raises(ScheduleError, match="not known"), sessions() as s, s.begin():
        build(
            s, BuildRequest(station_zone, MONDAY, 1), station_zone="Mars/Base", station_ceiling=None
        )
    assert rows(sessions, ch) == before


@pytest.mark.parametrize(
    ("first", "changed_on"),
    [(date(2026, 3, 7), date(2026, 3, 8)), (date(2026, 10, 31), date(2026, 11, 1))],
)
def test_a_daylight_saving_week_has_no_gaps_or_overlaps(
    sessions: sessionmaker[Session], first: date, changed_on: date
) -> None:
    zone = "America/New_York"
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        for i in range(60):
            cat.item("movie", f"Filler {i}", 15 * MINUTE)
        ch = channel(s, zone=zone)
        # The whole day in four blocks, the second spanning the changed hour.
        for day in range(7):
            for start, end in (
                ("00:00", "01:30"),
                ("01:30", "03:00"),
                ("03:00", "12:00"),
                ("12:00", "00:00"),
            ):
                block(s, ch, f"{start}", day, start, end, "auto", SelectionConstraints())
    run(sessions, ch, first, 3)
    every = rows(sessions, ch)
    tz = clock.zone(zone)
    start_utc, _ = clock.day_bounds(first, tz)
    assert every[0].starts_at == start_utc
    for earlier, later in pairwise(every):
        assert earlier.ends_at <= later.starts_at
    # Wall-clock block edges are honoured on the day of the change.
    edge = clock.to_utc(changed_on, 3 * 3600, tz)
    starts = {r.starts_at for r in every}
    assert edge in starts and clock.local_parts(edge, tz) == (changed_on.isoformat(), "03:00:00")
    # The 01:30 to 03:00 block lasts 30 min when clocks go forward, 2 h 30 when they go back.
    window = edge - clock.to_utc(changed_on, 90 * 60, tz)
    assert window == (30 * MINUTE if changed_on.month == 3 else 150 * MINUTE)
    covered = sum(r.ends_at - r.starts_at for r in every)
    _, end_utc = clock.day_bounds(date.fromordinal(first.toordinal() + 2), tz)
    assert covered == end_utc - start_utc  # 15-min items fill every window exactly


def test_programmes_leave_room_for_full_breaks(sessions: sessionmaker[Session]) -> None:
    """Four 25-minute episodes with two 150-second breaks each fill two hours exactly;
    a fifth episode would have squeezed every break."""
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        show, eps = cat.show("Taxi", 8, 25 * MINUTE)
        for i in range(20):
            cat.item("ad", f"Ad {i}", 30)
        ch = channel(s)
        p = policy(s, breaks=2, break_seconds=150, fill_kinds=["ad"], min_repeat_minutes=0)
        block(s, ch, "Taxi", 1, "20:00", "22:00", "series", SeriesConstraints((show,)), policy=p)
    report = run(sessions, ch, MONDAY, 1)
    every = rows(sessions, ch)
    assert [r.content_item_id for r in every if r.segment == 1] == eps[:4]
    lengths: dict[int, int] = {}
    for r in every:
        if r.item_kind == "ad":
            lengths[r.break_number] = lengths.get(r.break_number, 0) + r.ends_at - r.starts_at
    assert sorted(lengths.values()) == [150] * 8
    assert report.unfilled_seconds == 0 and every[-1].ends_at == utc("2026-11-23T22:00")
