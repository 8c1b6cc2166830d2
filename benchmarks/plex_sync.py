"""Plex sync benchmark: a 20,000-episode, 400-show, 2,000-movie library served by the
loopback Plex server in another process.

Measures, in one run: (a) a full sync into a fresh SQLite database; (b) the floor, the
same HTTP requests the sync makes (listing pages and detail fetches, same page sizes and
concurrency) made and parsed with no database work; (c) a/b; (d) a no-change resync;
(e) the sync process's peak memory. Sync and floor each run in a child process of their
own so their memory and warm caches do not mix; the floor runs before and after the sync
(the server caches rendered XML, so the first floor also warms it) and the ratio uses
the faster of the two floors, the stricter choice.

    python -m benchmarks.plex_sync [--episodes 20000 --shows 400 --movies 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TOKEN = "bench-token"
ROOT = Path(__file__).resolve().parents[1]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_floor(url: str) -> dict[str, float]:
    """The requests a fresh full sync makes, parsed, with no database work."""
    from retrovue_desktop.plex.client import (
        TYPE_EPISODE,
        TYPE_MOVIE,
        TYPE_SEASON,
        TYPE_SHOW,
        PlexClient,
    )
    from retrovue_desktop.plex.sync import SyncOptions

    options = SyncOptions()
    started = time.perf_counter()
    client = PlexClient(url, TOKEN)
    client.connect()
    items = 0
    local = threading.local()

    def fetch(keys: list[str]) -> int:
        worker = getattr(local, "client", None)
        if worker is None:
            worker = local.client = client.clone()
        return len(worker.details(keys))

    with ThreadPoolExecutor(max_workers=options.concurrency) as pool:
        for section in client.sections():
            if not section.supported:
                continue
            types = (
                [TYPE_SHOW, TYPE_SEASON, TYPE_EPISODE] if section.type == "show" else [TYPE_MOVIE]
            )
            for libtype in types:
                keys: list[str] = []
                for page, _total in client.pages(section.key, libtype, options.page_size):
                    keys.extend(e.get("ratingKey", "") for e in page)
                if libtype in (TYPE_SHOW, TYPE_SEASON):
                    continue
                step = options.detail_keys_per_request
                chunks = [keys[i : i + step] for i in range(0, len(keys), step)]
                items += sum(pool.map(fetch, chunks))
    return {"seconds": time.perf_counter() - started, "items": items, "rss_mb": _peak_rss_mb()}


def child_sync(url: str, database: str) -> dict[str, float]:
    """A full sync into a fresh SQLite file, then a resync with nothing changed."""
    from retrovue_desktop.plex.servers import add_server
    from retrovue_desktop.plex.sync import sync_server
    from retrovue_desktop.plex.tokens import TokenStore
    from retrovue_desktop.store.engine import create_engine_for, make_session_factory
    from retrovue_desktop.store.migrations import upgrade

    db_url = f"sqlite:///{database}"
    upgrade(db_url)
    sessions = make_session_factory(create_engine_for(db_url))
    tokens = TokenStore(Path(database).with_suffix(".tokens.json"), use_keyring=False)
    server = add_server(sessions, "Bench", url, TOKEN, tokens)
    started = time.perf_counter()
    result = sync_server(sessions, server.id, tokens)
    full = time.perf_counter() - started
    items = sum(lib.added for lib in result.libraries)
    started = time.perf_counter()
    again = sync_server(sessions, server.id, tokens)
    resync = time.perf_counter() - started
    skipped = all(lib.status in ("skipped", "unsupported") for lib in again.libraries)
    return {
        "seconds": full,
        "items": items,
        "resync_seconds": resync,
        "resync_skipped": float(skipped),
        "rss_mb": _peak_rss_mb(),
    }


def _run_child(*args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.plex_sync", *args],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"child {args[0]} failed")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=20_000)
    parser.add_argument("--shows", type=int, default=400)
    parser.add_argument("--movies", type=int, default=2_000)
    parser.add_argument("--child-floor", metavar="URL")
    parser.add_argument("--child-sync", nargs=2, metavar=("URL", "DB"))
    args = parser.parse_args(argv)
    if args.child_floor:
        print(json.dumps(child_floor(args.child_floor)))
        return 0
    if args.child_sync:
        print(json.dumps(child_sync(*args.child_sync)))
        return 0

    server = subprocess.Popen(
        [
            sys.executable, "-m", "tests.fakeplex", "--movies", str(args.movies),
            "--shows", str(args.shows), "--total-episodes", str(args.episodes),
            "--seasons-per-show", "4", "--no-music", "--seed", "7", "--token", TOKEN,
        ],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        if not url.startswith("http"):
            raise SystemExit("the loopback Plex server did not start")
        floor_before = _run_child("--child-floor", url)
        with tempfile.TemporaryDirectory() as tmp:
            sync = _run_child("--child-sync", url, os.path.join(tmp, "bench.db"))
        floor_after = _run_child("--child-floor", url)
    finally:
        server.terminate()
        server.wait(timeout=30)

    floor = min(floor_before["seconds"], floor_after["seconds"])
    figures = {
        "items": int(sync["items"]),
        "full_sync_s": round(sync["seconds"], 3),
        "items_per_s": round(sync["items"] / sync["seconds"], 1),
        "floor_s": round(floor, 3),
        "floor_runs_s": [round(floor_before["seconds"], 3), round(floor_after["seconds"], 3)],
        "ratio_to_floor": round(sync["seconds"] / floor, 3),
        "resync_no_change_s": round(sync["resync_seconds"], 3),
        "resync_skipped": bool(sync["resync_skipped"]),
        "peak_rss_mb": round(sync["rss_mb"], 1),
        "floor_peak_rss_mb": round(floor_before["rss_mb"], 1),
    }
    print(
        f"Plex sync of {figures['items']} items ({args.movies} movies, {args.shows} shows,"
        f" {args.episodes} episodes): full sync {figures['full_sync_s']} s"
        f" ({figures['items_per_s']} items/s); HTTP floor {figures['floor_s']} s;"
        f" ratio {figures['ratio_to_floor']} (target <= 1.5); no-change resync"
        f" {figures['resync_no_change_s']} s (target <= 1 s); peak RSS"
        f" {figures['peak_rss_mb']} MB (sync process; it also runs up to"
        " one detail worker process per core)"
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
