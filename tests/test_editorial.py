"""Editorial overrides over source text: set, revert, and surviving a Plex resync."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, outerjoin, select
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.store import models as m
from retrovue_desktop.store.editorial import (
    EditorialView,
    editorial_of,
    effective_title,
    revert_to_source,
    set_override,
)
from retrovue_desktop.store.errors import StoreError
from retrovue_desktop.store.tables import CI, ED
from tests.builders import add, station
from tests.fakeplex import FakePlexServer
from tests.sync_helpers import make_station, snapshot


def test_set_override_then_revert(engine: Engine, sessions: sessionmaker[Session]) -> None:
    ids = station(engine)  # source title "Give Me a Ring", no synopsis
    item = ids["item"]
    with sessions() as s, s.begin():
        view = set_override(s, item, "  Our Title ", "   ", now=1_700_000_000)
    assert view == EditorialView(
        item_id=item,
        source_name="plex",
        source_title="Give Me a Ring",
        source_synopsis=None,
        override_title="Our Title",
        override_synopsis=None,
        override_updated_at=1_700_000_000,
        payload_json=None,
    )
    assert (view.title, view.synopsis, view.overridden) == ("Our Title", None, True)
    with sessions() as s, s.begin():
        view = set_override(s, item, "", "Our words.", now=1_700_000_100)
    assert (view.title, view.synopsis) == ("Give Me a Ring", "Our words.")
    with sessions() as s, s.begin():
        view = revert_to_source(s, item, now=1_700_000_200)
    assert (view.override_title, view.override_synopsis) == (None, None)
    assert (view.title, view.override_updated_at, view.overridden) == (
        "Give Me a Ring",
        1_700_000_200,
        False,
    )
    with sessions() as s:
        assert editorial_of(s, item) == view


def test_an_item_without_editorial_row_gets_one(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    ids = station(engine)
    with sessions() as s, s.begin():
        ad = add(s, m.ContentItem, kind="ad", title="Cola", synopsis="Fizz",
                 library_id=ids["local_library"])  # fmt: skip
        loose = add(s, m.ContentItem, kind="bumper", title="Ident")
    with sessions() as s:
        before = editorial_of(s, ad)
        assert (before.source_name, before.title, before.synopsis) == (None, "Cola", "Fizz")
    with sessions() as s, s.begin():
        view = set_override(s, ad, "Cola (summer)", None, now=5)
        assert revert_to_source(s, loose, now=6).title == "Ident"
    assert (view.source_name, view.source_title, view.source_synopsis) == ("file", "Cola", "Fizz")
    assert (view.title, view.synopsis) == ("Cola (summer)", "Fizz")
    with sessions() as s:
        assert editorial_of(s, loose).source_name == "manual"
        shown: dict[int, str | None] = dict(
            s.execute(
                select(CI.c.id, effective_title()).select_from(
                    outerjoin(CI, ED, ED.c.content_item_id == CI.c.id)
                )
            ).all()
        )
    assert shown[ad] == "Cola (summer)" and shown[loose] == "Ident"


def test_refusals_write_nothing(engine: Engine, sessions: sessionmaker[Session]) -> None:
    ids = station(engine)
    before = snapshot(engine)
    with sessions() as s:
        calls: list[tuple[Callable[[], object], str]] = [
            (lambda: set_override(s, 999_999, "x", None), "no longer in the catalogue"),
            (lambda: revert_to_source(s, 999_999), "no longer in the catalogue"),
            (lambda: editorial_of(s, 999_999), "no longer in the catalogue"),
            (lambda: set_override(s, ids["item"], "two\nlines", None), "one line"),
            (lambda: set_override(s, ids["item"], "x" * 501, None), "at most 500"),
        ]
        for call, sentence in calls:
            with pytest.raises(StoreError, match=sentence):
                call()
        s.commit()
    assert snapshot(engine) == before


def test_override_survives_a_resync_that_retitles(
    db_url: str, fake_plex: FakePlexServer, tmp_path: Path
) -> None:
    station_ = make_station(db_url, fake_plex, tmp_path)
    station_.sync()
    movie = fake_plex.data.movies(1)[0]
    item = station_.scalar(
        "SELECT id FROM content_items WHERE plex_rating_key = :k", k=str(movie.rating_key)
    )
    with station_.sessions() as s, s.begin():
        set_override(s, item, "Our Title", "Our synopsis.", now=1234)
    fake_plex.data.change_item(movie.rating_key, title="Plex Renamed It", summary="New text")
    station_.sync()
    with station_.sessions() as s:
        view = editorial_of(s, item)
    assert (view.source_title, view.source_synopsis) == ("Plex Renamed It", "New text")
    assert (view.override_title, view.override_synopsis, view.override_updated_at) == (
        "Our Title",
        "Our synopsis.",
        1234,
    )
    assert view.title == "Our Title"
    with station_.sessions() as s, s.begin():
        reverted = revert_to_source(s, item)
    assert (reverted.title, reverted.synopsis) == ("Plex Renamed It", "New text")
    station_.engine.dispose()
