"""The play log's weekly rotation: old weeks move to compressed CSV archives, loss-free.

A week is Monday 00:00 UTC to the next Monday 00:00 UTC, named by its ISO week
("2026-W47"). A row belongs to the week of the date its `ts_start` text begins with
(play_times text is UTC, so for every row RetroVue writes that is its UTC start); rows
are selected by that text, so the (channel_id, ts_start) index is not needed and a row
is never in two weeks. A row whose start does not begin with a readable date stays live.

`rotate` keeps the newest `weeks_kept` weeks (the week holding `now` is the first) and,
oldest first, for each older week with rows:

1. reads the week's rows with their channel label and title (PlayRow);
2. merges them with the week's archive if one exists (rows added to an old week later,
   or a rotation whose deletes were rolled back): the union by id, the database's row
   winning, so nothing archived before is ever dropped; an unreadable archive stops
   the rotation (it is never overwritten);
3. writes `play-log-2026-W47.csv.gz` to a temporary file in the archive folder, reads it
   back from disk and compares the row count, a sha256 of the canonical CSV and every
   field with what it meant to write; only then renames it over the week's file;
4. deletes exactly those rows in the caller's session; the caller commits.

Any failure raises ArchiveError (nothing of this call is deleted once the caller rolls
back). Cancelling stops after the current week: the report says so, and what was done
is the caller's to commit (every archived week is complete and verified).

The archive CSV: a header of PlayRow's field names, then one line per row ordered by
ts_start and id. An empty cell is NULL; a text that is empty or starts with a backslash
gets one more backslash in front, so every value reads back exactly.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
import re
import tempfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, select, text
from sqlalchemy.orm import Session

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.progress import CancelFn, ProgressFn, never_cancelled, no_progress
from retrovue_desktop.store.channels import list_channels
from retrovue_desktop.store.programming import PLAY_KINDS
from retrovue_desktop.store.tables import CHANNELS, CI, INSTANCES, MF, PLAYS

from .play_query import read_rows, row_select
from .play_rows import PlayRow

COLUMNS = tuple(f.name for f in fields(PlayRow))
_INT_FIELDS = frozenset(
    {"id", "channel_id", "content_item_id", "media_file_id", "schedule_instance_id",
     "ad_block_seq"}
)  # fmt: skip
_REQUIRED = frozenset({"id", "channel_id", "channel", "ts_start", "item_kind"})
PREFIX, SUFFIX = "play-log-", ".csv.gz"
_NAME = re.compile(r"^play-log-(\d{4}-W\d{2})\.csv\.gz$")
DAY = 86_400
BATCH = 500  # ids per IN (...) list: well under every backend's parameter limit


class ArchiveError(OperatorError):
    """An archive could not be written, verified, read or restored."""


@dataclass(frozen=True)
class WeekArchived:
    """One week moved out of the live play log."""

    week: str  # "2026-W47"
    path: Path
    deleted: int  # rows taken out of the database
    rows: int  # rows in the archive file now (with any archived before)
    sha256: str  # of the archive's canonical CSV


@dataclass(frozen=True)
class RotationReport:
    weeks_kept: int
    first_kept: date  # the Monday of the oldest week still live
    weeks: list[WeekArchived] = field(default_factory=list)
    unreadable: int = 0  # old rows left live: their start is not a readable date
    complete: bool = True  # False when cancelled after `weeks`

    @property
    def deleted(self) -> int:
        return sum(w.deleted for w in self.weeks)

    def line(self) -> str:
        """One sentence for the status bar."""
        if not self.weeks:
            text_ = f"Play log rotation: nothing before {week_key(self.first_kept)} to archive."
        else:
            span = self.weeks[0].week
            if len(self.weeks) > 1:
                span += f" to {self.weeks[-1].week}"
            noun = "week" if len(self.weeks) == 1 else "weeks"
            text_ = (
                f"Archived {self.deleted:,} play log rows of {len(self.weeks)} {noun}"
                f" ({span}) into {self.weeks[0].path.parent}."
            )
        if self.unreadable:
            text_ += f" {self.unreadable:,} older rows have an unreadable start and stay live."
        if not self.complete:
            text_ += " Stopped before the end; the rest waits for the next rotation."
        return text_


@dataclass(frozen=True)
class ArchiveInfo:
    """An archive file as the archives dialog lists it."""

    week: str
    path: Path
    rows: int
    first: str | None  # ts_start text of its first and last rows
    last: str | None
    problem: str = ""  # why it could not be read, when it could not


# --- weeks -------------------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_key(monday: date) -> str:
    """The ISO week name of the week starting on `monday`: "2026-W47"."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def archive_path(archive_dir: Path, monday: date) -> Path:
    return archive_dir / f"{PREFIX}{week_key(monday)}{SUFFIX}"


def first_kept(now: int, weeks_kept: int) -> date:
    """The Monday starting the oldest of the newest `weeks_kept` weeks (the week holding
    `now` counts as the first)."""
    today = datetime.fromtimestamp(now, UTC).date()
    return monday_of(today) - timedelta(weeks=weeks_kept - 1)


def due(last_run: int | None, now: int) -> bool:
    """Whether the start-up rotation should run: at most once a day. A last run in
    the future (the clock was set back) does not block it."""
    return last_run is None or not (0 <= now - last_run < DAY)


# --- the CSV -----------------------------------------------------------------------


def _cell(name: str, value: object) -> str:
    if value is None:
        return ""
    if name in _INT_FIELDS:
        return str(value)
    text_ = str(value)
    return "\\" + text_ if text_ == "" or text_.startswith("\\") else text_


def _value(name: str, cell: str) -> int | str | None:
    if cell == "":
        return None
    if name in _INT_FIELDS:
        return int(cell)
    return cell[1:] if cell.startswith("\\") else cell


def _write_csv(out: io.TextIOBase, rows: Iterable[PlayRow]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(name, getattr(row, name)) for name in COLUMNS])


def canonical_csv(rows: Iterable[PlayRow]) -> bytes:
    """The archive's CSV text of `rows` (as written, before compression)."""
    out = io.StringIO(newline="")
    _write_csv(out, rows)
    return out.getvalue().encode("utf-8")


def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each data line; ArchiveError if it is not an archive."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            raise ArchiveError(
                f"{path.name} is not a RetroVue play log archive (its header differs).",
                detail=f"header {header!r}",
            )
        for cells in reader:
            yield reader.line_num, cells


def _unreadable(path: Path, error: Exception, line: int | None = None) -> ArchiveError:
    where = f" at line {line}" if line else ""
    return ArchiveError(
        f"The play log archive {path} could not be read{where}: it is damaged or not an"
        " archive. Nothing was changed; move the file aside or restore it from a backup.",
        detail=f"{type(error).__name__}: {error}",
    )


_READ_ERRORS = (OSError, EOFError, csv.Error, UnicodeDecodeError, zlib.error)


def read_archive(path: Path) -> list[PlayRow]:
    """Every row of an archive, in file order. ArchiveError names the bad line."""
    rows: list[PlayRow] = []
    line: int | None = None
    try:
        for number, cells in _records(path):
            line = number
            if len(cells) != len(COLUMNS):
                raise ValueError(f"{len(cells)} cells, expected {len(COLUMNS)}")
            values = {name: _value(name, cell) for name, cell in zip(COLUMNS, cells, strict=True)}
            missing = [name for name in _REQUIRED if values[name] is None]
            if missing:
                raise ValueError(f"empty {', '.join(sorted(missing))}")
            if values["item_kind"] not in PLAY_KINDS:
                raise ValueError(f"unknown kind {values['item_kind']!r}")
            rows.append(PlayRow(**values))  # type: ignore[arg-type]
    except ArchiveError:
        raise
    except (*_READ_ERRORS, ValueError) as error:
        raise _unreadable(path, error, line) from error
    return rows


def _info(path: Path, week: str) -> ArchiveInfo:
    count, first, last = 0, None, None
    position = COLUMNS.index("ts_start")
    try:
        for _line, cells in _records(path):
            count += 1
            start = cells[position] if len(cells) > position else None
            first = first or start
            last = start
    except (ArchiveError, *_READ_ERRORS, ValueError) as error:
        return ArchiveInfo(week, path, count, first, last, problem=str(error))
    return ArchiveInfo(week, path, count, first, last)


def list_archives(archive_dir: Path) -> list[ArchiveInfo]:
    """The week archives in `archive_dir`, oldest week first. Reads only the start
    column of each line (rows are written in start order: first and last are the ends)."""
    if not archive_dir.is_dir():
        return []
    found = []
    for path in archive_dir.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            found.append((match.group(1), path))
    return [_info(path, week) for week, path in sorted(found)]


# --- rotation ------------------------------------------------------------------------


def _week_rows(session: Session, low: str, high: str) -> list[PlayRow]:
    labels = {c.id: c.label for c in list_channels(session)}
    statement = (
        row_select()
        .where(PLAYS.c.ts_start >= low, PLAYS.c.ts_start < high)
        .order_by(PLAYS.c.ts_start, PLAYS.c.id)
    )
    return read_rows(session, statement, labels)


def _order(rows: Iterable[PlayRow]) -> list[PlayRow]:
    return sorted(rows, key=lambda r: (r.ts_start, r.id))


def _refuse_to_write(archive_dir: Path, error: OSError) -> ArchiveError:
    return ArchiveError(
        f"The play log archive could not be written in {archive_dir}"
        f" ({error.strerror or error}). Nothing was deleted; check that the folder can"
        " be written to and has room, then rotate again.",
        detail=f"{type(error).__name__}: {error}",
    )


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable where the platform allows opening a folder."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def write_verified(path: Path, rows: Sequence[PlayRow]) -> str:
    """Write `rows` to `path` through a temporary file that is read back and compared
    (count, sha256 of the canonical CSV, every field) before it replaces `path`.
    Returns the sha256. ArchiveError on any failure; `path` is then unchanged."""
    expected = hashlib.sha256(canonical_csv(rows)).hexdigest()
    directory = path.parent
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise _refuse_to_write(directory, error) from error
    temp = Path(temp_name)
    try:
        try:
            with os.fdopen(handle, "wb") as raw:
                with (
                    gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed,
                    io.TextIOWrapper(packed, encoding="utf-8", newline="") as out,
                ):
                    _write_csv(out, rows)
                raw.flush()
                os.fsync(raw.fileno())
        except OSError as error:
            raise _refuse_to_write(directory, error) from error
        back = read_archive(temp)
        found = hashlib.sha256(canonical_csv(back)).hexdigest()
        if len(back) != len(rows) or found != expected or back != list(rows):
            raise ArchiveError(
                f"The play log archive {path.name} did not read back as written"
                f" ({len(back):,} rows read, {len(rows):,} written). Nothing was deleted;"
                " check the disk, then rotate again.",
                detail=f"sha256 written {expected}, read {found}",
            )
        try:
            os.replace(temp, path)
        except OSError as error:
            raise _refuse_to_write(directory, error) from error
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(directory)
    return expected


def _delete(session: Session, ids: Sequence[int]) -> int:
    deleted = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        result = session.execute(delete(PLAYS).where(PLAYS.c.id.in_(chunk)))
        deleted += int(result.rowcount)  # type: ignore[attr-defined]
    return deleted


def _next_start(session: Session, low: str, strict: bool, cutoff: str) -> str | None:
    after = PLAYS.c.ts_start > low if strict else PLAYS.c.ts_start >= low
    value = session.execute(
        select(func.min(PLAYS.c.ts_start)).where(after, PLAYS.c.ts_start < cutoff)
    ).scalar_one()
    return None if value is None else str(value)


def _leading_date(start: str) -> date | None:
    try:
        day = date.fromisoformat(start[:10])
    except ValueError:
        return None
    return day if day.isoformat() == start[:10] else None


def _archive_week(
    session: Session, archive_dir: Path, monday: date, db_rows: list[PlayRow]
) -> WeekArchived:
    path = archive_path(archive_dir, monday)
    merged = {row.id: row for row in (read_archive(path) if path.exists() else [])}
    merged.update((row.id, row) for row in db_rows)
    rows = _order(merged.values())
    digest = write_verified(path, rows)
    ids = [row.id for row in db_rows]
    deleted = _delete(session, ids)
    if deleted != len(ids):
        raise ArchiveError(
            f"The play log changed while {week_key(monday)} was being archived. Nothing"
            " was deleted; rotate again.",
            detail=f"deleted {deleted} of {len(ids)} rows",
        )
    return WeekArchived(week_key(monday), path, deleted, len(rows), digest)


def rotate(
    session: Session,
    archive_dir: Path,
    weeks_kept: int,
    now: int,
    progress: ProgressFn = no_progress,
    cancelled: CancelFn = never_cancelled,
) -> RotationReport:
    """Archive and delete every week older than the newest `weeks_kept` (see the module
    docstring). Deletes in `session`; the caller commits."""
    if weeks_kept < 1:
        raise ArchiveError(
            "Keep at least one week of play log live; set the weeks kept to 1 or more."
        )
    keep_from = first_kept(now, weeks_kept)
    cutoff = keep_from.isoformat()
    total = int(
        session.execute(
            select(func.count()).select_from(PLAYS).where(PLAYS.c.ts_start < cutoff)
        ).scalar_one()
    )
    weeks: list[WeekArchived] = []
    unreadable = 0
    if total == 0:
        return RotationReport(weeks_kept, keep_from, weeks)
    try:
        archive_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _refuse_to_write(archive_dir, error) from error
    low, strict, done = "", False, 0
    visited: set[date] = set()
    progress("Archiving the play log", 0, total)
    while (start := _next_start(session, low, strict, cutoff)) is not None:
        day = _leading_date(start)
        if day is None or monday_of(day) in visited:
            # Not a date, or text the database orders differently from its date: the
            # row stays live; step past this exact text.
            unreadable += int(
                session.execute(
                    select(func.count()).select_from(PLAYS).where(PLAYS.c.ts_start == start)
                ).scalar_one()
            )
            low, strict = start, True
            continue
        if cancelled():
            return RotationReport(weeks_kept, keep_from, weeks, unreadable, complete=False)
        monday = monday_of(day)
        visited.add(monday)
        following = monday + timedelta(weeks=1)
        low, strict = following.isoformat(), False
        db_rows = _week_rows(session, monday.isoformat(), following.isoformat())
        progress(f"Archiving {week_key(monday)}", done, total)
        weeks.append(_archive_week(session, archive_dir, monday, db_rows))
        done += len(db_rows)
        progress(f"Archived {week_key(monday)}", done, total)
    return RotationReport(weeks_kept, keep_from, weeks, unreadable)


# --- restore -------------------------------------------------------------------------


def _present(session: Session, column: ColumnElement[Any], ids: Iterable[int]) -> set[int]:
    wanted = sorted(set(ids))
    found: set[int] = set()
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        found.update(session.execute(select(column).where(column.in_(chunk))).scalars())
    return found


def restore_archive(session: Session, path: Path) -> int:
    """Put an archive's rows back into the play log with their ids, in `session` (the
    caller commits: one transaction); the file stays. Rows whose id is already there
    are skipped (restoring twice adds nothing), rows of a channel removed since are
    skipped (removing a channel removes its play log), and references to an item,
    file or instance removed since are emptied, as removal does to live rows.
    Returns how many rows were put back."""
    rows = read_archive(path)
    taken = _present(session, PLAYS.c.id, (r.id for r in rows))
    channels = _present(session, CHANNELS.c.id, (r.channel_id for r in rows))
    items = _present(session, CI.c.id, (r.content_item_id for r in rows if r.content_item_id))
    files = _present(session, MF.c.id, (r.media_file_id for r in rows if r.media_file_id))
    instances = _present(
        session, INSTANCES.c.id, (r.schedule_instance_id for r in rows if r.schedule_instance_id)
    )
    values = [
        {
            "id": r.id,
            "channel_id": r.channel_id,
            "ts_start": r.ts_start,
            "ts_end": r.ts_end,
            "item_kind": r.item_kind,
            "content_item_id": r.content_item_id if r.content_item_id in items else None,
            "media_file_id": r.media_file_id if r.media_file_id in files else None,
            "schedule_instance_id": (
                r.schedule_instance_id if r.schedule_instance_id in instances else None
            ),
            "ad_block_seq": r.ad_block_seq,
            "notes": r.notes,
        }
        for r in {r.id: r for r in rows}.values()
        if r.id not in taken and r.channel_id in channels
    ]
    for start in range(0, len(values), BATCH):
        session.execute(insert(PLAYS), values[start : start + BATCH])
    if values and session.get_bind().dialect.name == "postgresql":
        # Explicit ids do not move the id sequence: keep it past the highest id.
        sequence = session.execute(
            text("SELECT pg_get_serial_sequence('play_log', 'id')")
        ).scalar_one()
        if sequence:  # PostgreSQL returns the name quoted as SQL needs it
            session.execute(
                text(
                    f"SELECT setval('{sequence}', GREATEST((SELECT MAX(id) FROM play_log),"
                    f" (SELECT last_value FROM {sequence})))"
                )
            )
    return len(values)
