"""The demo station: made by the project's own code in its own database, on SQLite and
PostgreSQL; a believable station whose log keeps generation's invariants, whose files
are demo files that validation and scans leave alone, the same for the same seed, and
nothing left behind when cancelled."""

from __future__ import annotations

import hashlib
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop import ratings
from retrovue_desktop.demo.airing import PAST_DAYS
from retrovue_desktop.demo.create import (
    STEPS,
    DemoCancelled,
    DemoError,
    create_demo,
    log_range,
    week_start,
)
from retrovue_desktop.demo.location import demo_database_url, is_demo, is_demo_url
from retrovue_desktop.media.localfolder import scan_folder_library
from retrovue_desktop.media.validate import validate_library
from retrovue_desktop.plex.errors import PlexError
from retrovue_desktop.plex.sync import sync_server
from retrovue_desktop.plex.tokens import TokenStore
from retrovue_desktop.scheduling import clock, week
from retrovue_desktop.scheduling.blocks import list_blocks
from retrovue_desktop.scheduling.play_times import to_text
from retrovue_desktop.scheduling.reconcile import LATE, NOT_AIRED, UNPLANNED, reconcile
from retrovue_desktop.store.channels import list_channels
from retrovue_desktop.store.engine import (
    create_engine_for,
    data_dir,
    default_database_url,
    make_session_factory,
)
from retrovue_desktop.store.migrations import prepare_database
from retrovue_desktop.store.models import Base, PlexServer
from retrovue_desktop.store.tables import CI, CT, LIB, MF, MM, PLAYS, TAGS
from tests.builders import station
from tests.generation_invariants import check_log

TODAY = date(2026, 11, 24)  # a Tuesday: the log runs Sat 21 to Sat 28 November
ZONE = "America/New_York"


def _sessions(url: str) -> tuple[Engine, sessionmaker[Session]]:
    engine = create_engine_for(url)
    return engine, make_session_factory(engine)


@pytest.fixture
def demo(db_url: str) -> Any:
    """The demo station made at a fresh database of each backend; yields its sessions."""
    report = create_demo(db_url, today=TODAY)
    engine, sessions = _sessions(db_url)
    try:
        yield report, sessions
    finally:
        engine.dispose()


def test_log_covers_the_week_of_today_and_the_days_that_aired() -> None:
    assert week_start(TODAY) == date(2026, 11, 22)
    assert week_start(date(2026, 11, 22)) == date(2026, 11, 22)
    assert log_range(TODAY) == (date(2026, 11, 21), 8)
    assert log_range(date(2026, 11, 27)) == (date(2026, 11, 22), 7)


def test_the_demo_is_a_believable_station(demo: Any) -> None:
    report, sessions = demo
    with sessions() as s:
        channels = list_channels(s)
        assert [c.values.name for c in channels] == ["Retro One", "Matinee Movies"]
        kinds = dict(s.execute(select(CI.c.kind, func.count()).group_by(CI.c.kind)).all())
        assert kinds["episode"] >= 100 and kinds["movie"] >= 30
        assert kinds["ad"] >= 50 and kinds["bumper"] >= 15 and kinds["promo"] >= 15
        assert 250 <= sum(kinds.values()) <= 500 and report.items == sum(kinds.values())
        codes = s.execute(select(CI.c.rating_code)).scalars().all()
        assert all(ratings.rank(code) is not None for code in codes), "an unrated item"
        assert s.execute(select(func.count()).select_from(CT)).scalar_one() > len(codes)
        namespaces = set(s.execute(select(CT.c.namespace).distinct()).scalars())
        assert {"genre", "decade", "audience", "brand", "holiday"} <= namespaces
        palette = {tuple(r) for r in s.execute(select(TAGS.c.namespace, TAGS.c.key))}
        assert ("holiday", "valentines") in palette  # in the palette, on no item yet
        markers = dict(
            s.execute(select(MM.c.marker_kind, func.count()).group_by(MM.c.marker_kind)).all()
        )
        assert markers["ad_break"] > 0 and markers["chapter"] > 0
        sources = set(s.execute(select(MM.c.source).distinct()).scalars())
        assert sources == {"file", "manual", "detected"}
        assert set(s.execute(select(MF.c.availability).distinct()).scalars()) == {"demo"}
        assert is_demo(s)
        strategies: set[str] = set()
        first, days = log_range(TODAY)
        assert (report.first_day, report.days) == (first, days)
        for channel in channels:
            blocks = [b.week for b in list_blocks(s, channel.id)]
            assert all(b is not None for b in blocks)
            placed = [b for b in blocks if b is not None]
            for n, a in enumerate(placed):
                assert not any(week.overlaps(a, b) for b in placed[n + 1 :]), a.describe()
            strategies |= {b.row.values.strategy for b in list_blocks(s, channel.id)}
            rows = check_log(s, channel.id, first, days, ZONE, channel.values.max_rating_code)
            assert len(rows) > 1000
            assert any(r.break_number for r in rows) and any(r.segment == 2 for r in rows)
        assert strategies == {"series", "collection", "specific", "auto"}
    assert report.warnings == []


def test_past_days_aired_with_a_few_slips(demo: Any) -> None:
    _report, sessions = demo
    tz = clock.zone(ZONE)
    with sessions() as s:
        channels = [c.id for c in list_channels(s)]
        for channel_id in channels:
            for back in range(1, PAST_DAYS + 1):
                lo, hi = clock.day_bounds(TODAY - timedelta(days=back), tz)
                aired = s.execute(
                    select(func.count()).where(
                        PLAYS.c.channel_id == channel_id,
                        PLAYS.c.ts_start >= to_text(lo),
                        PLAYS.c.ts_start < to_text(hi),
                    )
                ).scalar_one()
                assert aired > 100, (channel_id, back)
        slipped = reconcile(s, channels[0], TODAY - timedelta(days=1), tz).counts
        assert slipped[LATE] == 1 and slipped[NOT_AIRED] == 1 and slipped[UNPLANNED] == 1
        steady = reconcile(s, channels[1], TODAY - timedelta(days=1), tz).counts
        assert steady[LATE] == steady[NOT_AIRED] == steady[UNPLANNED] == 0
        today = reconcile(s, channels[0], TODAY, tz).counts
        assert today[NOT_AIRED] > 0 and sum(today.values()) == today[NOT_AIRED]


def test_validation_and_scans_leave_demo_files_alone(demo: Any) -> None:
    _report, sessions = demo
    with sessions() as s:
        libraries = s.execute(select(LIB.c.id, LIB.c.source)).all()
        files = s.execute(select(func.count()).select_from(MF)).scalar_one()
    scanned = 0
    for library_id, source in libraries:
        for probe in (False, True):
            result = validate_library(sessions, library_id, probe=probe)
            assert result.checked == 0 and result.skipped_demo > 0
            assert "demo files, never checked" in result.line()
        if source == "local":
            found = scan_folder_library(sessions, library_id)
            assert found.demo and found.added == found.updated == found.unavailable == 0
            assert "nothing to scan" in found.line()
            scanned += found.unchanged
    with sessions() as s:
        states = dict(
            s.execute(select(MF.c.availability, func.count()).group_by(MF.c.availability)).all()
        )
        assert states == {"demo": files}
        local = s.execute(
            select(func.count()).select_from(MF.join(LIB, LIB.c.id == MF.c.library_id))
            .where(LIB.c.source == "local")
        ).scalar_one()  # fmt: skip
        assert scanned == local > 0


def test_the_invented_plex_server_is_never_synced(demo: Any, tmp_path: Path) -> None:
    _report, sessions = demo
    with sessions() as s:
        server_id = s.execute(select(PlexServer.id)).scalar_one()
    with pytest.raises(PlexError, match="belongs to the demo station"):
        sync_server(sessions, server_id, TokenStore(tmp_path / "t.json", use_keyring=False))


def _dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, the database's own timestamps left out."""
    engine = create_engine_for(url)
    out = {}
    try:
        with engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                columns = [c for c in table.c if c.name not in ("created_at", "updated_at")]
                rows = conn.execute(select(*columns).order_by(*table.primary_key)).all()
                out[table.name] = [tuple(r) for r in rows]
    finally:
        engine.dispose()
    return out


def test_same_seed_same_station(tmp_path: Path) -> None:
    urls = [f"sqlite:///{tmp_path / name}" for name in ("a.db", "b.db", "c.db")]
    create_demo(urls[0], today=TODAY, seed=7)
    create_demo(urls[1], today=TODAY, seed=7)
    create_demo(urls[2], today=TODAY, seed=8)
    first = _dump(urls[0])
    assert first == _dump(urls[1])
    assert first["content_items"] != _dump(urls[2])["content_items"]


@pytest.mark.parametrize("after", [1, 2, 4, 5, 40])
def test_cancel_leaves_nothing(tmp_path: Path, after: int) -> None:
    """Cancelled between any two steps, or inside a programme-log build (40 checks in),
    nothing is left in the folder."""
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > after

    target = tmp_path / "demo.db"
    with pytest.raises(DemoCancelled) as raised:
        create_demo(f"sqlite:///{target}", today=TODAY, cancelled=cancelled)
    assert "nothing of it was kept" in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_cancel_on_postgres_leaves_no_demo(postgres_url: str) -> None:
    seen: list[str] = []

    def progress(phase: str, _done: int, _total: int) -> None:
        seen.append(phase)

    with pytest.raises(DemoCancelled):
        create_demo(postgres_url, today=TODAY, progress=progress, cancelled=lambda: len(seen) >= 5)
    assert not is_demo_url(postgres_url)
    engine = create_engine_for(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM content_items")).scalar_one() == 0
    finally:
        engine.dispose()


def test_progress_walks_every_step(tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    create_demo(f"sqlite:///{tmp_path / 'd.db'}", today=TODAY, progress=lambda *a: seen.append(a))
    assert [phase for phase, _d, _t in seen[:-1]] == list(STEPS)
    assert [done for _p, done, _t in seen] == list(range(len(STEPS) + 1))
    assert {total for *_, total in seen} == {len(STEPS)}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_users_database_is_never_replaced(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mine.db'}"
    prepare_database(url)
    engine = create_engine_for(url)
    try:
        station(engine)
        with make_session_factory(engine)() as s:
            assert not is_demo(s)
    finally:
        engine.dispose()
    before = _digest(tmp_path / "mine.db")
    with pytest.raises(DemoError, match="not a demo station"):
        create_demo(url, today=TODAY)
    assert _digest(tmp_path / "mine.db") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.db"]


def test_a_non_empty_postgres_database_is_refused(postgres_url: str) -> None:
    prepare_database(postgres_url)
    with pytest.raises(DemoError, match="not empty"):
        create_demo(postgres_url, today=TODAY)
    assert not is_demo_url(postgres_url)


def test_an_old_demo_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    url = f"sqlite:///{target}"
    create_demo(url, today=TODAY, seed=3)
    engine = create_engine_for(url)  # open it, as the window would have (WAL files)
    with engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM channels")).scalar_one()
    engine.dispose()
    create_demo(url, today=TODAY + timedelta(days=7), seed=4)
    assert is_demo_url(url)
    assert _dump(url) == _dump_of_fresh(tmp_path, TODAY + timedelta(days=7), 4)
    assert not [p for p in tmp_path.iterdir() if "making" in p.name]


def _dump_of_fresh(tmp_path: Path, today: date, seed: int) -> dict[str, list[tuple[Any, ...]]]:
    url = f"sqlite:///{tmp_path / 'fresh' / 'demo.db'}"
    create_demo(url, today=today, seed=seed)
    return _dump(url)


def test_is_demo_is_false_for_an_ordinary_station(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        assert not is_demo(s)
    station(sessions.kw["bind"])
    with sessions() as s:
        assert not is_demo(s)


def test_asking_about_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    assert not is_demo_url(f"sqlite:///{tmp_path / 'nope.db'}")
    assert not (tmp_path / "nope.db").exists()


def test_the_demo_lives_in_its_own_file_in_the_data_folder() -> None:
    url = demo_database_url()
    assert url == f"sqlite:///{data_dir() / 'demo.db'}"
    assert url != default_database_url()
    assert os.path.dirname(url.removeprefix("sqlite:///")) == str(data_dir())
