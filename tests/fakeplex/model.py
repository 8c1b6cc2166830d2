"""The fake Plex server's catalogue: plain dataclasses, a seeded generator and locked mutations.

Tests and the sync benchmark need a catalogue that looks like a real Plex library (non-ASCII
titles, multi-part files, Windows paths, markers, chapters, unrated items) yet is deterministic
for a given seed and cheap to build at 20,000 episodes. The HTTP side (`server.py`) only reads
this model; tests change it between two syncs through the locked methods of `FakePlexData`.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal

SectionType = Literal["movie", "show", "artist"]
PathStyle = Literal["posix", "windows"]
MarkerType = Literal["intro", "credits"]

MOVIE_RATINGS: tuple[str | None, ...] = ("G", "PG", "PG-13", "R", None)
TV_RATINGS: tuple[str | None, ...] = ("TV-Y", "TV-Y7", "TV-G", "TV-PG", "TV-14", "TV-MA", None)

# Fixed clock for generated timestamps so a seed always yields the same catalogue.
GENERATED_EPOCH_START = 1_420_070_400  # 2015-01-01
GENERATED_EPOCH_END = 1_704_067_200  # 2024-01-01

_ADJECTIVES = (
    "Silent", "Golden", "Midnight", "Crimson", "Lost", "Electric", "Hidden", "Final",
    "Broken", "Wild", "Distant", "Frozen", "Burning", "Secret", "Last", "Little",
    "Big", "Dark", "Bright", "Iron", "Velvet", "Hollow", "Northern", "Paper",
)  # fmt: skip
_NOUNS = (
    "River", "Empire", "Signal", "Harbor", "Garden", "Frontier", "Machine", "Summer",
    "Station", "Voyage", "Kingdom", "Orchard", "Circuit", "Lantern", "Canyon", "Parade",
    "Comet", "Island", "Echo", "Horizon", "Carnival", "Outpost", "Meadow", "Tower",
)  # fmt: skip
# Titles that break naive ASCII/latin-1 or XML handling.
UNICODE_TITLES = (
    "Amélie", "Ōkami", "Café ☕", "Smörgåsbord", "Naïve Fjörd", "Straße der Lieder",
    "東京物語", "Crème Brûlée", "Señor Niño", "Ærøskøbing", "Μύθος", "Москва",
    "Zoë & Chloë", "L'Été indien", "Ça va?",
)  # fmt: skip
# Titles with characters that must be escaped in XML attributes.
AWKWARD_TITLES = ('Rock & Roll "Live"', "<Untitled> Project", "Tom & Jerry's Tales")
_STUDIOS = (
    "NBC", "BBC One", "Fuji TV", "Hanna-Barbera", "Télé-Québec", "HBO", "Toei Animation",
    "Warner Bros.", "Studio Ghibli", "Paramount", "Nickelodeon", "ABC",
)  # fmt: skip
_VIDEO_FORMATS: tuple[tuple[int, int, str, int], ...] = (
    (1920, 1080, "1080", 8_000),
    (1280, 720, "720", 4_500),
    (720, 480, "480", 2_000),
    (640, 480, "sd", 1_500),
    (3840, 2160, "4k", 20_000),
)
_VIDEO_CODECS = ("h264", "hevc", "mpeg4", "h264", "h264", "mpeg2video")
_AUDIO = (("aac", 2), ("ac3", 6), ("eac3", 6), ("mp3", 2), ("dca", 6), ("aac", 2))
_CONTAINERS = ("mkv", "mp4", "mkv", "avi", "mkv")
_LANGUAGES = (("English", "eng", "en"), ("Français", "fra", "fr"), ("日本語", "jpn", "ja"))


@dataclass(slots=True, kw_only=True)
class FakeStream:
    """One video, audio or subtitle stream of a part, shown only in detail views like Plex."""

    id: int
    stream_type: int  # 1 video, 2 audio, 3 subtitle (Plex's streamType)
    codec: str
    index: int
    display_title: str
    language: str | None = None
    language_code: str | None = None
    language_tag: str | None = None
    width: int | None = None
    height: int | None = None
    bitrate: int | None = None
    frame_rate: float | None = None
    channels: int | None = None
    default: bool = False
    selected: bool = False


@dataclass(slots=True, kw_only=True)
class FakePart:
    """One file of a media version; a multi-part item has several parts in one media."""

    id: int
    key: str
    file: str
    size: int
    duration: int
    container: str
    streams: list[FakeStream] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class FakeMedia:
    """One version of an item (e.g. 1080p and 720p copies of the same movie)."""

    id: int
    duration: int
    bitrate: int
    width: int
    height: int
    video_resolution: str
    video_codec: str
    audio_codec: str
    audio_channels: int
    container: str
    video_frame_rate: str = "24p"
    parts: list[FakePart] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class FakeMarker:
    """An intro or credits marker (milliseconds), served with `includeMarkers=1`."""

    id: int
    type: MarkerType
    start: int
    end: int
    final: bool = False


@dataclass(slots=True, kw_only=True)
class FakeChapter:
    """A chapter (milliseconds), served with `includeChapters=1`."""

    id: int
    index: int
    start: int
    end: int
    tag: str


@dataclass(slots=True, kw_only=True)
class FakeLocation:
    """A root folder of a section, as listed under `/library/sections`."""

    id: int
    path: str


@dataclass(slots=True, kw_only=True, eq=False)
class FakeItem:
    """Fields every served metadata item has; subclasses add their own.

    `render_cache` holds pre-rendered XML fragments owned by the server; every mutation
    clears it so the next request re-renders only what changed.
    """

    TYPE: ClassVar[str] = ""

    rating_key: int
    section_key: int
    guid: str
    title: str
    title_sort: str | None = None
    summary: str = ""
    content_rating: str | None = None
    duration: int | None = None
    added_at: int
    updated_at: int
    year: int | None = None
    originally_available_at: str | None = None
    thumb: str | None = None
    art: str | None = None
    external_guids: list[str] = field(default_factory=list)
    render_cache: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def key(self) -> str:
        """The metadata path Plex gives as `key` (shows and seasons add `/children` in XML)."""
        return f"/library/metadata/{self.rating_key}"

    @property
    def type(self) -> str:
        return self.TYPE


@dataclass(slots=True, kw_only=True, eq=False)
class FakeMovie(FakeItem):
    """A movie: one or more media versions, each with one or more parts."""

    TYPE: ClassVar[str] = "movie"

    studio: str | None = None
    tagline: str | None = None
    media: list[FakeMedia] = field(default_factory=list)
    markers: list[FakeMarker] = field(default_factory=list)
    chapters: list[FakeChapter] = field(default_factory=list)


@dataclass(slots=True, kw_only=True, eq=False)
class FakeShow(FakeItem):
    """A TV show with its folder on disk and its seasons."""

    TYPE: ClassVar[str] = "show"

    studio: str | None = None
    location: str = ""
    seasons: list[FakeSeason] = field(default_factory=list, repr=False)

    def episodes(self) -> Iterator[FakeEpisode]:
        for season in self.seasons:
            yield from season.episodes


@dataclass(slots=True, kw_only=True, eq=False)
class FakeSeason(FakeItem):
    """A season; `index` is the season number (0 = specials)."""

    TYPE: ClassVar[str] = "season"

    index: int
    show: FakeShow = field(repr=False)
    episodes: list[FakeEpisode] = field(default_factory=list, repr=False)


@dataclass(slots=True, kw_only=True, eq=False)
class FakeEpisode(FakeItem):
    """An episode; `index` is the episode number, `season.index` the season number."""

    TYPE: ClassVar[str] = "episode"

    index: int
    season: FakeSeason = field(repr=False)
    media: list[FakeMedia] = field(default_factory=list)
    markers: list[FakeMarker] = field(default_factory=list)
    chapters: list[FakeChapter] = field(default_factory=list)

    @property
    def parent_index(self) -> int:
        return self.season.index

    @property
    def show(self) -> FakeShow:
        return self.season.show


@dataclass(slots=True, kw_only=True, eq=False)
class FakeSection:
    """A library section; 'artist' sections are listed but hold no items."""

    key: int
    type: SectionType
    title: str
    agent: str
    scanner: str
    uuid: str
    created_at: int
    updated_at: int
    scanned_at: int
    language: str = "en-US"
    path_style: PathStyle = "posix"
    # Plex's contentChangedAt: a counter that moves on every content change in the
    # section, even two in the same second (updatedAt has one-second resolution).
    content_changed_at: int = 0
    locations: list[FakeLocation] = field(default_factory=list)
    movies: list[FakeMovie] = field(default_factory=list, repr=False)
    shows: list[FakeShow] = field(default_factory=list, repr=False)


_SECTION_AGENTS: dict[str, tuple[str, str]] = {
    "movie": ("tv.plex.agents.movie", "Plex Movie"),
    "show": ("tv.plex.agents.series", "Plex TV Series"),
    "artist": ("tv.plex.agents.music", "Plex Music"),
}
# Plex attribute names accepted by change_item() as aliases of the dataclass fields.
_PLEX_FIELD_ALIASES = {
    "titleSort": "title_sort",
    "contentRating": "content_rating",
    "addedAt": "added_at",
    "updatedAt": "updated_at",
    "originallyAvailableAt": "originally_available_at",
}


def _hex_guid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def _safe_name(text: str) -> str:
    """File-system-safe name that keeps non-ASCII characters, as Plex users' folders do."""
    return "".join("_" if c in '/\\:*?"<>|' else c for c in text)


def _join(style: PathStyle, *parts: str) -> str:
    sep = "\\" if style == "windows" else "/"
    return sep.join(p.rstrip("/\\") for p in parts)


class FakePlexData:
    """The whole served catalogue plus the server identity; every method is thread-safe.

    The server thread renders from this object while a test mutates it, so all access goes
    through `lock` (re-entrant). `generation` increases on every mutation; the server keys its
    listing caches on it. `version` is the Plex version string the server reports.
    """

    def __init__(
        self,
        *,
        friendly_name: str = "RetroVue Test PMS",
        machine_identifier: str | None = None,
        platform: str = "Linux",
        platform_version: str | None = None,
        version: str = "1.41.3.9314-a0bfb8370",
        seed: int = 0,
        now: Callable[[], int] | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self.friendly_name = friendly_name
        self.machine_identifier = (
            machine_identifier or hashlib.sha1(f"fakeplex-{seed}".encode()).hexdigest()
        )
        self.platform = platform
        self.platform_version = platform_version or (
            "10.0 (Build 19045)" if platform == "Windows" else "6.1.0-18-amd64"
        )
        self.version = version
        self.now: Callable[[], int] = now or (lambda: int(time.time()))
        self.updated_at = GENERATED_EPOCH_END
        self.sections: dict[int, FakeSection] = {}
        self.items: dict[int, FakeItem] = {}
        self.generation = 0
        self._rng = random.Random(seed ^ 0x5EED)
        self._next_rating_key = 1
        self._next_id = {"media": 1, "part": 1, "stream": 1, "marker": 1, "chapter": 1, "loc": 1}
        self._flat_cache: dict[tuple[int, str], tuple[int, list[FakeItem]]] = {}

    # ------------------------------------------------------------------ ids and access
    def _new_id(self, kind: str) -> int:
        value = self._next_id[kind]
        self._next_id[kind] = value + 1
        return value

    def _new_rating_key(self) -> int:
        value = self._next_rating_key
        self._next_rating_key = value + 1
        return value

    def item(self, rating_key: int) -> FakeItem:
        """The item with this ratingKey; raises KeyError if it does not exist."""
        with self.lock:
            return self.items[rating_key]

    def section(self, key: int) -> FakeSection:
        with self.lock:
            return self.sections[key]

    def section_of(self, rating_key: int) -> FakeSection:
        with self.lock:
            return self.sections[self.items[rating_key].section_key]

    def movies(self, section_key: int | None = None) -> list[FakeMovie]:
        return [i for i in self._iter_type(section_key, "movie") if isinstance(i, FakeMovie)]

    def shows(self, section_key: int | None = None) -> list[FakeShow]:
        return [i for i in self._iter_type(section_key, "show") if isinstance(i, FakeShow)]

    def seasons(self, section_key: int | None = None) -> list[FakeSeason]:
        return [i for i in self._iter_type(section_key, "season") if isinstance(i, FakeSeason)]

    def episodes(self, section_key: int | None = None) -> list[FakeEpisode]:
        return [i for i in self._iter_type(section_key, "episode") if isinstance(i, FakeEpisode)]

    def _iter_type(self, section_key: int | None, item_type: str) -> list[FakeItem]:
        with self.lock:
            keys = [section_key] if section_key is not None else list(self.sections)
            out: list[FakeItem] = []
            for key in keys:
                out.extend(self.flat(key, item_type))
            return out

    def flat(self, section_key: int, item_type: str) -> list[FakeItem]:
        """All items of one type in a section in library order (cached until a mutation)."""
        with self.lock:
            cached = self._flat_cache.get((section_key, item_type))
            if cached is not None and cached[0] == self.generation:
                return cached[1]
            section = self.sections[section_key]
            items: list[FakeItem]
            if item_type == "movie":
                items = list(section.movies)
            elif item_type == "show":
                items = list(section.shows)
            elif item_type == "season":
                items = [s for show in section.shows for s in show.seasons]
            elif item_type == "episode":
                items = [e for show in section.shows for s in show.seasons for e in s.episodes]
            else:
                items = []
            self._flat_cache[(section_key, item_type)] = (self.generation, items)
            return items

    def counts(self) -> dict[str, int]:
        """Number of items per type across all sections."""
        with self.lock:
            out = {"movie": 0, "show": 0, "season": 0, "episode": 0}
            for item in self.items.values():
                out[item.TYPE] += 1
            return out

    # ------------------------------------------------------------------ building blocks
    def add_section(
        self,
        section_type: SectionType,
        title: str,
        locations: list[str],
        *,
        path_style: PathStyle = "posix",
        key: int | None = None,
    ) -> FakeSection:
        """Create a section with the given root folders; returns it."""
        with self.lock:
            key = key if key is not None else max(self.sections, default=0) + 1
            agent, scanner = _SECTION_AGENTS[section_type]
            created = GENERATED_EPOCH_START - 86_400 * key
            section = FakeSection(
                key=key,
                type=section_type,
                title=title,
                agent=agent,
                scanner=scanner,
                uuid=str(uuid.UUID(int=self._rng.getrandbits(128), version=4)),
                created_at=created,
                updated_at=created,
                scanned_at=created,
                path_style=path_style,
                locations=[FakeLocation(id=self._new_id("loc"), path=p) for p in locations],
            )
            self.sections[key] = section
            self._mutated()
            return section

    def _make_media(
        self,
        rng: random.Random,
        base_path: str,
        duration: int,
        added_at: int,
        *,
        parts: int = 1,
        fmt_index: int | None = None,
        container: str | None = None,
    ) -> FakeMedia:
        width, height, resolution, bitrate = _VIDEO_FORMATS[
            fmt_index if fmt_index is not None else rng.randrange(len(_VIDEO_FORMATS))
        ]
        video_codec = rng.choice(_VIDEO_CODECS)
        audio_codec, channels = rng.choice(_AUDIO)
        container = container or rng.choice(_CONTAINERS)
        media = FakeMedia(
            id=self._new_id("media"),
            duration=duration,
            bitrate=bitrate,
            width=width,
            height=height,
            video_resolution=resolution,
            video_codec=video_codec,
            audio_codec=audio_codec,
            audio_channels=channels,
            container=container,
            video_frame_rate=rng.choice(("24p", "24p", "NTSC", "PAL")),
        )
        part_duration = duration // parts
        for n in range(parts):
            suffix = f" - pt{n + 1}" if parts > 1 else ""
            part_id = self._new_id("part")
            size = bitrate * 125 * (part_duration // 1000) + rng.randrange(1, 1_000_000)
            part = FakePart(
                id=part_id,
                key=f"/library/parts/{part_id}/{added_at}/file.{container}",
                file=f"{base_path}{suffix}.{container}",
                size=size,
                duration=part_duration if n < parts - 1 else duration - part_duration * n,
                container=container,
            )
            part.streams = self._make_streams(rng, media, with_subtitle=rng.random() < 0.3)
            media.parts.append(part)
        return media

    def _make_streams(
        self, rng: random.Random, media: FakeMedia, *, with_subtitle: bool
    ) -> list[FakeStream]:
        lang, code, tag = _LANGUAGES[0] if rng.random() < 0.8 else rng.choice(_LANGUAGES)
        streams = [
            FakeStream(
                id=self._new_id("stream"),
                stream_type=1,
                codec=media.video_codec,
                index=0,
                display_title=f"{media.video_resolution} ({media.video_codec.upper()})",
                width=media.width,
                height=media.height,
                bitrate=media.bitrate - 192,
                frame_rate=23.976,
                default=True,
            ),
            FakeStream(
                id=self._new_id("stream"),
                stream_type=2,
                codec=media.audio_codec,
                index=1,
                display_title=f"{lang} ({media.audio_codec.upper()} {media.audio_channels}ch)",
                language=lang,
                language_code=code,
                language_tag=tag,
                channels=media.audio_channels,
                bitrate=192,
                default=True,
                selected=True,
            ),
        ]
        if with_subtitle:
            streams.append(
                FakeStream(
                    id=self._new_id("stream"),
                    stream_type=3,
                    codec="srt",
                    index=2,
                    display_title="English (SRT)",
                    language="English",
                    language_code="eng",
                    language_tag="en",
                )
            )
        return streams

    def _make_markers(self, rng: random.Random, duration: int, *, intro: bool) -> list[FakeMarker]:
        markers: list[FakeMarker] = []
        if intro:
            start = rng.randrange(0, 90) * 1000
            markers.append(
                FakeMarker(
                    id=self._new_id("marker"),
                    type="intro",
                    start=start,
                    end=start + rng.randrange(20, 90) * 1000,
                )
            )
        credits_start = max(duration - rng.randrange(40, 180) * 1000, duration // 2)
        markers.append(
            FakeMarker(
                id=self._new_id("marker"),
                type="credits",
                start=credits_start,
                end=duration,
                final=True,
            )
        )
        return markers

    def _make_chapters(self, rng: random.Random, duration: int) -> list[FakeChapter]:
        count = rng.randrange(3, 9)
        step = duration // count
        return [
            FakeChapter(
                id=self._new_id("chapter"),
                index=n + 1,
                start=n * step,
                end=duration if n == count - 1 else (n + 1) * step,
                tag="Opening" if n == 0 else ("Finale" if n == count - 1 else f"Chapter {n + 1}"),
            )
            for n in range(count)
        ]

    # ------------------------------------------------------------------ creators
    def _new_movie(
        self,
        rng: random.Random,
        section: FakeSection,
        ordinal: int,
        title: str,
        overrides: dict[str, Any],
    ) -> FakeMovie:
        rk = self._new_rating_key()
        year = rng.randrange(1950, 2024)
        added = rng.randrange(GENERATED_EPOCH_START, GENERATED_EPOCH_END)
        updated = min(added + rng.randrange(0, 90 * 86_400), GENERATED_EPOCH_END)
        duration = rng.randrange(75, 190) * 60_000 + rng.randrange(0, 60_000)
        root = section.locations[ordinal % len(section.locations)].path
        folder = _safe_name(f"{title} ({year})")
        base = _join(section.path_style, root, folder, folder)
        media: list[FakeMedia] = []
        if ordinal % 13 == 7:  # two versions of the same movie
            media.append(
                self._make_media(
                    rng,
                    base,
                    duration,
                    added,
                    fmt_index=0,
                    container="mkv",
                )
            )
            media.append(
                self._make_media(
                    rng,
                    f"{base} - 720p",
                    duration,
                    added,
                    fmt_index=1,
                    container="mp4",
                )
            )
        else:
            parts = 2 if ordinal % 17 == 5 else 1  # one movie split over two files
            media.append(self._make_media(rng, base, duration, added, parts=parts))
        external = (
            []
            if ordinal % 23 == 22
            else [
                f"imdb://tt{rng.randrange(100_000, 9_999_999):07d}",
                f"tmdb://{rng.randrange(1, 900_000)}",
            ]
        )
        movie = FakeMovie(
            rating_key=rk,
            section_key=section.key,
            guid=f"plex://movie/{_hex_guid(rng)}",
            title=title,
            title_sort=title[4:] if title.startswith("The ") else None,
            summary=_summary(rng, title, ordinal),
            content_rating=MOVIE_RATINGS[ordinal % len(MOVIE_RATINGS)],
            duration=duration,
            added_at=added,
            updated_at=updated,
            year=year,
            originally_available_at=f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            thumb=f"/library/metadata/{rk}/thumb/{updated}",
            art=f"/library/metadata/{rk}/art/{updated}",
            external_guids=external,
            studio=rng.choice(_STUDIOS),
            tagline=f"{title}: the {rng.choice(_NOUNS).lower()} awaits." if ordinal % 2 else None,
            media=media,
            markers=self._make_markers(rng, duration, intro=False) if ordinal % 4 == 0 else [],
            chapters=self._make_chapters(rng, duration) if ordinal % 3 == 0 else [],
        )
        _apply(movie, overrides)
        section.movies.append(movie)
        self.items[rk] = movie
        return movie

    def _new_show(
        self,
        rng: random.Random,
        section: FakeSection,
        ordinal: int,
        title: str,
        overrides: dict[str, Any],
    ) -> FakeShow:
        rk = self._new_rating_key()
        year = rng.randrange(1955, 2022)
        added = rng.randrange(GENERATED_EPOCH_START, GENERATED_EPOCH_END)
        root = section.locations[ordinal % len(section.locations)].path
        show = FakeShow(
            rating_key=rk,
            section_key=section.key,
            guid=f"plex://show/{_hex_guid(rng)}",
            title=title,
            title_sort=title[4:] if title.startswith("The ") else None,
            summary=_summary(rng, title, ordinal),
            content_rating=TV_RATINGS[ordinal % len(TV_RATINGS)],
            duration=rng.choice((11, 22, 24, 30, 44, 60)) * 60_000,
            added_at=added,
            updated_at=added,
            year=year,
            originally_available_at=f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            thumb=f"/library/metadata/{rk}/thumb/{added}",
            art=f"/library/metadata/{rk}/art/{added}",
            external_guids=[
                f"imdb://tt{rng.randrange(100_000, 9_999_999):07d}",
                f"tmdb://{rng.randrange(1, 300_000)}",
                f"tvdb://{rng.randrange(70_000, 450_000)}",
            ],
            studio=rng.choice(_STUDIOS),
            location=_join(section.path_style, root, _safe_name(f"{title} ({year})")),
        )
        _apply(show, overrides)
        section.shows.append(show)
        self.items[rk] = show
        return show

    def _new_season(self, rng: random.Random, show: FakeShow, index: int) -> FakeSeason:
        rk = self._new_rating_key()
        season = FakeSeason(
            rating_key=rk,
            section_key=show.section_key,
            guid=f"plex://season/{_hex_guid(rng)}",
            title="Specials" if index == 0 else f"Season {index}",
            summary="",
            content_rating=show.content_rating,
            added_at=show.added_at,
            updated_at=show.updated_at,
            year=(show.year or 2000) + max(index - 1, 0),
            thumb=f"/library/metadata/{rk}/thumb/{show.added_at}",
            art=show.art,
            external_guids=[f"tvdb://{rng.randrange(100_000, 2_000_000)}"],
            index=index,
            show=show,
        )
        show.seasons.append(season)
        show.seasons.sort(key=lambda s: s.index)
        self.items[rk] = season
        return season

    def _new_episode(
        self,
        rng: random.Random,
        season: FakeSeason,
        index: int,
        ordinal: int,
        title: str,
        overrides: dict[str, Any],
    ) -> FakeEpisode:
        rk = self._new_rating_key()
        show = season.show
        section = self.sections[show.section_key]
        base_minutes = (show.duration or 1_320_000) // 60_000
        duration = base_minutes * 60_000 - rng.randrange(0, 120_000)
        lowest = min(max(show.added_at, GENERATED_EPOCH_START), GENERATED_EPOCH_END)
        added = rng.randrange(lowest, GENERATED_EPOCH_END + 1)
        updated = min(added + rng.randrange(0, 30 * 86_400), GENERATED_EPOCH_END)
        year = season.year or show.year or 2000
        name = _safe_name(f"{show.title} - s{season.index:02d}e{index:02d} - {title}")
        base = _join(section.path_style, show.location, f"Season {season.index:02d}", name)
        parts = 2 if ordinal % 50 == 9 else 1
        episode = FakeEpisode(
            rating_key=rk,
            section_key=show.section_key,
            guid=f"plex://episode/{_hex_guid(rng)}",
            title=title,
            summary=_summary(rng, title, ordinal),
            content_rating=show.content_rating if ordinal % 31 else None,
            duration=duration,
            added_at=added,
            updated_at=updated,
            year=year,
            originally_available_at=f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            thumb=f"/library/metadata/{rk}/thumb/{updated}",
            art=show.art,
            external_guids=[]
            if ordinal % 19 == 18
            else [
                f"imdb://tt{rng.randrange(100_000, 9_999_999):07d}",
                f"tmdb://{rng.randrange(1, 5_000_000)}",
                f"tvdb://{rng.randrange(100_000, 9_000_000)}",
            ],
            index=index,
            season=season,
            media=[self._make_media(rng, base, duration, added, parts=parts)],
            markers=[] if ordinal % 9 == 4 else self._make_markers(rng, duration, intro=True),
            chapters=self._make_chapters(rng, duration) if ordinal % 25 == 3 else [],
        )
        _apply(episode, overrides)
        season.episodes.append(episode)
        season.episodes.sort(key=lambda e: e.index)
        self.items[rk] = episode
        return episode

    # ------------------------------------------------------------------ mutations
    def _mutated(self) -> None:
        self.generation += 1

    def _bump(self, item: FakeItem) -> None:
        """Give `item` a fresh updatedAt and carry it to its section, like a Plex edit."""
        stamp = max(self.now(), item.updated_at + 1)
        item.updated_at = stamp
        section = self.sections[item.section_key]
        section.updated_at = max(section.updated_at, stamp)
        section.content_changed_at += 1
        self.updated_at = max(self.updated_at, stamp)

    def _stamp_new(self, item: FakeItem, given: dict[str, Any]) -> None:
        """A freshly added item was added and updated "now" unless the caller said otherwise."""
        if "added_at" not in given and "addedAt" not in given:
            item.added_at = self.now()
        if "updated_at" in given or "updatedAt" in given:
            section = self.sections[item.section_key]
            section.updated_at = max(section.updated_at, item.updated_at)
            section.content_changed_at += 1
        else:
            self._bump(item)

    def _invalidate(self, item: FakeItem) -> None:
        item.render_cache.clear()
        if isinstance(item, FakeEpisode):  # leafCount of season and show changes
            item.season.render_cache.clear()
            item.season.show.render_cache.clear()
        elif isinstance(item, FakeSeason):
            item.show.render_cache.clear()

    def change_item(self, rating_key: int, **changes: Any) -> FakeItem:
        """Set fields (dataclass or Plex attribute names) and bump updatedAt unless given.

        Example: `data.change_item(5, title="New", contentRating="PG")`.
        """
        with self.lock:
            item = self.items[rating_key]
            explicit_updated = "updated_at" in changes or "updatedAt" in changes
            _apply(item, changes)
            if explicit_updated:
                section = self.sections[item.section_key]
                section.updated_at = max(section.updated_at, item.updated_at)
                section.content_changed_at += 1
            else:
                self._bump(item)
            self._invalidate(item)
            self._mutated()
            return item

    def touch(self, rating_key: int) -> FakeItem:
        """Bump updatedAt after a test edited nested objects (media, parts) in place."""
        return self.change_item(rating_key)

    def add_movie(self, section_key: int, *, title: str | None = None, **fields_: Any) -> int:
        """Add a generated movie (fields override the generated ones); returns its ratingKey."""
        with self.lock:
            section = self.sections[section_key]
            if section.type != "movie":
                raise ValueError(f"section {section_key} is a {section.type} section")
            ordinal = len(section.movies)
            movie = self._new_movie(
                self._rng, section, ordinal, title or _title(self._rng, ordinal), fields_
            )
            self._stamp_new(movie, fields_)
            self._mutated()
            return movie.rating_key

    def add_show(self, section_key: int, *, title: str | None = None, **fields_: Any) -> int:
        """Add an empty show (no seasons yet); returns its ratingKey."""
        with self.lock:
            section = self.sections[section_key]
            if section.type != "show":
                raise ValueError(f"section {section_key} is a {section.type} section")
            ordinal = len(section.shows)
            show = self._new_show(
                self._rng, section, ordinal, title or _title(self._rng, ordinal), fields_
            )
            self._stamp_new(show, fields_)
            self._mutated()
            return show.rating_key

    def add_episode(
        self,
        show_rating_key: int,
        *,
        season_index: int = 1,
        index: int | None = None,
        title: str | None = None,
        **fields_: Any,
    ) -> int:
        """Add an episode (creating the season if needed); returns its ratingKey."""
        with self.lock:
            show = self.items[show_rating_key]
            if not isinstance(show, FakeShow):
                raise ValueError(f"{show_rating_key} is a {show.TYPE}, not a show")
            season = next((s for s in show.seasons if s.index == season_index), None)
            if season is None:
                season = self._new_season(self._rng, show, season_index)
                self._stamp_new(season, {})
            if index is None:
                index = max((e.index for e in season.episodes), default=0) + 1
            ordinal = sum(len(s.episodes) for s in show.seasons)
            episode = self._new_episode(
                self._rng, season, index, ordinal, title or f"Episode {index}", fields_
            )
            self._stamp_new(episode, fields_)
            self._invalidate(episode)
            self._mutated()
            return episode.rating_key

    def remove_item(self, rating_key: int) -> None:
        """Delete an item and everything under it, as emptying the trash in Plex would."""
        with self.lock:
            item = self.items[rating_key]
            section = self.sections[item.section_key]
            doomed: list[FakeItem] = [item]
            if isinstance(item, FakeMovie):
                section.movies.remove(item)
            elif isinstance(item, FakeShow):
                section.shows.remove(item)
                for season in item.seasons:
                    doomed.append(season)
                    doomed.extend(season.episodes)
            elif isinstance(item, FakeSeason):
                item.show.seasons.remove(item)
                doomed.extend(item.episodes)
                item.show.render_cache.clear()
            elif isinstance(item, FakeEpisode):
                item.season.episodes.remove(item)
                self._invalidate(item)
            for gone in doomed:
                self.items.pop(gone.rating_key, None)
            stamp = self.now()
            section.updated_at = max(section.updated_at, stamp)
            section.content_changed_at += 1
            self.updated_at = max(self.updated_at, stamp)
            self._mutated()


def _apply(item: FakeItem, changes: dict[str, Any]) -> None:
    names = {f.name for f in fields(item)}
    for name, value in changes.items():
        attr = _PLEX_FIELD_ALIASES.get(name, name)
        if attr not in names or attr == "rating_key" or attr == "render_cache":
            raise TypeError(f"{type(item).__name__} has no settable field {name!r}")
        setattr(item, attr, value)


def _title(rng: random.Random, ordinal: int) -> str:
    """A title; every tenth one is non-ASCII and a few need XML escaping."""
    if ordinal % 10 == 1:
        return UNICODE_TITLES[(ordinal // 10) % len(UNICODE_TITLES)]
    if ordinal % 29 == 7:
        return AWKWARD_TITLES[(ordinal // 29) % len(AWKWARD_TITLES)]
    prefix = "The " if ordinal % 6 == 0 else ""
    return f"{prefix}{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"


def _summary(rng: random.Random, title: str, ordinal: int) -> str:
    text = f"{title}: a {rng.choice(_ADJECTIVES).lower()} tale of the {rng.choice(_NOUNS).lower()}."
    return text + "\nSecond paragraph." if ordinal % 8 == 3 else text


def generate_library(
    *,
    seed: int = 0,
    movies: int = 20,
    shows: int = 4,
    seasons_per_show: int = 2,
    episodes_per_season: int | None = None,
    episodes_per_show: int | None = None,
    total_episodes: int | None = None,
    windows_shows: int = 1,
    music_section: bool = True,
    platform: str = "Linux",
    friendly_name: str = "RetroVue Test PMS",
) -> FakePlexData:
    """Build a deterministic catalogue for `seed`.

    Sections: 1 "Movies", 2 "TV Shows", then "Music" (artist, no items) if `music_section`,
    then "TV (NAS)" holding `windows_shows` of the `shows` with Windows paths (`C:\\Media\\TV`
    and `\\\\NAS\\share\\TV`). With `platform="Windows"` every section uses Windows paths.
    Episode counts: `total_episodes` (spread over all shows) wins over `episodes_per_show`
    (spread over its seasons), which wins over `episodes_per_season` (default 5).
    """
    rng = random.Random(seed)
    data = FakePlexData(
        seed=seed,
        platform=platform,
        friendly_name=friendly_name,
    )
    windows = platform == "Windows"
    style: PathStyle = "windows" if windows else "posix"
    movie_roots = (
        ["D:\\Movies", "\\\\NAS\\share\\Movies"]
        if windows
        else ["/data/media/Movies", "/mnt/nas/Movies"]
    )
    tv_roots = ["D:\\TV"] if windows else ["/data/media/TV"]
    movie_section = data.add_section("movie", "Movies", movie_roots, path_style=style)
    tv_section = data.add_section("show", "TV Shows", tv_roots, path_style=style)
    if music_section:
        music_roots = ["D:\\Music"] if windows else ["/data/media/Music"]
        data.add_section("artist", "Music", music_roots, path_style=style)
    windows_shows = max(0, min(windows_shows, shows - 1))
    nas_section = (
        data.add_section(
            "show", "TV (NAS)", ["C:\\Media\\TV", "\\\\NAS\\share\\TV"], path_style="windows"
        )
        if windows_shows
        else None
    )

    for ordinal in range(movies):
        data._new_movie(rng, movie_section, ordinal, _title(rng, ordinal), {})

    seasons_per_show = max(1, seasons_per_show)
    per_show: list[int]
    if total_episodes is not None:
        base, extra = divmod(total_episodes, max(shows, 1))
        per_show = [base + (1 if n < extra else 0) for n in range(shows)]
    elif episodes_per_show is not None:
        per_show = [episodes_per_show] * shows
    else:
        per_show = [(episodes_per_season or 5) * seasons_per_show] * shows

    episode_ordinal = 0
    for ordinal in range(shows):
        section = nas_section if nas_section and ordinal >= shows - windows_shows else tv_section
        show = data._new_show(rng, section, ordinal, _title(rng, ordinal), {})
        count = per_show[ordinal]
        n_seasons = min(seasons_per_show, max(count, 1))
        base, extra = divmod(count, n_seasons)
        for s in range(n_seasons):
            season = data._new_season(rng, show, s + 1)
            for e in range(base + (1 if s < extra else 0)):
                title = (
                    _title(rng, episode_ordinal)
                    if episode_ordinal % 10 in (1, 7)
                    else f"Episode {e + 1}"
                )
                data._new_episode(rng, season, e + 1, episode_ordinal, title, {})
                episode_ordinal += 1
            season.updated_at = max(
                (ep.updated_at for ep in season.episodes), default=season.added_at
            )
        show.updated_at = max((s.updated_at for s in show.seasons), default=show.added_at)

    for section in data.sections.values():
        stamps = [i.updated_at for i in data.items.values() if i.section_key == section.key]
        section.updated_at = max([section.updated_at, *stamps])
        section.scanned_at = section.updated_at
    data.generation = 0
    return data


# The brief's other name for the same thing.
FakePlexLibrary = FakePlexData
