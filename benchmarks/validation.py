"""Validation benchmark: 100,000 files of a Plex library, mapped to a local folder.

Makes a tree of small files in a temporary folder (1-byte files, 1,000 a folder), a
fresh SQLite database with one Plex library whose 100,000 media_files rows name those
files under Plex's path, and a path mapping from Plex's folder to the tree. Measures
validate_library without probe: (a) the first validation, where every row changes
(unknown -> ok, local path and canonical_uri written); (b) a second one where nothing
changed (only last_verified_at is written). A few files are missing or of the wrong size
so the problem paths are exercised too.

    python -m benchmarks.validation [--files 100000] [--workers 16]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

PLEX_ROOT = "/data/bench"
PER_FOLDER = 1000


def make_tree(root: Path, files: int) -> list[str]:
    """1-byte files in folders of PER_FOLDER; returns their paths relative to `root`."""
    relative = []
    for index in range(files):
        folder = f"d{index // PER_FOLDER:04d}"
        if index % PER_FOLDER == 0:
            (root / folder).mkdir()
        name = f"{folder}/episode {index:06d}.mkv"
        fd = os.open(root / name, os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(fd, b"x")
        os.close(fd)
        relative.append(name)
    return relative


def make_database(url: str, tree: Path, relative: list[str]) -> int:
    """A migrated SQLite file with one Plex library of len(relative) files; its id."""
    from sqlalchemy import insert

    from retrovue_desktop.media.pathmap import add_mapping
    from retrovue_desktop.store import models as m
    from retrovue_desktop.store.engine import create_engine_for, make_session_factory
    from retrovue_desktop.store.migrations import upgrade

    upgrade(url)
    engine = create_engine_for(url)
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        server_id = session.execute(
            insert(m.PlexServer)
            .values(name="Bench", base_url="http://127.0.0.1:32400", platform="Linux")
            .returning(m.PlexServer.id)
        ).scalar_one()
        library_id = session.execute(
            insert(m.Library)
            .values(
                server_id=server_id, plex_library_key="1", title="TV Shows",
                library_type="show", source="plex",
            )
            .returning(m.Library.id)
        ).scalar_one()  # fmt: skip
        add_mapping(session, library_id, PLEX_ROOT, str(tree))
        rows = []
        for index, name in enumerate(relative):
            # Every 1,000th file is catalogued at a size it does not have.
            size = 2 if index % 1000 == 999 else 1
            rows.append(
                {
                    "library_id": library_id,
                    "plex_file_path": f"{PLEX_ROOT}/{name}",
                    "plex_part_id": str(index),
                    "file_size_bytes": size,
                    "duration_ms": 1_320_000,
                    "video_codec": "h264",
                    "audio_codec": "aac",
                }
            )
        session.execute(insert(m.MediaFile), rows)
    engine.dispose()
    return int(library_id)


def ui_stall_during(url: str, library_id: int, workers: int) -> tuple[float, float]:
    """Run validation as the Libraries tab does (a Job on a QThread) under an offscreen
    QApplication, with a 10 ms QTimer heartbeat on the UI thread; return the longest gap
    between beats (ms) and the run's wall time (s)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from retrovue_desktop.media.validate import validate_library
    from retrovue_desktop.store.engine import create_engine_for, make_session_factory
    from retrovue_desktop.ui.app import settle_heap
    from retrovue_desktop.ui.jobs import Job

    app = QApplication.instance() or QApplication([])
    engine = create_engine_for(url)
    sessions = make_session_factory(engine)
    with engine.begin() as conn:  # as if never checked: every row is written again
        conn.exec_driver_sql(
            "UPDATE media_files SET availability = 'unknown', local_file_path = NULL,"
            " canonical_uri = NULL, availability_reason = NULL"
        )
    settle_heap()
    gaps: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    def work(progress: object, cancelled: object) -> object:
        return validate_library(
            sessions,
            library_id,
            workers=workers,
            progress=progress,
            cancelled=cancelled,  # type: ignore[arg-type]
        )

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(beat)
    loop = QEventLoop()
    job = Job("Checking files", work)
    job.finished.connect(loop.quit)
    timer.start()
    started = time.perf_counter()
    last[0] = started
    job.start()
    loop.exec()
    wall = time.perf_counter() - started
    timer.stop()
    engine.dispose()
    del app
    return max(gaps) * 1000, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args(argv)

    from retrovue_desktop.media.validate import validate_library
    from retrovue_desktop.store.engine import create_engine_for, make_session_factory

    with tempfile.TemporaryDirectory(prefix="retrovue-validate-") as tmp:
        tree = Path(tmp) / "tree"
        tree.mkdir()
        started = time.perf_counter()
        relative = make_tree(tree, args.files)
        # A few files are missing: deleted after cataloguing.
        missing = relative[500 :: max(1, args.files // 10)]
        tree_s = time.perf_counter() - started
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        started = time.perf_counter()
        library_id = make_database(url, tree, relative)
        for name in missing:
            (tree / name).unlink()
        setup_s = time.perf_counter() - started

        engine = create_engine_for(url)
        sessions = make_session_factory(engine)
        started = time.perf_counter()
        first = validate_library(sessions, library_id, workers=args.workers)
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        second = validate_library(sessions, library_id, workers=args.workers)
        second_s = time.perf_counter() - started
        engine.dispose()
        stall_ms, ui_run_s = ui_stall_during(url, library_id, args.workers)

    assert first.checked == args.files, first.line()
    assert first.counts["missing"] == len(missing), first.line()
    assert second.changed == 0, second.line()
    figures = {
        "files": args.files,
        "validate_s": round(first_s, 3),
        "files_per_s": round(args.files / first_s, 1),
        "revalidate_s": round(second_s, 3),
        "revalidate_files_per_s": round(args.files / second_s, 1),
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "ui_thread_max_stall_ms": round(stall_ms, 1),
        "ui_run_s": round(ui_run_s, 3),
        "tree_s": round(tree_s, 3),
        "setup_s": round(setup_s, 3),
    }
    print(
        f"Validation of {args.files} files ({first.line()}): first run"
        f" {figures['validate_s']} s ({figures['files_per_s']} files/s, target >= 20,000),"
        f" nothing changed {figures['revalidate_s']} s"
        f" ({figures['revalidate_files_per_s']} files/s); {args.workers} stat threads on"
        f" {os.cpu_count()} CPUs; run as a Job under the window: longest UI-thread stall"
        f" {figures['ui_thread_max_stall_ms']} ms (target <= 50 ms)"
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
