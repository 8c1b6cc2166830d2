"""From Plex XML elements to row values: pure functions, no database, no network.

What each column gets is spelled out in the Plex sync issue; the fingerprint is what an
incremental sync compares to decide that an item did not change.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Any

from retrovue_desktop import ratings

Element = ElementTree.Element

EXTERNAL_ID_SCHEMES = ("imdb", "tmdb", "tvdb")


def _int(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def _text(value: str | None) -> str | None:
    return value if value not in (None, "") else None


def parts_of(elem: Element) -> list[tuple[Element, Element]]:
    """(Media, Part) pairs in Plex's order: the first is the primary file."""
    return [(media, part) for media in elem.findall("Media") for part in media.findall("Part")]


def fingerprint(elem: Element) -> str:
    """Hash of rating key, updatedAt and every part's id, file and size."""
    pieces = [elem.get("ratingKey", ""), elem.get("updatedAt", "")]
    for _media, part in parts_of(elem):
        pieces.append(f"{part.get('id', '')}:{part.get('file', '')}:{part.get('size', '')}")
    return hashlib.sha1("|".join(pieces).encode("utf-8")).hexdigest()


def external_ids(elem: Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for guid in elem.findall("Guid"):
        scheme, _, value = (guid.get("id") or "").partition("://")
        if scheme in EXTERNAL_ID_SCHEMES and value:
            found.setdefault(scheme, value)
    return found


def artwork_url(base_url: str, elem: Element) -> str | None:
    thumb = elem.get("thumb") or elem.get("art")
    if not thumb:
        return None
    return thumb if thumb.startswith("http") else f"{base_url}{thumb}"


def content_values(elem: Element, base_url: str) -> dict[str, Any]:
    """content_items columns that come from Plex (kind, links and keys set by the caller)."""
    code = ratings.normalise(elem.get("contentRating"))
    ids = external_ids(elem)
    guid = elem.get("guid") or ""
    return {
        "title": _text(elem.get("title")),
        "synopsis": _text(elem.get("summary")),
        "duration_ms": _int(elem.get("duration")),
        "rating_system": ratings.rating_system(code) if code else None,
        "rating_code": code,
        "is_kids_friendly": ratings.is_kids_friendly(code),
        "artwork_url": artwork_url(base_url, elem),
        "guid_primary": guid if guid.startswith("plex://") else None,
        "external_ids_json": json.dumps(ids, sort_keys=True) if ids else None,
        "metadata_updated_at": _int(elem.get("updatedAt")),
        "plex_rating_key": elem.get("ratingKey"),
    }


def editorial_values(elem: Element) -> dict[str, Any]:
    """content_editorial's source columns; override_* are never produced here."""
    return {
        "source_name": "plex",
        "source_payload_json": json.dumps(elem.attrib, ensure_ascii=False),
        "original_title": _text(elem.get("title")),
        "original_synopsis": _text(elem.get("summary")),
    }


@dataclass
class FileValues:
    """One Part as a media_files row, and its role for the item."""

    part_id: str
    role: str
    values: dict[str, Any]
    markers: list[dict[str, Any]] = field(default_factory=list)


def file_values(elem: Element) -> list[FileValues]:
    """One media file per Part: the first is primary, further parts of the same Media are
    extras (a stacked film's part 2), other Media are alternate versions."""
    files = []
    first_media: Element | None = None
    for media, part in parts_of(elem):
        if first_media is None:
            first_media = media
            role = "primary"
        else:
            role = "extra" if media is first_media else "alternate"
        files.append(
            FileValues(
                part_id=part.get("id", ""),
                role=role,
                values={
                    "plex_file_path": part.get("file") or "",
                    "file_size_bytes": _int(part.get("size")),
                    "duration_ms": _int(part.get("duration")) or _int(media.get("duration")),
                    "container": _text(part.get("container")) or _text(media.get("container")),
                    "video_codec": _text(media.get("videoCodec")),
                    "audio_codec": _text(media.get("audioCodec")),
                    "width": _int(media.get("width")),
                    "height": _int(media.get("height")),
                },
            )
        )
    if files:
        files[0].markers = marker_values(elem)
    return files


def marker_values(elem: Element) -> list[dict[str, Any]]:
    """Plex intro/credits markers as detected cues, chapters as file chapters. They belong
    to the item's timeline, so they go on its primary file."""
    markers: list[dict[str, Any]] = []
    for marker in elem.findall("Marker"):
        kind = marker.get("type")
        start = _int(marker.get("startTimeOffset"))
        if kind not in ("intro", "credits") or start is None:
            continue
        markers.append(
            {
                "marker_kind": "cue",
                "label": kind,
                "source": "detected",
                "start_ms": start,
                "end_ms": _int(marker.get("endTimeOffset")),
            }
        )
    for chapter in elem.findall("Chapter"):
        start = _int(chapter.get("startTimeOffset"))
        if start is None:
            continue
        markers.append(
            {
                "marker_kind": "chapter",
                "label": _text(chapter.get("tag")) or f"Chapter {chapter.get('index', '')}".strip(),
                "source": "file",
                "start_ms": start,
                "end_ms": _int(chapter.get("endTimeOffset")),
            }
        )
    return markers


def show_values(elem: Element, base_url: str) -> dict[str, Any]:
    return {
        "plex_rating_key": elem.get("ratingKey", ""),
        "title": elem.get("title") or "(untitled show)",
        "year": _int(elem.get("year")),
        "originally_available_at": _text(elem.get("originallyAvailableAt")),
        "summary": _text(elem.get("summary")),
        "studio": _text(elem.get("studio")),
        "artwork_url": artwork_url(base_url, elem),
    }


def season_values(elem: Element) -> dict[str, Any]:
    return {
        "plex_rating_key": elem.get("ratingKey"),
        "season_number": _int(elem.get("index")) or 0,
        "title": _text(elem.get("title")),
    }


@dataclass
class DetailRecord:
    """Everything a sync writes for one item, as plain picklable values: made where the
    detail XML is parsed (a worker thread or process), written by the sync's writer."""

    rating_key: str
    content: dict[str, Any]
    editorial: dict[str, Any]
    files: list[FileValues]
    grandparent_key: str | None
    parent_key: str | None
    parent_index: int | None
    index: int | None


def detail_record(elem: Element, base_url: str) -> DetailRecord:
    return DetailRecord(
        rating_key=elem.get("ratingKey", ""),
        content=content_values(elem, base_url),
        editorial=editorial_values(elem),
        files=file_values(elem),
        grandparent_key=elem.get("grandparentRatingKey"),
        parent_key=elem.get("parentRatingKey"),
        parent_index=_int(elem.get("parentIndex")),
        index=_int(elem.get("index")),
    )
