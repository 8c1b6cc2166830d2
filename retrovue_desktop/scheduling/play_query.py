"""The Play Log tab's query: filter, sort and page play_log in SQL; day totals; CSV.

DESIGN.md: item models over big tables filter and sort in SQL and read in pages. A
filter's date range is a range of dates in one zone (the shown channel's, else the
station's); it becomes UTC text bounds on `ts_start` (play_times text order is time
order), so a channel's rows come off the (channel_id, ts_start) index.

Day totals are per channel and channel-local day of each row's start (a row that
crosses midnight counts wholly on the day it started). A row's length is ts_end -
ts_start; an open row (no ts_end yet) counts until the next row's start on its
channel, what recording would close it at, and the channel's latest open row (on air
now) until `now`. Rows of other kinds (clip, unknown) count under `other`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, field, fields
from datetime import date
from typing import Any, TextIO

from sqlalchemy import ColumnElement, FromClause, Select, case, func, literal, or_, select
from sqlalchemy.orm import Session

from retrovue_desktop.progress import CancelFn, ProgressFn, never_cancelled, no_progress
from retrovue_desktop.store.channels import ChannelRow, list_channels
from retrovue_desktop.store.editorial import effective_title
from retrovue_desktop.store.programming import PLAY_KINDS
from retrovue_desktop.store.tables import CI, ED, PLAYS

from .clock import day_bounds, local_parts, zone
from .errors import ScheduleError
from .play_rows import PlayRow
from .play_times import from_text, to_text

SORT_KEYS = ("start", "end", "channel", "kind", "title", "notes")
TOTAL_KINDS = ("program", "ad", "promo", "bumper")
CSV_COLUMNS = tuple(f.name for f in fields(PlayRow))
CSV_PAGE = 2_000


class ExportCancelled(Exception):
    """The operator stopped a CSV export; the partial file is the caller's to remove."""


@dataclass(frozen=True)
class PlayFilter:
    """What the Play Log tab's filter bar asks for; empty means all."""

    channel_ids: tuple[int, ...] = ()
    first_day: date | None = None  # inclusive, in `zone`
    last_day: date | None = None  # inclusive, in `zone`
    zone: str = "UTC"
    kinds: tuple[str, ...] = ()
    text: str = ""  # every word in the effective title or the notes

    def utc_bounds(self) -> tuple[int | None, int | None]:
        """UTC seconds of the first day's start and of the day after the last day."""
        tz = zone(self.zone)
        low = day_bounds(self.first_day, tz)[0] if self.first_day else None
        high = day_bounds(self.last_day, tz)[1] if self.last_day else None
        return low, high


@dataclass(frozen=True)
class DayTotals:
    """Seconds on air per kind for one channel on one of its local days."""

    channel_id: int
    channel: str
    day: date
    program: int = 0
    ad: int = 0
    promo: int = 0
    bumper: int = 0
    other: int = 0
    rows: int = 0
    open_rows: int = 0  # rows without an end, counted as the module says

    @property
    def total(self) -> int:
        return self.program + self.ad + self.promo + self.bumper + self.other


@dataclass
class _Acc:
    seconds: dict[str, int] = field(default_factory=dict)
    rows: int = 0
    open_rows: int = 0


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(flt: PlayFilter, dialect: str) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if flt.channel_ids:
        where.append(PLAYS.c.channel_id.in_(flt.channel_ids))
    low, high = flt.utc_bounds()
    if low is not None:
        where.append(PLAYS.c.ts_start >= to_text(low))
    if high is not None:
        where.append(PLAYS.c.ts_start < to_text(high))
    if flt.kinds:
        where.append(PLAYS.c.item_kind.in_(flt.kinds))
    for word in flt.text.split():
        pattern = f"%{_escape_like(word)}%"
        matches = []
        for column in (effective_title(), PLAYS.c.notes):
            if dialect == "postgresql":
                matches.append(column.ilike(pattern, escape="\\"))
            else:  # SQLite's LIKE already ignores ASCII case
                matches.append(column.like(pattern, escape="\\"))
        where.append(or_(*matches))
    return where


def _source(joined: bool) -> FromClause:
    if not joined:
        return PLAYS
    return PLAYS.outerjoin(CI, CI.c.id == PLAYS.c.content_item_id).outerjoin(
        ED, ED.c.content_item_id == PLAYS.c.content_item_id
    )


def _channel_rank(channels: Sequence[ChannelRow]) -> ColumnElement[int]:
    """Channels in list order (numerically by number, then name): few, so a CASE."""
    ranks = {c.id: position for position, c in enumerate(channels)}
    if not ranks:
        return literal(0)
    return case(ranks, value=PLAYS.c.channel_id, else_=len(ranks))


def _order(sort: str, descending: bool, channels: Sequence[ChannelRow]) -> list[ColumnElement[Any]]:
    """The sort key, then the start and the id, so the order is total on both backends."""
    keys: list[ColumnElement[Any]]
    if sort == "start":
        keys = []
    elif sort == "end":
        keys = [PLAYS.c.ts_end]
    elif sort == "channel":
        keys = [_channel_rank(channels)]
    elif sort == "kind":
        keys = [PLAYS.c.item_kind]
    elif sort == "title":
        keys = [func.lower(effective_title())]
    elif sort == "notes":
        keys = [func.lower(PLAYS.c.notes)]
    else:
        raise ValueError(f"unknown sort key {sort!r}; expected one of {SORT_KEYS}")
    ordered: list[ColumnElement[Any]] = [
        (key.desc() if descending else key.asc()).nulls_last() for key in keys
    ]
    for tie in (PLAYS.c.ts_start, PLAYS.c.id):
        ordered.append(tie.desc() if descending else tie.asc())
    return ordered


def _needs_join(flt: PlayFilter, sort: str) -> bool:
    return bool(flt.text.split()) or sort == "title"


def count(session: Session, flt: PlayFilter) -> int:
    """How many rows pass `flt`."""
    dialect = session.get_bind().dialect.name
    statement = (
        select(func.count())
        .select_from(_source(_needs_join(flt, "start")))
        .where(*_where(flt, dialect))
    )
    return int(session.execute(statement).scalar_one())


def page_statement(
    flt: PlayFilter, sort: str, descending: bool, dialect: str, channels: Sequence[ChannelRow]
) -> Select[Any]:
    """Every column a PlayRow needs, filtered and ordered (no offset or limit yet)."""
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}; expected one of {SORT_KEYS}")
    return row_select().where(*_where(flt, dialect)).order_by(*_order(sort, descending, channels))


def row_select() -> Select[Any]:
    """The PlayRow columns (with the effective title), for `read_rows`; add filters and
    order."""
    return select(
        PLAYS.c.id,
        PLAYS.c.channel_id,
        PLAYS.c.ts_start,
        PLAYS.c.ts_end,
        PLAYS.c.item_kind,
        PLAYS.c.content_item_id,
        effective_title(),
        PLAYS.c.media_file_id,
        PLAYS.c.schedule_instance_id,
        PLAYS.c.ad_block_seq,
        PLAYS.c.notes,
    ).select_from(_source(True))


def read_rows(session: Session, statement: Select[Any], labels: dict[int, str]) -> list[PlayRow]:
    """Run a `row_select` statement; `labels` names the channels (id -> label)."""
    return [
        PlayRow(
            id=r[0],
            channel_id=r[1],
            channel=labels.get(r[1], f"Channel {r[1]}"),
            ts_start=r[2],
            ts_end=r[3],
            item_kind=r[4],
            content_item_id=r[5],
            title=r[6],
            media_file_id=r[7],
            schedule_instance_id=r[8],
            ad_block_seq=r[9],
            notes=r[10],
        )
        for r in session.execute(statement)
    ]


def page(
    session: Session,
    flt: PlayFilter,
    offset: int,
    limit: int,
    sort: str = "start",
    descending: bool = False,
) -> list[PlayRow]:
    """Rows `offset` … `offset + limit - 1` of the filtered, sorted play log."""
    channels = list_channels(session)
    labels = {c.id: c.label for c in channels}
    dialect = session.get_bind().dialect.name
    statement = page_statement(flt, sort, descending, dialect, channels)
    return read_rows(session, statement.offset(max(0, offset)).limit(max(0, limit)), labels)


def channel_zones(session: Session, station_zone: str) -> dict[int, str]:
    """Each channel's zone name (the station's where the channel has none)."""
    return {c.id: c.values.time_zone or station_zone for c in list_channels(session)}


def _kind_bucket(kind: str) -> str:
    return kind if kind in TOTAL_KINDS else "other"


def day_totals(
    session: Session,
    flt: PlayFilter,
    *,
    station_zone: str,
    now: int,
    cancelled: CancelFn = never_cancelled,
) -> list[DayTotals]:
    """Seconds per kind per channel-local day of the rows passing `flt`, by channel
    (list order) then day. Reads four columns per row in channel/start order."""
    channels = list_channels(session)
    labels = {c.id: c.label for c in channels}
    order = {c.id: position for position, c in enumerate(channels)}
    zones = {c.id: c.values.time_zone or station_zone for c in channels}
    dialect = session.get_bind().dialect.name
    later = PLAYS.alias("later")
    next_start = (
        select(func.min(later.c.ts_start))
        .where(later.c.channel_id == PLAYS.c.channel_id, later.c.ts_start > PLAYS.c.ts_start)
        .scalar_subquery()
    )
    end = case((PLAYS.c.ts_end.is_(None), next_start), else_=PLAYS.c.ts_end)
    statement = (
        select(PLAYS.c.channel_id, PLAYS.c.ts_start, PLAYS.c.ts_end, end, PLAYS.c.item_kind)
        .select_from(_source(_needs_join(flt, "start")))
        .where(*_where(flt, dialect))
        .order_by(PLAYS.c.channel_id, PLAYS.c.ts_start)
        .execution_options(yield_per=CSV_PAGE)
    )
    items = (
        (channel_id, start, ts_end, effective_end, kind)
        for n, (channel_id, start, ts_end, effective_end, kind) in enumerate(
            session.execute(statement)
        )
        if n % CSV_PAGE or not _stop(cancelled)
    )
    return _totals(items, labels, order, zones, station_zone, now)


def _stop(cancelled: CancelFn) -> bool:
    if cancelled():
        raise ExportCancelled("day totals cancelled")
    return False


def totals_of_rows(
    rows: Iterable[PlayRow], zones: dict[int, str], *, station_zone: str, now: int
) -> list[DayTotals]:
    """day_totals over a given list of rows (an archived week): the same rules, with
    "the next row on the channel" taken from the list."""
    ordered = sorted(rows, key=lambda r: (r.channel_id, r.ts_start, r.id))
    labels = {r.channel_id: r.channel for r in ordered}
    order = {channel_id: position for position, channel_id in enumerate(sorted(labels))}
    items = []
    for position, row in enumerate(ordered):
        effective_end = row.ts_end
        if effective_end is None:
            effective_end = next(
                (
                    later.ts_start
                    for later in ordered[position + 1 :]
                    if later.channel_id == row.channel_id and later.ts_start > row.ts_start
                ),
                None,
            )
        items.append((row.channel_id, row.ts_start, row.ts_end, effective_end, row.item_kind))
    return _totals(items, labels, order, zones, station_zone, now)


def _totals(
    items: Iterable[tuple[int, str, str | None, str | None, str]],
    labels: dict[int, str],
    order: dict[int, int],
    zones: dict[int, str],
    station_zone: str,
    now: int,
) -> list[DayTotals]:
    sums: dict[tuple[int, str], _Acc] = {}
    for channel_id, start_text, end_text, effective_end, kind in items:
        start = from_text(start_text)
        if start is None:
            continue
        finish = from_text(effective_end)
        if end_text is None and finish is None:
            finish = max(start, now)
        seconds = max(0, (finish if finish is not None else start) - start)
        day = local_parts(start, zone(zones.get(channel_id, station_zone)))[0]
        acc = sums.setdefault((channel_id, day), _Acc())
        bucket = _kind_bucket(kind)
        acc.seconds[bucket] = acc.seconds.get(bucket, 0) + seconds
        acc.rows += 1
        acc.open_rows += end_text is None
    result = [
        DayTotals(
            channel_id=channel_id,
            channel=labels.get(channel_id, f"Channel {channel_id}"),
            day=date.fromisoformat(day),
            program=acc.seconds.get("program", 0),
            ad=acc.seconds.get("ad", 0),
            promo=acc.seconds.get("promo", 0),
            bumper=acc.seconds.get("bumper", 0),
            other=acc.seconds.get("other", 0),
            rows=acc.rows,
            open_rows=acc.open_rows,
        )
        for (channel_id, day), acc in sums.items()
    ]
    result.sort(key=lambda t: (order.get(t.channel_id, len(order)), t.channel_id, t.day))
    return result


def iter_rows(
    session: Session,
    flt: PlayFilter,
    sort: str = "start",
    descending: bool = False,
    page_size: int = CSV_PAGE,
) -> Iterator[list[PlayRow]]:
    """Every filtered row in pages of `page_size`, in the shown order (offset paging:
    the order is total, so no row is read twice or skipped while nothing changes)."""
    offset = 0
    while True:
        rows = page(session, flt, offset, page_size, sort, descending)
        if rows:
            yield rows
        if len(rows) < page_size:
            return
        offset += page_size


def csv_values(row: PlayRow) -> list[str]:
    """A PlayRow as CSV cells in CSV_COLUMNS order ("" for empty)."""
    return ["" if value is None else str(value) for value in astuple(row)]


def write_csv(
    session: Session,
    flt: PlayFilter,
    out: TextIO,
    sort: str = "start",
    descending: bool = False,
    *,
    progress: ProgressFn = no_progress,
    cancelled: CancelFn = never_cancelled,
    page_size: int = CSV_PAGE,
) -> int:
    """Write the filtered rows to `out` as CSV (a header of CSV_COLUMNS, then one line
    per row, in the shown order), reading a page at a time; returns the row count.
    Raises ExportCancelled when `cancelled` says so between pages."""
    total = count(session, flt)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    written = 0
    progress("Writing the play log", 0, total)
    for rows in iter_rows(session, flt, sort, descending, page_size):
        if cancelled():
            raise ExportCancelled("export cancelled")
        writer.writerows(csv_values(row) for row in rows)
        written += len(rows)
        progress("Writing the play log", written, total)
    return written


def check_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    """Kinds as a filter tuple; ScheduleError names an unknown one."""
    unknown = [k for k in kinds if k not in PLAY_KINDS]
    if unknown:
        raise ScheduleError(
            f"“{unknown[0]}” is not a play log kind; use one of {', '.join(PLAY_KINDS)}."
        )
    return tuple(kinds)


def span_seconds(row: PlayRow) -> int | None:
    """ts_end - ts_start of a row, None while it is open or unreadable."""
    start, end = from_text(row.ts_start), from_text(row.ts_end)
    if start is None or end is None:
        return None
    return max(0, end - start)
