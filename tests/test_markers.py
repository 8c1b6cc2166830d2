"""Markers: timecodes, reading every marker, and editing only the operator's own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.store import models as m
from retrovue_desktop.store.errors import StoreError
from retrovue_desktop.store.markers import (
    MarkerView,
    add_marker,
    delete_marker,
    format_timecode,
    markers_of,
    parse_timecode,
    update_marker,
)
from tests.builders import add, station
from tests.sync_helpers import snapshot

ITEM_DURATION = 1_320_000  # station()'s episode; its file has no duration of its own


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("1:02:03.500", 3_723_500),
        ("0:00:00.000", 0),
        ("12:30", 750_000),
        ("90:00", 5_400_000),
        ("45.25", 45_250),
        ("45", 45_000),
        ("7.5", 7_500),
        (" 1:00:00 ", 3_600_000),
        ("3:07.042", 187_042),
    ],
)
def test_parse_timecode(text: str, ms: int) -> None:
    assert parse_timecode(text) == ms


@pytest.mark.parametrize(
    "text", ["", "abc", "1:60", "1:75:00", "1:2:3:4", "-5", "1.2345", "12:", ":30", "1,5", "1:5.x"]
)
def test_bad_timecode_is_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(StoreError) as refused:
        parse_timecode(text)
    assert "1:02:03.500" in str(refused.value) and "12:30" in str(refused.value)


@given(st.integers(min_value=0, max_value=100 * 3_600_000))
def test_format_then_parse_round_trips(ms: int) -> None:
    text = format_timecode(ms)
    assert parse_timecode(text) == ms
    assert text.count(":") == 2 and len(text.split(".")[1]) == 3


def test_format_timecode() -> None:
    assert format_timecode(3_723_500) == "1:02:03.500"
    assert format_timecode(0) == "0:00:00.000"
    with pytest.raises(StoreError):
        format_timecode(-1)


def test_add_update_delete_manual_markers(engine: Engine, sessions: sessionmaker[Session]) -> None:
    ids = station(engine)  # its file has a 'file' chapter at 0
    with sessions() as s, s.begin():
        cue = add_marker(s, ids["file"], "cue", 5_000, label="  ")
        brk = add_marker(s, ids["file"], "ad_break", 600_000, 630_000, "Break 1")
        last = add_marker(s, ids["file"], "chapter", ITEM_DURATION)  # at the very end
    assert cue == MarkerView(cue.id, "cue", 5_000, None, None, "manual", True)
    with sessions() as s, s.begin():
        moved = update_marker(s, brk.id, "ad_break", 540_000, 570_000, "Break one")
        delete_marker(s, last.id)
    assert moved == MarkerView(brk.id, "ad_break", 540_000, 570_000, "Break one", "manual", True)
    with sessions() as s:
        assert markers_of(s, ids["file"]) == [
            MarkerView(ids["marker"], "chapter", 0, None, None, "file", False),
            cue,
            moved,
        ]


def _bad_calls(
    ids: dict[str, int], manual_id: int, detected_id: int
) -> list[tuple[Callable[[Session], Any], str]]:
    f = ids["file"]
    return [
        (lambda s: add_marker(s, f, "break", 0), "chapter, an ad break or a cue"),
        (lambda s: add_marker(s, f, "chapter", -1), "before the beginning"),
        (lambda s: add_marker(s, f, "ad_break", 5_000, 5_000), "must come after the start"),
        (lambda s: add_marker(s, f, "ad_break", 5_000, 4_000), "must come after the start"),
        (lambda s: add_marker(s, f, "cue", ITEM_DURATION + 1), "past the end of the file"),
        (lambda s: add_marker(s, f, "ad_break", 0, ITEM_DURATION + 1), "past the end"),
        (lambda s: add_marker(s, f, "cue", 0, None, "x" * 201), "at most 200"),
        (lambda s: add_marker(s, 999_999, "cue", 0), "file is no longer"),
        (lambda s: update_marker(s, manual_id, "cue", 10, 5), "must come after the start"),
        (lambda s: update_marker(s, manual_id, "nope", 10), "none of these"),
        (lambda s: update_marker(s, 999_999, "cue", 10), "no longer there"),
        (lambda s: delete_marker(s, 999_999), "no longer there"),
        (lambda s: update_marker(s, ids["marker"], "cue", 10), "comes from the file itself"),
        (lambda s: delete_marker(s, ids["marker"]), "cannot be deleted"),
        (lambda s: update_marker(s, detected_id, "cue", 10), "comes from Plex"),
        (lambda s: delete_marker(s, detected_id), "ad break comes from Plex"),
    ]


def test_each_bad_input_is_refused_and_nothing_written(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    ids = station(engine)
    with sessions() as s, s.begin():
        manual = add_marker(s, ids["file"], "cue", 1_000)
        detected = add(s, m.MediaMarker, media_file_id=ids["file"], marker_kind="ad_break",
                       start_ms=300_000, source="detected", confidence=0.9)  # fmt: skip
    before = snapshot(engine)
    for call, sentence in _bad_calls(ids, manual.id, detected):
        with sessions() as s:
            with pytest.raises(StoreError, match=sentence):
                call(s)
            s.commit()
    assert snapshot(engine) == before


def test_the_files_own_duration_wins_and_unknown_duration_is_open(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    ids = station(engine)
    with sessions() as s, s.begin():
        s.execute(
            update(m.MediaFile).where(m.MediaFile.id == ids["file"]).values(duration_ms=60_000)
        )
        with pytest.raises(StoreError, match=r"past the end of the file \(0:01:00.000\)"):
            add_marker(s, ids["file"], "cue", 61_000)
        lone = add(
            s, m.MediaFile, library_id=ids["local_library"], local_file_path="/srv/ads/a.mp4"
        )
        far = add_marker(s, lone, "cue", 99 * 3_600_000)
    assert far.start_ms == 99 * 3_600_000
