"""The Content tab's query against an independent Python computation, on both backends.

A few thousand items are inserted straight into the migrated schema; the expected ids of
every filter and sort are computed in Python from the raw tables, never through the code
under test.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop import ratings
from retrovue_desktop.store import models as m
from retrovue_desktop.store.catalog import CONTENT_KINDS
from retrovue_desktop.store.content_query import (
    AVAILABILITY_ORDER,
    RATING_CODES,
    SORT_KEYS,
    ContentFilter,
    ContentRow,
    fetch_rows,
    library_choices,
    select_ids,
    tag_choices,
)

ITEMS = 2_500
WORDS = ("castle", "River", "summer", "NIGHT", "dragon", "garden", "Robot", "planet", "ocean")
CODES = (*RATING_CODES, None, "XYZ")
TAGS = [(ns, k) for ns in ("genre", "holiday", "tone") for k in ("comedy", "christmas", "dark")]
STATES = ("ok", "unknown", "unmapped", "missing", "unreadable", "size_mismatch",
          "probe_mismatch", "gone")  # fmt: skip
PROBLEMS = {"unmapped", "missing", "unreadable", "size_mismatch", "probe_mismatch", "gone"}


@dataclass
class Catalogue:
    """What was inserted, read back as plain Python values (the independent side)."""

    items: dict[int, dict[str, Any]] = field(default_factory=dict)
    libraries: dict[int, str] = field(default_factory=dict)


def _build(sessions: sessionmaker[Session], seed: int = 11) -> None:
    rng = random.Random(seed)
    with sessions() as s, s.begin():
        s.execute(insert(m.PlexServer), [{"id": 1, "name": "Den"}])
        s.execute(
            insert(m.Library),
            [
                {"id": 1, "server_id": 1, "plex_library_key": "1", "title": "TV Shows",
                 "library_type": "show"},
                {"id": 2, "server_id": 1, "plex_library_key": "2", "title": "movies",
                 "library_type": "movie"},
                {"id": 3, "source": "local", "root_path": "/srv/ads", "title": "Ads",
                 "library_type": "ad"},
            ],
        )  # fmt: skip
        # Two shows share a title: they still sort apart (by show id).
        shows = [{"id": i, "server_id": 1, "library_id": 1, "plex_rating_key": f"s{i}",
                  "title": "Twin" if i in (3, 4) else f"{rng.choice(WORDS)} show {i:02d}"}
                 for i in range(1, 21)]  # fmt: skip
        s.execute(insert(m.Show), shows)
        items, editorial, tags, files, links = [], [], [], [], []
        for i in range(1, ITEMS + 1):
            kind = "episode" if i % 2 else rng.choice(CONTENT_KINDS)
            episode = kind == "episode"
            code = rng.choice(CODES)
            title: str | None = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i:05d}"
            if i % 97 == 0:
                title = None
            if i == 5:
                title = "100% Pure_Gold"
            items.append(
                {
                    "id": i,
                    "kind": kind,
                    "title": title,
                    "synopsis": None if i % 13 == 0 else f"about a {rng.choice(WORDS)} here",
                    "duration_ms": None if i % 17 == 0 else rng.randrange(10, 5000) * 1000,
                    "rating_code": code,
                    "is_kids_friendly": ratings.is_kids_friendly(code),
                    "show_id": rng.randrange(1, 21) if episode else None,
                    "season_number": rng.randrange(1, 4) if episode else None,
                    "episode_number": rng.randrange(1, 30) if episode else None,
                    "library_id": None if i % 101 == 0 else (1 if episode else rng.choice((2, 3))),
                    "gone_from_source_at": 1_700_000_000 if i % 23 == 0 else None,
                }
            )
            if i % 3 == 0:
                editorial.append(
                    {
                        "content_item_id": i,
                        "original_title": title,
                        "override_title": f"Zed {rng.choice(WORDS)} {i}" if i % 9 == 0 else None,
                        "override_synopsis": "an overridden kraken tale" if i % 11 == 0 else None,
                    }
                )
            for namespace, key in rng.sample(TAGS, rng.randrange(0, 4)):
                tags.append({"content_item_id": i, "namespace": namespace, "key": key})
            for n in range(0 if i % 29 == 0 else (2 if i % 31 == 0 else 1)):
                file_id = i * 10 + n
                files.append(
                    {"id": file_id, "library_id": 1, "plex_file_path": f"/f/{file_id}.mkv",
                     "availability": rng.choice(STATES)}
                )  # fmt: skip
                role = "primary" if i % 37 else "alternate"
                links.append({"content_item_id": i, "media_file_id": file_id, "role": role})
        s.execute(insert(m.ContentItem), items)
        s.execute(insert(m.ContentEditorial), editorial)
        s.execute(insert(m.ContentTag), tags)
        s.execute(insert(m.MediaFile), files)
        s.execute(insert(m.ContentItemFile), links)


def _read(engine: Engine) -> Catalogue:
    """The raw tables, joined in Python."""
    cat = Catalogue()
    with engine.connect() as conn:
        shows: dict[int, str] = dict(conn.execute(text("SELECT id, title FROM shows")).all())
        cat.libraries = dict(conn.execute(text("SELECT id, title FROM libraries")).all())
        editorial = {
            r[0]: r[1:]
            for r in conn.execute(
                text(
                    "SELECT content_item_id, override_title, override_synopsis"
                    " FROM content_editorial"
                )
            )
        }
        tags: dict[int, list[str]] = {}
        for item_id, namespace, key in conn.execute(
            text("SELECT content_item_id, namespace, key FROM content_tags")
        ):
            tags.setdefault(item_id, []).append(f"{namespace}:{key}")
        states: dict[int, str] = dict(
            conn.execute(text("SELECT id, availability FROM media_files")).all()
        )
        primary: dict[int, int] = {}
        for item_id, file_id, role in conn.execute(
            text("SELECT content_item_id, media_file_id, role FROM content_item_files")
        ):
            if role == "primary":
                primary[item_id] = min(primary.get(item_id, file_id), file_id)
        for row in conn.execute(text("SELECT * FROM content_items")).mappings():
            item = dict(row)
            override_title, override_synopsis = editorial.get(item["id"], (None, None))
            item["eff_title"] = override_title if override_title is not None else item["title"]
            item["eff_synopsis"] = (
                override_synopsis if override_synopsis is not None else item["synopsis"]
            )
            item["show_title"] = shows.get(item["show_id"])
            item["library_title"] = cat.libraries.get(item["library_id"])
            item["tags"] = sorted(tags.get(item["id"], []))
            file_id = primary.get(item["id"])
            item["availability"] = states[file_id] if file_id is not None else "none"
            cat.items[item["id"]] = item
    return cat


@pytest.fixture
def catalogue(engine: Engine, sessions: sessionmaker[Session]) -> Catalogue:
    _build(sessions)
    return _read(engine)


def _passes(item: dict[str, Any], flt: ContentFilter) -> bool:
    if not flt.include_gone and item["gone_from_source_at"] is not None:
        return False
    if flt.kinds and item["kind"] not in flt.kinds:
        return False
    if flt.library_ids and item["library_id"] not in flt.library_ids:
        return False
    if flt.tag and f"{flt.tag[0]}:{flt.tag[1]}" not in item["tags"]:
        return False
    if flt.rating_ceiling and not ratings.within_ceiling(item["rating_code"], flt.rating_ceiling):
        return False
    if flt.availability:
        state = item["availability"]
        if flt.availability == "problem":
            if state not in PROBLEMS:
                return False
        elif state != flt.availability:
            return False
    fields = [(item[k] or "").lower() for k in ("eff_title", "show_title", "eff_synopsis")]
    return all(any(w.lower() in f for f in fields) for w in flt.text.split())


def _key(item: dict[str, Any], sort: str) -> tuple[Any, ...]:
    lower: Callable[[str | None], str | None] = lambda v: v.lower() if v is not None else None  # noqa: E731
    if sort == "title":
        return ((item["eff_title"] or "").lower(),)
    if sort == "kind":
        return (item["kind"],)
    if sort == "show":
        return (lower(item["show_title"]), item["show_id"])
    if sort == "episode":
        return (lower(item["show_title"]), item["show_id"], item["season_number"],
                item["episode_number"])  # fmt: skip
    if sort == "duration":
        return (item["duration_ms"],)
    if sort == "rating":
        return (ratings.rank(item["rating_code"]),)
    if sort == "kids":
        return (bool(item["is_kids_friendly"]),)
    if sort == "tags":
        return (item["tags"][0] if item["tags"] else None,)
    if sort == "availability":
        return (AVAILABILITY_ORDER.index(item["availability"]),)
    assert sort == "library"
    return (lower(item["library_title"]), item["library_id"])


def _expected(
    cat: Catalogue, flt: ContentFilter, sort: str = "title", desc: bool = False
) -> list[int]:
    """Every key in the direction, empty values last either way, then the id."""
    sign = -1 if desc else 1

    def compare(a: dict[str, Any], b: dict[str, Any]) -> int:
        for x, y in zip(_key(a, sort), _key(b, sort), strict=True):
            if x == y:
                continue
            if x is None or y is None:
                return 1 if x is None else -1
            return sign * (1 if x > y else -1)
        return sign * (1 if a["id"] > b["id"] else -1)

    chosen = [item for item in cat.items.values() if _passes(item, flt)]
    return [item["id"] for item in sorted(chosen, key=functools.cmp_to_key(compare))]


def test_every_sort_key_both_directions(
    sessions: sessionmaker[Session], catalogue: Catalogue
) -> None:
    with sessions() as s:
        for sort, desc in [(k, d) for k in SORT_KEYS for d in (False, True)]:
            got = select_ids(s, ContentFilter(), sort, desc)
            assert got == _expected(catalogue, ContentFilter(), sort, desc), (sort, desc)
            gone = select_ids(s, ContentFilter(include_gone=True), sort, desc)
            assert gone == _expected(catalogue, ContentFilter(include_gone=True), sort, desc)


FILTERS = [
    ContentFilter(),
    ContentFilter(include_gone=True),
    ContentFilter(text="castle"),
    ContentFilter(text="CASTLE night"),  # every word, any field, any case
    ContentFilter(text="kraken"),  # an overridden synopsis
    ContentFilter(text="zed"),  # an overridden title
    ContentFilter(text="twin"),  # a show title
    ContentFilter(text="100%"),  # LIKE wildcards are literal
    ContentFilter(text="pure_gold"),
    ContentFilter(text="nothing-matches-this"),
    ContentFilter(kinds=("movie",)),
    ContentFilter(kinds=("ad", "bumper", "promo")),
    ContentFilter(library_ids=(2,)),
    ContentFilter(library_ids=(1, 3)),
    ContentFilter(tag=("holiday", "christmas")),
    ContentFilter(tag=("genre", "absent")),
    ContentFilter(rating_ceiling="TV-Y"),
    ContentFilter(rating_ceiling="PG"),
    ContentFilter(rating_ceiling="TV-14"),
    ContentFilter(rating_ceiling="NC-17"),
    ContentFilter(rating_ceiling="BOGUS"),  # an unknown ceiling lets nothing through
    ContentFilter(availability="ok"),
    ContentFilter(availability="problem"),
    ContentFilter(availability="unknown"),
    ContentFilter(availability="missing"),
    ContentFilter(availability="none"),
    ContentFilter(availability="gone", include_gone=True),
    ContentFilter(
        text="river",
        kinds=("episode",),
        library_ids=(1,),
        tag=("tone", "dark"),
        rating_ceiling="TV-MA",
        availability="problem",
        include_gone=True,
    ),
]


def test_every_filter(sessions: sessionmaker[Session], catalogue: Catalogue) -> None:
    with sessions() as s:
        for flt in FILTERS:
            expected = _expected(catalogue, flt)
            assert select_ids(s, flt) == expected, flt
            assert select_ids(s, flt, "duration", True) == _expected(
                catalogue, flt, "duration", True
            ), flt
            if flt.text in ("castle", "100%", "kraken", "zed", "twin") or flt.tag == (
                "holiday",
                "christmas",
            ):
                assert expected, f"the data should make {flt} match something"


def test_fetch_rows_gives_display_values(
    sessions: sessionmaker[Session], catalogue: Catalogue
) -> None:
    ids = [*range(1, 400), 99_999]  # an id that does not exist is simply absent
    with sessions() as s:
        rows = fetch_rows(s, ids)
    assert set(rows) == set(range(1, 400))
    for item_id, row in rows.items():
        item = catalogue.items[item_id]
        assert row == ContentRow(
            id=item_id,
            title=item["eff_title"],
            kind=item["kind"],
            show_title=item["show_title"],
            season_number=item["season_number"],
            episode_number=item["episode_number"],
            duration_ms=item["duration_ms"],
            rating_code=item["rating_code"],
            is_kids_friendly=bool(item["is_kids_friendly"]),
            tags=tuple(item["tags"]),
            availability=item["availability"],
            library_title=item["library_title"],
            gone=item["gone_from_source_at"] is not None,
        )


def test_choices_and_bad_sort(sessions: sessionmaker[Session], catalogue: Catalogue) -> None:
    with sessions() as s:
        assert library_choices(s) == [(3, "Ads"), (2, "movies"), (1, "TV Shows")]
        carried = sorted({tuple(t.split(":")) for i in catalogue.items.values() for t in i["tags"]})
        assert tag_choices(s) == carried
        with pytest.raises(ValueError, match="unknown sort key"):
            select_ids(s, ContentFilter(), "colour")
