"""Import an as-run log (what a playout system says it aired) into play_log.

The format is docs/as_run.md: a UTF-8 CSV with a header row. The whole file is read
and checked before anything is written, so a malformed line refuses the file with its
line number and the operator can fix it and import again. Rows are matched to content
(by id, file path or unique title) and to the plan (schedule_instances of the same
channel and item starting within a tolerance); a row that matches nothing is kept with
a note saying why. Importing a file twice adds nothing the second time: a row whose
natural key (channel, start, kind, matched content item) is already in play_log is
skipped and counted.

Writes go to the caller's session; the caller commits (one transaction per file).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session

from retrovue_desktop.progress import CancelFn, ProgressFn, never_cancelled, no_progress
from retrovue_desktop.store.channels import list_channels
from retrovue_desktop.store.editorial import effective_title
from retrovue_desktop.store.programming import PLAY_KINDS
from retrovue_desktop.store.tables import CI, CIF, ED, INSTANCES, MF, PLAYS
from retrovue_desktop.words import count

from .clock import zone
from .errors import ScheduleError
from .play_times import from_text, to_text

COLUMNS = ("channel", "start", "end", "kind", "content_id", "file_path", "title", "notes")
REQUIRED = ("channel", "start", "end", "kind")
REFERENCES = ("content_id", "file_path", "title")
DEFAULT_TOLERANCE_SECONDS = 30
_BATCH = 500
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# The plan's rows an as-run row may be linked to (canceled ones occupy no air time).
_LINKABLE = ("planned", "approved", "played")


class AsRunError(ScheduleError):
    """The file cannot be imported as it is; `line` is the 1-based line at fault (0 when
    the whole file is)."""

    def __init__(self, message: str, detail: str = "", line: int = 0) -> None:
        super().__init__(message, detail)
        self.line = line


class AsRunCancelled(ScheduleError):
    """The operator cancelled the import; nothing of the file was written."""


@dataclass(frozen=True)
class AsRunRow:
    """One data line of the file, checked (times in UTC seconds)."""

    line: int
    channel_id: int
    start: int
    end: int | None
    kind: str
    content_id: int | None
    file_path: str | None
    title: str | None
    notes: str | None


@dataclass
class ImportReport:
    """What an import did; `already_present` rows were in play_log before (or twice in
    the file) and were not written again."""

    imported: int = 0
    matched_content: int = 0
    matched_plan: int = 0
    unmatched: int = 0
    already_present: int = 0
    unmatched_lines: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Imported {count(self.imported, 'as-run row')}: {self.matched_content:,} matched"
            f" to content, {self.matched_plan:,} to the programme log, {self.unmatched:,}"
            f" unmatched (kept with a note); {self.already_present:,} already present."
        )


def read_file(path: str | Path) -> str:
    """The file's text; AsRunError naming the line when it is not UTF-8 or cannot be
    read. A byte-order mark (as spreadsheets write) is dropped."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise AsRunError(
            f"Could not read {path}: {error.strerror or error}. Check the file and try again.",
            detail=repr(error),
        ) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise AsRunError(
            f"Line {line} is not UTF-8 text; save the file as UTF-8 and import it again.",
            detail=repr(error),
            line=line,
        ) from error


def import_as_run(
    session: Session,
    text_or_stream: str | TextIO,
    *,
    station_zone: str,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    progress: ProgressFn = no_progress,
    cancelled: CancelFn = never_cancelled,
) -> ImportReport:
    """Check the whole file, then add its rows to play_log in the caller's session.

    Raises AsRunError (nothing written) for a malformed line, AsRunCancelled when
    `cancelled()` turns true before the writes are done (the caller rolls back).
    """
    text = text_or_stream if isinstance(text_or_stream, str) else text_or_stream.read()
    rows = _parse(session, text.removeprefix("\ufeff"), station_zone, progress, cancelled)
    report = ImportReport()
    _check(cancelled)
    content = _match_content(session, rows)
    present = _existing_keys(session, rows)
    claimed = _linked_instances(session, rows, tolerance_seconds)
    to_write: list[dict[str, object]] = []
    played: list[int] = []
    for done, row in enumerate(rows, 1):
        item_id, file_id, problem = content[row.line]
        key = (row.channel_id, row.start, row.kind, item_id)
        if key in present:
            report.already_present += 1
            continue
        present.add(key)
        instance = _take_instance(claimed, row, item_id, tolerance_seconds)
        report.imported += 1
        if item_id is None:
            report.unmatched += 1
            report.unmatched_lines.append((row.line, problem))
        else:
            report.matched_content += 1
        if instance is not None:
            report.matched_plan += 1
            played.append(instance[0])
        to_write.append(
            {
                "channel_id": row.channel_id,
                "ts_start": to_text(row.start),
                "ts_end": to_text(row.end) if row.end is not None else None,
                "item_kind": row.kind,
                "content_item_id": item_id,
                "media_file_id": file_id,
                "schedule_instance_id": instance[0] if instance else None,
                "ad_block_seq": instance[1] if instance else None,
                "notes": _notes(row.notes, problem),
            }
        )
        if done % _BATCH == 0:
            progress("Matching", done, len(rows))
    progress("Matching", len(rows), len(rows))
    for start in range(0, len(to_write), _BATCH):
        _check(cancelled)
        session.execute(insert(PLAYS), to_write[start : start + _BATCH])
        progress("Writing", min(start + _BATCH, len(to_write)), len(to_write))
    for start in range(0, len(played), _BATCH):
        session.execute(
            update(INSTANCES)
            .where(INSTANCES.c.id.in_(played[start : start + _BATCH]))
            .values(status="played")
        )
    _check(cancelled)
    return report


def _check(cancelled: CancelFn) -> None:
    if cancelled():
        raise AsRunCancelled("Import canceled; nothing of the file was written.")


def _notes(given: str | None, problem: str) -> str | None:
    parts = [p for p in (given, problem) if p]
    return " — ".join(parts) or None


# --- reading -------------------------------------------------------------------------


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) of each non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # The record began on `line`: where an unclosed quote was opened.
            raise AsRunError(
                f"Line {line} is not valid CSV ({error}); check its quotes.",
                detail=f"{error!r} at line {reader.line_num}",
                line=line,
            ) from error
        if any(f.strip() for f in fields):
            yield line, fields
        line = reader.line_num + 1


def _header(line: int, fields: list[str]) -> list[str]:
    names = [f.strip().lower() for f in fields]
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise AsRunError(
            f"Line {line}, the header, has a column “{unknown[0]}” this format does not"
            f" know; the columns are {', '.join(COLUMNS)} (see docs/as_run.md).",
            line=line,
        )
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise AsRunError(
            f"Line {line}, the header, names the column “{repeated[0]}” twice.", line=line
        )
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        raise AsRunError(
            f"Line {line}, the header, has no “{missing[0]}” column; every file needs"
            f" {', '.join(REQUIRED)} and one of {', '.join(REFERENCES)}.",
            line=line,
        )
    if not any(n in names for n in REFERENCES):
        raise AsRunError(
            f"Line {line}, the header, has none of the columns {', '.join(REFERENCES)};"
            " add one so rows can be matched to content.",
            line=line,
        )
    return names


def _parse(
    session: Session, text: str, station_zone: str, progress: ProgressFn, cancelled: CancelFn
) -> list[AsRunRow]:
    channels = {
        c.values.number: (c.id, c.values.time_zone or station_zone)
        for c in list_channels(session)
        if c.values.number
    }
    records = _records(text)
    first = next(records, None)
    if first is None:
        raise AsRunError("The file is empty: it needs a header row and at least one row.")
    names = _header(*first)
    rows: list[AsRunRow] = []
    for line, fields in records:
        if len(fields) != len(names):
            raise AsRunError(
                f"Line {line} has {count(len(fields), 'field')} but the header has"
                f" {len(names)}; check for a missing or extra comma.",
                line=line,
            )
        values = {n: f.strip() for n, f in zip(names, fields, strict=True)}
        rows.append(_row(line, values, channels))
        if len(rows) % _BATCH == 0:
            _check(cancelled)
            progress("Reading", len(rows), 0)
    if not rows:
        raise AsRunError("The file has a header but no rows to import.", line=first[0])
    progress("Reading", len(rows), len(rows))
    return rows


def _row(line: int, values: dict[str, str], channels: dict[str, tuple[int, str]]) -> AsRunRow:
    number = values["channel"]
    if not number:
        raise AsRunError(f"Line {line} has no channel number.", line=line)
    if number not in channels:
        known = ", ".join(sorted(channels)) or "none"
        raise AsRunError(
            f"Line {line}: no channel has the number “{number}” (channel numbers here: {known}).",
            line=line,
        )
    channel_id, zone_name = channels[number]
    start = _moment(line, "start", values["start"], zone_name)
    end = _moment(line, "end", values["end"], zone_name) if values["end"] else None
    if end is not None and end < start:
        raise AsRunError(
            f"Line {line} ends ({values['end']}) before it starts ({values['start']}).",
            line=line,
        )
    kind = values["kind"].lower()
    if kind not in PLAY_KINDS:
        raise AsRunError(
            f"Line {line}: “{values['kind']}” is not a kind; write one of {', '.join(PLAY_KINDS)}.",
            line=line,
        )
    content_id: int | None = None
    raw_id = values.get("content_id", "")
    if raw_id:
        if not raw_id.isdigit() or int(raw_id) == 0:
            raise AsRunError(
                f"Line {line}: the content_id “{raw_id}” is not a whole number above 0.",
                line=line,
            )
        content_id = int(raw_id)
    file_path = values.get("file_path") or None
    title = values.get("title") or None
    if content_id is None and file_path is None and title is None:
        raise AsRunError(
            f"Line {line} says nothing of what aired: fill in its content_id, file_path or title.",
            line=line,
        )
    return AsRunRow(
        line, channel_id, start, end, kind, content_id, file_path, title,
        values.get("notes") or None,
    )  # fmt: skip


def _moment(line: int, column: str, text: str, zone_name: str) -> int:
    """UTC seconds of an ISO 8601 date and time; without an offset, wall time in the
    channel's zone (the earlier of a repeated hour)."""
    if not text:
        raise AsRunError(f"Line {line} has no {column} time.", line=line)
    try:
        if not _MOMENT.match(text):
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise AsRunError(
            f"Line {line}: the {column} “{text}” is not a date and time; write it as"
            " 2026-11-24T20:00:00 or with an offset, 2026-11-24T20:00:00-05:00.",
            detail=repr(error),
            line=line,
        ) from error
    if moment.tzinfo is not None:
        return int(moment.timestamp())
    tz = zone(zone_name)
    local = moment.replace(tzinfo=tz, fold=0)
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != moment:
        raise AsRunError(
            f"Line {line}: the {column} {text} does not exist in {zone_name} (the clocks"
            " went forward); give the time with its offset.",
            line=line,
        )
    return int(local.timestamp())


# --- matching ------------------------------------------------------------------------


_Match = tuple[int | None, int | None, str]  # content item, media file, what did not match


def _chunks(values: Iterable[object]) -> Iterator[list[object]]:
    items = list(values)
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def _match_content(session: Session, rows: list[AsRunRow]) -> dict[int, _Match]:
    """Per line: the content item (and file) it aired, or None and the sentence why."""
    ids = {r.content_id for r in rows if r.content_id is not None}
    known_ids: set[int] = set()
    for chunk in _chunks(ids):
        known_ids.update(session.execute(select(CI.c.id).where(CI.c.id.in_(chunk))).scalars())

    paths = {r.file_path for r in rows if r.content_id is None and r.file_path}
    by_path: dict[str, tuple[set[int], set[int]]] = {}  # path -> (file ids, item ids)
    for chunk in _chunks(paths):
        query = (
            select(MF.c.id, MF.c.local_file_path, MF.c.plex_file_path, MF.c.canonical_uri,
                   CIF.c.content_item_id)
            .select_from(MF.outerjoin(CIF, CIF.c.media_file_id == MF.c.id))
            .where(or_(MF.c.local_file_path.in_(chunk), MF.c.plex_file_path.in_(chunk),
                       MF.c.canonical_uri.in_(chunk)))
        )  # fmt: skip
        for file_id, *where, item_id in session.execute(query):
            for path in {p for p in where if p in paths}:
                files, items = by_path.setdefault(path, (set(), set()))
                files.add(file_id)
                if item_id is not None:
                    items.add(item_id)

    by_title: dict[str, set[int]] = {}
    if any(r.content_id is None and not r.file_path and r.title for r in rows):
        titles = select(CI.c.id, effective_title()).select_from(
            CI.outerjoin(ED, ED.c.content_item_id == CI.c.id)
        )
        for item_id, title in session.execute(titles):
            if title:
                by_title.setdefault(title.strip().casefold(), set()).add(item_id)

    found: dict[int, _Match] = {}
    for row in rows:
        if row.content_id is not None:
            found[row.line] = (
                (row.content_id, None, "")
                if row.content_id in known_ids
                else (None, None, f"Unmatched: no content item has the id {row.content_id}.")
            )
        elif row.file_path:
            files, items = by_path.get(row.file_path, (set(), set()))
            file_id = next(iter(files)) if len(files) == 1 else None
            if len(items) == 1:
                found[row.line] = (next(iter(items)), file_id, "")
            elif not files:
                found[row.line] = (
                    None,
                    None,
                    f"Unmatched: no catalogued file is at {row.file_path}.",
                )
            elif not items:
                found[row.line] = (
                    None, file_id,
                    f"Unmatched: the file {row.file_path} belongs to no content item.",
                )  # fmt: skip
            else:
                found[row.line] = (
                    None, file_id,
                    f"Unmatched: the file {row.file_path} belongs to {len(items)} content items.",
                )  # fmt: skip
        else:
            assert row.title is not None
            items = by_title.get(row.title.casefold(), set())
            if len(items) == 1:
                found[row.line] = (next(iter(items)), None, "")
            elif not items:
                found[row.line] = (
                    None,
                    None,
                    f"Unmatched: no content item is titled “{row.title}”.",
                )
            else:
                found[row.line] = (
                    None, None,
                    f"Unmatched: {len(items)} content items are titled “{row.title}”; give its"
                    " content_id or file_path.",
                )  # fmt: skip
    return found


_Key = tuple[int, int, str, int | None]


def _existing_keys(session: Session, rows: list[AsRunRow]) -> set[_Key]:
    """Natural keys of the play_log rows already in the file's time span per channel."""
    spans: dict[int, tuple[int, int]] = {}
    for row in rows:
        low, high = spans.get(row.channel_id, (row.start, row.start))
        spans[row.channel_id] = (min(low, row.start), max(high, row.start))
    keys: set[_Key] = set()
    for channel_id, (low, high) in spans.items():
        query = select(PLAYS.c.ts_start, PLAYS.c.item_kind, PLAYS.c.content_item_id).where(
            PLAYS.c.channel_id == channel_id,
            PLAYS.c.ts_start >= to_text(low),
            PLAYS.c.ts_start <= to_text(high),
        )
        for ts_start, kind, item_id in session.execute(query):
            start = from_text(ts_start)
            if start is not None:
                keys.add((channel_id, start, kind, item_id))
    return keys


# instance id, break_seq, channel, item, starts_at
_Instance = tuple[int, int | None, int, int, int]


def _linked_instances(
    session: Session, rows: list[AsRunRow], tolerance: int
) -> dict[tuple[int, int], list[_Instance]]:
    """The plan's rows the file's rows could link to, by (channel, item): in the file's
    span (widened by the tolerance), not canceled, not yet linked to a play row."""
    spans: dict[int, tuple[int, int]] = {}
    for row in rows:
        low, high = spans.get(row.channel_id, (row.start, row.start))
        spans[row.channel_id] = (min(low, row.start), max(high, row.start))
    linked = select(PLAYS.c.schedule_instance_id).where(PLAYS.c.schedule_instance_id.is_not(None))
    found: dict[tuple[int, int], list[_Instance]] = {}
    for channel_id, (low, high) in spans.items():
        query = select(
            INSTANCES.c.id, INSTANCES.c.break_seq, INSTANCES.c.channel_id,
            INSTANCES.c.content_item_id, INSTANCES.c.starts_at,
        ).where(
            and_(
                INSTANCES.c.channel_id == channel_id,
                INSTANCES.c.content_item_id.is_not(None),
                INSTANCES.c.starts_at >= low - tolerance,
                INSTANCES.c.starts_at <= high + tolerance,
                INSTANCES.c.status.in_(_LINKABLE),
                INSTANCES.c.id.not_in(linked),
            )
        )  # fmt: skip
        for instance in session.execute(query):
            found.setdefault((instance[2], instance[3]), []).append(tuple(instance))
    return found


def _take_instance(
    claimed: dict[tuple[int, int], list[_Instance]],
    row: AsRunRow,
    item_id: int | None,
    tolerance: int,
) -> _Instance | None:
    """The nearest unlinked plan row of the same channel and item within the tolerance;
    it is taken so no other row of the file links to it."""
    if item_id is None:
        return None
    options = claimed.get((row.channel_id, item_id), [])
    near = [i for i in options if abs(i[4] - row.start) <= tolerance]
    if not near:
        return None
    best = min(near, key=lambda i: (abs(i[4] - row.start), i[4], i[0]))
    options.remove(best)
    return best
