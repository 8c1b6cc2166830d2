"""The Plex sync engine: incremental, batched, cancellable, never loses an edit.

For each movie or show section: one cheap look at the section list decides whether it
changed at all; if it did, flat paged listings (shows, seasons, then every episode of the
section in one listing) are compared by fingerprint with what the database holds, detail
(markers, chapters, streams) is fetched only for new or changed items with bounded
concurrency, and rows are written in batches, each its own transaction. Items Plex no
longer lists are marked gone, never deleted. A cancel or a crash leaves every committed
batch consistent, and the next sync finishes the work.
"""

from __future__ import annotations

import json
import logging
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import bindparam, case, delete, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.progress import CancelFn, ProgressFn, never_cancelled, no_progress
from retrovue_desktop.store.catalog import is_demo_location
from retrovue_desktop.store.models import (
    Library,
    PlexServer,
)
from retrovue_desktop.store.tables import CI, CIF, ED, LIB, MF, MM, SEASON, SHOW

from . import mapping
from .client import (
    TYPE_EPISODE,
    TYPE_MOVIE,
    TYPE_SEASON,
    TYPE_SHOW,
    Element,
    PlexClient,
    SectionInfo,
)
from .details import DEFAULT_PROCESS_THRESHOLD, DetailFetcher
from .errors import PlexError
from .locks import LibraryLock
from .tokens import TokenStore

log = logging.getLogger(__name__)

Listed = tuple[str, str]  # (rating key, fingerprint) of a listed movie or episode


CONTENT_COLUMNS = (
    "title", "synopsis", "duration_ms", "rating_system", "rating_code", "is_kids_friendly",
    "artwork_url", "guid_primary", "external_ids_json", "metadata_updated_at",
    "plex_rating_key", "source_fingerprint", "kind", "library_id", "show_id", "season_id",
    "season_number", "episode_number", "gone_from_source_at",
)  # fmt: skip
FILE_COLUMNS = (
    "plex_file_path", "file_size_bytes", "duration_ms", "container", "video_codec",
    "audio_codec", "width", "height",
)  # fmt: skip
EDITORIAL_COLUMNS = ("source_name", "source_payload_json", "original_title", "original_synopsis")
SQLITE_MAX_VARIABLES = 32_000  # SQLite >= 3.32 allows 32,766 parameters per statement
IN_CHUNK = 500
PREFETCH_BATCHES = 3  # ids per IN (...) list: well under every backend's parameter limit


class SyncCancelled(Exception):
    """The operator cancelled; every batch written so far is complete and kept."""


@dataclass
class SyncOptions:
    full: bool = False
    # Big enough to need few requests, small enough that parsing one page (C code that
    # holds the GIL) never stalls the window for long.
    page_size: int = 1000
    detail_keys_per_request: int = 50
    write_batch: int = 1000
    concurrency: int = 4
    timeout: float = 30.0
    # Work of at least this many items is fetched and parsed in worker processes.
    process_threshold: int = DEFAULT_PROCESS_THRESHOLD


@dataclass
class LibraryResult:
    library_id: int
    title: str
    library_type: str
    status: str = "synced"  # synced | skipped | unsupported | canceled | failed
    added: int = 0
    updated: int = 0
    unavailable: int = 0
    unchanged: int = 0
    restored: int = 0
    message: str = ""

    def counts(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unavailable} unavailable,"
            f" {self.unchanged} unchanged"
        )

    def line(self) -> str:
        if self.status == "unsupported":
            return f"{self.title}: not supported ({self.library_type} library)"
        if self.status == "skipped":
            return f"{self.title}: unchanged since the last sync ({self.unchanged} items)"
        if self.status == "failed":
            return f"{self.title}: failed: {self.message}"
        suffix = " (canceled)" if self.status == "canceled" else ""
        return f"{self.title}: {self.counts()}{suffix}"


@dataclass
class SyncResult:
    server_id: int
    server_name: str
    libraries: list[LibraryResult]


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def sync_server(
    sessions: sessionmaker[Session],
    server_id: int,
    tokens: TokenStore,
    options: SyncOptions | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    library_titles: Iterable[str] | None = None,
) -> SyncResult:
    """Sync a server's movie and show libraries (all, or those titled `library_titles`).

    Raises PlexError on a connection or server failure (after recording it on the library
    that was syncing) and SyncCancelled when `cancelled()` turns true between batches.
    """
    options = options or SyncOptions()
    progress = progress or no_progress
    cancelled = cancelled or never_cancelled
    with sessions() as session:
        server = session.get(PlexServer, server_id)
        if server is None:
            raise PlexError(f"There is no Plex server with id {server_id}.", "unknown server id")
        name, base_url, machine_id = server.name, server.base_url, server.machine_identifier
    if is_demo_location(base_url):
        raise PlexError(
            f"'{name}' belongs to the demo station: its programmes are invented, so there is"
            " nothing to sync.",
            f"demo server {server_id}",
        )
    if not base_url or not machine_id:
        raise PlexError(
            f"The Plex server '{name}' has no address or identity: add it again.",
            f"server {server_id}: base_url={base_url!r} machine_identifier={machine_id!r}",
        )
    token = tokens.get(machine_id)
    if not token:
        raise PlexError(
            f"No Plex token is saved for '{name}'. Add the server again with its token.",
            f"no token for machine {machine_id}",
        )
    client = PlexClient(base_url, token, options.timeout)
    progress("Connecting", 0, 1)
    info = client.connect()
    if info.machine_identifier != machine_id:
        raise PlexError(
            f"The server at {base_url} is a different Plex server ('{info.name}') from the"
            f" one saved as '{name}'. Check the address, or add it as a new server.",
            f"expected {machine_id}, got {info.machine_identifier}",
        )
    sections = client.sections()
    library_ids = _record_sections(sessions, server_id, sections, info.platform)
    wanted = set(library_titles) if library_titles is not None else None
    if wanted is not None:
        unknown = wanted - {s.title for s in sections}
        if unknown:
            raise PlexError(
                f"'{name}' has no library called {', '.join(sorted(unknown))}."
                f" Its libraries are: {', '.join(s.title for s in sections)}.",
                f"unknown library titles {sorted(unknown)}",
            )
    results: list[LibraryResult] = []
    for section in sections:
        if wanted is not None and section.title not in wanted:
            continue
        library_id = library_ids[section.key]
        result = LibraryResult(library_id, section.title, section.type)
        results.append(result)
        if not section.supported:
            result.status = "unsupported"
            continue
        if not options.full and _unchanged(sessions, library_id, section.version):
            result.status = "skipped"
            result.unchanged = _present_count(sessions, library_id)
            continue
        with LibraryLock(sessions, library_id, section.title) as lock:
            job = _LibrarySync(
                sessions, client, server_id, library_id, section, options, progress,
                cancelled, lock, result,
            )  # fmt: skip
            try:
                job.run()
            except SyncCancelled:
                result.status = "canceled"
                _record_result(sessions, library_id, result, None)
                raise
            except PlexError as exc:
                result.status, result.message = "failed", str(exc)
                log.error("sync of %s failed: %s (%s)", section.title, exc, exc.detail)
                _record_result(sessions, library_id, result, None)
                raise
            except Exception as exc:
                result.status = "failed"
                result.message = f"unexpected {type(exc).__name__}"
                log.exception("sync of %s failed unexpectedly", section.title)
                _record_result(sessions, library_id, result, None)
                raise PlexError(
                    f"Syncing '{section.title}' failed unexpectedly ({type(exc).__name__})."
                    " Nothing half-written was kept; try again, and see the log for details.",
                    repr(exc),
                ) from exc
            _record_result(sessions, library_id, result, section.version)
    return SyncResult(server_id, name, results)


def _record_sections(
    sessions: sessionmaker[Session],
    server_id: int,
    sections: list[SectionInfo],
    platform: str | None,
) -> dict[str, int]:
    """Every section becomes a library row (unsupported ones too, so they are listed)."""
    ids: dict[str, int] = {}
    with sessions() as session, session.begin():
        server = session.get(PlexServer, server_id)
        if server is not None and server.platform != platform:
            server.platform = platform
        existing = {
            lib.plex_library_key: lib
            for lib in session.scalars(select(Library).where(Library.server_id == server_id))
        }
        for section in sections:
            locations = json.dumps(section.locations)
            lib = existing.get(section.key)
            if lib is None:
                lib = Library(
                    server_id=server_id, plex_library_key=section.key, title=section.title,
                    library_type=section.type, source="plex", locations_json=locations,
                )  # fmt: skip
                session.add(lib)
                session.flush()
            else:
                if lib.title != section.title:
                    lib.title = section.title
                if lib.library_type != section.type:
                    lib.library_type = section.type
                if lib.locations_json != locations:
                    lib.locations_json = locations
            ids[section.key] = lib.id
    return ids


def _unchanged(sessions: sessionmaker[Session], library_id: int, version: str) -> bool:
    with sessions() as session:
        stored = session.execute(
            select(LIB.c.source_version, LIB.c.last_sync_status).where(LIB.c.id == library_id)
        ).one()
    return bool(version) and stored.source_version == version and stored.last_sync_status == "ok"


def _present_count(sessions: sessionmaker[Session], library_id: int) -> int:
    with sessions() as session:
        return int(
            session.execute(
                select(func.count())
                .select_from(CI)
                .where(CI.c.library_id == library_id, CI.c.gone_from_source_at.is_(None))
            ).scalar_one()
        )


def _record_result(
    sessions: sessionmaker[Session], library_id: int, result: LibraryResult, version: str | None
) -> None:
    """Write the outcome on the library; the change marker only after a complete sync."""
    values: dict[str, Any] = {
        "last_synced_at": int(time.time()),
        "last_sync_status": "ok" if result.status == "synced" else result.status,
        "last_sync_summary": json.dumps(
            {k: v for k, v in asdict(result).items() if k not in ("library_id",)}
        ),
    }
    if version is not None:
        values["source_version"] = version
    # Bookkeeping, not an edit of the library: keep updated_at as it was.
    values["updated_at"] = LIB.c.updated_at
    with sessions() as session, session.begin():
        session.execute(update(LIB).where(LIB.c.id == library_id).values(**values))


class _LibrarySync:
    """The work of syncing one section; see the module docstring for the plan."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        client: PlexClient,
        server_id: int,
        library_id: int,
        section: SectionInfo,
        options: SyncOptions,
        progress: ProgressFn,
        cancelled: CancelFn,
        lock: LibraryLock,
        result: LibraryResult,
    ) -> None:
        self.sessions = sessions
        self.client = client
        self.server_id = server_id
        self.library_id = library_id
        self.section = section
        self.options = options
        self.progress = progress
        self.cancelled = cancelled
        self.lock = lock
        self.result = result
        self.shows: dict[str, int] = {}
        self.seasons: dict[str, int] = {}
        self.parts: dict[str, int] = {}

    def check_cancel(self) -> None:
        if self.cancelled():
            raise SyncCancelled(f"sync of {self.section.title} canceled")

    def listing(self, libtype: int, label: str) -> list[Element]:
        items: list[Element] = []
        for page, total in self.client.pages(self.section.key, libtype, self.options.page_size):
            items.extend(page)
            self.progress(f"{self.section.title}: listing {label}", len(items), total)
            self.check_cancel()
        return items

    def listed_items(self, libtype: int, label: str) -> list[Listed]:
        """(rating key, fingerprint) of every movie or episode, in Plex's order. Only
        these two strings are kept: thousands of XML elements held for the whole sync
        would make every garbage collection (which stops all threads) slower."""
        listed: list[Listed] = []
        for page, total in self.client.pages(self.section.key, libtype, self.options.page_size):
            listed.extend(
                (elem.get("ratingKey", ""), mapping.fingerprint(elem))
                for elem in page
                if elem.get("ratingKey")
            )
            self.progress(f"{self.section.title}: listing {label}", len(listed), total)
            self.check_cancel()
        return listed

    def run(self) -> None:
        if self.section.type == "show":
            self.sync_shows(self.listing(TYPE_SHOW, "shows"))
            self.sync_seasons(self.listing(TYPE_SEASON, "seasons"))
            kind, items = "episode", self.listed_items(TYPE_EPISODE, "episodes")
        else:
            kind, items = "movie", self.listed_items(TYPE_MOVIE, "movies")
        existing = self.existing_items()
        self.parts = self.existing_parts()
        seen: set[str] = set()
        work: list[Listed] = []
        for key, print_ in items:
            if key in seen:
                continue
            seen.add(key)
            known = existing.get(key)
            if known is None or self.options.full or known[2] or known[1] != print_:
                work.append((key, print_))
            else:
                self.result.unchanged += 1
        self.write_items(work, existing, kind)
        self.mark_gone(existing, seen)

    # -- shows and seasons ---------------------------------------------------------------

    def sync_shows(self, elems: list[Element]) -> None:
        with self.sessions() as session:
            rows = session.execute(
                select(SHOW).where(SHOW.c.library_id == self.library_id)
            ).mappings()
            existing = {row["plex_rating_key"]: dict(row) for row in rows}
        wanted = [mapping.show_values(elem, self.client.base_url) for elem in elems]
        extra = {"server_id": self.server_id, "library_id": self.library_id}
        self.upsert(SHOW, existing, wanted, extra, self.shows)

    def sync_seasons(self, elems: list[Element]) -> None:
        show_ids = list(set(self.shows.values()))
        existing: dict[str, dict[str, Any]] = {}
        with self.sessions() as session:
            for chunk in _chunks(show_ids, IN_CHUNK):
                for row in session.execute(
                    select(SEASON).where(SEASON.c.show_id.in_(chunk))
                ).mappings():
                    if row["plex_rating_key"]:
                        existing[row["plex_rating_key"]] = dict(row)
        wanted = []
        for elem in elems:
            show_id = self.shows.get(elem.get("parentRatingKey") or "")
            if show_id is not None:
                wanted.append({**mapping.season_values(elem), "show_id": show_id})
        self.upsert(SEASON, existing, wanted, {}, self.seasons)

    def upsert(
        self,
        table: Any,
        existing: dict[str, dict[str, Any]],
        wanted: list[dict[str, Any]],
        extra: dict[str, Any],
        ids: dict[str, int],
    ) -> None:
        """Insert new rows, update only rows whose values differ (so an unchanged row
        keeps its updated_at), and fill `ids` by Plex rating key; one transaction."""
        new, changed = [], []
        for values in wanted:
            key = values["plex_rating_key"]
            old = existing.get(key or "")
            if old is None:
                new.append({**values, **extra})
            elif any(old[k] != v for k, v in values.items()):
                changed.append({**values, "b_id": old["id"]})
                ids[key] = old["id"]
            else:
                ids[key] = old["id"]
        with self.sessions() as session, session.begin():
            for chunk in _chunks(new, self.options.write_batch):
                for row_id, key in session.execute(
                    insert(table).returning(table.c.id, table.c.plex_rating_key), list(chunk)
                ):
                    ids[key] = row_id
            if changed:
                session.execute(_update_by_id(table, changed[0]), changed)
        self.check_cancel()

    # -- items ---------------------------------------------------------------------------

    def existing_items(self) -> dict[str, tuple[int, str | None, int | None]]:
        with self.sessions() as session:
            rows = session.execute(
                select(
                    CI.c.plex_rating_key, CI.c.id, CI.c.source_fingerprint,
                    CI.c.gone_from_source_at,
                ).where(CI.c.library_id == self.library_id)
            )  # fmt: skip
            return {row[0]: (row[1], row[2], row[3]) for row in rows if row[0] is not None}

    def existing_parts(self) -> dict[str, int]:
        with self.sessions() as session:
            rows = session.execute(
                select(MF.c.plex_part_id, MF.c.id).where(
                    MF.c.library_id == self.library_id, MF.c.plex_part_id.is_not(None)
                )
            )
            return {row[0]: row[1] for row in rows}

    def write_items(
        self,
        work: list[Listed],
        existing: dict[str, tuple[int, str | None, int | None]],
        kind: str,
    ) -> None:
        """Fetch detail for `work` in parallel, a batch ahead of the writer."""
        total = len(work)
        if not total:
            return
        batches = list(_chunks(work, self.options.write_batch))
        done = 0
        window: deque[list[Future[list[mapping.DetailRecord]]]] = deque()
        upcoming = iter(batches)
        with DetailFetcher(
            self.client, self.options.concurrency, total, self.options.process_threshold
        ) as fetcher:

            def submit(batch: Sequence[Listed]) -> list[Future[list[mapping.DetailRecord]]]:
                keys = [key for key, _print in batch]
                step = self.options.detail_keys_per_request
                return [fetcher.submit(chunk) for chunk in _chunks(keys, step)]

            for batch in batches:
                # Keep the workers a few batches ahead, so they never idle at a boundary.
                while len(window) < PREFETCH_BATCHES:
                    following = next(upcoming, None)
                    if following is None:
                        break
                    window.append(submit(following))
                details: dict[str, mapping.DetailRecord] = {}
                for future in window.popleft():
                    for record in future.result():
                        details[record.rating_key] = record
                self.check_cancel()
                self.write_batch(batch, details, existing, kind)
                done += len(batch)
                self.progress(f"{self.section.title}: writing", done, total)
                self.check_cancel()

    def write_batch(
        self,
        batch: Sequence[Listed],
        details: dict[str, mapping.DetailRecord],
        existing: dict[str, tuple[int, str | None, int | None]],
        kind: str,
    ) -> None:
        """One transaction: content, editorial, files, links and Plex markers of a batch."""
        new_rows: list[dict[str, Any]] = []
        changed_rows: list[dict[str, Any]] = []
        records: dict[str, mapping.DetailRecord] = {}
        for key, print_ in batch:
            record = details.get(key)
            if record is None:
                log.info("item %s vanished between listing and detail; next sync", key)
                continue
            records[key] = record
            values = dict(record.content)
            # The fingerprint is the listing's, so the next listing compares equal.
            values["source_fingerprint"] = print_
            values.update(
                kind=kind, library_id=self.library_id, gone_from_source_at=None,
                show_id=None, season_id=None, season_number=None, episode_number=None,
            )  # fmt: skip
            if kind == "episode":
                values.update(
                    show_id=self.shows.get(record.grandparent_key or ""),
                    season_id=self.seasons.get(record.parent_key or ""),
                    season_number=record.parent_index,
                    episode_number=record.index,
                )
            known = existing.get(key)
            if known is None:
                new_rows.append(values)
                self.result.added += 1
            else:
                changed_rows.append({**values, "b_id": known[0]})
                self.result.updated += 1
                if known[2]:
                    self.result.restored += 1
        if not records:
            return
        with self.sessions() as session, session.begin():
            self.lock.heartbeat(session)
            ids: dict[str, int] = {}
            if new_rows:
                bulk_insert(session, CI, new_rows)
                for key, row_id in self.ids_by(session, CI.c.plex_rating_key, CI, new_rows):
                    ids[key] = row_id
                    existing[key] = (row_id, None, None)
            if changed_rows:
                session.execute(_update_by_id(CI, changed_rows[0]), changed_rows)
                for row in changed_rows:
                    ids[row["plex_rating_key"]] = row["b_id"]
            changed_ids = [row["b_id"] for row in changed_rows]
            self.write_editorial(session, records, ids, changed_ids)
            self.write_files(session, records, ids, changed_ids)

    def ids_by(
        self, session: Session, key_column: Any, table: Any, rows: list[dict[str, Any]]
    ) -> list[tuple[str, int]]:
        """Read back the ids of rows just inserted, by their Plex key in this library."""
        keys = [row[key_column.name] for row in rows]
        found: list[tuple[str, int]] = []
        for chunk in _chunks(keys, IN_CHUNK):
            found.extend(
                (row[0], row[1])
                for row in session.execute(
                    select(key_column, table.c.id).where(
                        table.c.library_id == self.library_id, key_column.in_(chunk)
                    )
                )
            )
        return found

    def write_editorial(
        self,
        session: Session,
        records: dict[str, mapping.DetailRecord],
        ids: dict[str, int],
        changed_ids: list[int],
    ) -> None:
        """Source columns only; an existing row keeps its overrides. Only items that
        existed before can have a row, so only they are looked up."""
        have = _column_where_in(session, ED.c.content_item_id, ED.c.content_item_id, changed_ids)
        inserts, updates = [], []
        for key, record in records.items():
            values = record.editorial
            if ids[key] in have:
                updates.append({**values, "b_id": ids[key]})
            else:
                inserts.append({**values, "content_item_id": ids[key]})
        bulk_insert(session, ED, inserts)
        if updates:
            statement = (
                update(ED)
                .where(ED.c.content_item_id == bindparam("b_id"))
                .values({col: bindparam(col) for col in EDITORIAL_COLUMNS})
            )
            session.execute(statement, updates)

    def write_files(
        self,
        session: Session,
        records: dict[str, mapping.DetailRecord],
        ids: dict[str, int],
        changed_ids: list[int],
    ) -> None:
        """Files, links and Plex markers; links and Plex markers of changed items are
        replaced, files they no longer use are marked gone, manual markers stay."""
        previously = _column_where_in(
            session, CIF.c.media_file_id, CIF.c.content_item_id, changed_ids
        )
        file_rows: list[tuple[int, mapping.FileValues]] = []
        inserts, updates = [], []
        for key, record in records.items():
            for fv in record.files:
                file_rows.append((ids[key], fv))
                if fv.part_id in self.parts:
                    updates.append({**fv.values, "b_id": self.parts[fv.part_id]})
                else:
                    inserts.append(
                        {
                            **fv.values,
                            "plex_part_id": fv.part_id,
                            "library_id": self.library_id,
                            "availability": "unknown",
                        }
                    )
        if inserts:
            bulk_insert(session, MF, inserts)
            for part_id, row_id in self.ids_by(session, MF.c.plex_part_id, MF, inserts):
                self.parts[part_id] = row_id
        if updates:
            statement = (
                update(MF)
                .where(MF.c.id == bindparam("b_id"))
                .values({col: bindparam(col) for col in FILE_COLUMNS})
                .values(
                    availability=case(
                        (MF.c.availability == "gone", "unknown"), else_=MF.c.availability
                    ),
                )
            )
            session.execute(statement, updates)
        if changed_ids:
            session.execute(delete(CIF).where(CIF.c.content_item_id.in_(changed_ids)))
        links: list[dict[str, Any]] = []
        markers: list[dict[str, Any]] = []
        primary_files: list[int] = []
        linked: set[int] = set()
        pairs: set[tuple[int, int]] = set()
        for item_id, fv in file_rows:
            file_id = self.parts[fv.part_id]
            if (item_id, file_id) in pairs:  # Plex listed one part twice
                continue
            pairs.add((item_id, file_id))
            links.append({"content_item_id": item_id, "media_file_id": file_id, "role": fv.role})
            linked.add(file_id)
            if fv.role == "primary":
                primary_files.append(file_id)
                markers.extend({**m, "media_file_id": file_id} for m in fv.markers)
        bulk_insert(session, CIF, links)
        if primary_files and (changed_ids or updates):
            session.execute(
                delete(MM).where(
                    MM.c.media_file_id.in_(primary_files), MM.c.source.in_(("detected", "file"))
                )
            )
        bulk_insert(session, MM, markers)
        dropped = previously - linked
        if dropped:
            session.execute(
                update(MF).where(MF.c.id.in_(list(dropped))).values(availability="gone")
            )

    def mark_gone(
        self, existing: dict[str, tuple[int, str | None, int | None]], seen: set[str]
    ) -> None:
        """Items Plex no longer lists: marked (with their files), never deleted."""
        gone = [v[0] for k, v in existing.items() if k not in seen and v[2] is None]
        if not gone:
            return
        self.progress(f"{self.section.title}: marking removed items", 0, len(gone))
        now = int(time.time())
        with self.sessions() as session, session.begin():
            self.lock.heartbeat(session)
            for chunk in _chunks(gone, IN_CHUNK):
                session.execute(
                    update(CI).where(CI.c.id.in_(chunk)).values(gone_from_source_at=now)
                )
                files = select(CIF.c.media_file_id).where(CIF.c.content_item_id.in_(chunk))
                session.execute(update(MF).where(MF.c.id.in_(files)).values(availability="gone"))
        self.result.unavailable = len(gone)


def _column_where_in(session: Session, column: Any, key: Any, ids: list[int]) -> set[int]:
    """The values of `column` in rows whose `key` is one of `ids` (none for no ids)."""
    if not ids:
        return set()
    return set(session.execute(select(column).where(key.in_(ids))).scalars())


def bulk_insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT many rows at driver speed.

    SQLAlchemy compiles the statement once for this backend; per-row parameter handling
    is skipped, which is most of the cost at 20,000 rows. On SQLite the rows go as
    multi-row VALUES statements: sqlite3's executemany releases and retakes the GIL for
    every row, and with detail-fetch threads parsing XML each retake can wait a whole
    switch interval. Rows must give every column the statement binds.
    """
    if not rows:
        return
    connection = session.connection()
    compiled = insert(table).compile(dialect=connection.dialect, column_keys=list(rows[0]))
    if not compiled.positional:
        names = list(compiled.binds)
        connection.exec_driver_sql(
            compiled.string, [{name: row[name] for name in names} for row in rows]
        )
        return
    order = list(compiled.positiontup or [])
    head, _, values = compiled.string.partition(" VALUES ")
    per_statement = max(1, SQLITE_MAX_VARIABLES // max(1, len(order)))
    for chunk in _chunks(rows, per_statement):
        params = tuple(row[name] for row in chunk for name in order)
        sql = f"{head} VALUES {', '.join([values] * len(chunk))}"
        connection.exec_driver_sql(sql, params)


def _update_by_id(table: Any, sample: dict[str, Any]) -> Any:
    """An executemany UPDATE by primary key (`b_id`) for rows shaped like `sample`;
    updated_at is set by the column's onupdate."""
    columns = [k for k in sample if k != "b_id"]
    return (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values({col: bindparam(col) for col in columns})
    )
