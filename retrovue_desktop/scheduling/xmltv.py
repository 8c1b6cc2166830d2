"""The programme guide as XMLTV, the format Plex DVR, Jellyfin, Kodi and IPTV players read.

Every active channel is listed; its programmes are those of the programme log that
overlap the requested days, counted from `first_day` in the channel's own zone. A
programme cut by ad breaks is several log rows (segment 1, 2, …) and one guide entry,
from its first part's start to its last part's end; ads, promos and bumpers are not
programmes, and canceled rows are not on air. Times carry the channel zone's UTC offset
of that instant, so a week across a daylight-saving change reads right.

What a programme says comes from the catalogue: the show's title for an episode (the
episode's own title as sub-title), else the item's; the operator's title and synopsis
over the source's (store/editorial.py); episode numbers both as `xmltv_ns` (zero-based
season.episode.part, the part left out: the DTD keeps it for real multi-part episodes,
not for scheduling splits) and `onscreen` (S01E02); genre tags as categories (the tag's
label, else its key made readable), "Movie" first for a film since Plex and Jellyfin
recognise films by it; the rating as MPAA or US TV (`VCHIP`) code; the year as `date`.

The file is streamed, one programme at a time, every text and attribute escaped by the
standard library's xml.sax.saxutils; an item's elements are rendered once however often
it airs. The log is read with three set-based queries per channel, never one per
programme.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, BinaryIO
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from retrovue_desktop import __version__, ratings
from retrovue_desktop.progress import CancelFn, ProgressFn, never_cancelled, no_progress
from retrovue_desktop.store.editorial import effective_synopsis, effective_title
from retrovue_desktop.store.tables import CI, CT, ED, INSTANCES, SHOW, TAGS

from .clock import SECONDS_PER_DAY, to_utc, zone
from .exports import (
    ExportCancelled,
    ExportError,
    ExportSummary,
    active_channels,
    clean_text,
)

GENERATOR = f"RetroVue Desktop/{__version__}"
GUIDE_STATUSES = ("planned", "approved", "played")
MAX_DAYS = 366
GENRE = "genre"
UNTITLED = "Untitled"
# A programme lies inside one block occurrence (at most a day, 25 hours across a DST
# change), so reading this far either side of the days finds every part of each
# programme that overlaps them.
_SLACK = 2 * SECONDS_PER_DAY
_RATING_SYSTEMS = {ratings.MPAA: "MPAA", ratings.US_TV: "VCHIP"}
_CANCEL_EVERY = 500
_YEARS = range(1870, 2200)


@dataclass(frozen=True)
class Part:
    """One programme row of the log, as the guide reads it."""

    item_id: int | None
    block_id: int | None
    segment: int | None
    starts_at: int
    ends_at: int


@dataclass(frozen=True)
class Programme:
    """One guide entry: a programme's span, its parts merged."""

    item_id: int | None
    starts_at: int
    ends_at: int


@dataclass(frozen=True)
class ItemGuide:
    """What the guide says about one catalogue item."""

    title: str
    sub_title: str | None = None
    desc: str | None = None
    year: int | None = None
    categories: tuple[str, ...] = ()
    xmltv_ns: str | None = None
    onscreen: str | None = None
    rating: str | None = None
    rating_system: str | None = None


def merge_parts(parts: Iterable[Part]) -> list[Programme]:
    """Programmes from parts in air order: a part continues the programme before it when
    it is a later segment of the same item in the same block (breaks between them are
    not programme rows, so they do not interrupt); anything else starts a new one."""
    merged: list[Programme] = []
    previous: Part | None = None
    for part in parts:
        continues = (
            previous is not None
            and merged
            and part.segment is not None
            and previous.segment is not None
            and part.segment > previous.segment
            and part.item_id == previous.item_id
            and part.block_id == previous.block_id
        )
        if continues:
            last = merged[-1]
            merged[-1] = Programme(last.item_id, last.starts_at, max(last.ends_at, part.ends_at))
        else:
            merged.append(Programme(part.item_id, part.starts_at, part.ends_at))
        previous = part
    return merged


def guide_time(instant: int, tz: ZoneInfo) -> str:
    """XMLTV's "YYYYMMDDHHMMSS +HHMM": the wall clock in `tz` and its offset then."""
    return datetime.fromtimestamp(instant, tz).strftime("%Y%m%d%H%M%S %z")


def readable_key(key: str) -> str:
    """A tag key as a category: "science-fiction" → "Science fiction"."""
    words = key.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def episode_numbers(season: int | None, episode: int | None) -> tuple[str | None, str | None]:
    """(xmltv_ns, onscreen) of a 1-based season and episode; a special (season 0) has no
    xmltv_ns season, and onscreen needs both numbers."""
    zero_season = str(season - 1) if season is not None and season >= 1 else ""
    zero_episode = str(episode - 1) if episode is not None and episode >= 1 else ""
    xmltv_ns = f"{zero_season}.{zero_episode}." if zero_season or zero_episode else None
    onscreen = (
        f"S{season:02d}E{episode:02d}"
        if season is not None and episode is not None and season >= 0 and episode >= 0
        else None
    )
    return xmltv_ns, onscreen


def _year(payload_json: str | None) -> int | None:
    """The `year` a source payload holds (Plex sends it for films and episodes)."""
    if not payload_json:
        return None
    try:
        payload = json.loads(payload_json)
    except ValueError:
        return None
    value = payload.get("year") if isinstance(payload, dict) else None
    try:
        year = int(str(value))
    except ValueError:
        return None
    return year if year in _YEARS else None


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = clean_text(value).strip()
    return cleaned or None


def item_guide(row: Any, genres: Sequence[str]) -> ItemGuide:
    """An item's guide entry from its details row (see `_details_query`)."""
    title, synopsis = _text(row.title), _text(row.synopsis)
    show_title = _text(row.show_title)
    episode = row.kind == "episode" and show_title is not None
    xmltv_ns, onscreen = (
        episode_numbers(row.season_number, row.episode_number)
        if row.kind == "episode"
        else (None, None)
    )
    code = ratings.normalise(row.rating_code)
    system = ratings.rating_system(code)
    categories = [*(["Movie"] if row.kind == "movie" else []), *genres]
    return ItemGuide(
        title=(show_title if episode else title) or title or UNTITLED,
        sub_title=title if episode else None,
        desc=synopsis or (_text(row.show_summary) if row.kind == "episode" else None),
        year=_year(row.payload_json) or (row.show_year if row.show_year in _YEARS else None),
        categories=tuple(dict.fromkeys(c for c in map(_text, categories) if c)),
        xmltv_ns=xmltv_ns,
        onscreen=onscreen,
        rating=_text(code),
        rating_system=_RATING_SYSTEMS.get(system or "") or _text(row.rating_system),
    )


def _open_tag(name: str, attrs: dict[str, str]) -> str:
    pairs = "".join(f" {key}={quoteattr(value)}" for key, value in attrs.items())
    return f"<{name}{pairs}>"


def _leaf(name: str, text: str, depth: int, attrs: dict[str, str] | None = None) -> str:
    return f"{'  ' * depth}{_open_tag(name, attrs or {})}{escape(text)}</{name}>\n"


def programme_body(guide: ItemGuide) -> str:
    """A programme's child elements, in the DTD's order, indented for depth 2."""
    lines = [_leaf("title", guide.title, 2)]
    if guide.sub_title:
        lines.append(_leaf("sub-title", guide.sub_title, 2))
    if guide.desc:
        lines.append(_leaf("desc", guide.desc, 2))
    if guide.year is not None:
        lines.append(_leaf("date", str(guide.year), 2))
    lines.extend(_leaf("category", category, 2) for category in guide.categories)
    if guide.xmltv_ns:
        lines.append(_leaf("episode-num", guide.xmltv_ns, 2, {"system": "xmltv_ns"}))
    if guide.onscreen:
        lines.append(_leaf("episode-num", guide.onscreen, 2, {"system": "onscreen"}))
    if guide.rating:
        attrs = {"system": guide.rating_system} if guide.rating_system else {}
        lines.append(f"    {_open_tag('rating', attrs)}\n")
        lines.append(_leaf("value", guide.rating, 3))
        lines.append("    </rating>\n")
    return "".join(lines)


def write_xmltv(
    session: Session,
    out: BinaryIO,
    *,
    first_day: date,
    days: int,
    station_zone: str,
    progress: ProgressFn = no_progress,
    cancelled: CancelFn = never_cancelled,
) -> ExportSummary:
    """Write the guide of every active channel for `days` days from `first_day` onto
    `out`. Raises ExportError on bad input, ScheduleError for a zone not known here and
    ExportCancelled when `cancelled()` turns true (the stream is then incomplete: write
    through `exports.write_atomically`)."""
    if not 1 <= days <= MAX_DAYS:
        raise ExportError(
            f"A guide covers 1 to {MAX_DAYS} days; {days} is not in that range.",
            detail=f"days={days}",
        )
    channels = active_channels(session)
    zones = {c.id: zone(c.time_zone or station_zone) for c in channels}
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    text.write('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tv SYSTEM "xmltv.dtd">\n')
    text.write(f"{_open_tag('tv', {'generator-info-name': GENERATOR})}\n")
    for channel in channels:
        names = "".join(_leaf("display-name", clean_text(n), 2) for n in channel.display_names())
        text.write(f"  {_open_tag('channel', {'id': channel.guide_id})}\n{names}  </channel>\n")
    warnings: list[str] = []
    bodies: dict[int, str] = {}  # item id -> its programme elements, rendered once
    written = 0
    last_day = first_day + timedelta(days=days - 1)
    for index, channel in enumerate(channels):
        progress("Writing the guide", index, len(channels))
        tz = zones[channel.id]
        window = (to_utc(first_day, 0, tz), to_utc(first_day + timedelta(days=days), 0, tz))
        count, lost = 0, 0
        for programme in _channel_programmes(session, channel.id, window, bodies):
            body = bodies.get(programme.item_id) if programme.item_id is not None else None
            if body is None:
                lost += 1
                continue
            attrs = {
                "start": guide_time(programme.starts_at, tz),
                "stop": guide_time(programme.ends_at, tz),
                "channel": channel.guide_id,
            }
            text.write(f"  {_open_tag('programme', attrs)}\n{body}  </programme>\n")
            count += 1
            if count % _CANCEL_EVERY == 0 and cancelled():
                raise ExportCancelled()
        if cancelled():
            raise ExportCancelled()
        written += count
        if count == 0 and lost == 0:
            warnings.append(
                f"“{channel.name}” has no programmes from {first_day} to {last_day}:"
                " build its programme log first."
            )
        if lost:
            warnings.append(
                f"{lost:,} programme{' was' if lost == 1 else 's were'} left out of"
                f" “{channel.name}”'s guide: {'its item is' if lost == 1 else 'their items are'}"
                " no longer in the catalogue."
            )
    text.write("</tv>\n")
    text.flush()
    text.detach()  # the caller owns and closes `out`
    progress("Writing the guide", len(channels), len(channels))
    return ExportSummary("guide", len(channels), written, tuple(warnings))


def _rows_near(channel_id: int, window: tuple[int, int]) -> Select[Any]:
    """The channel's on-air programme rows starting near the window, in air order."""
    return (
        select(
            INSTANCES.c.content_item_id,
            INSTANCES.c.block_id,
            INSTANCES.c.segment,
            INSTANCES.c.starts_at,
            INSTANCES.c.ends_at,
        )
        .where(
            INSTANCES.c.channel_id == channel_id,
            INSTANCES.c.item_kind == "program",
            INSTANCES.c.status.in_(GUIDE_STATUSES),
            INSTANCES.c.starts_at >= window[0] - _SLACK,
            INSTANCES.c.starts_at < window[1] + _SLACK,
            INSTANCES.c.ends_at.is_not(None),
        )
        .order_by(INSTANCES.c.starts_at, INSTANCES.c.id)
    )


def _channel_programmes(
    session: Session, channel_id: int, window: tuple[int, int], bodies: dict[int, str]
) -> list[Programme]:
    """The channel's programmes overlapping `window`; the elements of items not yet in
    `bodies` are added to it (an item gone from the catalogue gets none)."""
    rows = _rows_near(channel_id, window)
    parts = [Part(*row) for row in session.execute(rows)]
    programmes = [
        p for p in merge_parts(parts) if p.starts_at < window[1] and p.ends_at > window[0]
    ]
    if not programmes:
        return []
    items = rows.with_only_columns(INSTANCES.c.content_item_id).order_by(None)
    item_ids = items.where(INSTANCES.c.content_item_id.is_not(None)).scalar_subquery()
    genres: dict[int, list[str]] = {}
    for item_id, key, label in session.execute(_genres_query(item_ids)):
        genres.setdefault(item_id, []).append(_text(label) or readable_key(key))
    for row in session.execute(_details_query(item_ids)):
        if row.id not in bodies:
            bodies[row.id] = programme_body(item_guide(row, genres.get(row.id, ())))
    return programmes


def _details_query(item_ids: Any) -> Select[Any]:
    return (
        select(
            CI.c.id,
            CI.c.kind,
            effective_title().label("title"),
            effective_synopsis().label("synopsis"),
            CI.c.season_number,
            CI.c.episode_number,
            CI.c.rating_code,
            CI.c.rating_system,
            SHOW.c.title.label("show_title"),
            SHOW.c.year.label("show_year"),
            SHOW.c.summary.label("show_summary"),
            ED.c.source_payload_json.label("payload_json"),
        )
        .select_from(
            CI.outerjoin(ED, ED.c.content_item_id == CI.c.id).outerjoin(
                SHOW, SHOW.c.id == CI.c.show_id
            )
        )
        .where(CI.c.id.in_(item_ids))
    )


def _genres_query(item_ids: Any) -> Select[Any]:
    return (
        select(CT.c.content_item_id, CT.c.key, TAGS.c.label)
        .select_from(
            CT.outerjoin(TAGS, and_(TAGS.c.namespace == CT.c.namespace, TAGS.c.key == CT.c.key))
        )
        .where(CT.c.namespace == GENRE, CT.c.content_item_id.in_(item_ids))
        .order_by(CT.c.content_item_id, CT.c.key)
    )
