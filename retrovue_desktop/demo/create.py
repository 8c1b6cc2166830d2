"""Make the demo station: a new database built by the migrations, filled by the
project's own code (`library`, `station`, `generation.build`, `airing`).

For a SQLite file the station is built in a temporary file beside the target and renamed
over it only when complete, so a cancelled or failed creation leaves nothing behind and
an old demo file is replaced whole. An existing file is replaced only if it is a demo
station itself; the user's own database is refused. On another backend (PostgreSQL) the
database must be empty; the rows are written in one transaction, so a cancel leaves it
migrated but empty (never a half-made demo).

The same `today` and `seed` give the same rows (timestamps the database stamps aside).
"""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.progress import CancelFn, ProgressFn, never_cancelled, no_progress
from retrovue_desktop.scheduling import clock
from retrovue_desktop.scheduling.errors import BuildCancelled
from retrovue_desktop.scheduling.generation import BuildRequest, build
from retrovue_desktop.scheduling.picking import PoolCache
from retrovue_desktop.store.engine import (
    create_engine_for,
    describe_url,
    make_session_factory,
    sqlite_path,
)
from retrovue_desktop.store.migrations import prepare_database
from retrovue_desktop.store.tables import INSTANCES, PLAYS

from .airing import PAST_DAYS, air_past_days
from .library import write_catalogue
from .location import is_demo_url
from .station import CHANNELS, ZONE, write_station

log = logging.getLogger(__name__)

STEPS = (
    "Making the demo database",
    "Inventing the catalogue",
    "Laying out the grid",
    *(f"Planning the programme log of {values.name}" for values, _ in CHANNELS),
    "Recording what aired",
    "Finishing",
)


class DemoError(OperatorError):
    """The demo station could not be made where asked; nothing was changed there."""


class DemoCancelled(OperatorError):
    """The operator cancelled making the demo station; nothing of it was kept."""

    def __init__(self, message: str = "", detail: str = "") -> None:
        super().__init__(
            message or "Making the demo station was cancelled; nothing of it was kept.", detail
        )


@dataclass
class DemoReport:
    """What `create_demo` made."""

    url: str
    channels: int = 0
    items: int = 0
    blocks: int = 0
    instances: int = 0
    plays: int = 0
    first_day: date | None = None
    days: int = 0
    warnings: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    def summary(self) -> str:
        return (
            f"Demo station made: {self.channels} channels, {self.items} items,"
            f" {self.blocks} weekly blocks, {self.instances} programme-log rows over"
            f" {self.days} days, {self.plays} play-log rows."
        )


def week_start(day: date) -> date:
    """The Sunday on or before `day` (the grid's week starts on Sunday)."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def log_range(today: date) -> tuple[date, int]:
    """First day and number of days of the generated log: the week holding `today`,
    reaching back far enough to hold the days that have aired."""
    start = week_start(today)
    first = min(start, today - timedelta(days=PAST_DAYS))
    return first, (start + timedelta(days=7) - first).days


class _Steps:
    def __init__(self, progress: ProgressFn, cancelled: CancelFn) -> None:
        self.progress, self.cancelled, self.done = progress, cancelled, 0

    def next(self) -> None:
        if self.cancelled():
            raise DemoCancelled()
        self.progress(STEPS[self.done], self.done, len(STEPS))
        self.done += 1


def _fill(session: Session, report: DemoReport, today: date, seed: int, steps: _Steps) -> None:
    tz = clock.zone(ZONE)
    rng = random.Random(seed)
    stamp = clock.day_bounds(today, tz)[0] - 21 * 3600
    steps.next()
    catalogue = write_catalogue(session, rng, stamp)
    steps.next()
    station = write_station(session, catalogue)
    report.items, report.blocks = catalogue.item_count, station.blocks
    report.channels = len(station.channel_ids)
    first, days = log_range(today)
    report.first_day, report.days = first, days
    cache = PoolCache()
    for channel_id in station.channel_ids:
        steps.next()
        try:
            built = build(
                session,
                BuildRequest(channel_id, first, days, seed),
                station_zone=ZONE,
                station_ceiling=None,
                cancelled=steps.cancelled,
                cache=cache,
            )
        except BuildCancelled as exc:
            raise DemoCancelled(detail=exc.detail) from exc
        report.instances += built.written
        report.warnings += built.warnings
    steps.next()
    air_past_days(session, station.channel_ids, today, tz, station.channel_ids[0])
    report.plays = int(session.execute(select(func.count()).select_from(PLAYS)).scalar_one())
    report.instances = int(
        session.execute(select(func.count()).select_from(INSTANCES)).scalar_one()
    )


def _fill_database(url: str, report: DemoReport, today: date, seed: int, steps: _Steps) -> None:
    """Migrate `url` and write the whole station in one transaction."""
    prepare_database(url)
    engine = create_engine_for(url)
    try:
        with make_session_factory(engine).begin() as session:
            _fill(session, report, today, seed, steps)
            if steps.cancelled():
                raise DemoCancelled()
    finally:
        engine.dispose()


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _settle(path: Path) -> None:
    """Fold the write-ahead log into the file and leave it in rollback-journal mode, so
    the file alone is the whole database when it is renamed (the app turns WAL back on
    when it opens it)."""
    connection = sqlite3.connect(str(path))
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


def _create_sqlite(target: Path, report: DemoReport, today: date, seed: int, steps: _Steps) -> None:
    if target.exists() and not is_demo_url(f"sqlite:///{target}"):
        raise DemoError(
            f"There is already a database at {target} that is not a demo station; it was"
            " left untouched. Make the demo somewhere else.",
            detail=f"refused to replace {target}",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.stem}-making-", suffix=".db", dir=target.parent
    )
    os.close(handle)
    temp = Path(name)
    try:
        _fill_database(f"sqlite:///{temp}", report, today, seed, steps)
        steps.next()
        _settle(temp)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(temp, target)
    except BaseException:
        _remove_sqlite(temp)
        raise


def _create_elsewhere(url: str, report: DemoReport, today: date, seed: int, steps: _Steps) -> None:
    engine = create_engine_for(url)
    try:
        tables = inspect(engine).get_table_names()
    except Exception as exc:
        raise DemoError(
            f"The database at {describe_url(url)} could not be opened ({type(exc).__name__});"
            " check that it exists and is reachable.",
            detail=str(exc),
        ) from exc
    finally:
        engine.dispose()
    if tables:
        raise DemoError(
            f"The database at {describe_url(url)} is not empty; it was left untouched. The"
            " demo station needs a new, empty database.",
            detail=f"tables: {sorted(tables)[:5]}",
        )
    _fill_database(url, report, today, seed, steps)
    steps.next()


def create_demo(
    url: str,
    *,
    today: date,
    seed: int = 1,
    progress: ProgressFn = no_progress,
    cancelled: CancelFn = never_cancelled,
) -> DemoReport:
    """Make the demo station at `url` with its log around `today`; see the module.

    Progress is (phase, step, len(STEPS)) between steps; `cancelled()` is checked
    between steps and inside the programme-log builds. Raises DemoCancelled (nothing
    kept), DemoError (the target is refused, untouched) or another OperatorError.
    """
    began = time.monotonic()
    report = DemoReport(url)
    steps = _Steps(progress, cancelled)
    steps.next()
    path = sqlite_path(url)
    if path is not None:
        _create_sqlite(path, report, today, seed, steps)
    else:
        _create_elsewhere(url, report, today, seed, steps)
    progress("Done", len(STEPS), len(STEPS))
    report.elapsed_s = time.monotonic() - began
    log.info("%s (%.1f s)", report.summary(), report.elapsed_s)
    return report
