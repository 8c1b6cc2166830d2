"""The fake Plex server answers the real plexapi library correctly, over real HTTP.

Why: the sync engine's tests trust this fake, so these tests pin down that plexapi (not a
mock) connects, pages, reads detail, sees mutations and fails the way a client would see a
flaky real server fail.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import plexapi
import pytest
import requests
from plexapi.exceptions import BadRequest, NotFound, Unauthorized
from plexapi.library import MovieSection, ShowSection
from plexapi.server import PlexServer
from plexapi.video import Episode, Movie

from tests.fakeplex import (
    UNICODE_TITLES,
    FakeEpisode,
    FakeMovie,
    FakePlexData,
    FakePlexServer,
    FakeShow,
    generate_library,
)
from tests.fakeplex import fixtures as _fixtures

TOKEN = _fixtures.FAKE_PLEX_TOKEN
REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def plex(fake_plex: FakePlexServer) -> PlexServer:
    return PlexServer(fake_plex.url, TOKEN, timeout=5)


@pytest.fixture
def tv(plex: PlexServer) -> ShowSection:
    section = plex.library.sectionByID(2)
    assert isinstance(section, ShowSection)
    return section


@pytest.fixture
def movies(plex: PlexServer) -> MovieSection:
    section = plex.library.sectionByID(1)
    assert isinstance(section, MovieSection)
    return section


def _raw(server: FakePlexServer, path: str, **params: object) -> requests.Response:
    return requests.get(
        server.url + path, params=params, headers={"X-Plex-Token": TOKEN}, timeout=10
    )


def _xml(server: FakePlexServer, path: str, **params: object) -> ET.Element:
    response = _raw(server, path, **params)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "text/xml;charset=utf-8"
    return ET.fromstring(response.content)


# ---------------------------------------------------------------------------- identity
def test_plexserver_reads_identity(fake_plex: FakePlexServer, plex: PlexServer) -> None:
    data = fake_plex.data
    assert plex.friendlyName == data.friendly_name
    assert plex.machineIdentifier == data.machine_identifier
    assert plex.platform == "Linux"
    assert plex.version == data.version
    assert plex.myPlex is True
    identity = plex.identity()
    assert identity.machineIdentifier == data.machine_identifier
    assert identity.claimed is True


def test_platform_is_configurable() -> None:
    data = generate_library(seed=3, movies=4, shows=2, platform="Windows")
    with FakePlexServer(data, token=TOKEN) as server:
        plex = PlexServer(server.url, TOKEN)
        assert plex.platform == "Windows"
        for section in plex.library.sections():
            assert all(p[1:3] == ":\\" or p.startswith("\\\\") for p in section.locations)
        movie = plex.library.sectionByID(1).all()[0]
        assert movie.media[0].parts[0].file[1:3] in (":\\", "\\N")
    with FakePlexServer(generate_library(seed=3), token=TOKEN, platform="Windows") as server:
        assert PlexServer(server.url, TOKEN).platform == "Windows"


def test_wrong_or_missing_token_is_unauthorized(fake_plex: FakePlexServer) -> None:
    with pytest.raises(Unauthorized):
        PlexServer(fake_plex.url, "wrong-token")
    assert requests.get(fake_plex.url + "/library/sections", timeout=5).status_code == 401
    query_token = requests.get(
        fake_plex.url + "/library/sections", params={"X-Plex-Token": TOKEN}, timeout=5
    )
    assert query_token.status_code == 200


def test_token_can_be_revoked_at_runtime(fake_plex: FakePlexServer, plex: PlexServer) -> None:
    fake_plex.token = "rotated"
    with pytest.raises(Unauthorized):
        plex.query("/library/sections")


def test_unknown_paths_are_404(fake_plex: FakePlexServer, plex: PlexServer) -> None:
    with pytest.raises(NotFound):
        plex.query("/no/such/thing")
    with pytest.raises(NotFound):
        plex.fetchItem(999_999)
    with pytest.raises(NotFound):
        plex.query("/library/sections/99/all")


# ---------------------------------------------------------------------------- sections
def test_sections_list_types_and_locations(fake_plex: FakePlexServer, plex: PlexServer) -> None:
    sections = {s.key: s for s in plex.library.sections()}
    model = fake_plex.data.sections
    assert set(sections) == set(model)
    for key, section in sections.items():
        assert section.type == model[key].type
        assert section.title == model[key].title
        assert section.uuid == model[key].uuid
        assert section.agent == model[key].agent
        assert section.locations == [loc.path for loc in model[key].locations]
        assert int(section.updatedAt.timestamp()) == model[key].updated_at
    assert sections[3].type == "artist"  # listed, holds nothing
    assert sections[3].totalViewSize() == 0
    nas = sections[4]
    assert nas.title == "TV (NAS)"
    assert nas.locations == ["C:\\Media\\TV", "\\\\NAS\\share\\TV"]
    episode = nas.search(libtype="episode", maxresults=1)[0]
    assert episode.media[0].parts[0].file.startswith(("C:\\Media\\TV\\", "\\\\NAS\\share\\TV\\"))


def test_total_view_size_counts_each_type(fake_plex: FakePlexServer, tv: ShowSection) -> None:
    data = fake_plex.data
    assert tv.totalViewSize(libtype="show") == len(data.shows(2))
    assert tv.totalViewSize(libtype="season") == len(data.seasons(2))
    assert tv.totalViewSize(libtype="episode") == len(data.episodes(2))
    count_request = fake_plex.requests[-1]
    assert count_request.query["X-Plex-Container-Size"] == "0"


def test_container_size_zero_returns_only_the_count(fake_plex: FakePlexServer) -> None:
    root = _xml(fake_plex, "/library/sections/2/all", type=4, **{"X-Plex-Container-Size": 0})
    assert root.attrib["size"] == "0"
    assert root.attrib["totalSize"] == str(len(fake_plex.data.episodes(2)))
    assert len(root) == 0


# ---------------------------------------------------------------------------- paging
def test_episode_search_pages_with_headers(fake_plex: FakePlexServer, tv: ShowSection) -> None:
    expected = [e.rating_key for e in fake_plex.data.flat(2, "episode")]
    fake_plex.clear_requests()
    episodes = tv.search(libtype="episode", container_size=5, includeGuids=True)
    assert [e.ratingKey for e in episodes] == expected
    pages = [r for r in fake_plex.requests if r.path == "/library/sections/2/all"]
    assert len(pages) == -(-len(expected) // 5)
    assert [r.param("X-Plex-Container-Start") for r in pages] == [
        str(n) for n in range(0, len(expected), 5)
    ]
    assert all(r.query["includeGuids"] == "1" and r.query["type"] == "4" for r in pages)
    served = fake_plex.data.item(expected[0])
    assert [g.id for g in episodes[0].guids] == served.external_guids


def test_one_page_needs_maxresults(fake_plex: FakePlexServer, tv: ShowSection) -> None:
    """container_size alone is a page size: plexapi still walks every page to the end."""
    expected = [e.rating_key for e in fake_plex.data.flat(2, "episode")]
    fake_plex.clear_requests()
    page = tv.search(libtype="episode", container_start=5, container_size=4, maxresults=4)
    assert [e.ratingKey for e in page] == expected[5:9]
    assert fake_plex.count_requests("/library/sections/2/all") == 1


def test_default_container_size_comes_from_plexapi(
    fake_plex: FakePlexServer, tv: ShowSection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plexapi.base, "X_PLEX_CONTAINER_SIZE", 3)
    fake_plex.clear_requests()
    assert len(tv.all(libtype="episode")) == len(fake_plex.data.episodes(2))
    assert fake_plex.count_requests("/library/sections/2/all") == -(
        -len(fake_plex.data.episodes(2)) // 3
    )


def test_paging_by_query_parameters(fake_plex: FakePlexServer) -> None:
    expected = [str(e.rating_key) for e in fake_plex.data.flat(2, "episode")]
    root = _xml(
        fake_plex,
        "/library/sections/2/all",
        type=4,
        **{"X-Plex-Container-Start": 3, "X-Plex-Container-Size": 4},
    )
    assert root.attrib["offset"] == "3"
    assert root.attrib["size"] == "4"
    assert root.attrib["totalSize"] == str(len(expected))
    assert [v.attrib["ratingKey"] for v in root] == expected[3:7]
    beyond = _xml(fake_plex, "/library/sections/2/all", type=4,
                  **{"X-Plex-Container-Start": 10_000, "X-Plex-Container-Size": 4})  # fmt: skip
    assert beyond.attrib["size"] == "0"


def test_listings_have_media_but_no_streams_and_guids_only_on_request(
    fake_plex: FakePlexServer,
) -> None:
    plain = _xml(fake_plex, "/library/sections/2/all", type=4)
    assert plain.find("Video/Media/Part") is not None
    assert plain.find("Video/Media/Part/Stream") is None
    assert plain.find("Video/Guid") is None
    assert plain.find("Video/Marker") is None
    with_guids = _xml(fake_plex, "/library/sections/2/all", type=4, includeGuids=1)
    assert with_guids.find("Video/Guid") is not None
    first = with_guids[0]
    assert first.attrib["type"] == "episode"
    for attr in (
        "grandparentRatingKey",
        "parentRatingKey",
        "parentIndex",
        "index",
        "grandparentTitle",
        "grandparentGuid",
        "addedAt",
        "updatedAt",
        "duration",
    ):
        assert attr in first.attrib  # fmt: skip


def test_flat_listing_matches_the_model(fake_plex: FakePlexServer, tv: ShowSection) -> None:
    """What a sync would store equals what the model served (read raw, without reloads)."""
    served = {e.ratingKey: e for e in tv.search(libtype="episode", container_size=1000)}
    for model in fake_plex.data.episodes(2):
        attrib = served[model.rating_key]._data.attrib
        assert attrib["title"] == model.title
        assert attrib["guid"] == model.guid
        assert attrib.get("contentRating") == model.content_rating
        assert int(attrib["index"]) == model.index
        assert int(attrib["parentIndex"]) == model.season.index
        assert int(attrib["grandparentRatingKey"]) == model.show.rating_key
        assert int(attrib["updatedAt"]) == model.updated_at
        part = served[model.rating_key]._data.find("Media/Part")
        assert part is not None
        assert part.attrib["file"] == model.media[0].parts[0].file


# ---------------------------------------------------------------------------- detail
def test_fetch_items_many_keys_with_markers_and_chapters(
    fake_plex: FakePlexServer, plex: PlexServer
) -> None:
    fake_plex.clear_requests()
    items = plex.fetchItems("/library/metadata/1,2,3?includeMarkers=1&includeChapters=1")
    assert fake_plex.count_requests() == 1
    assert [i.ratingKey for i in items] == [1, 2, 3]
    for item in items:
        model = fake_plex.data.item(item.ratingKey)
        assert isinstance(item, Movie) and isinstance(model, FakeMovie)
        assert [p.file for p in item.iterParts()] == [p.file for m in model.media for p in m.parts]
        assert [(int(c.attrib["startTimeOffset"]), c.attrib["tag"])
                for c in item._data.findall("Chapter")] == [
            (c.start, c.tag) for c in model.chapters
        ]  # fmt: skip
        assert [(m.attrib["type"], int(m.attrib["endTimeOffset"]))
                for m in item._data.findall("Marker")] == [
            (m.type, m.end) for m in model.markers
        ]  # fmt: skip
        assert item.media[0].parts[0].streams  # detail views carry streams
        assert [g.id for g in item.guids] == model.external_guids
    assert fake_plex.count_requests() == 1  # nothing above needed a reload


def test_detail_without_includes_omits_markers(fake_plex: FakePlexServer, plex: PlexServer) -> None:
    episode_model = next(e for e in fake_plex.data.episodes(2) if e.markers)
    plain = _xml(fake_plex, f"/library/metadata/{episode_model.rating_key}")
    assert plain.find("Video/Marker") is None
    assert plain.find("Video/Media/Part/Stream") is not None
    full = plex.fetchItem(f"/library/metadata/{episode_model.rating_key}?includeMarkers=1")
    assert isinstance(full, Episode)
    assert full.hasIntroMarker
    assert [(m.type, m.start, m.end) for m in full.markers] == [
        (m.type, m.start, m.end) for m in episode_model.markers
    ]


def test_listing_items_auto_reload_missing_attributes(
    fake_plex: FakePlexServer, tv: ShowSection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Partial objects fetch their detail when an attribute is empty: one request each."""
    episodes = tv.search(libtype="episode", maxresults=3)
    fake_plex.clear_requests()
    assert all(e.markers is not None for e in episodes)
    assert fake_plex.count_requests("/library/metadata/") == 3
    monkeypatch.setenv("PLEXAPI_PLEXAPI_AUTORELOAD", "false")
    fake_plex.clear_requests()
    quiet = tv.search(libtype="episode", maxresults=3)
    assert all(e.markers == [] for e in quiet)
    assert fake_plex.count_requests("/library/metadata/") == 0


def test_multi_part_and_multi_version_items(
    fake_plex: FakePlexServer, movies: MovieSection
) -> None:
    served = {m.ratingKey: m for m in movies.all()}
    two_parts = [m for m in fake_plex.data.movies(1) if len(m.media[0].parts) == 2]
    two_media = [m for m in fake_plex.data.movies(1) if len(m.media) == 2]
    assert two_parts and two_media
    movie = served[two_parts[0].rating_key]
    assert [p.file for p in movie.media[0].parts] == [p.file for p in two_parts[0].media[0].parts]
    assert sum(p.duration for p in movie.media[0].parts) == two_parts[0].duration
    versions = served[two_media[0].rating_key].media
    assert [(m.videoResolution, m.container) for m in versions] == [("1080", "mkv"), ("720", "mp4")]


def test_non_ascii_and_xml_special_titles_round_trip(
    fake_plex: FakePlexServer, movies: MovieSection
) -> None:
    titles = {m.ratingKey: m.title for m in movies.all()}
    for model in fake_plex.data.movies(1):
        assert titles[model.rating_key] == model.title
    assert any(t in UNICODE_TITLES for t in titles.values())
    assert any(not t.isascii() for t in titles.values())
    weird = fake_plex.data.change_item(1, title='Café ☕ & <Friends> "Live"', summary="a\nb")
    assert movies.fetchItem(1).title == weird.title
    assert movies.fetchItem(1).summary == "a\nb"
    assert movies.get("Amélie").title == "Amélie"


def test_children_and_parents(fake_plex: FakePlexServer, tv: ShowSection) -> None:
    show_model = fake_plex.data.shows(2)[0]
    show = tv.all()[0]
    assert show.ratingKey == show_model.rating_key
    assert show.childCount == len(show_model.seasons)
    assert [s.index for s in show.seasons()] == [s.index for s in show_model.seasons]
    season = show.season(season=2)
    assert [e.index for e in season.episodes()] == [e.index for e in show_model.seasons[1].episodes]
    assert len(show.episodes()) == len(list(show_model.episodes()))
    episode = season.episodes()[0]
    assert episode.show().ratingKey == show_model.rating_key
    assert episode.season().ratingKey == show_model.seasons[1].rating_key
    assert show.locations == [show_model.location]


def test_search_with_updated_at_filter_and_sort(fake_plex: FakePlexServer, tv: ShowSection) -> None:
    data = fake_plex.data
    newest = sorted(data.episodes(2), key=lambda e: e.updated_at, reverse=True)
    cutoff = newest[2].updated_at
    found = tv.search(
        libtype="episode",
        sort="updatedAt:desc",
        filters={"updatedAt>>=": datetime.fromtimestamp(cutoff)},
    )
    assert [e.ratingKey for e in found] == [e.rating_key for e in newest if e.updated_at >= cutoff]
    request = fake_plex.requests[-1]
    assert request.query["episode.updatedAt>>"] == str(cutoff)
    assert request.query["sort"] == "episode.updatedAt:desc"


def test_raw_filter_spellings(fake_plex: FakePlexServer) -> None:
    data = fake_plex.data
    cutoff = sorted(e.updated_at for e in data.episodes(2))[-3]
    expected = {str(e.rating_key) for e in data.episodes(2) if e.updated_at >= cutoff}
    for query in (f"updatedAt>={cutoff}", f"updatedAt%3E%3E={cutoff}",
                  f"episode.updatedAt%3E%3E={cutoff}"):  # fmt: skip
        response = requests.get(
            f"{fake_plex.url}/library/sections/2/all?type=4&{query}",
            headers={"X-Plex-Token": TOKEN},
            timeout=5,
        )
        assert {v.attrib["ratingKey"] for v in ET.fromstring(response.content)} == expected
    bad = _raw(fake_plex, "/library/sections/2/all", type=4, **{"noSuchField>>": 1})
    assert bad.status_code == 400


# ---------------------------------------------------------------------------- mutations
def test_changes_show_up_on_the_next_request(
    fake_plex: FakePlexServer, movies: MovieSection
) -> None:
    data = fake_plex.data
    before = data.item(2).updated_at
    section_before = data.section(1).updated_at
    first = movies.all()  # renders and caches every listing fragment
    assert first[1].title == data.item(2).title
    data.change_item(2, title="Renamed", contentRating=None)
    again = {m.ratingKey: m for m in movies.all()}
    assert again[2].title == "Renamed"
    assert "contentRating" not in again[2]._data.attrib
    assert data.item(2).updated_at > before
    assert int(again[2].updatedAt.timestamp()) == data.item(2).updated_at
    assert data.section(1).updated_at >= max(section_before, data.item(2).updated_at)


def test_add_and_remove_items(fake_plex: FakePlexServer, plex: PlexServer) -> None:
    data = fake_plex.data
    movies = plex.library.sectionByID(1)
    tv = plex.library.sectionByID(2)
    count = movies.totalViewSize()
    new_movie = data.add_movie(1, title="Ōkami Returns")
    assert movies.totalViewSize() == count + 1
    assert plex.fetchItem(new_movie).title == "Ōkami Returns"

    show = data.shows(2)[0]
    episodes = tv.totalViewSize(libtype="episode")
    new_episode = data.add_episode(show.rating_key, season_index=3, title="Brand New")
    assert tv.totalViewSize(libtype="episode") == episodes + 1
    assert tv.totalViewSize(libtype="season") == len(data.seasons(2))
    fetched = plex.fetchItem(new_episode)
    assert (fetched.parentIndex, fetched.index, fetched.title) == (3, 1, "Brand New")
    assert tv.fetchItem(show.rating_key).leafCount == len(list(show.episodes()))

    data.remove_item(new_movie)
    with pytest.raises(NotFound):
        plex.fetchItem(new_movie)
    assert movies.totalViewSize() == count
    data.remove_item(show.rating_key)
    assert tv.totalViewSize(libtype="episode") == len(data.episodes(2))
    assert show.rating_key not in data.items


def test_newly_added_items_pass_an_updated_since_filter(
    fake_plex: FakePlexServer, tv: ShowSection
) -> None:
    since = int(time.time()) - 1
    show = fake_plex.data.shows(2)[1]
    added = fake_plex.data.add_episode(show.rating_key, season_index=1)
    changed = fake_plex.data.episodes(2)[0].rating_key
    fake_plex.data.change_item(changed, summary="edited")
    found = tv.search(libtype="episode", filters={"updatedAt>>=": datetime.fromtimestamp(since)})
    assert {e.ratingKey for e in found} == {added, changed}


def test_mutations_while_paging_are_safe(fake_plex: FakePlexServer, tv: ShowSection) -> None:
    data = fake_plex.data
    keys = [e.rating_key for e in data.episodes(2)]
    stop = threading.Event()
    changes: list[int] = []

    def mutate() -> None:
        n = 0
        while not stop.wait(0.001):
            data.change_item(keys[n % len(keys)], title=f"t{n}")
            changes.append(n)
            n += 1

    worker = threading.Thread(target=mutate)
    worker.start()
    try:
        for _ in range(20):
            assert len(tv.search(libtype="episode", container_size=3)) == len(keys)
    finally:
        stop.set()
        worker.join()
    assert changes
    assert fake_plex.errors == []


def test_change_item_rejects_unknown_fields(fake_plex_data: FakePlexData) -> None:
    with pytest.raises(TypeError):
        fake_plex_data.change_item(1, no_such_field=1)
    with pytest.raises(KeyError):
        fake_plex_data.change_item(999_999, title="x")


# ---------------------------------------------------------------------------- faults
@pytest.mark.parametrize(
    ("status", "error"), [(401, Unauthorized), (404, NotFound), (500, BadRequest)]
)
def test_status_faults_raise_plexapi_errors(
    fake_plex: FakePlexServer, plex: PlexServer, status: int, error: type[Exception]
) -> None:
    fault = fake_plex.fail(status, times=1, path="/library/sections")
    with pytest.raises(error):
        plex.query("/library/sections")
    assert fault.exhausted
    plex.query("/library/sections")  # the fault was used up


def test_faults_only_hit_matching_paths(fake_plex: FakePlexServer, plex: PlexServer) -> None:
    fake_plex.fail(500, regex=r"/library/metadata/\d+$")
    plex.query("/library/sections")
    with pytest.raises(BadRequest):
        plex.fetchItem(1)
    plex.query("/library/metadata/1/children")
    fake_plex.clear_faults()
    assert plex.fetchItem(1).ratingKey == 1


def test_fault_on_the_second_page_only(fake_plex: FakePlexServer, tv: ShowSection) -> None:
    fake_plex.fail(500, times=1, path="X-Plex-Container-Start=4")
    with pytest.raises(BadRequest):
        # query-string paging makes the page visible in the fault's target
        tv.fetchItems("/library/sections/2/all?type=4&X-Plex-Container-Start=4")
    assert len(tv.search(libtype="episode", container_size=4)) == len(fake_plex.data.episodes(2))


def test_slow_response_trips_client_timeout(fake_plex: FakePlexServer) -> None:
    impatient = PlexServer(fake_plex.url, TOKEN, timeout=0.3)
    fake_plex.slow(3.0, times=1, path="/library/sections")
    started = time.monotonic()
    with pytest.raises(requests.exceptions.Timeout):
        impatient.query("/library/sections")
    assert time.monotonic() - started < 2.0
    assert impatient.query("/library/sections") is not None  # later requests are fine


def test_truncated_and_invalid_bodies_fail_to_parse(
    fake_plex: FakePlexServer, plex: PlexServer
) -> None:
    fake_plex.truncate(times=1)
    with pytest.raises(ET.ParseError):
        plex.query("/library/sections")
    fake_plex.invalid_body(times=1)
    with pytest.raises(ET.ParseError):
        plex.library.sectionByID(2).all()


def test_dropped_and_reset_connections(fake_plex: FakePlexServer, plex: PlexServer) -> None:
    fake_plex.drop_connection(times=1)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        plex.query("/library/sections")
    fake_plex.reset_connection(times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        plex.query("/library/sections")
    assert plex.query("/library/sections") is not None
    assert [r.fault for r in fake_plex.requests[-3:]] == ["drop", "reset", None]


def test_request_log_hides_the_token(fake_plex: FakePlexServer, plex: PlexServer) -> None:
    tv = plex.library.sectionByID(2)
    fake_plex.clear_requests()
    tv.search(libtype="episode", maxresults=2)
    requests.get(f"{fake_plex.url}/library?X-Plex-Token={TOKEN}", timeout=5)
    log = fake_plex.requests
    assert [r.path for r in log] == ["/library/sections/2/all", "/library"]
    assert all(r.authorized and r.status == 200 and r.method == "GET" for r in log)
    for record in log:
        assert TOKEN not in record.target
        assert "X-Plex-Token" not in record.query
        assert all(TOKEN not in v for v in record.headers.values())
    assert log[0].param("X-Plex-Container-Size") == "2"


# ---------------------------------------------------------------------------- generator
def test_generator_is_deterministic_and_varied() -> None:
    a = generate_library(seed=7, movies=60, shows=6, seasons_per_show=2, episodes_per_season=6)
    b = generate_library(seed=7, movies=60, shows=6, seasons_per_show=2, episodes_per_season=6)
    assert [(i.guid, i.title) for i in a.items.values()] == [
        (i.guid, i.title) for i in b.items.values()
    ]
    assert a.counts() == {"movie": 60, "show": 6, "season": 12, "episode": 72}
    ratings = {i.content_rating for i in a.items.values()}
    assert {"G", "PG", "PG-13", "R", "TV-Y", "TV-MA", None} <= ratings
    assert len({i.rating_key for i in a.items.values()}) == len(a.items)
    assert all(i.guid.startswith(f"plex://{i.TYPE}/") for i in a.items.values())
    movies = a.movies()
    assert any(len(m.media) == 2 for m in movies)
    assert any(len(m.media[0].parts) == 2 for m in movies)
    assert any(m.chapters for m in movies)
    episodes = [i for i in a.items.values() if isinstance(i, FakeEpisode)]
    assert any(e.markers and e.markers[0].type == "intro" for e in episodes)
    assert any(not t.isascii() for t in (i.title for i in a.items.values()))
    assert any(i.external_guids and i.external_guids[0].startswith("imdb://tt") for i in movies)
    nas = [s for s in a.shows() if s.section_key == 4]
    assert nas and all(s.location[1:3] == ":\\" or s.location.startswith("\\\\") for s in nas)


def test_episode_count_options() -> None:
    total = generate_library(seed=1, movies=0, shows=3, total_episodes=10, windows_shows=0)
    assert total.counts()["episode"] == 10
    per_show = generate_library(seed=1, movies=0, shows=3, episodes_per_show=7, seasons_per_show=3)
    assert [len(list(s.episodes())) for s in per_show.shows()] == [7, 7, 7]
    assert all(isinstance(s, FakeShow) for s in per_show.shows())


@pytest.fixture(scope="module")
def big_library() -> tuple[FakePlexData, float]:
    started = time.perf_counter()
    data = generate_library(seed=42, movies=2000, shows=400, episodes_per_show=50, windows_shows=0)
    return data, time.perf_counter() - started


def test_large_library_generates_fast(big_library: tuple[FakePlexData, float]) -> None:
    data, seconds = big_library
    assert data.counts()["episode"] == 20_000
    assert data.counts()["movie"] == 2_000
    assert seconds < 5.0


def test_large_flat_listing_pages_fast(big_library: tuple[FakePlexData, float]) -> None:
    data, _ = big_library
    with FakePlexServer(data, token=TOKEN) as server:
        session = requests.Session()
        started = time.perf_counter()
        seen = 0
        for start in range(0, 20_000, 5_000):
            response = session.get(
                f"{server.url}/library/sections/2/all",
                params={"type": 4, "includeGuids": 1},
                headers={"X-Plex-Token": TOKEN, "X-Plex-Container-Start": str(start),
                         "X-Plex-Container-Size": "5000"},
                timeout=30,
            )  # fmt: skip
            root = ET.fromstring(response.content)
            assert root.attrib["totalSize"] == "20000"
            seen += len(root)
        first_pass = time.perf_counter() - started
        started = time.perf_counter()
        for start in range(0, 20_000, 5_000):
            session.get(
                f"{server.url}/library/sections/2/all",
                params={"type": 4, "includeGuids": 1, "X-Plex-Container-Start": start,
                        "X-Plex-Container-Size": 5000},
                headers={"X-Plex-Token": TOKEN},
                timeout=30,
            ).raise_for_status()  # fmt: skip
        cached_pass = time.perf_counter() - started
    assert seen == 20_000
    assert first_pass < 10.0
    assert cached_pass < 2.0


# ---------------------------------------------------------------------------- other process
def test_module_runs_a_server_in_another_process() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakeplex", "--movies", "3", "--shows", "2",
         "--episodes-per-show", "3", "--seed", "5", "--token", "other-token", "--port", "0"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        plex = PlexServer(url, "other-token", timeout=5)
        assert plex.library.sectionByID(2).totalViewSize(libtype="episode") == 6
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0


def test_fixture_server_is_running(fake_plex: FakePlexServer) -> None:
    assert requests.get(fake_plex.url + "/identity", timeout=5).status_code == 401
    assert _xml(fake_plex, "/identity").attrib["machineIdentifier"]
