"""Local-folder libraries: scans of copies of the committed media, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.media.errors import MediaCancelled, MediaError
from retrovue_desktop.media.localfolder import (
    ScanResult,
    add_folder_library,
    scan_folder_library,
)
from retrovue_desktop.media.pathmap import canonical_uri
from retrovue_desktop.media.validate import validate_library
from retrovue_desktop.store import models as m
from retrovue_desktop.store.engine import make_session_factory
from tests.builders import migrated_engine
from tests.test_validate import _permission_bits_apply

MEDIA = Path(__file__).parent / "media"
COMMITTED = ("bars_3s.mp4", "tone_2s.mkv", "with_chapters.mkv", "clip_title.mp4")


@pytest.fixture
def station(db_url: str) -> tuple[Engine, sessionmaker[Session]]:
    engine = migrated_engine(db_url)
    yield engine, make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def ads(tmp_path: Path) -> Path:
    """A folder of ads as a station keeps them: media in subfolders, and other files."""
    folder = tmp_path / "Ads"
    (folder / "1987").mkdir(parents=True)
    shutil.copy2(MEDIA / "bars_3s.mp4", folder / "bars_3s.mp4")
    shutil.copy2(MEDIA / "tone_2s.mkv", folder / "1987" / "tone_2s.mkv")
    shutil.copy2(MEDIA / "with_chapters.mkv", folder / "with_chapters.mkv")
    shutil.copy2(MEDIA / "clip_title.mp4", folder / "1987" / "clip_title.mp4")
    (folder / "notes.txt").write_text("rates for 1987\n")
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (folder / "._bars_3s.mp4").write_bytes(b"\0\5\26\7")  # macOS metadata twin
    (folder / ".hidden").mkdir()
    shutil.copy2(MEDIA / "bars_3s.mp4", folder / ".hidden" / "trash.mp4")
    return folder


def _add(sessions: sessionmaker[Session], folder: Path, kind: str = "ad", **kw: Any) -> int:
    with sessions() as session, session.begin():
        return add_folder_library(session, str(folder), kind, **kw)


def _files(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM media_files"))
        return {Path(row.local_file_path).name: row for row in rows}


def _items(engine: Engine) -> dict[str, Any]:
    """Content by file name, with the file's id and editorial."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT f.local_file_path, c.id, c.kind, c.title, c.duration_ms, c.library_id,"
                " c.plex_rating_key, c.gone_from_source_at, e.source_name, e.original_title,"
                " e.override_title, l.role, f.id AS file_id FROM content_items c"
                " JOIN content_item_files l ON l.content_item_id = c.id"
                " JOIN media_files f ON f.id = l.media_file_id"
                " LEFT JOIN content_editorial e ON e.content_item_id = c.id"
            )
        )
        return {Path(row.local_file_path).name: row for row in rows}


def _markers(engine: Engine, file_id: int) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                text(
                    "SELECT marker_kind, start_ms, end_ms, label, source FROM media_markers"
                    " WHERE media_file_id = :f ORDER BY source, start_ms"
                ),
                {"f": file_id},
            )
        ]


def _counts(result: ScanResult) -> tuple[int, ...]:
    return (result.added, result.updated, result.unavailable, result.unchanged,
            result.restored, result.moved, result.unreadable)  # fmt: skip


def test_first_scan(station: tuple[Engine, sessionmaker[Session]], ads: Path) -> None:
    engine, sessions = station
    library_id = _add(sessions, ads, "bumper", title="Station bumpers")
    progress: list[tuple[str, int, int]] = []
    result = scan_folder_library(sessions, library_id, progress=lambda *a: progress.append(a))
    assert _counts(result) == (4, 0, 0, 0, 0, 0, 0)
    # notes.txt, .DS_Store and the ._ twin; the hidden folder is not entered.
    assert result.skipped_non_media == 3
    assert progress[-1] == ("Station bumpers: reading files", 4, 4)
    assert result.line() == (
        "Station bumpers: 4 added, 0 updated, 0 unavailable, 0 unchanged, 3 other files skipped"
    )

    files = _files(engine)
    assert set(files) == set(COMMITTED)
    for name, row in files.items():
        path = Path(row.local_file_path)
        assert path.is_relative_to(ads) and path.name == name
        assert row.plex_file_path is None and row.library_id == library_id
        assert row.availability == "ok" and row.availability_reason is None
        assert row.canonical_uri == canonical_uri(str(path)) == path.as_uri()
        assert row.file_size_bytes == path.stat().st_size
        assert row.file_mtime_ns == path.stat().st_mtime_ns
        assert row.last_verified_at is not None
        assert (row.width, row.height) == (64, 36)
    assert (files["tone_2s.mkv"].container, files["tone_2s.mkv"].video_codec,
            files["tone_2s.mkv"].audio_codec) == ("mkv", "mpeg2video", "ac3")  # fmt: skip
    assert files["bars_3s.mp4"].duration_ms == 3000

    items = _items(engine)
    assert {name: row.title for name, row in items.items()} == {
        "bars_3s.mp4": "bars_3s",  # no title tag: the file name
        "tone_2s.mkv": "tone_2s",
        "with_chapters.mkv": "Station ID",  # the file's own title tag
        "clip_title.mp4": "Saturday Promo",
    }
    for row in items.values():
        assert row.kind == "bumper" and row.library_id == library_id and row.role == "primary"
        assert row.plex_rating_key is None and row.gone_from_source_at is None
        assert (row.source_name, row.original_title) == ("file", row.title)
    assert items["bars_3s.mp4"].duration_ms == 3000

    chapters = _markers(engine, files["with_chapters.mkv"].id)
    assert chapters == [
        ("chapter", 0, 1000, "Open", "file"),
        ("chapter", 1000, 3000, "Middle", "file"),
        ("chapter", 3000, files["with_chapters.mkv"].duration_ms, "Close", "file"),
    ]
    assert _markers(engine, files["bars_3s.mp4"].id) == []


def test_rescans(station: tuple[Engine, sessionmaker[Session]], ads: Path, tmp_path: Path) -> None:
    engine, sessions = station
    library_id = _add(sessions, ads)
    scan_folder_library(sessions, library_id)
    before = _files(engine)
    items = _items(engine)

    # Nothing changed: nothing is probed. To prove it, bars_3s.mp4 is overwritten with
    # bytes MediaInfo cannot read, at the same size and modification time: a probe would
    # mark it unreadable.
    bars = ads / "bars_3s.mp4"
    stamp = bars.stat()
    bars.write_bytes(b"\0" * stamp.st_size)
    os.utime(bars, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    again = scan_folder_library(sessions, library_id)
    assert _counts(again) == (0, 0, 0, 4, 0, 0, 0)
    assert _files(engine)["bars_3s.mp4"].availability == "ok"
    assert _files(engine)["bars_3s.mp4"].updated_at == before["bars_3s.mp4"].updated_at
    shutil.copy2(MEDIA / "bars_3s.mp4", bars)

    # The operator's edits: an override title, a tag and a manual marker.
    chapters_item = items["with_chapters.mkv"]
    with sessions() as session, session.begin():
        session.execute(
            text("UPDATE content_editorial SET override_title = 'ID (night)'"
                 " WHERE content_item_id = :i"), {"i": chapters_item.id},
        )  # fmt: skip
        session.execute(
            insert(m.ContentTag).values(
                content_item_id=items["tone_2s.mkv"].id, namespace="tone", key="retro"
            )
        )
        session.execute(
            insert(m.MediaMarker).values(
                media_file_id=chapters_item.file_id, marker_kind="ad_break", start_ms=2000,
                source="manual",
            )
        )  # fmt: skip

    # Changed files are probed again: a new modification time, and new content.
    os.utime(ads / "with_chapters.mkv", ns=(1_600_000_000_000_000_000,) * 2)
    shutil.copy(MEDIA / "bars_3s.mp4", ads / "1987" / "clip_title.mp4")  # no title tag now
    changed = scan_folder_library(sessions, library_id)
    assert _counts(changed) == (0, 2, 0, 2, 0, 0, 0)
    now = _items(engine)
    assert now["clip_title.mp4"].id == items["clip_title.mp4"].id
    assert (now["clip_title.mp4"].title, now["clip_title.mp4"].duration_ms) == ("clip_title", 3000)
    assert now["clip_title.mp4"].original_title == "clip_title"
    assert now["with_chapters.mkv"].override_title == "ID (night)"
    markers = _markers(engine, chapters_item.file_id)
    assert [mk[4] for mk in markers] == ["file", "file", "file", "manual"]  # replaced, kept
    assert _files(engine)["with_chapters.mkv"].file_mtime_ns == 1_600_000_000_000_000_000

    # A file that leaves the folder is missing and its content gone; never deleted.
    keep = tmp_path / "kept.mkv"
    shutil.move(ads / "1987" / "tone_2s.mkv", keep)
    removed = scan_folder_library(sessions, library_id)
    assert _counts(removed) == (0, 0, 1, 3, 0, 0, 0)
    tone = _files(engine)["tone_2s.mkv"]
    assert (tone.availability, tone.canonical_uri) == ("missing", None)
    assert tone.availability_reason == "No longer in the library's folder."
    assert _items(engine)["tone_2s.mkv"].gone_from_source_at is not None
    assert _counts(scan_folder_library(sessions, library_id)) == (0, 0, 0, 3, 0, 0, 0)

    # It comes back, as the same file and content, with its tag.
    shutil.move(keep, ads / "1987" / "tone_2s.mkv")
    back = scan_folder_library(sessions, library_id)
    assert _counts(back) == (0, 0, 0, 3, 1, 0, 0)
    tone = _files(engine)["tone_2s.mkv"]
    assert tone.id == before["tone_2s.mkv"].id and tone.availability == "ok"
    assert tone.canonical_uri == (ads / "1987" / "tone_2s.mkv").as_uri()
    item = _items(engine)["tone_2s.mkv"]
    assert item.id == items["tone_2s.mkv"].id and item.gone_from_source_at is None
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM content_tags")).scalar_one() == 1

    # Moved to another subfolder: the same file row and content item, at its new path.
    (ads / "1988").mkdir()
    shutil.move(ads / "bars_3s.mp4", ads / "1988" / "bars renamed.mp4")
    moved = scan_folder_library(sessions, library_id)
    assert _counts(moved) == (0, 0, 0, 3, 0, 1, 0)
    row = _files(engine)["bars renamed.mp4"]
    assert row.id == before["bars_3s.mp4"].id
    assert row.canonical_uri.endswith("/1988/bars%20renamed.mp4")
    assert len(_files(engine)) == 4


def test_validation_between_scans(
    station: tuple[Engine, sessionmaker[Session]], ads: Path, tmp_path: Path
) -> None:
    """Validation marks files, not content: a scan after it still marks the content of a
    file validation found missing as gone, and brings it back once validation has seen
    the file return."""
    engine, sessions = station
    library_id = _add(sessions, ads)
    scan_folder_library(sessions, library_id)
    shutil.move(ads / "bars_3s.mp4", tmp_path / "away.mp4")
    assert validate_library(sessions, library_id).counts["missing"] == 1
    assert _items(engine)["bars_3s.mp4"].gone_from_source_at is None
    gone = scan_folder_library(sessions, library_id)
    assert (gone.unavailable, gone.unchanged) == (1, 3)
    assert _items(engine)["bars_3s.mp4"].gone_from_source_at is not None
    assert _counts(scan_folder_library(sessions, library_id)) == (0, 0, 0, 3, 0, 0, 0)

    shutil.move(tmp_path / "away.mp4", ads / "bars_3s.mp4")
    assert validate_library(sessions, library_id).counts["ok"] == 4
    back = scan_folder_library(sessions, library_id)
    assert (back.restored, back.unchanged) == (1, 3)
    assert _items(engine)["bars_3s.mp4"].gone_from_source_at is None


def test_unreadable_file_then_fixed(
    station: tuple[Engine, sessionmaker[Session]], ads: Path
) -> None:
    engine, sessions = station
    broken = ads / "half.mp4"
    broken.write_bytes((MEDIA / "bars_3s.mp4").read_bytes()[:1500])
    library_id = _add(sessions, ads)
    result = scan_folder_library(sessions, library_id)
    assert (result.added, result.unreadable) == (4, 1)
    row = _files(engine)["half.mp4"]
    assert row.availability == "unreadable" and row.canonical_uri is None
    assert "has no audio or video that MediaInfo can read" in row.availability_reason
    assert "half.mp4" not in _items(engine)  # no content for a file nobody can play

    shutil.copy(MEDIA / "clip_title.mp4", broken)
    fixed = scan_folder_library(sessions, library_id)
    assert (fixed.added, fixed.unreadable, fixed.unchanged) == (1, 0, 4)
    assert _files(engine)["half.mp4"].availability == "ok"
    assert _items(engine)["half.mp4"].title == "Saturday Promo"


def test_cancel_between_batches(station: tuple[Engine, sessionmaker[Session]], ads: Path) -> None:
    engine, sessions = station
    library_id = _add(sessions, ads)
    with pytest.raises(MediaCancelled) as caught:
        scan_folder_library(sessions, library_id, batch_size=1, cancelled=lambda: True)
    partial = caught.value.result
    assert isinstance(partial, ScanResult) and partial.added == 1
    assert len(_files(engine)) == 1 and len(_items(engine)) == 1
    result = scan_folder_library(sessions, library_id, batch_size=1)
    assert (result.added, result.unchanged, result.unavailable) == (3, 1, 0)


def test_missing_folder_changes_nothing(
    station: tuple[Engine, sessionmaker[Session]], ads: Path, tmp_path: Path
) -> None:
    engine, sessions = station
    library_id = _add(sessions, ads)
    scan_folder_library(sessions, library_id)
    before = _files(engine)
    ads.rename(tmp_path / "unplugged")
    with pytest.raises(MediaError, match="is not there: connect the drive"):
        scan_folder_library(sessions, library_id)
    assert _files(engine) == before


@pytest.mark.skipif(not _permission_bits_apply(), reason="this user reads whatever the mode")
def test_a_subfolder_that_cannot_be_listed(tmp_path: Path, ads: Path) -> None:
    engine = migrated_engine(f"sqlite:///{tmp_path / 'perm.db'}")
    sessions = make_session_factory(engine)
    library_id = _add(sessions, ads)
    scan_folder_library(sessions, library_id)
    (ads / "1987").chmod(0)
    try:
        result = scan_folder_library(sessions, library_id)
    finally:
        (ads / "1987").chmod(0o755)
    assert result.unavailable == 0
    assert _files(engine)["tone_2s.mkv"].availability == "unreadable"
    assert "could not be read" in _files(engine)["tone_2s.mkv"].availability_reason
    engine.dispose()


def test_add_folder_library_refusals(
    station: tuple[Engine, sessionmaker[Session]], ads: Path, tmp_path: Path
) -> None:
    _engine, sessions = station
    with pytest.raises(MediaError, match="not a kind of folder library: choose one of ad,"):
        _add(sessions, ads, "sitcom")
    with pytest.raises(MediaError, match="does not exist"):
        _add(sessions, tmp_path / "nowhere")
    with pytest.raises(MediaError, match="is a file, not a folder"):
        _add(sessions, ads / "notes.txt")
    library_id = _add(sessions, ads, "Promo")  # kinds are case-blind
    with sessions() as session:
        library = session.get(m.Library, library_id)
        assert library is not None
        assert (library.source, library.library_type, library.title, library.root_path) == (
            "local", "promo", "Ads", str(ads),
        )  # fmt: skip
        assert library.server_id is None and library.plex_library_key is None
    with pytest.raises(MediaError, match="overlaps the folder of the library 'Ads'"):
        _add(sessions, ads / "1987")
    with pytest.raises(MediaError, match="overlaps"):
        _add(sessions, tmp_path)
    (tmp_path / "More").mkdir()
    with pytest.raises(MediaError, match="already called 'Ads'"):
        _add(sessions, tmp_path / "More", title="Ads")
    assert _add(sessions, tmp_path / "More", "bumper") != library_id


def test_scan_refuses_a_plex_library(station: tuple[Engine, sessionmaker[Session]]) -> None:
    _engine, sessions = station
    with sessions() as session, session.begin():
        server = session.execute(
            insert(m.PlexServer).values(name="Den").returning(m.PlexServer.id)
        ).scalar_one()
        library_id = session.execute(
            insert(m.Library)
            .values(server_id=server, plex_library_key="1", title="TV", library_type="show")
            .returning(m.Library.id)
        ).scalar_one()
    with pytest.raises(MediaError, match="'TV' is a Plex library"):
        scan_folder_library(sessions, library_id)
    with pytest.raises(MediaError, match="no longer exists"):
        scan_folder_library(sessions, 999)
