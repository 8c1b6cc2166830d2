"""A loopback HTTP server that answers the real `plexapi` library like a Plex Media Server.

Why: the sync engine must be tested and benchmarked against real HTTP and the real plexapi
parser, not mocks, including the failures a flaky server or network produces. The server
renders Plex-shaped XML from a `FakePlexData`, caches each item's XML fragment until the item
changes (so a 20,000-episode listing pages quickly), and lets a test inject faults and read a
log of the requests it received.
"""

from __future__ import annotations

import contextlib
import re
import socket
import sys
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from .model import (
    FakeChapter,
    FakeEpisode,
    FakeItem,
    FakeMarker,
    FakeMedia,
    FakeMovie,
    FakePlexData,
    FakeSeason,
    FakeSection,
    FakeShow,
)

FaultKind = Literal["status", "slow", "truncate", "invalid", "drop", "reset"]

XML_CONTENT_TYPE = "text/xml;charset=utf-8"
_XML_DECL = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_MEDIA_TAG_PREFIX = "/system/bundle/media/flags/"
_MEDIA_TAG_VERSION = "1734362814"
_SEARCH_TYPES = {"movie": 1, "show": 2, "season": 3, "episode": 4, "artist": 8, "collection": 18}
_TYPE_NAMES = {v: k for k, v in _SEARCH_TYPES.items()}
_SECTION_TYPES = {"movie": ("movie",), "show": ("show", "season", "episode"), "artist": ()}
_TYPE_TITLES = {"movie": "Movies", "show": "TV Shows", "season": "Seasons", "episode": "Episodes"}
_NEEDS_ESCAPE = re.compile(r'[&<>"\n\r\t]')
_STATUS_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
# Query parameters that never act as a filter.
_NOT_FILTERS = frozenset({
    "type", "sort", "limit", "checkFiles", "skipRefresh", "asyncAugmentMetadata",
    "clusterZoomLevel", "group", "having",
})  # fmt: skip
_NOT_FILTER_PREFIXES = ("include", "exclude", "X-Plex-")
_FILTER_KEY = re.compile(
    r"^(?:(?P<libtype>[a-z]+)\.)?(?P<field>[A-Za-z]+)(?P<op>!=|!|=|>>|<<|>|<)?$"
)
_RELATIVE_DATE = re.compile(r"^-?(\d+)(mon|[smhdwy])$")
_RELATIVE_UNITS = {
    "s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800, "mon": 2_592_000, "y": 31_536_000,
}  # fmt: skip


class PlexRequestError(Exception):
    """Raised inside a handler to answer with an HTTP error status."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message or _STATUS_TEXT.get(status, "Error"))
        self.status = status


# ---------------------------------------------------------------------------- XML helpers
def _esc(value: str) -> str:
    if _NEEDS_ESCAPE.search(value) is None:
        return value
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def _attrs(pairs: Iterable[tuple[str, object]]) -> str:
    """Render XML attributes, skipping None like Plex omits absent fields."""
    out: list[str] = []
    for name, value in pairs:
        if value is None:
            continue
        text = ("1" if value else "0") if isinstance(value, bool) else _esc(str(value))
        out.append(f' {name}="{text}"')
    return "".join(out)


def _element(tag: str, pairs: Iterable[tuple[str, object]], children: str = "") -> str:
    attributes = _attrs(pairs)
    if children:
        return f"<{tag}{attributes}>\n{children}</{tag}>\n"
    return f"<{tag}{attributes} />\n"


def _container(pairs: Iterable[tuple[str, object]], body: Sequence[bytes] = ()) -> bytes:
    head = f"<MediaContainer{_attrs(pairs)}>\n".encode()
    return b"".join((_XML_DECL, head, *body, b"</MediaContainer>\n"))


def _error_body(status: int) -> bytes:
    text = _STATUS_TEXT.get(status, "Error")
    return (
        f"<html><head><title>{text}</title></head><body><h1>{status} {text}</h1></body></html>"
    ).encode()


# ---------------------------------------------------------------------------- rendering
class _Renderer:
    """Turns model items into Plex XML fragments, cached on the item until it changes."""

    def __init__(self, data: FakePlexData) -> None:
        self.data = data

    def _section_attrs(self, item: FakeItem) -> list[tuple[str, object]]:
        section = self.data.sections[item.section_key]
        return [
            ("librarySectionTitle", section.title),
            ("librarySectionID", section.key),
            ("librarySectionKey", f"/library/sections/{section.key}"),
        ]

    def item_pairs(self, item: FakeItem) -> tuple[str, list[tuple[str, object]]]:
        """The element tag and attributes Plex gives this item in listings and detail."""
        section = self._section_attrs(item)
        if isinstance(item, FakeMovie):
            return "Video", [
                ("ratingKey", item.rating_key),
                ("key", item.key),
                ("guid", item.guid),
                ("studio", item.studio),
                ("type", "movie"),
                ("title", item.title),
                ("titleSort", item.title_sort),
                *section,
                ("contentRating", item.content_rating),
                ("summary", item.summary),
                ("year", item.year),
                ("tagline", item.tagline),
                ("thumb", item.thumb),
                ("art", item.art),
                ("duration", item.duration),
                ("originallyAvailableAt", item.originally_available_at),
                ("addedAt", item.added_at),
                ("updatedAt", item.updated_at),
            ]
        if isinstance(item, FakeShow):
            return "Directory", [
                ("ratingKey", item.rating_key),
                ("key", f"{item.key}/children"),
                ("guid", item.guid),
                ("studio", item.studio),
                ("type", "show"),
                ("title", item.title),
                ("titleSort", item.title_sort),
                *section,
                ("contentRating", item.content_rating),
                ("summary", item.summary),
                ("index", 1),
                ("year", item.year),
                ("thumb", item.thumb),
                ("art", item.art),
                ("duration", item.duration),
                ("originallyAvailableAt", item.originally_available_at),
                ("leafCount", sum(len(s.episodes) for s in item.seasons)),
                ("viewedLeafCount", 0),
                ("childCount", len(item.seasons)),
                ("addedAt", item.added_at),
                ("updatedAt", item.updated_at),
            ]
        if isinstance(item, FakeSeason):
            show = item.show
            return "Directory", [
                ("ratingKey", item.rating_key),
                ("key", f"{item.key}/children"),
                ("parentRatingKey", show.rating_key),
                ("guid", item.guid),
                ("parentGuid", show.guid),
                ("parentStudio", show.studio),
                ("type", "season"),
                ("title", item.title),
                ("parentKey", show.key),
                ("parentTitle", show.title),
                *section,
                ("summary", item.summary),
                ("index", item.index),
                ("parentIndex", 1),
                ("parentYear", show.year),
                ("year", item.year),
                ("thumb", item.thumb),
                ("art", item.art),
                ("parentThumb", show.thumb),
                ("leafCount", len(item.episodes)),
                ("viewedLeafCount", 0),
                ("addedAt", item.added_at),
                ("updatedAt", item.updated_at),
            ]
        if isinstance(item, FakeEpisode):
            season = item.season
            show = season.show
            return "Video", [
                ("ratingKey", item.rating_key),
                ("key", item.key),
                ("parentRatingKey", season.rating_key),
                ("grandparentRatingKey", show.rating_key),
                ("guid", item.guid),
                ("parentGuid", season.guid),
                ("grandparentGuid", show.guid),
                ("type", "episode"),
                ("title", item.title),
                ("grandparentKey", show.key),
                ("parentKey", season.key),
                *section,
                ("grandparentTitle", show.title),
                ("parentTitle", season.title),
                ("contentRating", item.content_rating),
                ("summary", item.summary),
                ("index", item.index),
                ("parentIndex", season.index),
                ("year", item.year),
                ("thumb", item.thumb),
                ("art", item.art),
                ("parentThumb", season.thumb),
                ("grandparentThumb", show.thumb),
                ("grandparentArt", show.art),
                ("duration", item.duration),
                ("originallyAvailableAt", item.originally_available_at),
                ("addedAt", item.added_at),
                ("updatedAt", item.updated_at),
            ]
        raise TypeError(f"cannot render {type(item).__name__}")

    @staticmethod
    def media(media_list: list[FakeMedia], *, streams: bool) -> str:
        out: list[str] = []
        for media in media_list:
            parts: list[str] = []
            for part in media.parts:
                stream_xml = ""
                if streams:
                    stream_xml = "".join(
                        _element(
                            "Stream",
                            [
                                ("id", s.id),
                                ("streamType", s.stream_type),
                                ("default", True if s.default else None),
                                ("selected", True if s.selected else None),
                                ("codec", s.codec),
                                ("index", s.index),
                                ("bitrate", s.bitrate),
                                ("language", s.language),
                                ("languageTag", s.language_tag),
                                ("languageCode", s.language_code),
                                ("height", s.height),
                                ("width", s.width),
                                ("frameRate", s.frame_rate),
                                ("channels", s.channels),
                                ("displayTitle", s.display_title),
                                ("extendedDisplayTitle", s.display_title),
                            ],
                        )
                        for s in part.streams
                    )
                parts.append(
                    _element(
                        "Part",
                        [
                            ("id", part.id),
                            ("key", part.key),
                            ("duration", part.duration),
                            ("file", part.file),
                            ("size", part.size),
                            ("container", part.container),
                            ("videoProfile", "high"),
                        ],
                        stream_xml,
                    )
                )
            out.append(
                _element(
                    "Media",
                    [
                        ("id", media.id),
                        ("duration", media.duration),
                        ("bitrate", media.bitrate),
                        ("width", media.width),
                        ("height", media.height),
                        ("aspectRatio", round(media.width / media.height, 2)),
                        ("audioChannels", media.audio_channels),
                        ("audioCodec", media.audio_codec),
                        ("videoCodec", media.video_codec),
                        ("videoResolution", media.video_resolution),
                        ("container", media.container),
                        ("videoFrameRate", media.video_frame_rate),
                        ("videoProfile", "high"),
                    ],
                    "".join(parts),
                )
            )
        return "".join(out)

    @staticmethod
    def guids(item: FakeItem) -> str:
        return "".join(_element("Guid", [("id", g)]) for g in item.external_guids)

    @staticmethod
    def markers(markers: list[FakeMarker]) -> str:
        return "".join(
            _element(
                "Marker",
                [
                    ("id", m.id),
                    ("type", m.type),
                    ("startTimeOffset", m.start),
                    ("endTimeOffset", m.end),
                    ("final", True if m.final else None),
                ],
                _element("Attributes", [("id", m.id), ("version", 5)]),
            )
            for m in markers
        )

    @staticmethod
    def chapters(chapters: list[FakeChapter]) -> str:
        return "".join(
            _element(
                "Chapter",
                [
                    ("id", c.id),
                    ("filter", f"thumb={c.id}"),
                    ("index", c.index),
                    ("startTimeOffset", c.start),
                    ("endTimeOffset", c.end),
                    ("tag", c.tag),
                    ("thumb", f"/library/media/{c.id}/chapterImages/{c.index}"),
                ],
            )
            for c in chapters
        )

    def listing(self, item: FakeItem, *, guids: bool) -> bytes:
        """Listing view: Media/Part without streams; Guid children only when asked."""
        cache_key = "L1" if guids else "L0"
        cached = item.render_cache.get(cache_key)
        if cached is not None:
            return cached
        tag, pairs = self.item_pairs(item)
        children = ""
        if isinstance(item, FakeMovie | FakeEpisode):
            children = self.media(item.media, streams=False)
        if guids:
            children += self.guids(item)
        rendered = _element(tag, pairs, children).encode()
        item.render_cache[cache_key] = rendered
        return rendered

    def detail(self, item: FakeItem, *, markers: bool, chapters: bool) -> bytes:
        """Detail view: streams and Guid always; markers and chapters only when included."""
        cache_key = f"D{int(markers)}{int(chapters)}"
        cached = item.render_cache.get(cache_key)
        if cached is not None:
            return cached
        tag, pairs = self.item_pairs(item)
        children = ""
        if isinstance(item, FakeMovie | FakeEpisode):
            children = self.media(item.media, streams=True)
            if markers:
                children += self.markers(item.markers)
            if chapters:
                children += self.chapters(item.chapters)
        children += self.guids(item)
        if isinstance(item, FakeShow):
            children += _element("Location", [("path", item.location)])
        rendered = _element(tag, pairs, children).encode()
        item.render_cache[cache_key] = rendered
        return rendered


# ---------------------------------------------------------------------------- filtering
_Getter = Callable[[FakeItem], object]


def _date_value(text: str | None) -> int | None:
    if not text:
        return None
    return int(datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC).timestamp())


_FIELDS: dict[str, tuple[str, _Getter]] = {
    "id": ("int", lambda i: i.rating_key),
    "ratingKey": ("int", lambda i: i.rating_key),
    "updatedAt": ("int", lambda i: i.updated_at),
    "addedAt": ("int", lambda i: i.added_at),
    "year": ("int", lambda i: i.year),
    "duration": ("int", lambda i: i.duration),
    "index": ("int", lambda i: getattr(i, "index", 1 if isinstance(i, FakeShow) else None)),
    "originallyAvailableAt": ("int", lambda i: _date_value(i.originally_available_at)),
    "title": ("str", lambda i: i.title),
    "titleSort": ("str", lambda i: i.title_sort or i.title),
    "summary": ("str", lambda i: i.summary),
    "studio": ("str", lambda i: getattr(i, "studio", None)),
    "tagline": ("str", lambda i: getattr(i, "tagline", None)),
    "contentRating": ("tag", lambda i: i.content_rating),
    "guid": ("tag", lambda i: i.guid),
}


def _ancestor(item: FakeItem, libtype: str | None) -> FakeItem | None:
    if libtype is None or libtype == item.TYPE:
        return item
    if libtype == "show" and isinstance(item, FakeSeason):
        return item.show
    if libtype == "show" and isinstance(item, FakeEpisode):
        return item.season.show
    if libtype == "season" and isinstance(item, FakeEpisode):
        return item.season
    return None


def _resolve(libtype: str | None, name: str, listed: str) -> tuple[str, _Getter]:
    if libtype is not None and not _ancestor_allowed(libtype, listed):
        raise PlexRequestError(400, f"filter on {libtype}.{name} not supported for {listed}")
    try:
        kind, getter = _FIELDS[name]
    except KeyError:
        raise PlexRequestError(400, f"unknown field {name!r}") from None
    if libtype is None or libtype == listed:
        return kind, getter

    def through_ancestor(item: FakeItem) -> object:
        parent = _ancestor(item, libtype)
        return None if parent is None else getter(parent)

    return kind, through_ancestor


def _ancestor_allowed(libtype: str, listed: str) -> bool:
    order = {"show": 0, "season": 1, "episode": 2}
    if libtype == listed:
        return True
    return libtype in order and listed in order and order[libtype] < order[listed]


def _parse_number(text: str, now: int) -> int:
    text = text.strip()
    match = _RELATIVE_DATE.match(text)
    if match:
        return now - int(match.group(1)) * _RELATIVE_UNITS[match.group(2)]
    try:
        return int(float(text))
    except ValueError:
        value = _date_value(text)
        if value is None:
            raise PlexRequestError(400, f"bad number {text!r}") from None
        return value


def _make_filter(key: str, raw: str, listed: str, now: int) -> Callable[[FakeItem], bool]:
    match = _FILTER_KEY.match(key)
    if match is None:
        raise PlexRequestError(400, f"unsupported filter {key!r}")
    kind, getter = _resolve(match.group("libtype"), match.group("field"), listed)
    op = match.group("op") or ""
    if kind == "str":
        value = raw
        exact = op in ("=", "!=") or (op in ("", "!") and raw.startswith("="))
        if raw.startswith("=") and op in ("", "!"):
            value = raw[1:]
        negate = op.startswith("!")
        needle = value.casefold()

        def string_filter(item: FakeItem) -> bool:
            got = getter(item)
            text = str(got).casefold() if got is not None else ""
            if op == "<":
                return text.startswith(needle)
            if op == ">":
                return text.endswith(needle)
            hit = text == needle if exact else needle in text
            return hit != negate

        return string_filter
    if kind == "tag":
        wanted = {v.casefold() for v in raw.split(",")}
        negate = op.startswith("!")

        def tag_filter(item: FakeItem) -> bool:
            got = getter(item)
            hit = got is not None and str(got).casefold() in wanted
            return hit != negate

        return tag_filter
    if op in (">>", ">"):
        bound = _parse_number(raw, now)
        return lambda item: _ge(getter(item), bound)
    if op in ("<<", "<"):
        bound = _parse_number(raw, now)
        return lambda item: _le(getter(item), bound)
    values = {_parse_number(v, now) for v in raw.split(",")}
    negate = op.startswith("!")
    return lambda item: (getter(item) in values) != negate


def _ge(value: object, bound: int) -> bool:
    return isinstance(value, int) and value >= bound


def _le(value: object, bound: int) -> bool:
    return isinstance(value, int) and value <= bound


def _sort_items(items: list[FakeItem], spec: str, listed: str) -> list[FakeItem]:
    """Stable multi-key sort (`a:desc,b`), nulls last, as Plex's `sort=` parameter."""
    result = list(items)
    for part in reversed([p for p in spec.split(",") if p.strip()]):
        name, _, direction = part.strip().partition(":")
        libtype, _, field_name = name.rpartition(".")
        if field_name in ("random",):
            continue
        _, getter = _resolve(libtype or None, field_name, listed)
        if direction not in ("", "asc", "desc", "nullsLast"):
            raise PlexRequestError(400, f"bad sort direction {direction!r}")
        descending = direction == "desc"

        def sort_key(
            item: FakeItem, getter: _Getter = getter, descending: bool = descending
        ) -> tuple[bool, Any]:
            value = getter(item)
            if isinstance(value, str):
                value = value.casefold()
            return (value is not None) if descending else (value is None), value

        result.sort(key=sort_key, reverse=descending)
    return result


# ---------------------------------------------------------------------------- faults/log
@dataclass(slots=True, kw_only=True, eq=False)
class Fault:
    """One injected failure; applies to requests whose target matches `path`/`regex`.

    `times=None` means every matching request; otherwise the fault stops after `times` hits.
    The target matched is the decoded path plus query string, without the token.
    """

    kind: FaultKind
    status: int = 500
    delay: float = 0.0
    times: int | None = None
    path: str | None = None
    regex: re.Pattern[str] | None = None
    keep_fraction: float = 0.5
    hits: int = 0

    def matches(self, target: str) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.path is not None and self.path not in target:
            return False
        return not (self.regex is not None and self.regex.search(target) is None)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times


@dataclass(slots=True, kw_only=True)
class RecordedRequest:
    """One request as the server saw it (token removed from query and headers)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    target: str
    time: float
    status: int | None = None
    fault: FaultKind | None = None
    authorized: bool = False
    extras: dict[str, Any] = field(default_factory=dict)

    def param(self, name: str) -> str | None:
        """A paging or other parameter, from the query string or else the headers."""
        if name in self.query:
            return self.query[name]
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)


# ---------------------------------------------------------------------------- HTTP plumbing
class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    fake: FakePlexServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up (timeouts, injected drops) are expected; anything else is kept."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            return
        self.fake.errors.append(traceback.format_exc())


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "PlexMediaServer/fake"
    sys_version = ""
    timeout = 60  # idle keep-alive connections end on their own
    # Buffer headers and body into one send and disable Nagle: separate small writes on a
    # kept-alive connection otherwise cost ~40 ms each (Nagle + delayed ACK).
    wbufsize = 256 * 1024

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.fake._connection_opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._connection_closed(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log; the fake keeps its own request log."""

    def do_GET(self) -> None:
        self.server.fake._handle(self)

    do_POST = do_GET
    do_PUT = do_GET
    do_DELETE = do_GET


@dataclass(slots=True)
class _Response:
    status: int
    body: bytes
    content_type: str = XML_CONTENT_TYPE


class FakePlexServer:
    """A fake Plex Media Server on 127.0.0.1 serving `data` to clients that send `token`.

    Use as a context manager (`with FakePlexServer(data) as srv: srv.url`) or call
    `start()`/`stop()`. `token` may be changed at runtime to simulate a revoked token.
    """

    def __init__(
        self,
        data: FakePlexData | None = None,
        *,
        token: str = "secret-token",
        host: str = "127.0.0.1",
        port: int = 0,
        platform: str | None = None,
    ) -> None:
        if data is None:
            from .model import generate_library

            data = generate_library()
        if platform is not None:
            data.platform = platform
        self.data = data
        self.token = token
        self.host = host
        self._requested_port = port
        self._renderer = _Renderer(data)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._faults: list[Fault] = []
        self._fault_lock = threading.Lock()
        self._log: list[RecordedRequest] = []
        self._log_lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        self._query_cache: OrderedDict[tuple[object, ...], list[FakeItem]] = OrderedDict()
        self.errors: list[str] = []

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> Self:
        """Bind and serve in a daemon thread; returns self."""
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = _HTTPServer((self.host, self._requested_port), _Handler)
        httpd.fake = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fakeplex-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close kept-alive connections and wait for the serving thread."""
        httpd = self._httpd
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        with self._conn_lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def serve_forever(self) -> None:
        """Serve in the calling thread until `stop()` is called from elsewhere."""
        self.start()
        self._stopping.wait()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Base URL to give `plexapi.server.PlexServer`."""
        return f"http://{self.host}:{self.port}"

    def warm(self, *, guids: Sequence[bool] = (True, False)) -> None:
        """Pre-render every listing fragment so the first listing is as fast as later ones."""
        with self.data.lock:
            for item in self.data.items.values():
                for flag in guids:
                    self._renderer.listing(item, guids=flag)

    def _connection_opened(self, conn: socket.socket) -> None:
        with self._conn_lock:
            self._connections.add(conn)

    def _connection_closed(self, conn: socket.socket) -> None:
        with self._conn_lock:
            self._connections.discard(conn)

    # ------------------------------------------------------------------ faults
    def inject(
        self,
        kind: FaultKind,
        *,
        status: int = 500,
        delay: float = 0.0,
        times: int | None = None,
        path: str | None = None,
        regex: str | re.Pattern[str] | None = None,
        keep_fraction: float = 0.5,
    ) -> Fault:
        """Add a fault; the first matching, not exhausted fault applies to a request."""
        fault = Fault(
            kind=kind,
            status=status,
            delay=delay,
            times=times,
            path=path,
            regex=re.compile(regex) if isinstance(regex, str) else regex,
            keep_fraction=keep_fraction,
        )
        with self._fault_lock:
            self._faults.append(fault)
        return fault

    def fail(self, status: int, **where: Any) -> Fault:
        """Answer matching requests with `status` (401, 404, 500, ...) and an HTML body."""
        return self.inject("status", status=status, **where)

    def slow(self, delay: float, **where: Any) -> Fault:
        """Sleep `delay` seconds before answering normally (to trip client timeouts)."""
        return self.inject("slow", delay=delay, **where)

    def truncate(self, keep_fraction: float = 0.5, **where: Any) -> Fault:
        """Answer 200 with the XML cut short (a complete HTTP response, broken XML)."""
        return self.inject("truncate", keep_fraction=keep_fraction, **where)

    def invalid_body(self, **where: Any) -> Fault:
        """Answer 200 with a body that is not XML at all."""
        return self.inject("invalid", **where)

    def drop_connection(self, keep_fraction: float = 0.5, **where: Any) -> Fault:
        """Send headers and part of the body, then close the socket mid-response."""
        return self.inject("drop", keep_fraction=keep_fraction, **where)

    def reset_connection(self, **where: Any) -> Fault:
        """Close the socket without answering at all."""
        return self.inject("reset", **where)

    def clear_faults(self) -> None:
        with self._fault_lock:
            self._faults.clear()

    @property
    def faults(self) -> list[Fault]:
        with self._fault_lock:
            return list(self._faults)

    def _take_fault(self, target: str) -> Fault | None:
        with self._fault_lock:
            for fault in self._faults:
                if fault.matches(target):
                    fault.hits += 1
                    return fault
        return None

    # ------------------------------------------------------------------ request log
    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of the request log, oldest first."""
        with self._log_lock:
            return list(self._log)

    def clear_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    def count_requests(self, path: str | None = None, *, regex: str | None = None) -> int:
        """Number of logged requests whose target contains `path` / matches `regex`."""
        pattern = re.compile(regex) if regex else None
        return sum(
            1
            for r in self.requests
            if (path is None or path in r.target)
            and (pattern is None or pattern.search(r.target) is not None)
        )

    # ------------------------------------------------------------------ dispatch
    def _handle(self, handler: _Handler) -> None:
        split = urlsplit(handler.path)
        path = unquote(split.path)
        pairs = parse_qsl(split.query, keep_blank_values=True)
        token = handler.headers.get("X-Plex-Token")
        clean: list[tuple[str, str]] = []
        for name, value in pairs:
            if name == "X-Plex-Token":
                token = value
            else:
                clean.append((name, value))
        target = path + ("?" + "&".join(f"{k}={v}" for k, v in clean) if clean else "")
        record = RecordedRequest(
            method=handler.command,
            path=path,
            query=dict(clean),
            headers={k: v for k, v in handler.headers.items() if k.lower() != "x-plex-token"},
            target=target,
            time=time.time(),
            authorized=token == self.token,
        )
        with self._log_lock:
            self._log.append(record)

        fault = self._take_fault(target)
        if fault is not None:
            record.fault = fault.kind
            if fault.kind == "reset":
                self._close_now(handler)
                return
            if fault.kind == "slow":
                if self._stopping.wait(fault.delay):
                    self._close_now(handler)
                    return
                fault = None

        if fault is not None and fault.kind == "status":
            response = _Response(fault.status, _error_body(fault.status), "text/html")
        elif fault is not None and fault.kind == "invalid":
            response = _Response(200, b"upstream proxy error {this is not XML", XML_CONTENT_TYPE)
        else:
            response = self._respond(handler, path, dict(clean), token)
        record.status = response.status

        body = response.body
        if fault is not None and fault.kind == "truncate":
            body = body[: max(1, min(len(body) - 1, int(len(body) * fault.keep_fraction)))]
        try:
            handler.send_response(response.status)
            handler.send_header("Content-Type", response.content_type)
            handler.send_header("Content-Length", str(len(body)))
            handler.send_header("X-Plex-Protocol", "1.0")
            handler.send_header("Cache-Control", "no-cache")
            handler.end_headers()
            if fault is not None and fault.kind == "drop":
                handler.wfile.write(body[: int(len(body) * fault.keep_fraction)])
                handler.wfile.flush()
                self._close_now(handler)
                return
            handler.wfile.write(body)
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True

    @staticmethod
    def _close_now(handler: _Handler) -> None:
        handler.close_connection = True
        with contextlib.suppress(OSError):
            handler.wfile.flush()
            handler.connection.shutdown(socket.SHUT_RDWR)

    def _respond(
        self, handler: _Handler, path: str, params: dict[str, str], token: str | None
    ) -> _Response:
        if token != self.token:
            return _Response(401, _error_body(401), "text/html")
        if handler.command != "GET":
            return _Response(405, _error_body(405), "text/html")
        try:
            with self.data.lock:
                body = self._route(handler, path, params)
        except PlexRequestError as exc:
            return _Response(exc.status, _error_body(exc.status), "text/html")
        except Exception:  # a bug in the fake: answer 500 and keep it for the test to see
            self.errors.append(traceback.format_exc())
            return _Response(500, _error_body(500), "text/html")
        return _Response(200, body)

    def _route(self, handler: _Handler, path: str, params: dict[str, str]) -> bytes:
        parts = [p for p in path.split("/") if p]
        if not parts:
            return self._root()
        if parts == ["identity"]:
            return _container(
                [("size", 0), ("claimed", True),
                 ("machineIdentifier", self.data.machine_identifier),
                 ("version", self.data.version)]
            )  # fmt: skip
        if parts[0] != "library":
            raise PlexRequestError(404)
        if parts == ["library"]:
            return self._library()
        if parts[1] == "sections":
            if len(parts) == 2:
                return self._sections()
            section = self._section(parts[2])
            if len(parts) == 3:
                return self._section_root(section)
            if len(parts) == 4 and parts[3] == "all":
                return self._section_all(handler, section, params)
            if len(parts) == 4 and parts[3] == "collections":
                return self._collections(handler, section, params)
        if parts[1] == "metadata" and len(parts) >= 3:
            if len(parts) == 3:
                return self._metadata(handler, parts[2], params)
            if len(parts) == 4 and parts[3] in ("children", "allLeaves"):
                return self._children(handler, parts[2], parts[3], params)
        raise PlexRequestError(404)

    # ------------------------------------------------------------------ endpoints
    def _root(self) -> bytes:
        d = self.data
        return _container(
            [
                ("size", 3),
                ("allowCameraUpload", False),
                ("allowChannelAccess", True),
                ("allowMediaDeletion", True),
                ("allowSharing", True),
                ("allowSync", True),
                ("allowTuners", True),
                ("backgroundProcessing", True),
                ("certificate", True),
                ("companionProxy", True),
                ("countryCode", "usa"),
                ("diagnostics", "logs,databases,streaminglogs"),
                ("eventStream", True),
                ("friendlyName", d.friendly_name),
                ("hubSearch", True),
                ("itemClusters", True),
                ("livetv", 7),
                ("machineIdentifier", d.machine_identifier),
                ("mediaProviders", True),
                ("multiuser", True),
                ("musicAnalysis", 2),
                ("myPlex", True),
                ("myPlexMappingState", "mapped"),
                ("myPlexSigninState", "ok"),
                ("myPlexSubscription", True),
                ("myPlexUsername", "station@example.com"),
                ("offlineTranscode", 1),
                (
                    "ownerFeatures",
                    "camera_upload,cloudsync,content_filter,dvr,hardware_transcoding,"
                    "home,lyrics,music_videos,pass,photo_autotags,premium_music_metadata,sync,"
                    "trailers,webhooks",
                ),
                ("photoAutoTag", True),
                ("platform", d.platform),
                ("platformVersion", d.platform_version),
                ("pluginHost", True),
                ("pushNotifications", False),
                ("readOnlyLibraries", False),
                ("streamingBrainABRVersion", 3),
                ("streamingBrainVersion", 2),
                ("sync", True),
                ("transcoderActiveVideoSessions", 0),
                ("transcoderAudio", True),
                ("transcoderLyrics", True),
                ("transcoderPhoto", True),
                ("transcoderSubtitles", True),
                ("transcoderVideo", True),
                ("transcoderVideoBitrates", "64,96,208,320,720,1500,2000,3000,4000,8000,10000"),
                ("transcoderVideoQualities", "0,1,2,3,4,5,6,7,8,9,10,11,12"),
                ("transcoderVideoResolutions", "128,128,160,240,320,480,768,720,720,1080,1080"),
                ("updatedAt", d.updated_at),
                ("updater", True),
                ("version", d.version),
                ("voiceSearch", True),
            ],
            [
                _element(
                    "Directory", [("count", 1), ("key", "activities"), ("title", "activities")]
                ).encode(),
                _element(
                    "Directory", [("count", 1), ("key", "library"), ("title", "library")]
                ).encode(),
                _element(
                    "Directory", [("count", 1), ("key", "identity"), ("title", "identity")]
                ).encode(),
            ],
        )

    def _library(self) -> bytes:
        return _container(
            [
                ("size", 3),
                ("allowSync", False),
                ("art", "/:/resources/library-art.png"),
                ("content", ""),
                ("identifier", "com.plexapp.plugins.library"),
                ("mediaTagPrefix", _MEDIA_TAG_PREFIX),
                ("mediaTagVersion", _MEDIA_TAG_VERSION),
                ("title1", "Plex Library"),
                ("title2", ""),
            ],
            [
                _element(
                    "Directory", [("key", "sections"), ("title", "Library Sections")]
                ).encode(),
                _element(
                    "Directory", [("key", "recentlyAdded"), ("title", "Recently Added Content")]
                ).encode(),
                _element("Directory", [("key", "onDeck"), ("title", "On Deck Content")]).encode(),
            ],
        )

    def _sections(self) -> bytes:
        body: list[bytes] = []
        for s in self.data.sections.values():
            locations = "".join(
                _element("Location", [("id", loc.id), ("path", loc.path)]) for loc in s.locations
            )
            body.append(
                _element(
                    "Directory",
                    [
                        ("allowSync", True),
                        ("art", f"/:/resources/{s.type}-fanart.jpg"),
                        ("composite", f"/library/sections/{s.key}/composite/{s.updated_at}"),
                        ("filters", True),
                        ("refreshing", False),
                        ("thumb", f"/:/resources/{s.type}.png"),
                        ("key", s.key),
                        ("type", s.type),
                        ("title", s.title),
                        ("agent", s.agent),
                        ("scanner", s.scanner),
                        ("language", s.language),
                        ("uuid", s.uuid),
                        ("updatedAt", s.updated_at),
                        ("createdAt", s.created_at),
                        ("scannedAt", s.scanned_at),
                        ("content", True),
                        ("directory", True),
                        ("contentChangedAt", s.content_changed_at),
                        ("hidden", 0),
                    ],
                    locations,
                ).encode()
            )
        return _container(
            [("size", len(body)), ("allowSync", False), ("title1", "Plex Library")], body
        )

    def _section(self, key: str) -> FakeSection:
        try:
            return self.data.sections[int(key)]
        except (ValueError, KeyError):
            raise PlexRequestError(404) from None

    def _section_container_attrs(self, section: FakeSection) -> list[tuple[str, object]]:
        return [
            ("allowSync", True),
            ("art", f"/:/resources/{section.type}-fanart.jpg"),
            ("identifier", "com.plexapp.plugins.library"),
            ("librarySectionID", section.key),
            ("librarySectionTitle", section.title),
            ("librarySectionUUID", section.uuid),
            ("mediaTagPrefix", _MEDIA_TAG_PREFIX),
            ("mediaTagVersion", _MEDIA_TAG_VERSION),
        ]

    def _section_root(self, section: FakeSection) -> bytes:
        names = [
            ("all", f"All {section.title}"),
            ("unwatched", "Unwatched"),
            ("newest", "Recently Released"),
            ("recentlyAdded", "Recently Added"),
        ]
        body = [_element("Directory", [("key", k), ("title", t)]).encode() for k, t in names]
        return _container(
            [("size", len(body)), *self._section_container_attrs(section),
             ("content", "secondary"), ("title1", section.title), ("viewGroup", "secondary")],
            body,
        )  # fmt: skip

    def _paging(self, handler: _Handler, params: dict[str, str]) -> tuple[int, int | None, bool]:
        """Start and size from the query string or else the X-Plex-Container-* headers."""

        def read(name: str) -> str | None:
            value = params.get(name)
            return value if value is not None else handler.headers.get(name)

        start_text, size_text = read("X-Plex-Container-Start"), read("X-Plex-Container-Size")
        try:
            start = max(0, int(start_text)) if start_text not in (None, "") else 0
            size = max(0, int(size_text)) if size_text not in (None, "") else None
        except ValueError:
            raise PlexRequestError(400, "bad container paging") from None
        return start, size, start_text is not None or size_text is not None

    def _page(
        self,
        handler: _Handler,
        params: dict[str, str],
        items: list[FakeItem],
        render: Callable[[FakeItem], bytes],
        attrs: list[tuple[str, object]],
        prefix: Sequence[bytes] = (),
    ) -> bytes:
        start, size, paged = self._paging(handler, params)
        chosen = items[start:] if size is None else items[start : start + size]
        body = [*prefix, *(render(i) for i in chosen)]
        head: list[tuple[str, object]] = [("size", len(chosen))]
        if paged:
            head += [("totalSize", len(items)), ("offset", start)]
        return _container(head + attrs, body)

    def _filtered(
        self, scope: tuple[object, ...], libtype: str, params: dict[str, str], base: list[FakeItem]
    ) -> list[FakeItem]:
        """Apply Plex filters, `sort` and `limit`; results cached per data generation."""
        filter_pairs = sorted(
            (k, v)
            for k, v in params.items()
            if k not in _NOT_FILTERS and not k.startswith(_NOT_FILTER_PREFIXES)
        )
        for name, _ in filter_pairs:
            if name in ("push", "pop", "and", "or"):
                raise PlexRequestError(400, "advanced filters are not supported by the fake")
        sort = params.get("sort")
        limit = params.get("limit")
        if not filter_pairs and not sort and not limit:
            return base
        relative = any(_RELATIVE_DATE.match(v.strip()) for _, v in filter_pairs)
        cache_key = (*scope, libtype, tuple(filter_pairs), sort, limit, self.data.generation)
        if not relative and cache_key in self._query_cache:
            self._query_cache.move_to_end(cache_key)
            return self._query_cache[cache_key]
        now = self.data.now()
        tests = [_make_filter(k, v, libtype, now) for k, v in filter_pairs]
        items = [i for i in base if all(t(i) for t in tests)] if tests else list(base)
        if sort:
            items = _sort_items(items, sort, libtype)
        if limit:
            try:
                items = items[: max(0, int(limit))]
            except ValueError:
                raise PlexRequestError(400, "bad limit") from None
        if not relative:
            self._query_cache[cache_key] = items
            while len(self._query_cache) > 64:
                self._query_cache.popitem(last=False)
        return items

    def _section_all(
        self, handler: _Handler, section: FakeSection, params: dict[str, str]
    ) -> bytes:
        allowed = _SECTION_TYPES[section.type]
        type_text = params.get("type")
        if type_text:
            try:
                libtype = _TYPE_NAMES.get(int(type_text), "")
            except ValueError:
                raise PlexRequestError(400, "bad type") from None
        else:
            libtype = section.type
        base = self.data.flat(section.key, libtype) if libtype in allowed else []
        items = self._filtered(("section", section.key), libtype, params, base)
        guids = params.get("includeGuids") == "1"
        prefix = [self._meta(section).encode()] if params.get("includeMeta") == "1" else []
        attrs = [
            *self._section_container_attrs(section),
            ("title1", section.title),
            ("title2", f"All {_TYPE_TITLES.get(libtype, libtype.title())}"),
            ("viewGroup", libtype),
        ]
        return self._page(
            handler, params, items, lambda i: self._renderer.listing(i, guids=guids), attrs, prefix
        )

    def _collections(
        self, handler: _Handler, section: FakeSection, params: dict[str, str]
    ) -> bytes:
        prefix: list[bytes] = []
        if params.get("includeMeta") == "1":
            collection_type = _element(
                "Type",
                [("key", f"/library/sections/{section.key}/collections"), ("type", "collection"),
                 ("title", "Collections"), ("active", False)],
                _element("Sort", [("default", "asc"), ("defaultDirection", "asc"),
                                  ("descKey", "titleSort:desc"), ("key", "titleSort"),
                                  ("title", "Title")]),
            )  # fmt: skip
            prefix = [_element("Meta", [], collection_type).encode()]
        attrs = [*self._section_container_attrs(section), ("title1", section.title),
                 ("title2", "Collections"), ("viewGroup", "collection")]  # fmt: skip
        return self._page(handler, params, [], lambda i: b"", attrs, prefix)

    def _meta(self, section: FakeSection) -> str:
        """The `includeMeta=1` block plexapi reads to validate search filters and sorts."""
        types: list[str] = []
        for libtype in _SECTION_TYPES[section.type]:
            prefix = "" if libtype == "movie" else f"{libtype}."
            type_no = _SEARCH_TYPES[libtype]
            field_defs = [
                ("title", "Title", "string"),
                ("contentRating", "Content Rating", "string"),
                ("addedAt", "Date Added", "date"),
                ("year", "Year", "integer"),
            ]
            if libtype in ("movie", "show"):
                field_defs.append(("studio", "Studio", "string"))
            if libtype in ("movie", "episode", "show"):
                field_defs.append(("originallyAvailableAt", "Release Date", "date"))
            if libtype == "movie":
                field_defs.append(("duration", "Duration", "integer"))
            sorts = [
                ("titleSort", "asc", "Title"),
                ("addedAt", "desc", "Date Added"),
                ("originallyAvailableAt", "desc", "Release Date"),
                ("year", "desc", "Year"),
                ("contentRating", "asc", "Content Rating"),
            ]
            if libtype in ("movie", "episode"):
                sorts.append(("duration", "desc", "Duration"))
            children = _element("Filter", [
                ("filter", "contentRating"), ("filterType", "string"),
                ("key", f"/library/sections/{section.key}/contentRating?type={type_no}"),
                ("title", "Content Rating"), ("type", "filter"),
            ])  # fmt: skip
            children += "".join(
                _element("Sort", [("defaultDirection", d), ("descKey", f"{k}:desc"),
                                  ("key", k), ("title", t)])
                for k, d, t in sorts
            )  # fmt: skip
            children += "".join(
                _element("Field", [("key", f"{prefix}{k}"), ("title", t), ("type", ft)])
                for k, t, ft in field_defs
            )
            types.append(
                _element(
                    "Type",
                    [("key", f"/library/sections/{section.key}/all?type={type_no}"),
                     ("type", libtype), ("title", _TYPE_TITLES[libtype]),
                     ("active", libtype == section.type)],
                    children,
                )
            )  # fmt: skip
        operators = {
            "integer": [("=", "is"), ("!=", "is not"), (">>=", "is greater than"),
                        ("<<=", "is less than")],
            "string": [("=", "contains"), ("!=", "does not contain"), ("==", "is"),
                       ("!==", "is not"), ("<=", "begins with"), (">=", "ends with")],
            "date": [("<<=", "is before"), (">>=", "is after")],
            "boolean": [("=", "is true"), ("!=", "is false")],
            "tag": [("=", "is"), ("!=", "is not")],
        }  # fmt: skip
        field_types = "".join(
            _element("FieldType", [("type", t)],
                     "".join(_element("Operator", [("key", k), ("title", n)]) for k, n in ops))
            for t, ops in operators.items()
        )  # fmt: skip
        return _element("Meta", [], "".join(types) + field_types)

    def _metadata(self, handler: _Handler, keys_text: str, params: dict[str, str]) -> bytes:
        try:
            keys = [int(k) for k in keys_text.split(",") if k]
        except ValueError:
            raise PlexRequestError(400, "bad ratingKey") from None
        items = [self.data.items[k] for k in keys if k in self.data.items]
        if not items:
            raise PlexRequestError(404)
        markers = params.get("includeMarkers") == "1"
        chapters = params.get("includeChapters") == "1"
        section_keys = {i.section_key for i in items}
        attrs: list[tuple[str, object]] = [
            ("allowSync", True),
            ("identifier", "com.plexapp.plugins.library"),
        ]
        if len(section_keys) == 1:
            section = self.data.sections[items[0].section_key]
            attrs = self._section_container_attrs(section)
        attrs += [("mediaTagPrefix", _MEDIA_TAG_PREFIX), ("mediaTagVersion", _MEDIA_TAG_VERSION)]
        attrs = list(dict(attrs).items())
        return self._page(
            handler,
            params,
            items,
            lambda i: self._renderer.detail(i, markers=markers, chapters=chapters),
            attrs,
        )

    def _children(
        self, handler: _Handler, key_text: str, kind: str, params: dict[str, str]
    ) -> bytes:
        try:
            parent = self.data.items[int(key_text)]
        except (ValueError, KeyError):
            raise PlexRequestError(404) from None
        section = self.data.sections[parent.section_key]
        prefix: list[bytes] = []
        base: list[FakeItem]
        if isinstance(parent, FakeShow) and kind == "children":
            base = list(parent.seasons)
            listed = "season"
            if params.get("excludeAllLeaves") != "1":
                prefix = [_element("Directory", [
                    ("leafCount", sum(len(s.episodes) for s in parent.seasons)),
                    ("thumb", parent.thumb), ("viewedLeafCount", 0),
                    ("key", f"{parent.key}/allLeaves"), ("title", "All episodes"),
                ]).encode()]  # fmt: skip
        elif isinstance(parent, FakeShow):
            base = list(parent.episodes())
            listed = "episode"
        elif isinstance(parent, FakeSeason):
            base = list(parent.episodes)
            listed = "episode"
        else:
            base, listed = [], parent.TYPE
        items = self._filtered(("children", parent.rating_key, kind), listed, params, base)
        guids = params.get("includeGuids") == "1"
        attrs = [
            *self._section_container_attrs(section),
            ("key", parent.rating_key),
            ("parentRatingKey", parent.rating_key),
            ("parentTitle", parent.title),
            ("title1", section.title),
            ("title2", parent.title),
            ("viewGroup", listed),
        ]
        return self._page(
            handler, params, items, lambda i: self._renderer.listing(i, guids=guids), attrs, prefix
        )


__all__ = ["FakePlexServer", "Fault", "FaultKind", "PlexRequestError", "RecordedRequest"]
