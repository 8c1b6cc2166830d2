"""Moving the database: every row of every table arrives unchanged on every backend pair,
the copy is checked, and refusals, failures and cancels leave the source as it was and
remove what they made."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, insert, select, text, update

from retrovue_desktop.scheduling.constraints import SeriesConstraints
from retrovue_desktop.store import models as m
from retrovue_desktop.store.engine import create_engine_for, make_session_factory, sqlite_path
from retrovue_desktop.store.migrations import current_revision, head_revision
from retrovue_desktop.store.relocate import (
    CopyCancelled,
    RelocateError,
    copy_database,
    same_database,
    table_digest,
    tables,
)
from tests.builders import add, migrated_engine, station
from tests.log_builders import Catalogue, block, channel, policy
from tests.playlog_data import fill_play_log

TRICKY_TEXT = "Ünïcödé — 日本語 🎬\nsecond line\r\nthird\ttab \\ ' \" ; DROP TABLE x; --"
BIG = 2**63 - 1


def fill(engine: Engine) -> None:
    """Rows in every table, with NULLs, unicode, line breaks, extreme integers, floats,
    booleans and timestamps with microseconds among them; more rows than one batch."""
    station(engine)
    with make_session_factory(engine)() as s, s.begin():
        fill_play_log(s)
        cat = Catalogue.make(s)
        show_id, episodes = cat.show("Taxi", episodes=12, seconds=1500, seasons=2)
        ad = cat.item("ad", TRICKY_TEXT, 30, tags=("brand:cola", "tone:fizzy"))
        cat.marker(episodes[0], "ad_break", 600)
        one = channel(s, "Ret\u0301ro\nTwo", zone="Europe/London", ceiling="TV-PG", number="7")
        standard = policy(s, "Late night")
        rules = SeriesConstraints((show_id,))
        block_id = block(s, one, "Evening", 2, "18:00", "20:00", "series", rules, standard)
        add(s, m.Tag, namespace="holiday", key="christmas", label=None)
        add(s, m.Tag, namespace="Ä", key="ß", label=TRICKY_TEXT)
        lib = s.scalar(select(m.Library.id).order_by(m.Library.id))
        s.execute(
            insert(m.LibrarySyncLock).values(
                library_id=lib, holder="host:1234", acquired_at=BIG, heartbeat_at=-BIG
            )
        )
        s.execute(
            update(m.MediaFile)
            .where(m.MediaFile.id == cat.files[ad])
            .values(file_size_bytes=BIG, file_mtime_ns=-(2**62), availability_reason=TRICKY_TEXT)
        )
        s.execute(
            update(m.ContentItem)
            .where(m.ContentItem.id == ad)
            .values(
                is_kids_friendly=True,
                synopsis=None,
                external_ids_json='{"imdb": "tt0\\n1"}',
                created_at=datetime(1999, 12, 31, 23, 59, 59, 123456),
            )
        )
        add(
            s, m.MediaMarker, media_file_id=cat.files[ad], marker_kind="cue", start_ms=BIG - 1,
            end_ms=None, label="", source="detected", confidence=0.1 + 0.2,
        )  # fmt: skip
        add(
            s, m.MediaMarker, media_file_id=cat.files[ad], marker_kind="cue", start_ms=0,
            source="detected", confidence=1e-300,
        )  # fmt: skip
        for n, item in enumerate(episodes):
            add(
                s, m.ScheduleInstance, channel_id=one, block_id=block_id, air_date="2026-11-24",
                start_time=f"18:{n:02d}:00", end_time=f"18:{n + 1:02d}:00",
                content_item_id=item, show_id=show_id, pick_strategy="series_next",
                status="approved", notes=TRICKY_TEXT if n % 2 else None,
                starts_at=1_795_000_000 + n * 60, ends_at=None, item_kind="program",
                segment=n % 3 + 1, offset_ms=BIG - n, break_number=None, break_seq=n,
            )  # fmt: skip


def every_row(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted in Python (no backend collation involved)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in tables():
            rows = [tuple(row) for row in conn.execute(select(table))]
            keys = [list(table.columns).index(c) for c in table.primary_key.columns]
            out[table.name] = sorted(rows, key=lambda row: tuple(row[k] for k in keys))
    return out


def _url(kind: str, tmp_path: Path, name: str, request: pytest.FixtureRequest, pg: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / name / 'station.db'}"
    return str(request.getfixturevalue(pg))


PAIRS = [
    ("sqlite", "sqlite"),
    ("sqlite", "postgresql"),
    ("postgresql", "sqlite"),
    ("postgresql", "postgresql"),
]


@pytest.fixture(params=PAIRS, ids=["-to-".join(pair) for pair in PAIRS])
def urls(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    source_kind, target_kind = request.param
    source = _url(source_kind, tmp_path, "old", request, "postgres_url")
    target = _url(target_kind, tmp_path, "new", request, "second_postgres_url")
    return source, target


@pytest.fixture
def source(urls: tuple[str, str]) -> Iterator[Engine]:
    engine = migrated_engine(urls[0])
    fill(engine)
    yield engine
    engine.dispose()


def test_every_row_of_every_table_arrives_and_the_ids_go_on(
    urls: tuple[str, str], source: Engine
) -> None:
    before = every_row(source)
    assert all(before[table.name] for table in tables()), "the fixture fills every table"
    steps: list[tuple[str, int, int]] = []

    report = copy_database(*urls, progress=lambda *step: steps.append(step), batch_size=7)

    assert report.revision == head_revision()
    assert dict(report.rows) == {name: len(rows) for name, rows in before.items()}
    assert "checked" in report.line()
    assert any(phase.startswith("Copying") for phase, _, _ in steps)
    assert any(phase.startswith("Checking") for phase, _, _ in steps)
    target = create_engine_for(urls[1])
    try:
        assert current_revision(target) == head_revision()
        assert every_row(target) == before
        assert every_row(source) == before  # the source is only read
        with make_session_factory(target)() as s, s.begin():  # new ids follow the copied ones
            new_id = add(s, m.Channel, name="After the move")
        assert new_id > max(row[0] for row in before["channels"])
    finally:
        target.dispose()


def test_digests_agree_across_backends_and_see_a_changed_value(
    urls: tuple[str, str], source: Engine
) -> None:
    copy_database(*urls)
    target = create_engine_for(urls[1])
    try:
        with source.connect() as a, target.connect() as b:
            for table in tables():
                assert table_digest(a, table) == table_digest(b, table), table.name
        with target.begin() as conn:
            conn.execute(update(m.Tag).where(m.Tag.key == "ß").values(label=TRICKY_TEXT + " "))
        tags = m.Base.metadata.tables["tags"]
        with source.connect() as a, target.connect() as b:
            assert table_digest(a, tags) != table_digest(b, tags)
    finally:
        target.dispose()


@pytest.fixture
def sqlite_source(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'old' / 'station.db'}"
    engine = migrated_engine(url)
    fill(engine)
    engine.dispose()
    yield url


def test_a_target_holding_data_is_refused_untouched(sqlite_source: str, tmp_path: Path) -> None:
    other = f"sqlite:///{tmp_path / 'other.db'}"
    engine = migrated_engine(other)
    with make_session_factory(engine)() as s, s.begin():
        add(s, m.Channel, name="Someone else's")
    before = every_row(engine)

    with pytest.raises(RelocateError, match="already holds data"):
        copy_database(sqlite_source, other)

    assert every_row(engine) == before
    engine.dispose()


def test_the_same_database_is_refused(sqlite_source: str) -> None:
    path = sqlite_path(sqlite_source)
    assert path is not None
    spelled_otherwise = f"sqlite:///{path.parent / '.' / path.name}"
    assert same_database(sqlite_source, spelled_otherwise)
    with pytest.raises(RelocateError, match="already at"):
        copy_database(sqlite_source, spelled_otherwise)
    assert same_database(
        "postgresql+psycopg://u@localhost/retro", "postgresql+psycopg2://u@127.0.0.1:5432/retro"
    )
    assert not same_database("postgresql+psycopg://u@localhost/a", "postgresql://u@localhost/b")


def test_a_cancelled_move_removes_the_new_file_and_keeps_the_source(
    sqlite_source: str, tmp_path: Path
) -> None:
    engine = create_engine_for(sqlite_source)
    before = every_row(engine)
    target = tmp_path / "fresh" / "moved.db"
    calls = 0

    def cancel_on_third_check() -> bool:
        nonlocal calls
        calls += 1
        return calls >= 3

    with pytest.raises(CopyCancelled, match="stopped"):
        copy_database(
            sqlite_source, f"sqlite:///{target}", cancelled=cancel_on_third_check, batch_size=5
        )

    assert not target.exists()
    assert not target.parent.exists()
    assert every_row(engine) == before
    engine.dispose()


def test_a_cancel_during_the_check_removes_the_tables_made_on_a_server(
    sqlite_source: str, postgres_url: str
) -> None:
    copied = 0

    def cancel_once_copied(phase: str, done: int, total: int) -> None:
        nonlocal copied
        if phase.startswith("Checking"):
            copied = total

    with pytest.raises(CopyCancelled):
        copy_database(
            sqlite_source,
            postgres_url,
            progress=cancel_once_copied,
            cancelled=lambda: copied > 0,
        )
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            names = conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).all()
        assert names == []  # the empty database is empty again
    finally:
        engine.dispose()


def test_an_empty_migrated_target_is_accepted(sqlite_source: str, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ready.db'}"
    migrated_engine(url).dispose()
    report = copy_database(sqlite_source, url)
    assert report.total_rows > 0


def test_a_source_at_an_older_revision_is_refused(tmp_path: Path) -> None:
    old = f"sqlite:///{tmp_path / 'old.db'}"
    migrated_engine(old, "0005_channel_rating_timezone").dispose()
    target = tmp_path / "new.db"
    with pytest.raises(RelocateError, match="open it with this version first"):
        copy_database(old, f"sqlite:///{target}")
    assert not target.exists()


def test_a_target_folder_is_refused(sqlite_source: str, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(RelocateError, match="is a folder"):
        copy_database(sqlite_source, f"sqlite:///{folder}")
    assert folder.is_dir()


def test_a_source_changed_during_the_move_fails_the_check_and_the_copy_goes(
    sqlite_source: str, tmp_path: Path
) -> None:
    """A write to the source between copying and checking is caught by the check."""
    writer = create_engine_for(sqlite_source)
    target = tmp_path / "moved.db"
    wrote = False

    def write_once_copied(phase: str, _done: int, _total: int) -> None:
        nonlocal wrote
        if phase == "Checking plex_servers" and not wrote:
            wrote = True
            with make_session_factory(writer)() as s, s.begin():
                add(s, m.Tag, namespace="late", key="write")

    with pytest.raises(RelocateError, match="does not match") as refused:
        copy_database(sqlite_source, f"sqlite:///{target}", progress=write_once_copied)

    assert "tags" in str(refused.value)
    assert not target.exists()
    writer.dispose()


def test_a_target_with_tables_of_another_program_is_refused_untouched(
    sqlite_source: str, tmp_path: Path
) -> None:
    path = tmp_path / "someone-else.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (body TEXT)"))
    with pytest.raises(RelocateError, match="did not make"):
        copy_database(sqlite_source, f"sqlite:///{path}")
    with engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).all()
    assert [name for (name,) in names] == ["notes"]
    engine.dispose()
