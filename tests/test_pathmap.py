"""Path mapping: a table of real-world cases, properties, refusals and the store helpers."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from retrovue_desktop.media import pathmap
from retrovue_desktop.media.errors import MappingError, MediaError
from retrovue_desktop.media.pathmap import (
    PathMapping,
    add_mapping,
    canonical_uri,
    check_mapping,
    library_locations,
    load_mappings,
    map_path,
    mapping_rows,
    remove_mapping,
)
from retrovue_desktop.store import models as m
from retrovue_desktop.store.engine import make_session_factory
from tests.builders import migrated_engine

# Local paths below are POSIX paths: the suite runs on Linux (and macOS).
pytestmark = pytest.mark.skipif(os.sep != "/", reason="expected local paths use /")

NFD_MEDIAS = unicodedata.normalize("NFD", "/médias")

CASES = [
    # (why, plex path, [(plex prefix, local prefix)], windows server, expected)
    ("simple", "/media/tv/Show/S01/e01.mkv", [("/media/tv", "/mnt/tv")], False,
     "/mnt/tv/Show/S01/e01.mkv"),
    ("nested: longest wins", "/media/tv/x.mkv",
     [("/media", "/mnt/all"), ("/media/tv", "/mnt/tv")], False, "/mnt/tv/x.mkv"),
    ("nested, listed the other way", "/media/tv/x.mkv",
     [("/media/tv", "/mnt/tv"), ("/media", "/mnt/all")], False, "/mnt/tv/x.mkv"),
    ("nested: the shorter one covers the rest", "/media/movies/y.mkv",
     [("/media", "/mnt/all"), ("/media/tv", "/mnt/tv")], False, "/mnt/all/movies/y.mkv"),
    ("longest by segments, not characters", "/a/b/c/x.mkv",
     [("/a/bbbbbbbb", "/one"), ("/a/b/c", "/two")], False, "/two/x.mkv"),
    ("partial segment never matches", "/media/tv2/x.mkv", [("/media/tv", "/mnt/tv")], False,
     None),
    ("partial segment with a longer sibling", "/media/tv2/x.mkv",
     [("/media/tv", "/mnt/tv"), ("/media", "/mnt/all")], False, "/mnt/all/tv2/x.mkv"),
    ("trailing separators do not matter", "/media/tv/x.mkv", [("/media/tv/", "/mnt/tv/")],
     False, "/mnt/tv/x.mkv"),
    ("the prefix itself", "/media/tv", [("/media/tv", "/mnt/tv")], False, "/mnt/tv"),
    ("doubled separators in Plex's path", "/media//tv///x.mkv", [("/media/tv", "/mnt/tv")],
     False, "/mnt/tv/x.mkv"),
    ("Linux server: case matters", "/Media/TV/x.mkv", [("/media/tv", "/mnt/tv")], False, None),
    ("Linux server: a backslash is a character", "/media/tv/a\\b.mkv",
     [("/media/tv", "/mnt/tv")], False, "/mnt/tv/a\\b.mkv"),
    ("root prefix", "/x/y.mkv", [("/", "/srv")], False, "/srv/x/y.mkv"),
    ("root local folder", "/data/x.mkv", [("/data", "/")], False, "/x.mkv"),
    ("no mappings", "/media/tv/x.mkv", [], False, None),
    ("unicode kept exactly", "/médias/Séries/Amélie · 1 ✓.mkv", [("/médias", "/mnt/médias")],
     False, "/mnt/médias/Séries/Amélie · 1 ✓.mkv"),
    ("unicode: a decomposed prefix matches a composed path", "/médias/Été.mkv",
     [(NFD_MEDIAS, "/mnt/m")], False, "/mnt/m/Été.mkv"),
    ("Windows drive letter", "D:\\TV\\Show\\e01.mkv", [("D:\\TV", "/mnt/d")], True,
     "/mnt/d/Show/e01.mkv"),
    ("Windows: case-insensitive, the rest keeps Plex's case", "d:\\tv\\show\\E01.mkv",
     [("D:\\TV", "/mnt/d")], True, "/mnt/d/show/E01.mkv"),
    ("Windows: forward slashes in the prefix", "D:\\TV\\a.mkv", [("D:/TV/", "/mnt/d")], True,
     "/mnt/d/a.mkv"),
    ("Windows: forward slashes in the path", "D:/TV/Show/a.mkv", [("D:\\TV", "/mnt/d")], True,
     "/mnt/d/Show/a.mkv"),
    ("Windows: partial segment", "D:\\TV2\\a.mkv", [("D:\\TV", "/mnt/d")], True, None),
    ("Windows: another drive", "E:\\TV\\a.mkv", [("D:\\TV", "/mnt/d")], True, None),
    ("Windows: whole drive", "D:\\TV\\a.mkv", [("D:\\", "/mnt/d")], True, "/mnt/d/TV/a.mkv"),
    ("Windows: UNC share", "\\\\NAS\\Media\\TV\\a b.mkv", [("\\\\nas\\media", "/mnt/nas")],
     True, "/mnt/nas/TV/a b.mkv"),
    ("Windows: UNC partial share name", "\\\\NAS\\Media2\\a.mkv",
     [("\\\\NAS\\Media", "/mnt/nas")], True, None),
    ("Windows: UNC prefix does not map a drive path", "C:\\NAS\\Media\\a.mkv",
     [("\\\\NAS\\Media", "/mnt/nas")], True, None),
    ("Windows: UNC written with slashes", "//NAS/Media/a.mkv", [("\\\\NAS\\Media", "/mnt/nas")],
     True, "/mnt/nas/a.mkv"),
    ("Windows: unicode case-folded", "C:\\ÉMISSIONS\\Été.mkv", [("c:\\émissions", "/mnt/e")],
     True, "/mnt/e/Été.mkv"),
    ("Windows: nested, longest wins", "D:\\TV\\Kids\\a.mkv",
     [("D:\\TV", "/mnt/tv"), ("d:\\tv\\kids", "/mnt/kids")], True, "/mnt/kids/a.mkv"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("plex_path", "mappings", "windows", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_map_path_cases(
    plex_path: str, mappings: list[tuple[str, str]], windows: bool, expected: str | None
) -> None:
    given_mappings = [PathMapping(plex, local) for plex, local in mappings]
    assert map_path(plex_path, given_mappings, windows_server=windows) == expected


def test_same_prefix_twice_first_wins() -> None:
    mappings = [PathMapping("/media/tv", "/first"), PathMapping("/media/tv/", "/second")]
    assert map_path("/media/tv/x", mappings, windows_server=False) == "/first/x"


def test_the_prefix_is_cut_by_position_not_replaced() -> None:
    """A string replace would also rewrite the prefix's text further along the path."""
    mappings = [PathMapping("/tv", "/mnt/tv")]
    assert map_path("/tv/tv/tv.mkv", mappings, windows_server=False) == "/mnt/tv/tv/tv.mkv"
    windows = [PathMapping("C:\\TV", "/mnt/c")]
    assert map_path("c:\\tv\\TV\\tv.mkv", windows, windows_server=True) == "/mnt/c/TV/tv.mkv"


SEGMENT = st.text(
    st.characters(blacklist_characters="/\\\x00", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=12,
).filter(lambda s: s not in (".", ".."))


@given(
    prefix=st.lists(SEGMENT, min_size=1, max_size=4),
    rest=st.lists(SEGMENT, min_size=0, max_size=5),
    local=st.lists(SEGMENT, min_size=1, max_size=4),
    trailing=st.booleans(),
)
def test_mapped_path_starts_with_local_prefix_and_keeps_the_rest(
    prefix: list[str], rest: list[str], local: list[str], trailing: bool
) -> None:
    local_prefix = "/" + "/".join(local)
    plex_prefix = "/" + "/".join(prefix) + ("/" if trailing else "")
    plex_path = "/" + "/".join(prefix + rest)
    mapped = map_path(plex_path, [PathMapping(plex_prefix, local_prefix)], windows_server=False)
    assert mapped is not None
    assert mapped.startswith(local_prefix)
    assert mapped == "/".join([local_prefix, *rest])


@given(
    prefix=st.lists(SEGMENT, min_size=1, max_size=3),
    rest=st.lists(SEGMENT, min_size=1, max_size=4),
    drive=st.sampled_from("CDEZ"),
    flip=st.booleans(),
)
def test_windows_paths_map_whatever_the_case_and_separators(
    prefix: list[str], rest: list[str], drive: str, flip: bool
) -> None:
    plex_prefix = f"{drive}:\\" + "\\".join(prefix)
    shown = [s.swapcase() if flip else s for s in prefix]
    plex_path = f"{drive.lower()}:/" + "/".join(shown + rest)
    mapped = map_path(plex_path, [PathMapping(plex_prefix, "/mnt/w")], windows_server=True)
    if all(s.casefold() == t.casefold() for s, t in zip(prefix, shown, strict=True)):
        assert mapped == "/".join(["/mnt/w", *rest])


@given(prefix=st.lists(SEGMENT, min_size=1, max_size=3), extra=SEGMENT, rest=st.lists(SEGMENT))
def test_a_longer_last_segment_never_matches(
    prefix: list[str], extra: str, rest: list[str]
) -> None:
    plex_path = "/" + "/".join([*prefix[:-1], prefix[-1] + extra, *rest])
    mapping = PathMapping("/" + "/".join(prefix), "/mnt/x")
    assert map_path(plex_path, [mapping], windows_server=False) is None


# -- canonical_uri ---------------------------------------------------------------------------


def test_canonical_uri_examples() -> None:
    assert canonical_uri("/mnt/tv/a b/é#?%.mkv") == "file:///mnt/tv/a%20b/%C3%A9%23%3F%25.mkv"
    assert canonical_uri("/mnt/tv/./x/../y.mkv") == "file:///mnt/tv/y.mkv"
    assert canonical_uri("/") == "file:///"


@given(st.lists(SEGMENT, min_size=1, max_size=5))
def test_canonical_uri_is_pathlibs_for_absolute_paths(segments: list[str]) -> None:
    path = "/" + "/".join(segments)
    assert canonical_uri(path) == Path(os.path.abspath(path)).as_uri()


# -- check_mapping ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plex", "local", "words"),
    [
        ("", "/tmp", "The Plex folder is empty"),
        ("   ", "/tmp", "The Plex folder is empty"),
        ("data/tv", "/tmp", "is not a full Plex path"),
        ("/data/tv", "", "The local folder is empty"),
        ("/data/tv", "mnt/tv", "is a relative path"),
        ("/data/tv", "/nonexistent/retrovue/tv", "does not exist on this computer"),
    ],
)
def test_check_mapping_refusals(plex: str, local: str, words: str) -> None:
    with pytest.raises(MappingError, match=words) as caught:
        check_mapping(plex, local)
    assert isinstance(caught.value, MediaError) and caught.value.detail


def test_check_mapping_refuses_a_file_and_accepts_folders(tmp_path: Path) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(MappingError, match="is a file, not a folder"):
        check_mapping("/data/tv", str(a_file))
    for plex in ("/data/tv", "D:\\TV", "d:/tv", "\\\\NAS\\share"):
        check_mapping(plex, str(tmp_path))


# -- store helpers ---------------------------------------------------------------------------


def _plex_library(session: Session, platform: str, key: str = "1") -> int:
    server_id = session.execute(
        insert(m.PlexServer)
        .values(name=f"{platform} box {key}", platform=platform, machine_identifier=key)
        .returning(m.PlexServer.id)
    ).scalar_one()
    library_id = session.execute(
        insert(m.Library)
        .values(
            server_id=server_id, plex_library_key=key, title=f"TV {key}", library_type="show",
            locations_json=json.dumps(["D:\\TV", "\\\\NAS\\Media\\TV"]),
        )
        .returning(m.Library.id)
    ).scalar_one()  # fmt: skip
    return int(library_id)


def test_store_helpers(db_url: str, tmp_path: Path) -> None:
    engine = migrated_engine(db_url)
    sessions = make_session_factory(engine)
    (tmp_path / "tv" / "Show").mkdir(parents=True)
    (tmp_path / "tv" / "Show" / "e01.mkv").write_bytes(b"x")
    with sessions() as session, session.begin():
        windows_lib = _plex_library(session, "Windows", "1")
        linux_lib = _plex_library(session, "Linux", "2")
        local_lib = session.execute(
            insert(m.Library)
            .values(source="local", root_path=str(tmp_path), title="Ads", library_type="ad")
            .returning(m.Library.id)
        ).scalar_one()
        first = add_mapping(session, windows_lib, "D:\\TV", str(tmp_path / "tv"))
        second = add_mapping(session, windows_lib, "  \\\\NAS\\Media\\TV\n", str(tmp_path))
        # Same prefix on Windows terms: other case, other separators, a trailing one.
        with pytest.raises(MappingError, match="already maps D:\\\\TV"):
            add_mapping(session, windows_lib, "d:/tv/", str(tmp_path))
        # On a Linux server those are different folders.
        add_mapping(session, linux_lib, "/media/tv", str(tmp_path))
        add_mapping(session, linux_lib, "/Media/TV", str(tmp_path))
        with pytest.raises(MappingError, match="already maps /media/tv"):
            add_mapping(session, linux_lib, "/media/tv/", str(tmp_path))
        with pytest.raises(MappingError, match="local folder library"):
            add_mapping(session, local_lib, "/data", str(tmp_path))
        with pytest.raises(MappingError, match="does not exist"):
            add_mapping(session, windows_lib, "E:\\", str(tmp_path / "nope"))

    with sessions() as session:
        mappings, windows = load_mappings(session, windows_lib)
        assert windows is True
        assert mappings == [
            PathMapping("D:\\TV", str(tmp_path / "tv")),
            PathMapping("\\\\NAS\\Media\\TV", str(tmp_path)),
        ]
        assert load_mappings(session, linux_lib)[1] is False
        assert load_mappings(session, local_lib) == ([], False)
        assert [r.id for r in mapping_rows(session, windows_lib)] == [first, second]
        assert library_locations(session, windows_lib) == ["D:\\TV", "\\\\NAS\\Media\\TV"]
        assert library_locations(session, local_lib) == []

        found = pathmap.test_path(session, windows_lib, "d:\\tv\\Show\\e01.mkv")
        assert found == pathmap.PathTest(str(tmp_path / "tv" / "Show" / "e01.mkv"), True, None)
        absent = pathmap.test_path(session, windows_lib, "D:\\TV\\Show\\e02.mkv")
        assert absent.local_path == str(tmp_path / "tv" / "Show" / "e02.mkv")
        assert absent.exists is False and absent.reason == "Nothing is there."
        unmapped = pathmap.test_path(session, windows_lib, "E:\\Movies\\x.mkv")
        assert unmapped.local_path is None and not unmapped.exists

    with sessions() as session, session.begin():
        session.execute(update(m.Library).values(locations_json="not json"))
        assert library_locations(session, windows_lib) == []
        assert remove_mapping(session, first) is True
        assert remove_mapping(session, first) is False
    with sessions() as session:
        assert [r.id for r in mapping_rows(session, windows_lib)] == [second]
    engine.dispose()
