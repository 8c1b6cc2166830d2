"""The Plex sync engine against the loopback Plex server, driving the real plexapi."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from retrovue_desktop import ratings
from retrovue_desktop.plex.errors import PlexError
from retrovue_desktop.plex.locks import LibraryLock
from retrovue_desktop.plex.sync import SyncCancelled
from tests.fakeplex import FakeEpisode, FakeItem, FakeMovie, FakePlexServer
from tests.fakeplex.fixtures import FAKE_PLEX_TOKEN
from tests.sync_helpers import Station, make_station, natural_snapshot, snapshot


@pytest.fixture
def station(db_url: str, fake_plex: FakePlexServer, tmp_path: Path) -> Station:
    return make_station(db_url, fake_plex, tmp_path)


@pytest.fixture
def sqlite_station(sqlite_url: str, fake_plex: FakePlexServer, tmp_path: Path) -> Station:
    return make_station(sqlite_url, fake_plex, tmp_path)


def _expected_external_ids(item: FakeItem) -> str | None:
    ids = {}
    for guid in item.external_guids:
        scheme, _, value = guid.partition("://")
        if scheme in ("imdb", "tmdb", "tvdb"):
            ids.setdefault(scheme, value)
    return json.dumps(ids, sort_keys=True) if ids else None


def _check_item(
    station: Station, item: FakeMovie | FakeEpisode, *, no_overrides: bool = True
) -> None:
    row = station.rows(
        "SELECT c.*, l.plex_library_key FROM content_items c"
        " JOIN libraries l ON l.id = c.library_id WHERE c.plex_rating_key = :k",
        k=str(item.rating_key),
    )
    assert len(row) == 1, item.title
    c = row[0]._mapping
    code = ratings.normalise(item.content_rating)
    assert c["kind"] == item.TYPE
    assert c["title"] == item.title
    assert c["synopsis"] == (item.summary or None)
    assert c["duration_ms"] == item.duration
    assert c["rating_code"] == code
    assert c["rating_system"] == ratings.rating_system(code)
    assert bool(c["is_kids_friendly"]) == ratings.is_kids_friendly(code)
    assert c["guid_primary"] == item.guid
    assert c["external_ids_json"] == _expected_external_ids(item)
    assert c["metadata_updated_at"] == item.updated_at
    assert c["plex_library_key"] == str(item.section_key)
    assert c["gone_from_source_at"] is None
    if isinstance(item, FakeEpisode):
        assert c["episode_number"] == item.index
        assert c["season_number"] == item.season.index
        show = station.scalar("SELECT plex_rating_key FROM shows WHERE id = :i", i=c["show_id"])
        season = station.scalar(
            "SELECT plex_rating_key FROM seasons WHERE id = :i", i=c["season_id"]
        )
        assert (show, season) == (str(item.show.rating_key), str(item.season.rating_key))
    else:
        assert c["show_id"] is None and c["season_id"] is None
    editorial = station.rows(
        "SELECT * FROM content_editorial WHERE content_item_id = :i", i=c["id"]
    )[0]._mapping
    assert editorial["source_name"] == "plex"
    assert editorial["original_title"] == item.title
    if no_overrides:
        assert editorial["override_title"] is None and editorial["override_synopsis"] is None
    payload = json.loads(editorial["source_payload_json"])
    assert payload["ratingKey"] == str(item.rating_key) and payload["title"] == item.title

    files = station.rows(
        "SELECT f.*, l.role FROM content_item_files l JOIN media_files f"
        " ON f.id = l.media_file_id WHERE l.content_item_id = :i ORDER BY f.id",
        i=c["id"],
    )
    expected = [(media, part) for media in item.media for part in media.parts]
    assert len(files) == len(expected)
    by_part = {f._mapping["plex_part_id"]: f._mapping for f in files}
    for n, (media, part) in enumerate(expected):
        f = by_part[str(part.id)]
        role = "primary" if n == 0 else ("extra" if media is item.media[0] else "alternate")
        assert f["role"] == role
        assert f["plex_file_path"] == part.file
        assert f["file_size_bytes"] == part.size
        assert f["duration_ms"] == part.duration
        assert f["container"] == part.container
        assert (f["video_codec"], f["audio_codec"]) == (media.video_codec, media.audio_codec)
        assert (f["width"], f["height"]) == (media.width, media.height)
    primary = by_part[str(expected[0][1].id)]["id"]
    markers = station.rows(
        "SELECT marker_kind, label, source, start_ms, end_ms FROM media_markers"
        " WHERE media_file_id = :f AND source <> 'manual'",
        f=primary,
    )
    want = [("cue", m.type, "detected", m.start, m.end) for m in item.markers] + [
        ("chapter", ch.tag, "file", ch.start, ch.end) for ch in item.chapters
    ]
    assert sorted(tuple(m) for m in markers) == sorted(want)


def test_full_sync_writes_what_the_server_served(
    station: Station, fake_plex: FakePlexServer
) -> None:
    result = station.sync()
    data = fake_plex.data
    by_title = {lib.title: lib for lib in result.libraries}
    assert by_title["Music"].status == "unsupported"
    assert by_title["Movies"].added == len(data.movies(1))
    items: list[FakeMovie | FakeEpisode] = [*data.movies(), *data.episodes()]
    assert station.scalar("SELECT count(*) FROM content_items") == len(items)
    for item in items:
        _check_item(station, item)
    # The generated library covers the awkward cases the issue names.
    titles = {i.title for i in items}
    assert any(not t.isascii() for t in titles)
    assert any(len(i.media) > 1 or len(i.media[0].parts) > 1 for i in items)
    assert any(p.file.startswith(("C:\\", "\\\\")) for i in items for m in i.media for p in m.parts)
    assert station.scalar("SELECT count(*) FROM media_markers WHERE marker_kind='chapter'") > 0
    shows = station.rows("SELECT plex_rating_key, title, studio, year FROM shows")
    assert sorted(shows) == sorted(
        (str(s.rating_key), s.title, s.studio, s.year) for s in data.shows()
    )
    assert station.scalar("SELECT count(*) FROM seasons") == len(data.seasons())
    locations = json.loads(
        station.scalar("SELECT locations_json FROM libraries WHERE title = 'TV (NAS)'")
    )
    assert locations == ["C:\\Media\\TV", "\\\\NAS\\share\\TV"]


def test_resync_without_change_skips_and_writes_nothing(
    station: Station, fake_plex: FakePlexServer
) -> None:
    station.sync()
    before = snapshot(station.engine, skip=set())
    fake_plex.clear_requests()
    result = station.sync()
    assert {lib.status for lib in result.libraries} == {"skipped", "unsupported"}
    assert snapshot(station.engine, skip=set()) == before
    paths = [r.path for r in fake_plex.requests]
    assert paths == ["/", "/library/sections"]


def test_incremental_resync_touches_exactly_what_changed(
    station: Station, fake_plex: FakePlexServer
) -> None:
    station.sync()
    data = fake_plex.data
    movies, episodes = data.movies(1), data.episodes(2)
    removed = movies[4]
    removed_id = station.scalar(
        "SELECT id FROM content_items WHERE plex_rating_key = :k", k=str(removed.rating_key)
    )
    station.execute(
        "INSERT INTO content_tags (content_item_id, namespace, key) VALUES (:i, 'holiday', 'xmas')",
        i=removed_id,
    )
    station.execute(
        "UPDATE content_editorial SET override_title = 'Kept' WHERE content_item_id = :i",
        i=removed_id,
    )
    station.execute("UPDATE content_items SET updated_at = '2001-01-01 00:00:00'")
    station.execute("UPDATE media_files SET updated_at = '2001-01-01 00:00:00'")

    changed = [movies[0].rating_key, movies[1].rating_key, episodes[2].rating_key]
    data.change_item(changed[0], title="Retitled ñ")
    data.change_item(changed[1], contentRating="TV-Y")
    data.change_item(changed[2], summary="A new synopsis.")
    data.remove_item(removed.rating_key)
    added = [data.add_movie(1, title="Brand New"), data.add_episode(episodes[0].show.rating_key)]
    fake_plex.clear_requests()

    result = station.sync()

    by_title = {lib.title: lib for lib in result.libraries}
    assert (by_title["Movies"].added, by_title["Movies"].updated) == (1, 2)
    assert by_title["Movies"].unavailable == 1
    assert (by_title["TV Shows"].added, by_title["TV Shows"].updated) == (1, 1)
    touched = {
        r[0]
        for r in station.rows(
            "SELECT plex_rating_key FROM content_items WHERE updated_at > '2001-01-01 00:00:00'"
        )
    }
    assert touched == {str(k) for k in [*changed, *added, removed.rating_key]}
    detail_keys = {
        key
        for r in fake_plex.requests
        if r.path.startswith("/library/metadata/")
        for key in r.path.rsplit("/", 1)[1].split(",")
    }
    assert detail_keys == {str(k) for k in [*changed, *added]}
    for key in [*changed, *added]:
        _check_item(station, data.item(key))  # type: ignore[arg-type]
    # The removed item is marked, not deleted: its tag, override and files survive.
    gone = station.rows(
        "SELECT gone_from_source_at FROM content_items WHERE id = :i", i=removed_id
    )[0][0]
    assert gone is not None
    assert (
        station.scalar("SELECT count(*) FROM content_tags WHERE content_item_id = :i", i=removed_id)
        == 1
    )
    assert (
        station.scalar(
            "SELECT override_title FROM content_editorial WHERE content_item_id = :i", i=removed_id
        )
        == "Kept"
    )
    availability = station.rows(
        "SELECT f.availability FROM media_files f JOIN content_item_files l"
        " ON l.media_file_id = f.id WHERE l.content_item_id = :i",
        i=removed_id,
    )
    assert availability and {a[0] for a in availability} == {"gone"}


def test_override_and_manual_markers_survive_resync(
    station: Station, fake_plex: FakePlexServer
) -> None:
    station.sync()
    movie = next(m for m in fake_plex.data.movies(1) if m.markers or m.chapters)
    item_id = station.scalar(
        "SELECT id FROM content_items WHERE plex_rating_key = :k", k=str(movie.rating_key)
    )
    file_id = station.scalar(
        "SELECT media_file_id FROM content_item_files WHERE content_item_id = :i"
        " AND role = 'primary'",
        i=item_id,
    )
    station.execute(
        "UPDATE content_editorial SET override_title = 'Our Title', override_synopsis = 'Ours',"
        " override_updated_at = 5 WHERE content_item_id = :i",
        i=item_id,
    )
    station.execute(
        "INSERT INTO media_markers (media_file_id, marker_kind, start_ms, source, label)"
        " VALUES (:f, 'ad_break', 600000, 'manual', 'break 1')",
        f=file_id,
    )
    fake_plex.data.change_item(movie.rating_key, title="Plex Renamed It", summary="New text")
    station.sync()
    row = station.rows(
        "SELECT original_title, original_synopsis, override_title, override_synopsis,"
        " override_updated_at FROM content_editorial WHERE content_item_id = :i",
        i=item_id,
    )[0]
    assert tuple(row) == ("Plex Renamed It", "New text", "Our Title", "Ours", 5)
    assert station.scalar("SELECT title FROM content_items WHERE id = :i", i=item_id) == (
        "Plex Renamed It"
    )
    manual = station.rows(
        "SELECT label FROM media_markers WHERE media_file_id = :f AND source = 'manual'",
        f=file_id,
    )
    assert [m[0] for m in manual] == ["break 1"]
    _check_item(station, fake_plex.data.item(movie.rating_key), no_overrides=False)  # type: ignore[arg-type]


FAULTS = [
    ("401", lambda p, **w: p.fail(401, **w), "refused the token"),
    ("404", lambda p, **w: p.fail(404, **w), "not found"),
    ("500", lambda p, **w: p.fail(500, **w), "reported an error"),
    ("slow", lambda p, **w: p.slow(3.0, **w), "did not answer in time"),
    ("truncated", lambda p, **w: p.truncate(**w), "not valid Plex XML"),
    ("invalid", lambda p, **w: p.invalid_body(**w), "not valid Plex XML"),
    ("dropped", lambda p, **w: p.drop_connection(**w), "dropped the connection"),
]


@pytest.mark.parametrize(("name", "inject", "sentence"), FAULTS, ids=[f[0] for f in FAULTS])
@pytest.mark.parametrize("where", ["listing", "detail"])
def test_fault_leaves_database_as_before_and_next_sync_succeeds(
    sqlite_station: Station,
    fake_plex: FakePlexServer,
    name: str,
    inject: object,
    sentence: str,
    where: str,
) -> None:
    station = sqlite_station
    station.sync()
    for movie in fake_plex.data.movies(1)[:3]:
        fake_plex.data.change_item(movie.rating_key, title=f"{movie.title} (restored)")
    before = snapshot(station.engine)
    path = "/library/sections/1/all" if where == "listing" else "/library/metadata/"
    inject(fake_plex, path=path)  # type: ignore[operator]
    with pytest.raises(PlexError) as failure:
        station.sync(timeout=1.0)
    assert sentence in str(failure.value)
    assert fake_plex.url in str(failure.value)
    assert snapshot(station.engine) == before
    status = station.scalar("SELECT last_sync_status FROM libraries WHERE title = 'Movies'")
    assert status == "failed"
    fake_plex.clear_faults()
    station.sync(timeout=5.0)
    for movie in fake_plex.data.movies(1):
        _check_item(station, movie)


def test_failure_after_some_batches_keeps_them_whole_and_resumes(
    sqlite_station: Station, fake_plex: FakePlexServer, tmp_path: Path
) -> None:
    station = sqlite_station
    third_chunk = fake_plex.data.movies(1)[6].rating_key  # keys 7-9 of 3-key requests
    fake_plex.fail(500, path=f"/library/metadata/{third_chunk},")
    with pytest.raises(PlexError):
        station.sync(write_batch=3, detail_keys_per_request=3, concurrency=1)
    partial = station.scalar("SELECT count(*) FROM content_items")
    assert 0 < partial < len(fake_plex.data.movies(1))
    # Every item written is whole: editorial and its primary file are there with it.
    assert (
        station.scalar(
            "SELECT count(*) FROM content_items c WHERE NOT EXISTS (SELECT 1 FROM"
            " content_editorial e WHERE e.content_item_id = c.id) OR NOT EXISTS (SELECT 1 FROM"
            " content_item_files l WHERE l.content_item_id = c.id AND l.role = 'primary')"
        )
        == 0
    )
    fake_plex.clear_faults()
    station.sync()
    clean = make_station(f"sqlite:///{tmp_path / 'clean.db'}", fake_plex, tmp_path / "c")
    clean.sync()
    assert natural_snapshot(station) == natural_snapshot(clean)


def test_cancel_mid_sync_then_sync_equals_clean_sync(
    sqlite_station: Station, fake_plex: FakePlexServer, tmp_path: Path
) -> None:
    station = sqlite_station
    phases: list[tuple[str, int, int]] = []

    def progress(phase: str, done: int, total: int) -> None:
        phases.append((phase, done, total))

    def cancelled() -> bool:
        return sum(1 for p in phases if "writing" in p[0]) >= 2

    with pytest.raises(SyncCancelled):
        station.sync(write_batch=4, progress=progress, cancelled=cancelled)
    written = station.scalar("SELECT count(*) FROM content_items")
    assert 0 < written < len(fake_plex.data.movies(1))
    assert station.scalar("SELECT last_sync_status FROM libraries WHERE title='Movies'") == (
        "canceled"
    )
    assert station.scalar("SELECT count(*) FROM library_sync_locks") == 0
    result = station.sync()
    movies = next(lib for lib in result.libraries if lib.title == "Movies")
    assert movies.added == len(fake_plex.data.movies(1)) - written
    assert movies.unchanged == written
    clean = make_station(f"sqlite:///{tmp_path / 'clean.db'}", fake_plex, tmp_path / "c")
    clean.sync()
    assert natural_snapshot(station) == natural_snapshot(clean)


def test_full_resync_rereads_everything(station: Station, fake_plex: FakePlexServer) -> None:
    station.sync()
    result = station.sync(full=True)
    movies = next(lib for lib in result.libraries if lib.title == "Movies")
    assert movies.updated == len(fake_plex.data.movies(1)) and movies.added == 0


def test_second_sync_of_a_library_is_refused(station: Station) -> None:
    station.sync()
    library_id = station.scalar("SELECT id FROM libraries WHERE title = 'Movies'")
    with (
        LibraryLock(station.sessions, library_id, "Movies"),
        pytest.raises(PlexError, match="already being synced"),
    ):
        station.sync(full=True, library_titles=["Movies"])
    station.sync(full=True, library_titles=["Movies"])


def test_stale_lock_from_a_crash_is_taken_over(station: Station) -> None:
    station.sync()
    library_id = station.scalar("SELECT id FROM libraries WHERE title = 'Movies'")
    station.execute(
        "INSERT INTO library_sync_locks (library_id, holder, acquired_at, heartbeat_at)"
        " VALUES (:i, 'crashed', 1, 1)",
        i=library_id,
    )
    station.sync(full=True, library_titles=["Movies"])
    assert station.scalar("SELECT count(*) FROM library_sync_locks") == 0


def test_unknown_library_title_is_explained(station: Station) -> None:
    with pytest.raises(PlexError, match="no library called Cartoons"):
        station.sync(library_titles=["Cartoons"])


def test_token_appears_nowhere(
    station: Station, fake_plex: FakePlexServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    station.sync()
    fake_plex.data.change_item(fake_plex.data.movies(1)[0].rating_key, title="x")
    fake_plex.fail(401, path="/library/metadata/")
    with pytest.raises(PlexError) as failure:
        station.sync()
    assert FAKE_PLEX_TOKEN not in str(failure.value)
    assert FAKE_PLEX_TOKEN not in failure.value.detail
    assert FAKE_PLEX_TOKEN not in caplog.text
    for table, rows in snapshot(station.engine, skip=set()).items():
        assert FAKE_PLEX_TOKEN not in repr(rows), table


def test_worker_processes_write_the_same_as_threads(
    sqlite_station: Station, fake_plex: FakePlexServer, tmp_path: Path
) -> None:
    """Big syncs fetch and parse detail in worker processes; the result is the same."""
    sqlite_station.sync(process_threshold=1, write_batch=7)
    threads = make_station(f"sqlite:///{tmp_path / 'threads.db'}", fake_plex, tmp_path / "t")
    threads.sync(process_threshold=10**9)
    assert natural_snapshot(sqlite_station) == natural_snapshot(threads)


def test_worker_process_failure_reaches_the_operator(
    sqlite_station: Station, fake_plex: FakePlexServer
) -> None:
    fake_plex.fail(401, path="/library/metadata/")
    with pytest.raises(PlexError, match="refused the token") as failure:
        sqlite_station.sync(process_threshold=1)
    assert "Unauthorized" in failure.value.detail
    assert sqlite_station.scalar("SELECT count(*) FROM content_items") == 0


def test_removed_item_comes_back_when_plex_shows_it_again(
    station: Station, fake_plex: FakePlexServer
) -> None:
    station.sync()
    data = fake_plex.data
    movie = data.movies(1)[2]
    data.remove_item(movie.rating_key)
    station.sync()
    key = str(movie.rating_key)
    assert (
        station.scalar(
            "SELECT gone_from_source_at FROM content_items WHERE plex_rating_key = :k", k=key
        )
        is not None
    )
    with data.lock:  # Plex lists the same item again (e.g. restored from its trash)
        data.section(1).movies.append(movie)
        data.items[movie.rating_key] = movie
    data.touch(movie.rating_key)
    result = station.sync()
    movies = next(lib for lib in result.libraries if lib.title == "Movies")
    assert (movies.updated, movies.restored, movies.added) == (1, 1, 0)
    assert (
        station.scalar(
            "SELECT gone_from_source_at FROM content_items WHERE plex_rating_key = :k", k=key
        )
        is None
    )
    availability = station.rows(
        "SELECT DISTINCT f.availability FROM media_files f JOIN content_item_files l"
        " ON l.media_file_id = f.id JOIN content_items c ON c.id = l.content_item_id"
        " WHERE c.plex_rating_key = :k",
        k=key,
    )
    assert [a[0] for a in availability] == ["unknown"]
    _check_item(station, data.item(movie.rating_key))  # type: ignore[arg-type]


def test_two_changes_in_one_second_are_both_seen(
    station: Station, fake_plex: FakePlexServer
) -> None:
    """Plex's updatedAt has one-second resolution; contentChangedAt still moves."""
    station.sync()
    data = fake_plex.data
    frozen = data.now()
    data.now = lambda: frozen
    data.remove_item(data.movies(1)[0].rating_key)
    station.sync()
    data.remove_item(data.movies(1)[0].rating_key)
    result = station.sync()
    movies = next(lib for lib in result.libraries if lib.title == "Movies")
    assert (movies.status, movies.unavailable) == ("synced", 1)
