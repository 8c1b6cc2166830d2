"""Validation: can every file a library lists be played from this computer?

Each file (except those its source no longer lists, 'gone', and the demo station's
invented files, 'demo', which are on no disk and must never turn 'missing') is mapped to
a local path, looked at on disk in a pool of threads (exists, is a regular file, opens,
has the size the catalogue knows; with `probe`, has the duration and codecs it knows),
and its availability, reason, local path and canonical_uri are written back in batches,
each its own transaction, only where something changed. A file on a network share that does not
answer is marked unreadable after a per-file deadline instead of stalling the job.
"""

from __future__ import annotations

import logging
import os
import queue
import stat as stat_module
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar

from sqlalchemy import ARRAY, Integer, any_, bindparam, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.progress import CancelFn, ProgressFn, never_cancelled, no_progress
from retrovue_desktop.store.catalog import AVAILABILITY, DEMO_AVAILABILITY
from retrovue_desktop.store.tables import CI, CIF, ED, MF

from . import probe as probing
from .errors import MediaCancelled, MediaError
from .libraries import library_or_refuse
from .pathmap import PathMapper, canonical_uri, load_mappings

log = logging.getLogger(__name__)

StatFn = Callable[[str], os.stat_result]


PROBLEMS = ("unmapped", "missing", "unreadable", "size_mismatch", "probe_mismatch")
# Files validation leaves as they are: gone from their source, or invented (demo).
_NOT_CHECKED = ("gone", DEMO_AVAILABILITY)
# The states a file of a real library can be in ('demo' only appears in the demo's).
REAL_STATES = tuple(a for a in AVAILABILITY if a != DEMO_AVAILABILITY)
DURATION_TOLERANCE_MS = 1000
# MediaInfo reads part of a file that answered its stat: it gets this much more time.
PROBE_TIMEOUT_S = 60.0
# After this many files under one mapped folder time out, the rest under it are not
# tried: a dead share would otherwise cost every file the full deadline.
GROUP_TIMEOUT_LIMIT = 3
IN_CHUNK = 1000
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)

T = TypeVar("T")
R = TypeVar("R")


# -- a thread pool whose every item has a deadline ------------------------------------------


@dataclass(frozen=True)
class TimedOut:
    """An item that did not finish in time (`after_s` seconds); `skipped` when it was not
    even tried because others in its group had already timed out."""

    skipped: bool = False
    after_s: float = 0.0


@dataclass(frozen=True)
class _Failed:
    error: BaseException


class _Batch:
    def __init__(self, items: Sequence[Any], chunks: int) -> None:
        self.items = items
        self.results: list[Any] = [None] * len(items)
        self.pending = chunks
        self.dropped = False
        self.lock = threading.Lock()
        self.done = threading.Event()
        if chunks == 0:
            self.done.set()

    def chunk_done(self) -> None:
        with self.lock:
            self.pending -= 1
            if self.pending == 0:
                self.done.set()


class _Chunk(NamedTuple):
    batch: _Batch
    start: int
    stop: int


class _Worker:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        # chunk, position, started, deadline (time.monotonic)
        self.current: tuple[_Chunk, int, float, float] | None = None
        self.abandoned = False


_running = threading.local()


def extend_deadline(seconds: float) -> None:
    """Give the item this thread is working on `seconds` more from now (a file that
    answered its stat quickly and is now being read by MediaInfo). Outside a pool, a
    no-op."""
    worker: _Worker | None = getattr(_running, "worker", None)
    if worker is None:
        return
    with worker.lock:
        if worker.current is not None and not worker.abandoned:
            chunk, pos, started, _deadline = worker.current
            worker.current = (chunk, pos, started, time.monotonic() + seconds)


class DeadlinePool(Generic[T, R]):
    """Runs `fn` over items in daemon threads; an item still running after `timeout_s`
    (plus what `fn` asked for with `extend_deadline`) gets a TimedOut result and its
    thread is abandoned (replaced by a fresh one).

    Daemon threads because a thread stuck in a stat on a dead mount never returns:
    concurrent.futures would join it at interpreter exit and hang the app's shutdown.
    Items go to the threads in chunks (a queue operation per file costs more than a
    stat of a cached local file), and results come back in item order.
    """

    def __init__(
        self,
        fn: Callable[[T], R],
        *,
        workers: int,
        timeout_s: float,
        group: Callable[[T], Hashable] | None = None,
        group_limit: int = GROUP_TIMEOUT_LIMIT,
        chunk_size: int = 64,
        name: str = "retrovue-media",
    ) -> None:
        self._fn = fn
        self._timeout = timeout_s
        self._group = group
        self._group_limit = group_limit
        self._chunk_size = max(1, chunk_size)
        self._name = name
        self._queue: queue.SimpleQueue[_Chunk | None] = queue.SimpleQueue()
        self._workers: list[_Worker] = []
        self._outstanding: list[_Batch] = []
        self.timeouts: Counter[Hashable] = Counter()
        self.abandoned_threads = 0
        self._tick = max(0.005, min(0.05, timeout_s / 5))
        for _ in range(max(1, workers)):
            self._spawn()

    def __enter__(self) -> DeadlinePool[T, R]:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _spawn(self) -> None:
        worker = _Worker()
        self._workers.append(worker)
        thread = threading.Thread(target=self._run, args=(worker,), name=self._name, daemon=True)
        thread.start()

    def _run(self, worker: _Worker) -> None:
        fn, group, limit, timeouts = self._fn, self._group, self._group_limit, self.timeouts
        timeout = self._timeout
        _running.worker = worker
        while True:
            chunk = self._queue.get()
            if chunk is None:
                return
            batch = chunk.batch
            items, results = batch.items, batch.results
            for pos in range(chunk.start, chunk.stop):
                if batch.dropped:
                    break
                item = items[pos]
                if group is not None and timeouts.get(group(item), 0) >= limit:
                    results[pos] = TimedOut(skipped=True)
                    continue
                with worker.lock:
                    if worker.abandoned:
                        return
                    started = time.monotonic()
                    worker.current = (chunk, pos, started, started + timeout)
                try:
                    result: Any = fn(item)
                except BaseException as exc:  # a bug in fn: re-raised by results()
                    result = _Failed(exc)
                with worker.lock:
                    if worker.abandoned:
                        return  # too late: the item was reported as timed out
                    worker.current = None
                    results[pos] = result
            batch.chunk_done()

    def submit(self, items: Sequence[T]) -> _Batch:
        """Queue `items`; collect with `results()` (batches may be queued ahead)."""
        size = self._chunk_size
        starts = range(0, len(items), size)
        batch = _Batch(items, len(starts))
        self._outstanding.append(batch)
        for start in starts:
            self._queue.put(_Chunk(batch, start, min(start + size, len(items))))
        return batch

    def results(self, batch: _Batch) -> list[R | TimedOut]:
        """Wait for a batch, reaping items past their deadline meanwhile."""
        while not batch.done.wait(self._tick):
            self._reap()
        self._outstanding.remove(batch)
        for result in batch.results:
            if isinstance(result, _Failed):
                raise result.error
        return batch.results

    def _reap(self) -> None:
        now = time.monotonic()
        for worker in list(self._workers):
            with worker.lock:
                current = worker.current
                if current is None or now < current[3]:
                    continue
                worker.abandoned = True
                chunk, pos, started, deadline = current
                chunk.batch.results[pos] = TimedOut(after_s=round(deadline - started, 3))
            self._workers.remove(worker)
            self.abandoned_threads += 1
            if self._group is not None:
                self.timeouts[self._group(chunk.batch.items[pos])] += 1
            self._spawn()
            if pos + 1 < chunk.stop:
                self._queue.put(_Chunk(chunk.batch, pos + 1, chunk.stop))
            else:
                chunk.batch.chunk_done()

    def close(self) -> None:
        """Stop the threads; work not yet collected is dropped. Never waits on a thread
        (one may be stuck in the kernel for good)."""
        for batch in self._outstanding:
            batch.dropped = True
        self._outstanding.clear()
        for _ in self._workers:
            self._queue.put(None)
        self._workers.clear()


# -- checking one file -----------------------------------------------------------------------


class _Task(NamedTuple):
    path: str
    size: int | None
    duration_ms: int | None
    video_codec: str | None
    audio_codec: str | None
    group: int
    probe: bool  # read with MediaInfo too


Verdict = tuple[str, str | None]


def _clock(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _check_file(task: _Task, *, stat_fn: StatFn = os.stat) -> Verdict:
    """Availability of one file and, for a problem, why (a short sentence)."""
    path = task.path
    try:
        st = stat_fn(path)
    except (FileNotFoundError, NotADirectoryError):
        folder = os.path.dirname(path)
        if folder and not os.path.isdir(folder):
            return "missing", "Not found, nor its folder: is the drive or share connected?"
        return "missing", "Not found."
    except PermissionError:
        return "unreadable", "Permission denied: a folder on the way cannot be opened."
    except OSError as exc:
        return "unreadable", f"Cannot be looked at: {exc.strerror or exc}."
    if stat_module.S_ISDIR(st.st_mode):
        return "unreadable", "It is a folder, not a file."
    if not stat_module.S_ISREG(st.st_mode):
        return "unreadable", "It is not a regular file (a pipe, socket or device)."
    try:
        os.close(os.open(path, OPEN_FLAGS))
    except PermissionError:
        return "unreadable", "Permission denied: this user cannot read it."
    except OSError as exc:
        return "unreadable", f"Cannot be opened: {exc.strerror or exc}."
    if task.size is not None and st.st_size != task.size:
        return "size_mismatch", (
            f"Size differs: {st.st_size:,} bytes here, {task.size:,} in the catalogue."
        )
    if task.probe:
        extend_deadline(PROBE_TIMEOUT_S)
        try:
            found = probing.probe(path)
        except MediaError as exc:
            return "unreadable", str(exc)
        differences = probe_differences(task, found)
        if differences:
            text = "; ".join(differences)
            return "probe_mismatch", text[0].upper() + text[1:] + "."
    return "ok", None


def probe_differences(task: _Task, found: probing.ProbeResult) -> list[str]:
    """What the file says that the catalogue does not, in words."""
    differences = []
    if (
        task.duration_ms is not None
        and found.duration_ms is not None
        and abs(task.duration_ms - found.duration_ms) > DURATION_TOLERANCE_MS
    ):
        differences.append(
            f"duration {_clock(found.duration_ms)} here, {_clock(task.duration_ms)} in the"
            " catalogue"
        )
    for what, expected, actual in (
        ("video", task.video_codec, found.video_codec),
        ("audio", task.audio_codec, found.audio_codec),
    ):
        want, have = probing.normalise_codec(expected), probing.normalise_codec(actual)
        if want and have and want != have:
            differences.append(f"{what} {have} here, {want} in the catalogue")
    return differences


# -- validating a library --------------------------------------------------------------------


@dataclass
class ValidationResult:
    library_id: int
    title: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REAL_STATES, 0))
    checked: int = 0
    skipped_gone: int = 0
    skipped_demo: int = 0
    changed: int = 0

    def line(self) -> str:
        shown = [f"{n} {name.replace('_', ' ')}" for name, n in self.counts.items() if n]
        text = f"{self.title}: {self.checked} checked"
        if shown:
            text += ": " + ", ".join(shown)
        if self.skipped_gone:
            text += f" ({self.skipped_gone} gone from the source, not checked)"
        if self.skipped_demo:
            text += f" ({self.skipped_demo} demo files, never checked)"
        return text


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_COLUMNS = (
    MF.c.id, MF.c.plex_file_path, MF.c.local_file_path, MF.c.file_size_bytes,
    MF.c.duration_ms, MF.c.video_codec, MF.c.audio_codec, MF.c.availability,
    MF.c.availability_reason, MF.c.canonical_uri,
)  # fmt: skip


class _Row(NamedTuple):
    id: int
    plex_file_path: str | None
    local_file_path: str | None
    file_size_bytes: int | None
    duration_ms: int | None
    video_codec: str | None
    audio_codec: str | None
    availability: str
    availability_reason: str | None
    canonical_uri: str | None


def validate_library(
    sessions: sessionmaker[Session],
    library_id: int,
    *,
    probe: bool = False,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    workers: int = 16,
    stat_timeout_s: float = 5.0,
    batch_size: int = 2000,
    stat_fn: StatFn = os.stat,
) -> ValidationResult:
    """Check every file of a library and record what was found.

    Raises MediaError for an unknown library and MediaCancelled (with the counts so far)
    when `cancelled()` turns true between batches; every batch written is complete.
    `stat_fn` replaces os.stat for the first look at each file (tests use it to stand
    for a share that does not answer).
    """
    progress = progress or no_progress
    cancelled = cancelled or never_cancelled
    with sessions() as session:
        library = library_or_refuse(session, library_id)
        title, source, root = library.title, library.source, library.root_path
        mappings, windows = load_mappings(session, library_id)
        skipped: dict[str, int] = dict(
            session.execute(
                select(MF.c.availability, func.count())
                .where(MF.c.library_id == library_id, MF.c.availability.in_(_NOT_CHECKED))
                .group_by(MF.c.availability)
            ).all()
        )
        # Ids first, then each batch by id: a keyset query on (library_id, id > last)
        # makes SQLite walk the library index and sort it again for every batch.
        ids = list(
            session.execute(
                select(MF.c.id)
                .where(MF.c.library_id == library_id, MF.c.availability.not_in(_NOT_CHECKED))
                .order_by(MF.c.id)
            ).scalars()
        )
    result = ValidationResult(library_id, title)
    result.skipped_gone = int(skipped.get("gone", 0))
    result.skipped_demo = int(skipped.get(DEMO_AVAILABILITY, 0))
    total = len(ids)
    mapper = PathMapper(mappings, windows_server=windows) if source == "plex" else None
    # A dead share is recognised per mapped folder (or per library root).
    group_names = [m.local_prefix for m in mappings] if mapper else [root or title]

    def check(task: _Task) -> Verdict:
        return _check_file(task, stat_fn=stat_fn)

    progress(f"{title}: checking files", 0, total)
    pool: DeadlinePool[_Task, Verdict] = DeadlinePool(
        check, workers=workers, timeout_s=stat_timeout_s, group=lambda t: t.group
    )
    try:
        pending: deque[tuple[list[_Row], list[str | None], _Batch, list[int]]] = deque()
        id_batches = iter(_chunks(ids, max(1, batch_size)))
        while True:
            # Keep the next batch's files being looked at while this one is written.
            while len(pending) < 2:
                batch_ids = next(id_batches, None)
                if batch_ids is None:
                    break
                rows = _read_batch(sessions, batch_ids)
                paths, tasks, positions = _plan(rows, mapper, probe)
                pending.append((rows, paths, pool.submit(tasks), positions))
            if not pending:
                break
            rows, paths, batch, positions = pending.popleft()
            looked = pool.results(batch)
            verdicts = _verdicts(paths, batch.items, looked, positions, group_names)
            _write_batch(sessions, rows, paths, verdicts, source, result)
            result.checked += len(rows)
            progress(f"{title}: checking files", result.checked, total)
            if cancelled():
                raise MediaCancelled(result)
    finally:
        pool.close()
    if pool.abandoned_threads:
        log.warning(
            "validation of %s: %d files did not answer within %g s",
            title, pool.abandoned_threads, stat_timeout_s,
        )  # fmt: skip
    return result


def _id_in(session: Session, ids: Sequence[int]) -> Any:
    """`media_files.id IN ids`; on PostgreSQL as one array parameter rather than one
    parameter per id for the driver to splice in."""
    if session.connection().dialect.name == "postgresql":
        return MF.c.id == any_(bindparam("ids", list(ids), type_=ARRAY(Integer)))
    return MF.c.id.in_(list(ids))


def _read_batch(sessions: sessionmaker[Session], ids: Sequence[int]) -> list[_Row]:
    with sessions() as session:
        rows = session.execute(
            select(*_COLUMNS)
            .where(_id_in(session, ids), MF.c.availability.not_in(_NOT_CHECKED))
            .order_by(MF.c.id)
        )
        return [_Row._make(row) for row in rows]


# What only MediaInfo can see: a quick validation reads these files again rather than
# clear (or keep) a verdict it cannot check. There are few of them.
PROBE_VERDICTS = ("probe_mismatch", "unreadable")


def _plan(
    rows: list[_Row], mapper: PathMapper | None, probe: bool
) -> tuple[list[str | None], list[_Task], list[int]]:
    """Local paths of a batch and the files to look at (unmapped ones need no look);
    `positions[k]` is the row index of task k."""
    paths: list[str | None] = []
    tasks: list[_Task] = []
    positions: list[int] = []
    for index, row in enumerate(rows):
        # The group is the mapping used (Plex) or the library root (local): 0.
        group = 0 if mapper is None else -1
        if mapper is not None and row.plex_file_path is not None:
            resolved = mapper.resolve(row.plex_file_path)
            path, group = resolved if resolved is not None else (None, -1)
        else:
            path = row.local_file_path
        paths.append(path)
        if path is not None:
            positions.append(index)
            tasks.append(
                _Task(path, row.file_size_bytes, row.duration_ms, row.video_codec,
                      row.audio_codec, group, probe or row.availability in PROBE_VERDICTS)
            )  # fmt: skip
    return paths, tasks, positions


def _verdicts(
    paths: list[str | None],
    tasks: Sequence[_Task],
    looked: list[Verdict | TimedOut],
    positions: list[int],
    group_names: list[str],
) -> list[Verdict]:
    """Every row's verdict: unmapped, what the look found, or a timeout in words."""
    unmapped = ("unmapped", "No path mapping covers its Plex folder: add one for this library.")
    verdicts: list[Verdict] = [unmapped] * len(paths)
    for k, outcome in enumerate(looked):
        if isinstance(outcome, TimedOut):
            if outcome.skipped:
                group = tasks[k].group
                where = group_names[group] if 0 <= group < len(group_names) else ""
                outcome = (
                    "unreadable",
                    f"Not tried: {GROUP_TIMEOUT_LIMIT} other files under {where or 'its folder'}"
                    " did not answer (is the share down?).",
                )
            else:
                outcome = (
                    "unreadable",
                    f"Did not answer within {outcome.after_s:g} s (is the share down?).",
                )
        verdicts[positions[k]] = outcome
    return verdicts


def _write_batch(
    sessions: sessionmaker[Session],
    rows: list[_Row],
    paths: list[str | None],
    verdicts: list[Verdict],
    source: str,
    result: ValidationResult,
) -> None:
    """One transaction; only rows whose values changed get a full UPDATE (and a new
    updated_at); the rest only get last_verified_at."""
    now = int(time.time())
    changed: list[dict[str, Any]] = []
    unchanged: list[int] = []
    for row, path, (availability, reason) in zip(rows, paths, verdicts, strict=True):
        if source != "plex":
            path = row.local_file_path
        uri = None
        if availability == "ok" and path is not None:
            same_place = path == row.local_file_path and row.canonical_uri is not None
            uri = row.canonical_uri if same_place else canonical_uri(path)
        result.counts[availability] += 1
        if (
            availability == row.availability
            and reason == row.availability_reason
            and path == row.local_file_path
            and uri == row.canonical_uri
        ):
            unchanged.append(row.id)
        else:
            changed.append(
                {
                    "b_id": row.id,
                    "availability": availability,
                    "availability_reason": reason,
                    "local_file_path": path,
                    "canonical_uri": uri,
                    "last_verified_at": now,
                }
            )
    result.changed += len(changed)
    with sessions() as session, session.begin():
        _update_changed(session, changed)
        for chunk in _chunks(unchanged, IN_CHUNK):
            session.execute(
                update(MF)
                .where(_id_in(session, chunk), MF.c.availability != "gone")
                .values(last_verified_at=now, updated_at=MF.c.updated_at)
            )


_UPDATED = (
    "availability", "availability_reason", "local_file_path", "canonical_uri",
    "last_verified_at",
)  # fmt: skip
SQLITE_MAX_VARIABLES = 32_000


def _update_changed(session: Session, changed: list[dict[str, Any]]) -> None:
    """UPDATE the changed rows by id (a 'gone' row set meanwhile by a sync is left alone).

    The rows go as one UPDATE … FROM a list of rows (VALUES on SQLite, arrays on
    PostgreSQL) rather than an executemany: sqlite3's executemany releases and retakes
    the GIL for every row (with the next batch's stat threads running, each retake can
    wait a whole switch interval), and psycopg's costs a pipelined exchange per row.
    """
    if not changed:
        return
    names = ("b_id", *_UPDATED)
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        # SQLite cannot name a VALUES list's columns in its alias: a CTE does.
        row_sql = "(" + ", ".join("?" * len(names)) + ")"
        assignments = ", ".join(f"{name} = v.{name}" for name in _UPDATED)
        for chunk in _chunks(changed, SQLITE_MAX_VARIABLES // len(names)):
            sql = (
                f"WITH v({', '.join(names)}) AS (VALUES {', '.join([row_sql] * len(chunk))})"
                f" UPDATE media_files SET {assignments}, updated_at = CURRENT_TIMESTAMP"
                " FROM v WHERE media_files.id = v.b_id AND media_files.availability != 'gone'"
            )
            connection.exec_driver_sql(sql, tuple(row[name] for row in chunk for name in names))
        return
    if connection.dialect.name == "postgresql":
        # Six arrays, whatever the number of rows: nothing per row to compile or send.
        assignments = ", ".join(f"{name} = v.{name}" for name in _UPDATED)
        sql = (
            f"UPDATE media_files SET {assignments}, updated_at = CURRENT_TIMESTAMP"
            " FROM unnest(%s::integer[], %s::text[], %s::text[], %s::text[], %s::text[],"
            f" %s::bigint[]) AS v({', '.join(names)})"
            " WHERE media_files.id = v.b_id AND media_files.availability <> 'gone'"
        )
        connection.exec_driver_sql(sql, tuple([row[name] for row in changed] for name in names))
        return
    session.execute(
        update(MF)
        .where(MF.c.id == bindparam("b_id"), MF.c.availability != "gone")
        .values({name: bindparam(name) for name in _UPDATED}),
        changed,
    )


# -- reading the results ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemFile:
    media_file_id: int
    path: str | None
    availability: str
    reason: str | None
    title: str | None


def problem_files(
    session: Session,
    library_id: int,
    availability: str | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[ProblemFile]:
    """A page of the library's files that cannot be played (or, with `availability`,
    of files in that state), by path; the title is what the operator sees (override
    first) of the content the file carries, its primary role first."""
    title = (
        select(func.coalesce(ED.c.override_title, CI.c.title))
        .select_from(CIF.join(CI, CI.c.id == CIF.c.content_item_id))
        .outerjoin(ED, ED.c.content_item_id == CI.c.id)
        .where(CIF.c.media_file_id == MF.c.id)
        .order_by((CIF.c.role != "primary"), CI.c.id)
        .limit(1)
        .scalar_subquery()
    )
    path = func.coalesce(MF.c.local_file_path, MF.c.plex_file_path)
    wanted = (
        MF.c.availability == availability
        if availability is not None
        else MF.c.availability.in_(PROBLEMS)
    )
    rows = session.execute(
        select(MF.c.id, path, MF.c.availability, MF.c.availability_reason, title)
        .where(MF.c.library_id == library_id, wanted)
        .order_by(path, MF.c.id)
        .limit(limit)
        .offset(offset)
    )
    return [ProblemFile(*row) for row in rows]


def availability_counts(session: Session, library_id: int) -> dict[str, int]:
    """How many of the library's files are in each state (every real state listed;
    'demo' only where there are demo files)."""
    counts = dict.fromkeys(REAL_STATES, 0)
    rows = session.execute(
        select(MF.c.availability, func.count())
        .where(MF.c.library_id == library_id)
        .group_by(MF.c.availability)
    )
    for availability, count in rows:
        counts[availability] = int(count)
    return counts
