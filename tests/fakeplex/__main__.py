"""Run the fake Plex server in the foreground: `python -m tests.fakeplex --shows 400 ...`.

Why: the benchmark measures the sync in one process against a server in another, so the
server's own rendering never competes for the client's GIL. The first stdout line is the
base URL (printed once the catalogue is generated and pre-rendered); SIGTERM or Ctrl-C stops.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from types import FrameType

from .model import generate_library
from .server import FakePlexServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fakeplex", description=__doc__)
    parser.add_argument("--movies", type=int, default=2000)
    parser.add_argument("--shows", type=int, default=400)
    parser.add_argument("--seasons-per-show", type=int, default=2)
    parser.add_argument("--episodes-per-show", type=int, default=None)
    parser.add_argument("--episodes-per-season", type=int, default=None)
    parser.add_argument("--total-episodes", type=int, default=None)
    parser.add_argument(
        "--windows-shows",
        type=int,
        default=0,
        help="shows placed in the Windows-path 'TV (NAS)' section",
    )
    parser.add_argument("--no-music", action="store_true", help="omit the Music section")
    parser.add_argument("--platform", default="Linux", choices=["Linux", "Windows"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--token", default="secret-token")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--no-warm",
        action="store_true",
        help="skip pre-rendering the listing XML before printing the URL",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    data = generate_library(
        seed=args.seed,
        movies=args.movies,
        shows=args.shows,
        seasons_per_show=args.seasons_per_show,
        episodes_per_show=args.episodes_per_show,
        episodes_per_season=args.episodes_per_season,
        total_episodes=args.total_episodes,
        windows_shows=args.windows_shows,
        music_section=not args.no_music,
        platform=args.platform,
    )
    server = FakePlexServer(data, token=args.token, host=args.host, port=args.port)
    server.start()
    if not args.no_warm:
        server.warm()
    counts = data.counts()
    print(server.url, flush=True)
    print(
        f"fakeplex: {counts} ready in {time.perf_counter() - started:.2f}s",
        file=sys.stderr,
        flush=True,
    )

    done = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        while not done.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
