"""`retrovue-desktop schedule build` as a separate process, on both backends: the log it
writes equals an in-process build, warnings and progress on stderr, refusals exit 1."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling.constraints import SelectionConstraints, SeriesConstraints
from retrovue_desktop.scheduling.generation import BuildRequest, build
from retrovue_desktop.store.tables import INSTANCES
from tests.cli_run import run_cli, write_settings
from tests.log_builders import MINUTE, Catalogue, block, channel


def _run(engine: Engine, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    write_settings(tmp_path / "config", "[station]\ntimeZone=UTC\n")
    return run_cli(engine, tmp_path / "config", *args)


def _log(sessions: sessionmaker[Session]) -> list[tuple[object, ...]]:
    with sessions() as s:
        found = s.execute(
            select(
                INSTANCES.c.channel_id,
                INSTANCES.c.content_item_id,
                INSTANCES.c.starts_at,
                INSTANCES.c.ends_at,
                INSTANCES.c.item_kind,
                INSTANCES.c.segment,
            ).order_by(INSTANCES.c.channel_id, INSTANCES.c.starts_at)
        )
        return [tuple(r) for r in found]


def test_schedule_build_writes_the_same_log_as_the_library(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        show, _ = cat.show("Cheers", 6, 22 * MINUTE)
        for i in range(6):
            cat.item("movie", f"Film {i}", 45 * MINUTE)
        one = channel(s, "One", number="3")
        two = channel(s, "Two", number="7")
        block(s, one, "Cheers", 1, "20:00", "21:00", "series", SeriesConstraints((show,)))
        films = SelectionConstraints(kinds=("movie",))
        block(s, two, "Films", 1, "20:00", "21:00", "auto", films)
        block(s, two, "Films", 2, "20:00", "20:30", "auto", films)
    done = _run(engine, tmp_path, "schedule", "build", "--from", "2026-11-23", "--days", "7")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "3 · One: 2 log rows written (2 programmes)" in done.stdout
    assert "7 · Two: 1 log row written (1 programme)" in done.stdout
    assert "7 · Two: planning" in done.stderr
    assert "warning: 7 · Two: “Films” on Tue 24 Nov at 20:00 has 30 min unfilled." in done.stderr
    written = _log(sessions)
    # The same build in process, on a copy of the inputs, gives the same rows.
    for channel_id in (one, two):
        with sessions() as s, s.begin():
            build(
                s,
                BuildRequest(channel_id, date(2026, 11, 23), 7),
                station_zone="UTC",
                station_ceiling=None,
            )
    assert _log(sessions) == written

    only = _run(
        engine,
        tmp_path,
        "schedule",
        "build",
        "--channel",
        "3",
        "--days",
        "1",
        "--from",
        "2026-11-30",
    )
    assert only.returncode == 0 and "7 · Two" not in only.stdout


def test_schedule_build_refusals(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions() as s, s.begin():
        channel(s, "One", number="3")
    missing = _run(engine, tmp_path, "schedule", "build", "--channel", "9", "--days", "1")
    assert missing.returncode == 1
    assert "No channel has the number “9”. Channel numbers here: 3." in missing.stderr
    bad_days = _run(engine, tmp_path, "schedule", "build", "--days", "0")
    assert bad_days.returncode == 2 and "number of days" in bad_days.stderr
    bad_date = _run(engine, tmp_path, "schedule", "build", "--days", "1", "--from", "Monday")
    assert bad_date.returncode == 2 and "is not a date" in bad_date.stderr
    assert _log(sessions) == []


def test_playlog_start_and_end_record_what_aired(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    from retrovue_desktop.store.tables import PLAYS

    with sessions() as s, s.begin():
        film = Catalogue.make(s).item("movie", "Film", 30 * MINUTE)
        channel(s, "One", number="3")
    first = _run(
        engine,
        tmp_path,
        "playlog",
        "start",
        "--channel",
        "3",
        "--kind",
        "program",
        "--content",
        str(film),
        "--at",
        "2026-11-24T20:00:00-05:00",
    )
    assert first.returncode == 0, first.stderr
    second = _run(
        engine,
        tmp_path,
        "playlog",
        "start",
        "--channel",
        "3",
        "--kind",
        "ad",
        "--at",
        "2026-11-24T20:30:00-05:00",
        "--seq",
        "1",
    )
    assert second.returncode == 0, second.stderr
    done = _run(
        engine,
        tmp_path,
        "playlog",
        "end",
        second.stdout.strip(),
        "--at",
        "2026-11-25T01:30:30+00:00",
    )
    assert done.returncode == 0, done.stderr
    with sessions() as s:
        rows = s.execute(
            select(
                PLAYS.c.ts_start, PLAYS.c.ts_end, PLAYS.c.item_kind, PLAYS.c.content_item_id
            ).order_by(PLAYS.c.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("2026-11-25T01:00:00+00:00", "2026-11-25T01:30:00+00:00", "program", film),
        ("2026-11-25T01:30:00+00:00", "2026-11-25T01:30:30+00:00", "ad", None),
    ]
    again = _run(engine, tmp_path, "playlog", "end", second.stdout.strip())
    assert again.returncode == 1 and "already ended" in again.stderr
    bad = _run(
        engine,
        tmp_path,
        "playlog",
        "start",
        "--channel",
        "3",
        "--kind",
        "ad",
        "--at",
        "2026-11-24 20:00",
    )
    assert bad.returncode == 2 and "with its offset" in bad.stderr
