"""A small station with a dated programme log for the export tests (XMLTV, M3U, command
line, window): catalogue rows, channels in two zones and log rows inserted directly."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from retrovue_desktop.scheduling.clock import local_parts
from retrovue_desktop.store import models as m
from tests.builders import add

STATION_ZONE = "Europe/London"
NEW_YORK = "America/New_York"
# The show's title and an episode's synopsis carry what XML must escape.
SHOW_TITLE = 'Cheers & <Friends> "Live"'
SYNOPSIS = 'Sam & Diane <argue> about "it" at 5 o\'clock'


def at(text: str, zone: str) -> int:
    """UTC seconds of a wall-clock "YYYY-MM-DD HH:MM" in `zone` (first occurrence)."""
    return int(datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(zone)).timestamp())


@dataclass
class LogWriter:
    """Inserts schedule_instances rows with consistent wall-clock columns."""

    session: Session
    channel: int
    zone: str
    block: int | None = None
    rows: list[int] = field(default_factory=list)

    def row(
        self,
        item: int | None,
        start: str,
        end: str,
        *,
        kind: str = "program",
        segment: int | None = 1,
        status: str = "planned",
        break_number: int | None = None,
        **extra: Any,
    ) -> int:
        starts_at, ends_at = at(start, self.zone), at(end, self.zone)
        return self.span(
            item, starts_at, ends_at, kind=kind, segment=segment, status=status,
            break_number=break_number, **extra,
        )  # fmt: skip

    def span(
        self,
        item: int | None,
        starts_at: int,
        ends_at: int,
        *,
        kind: str = "program",
        segment: int | None = 1,
        status: str = "planned",
        break_number: int | None = None,
        **extra: Any,
    ) -> int:
        tz = ZoneInfo(self.zone)
        air_date, start_time = local_parts(starts_at, tz)
        _, end_time = local_parts(ends_at, tz)
        values: dict[str, Any] = {
            "channel_id": self.channel,
            "block_id": self.block,
            "air_date": air_date,
            "start_time": start_time,
            "end_time": end_time,
            "content_item_id": item,
            "pick_strategy": "auto",
            "status": status,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "item_kind": kind,
            "segment": segment if kind == "program" else None,
            "break_number": break_number,
            "break_seq": 1 if break_number else None,
        }
        values.update(extra)
        row_id = add(self.session, m.ScheduleInstance, **values)
        self.rows.append(row_id)
        return row_id


@dataclass
class Station:
    """Ids of the export station's rows."""

    show: int = 0
    episode: int = 0
    episode2: int = 0
    movie: int = 0
    odd_movie: int = 0
    ad: int = 0
    promo: int = 0
    gone: int = 0
    retro: int = 0
    movies: int = 0
    off_air: int = 0
    block: int = 0


def catalogue(s: Session) -> Station:
    """Two episodes of a show, films, an ad and a promo, with tags and editorial rows."""
    ids = Station()
    server = add(s, m.PlexServer, name="Den", base_url="http://127.0.0.1:32400")
    library = add(s, m.Library, server_id=server, plex_library_key="1", title="TV",
                  library_type="show")  # fmt: skip
    ids.show = add(s, m.Show, server_id=server, library_id=library, plex_rating_key="s1",
                   title=SHOW_TITLE, year=1982, summary="A bar in Boston.")  # fmt: skip
    ids.episode = add(s, m.ContentItem, kind="episode", title="Sam's Women", synopsis=SYNOPSIS,
                      show_id=ids.show, season_number=1, episode_number=2, rating_code="TV-PG",
                      rating_system="US-TV", library_id=library, plex_rating_key="e2")  # fmt: skip
    ids.episode2 = add(s, m.ContentItem, kind="episode", title="The Tortelli Tort",
                       show_id=ids.show, season_number=1, episode_number=3,
                       library_id=library, plex_rating_key="e3")  # fmt: skip
    s.execute(insert(m.ContentEditorial).values(
        content_item_id=ids.episode2, source_name="plex", original_title="The Tortelli Tort",
        override_title="Carla's Ex", override_synopsis="Carla meets her ex.",
        source_payload_json=json.dumps({"year": "1982"}),
    ))  # fmt: skip
    ids.movie = add(s, m.ContentItem, kind="movie", title="Back to the Future",
                    synopsis="Marty goes back.", rating_code="PG", rating_system="MPAA",
                    library_id=library, plex_rating_key="m1")  # fmt: skip
    s.execute(insert(m.ContentEditorial).values(
        content_item_id=ids.movie, source_name="plex", original_title="Back to the Future",
        source_payload_json=json.dumps({"year": "1985", "title": "Back to the Future"}),
    ))  # fmt: skip
    ids.odd_movie = add(s, m.ContentItem, kind="movie", title="Bad\x0bTitle & <b>", synopsis="  ",
                        rating_code="gb/15", library_id=library, plex_rating_key="m2")  # fmt: skip
    ids.ad = add(s, m.ContentItem, kind="ad", title="Cola")
    ids.promo = add(s, m.ContentItem, kind="promo", title="Tonight")
    ids.gone = add(s, m.ContentItem, kind="movie", title="Deleted later")
    tags = [(ids.episode, "sitcom"), (ids.episode, "comedy"), (ids.movie, "science-fiction"),
            (ids.movie, "adventure")]  # fmt: skip
    for item, key in tags:
        s.execute(insert(m.ContentTag).values(content_item_id=item, namespace="genre", key=key))
    s.execute(insert(m.ContentTag).values(content_item_id=ids.movie, namespace="tone", key="fun"))
    add(s, m.Tag, namespace="genre", key="sitcom", label="Sitcom")
    add(s, m.Tag, namespace="genre", key="adventure")  # no label: the key, made readable
    return ids


def station(s: Session) -> Station:
    """The catalogue, three channels (one inactive) and their log around the start of
    US daylight saving (2026-03-08 02:00 in New York)."""
    ids = catalogue(s)
    ids.retro = add(s, m.Channel, name="Retro One", number="3", callsign="KRTV", time_zone=NEW_YORK)
    ids.movies = add(s, m.Channel, name="Movies & More", number="12")
    ids.off_air = add(s, m.Channel, name="Off Air", number="99", is_active=False)
    ids.block = add(s, m.ScheduleBlock, channel_id=ids.retro, name="Evening", day_of_week=6,
                    start_time="20:00:00", end_time="21:00:00", strategy="auto")  # fmt: skip

    retro = LogWriter(s, ids.retro, NEW_YORK, ids.block)
    # Before the window, and one straddling its start.
    retro.row(ids.movie, "2026-03-06 22:00", "2026-03-06 23:00")
    retro.row(ids.episode2, "2026-03-06 23:30", "2026-03-07 00:30")
    # The same item twice in a row: two programmes.
    retro.row(ids.episode2, "2026-03-07 12:00", "2026-03-07 12:30")
    retro.row(ids.episode2, "2026-03-07 12:30", "2026-03-07 13:00")
    # An item removed from the catalogue after planning.
    retro.row(ids.gone, "2026-03-07 14:00", "2026-03-07 15:00")
    s.execute(delete(m.ContentItem).where(m.ContentItem.id == ids.gone))
    # A programme in three parts with two breaks.
    retro.row(ids.episode, "2026-03-07 20:00", "2026-03-07 20:08", segment=1)
    retro.row(ids.ad, "2026-03-07 20:08", "2026-03-07 20:10", kind="ad", break_number=1)
    retro.row(ids.episode, "2026-03-07 20:10", "2026-03-07 20:18", segment=2, offset_ms=480_000)
    retro.row(ids.promo, "2026-03-07 20:18", "2026-03-07 20:19", kind="promo", break_number=2)
    retro.row(ids.episode, "2026-03-07 20:19", "2026-03-07 20:30", segment=3, offset_ms=960_000)
    # Canceled: not on air.
    retro.row(ids.movie, "2026-03-07 21:00", "2026-03-07 22:00", status="canceled")
    retro.row(ids.movie, "2026-03-07 22:00", "2026-03-07 23:30", status="played")
    # Across the change: 01:30 EST to 03:30 EDT is one hour.
    start = at("2026-03-08 01:30", NEW_YORK)
    retro.span(ids.movie, start, start + 3600, status="approved")
    retro.row(ids.episode2, "2026-03-08 20:00", "2026-03-08 20:30")
    # The window ends at midnight of the 9th.
    retro.row(ids.movie, "2026-03-09 00:00", "2026-03-09 01:00")

    movies = LogWriter(s, ids.movies, STATION_ZONE)
    movies.row(ids.odd_movie, "2026-03-07 19:00", "2026-03-07 21:00")
    movies.row(ids.movie, "2026-03-08 19:00", "2026-03-08 21:00", segment=None)

    off_air = LogWriter(s, ids.off_air, STATION_ZONE)
    off_air.row(ids.movie, "2026-03-07 19:00", "2026-03-07 21:00")
    return ids
