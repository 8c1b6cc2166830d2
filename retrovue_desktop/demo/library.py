"""The demo catalogue written into a database: an invented Plex server with a TV and a
movie library, three folder libraries (ads, bumpers, promos), their items and files,
tags, ratings, markers and two editorial overrides.

Rows that only a Plex sync or a folder scan would write (servers, libraries, shows,
items, files, file chapters) are inserted here with Core statements, as those do; tags,
the tag palette, manual markers and overrides go through the store's own helpers. The
files are 'demo' files (`DEMO_AVAILABILITY`): on no disk, schedulable, never validated.
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from retrovue_desktop import ratings
from retrovue_desktop.media.pathmap import canonical_uri
from retrovue_desktop.store.base import table_of
from retrovue_desktop.store.catalog import DEMO_AVAILABILITY, DEMO_PREFIX
from retrovue_desktop.store.editorial import set_override
from retrovue_desktop.store.markers import add_marker
from retrovue_desktop.store.models import PlexServer
from retrovue_desktop.store.tables import CI, CIF, ED, LIB, MF, MM, SEASON, SHOW
from retrovue_desktop.store.tags import apply_tag, create_tag

from .catalogue import MOVIES, SHOWS, Spot, episode_titles, spots

SERVERS = table_of(PlexServer)
SERVER_NAME = "Demo server (invented)"
SERVER_MACHINE_ID = "retrovue-demo-server"
MEDIA_ROOT = "/media/retrovue-demo"
DEMO_FILE_REASON = "An invented file of the demo station: it is on no disk."
# Labels the palette shows for some tags, and tags made in the palette that no item
# carries yet (an operator's plans).
PALETTE_LABELS = {
    ("decade", "1970s"): "The seventies",
    ("decade", "1980s"): "The eighties",
    ("decade", "1990s"): "The nineties",
    ("holiday", "christmas"): "Christmas",
    ("holiday", "halloween"): "Halloween",
    ("audience", "kids"): "Kids",
    ("holiday", "valentines"): "Valentine's Day",
    ("season", "summer"): "Summer",
}
FOLDERS = (("ad", "Ads"), ("bumper", "Bumpers"), ("promo", "Promos"))


@dataclass
class DemoCatalogue:
    """Ids of what `write_catalogue` made, for the grid to name."""

    server_id: int = 0
    libraries: dict[str, int] = field(default_factory=dict)  # title -> id
    shows: dict[str, int] = field(default_factory=dict)  # title -> id
    episodes: dict[str, list[int]] = field(default_factory=dict)  # show title -> ids
    movies: dict[str, int] = field(default_factory=dict)  # title -> id
    spots: dict[str, list[int]] = field(default_factory=dict)  # kind -> ids
    files: dict[int, int] = field(default_factory=dict)  # item id -> its file id

    @property
    def item_count(self) -> int:
        return len(self.files)


@dataclass
class _Item:
    """One item and its file, before they are inserted."""

    kind: str
    title: str
    seconds: int
    rating: str
    library: str
    path: str
    tags: tuple[str, ...]
    synopsis: str | None = None
    show: str | None = None
    season: int | None = None
    episode: int | None = None
    year: int | None = None
    plex: bool = True
    width: int = 640
    height: int = 480


def _insert(session: Session, table: Any, rows: Sequence[dict[str, Any]], column: Any) -> list[int]:
    if not rows:
        return []
    found = session.execute(insert(table).returning(column, sort_by_parameter_order=True), rows)
    return [int(i) for i in found.scalars().all()]


def _sources(session: Session, synced_at: int, out: DemoCatalogue) -> None:
    """The invented server, its two libraries and the three folder libraries."""
    out.server_id = int(
        session.execute(
            insert(SERVERS)
            .values(
                name=SERVER_NAME,
                base_url=f"{DEMO_PREFIX}//{SERVER_MACHINE_ID}",
                machine_identifier=SERVER_MACHINE_ID,
                platform="Linux",
            )
            .returning(SERVERS.c.id)
        ).scalar_one()
    )
    rows: list[dict[str, Any]] = [
        {"server_id": out.server_id, "plex_library_key": "1", "title": "TV Shows",
         "library_type": "show", "source": "plex",
         "locations_json": json.dumps(["/data/tv"])},
        {"server_id": out.server_id, "plex_library_key": "2", "title": "Movies",
         "library_type": "movie", "source": "plex",
         "locations_json": json.dumps(["/data/movies"])},
    ]  # fmt: skip
    for kind, title in FOLDERS:
        rows.append(
            {"server_id": None, "plex_library_key": None, "title": title, "library_type": kind,
             "source": "local", "root_path": f"{DEMO_PREFIX}{MEDIA_ROOT}/{title}"}
        )  # fmt: skip
    for row in rows:
        row.setdefault("root_path", None)
        row.setdefault("locations_json", None)
        row.update(last_synced_at=synced_at, last_sync_status="ok")
    ids = _insert(session, LIB, rows, LIB.c.id)
    out.libraries = {str(row["title"]): i for row, i in zip(rows, ids, strict=True)}


def _shows(session: Session, rng: random.Random, out: DemoCatalogue) -> list[_Item]:
    """Show and season rows; returns their episodes, to be inserted with the rest."""
    library = out.libraries["TV Shows"]
    show_ids = _insert(
        session,
        SHOW,
        [
            {"server_id": out.server_id, "library_id": library,
             "plex_rating_key": f"demo-show-{n}", "title": s.title, "year": s.year,
             "originally_available_at": f"{s.year}-09-1{n % 9}", "summary": s.summary,
             "studio": s.studio}
            for n, s in enumerate(SHOWS, 1)
        ],
        SHOW.c.id,
    )  # fmt: skip
    out.shows = {s.title: i for s, i in zip(SHOWS, show_ids, strict=True)}
    items: list[_Item] = []
    for spec in SHOWS:
        titles = episode_titles(rng, spec.seasons * spec.episodes)
        for season in range(1, spec.seasons + 1):
            for episode in range(1, spec.episodes + 1):
                title = titles[(season - 1) * spec.episodes + episode - 1]
                code = f"S{season:02d}E{episode:02d}"
                items.append(
                    _Item(
                        "episode", title,
                        rng.randint(spec.minutes[0] * 60, spec.minutes[1] * 60),
                        spec.rating, "TV Shows",
                        f"/data/tv/{spec.title}/Season {season:02d}/"
                        f"{spec.title} - {code} - {title}.mkv",
                        spec.tags, f"{spec.title}, season {season}: “{title}”.",
                        spec.title, season, episode, spec.year + season - 1,
                    )
                )  # fmt: skip
    return items


def _movies(rng: random.Random) -> list[_Item]:
    items = []
    for movie in MOVIES:
        decade = f"decade:{movie.year // 10 * 10}s"
        items.append(
            _Item(
                "movie", movie.title, rng.randint(85 * 60, 120 * 60), movie.rating, "Movies",
                f"/data/movies/{movie.title} ({movie.year})/{movie.title} ({movie.year}).mkv",
                (f"genre:{movie.genre}", decade, *movie.tags),
                f"An invented {movie.genre} film of {movie.year}.", year=movie.year,
                width=1280, height=720,
            )
        )  # fmt: skip
    return items


def _spots(rng: random.Random) -> list[_Item]:
    folder = {kind: title for kind, title in FOLDERS}

    def item(spot: Spot) -> _Item:
        name = spot.title.replace(":", " -").replace("'", "")
        return _Item(
            spot.kind, spot.title, spot.seconds, spot.rating, folder[spot.kind],
            f"{MEDIA_ROOT}/{folder[spot.kind]}/{name}.mp4", spot.tags, plex=False,
        )  # fmt: skip

    return [item(spot) for spot in spots(rng)]


def _file_row(item: _Item, library_id: int, rng: random.Random) -> dict[str, Any]:
    local = item.path if not item.plex else MEDIA_ROOT + item.path.removeprefix("/data")
    kbps = 1_500 if item.height <= 480 else 3_500
    return {
        "library_id": library_id,
        "plex_file_path": item.path if item.plex else None,
        "local_file_path": local,
        "canonical_uri": canonical_uri(local),
        "file_size_bytes": int(item.seconds * kbps * 125 * rng.uniform(0.9, 1.1)),
        "video_codec": "h264",
        "audio_codec": "aac",
        "width": item.width,
        "height": item.height,
        "duration_ms": item.seconds * 1000,
        "container": "mkv" if item.path.endswith(".mkv") else "mp4",
        "availability": DEMO_AVAILABILITY,
        "availability_reason": DEMO_FILE_REASON,
    }


def _items(
    session: Session, items: list[_Item], rng: random.Random, out: DemoCatalogue
) -> list[int]:
    seasons: dict[tuple[str, int], int] = {}
    wanted = sorted({(i.show, i.season) for i in items if i.show and i.season})
    season_ids = _insert(
        session,
        SEASON,
        [
            {"show_id": out.shows[show], "season_number": n, "title": f"Season {n}",
             "plex_rating_key": f"demo-season-{out.shows[show]}-{n}"}
            for show, n in wanted
        ],
        SEASON.c.id,
    )  # fmt: skip
    for key, season_id in zip(wanted, season_ids, strict=True):
        seasons[key] = season_id
    item_rows = [
        {
            "kind": i.kind,
            "title": i.title,
            "synopsis": i.synopsis,
            "duration_ms": i.seconds * 1000,
            "rating_system": ratings.rating_system(i.rating),
            "rating_code": i.rating,
            "is_kids_friendly": (ratings.rank(i.rating) or 99) <= ratings.KIDS_FRIENDLY_MAX_RANK,
            "show_id": out.shows[i.show] if i.show else None,
            "season_id": seasons.get((i.show, i.season)) if i.show and i.season else None,
            "season_number": i.season,
            "episode_number": i.episode,
            "library_id": out.libraries[i.library],
            "plex_rating_key": f"demo-{n}" if i.plex else None,
        }
        for n, i in enumerate(items, 1)
    ]
    item_ids = _insert(session, CI, item_rows, CI.c.id)
    file_ids = _insert(
        session, MF, [_file_row(i, out.libraries[i.library], rng) for i in items], MF.c.id
    )
    session.execute(
        insert(CIF),
        [
            {"content_item_id": item_id, "media_file_id": file_id, "role": "primary"}
            for item_id, file_id in zip(item_ids, file_ids, strict=True)
        ],
    )
    session.execute(
        insert(ED),
        [
            {"content_item_id": item_id, "source_name": "plex" if i.plex else "file",
             "original_title": i.title, "original_synopsis": i.synopsis,
             "source_payload_json": json.dumps({"demo": True, "year": i.year})}
            for item_id, i in zip(item_ids, items, strict=True)
        ],
    )  # fmt: skip
    out.files.update(zip(item_ids, file_ids, strict=True))
    return item_ids


def _tags(session: Session, items: list[_Item], ids: list[int]) -> None:
    for (namespace, key), label in PALETTE_LABELS.items():
        create_tag(session, namespace, key, label)
    carriers: dict[str, list[int]] = defaultdict(list)
    for item, item_id in zip(items, ids, strict=True):
        for tag in item.tags:
            carriers[tag].append(item_id)
    for tag in sorted(carriers):
        namespace, key = tag.split(":", 1)
        apply_tag(session, carriers[tag], namespace, key)


def _markers(session: Session, items: list[_Item], ids: list[int], out: DemoCatalogue) -> None:
    """The files' own chapters (opening titles, end credits), ad breaks a detector found
    in the dramas and films, and breaks the operator marked by hand in one sitcom."""
    by_hand = {s.title for s in SHOWS if s.manual_breaks}
    rows: list[dict[str, Any]] = []
    manual: list[tuple[int, int, str]] = []
    for item, item_id in zip(items, ids, strict=True):
        if item.kind not in ("episode", "movie"):
            continue
        file_id = out.files[item_id]
        ms = item.seconds * 1000
        rows.append(_chapter(file_id, 0, "Opening titles"))
        rows.append(
            _chapter(file_id, ms - (150_000 if item.kind == "movie" else 40_000), "End credits")
        )
        if item.show in by_hand:
            manual += [(file_id, ms // 3, "Break 1"), (file_id, 2 * ms // 3, "Break 2")]
        elif item.seconds >= 40 * 60 and item_id % 2 == 0:
            parts = 4 if item.kind == "movie" else 3
            for n in range(1, parts):
                rows.append(
                    {"media_file_id": file_id, "marker_kind": "ad_break",
                     "start_ms": n * ms // parts, "end_ms": None, "label": None,
                     "source": "detected", "confidence": 0.8 + 0.05 * n}
                )  # fmt: skip
    session.execute(insert(MM), rows)
    for file_id, at, label in manual:
        add_marker(session, file_id, "ad_break", at, None, label)


def _chapter(file_id: int, start_ms: int, label: str) -> dict[str, Any]:
    return {
        "media_file_id": file_id,
        "marker_kind": "chapter",
        "start_ms": start_ms,
        "end_ms": None,
        "label": label,
        "source": "file",
        "confidence": None,
    }


def write_catalogue(session: Session, rng: random.Random, stamp: int) -> DemoCatalogue:
    """Write the whole demo catalogue in the caller's transaction; `stamp` (epoch
    seconds) stands for "when it was synced" so that one seed gives the same rows."""
    out = DemoCatalogue()
    _sources(session, stamp, out)
    items = _shows(session, rng, out) + _movies(rng) + _spots(rng)
    ids = _items(session, items, rng, out)
    for item, item_id in zip(items, ids, strict=True):
        if item.kind == "episode" and item.show:
            out.episodes.setdefault(item.show, []).append(item_id)
        elif item.kind == "movie":
            out.movies[item.title] = item_id
        else:
            out.spots.setdefault(item.kind, []).append(item_id)
    _tags(session, items, ids)
    _markers(session, items, ids, out)
    added = Counter(item.library for item in items)
    for title, library_id in out.libraries.items():
        summary = json.dumps({"added": added[title], "updated": 0, "unavailable": 0})
        session.execute(update(LIB).where(LIB.c.id == library_id).values(last_sync_summary=summary))
    first_quiz = out.episodes["Quiz Castle"][0]
    set_override(session, first_quiz, "The Grand Opening (pilot)", None, now=stamp)
    set_override(
        session,
        out.movies["Attack of the Giant Tomatoes Again"],
        None,
        "The tomatoes are back, and this time they brought the lettuce.",
        now=stamp,
    )
    return out
