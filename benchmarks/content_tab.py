"""Content tab benchmark: a 100,000-item catalogue must stay instant.

Builds a fresh SQLite file through the migrations, then bulk-inserts 100,000 content
items (50,000 episodes of ~500 shows, 50,000 movies, ads, bumpers, promos and the other
kinds), every item with its editorial row (5 % overridden titles), a synopsis, ~3 tags
(~300,000 content_tags rows), and a primary file of mixed availability (a few items have
none, 1 % are gone from their source). Under an offscreen QApplication it measures:

- first_rows_ms: creating the Content tab until the first page's data() is answered
  (the tab's filter choices included; the head of the order comes from a LIMIT query);
- all_ids_ms: creating the tab until the worker's full id list has arrived (the window
  stays responsive meanwhile: the UI thread only waits for events);
- filter_ms: typing a search word (applied without the debounce) until the first page
  is answered again (median of REPEATS runs);
- sort_ms: the slower of two header clicks (Duration, then Rating), each until the first
  page is answered (median of REPEATS runs each);
- rss_mb: the process's peak RSS with the tab open.

    python -m benchmarks.content_tab [--items 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WORDS = (
    "castle", "river", "summer", "winter", "mystery", "night", "city", "dragon", "garden",
    "island", "robot", "planet", "secret", "kitchen", "holiday", "detective", "family",
    "journey", "station", "midnight", "ocean", "forest", "school", "circus", "galaxy",
    "harbor", "legend", "machine", "mountain", "palace", "rocket", "shadow", "thunder",
    "valley", "village", "wizard", "desert", "empire", "frontier", "meadow",
)  # fmt: skip
OTHER_KINDS = (
    ("movie", 20_000), ("ad", 12_000), ("bumper", 5_000), ("promo", 5_000),
    ("interstitial", 3_000), ("clip", 2_000), ("intro", 1_000), ("outro", 1_000),
    ("unknown", 1_000),
)  # fmt: skip
CODES = ("TV-Y", "TV-Y7", "G", "TV-G", "PG", "TV-PG", "PG-13", "TV-14", "R", "TV-MA", None)
NAMESPACES = {
    "genre": ("comedy", "drama", "scifi", "western", "cartoon", "news", "sport", "music"),
    "tone": ("light", "dark", "warm", "silly", "tense"),
    "audience": ("kids", "family", "adult", "teen"),
    "holiday": ("christmas", "halloween", "easter", "thanksgiving", "valentines"),
    "season": ("spring", "summer", "autumn", "winter"),
    "brand": ("acme", "globex", "initech", "umbrella", "hooli", "vandelay"),
}
SEARCH = "dragon"
REPEATS = 3  # filter and sort: the median of this many runs (a shared CI box is noisy)


def _phrase(rng: random.Random, words: int, vocabulary: tuple[str, ...] = WORDS) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def _vocabulary(rng: random.Random, size: int = 3_000) -> tuple[str, ...]:
    """Made-up words for synopses, so a title word matches a realistic few of them."""
    syllables = ("ka", "lo", "mi", "ren", "tos", "va", "qui", "bel", "dor", "sha", "ny", "pe")
    return tuple("".join(rng.choice(syllables) for _ in range(3)) for _ in range(size))


def make_database(url: str, items: int, seed: int = 5) -> None:
    """A migrated SQLite file holding `items` content items (half episodes), bulk-loaded
    through the driver's executemany."""
    from retrovue_desktop import ratings
    from retrovue_desktop.store.engine import create_engine_for
    from retrovue_desktop.store.migrations import upgrade

    upgrade(url)
    rng = random.Random(seed)
    engine = create_engine_for(url)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(
            "INSERT INTO plex_servers (id, name, base_url) VALUES (1, 'Den', 'http://nas:32400')"
        )
        cur.executemany(
            "INSERT INTO libraries (id, server_id, plex_library_key, title, library_type,"
            " source, root_path) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (1, 1, "1", "TV Shows", "show", "plex", None),
                (2, 1, "2", "Movies", "movie", "plex", None),
                (3, None, None, "Ads and bumpers", "ad", "local", "/srv/ads"),
            ],
        )
        episodes = items // 2
        shows = max(1, episodes // 100)
        cur.executemany(
            "INSERT INTO shows (id, server_id, library_id, plex_rating_key, title)"
            " VALUES (?, 1, 1, ?, ?)",
            [(s, f"s{s}", f"The {_phrase(rng, 2).title()} Show {s}") for s in range(1, shows + 1)],
        )
        content: list[tuple[Any, ...]] = []
        item_id = 0
        per_show = episodes // shows
        for show in range(1, shows + 1):
            for n in range(per_show):
                item_id += 1
                content.append(
                    ("episode", show, n // 20 + 1, n % 20 + 1, 1, f"p{item_id}", item_id)
                )
        kinds = [kind for kind, weight in OTHER_KINDS for _ in range(weight)]
        rng.shuffle(kinds)
        others = items - item_id
        for index in range(others):
            item_id += 1
            kind = kinds[index % len(kinds)]
            library = 2 if kind == "movie" else 3
            content.append((kind, None, None, None, library, f"p{item_id}", item_id))
        now = int(time.time())
        vocabulary = _vocabulary(rng)
        rows = []
        for kind, show, season, episode, library, key, cid in content:
            code = rng.choice(CODES)
            long = kind in ("episode", "movie")
            rows.append(
                (
                    cid, kind, _phrase(rng, 3).title() + f" {cid}", _phrase(rng, 30, vocabulary),
                    rng.randrange(1_200_000, 7_200_000) if long else rng.randrange(10, 120) * 1000,
                    ratings.rating_system(code), code, ratings.is_kids_friendly(code),
                    show, season, episode, library, key if library != 3 else None,
                    now if cid % 100 == 7 else None,
                )
            )  # fmt: skip
        cur.executemany(
            "INSERT INTO content_items (id, kind, title, synopsis, duration_ms, rating_system,"
            " rating_code, is_kids_friendly, show_id, season_number, episode_number,"
            " library_id, plex_rating_key, gone_from_source_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        cur.executemany(
            "INSERT INTO content_editorial (content_item_id, source_name, original_title,"
            " override_title) VALUES (?, ?, ?, ?)",
            [
                (r[0], "plex", r[2], f"Special {_phrase(rng, 2)}" if r[0] % 20 == 3 else None)
                for r in rows
            ],
        )
        tags = [(ns, key) for ns, keys in NAMESPACES.items() for key in keys]
        cur.executemany(
            "INSERT INTO content_tags (content_item_id, namespace, key) VALUES (?, ?, ?)",
            [(r[0], ns, key) for r in rows for ns, key in rng.sample(tags, rng.randint(2, 4))],
        )
        states = (
            ["ok"] * 70 + ["unknown"] * 15 + ["missing"] * 5 + ["unmapped"] * 4
            + ["unreadable"] * 2 + ["size_mismatch"] * 2 + ["probe_mismatch"] * 2
        )  # fmt: skip
        files = []
        links = []
        for r in rows:
            cid = r[0]
            if cid % 50 == 11:
                continue  # no file at all
            state = "gone" if r[13] is not None else rng.choice(states)
            files.append((cid, r[11], f"/data/{cid}.mkv", state))
            links.append((cid, cid))
        cur.executemany(
            "INSERT INTO media_files (id, library_id, plex_file_path, availability)"
            " VALUES (?, ?, ?, ?)",
            files,
        )
        cur.executemany(
            "INSERT INTO content_item_files (content_item_id, media_file_id, role)"
            " VALUES (?, ?, 'primary')",
            links,
        )
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def _rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def measure(url: str) -> dict[str, float]:
    """Open the tab under an offscreen QApplication and time what the operator waits for."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QModelIndex, Qt
    from PySide6.QtWidgets import QApplication

    from retrovue_desktop.store.migrations import head_revision
    from retrovue_desktop.ui.content_model import COLUMNS
    from retrovue_desktop.ui.content_tab import ContentTab
    from retrovue_desktop.ui.context import AppContext
    from retrovue_desktop.ui.edits import CatalogEdits

    app = QApplication.instance() or QApplication([])
    context = AppContext.open(url, head_revision())
    with context.engine.connect() as conn:  # a warm pool, as in the running app
        conn.exec_driver_sql("SELECT 1")

    def first_page(tab: ContentTab) -> None:
        model = tab.model
        for row in range(min(40, model.rowCount())):
            for column in range(len(COLUMNS)):
                model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
        assert model.rowCount(QModelIndex()) > 0

    def settle(tab: ContentTab) -> None:
        while not tab.model.is_complete():
            app.processEvents()
            time.sleep(0.001)

    started = time.perf_counter()
    tab = ContentTab(context, CatalogEdits(context.sessions))
    tab.resize(1280, 800)
    tab.show()
    first_page(tab)
    first_rows_ms = (time.perf_counter() - started) * 1000
    settle(tab)
    all_ids_ms = (time.perf_counter() - started) * 1000
    total = tab.model.total()

    filters, sorts = [], {"Duration": [], "Rating": []}
    for _ in range(REPEATS):
        started = time.perf_counter()
        tab.search.setText(SEARCH)
        tab.apply_filter()
        first_page(tab)
        filters.append((time.perf_counter() - started) * 1000)
        settle(tab)
        matched = tab.model.total()
        tab.search.clear()
        tab.apply_filter()
        settle(tab)
        for column, times in sorts.items():
            started = time.perf_counter()
            tab.table.sortByColumn(COLUMNS.index(column), Qt.SortOrder.AscendingOrder)
            first_page(tab)
            times.append((time.perf_counter() - started) * 1000)
            settle(tab)
        tab.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        settle(tab)
    filter_ms = statistics.median(filters)
    sort_duration_ms = statistics.median(sorts["Duration"])
    sort_rating_ms = statistics.median(sorts["Rating"])
    rss = _rss_mb()
    tab.close()
    context.close()
    return {
        "items_shown": total,
        "search_matches": matched,
        "first_rows_ms": round(first_rows_ms, 1),
        "all_ids_ms": round(all_ids_ms, 1),
        "filter_ms": round(filter_ms, 1),
        "sort_ms": round(max(sort_duration_ms, sort_rating_ms), 1),
        "sort_duration_ms": round(sort_duration_ms, 1),
        "sort_rating_ms": round(sort_rating_ms, 1),
        "rss_mb": round(rss, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="retrovue-content-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        started = time.perf_counter()
        make_database(url, args.items)
        setup_s = time.perf_counter() - started
        figures: dict[str, float] = {"items": args.items, "setup_s": round(setup_s, 2)}
        figures.update(measure(url))
    print(
        f"Content tab over {args.items:,} items ({figures['items_shown']:,} shown, setup"
        f" {figures['setup_s']} s): first rows {figures['first_rows_ms']} ms (target <= 200),"
        f" every id {figures['all_ids_ms']} ms (worker thread),"
        f" search '{SEARCH}' ({figures['search_matches']:,} matches)"
        f" {figures['filter_ms']} ms (target <= 100), sort {figures['sort_duration_ms']} ms"
        f" by duration / {figures['sort_rating_ms']} ms by rating (target <= 150),"
        f" RSS {figures['rss_mb']} MB (target <= 300)"
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
