"""The Play Log tab's query: filters, sort and pages match a plain-Python reference over
the same rows on both backends; day totals by hand; the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling.play_query import (
    CSV_COLUMNS,
    ExportCancelled,
    PlayFilter,
    count,
    csv_values,
    day_totals,
    page,
    totals_of_rows,
    write_csv,
)
from retrovue_desktop.scheduling.play_rows import PlayRow
from retrovue_desktop.scheduling.play_times import from_text
from retrovue_desktop.store.tables import PLAYS
from tests.playlog_data import BASE, fill_play_log

STATION = "America/New_York"


@pytest.fixture
def filled(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as s, s.begin():
        return fill_play_log(s)


def _everything(session: Session) -> list[PlayRow]:
    return page(session, PlayFilter(), 0, 10_000)


def _reference(rows: list[PlayRow], flt: PlayFilter) -> list[int]:
    """The filter by its meaning, in Python: dates are whole days in the filter's zone."""
    tz = ZoneInfo(flt.zone)
    kept = []
    for row in rows:
        start = datetime.fromtimestamp(from_text(row.ts_start) or 0, tz).date()
        if flt.channel_ids and row.channel_id not in flt.channel_ids:
            continue
        if flt.first_day and start < flt.first_day:
            continue
        if flt.last_day and start > flt.last_day:
            continue
        if flt.kinds and row.item_kind not in flt.kinds:
            continue
        haystack = f"{row.title or ''}\n{row.notes or ''}".casefold()
        if not all(word.casefold() in haystack for word in flt.text.split()):
            continue
        kept.append(row)
    kept.sort(key=lambda r: (r.ts_start, r.id))
    return [r.id for r in kept]


def test_rows_carry_channel_label_and_effective_title(
    sessions: sessionmaker[Session], filled: dict[str, int]
) -> None:
    with sessions() as s:
        rows = _everything(s)
        raw = s.execute(select(PLAYS.c.id)).scalars().all()
    assert sorted(r.id for r in rows) == sorted(raw)
    assert len(rows) == filled["rows"]
    assert {r.channel for r in rows} == {"3 · Retro One", "10 · Late Show"}
    cola = [r for r in rows if r.content_item_id == filled["cola"]]
    assert cola and {r.title for r in cola} == {"Fizzy Spot"}
    assert [r.ts_start for r in rows] == sorted(r.ts_start for r in rows)


@pytest.mark.parametrize(
    "flt",
    [
        PlayFilter(),
        PlayFilter(kinds=("ad", "promo")),
        PlayFilter(text="spot"),
        PlayFilter(text="LATE"),
        PlayFilter(text="ident_50%"),
        PlayFilter(text="ident_5x"),
        PlayFilter(text="cheers late"),
        PlayFilter(first_day=date(2026, 11, 23), last_day=date(2026, 11, 23), zone=STATION),
        PlayFilter(first_day=date(2026, 11, 24), last_day=date(2026, 11, 25), zone="UTC"),
        PlayFilter(first_day=date(2026, 11, 24), zone="Europe/London"),
        PlayFilter(last_day=date(2026, 11, 23), zone="Asia/Tokyo", kinds=("program",)),
    ],
)
def test_filters_match_the_reference(
    sessions: sessionmaker[Session], filled: dict[str, int], flt: PlayFilter
) -> None:
    with sessions() as s:
        everything = _everything(s)
        expected = _reference(everything, flt)
        for channels in ((), (filled["two"],)):
            with_channel = PlayFilter(
                channel_ids=channels,
                first_day=flt.first_day,
                last_day=flt.last_day,
                zone=flt.zone,
                kinds=flt.kinds,
                text=flt.text,
            )
            want = _reference(everything, with_channel)
            assert [r.id for r in page(s, with_channel, 0, 1_000)] == want
            assert count(s, with_channel) == len(want)
        assert expected == _reference(everything, flt)


def test_pages_cover_the_order_once(
    sessions: sessionmaker[Session], filled: dict[str, int]
) -> None:
    with sessions() as s:
        for sort in ("start", "end", "channel", "kind", "title", "notes"):
            for descending in (False, True):
                whole = [r.id for r in page(s, PlayFilter(), 0, 1_000, sort, descending)]
                paged = []
                for offset in range(0, len(whole), 7):
                    paged += [r.id for r in page(s, PlayFilter(), offset, 7, sort, descending)]
                assert paged == whole and len(set(whole)) == filled["rows"]
        by_channel = page(s, PlayFilter(), 0, 1_000, "channel")
        # Channel order is the channel list's: 3 before 10 (numeric, not text).
        assert by_channel[0].channel.startswith("3 ") and by_channel[-1].channel.startswith("10 ")
        by_title = page(s, PlayFilter(), 0, 1_000, "title", True)
        titles = [r.title for r in by_title]
        assert titles[-1] is None  # untitled last in either direction
        named = [t.casefold() for t in titles if t]
        assert named == sorted(named, reverse=True)
        with pytest.raises(ValueError):
            page(s, PlayFilter(), 0, 10, "nonsense")


def test_day_totals_by_hand(sessions: sessionmaker[Session], filled: dict[str, int]) -> None:
    now = BASE + 3 * 86_400  # channel 3's open last row (starts BASE + 60 h) runs 12 h
    flt = PlayFilter(channel_ids=(filled["one"],))
    with sessions() as s:
        totals = day_totals(s, flt, station_zone="UTC", now=now)
        rows = page(s, flt, 0, 1_000)
    expected: dict[date, dict[str, int]] = {}
    for step, row in enumerate(rows):
        start = from_text(row.ts_start) or 0
        seconds = now - start if row.ts_end is None else 600 + 60 * (step % 5)
        bucket = row.item_kind if row.item_kind in ("program", "ad", "promo", "bumper") else "other"
        day = datetime.fromtimestamp(start, ZoneInfo("UTC")).date()
        expected.setdefault(day, {}).setdefault(bucket, 0)
        expected[day][bucket] += seconds
    assert [t.day for t in totals] == sorted(expected)
    for t in totals:
        got = {"program": t.program, "ad": t.ad, "promo": t.promo, "bumper": t.bumper,
               "other": t.other}  # fmt: skip
        assert {k: v for k, v in got.items() if v} == expected[t.day]
        assert t.channel == "3 · Retro One"
    assert totals[-1].open_rows == 1 and totals[-1].other >= 12 * 3600

    # Channel 10's days are London days; its open 11th row (BASE + 30.5 h) runs until
    # the next row's start, 3 h later.
    with sessions() as s:
        two = day_totals(s, PlayFilter(channel_ids=(filled["two"],)), station_zone="UTC", now=now)
        two_rows = page(s, PlayFilter(channel_ids=(filled["two"],)), 0, 1_000)
    assert sum(t.rows for t in two) == 21 and sum(t.open_rows for t in two) == 1
    lengths = [
        3 * 3600 if r.ts_end is None else (from_text(r.ts_end) or 0) - (from_text(r.ts_start) or 0)
        for r in two_rows
    ]
    assert sum(t.total for t in two) == sum(lengths)
    # The same rules over a list (an archived week) give the same totals.
    zones = {filled["one"]: "UTC", filled["two"]: "UTC"}
    assert totals_of_rows(two_rows, zones, station_zone="UTC", now=now) == two


def test_station_zone_decides_the_day(
    sessions: sessionmaker[Session], filled: dict[str, int]
) -> None:
    flt = PlayFilter(channel_ids=(filled["one"],))
    with sessions() as s:
        utc = day_totals(s, flt, station_zone="UTC", now=BASE)
        east = day_totals(s, flt, station_zone=STATION, now=BASE)
    assert utc[0].day == date(2026, 11, 23)
    assert east[0].day == date(2026, 11, 22)  # 00:00 UTC is the evening before in New York
    assert sum(t.rows for t in utc) == sum(t.rows for t in east) == 21


def test_csv_streams_the_filtered_rows(
    sessions: sessionmaker[Session], filled: dict[str, int]
) -> None:
    flt = PlayFilter(kinds=("ad",), zone="UTC", first_day=date(2026, 11, 23),
                     last_day=date(2026, 11, 23) + timedelta(days=1))  # fmt: skip
    out = io.StringIO()
    seen: list[tuple[int, int]] = []
    with sessions() as s:
        written = write_csv(s, flt, out, progress=lambda _p, d, t: seen.append((d, t)),
                            page_size=3)  # fmt: skip
        rows = page(s, flt, 0, 1_000)
    lines = list(csv.reader(io.StringIO(out.getvalue())))
    assert lines[0] == list(CSV_COLUMNS)
    assert lines[1:] == [csv_values(r) for r in rows]
    assert written == len(rows) > 3
    assert seen[-1] == (written, written)
    with sessions() as s, pytest.raises(ExportCancelled):
        write_csv(s, flt, io.StringIO(), cancelled=lambda: True)
