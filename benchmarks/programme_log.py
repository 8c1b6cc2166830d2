"""Programme-log benchmark: a fortnight for ten channels over a 100,000-item catalogue.

Builds the Content tab benchmark's 100,000-item SQLite catalogue (episodes of ~500 shows,
movies, ~12,000 ads, bumpers and promos, mixed ratings and file states), then ten
channels, each with a full week of half-hour blocks (7 x 48 = 336; series, specific,
collection and auto mixed) and ad policies (two breaks per half hour). Measured:

- build_s: `generation.build` of all ten channels for 14 days (6,720 block windows),
  one transaction per channel, and instances_per_s (rows written per second);
- rundown_day_ms: reading one channel's busiest day for the rundown (median of 5), and
  xmltv_s: writing the guide of all ten channels for the fortnight;
- stall_ms: the UI thread's longest wait while the same build runs in a `ui.jobs.Job`
  on its QThread (a 5 ms QTimer on the UI thread records the longest gap between its
  ticks beyond its interval); idle_stall_ms is the same timer with nothing running,
  measured first in the same process, as the floor.

Targets: build <= 5 s, stall <= 50 ms.

    python -m benchmarks.programme_log [--items 100000] [--channels 10] [--days 14]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

BUILD_TARGET_S = 5.0
STALL_TARGET_MS = 50.0
FIRST_DAY = date(2026, 11, 23)
TICK_MS = 5


def add_channels(url: str, channels: int) -> list[int]:
    """Ten channels with a full half-hour week each and two ad policies."""
    from sqlalchemy import select

    from retrovue_desktop.scheduling import ad_policies, ad_rules, blocks, constraints
    from retrovue_desktop.scheduling.blocks import BlockValues
    from retrovue_desktop.store.channels import ChannelValues, create_channel
    from retrovue_desktop.store.engine import create_engine_for, make_session_factory
    from retrovue_desktop.store.tables import CI

    engine = create_engine_for(url)
    sessions = make_session_factory(engine)
    ids = []
    with sessions.begin() as s:
        policies = [
            ad_policies.create_policy(s, "Half-hourly", ad_rules.AdRules(breaks=2)),
            ad_policies.create_policy(
                s,
                "Light",
                ad_rules.AdRules(breaks_per="programme", breaks=1, bumper_before=True),
            ),
        ]
        shows = list(
            s.execute(
                select(CI.c.show_id)
                .distinct()
                .where(CI.c.show_id.is_not(None))
                .order_by(CI.c.show_id)
                .limit(200)
            ).scalars()
        )
        short = list(
            s.execute(
                select(CI.c.id)
                .where(CI.c.kind == "movie", CI.c.duration_ms <= 1_500_000)
                .limit(400)
            ).scalars()
        )
        for number in range(channels):
            channel = create_channel(
                s,
                ChannelValues(
                    name=f"Channel {number + 1}",
                    number=str(number + 2),
                    time_zone="America/New_York",
                ),
            )
            ids.append(channel)
            values = []
            for day in range(7):
                for slot in range(48):
                    start = f"{slot // 2:02d}:{slot % 2 * 30:02d}:00"
                    end = f"{(slot + 1) // 2 % 24:02d}:{(slot + 1) % 2 * 30:02d}:00"
                    kind = (number + day + slot) % 4
                    rules: Any
                    if kind == 0:
                        strategy = "series"
                        rules = constraints.SeriesConstraints(
                            show_ids=(shows[(number * 7 + slot) % len(shows)],)
                        )
                    elif kind == 1:
                        strategy = "specific"
                        pick = short[(number * 40 + slot) % 380 :][:10]
                        rules = constraints.SpecificConstraints(item_ids=tuple(pick))
                    elif kind == 2:
                        strategy = "collection"
                        rules = constraints.SelectionConstraints(
                            tags_include=("genre:comedy",), max_duration_minutes=30
                        )
                    else:
                        strategy = "auto"
                        rules = constraints.SelectionConstraints(max_duration_minutes=28)
                    values.append(
                        BlockValues(
                            f"Slot {slot}",
                            day,
                            start,
                            end,
                            strategy,
                            constraints.serialize(rules),
                            policies[slot % 2],
                        )
                    )
            blocks.create_blocks(s, channel, values)
    engine.dispose()
    return ids


def build_all(sessions: Any, channels: list[int], days: int, progress: Any, cancelled: Any) -> int:
    """Build every channel; returns the rows written."""
    from retrovue_desktop.scheduling.generation import BuildRequest, build
    from retrovue_desktop.scheduling.picking import PoolCache

    written = 0
    cache = PoolCache()
    for channel in channels:
        with sessions.begin() as s:
            report = build(
                s,
                BuildRequest(channel, FIRST_DAY, days),
                station_zone="UTC",
                station_ceiling=None,
                progress=progress,
                cancelled=cancelled,
                cache=cache,
            )
        written += report.written
    return written


def measure_stall(url: str, channels: list[int], days: int) -> dict[str, float]:
    """The UI thread's longest gap between 5 ms timer ticks, idle and during a build."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from retrovue_desktop.collection import collection_paused
    from retrovue_desktop.store.engine import create_engine_for, make_session_factory
    from retrovue_desktop.ui.jobs import Job

    app = QApplication.instance() or QApplication([])
    clock = QElapsedTimer()
    worst = [0.0]
    last = [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        worst[0] = max(worst[0], now - last[0] - TICK_MS)
        last[0] = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)

    def run_for(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    clock.start()
    last[0] = 0.0
    timer.start()
    run_for(1000)
    idle = worst[0]
    engine = create_engine_for(url)
    sessions = make_session_factory(engine)

    def work(progress: Any, cancelled: Any) -> int:
        with collection_paused():  # as the window's build does
            return build_all(sessions, channels, days, progress, cancelled)

    job = Job("Build", work)
    finished = QEventLoop()
    job.finished.connect(finished.quit)
    worst[0] = 0.0
    last[0] = clock.nsecsElapsed() / 1e6
    started = time.perf_counter()
    job.start()
    finished.exec()
    threaded = time.perf_counter() - started
    timer.stop()
    engine.dispose()
    del app
    return {
        "idle_stall_ms": round(idle, 1),
        "stall_ms": round(worst[0], 1),
        "threaded_build_s": round(threaded, 2),
    }


def measure_reads(url: str, channels: list[int], days: int) -> dict[str, float]:
    """A rundown day read (median of 5) and the XMLTV guide of every channel."""
    import io
    import statistics

    from retrovue_desktop.scheduling import clock
    from retrovue_desktop.scheduling.programme_log import day_rundown
    from retrovue_desktop.scheduling.xmltv import write_xmltv
    from retrovue_desktop.store.engine import create_engine_for, make_session_factory

    engine = create_engine_for(url)
    sessions = make_session_factory(engine)
    tz = clock.zone("America/New_York")
    times = []
    rows = 0
    with sessions() as s:
        for _ in range(5):
            started = time.perf_counter()
            rows = len(day_rundown(s, channels[0], FIRST_DAY, tz).rows)
            times.append(time.perf_counter() - started)
        out = io.BytesIO()
        started = time.perf_counter()
        summary = write_xmltv(s, out, first_day=FIRST_DAY, days=days, station_zone="UTC")
        guide = time.perf_counter() - started
    engine.dispose()
    return {
        "rundown_day_ms": round(statistics.median(times) * 1000, 1),
        "rundown_rows": rows,
        "xmltv_s": round(guide, 2),
        "xmltv_programmes": summary.programmes,
        "xmltv_mb": round(len(out.getvalue()) / 1e6, 1),
    }


def main(argv: list[str] | None = None) -> int:
    from benchmarks.content_tab import make_database
    from retrovue_desktop.store.engine import create_engine_for, make_session_factory

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--channels", type=int, default=10)
    parser.add_argument("--days", type=int, default=14)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'log.db'}"
        started = time.perf_counter()
        make_database(url, args.items)
        channels = add_channels(url, args.channels)
        setup = time.perf_counter() - started
        engine = create_engine_for(url)
        sessions = make_session_factory(engine)
        started = time.perf_counter()
        written = build_all(sessions, channels, args.days, lambda *_: None, lambda: False)
        build_s = time.perf_counter() - started
        engine.dispose()
        reads = measure_reads(url, channels, args.days)
        stall = measure_stall(url, channels, args.days)
    figures = {
        "items": args.items,
        "channels": args.channels,
        "days": args.days,
        "block_windows": args.channels * args.days * 48,
        "instances": written,
        "build_s": round(build_s, 2),
        "instances_per_s": round(written / build_s),
        **stall,
        **reads,
        "setup_s": round(setup, 1),
    }
    print(
        f"{args.channels} channels x {args.days} days x 48 blocks over {args.items:,} items:"
        f" {written:,} log rows in {build_s:.2f} s ({figures['instances_per_s']:,}/s;"
        f" target {BUILD_TARGET_S:.0f} s). UI thread's longest stall during a threaded build:"
        f" {stall['stall_ms']} ms (idle floor {stall['idle_stall_ms']} ms; target"
        f" {STALL_TARGET_MS:.0f} ms). A rundown day ({reads['rundown_rows']} rows) reads in"
        f" {reads['rundown_day_ms']} ms; the guide ({reads['xmltv_programmes']:,} programmes,"
        f" {reads['xmltv_mb']} MB) is written in {reads['xmltv_s']} s."
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
