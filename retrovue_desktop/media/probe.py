"""Reading a media file's duration, container, codecs, size and chapters with MediaInfo.

A thin typed wrapper over pymediainfo. Codec and container names come out in Plex's
vocabulary (h264, hevc, mpeg2video, aac, ac3, mkv, mp4…), so a probed file and Plex's
listing of it compare equal when they describe the same streams; `normalise_codec`
applies the same table to a name from either side.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from pymediainfo import MediaInfo

from .errors import MediaError


@dataclass(frozen=True)
class Chapter:
    start_ms: int
    end_ms: int | None
    label: str | None


@dataclass(frozen=True)
class ProbeResult:
    duration_ms: int | None
    container: str | None
    video_codec: str | None
    audio_codec: str | None
    width: int | None
    height: int | None
    title: str | None
    chapters: list[Chapter] = field(default_factory=list)


# MediaInfo's format names (and a few other spellings) -> Plex's codec names. Names not
# listed compare as themselves, lower-cased.
CODEC_NAMES = {
    "avc": "h264", "h.264": "h264", "x264": "h264", "avc1": "h264",
    "hevc": "hevc", "h.265": "hevc", "h265": "hevc", "x265": "hevc", "hvc1": "hevc",
    "mpeg video": "mpeg2video", "mpeg-2 video": "mpeg2video", "mpeg2": "mpeg2video",
    "mpeg-1 video": "mpeg1video", "mpeg1": "mpeg1video",
    "mpeg-4 visual": "mpeg4", "xvid": "mpeg4", "divx": "mpeg4",
    "vc-1": "vc1", "wvc1": "vc1", "wmv3": "wmv3", "wmv2": "wmv2", "wmv1": "wmv1",
    "vp8": "vp8", "vp9": "vp9", "av1": "av1", "prores": "prores", "h.263": "h263",
    "jpeg": "mjpeg", "motion jpeg": "mjpeg", "theora": "theora",
    "aac": "aac", "aac lc": "aac", "he-aac": "aac",
    "ac-3": "ac3", "a_ac3": "ac3", "dolby digital": "ac3",
    "e-ac-3": "eac3", "a_eac3": "eac3", "dolby digital plus": "eac3",
    "dts": "dca", "dca": "dca",
    "mpeg audio": "mp3", "mpeg-1 audio layer 3": "mp3", "mpeg-1 audio layer 2": "mp2",
    "flac": "flac", "opus": "opus", "vorbis": "vorbis", "pcm": "pcm", "alac": "alac",
    "mlp fba": "truehd", "truehd": "truehd", "wma": "wmav2",
}  # fmt: skip

# MediaInfo's General format -> Plex's container name.
CONTAINER_NAMES = {
    "mpeg-4": "mp4", "matroska": "mkv", "webm": "webm", "avi": "avi", "quicktime": "mov",
    "mpeg-ts": "mpegts", "bdav": "mpegts", "mpeg-ps": "mpeg", "windows media": "asf",
    "flash video": "flv", "ogg": "ogg", "mpeg audio": "mp3", "flac": "flac", "wave": "wav",
    "adts": "aac", "ac-3": "ac3", "dv": "dv",
}  # fmt: skip

# A chapter's time in the Menu track's keys: 00_01_02_345, 00_01_02345 or 00_01_02.345.
_CHAPTER_KEY = re.compile(r"^_*(\d+)_(\d{2})_(\d{2})[_.]?(\d{3})$")
# Matroska chapter names may carry their language: "en:Opening".
_LANGUAGE_PREFIX = re.compile(r"^(?:[a-z]{2,3}(?:-[A-Za-z]{2,4})?)?:")


def normalise_codec(name: str | None) -> str | None:
    """A codec name in Plex's vocabulary, from Plex's or MediaInfo's spelling."""
    if name is None:
        return None
    key = name.strip().lower()
    if not key:
        return None
    return CODEC_NAMES.get(key, key)


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return round(float(value))
    except (TypeError, ValueError):
        return None


def _video_codec(track: Any) -> str | None:
    fmt = (track.format or "").strip()
    if fmt.lower() == "mpeg video":
        version = str(track.format_version or "")
        return "mpeg1video" if "1" in version else "mpeg2video"
    if fmt.lower() == "vc-1" and str(track.codec_id or "").upper() in ("WMV3", "WMV2", "WMV1"):
        return str(track.codec_id).lower()
    return normalise_codec(fmt)


def _audio_codec(track: Any) -> str | None:
    fmt = (track.format or "").strip()
    if fmt.lower() == "mpeg audio":
        profile = str(track.format_profile or "")
        return "mp2" if "2" in profile else "mp3"
    return normalise_codec(fmt)


def _container(general: Any) -> str | None:
    fmt = (general.format or "").strip().lower()
    if not fmt:
        return None
    if fmt == "mpeg-4" and "quicktime" in str(general.format_profile or "").lower():
        return "mov"
    return CONTAINER_NAMES.get(fmt, fmt)


def _chapters(menu: Any, duration_ms: int | None) -> list[Chapter]:
    """Chapters from MediaInfo's Menu track; each ends where the next starts, the last
    at the end of the file (when its duration is known)."""
    starts: list[tuple[int, str | None]] = []
    for key, value in menu.to_data().items():
        match = _CHAPTER_KEY.match(key)
        if not match:
            continue
        hours, minutes, seconds, millis = (int(g) for g in match.groups())
        start = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
        text = _LANGUAGE_PREFIX.sub("", str(value)).strip() if value is not None else ""
        starts.append((start, text or None))
    starts.sort(key=lambda entry: entry[0])
    chapters = []
    for index, (start, label) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else duration_ms
        chapters.append(Chapter(start, end if end is None or end > start else None, label))
    return chapters


def probe(path: str | os.PathLike[str]) -> ProbeResult:
    """Read a file's technical metadata; MediaError when MediaInfo cannot make sense of it."""
    name = os.fspath(path)
    try:
        info = MediaInfo.parse(name)
    except FileNotFoundError as exc:
        raise MediaError(f"{name} was not found.", repr(exc)) from exc
    except OSError as exc:
        raise MediaError(
            f"{name} could not be read ({exc.strerror or type(exc).__name__}).", repr(exc)
        ) from exc
    except Exception as exc:  # pymediainfo raises RuntimeError, or a missing library's error
        raise MediaError(
            f"MediaInfo could not open {name}: check that it is a media file this user can"
            " read, and that MediaInfo is installed.",
            repr(exc),
        ) from exc
    general = next((t for t in info.tracks if t.track_type == "General"), None)
    video = next((t for t in info.tracks if t.track_type == "Video"), None)
    audio = next((t for t in info.tracks if t.track_type == "Audio"), None)
    menu = next((t for t in info.tracks if t.track_type == "Menu" and len(t.to_data()) > 1), None)
    if general is None or (video is None and audio is None):
        kind = getattr(general, "format", None) if general is not None else None
        raise MediaError(
            f"{os.path.basename(name)} has no audio or video that MediaInfo can read"
            " (not a media file, or damaged or cut short).",
            f"{name}: format {kind!r}, no audio or video tracks",
        )
    duration = _int(general.duration)
    if duration is None:
        durations = [_int(t.duration) for t in (video, audio) if t is not None]
        duration = max((d for d in durations if d is not None), default=None)
    title = (general.title or general.movie_name or "").strip() or None
    return ProbeResult(
        duration_ms=duration,
        container=_container(general),
        video_codec=_video_codec(video) if video is not None else None,
        audio_codec=_audio_codec(audio) if audio is not None else None,
        width=_int(video.width) if video is not None else None,
        height=_int(video.height) if video is not None else None,
        title=title,
        chapters=_chapters(menu, duration) if menu is not None else [],
    )
