"""Probing the committed test media with the real MediaInfo library."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from retrovue_desktop.media.errors import MediaError
from retrovue_desktop.media.probe import Chapter, normalise_codec, probe

MEDIA = Path(__file__).parent / "media"


@pytest.mark.parametrize(
    ("name", "duration", "container", "video", "audio", "title"),
    [
        ("bars_3s.mp4", 3000, "mp4", "h264", "aac", None),
        ("tone_2s.mkv", 2016, "mkv", "mpeg2video", "ac3", None),
        ("with_chapters.mkv", 4128, "mkv", "h264", "aac", "Station ID"),
        ("clip_title.mp4", 2000, "mp4", "h264", "aac", "Saturday Promo"),
    ],
)
def test_probe_committed_media(
    name: str, duration: int, container: str, video: str, audio: str, title: str | None
) -> None:
    found = probe(MEDIA / name)
    assert found.duration_ms == pytest.approx(duration, abs=50)
    assert (found.container, found.video_codec, found.audio_codec) == (container, video, audio)
    assert (found.width, found.height) == (64, 36)
    assert found.title == title


def test_chapters_from_the_menu_track() -> None:
    found = probe(str(MEDIA / "with_chapters.mkv"))
    assert found.chapters[:2] == [Chapter(0, 1000, "Open"), Chapter(1000, 3000, "Middle")]
    last = found.chapters[2]
    assert (last.start_ms, last.label) == (3000, "Close")
    # MediaInfo gives starts only: the last chapter ends with the file.
    assert last.end_ms == found.duration_ms
    assert probe(MEDIA / "bars_3s.mp4").chapters == []


@pytest.mark.parametrize(
    ("plex", "mediainfo"),
    [
        ("h264", "AVC"), ("hevc", "HEVC"), ("mpeg2video", "MPEG Video"), ("aac", "AAC"),
        ("ac3", "AC-3"), ("eac3", "E-AC-3"), ("dca", "DTS"), ("mpeg4", "MPEG-4 Visual"),
        ("vc1", "VC-1"), ("truehd", "MLP FBA"), ("flac", "FLAC"), ("H264", "avc"),
    ],
)  # fmt: skip
def test_codec_names_compare_across_plex_and_mediainfo(plex: str, mediainfo: str) -> None:
    assert normalise_codec(plex) == normalise_codec(mediainfo)


def test_codec_names_that_differ_stay_different() -> None:
    assert normalise_codec("h264") != normalise_codec("HEVC")
    assert normalise_codec("aac") != normalise_codec("AC-3")
    assert normalise_codec(None) is None and normalise_codec("  ") is None
    assert normalise_codec("SomethingNew") == "somethingnew"


def test_files_mediainfo_cannot_read(tmp_path: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("not a video at all\n")
    cut = tmp_path / "cut.mp4"
    cut.write_bytes((MEDIA / "bars_3s.mp4").read_bytes()[:2000])
    for path in (text, cut):
        with pytest.raises(MediaError, match="has no audio or video that MediaInfo can read"):
            probe(path)
    with pytest.raises(MediaError, match="was not found"):
        probe(tmp_path / "absent.mkv")
    with pytest.raises(MediaError, match="MediaInfo could not open") as caught:
        probe(tmp_path)
    assert "RuntimeError" in caught.value.detail


def test_probe_leaves_the_file_alone(tmp_path: Path) -> None:
    copy = tmp_path / "copy.mkv"
    shutil.copy2(MEDIA / "with_chapters.mkv", copy)
    before = copy.read_bytes(), copy.stat().st_mtime_ns
    probe(copy)
    assert (copy.read_bytes(), copy.stat().st_mtime_ns) == before


def test_media_error_survives_pickling() -> None:
    error = MediaError("The file is gone.", "ENOENT /x")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is MediaError
    assert (str(again), again.detail) == ("The file is gone.", "ENOENT /x")
