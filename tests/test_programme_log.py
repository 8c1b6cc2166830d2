"""A day's rundown on a hand-built channel, on both backends; the station and its helpers
serve the edit tests (test_log_status, test_log_swap) and the rundown view's too.

The channel runs on New York time, so a local day is not a UTC day: the day's rows are
checked at both of its edges. Expected totals are added up here from the rows as written,
never through the code under test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling import clock, log_status
from retrovue_desktop.scheduling import programme_log as plog
from retrovue_desktop.store import models as m
from retrovue_desktop.store.tables import INSTANCES as INST
from retrovue_desktop.store.tables import MF
from tests.builders import add

NY = clock.zone("America/New_York")
SUNDAY, MONDAY, TUESDAY = date(2026, 11, 22), date(2026, 11, 23), date(2026, 11, 24)


@dataclass
class Station:
    channel: int
    show: int
    sitcoms: int
    movie_block: int
    news: int
    items: dict[str, int]
    files: dict[str, int]
    rows: dict[str, int]


def at(day: date, hhmmss: str) -> int:
    h, mi, s = (int(x) for x in hhmmss.split(":"))
    return clock.to_utc(day, h * 3600 + mi * 60 + s, NY)


def put_row(
    s: Session, channel: int, block: int | None, item: int, start: int, seconds: int, **kw: Any
) -> int:
    air_date, start_time = clock.local_parts(start, NY)
    values: dict[str, Any] = {
        "channel_id": channel,
        "block_id": block,
        "air_date": air_date,
        "start_time": start_time,
        "end_time": clock.local_parts(start + seconds, NY)[1],
        "content_item_id": item,
        "pick_strategy": "auto",
        "status": "planned",
        "starts_at": start,
        "ends_at": start + seconds,
        "item_kind": "program",
        **kw,
    }
    return add(s, m.ScheduleInstance, **values)


def build_station(sessions: sessionmaker[Session]) -> Station:
    items: dict[str, int] = {}
    files: dict[str, int] = {}
    rows: dict[str, int] = {}
    with sessions.begin() as s:
        server = add(s, m.PlexServer, name="Den")
        lib = add(
            s, m.Library, server_id=server, plex_library_key="1", title="TV", library_type="show"
        )
        show = add(s, m.Show, server_id=server, library_id=lib, plex_rating_key="s", title="Cheers")
        catalogue = [
            # name, kind, title, seconds, season/episode, rating
            ("ep1", "episode", "Give Me a Ring", 1320, (1, 1), "TV-PG"),
            ("ep2", "episode", "Sams Women", 1320, (1, 2), "TV-PG"),
            ("ep3", "episode", "The Tortelli Tort", 1000, (1, 3), "TV-PG"),
            ("ep4", "episode", "Sam at Eleven", 500, (1, 4), "TV-PG"),
            ("ep5", "episode", "Coach Returns to Action", 1400, (1, 5), "TV-PG"),
            ("ep6", "episode", "Any Friend of Diane's", 1200, (1, 6), "TV-MA"),
            ("movie", "movie", "The Late Movie", 5400, None, "PG"),
            ("ad1", "ad", "Cola", 30, None, "TV-G"),
            ("ad2", "ad", "Soap", 20, None, "TV-G"),
            ("ad3", "ad", "Cars", 45, None, "TV-G"),
            ("promo", "promo", "Tonight", 15, None, "TV-G"),
        ]
        for name, kind, title, seconds, numbers, rating in catalogue:
            items[name] = add(
                s,
                m.ContentItem,
                kind=kind,
                title=title,
                duration_ms=seconds * 1000,
                show_id=show if kind == "episode" else None,
                season_number=numbers[0] if numbers else None,
                episode_number=numbers[1] if numbers else None,
                rating_code=rating,
                library_id=lib,
                plex_rating_key=name,
            )
            files[name] = add(
                s, m.MediaFile, library_id=lib, plex_file_path=f"/tv/{name}.mkv", availability="ok"
            )
            s.execute(
                insert(m.ContentItemFile).values(
                    content_item_id=items[name], media_file_id=files[name], role="primary"
                )
            )
        s.execute(
            insert(m.ContentEditorial).values(
                content_item_id=items["ep1"],
                original_title="Give Me a Ring",
                override_title="Pilot",
            )
        )
        channel = add(s, m.Channel, name="Retro", number="3", time_zone="America/New_York")
        sitcoms = add(
            s, m.ScheduleBlock, channel_id=channel, name="Sitcoms", day_of_week=1,
            start_time="20:00:00", end_time="21:00:00", strategy="series",
            constraints_json=f'{{"show_ids":[{show}],"version":1}}',
        )  # fmt: skip
        news = add(
            s, m.ScheduleBlock, channel_id=channel, name="News", day_of_week=1,
            start_time="21:30:00", end_time="22:00:00", strategy="auto",
        )  # fmt: skip
        movie_block = add(
            s, m.ScheduleBlock, channel_id=channel, name="Late movie", day_of_week=0,
            start_time="23:00:00", end_time="01:00:00", strategy="auto",
        )  # fmt: skip

        def row(name: str, block: int, item: str, start: int, seconds: int, **kw: Any) -> int:
            rows[name] = put_row(s, channel, block, items[item], start, seconds, **kw)
            return start + seconds

        # Sunday's late movie runs 23:00 → 00:30 Monday; its window ends at 01:00.
        row("movie", movie_block, "movie", at(SUNDAY, "23:00:00"), 5400, segment=1, offset_ms=0)
        t = at(MONDAY, "20:00:00")
        t = row("ep1a", sitcoms, "ep1", t, 600, segment=1, offset_ms=0)
        t = row("ad1", sitcoms, "ad1", t, 30, item_kind="ad", break_number=1, break_seq=1)
        t = row("promo", sitcoms, "promo", t, 15, item_kind="promo", break_number=1, break_seq=2)
        t = row("ep1b", sitcoms, "ep1", t, 720, segment=2, offset_ms=600_000)
        t = row("ep2", sitcoms, "ep2", t, 1320, segment=1, offset_ms=0)
        t = row("ad2", sitcoms, "ad1", t, 30, item_kind="ad", break_number=2, break_seq=1)
        assert t == at(MONDAY, "20:45:15")
    return Station(channel, show, sitcoms, movie_block, news, items, files, rows)


@pytest.fixture
def station(sessions: sessionmaker[Session]) -> Station:
    return build_station(sessions)


def rundown(sessions: sessionmaker[Session], st: Station, day: date = MONDAY) -> plog.Rundown:
    with sessions() as s:
        return plog.day_rundown(s, st.channel, day, NY)


def status_of(sessions: sessionmaker[Session], *ids: int) -> list[str]:
    with sessions() as s:
        found = dict(s.execute(select(INST.c.id, INST.c.status).where(INST.c.id.in_(ids))).all())
    return [found[i] for i in ids]


# -- the rundown --------------------------------------------------------------------------


def test_the_day_lists_its_rows_in_order_with_titles_parts_and_blocks(
    sessions: sessionmaker[Session], station: Station
) -> None:
    day = rundown(sessions, station)
    r = station.rows
    assert [row.id for row in day.rows] == [r["ep1a"], r["ad1"], r["promo"], r["ep1b"], r["ep2"],
                                            r["ad2"]]  # fmt: skip
    first = day.rows[0]
    assert first.title == "Cheers \N{EM DASH} S01E01 Pilot"  # the override, with the show
    assert (first.local_start, first.kind, first.block_name) == ("20:00:00", "program", "Sitcoms")
    assert (first.parts, first.programme_id) == (2, r["ep1a"])
    assert (day.rows[3].parts, day.rows[3].programme_id, day.rows[3].segment) == (2, r["ep1a"], 2)
    assert (day.rows[1].title, day.rows[1].kind, day.rows[1].break_number) == ("Cola", "ad", 1)
    assert day.rows[4].parts == 1
    # The movie started on Sunday: it is Sunday's row, not Monday's.
    assert r["movie"] not in {row.id for row in day.rows}
    assert r["movie"] in {row.id for row in rundown(sessions, station, SUNDAY).rows}


def test_totals_and_unfilled_time_per_block_window(
    sessions: sessionmaker[Session], station: Station
) -> None:
    day = rundown(sessions, station)
    assert day.programme_seconds == 600 + 720 + 1320
    assert day.fill_seconds == 30 + 15 + 30
    windows = {w.name: w for w in day.windows}
    assert windows["Sitcoms"].unfilled_seconds == 14 * 60 + 45
    # Sunday's late movie reaches into Monday: 00:00-01:00, the movie covers 30 minutes.
    assert (windows["Late movie"].starts_at, windows["Late movie"].ends_at) == (
        at(MONDAY, "00:00:00"), at(MONDAY, "01:00:00"),
    )  # fmt: skip
    assert windows["Late movie"].unfilled_seconds == 30 * 60
    assert [row.id for row in day.earlier] == [station.rows["movie"]]  # for the timeline
    assert not windows["News"].has_rows
    assert day.unfilled_seconds == (14 * 60 + 45) + 30 * 60 + 30 * 60


def test_warnings_name_unfilled_and_unbuilt_blocks_in_time_order(
    sessions: sessionmaker[Session], station: Station
) -> None:
    assert rundown(sessions, station).warnings == (
        "“Late movie” 00:00\N{EN DASH}01:00 has 30 min unfilled.",
        "“Sitcoms” 20:00\N{EN DASH}21:00 has 14 min 45 s unfilled.",
        "“News” 21:30\N{EN DASH}22:00 has nothing planned: build or re-plan this day.",
    )


def test_a_few_seconds_left_over_count_but_are_not_warned(
    sessions: sessionmaker[Session], station: Station
) -> None:
    with sessions.begin() as s:  # the last ad now ends 15 s before the block does
        s.execute(
            update(INST)
            .where(INST.c.id == station.rows["ad2"])
            .values(ends_at=at(MONDAY, "20:59:45"))
        )
    day = rundown(sessions, station)
    sitcoms = {w.name: w for w in day.windows}["Sitcoms"]
    assert sitcoms.unfilled_seconds == 15
    assert sitcoms.gaps == ((at(MONDAY, "20:59:45"), at(MONDAY, "21:00:00")),)
    assert not any("Sitcoms" in w for w in day.warnings)


def test_a_day_with_nothing_planned_has_no_block_warnings(
    sessions: sessionmaker[Session], station: Station
) -> None:
    day = rundown(sessions, station, TUESDAY)
    assert not day.built and day.warnings == () and day.rows == ()


def test_a_file_that_became_unplayable_is_warned_once_per_programme(
    sessions: sessionmaker[Session], station: Station
) -> None:
    with sessions.begin() as s:
        s.execute(update(MF).where(MF.c.id == station.files["ep1"]).values(availability="missing"))
        s.execute(update(INST).where(INST.c.id == station.rows["ep2"]).values(content_item_id=None))
    day = rundown(sessions, station)
    problems = [w for w in day.warnings if "can no longer be played" in w]
    assert problems == [
        "“Cheers \N{EM DASH} S01E01 Pilot” at 20:00 can no longer be played: its file is missing.",
        "“(removed from the catalogue)” at 20:22 can no longer be played: its item was removed"
        " from the catalogue.",
    ]
    assert day.rows[0].problem == "its file is missing" and day.rows[0].availability == "missing"
    # A played row's file no longer matters.
    with sessions.begin() as s:
        s.execute(
            update(INST)
            .where(INST.c.id.in_([station.rows["ep1a"], station.rows["ep1b"]]))
            .values(status="played")
        )
    assert not any("Pilot" in w for w in rundown(sessions, station).warnings)


def test_a_canceled_row_occupies_no_air_time(
    sessions: sessionmaker[Session], station: Station
) -> None:
    with sessions.begin() as s:
        log_status.cancel(s, [station.rows["ep2"]])
    day = rundown(sessions, station)
    assert day.programme_seconds == 600 + 720
    assert {w.name: w.unfilled_seconds for w in day.windows}["Sitcoms"] == 14 * 60 + 45 + 1320


def test_a_daylight_saving_day_has_25_hours(
    sessions: sessionmaker[Session], station: Station
) -> None:
    fall_back = date(2026, 11, 1)  # a Sunday: clocks go back at 02:00 in New York
    with sessions.begin() as s:
        late = put_row(s, station.channel, None, station.items["ad3"],
                       at(fall_back, "23:59:00"), 45, item_kind="ad")  # fmt: skip
    with sessions() as s:
        day = plog.day_rundown(s, station.channel, fall_back, NY)
    assert day.ends_at - day.starts_at == 25 * 3600
    assert [r.id for r in day.rows if r.id == late] == [late]
    with sessions.begin() as s:
        assert [c.id for c in log_status.approve(s, station.channel, fall_back, 1, NY)] == [late]
    assert day.ends_at == at(fall_back + timedelta(days=1), "00:00:00")
