"""As-run import on both backends: matching to content and to the plan, a malformed line
refusing the whole file with its number, a second import adding nothing, unmatched rows
kept with a note, local times in a zone with daylight saving."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling.as_run import (
    AsRunCancelled,
    AsRunError,
    ImportReport,
    import_as_run,
    read_file,
)
from retrovue_desktop.scheduling.play_times import to_text
from retrovue_desktop.store import models as m
from retrovue_desktop.store.tables import INSTANCES, PLAYS
from tests.builders import add
from tests.log_builders import MINUTE, Catalogue, channel

NY = ZoneInfo("America/New_York")
HEADER = "channel,start,end,kind,content_id,file_path,title,notes\n"


def at(text: str, tz: ZoneInfo = NY) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=tz).timestamp())


@dataclass
class Station:
    east: int  # channel 7, America/New_York
    utc: int  # channel 3, UTC
    episode: int
    ad: int
    renamed: int
    ad_file: int
    episode_plan: int
    ad_plan: int


def _instance(
    s: Session, channel_id: int, item: int, starts: int, seconds: int, **kw: object
) -> int:
    values: dict[str, object] = {
        "channel_id": channel_id,
        "air_date": "2026-11-24",
        "start_time": "20:00:00",
        "end_time": "20:30:00",
        "content_item_id": item,
        "pick_strategy": "auto",
        "status": "approved",
        "starts_at": starts,
        "ends_at": starts + seconds,
        "item_kind": "program",
        **kw,
    }
    return add(s, m.ScheduleInstance, **values)


@pytest.fixture
def ids(sessions: sessionmaker[Session]) -> Station:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        episode = cat.item("episode", "Cheers 1x01", 22 * MINUTE)
        ad = cat.item("ad", "Cola", 30)
        renamed = cat.item("movie", "Old Name", 90 * MINUTE)
        s.execute(
            insert(m.ContentEditorial).values(
                content_item_id=renamed, source_name="file", original_title="Old Name",
                override_title="The Renamed Film",
            )
        )  # fmt: skip
        cat.item("movie", "Dup", 60 * MINUTE)
        cat.item("movie", "dup", 60 * MINUTE)
        east = channel(s, "East", number="7", zone="America/New_York")
        utc = channel(s, "Utc", number="3", zone=None)  # the station's zone
        episode_plan = _instance(s, east, episode, at("2026-11-24T20:00:00"), 11 * MINUTE)
        ad_plan = _instance(
            s, east, ad, at("2026-11-24T20:11:00"), 30, item_kind="ad", break_number=1,
            break_seq=2, status="planned",
        )  # fmt: skip
        return Station(east, utc, episode, ad, renamed, cat.files[ad], episode_plan, ad_plan)


def good_file(ids: Station) -> str:
    return HEADER + (
        f"7,2026-11-24T20:00:10,2026-11-24T20:11:00,program,{ids.episode},,,\n"
        f"7,2026-11-24T20:11:00,2026-11-24T20:11:30,AD,,/srv/{ids.ad}.mkv,,\n"
        "\n"
        '3,2026-11-24T20:00:00+00:00,2026-11-24T21:00:00Z,program,,,"the renamed FILM",'
        '"live, from the den"\n'
        "3,2026-11-24T21:00:00Z,,bumper,,,dup,\n"
        "3,2026-11-24T21:01:00Z,2026-11-24T21:01:30Z,promo,999999,,,\n"
        "3,2026-11-24T21:02:00Z,2026-11-24T21:02:30Z,clip,,/nowhere/x.mkv,,\n"
    )


def _import(sessions: sessionmaker[Session], text: str, **kw: object) -> ImportReport:
    with sessions.begin() as s:
        return import_as_run(s, text, station_zone="UTC", **kw)  # type: ignore[arg-type]


def plays(sessions: sessionmaker[Session]) -> list[tuple[object, ...]]:
    with sessions() as s:
        query = select(
            PLAYS.c.channel_id, PLAYS.c.ts_start, PLAYS.c.ts_end, PLAYS.c.item_kind,
            PLAYS.c.content_item_id, PLAYS.c.media_file_id, PLAYS.c.schedule_instance_id,
            PLAYS.c.ad_block_seq, PLAYS.c.notes,
        ).order_by(PLAYS.c.ts_start, PLAYS.c.channel_id)  # fmt: skip
        return [tuple(r) for r in s.execute(query)]


def test_a_good_file_is_matched_to_content_and_to_the_plan(
    sessions: sessionmaker[Session], ids: Station
) -> None:
    report = _import(sessions, good_file(ids))
    assert (report.imported, report.matched_content, report.matched_plan) == (6, 3, 2)
    assert (report.unmatched, report.already_present) == (3, 0)
    assert report.summary() == (
        "Imported 6 as-run rows: 3 matched to content, 2 to the programme log, 3 unmatched"
        " (kept with a note); 0 already present."
    )
    east_start = at("2026-11-24T20:00:10")
    assert plays(sessions) == [
        (ids.utc, "2026-11-24T20:00:00+00:00", "2026-11-24T21:00:00+00:00", "program",
         ids.renamed, None, None, None, "live, from the den"),
        (ids.utc, "2026-11-24T21:00:00+00:00", None, "bumper", None, None, None, None,
         "Unmatched: 2 content items are titled “dup”; give its content_id or file_path."),
        (ids.utc, "2026-11-24T21:01:00+00:00", "2026-11-24T21:01:30+00:00", "promo", None,
         None, None, None, "Unmatched: no content item has the id 999999."),
        (ids.utc, "2026-11-24T21:02:00+00:00", "2026-11-24T21:02:30+00:00", "clip", None,
         None, None, None, "Unmatched: no catalogued file is at /nowhere/x.mkv."),
        (ids.east, to_text(east_start), "2026-11-25T01:11:00+00:00", "program", ids.episode,
         None, ids.episode_plan, None, None),
        (ids.east, "2026-11-25T01:11:00+00:00", "2026-11-25T01:11:30+00:00", "ad", ids.ad,
         ids.ad_file, ids.ad_plan, 2, None),
    ]  # fmt: skip
    assert to_text(east_start) == "2026-11-25T01:00:10+00:00"  # EST is UTC-5
    assert [line for line, _ in report.unmatched_lines] == [6, 7, 8]
    with sessions() as s:
        statuses = dict(s.execute(select(INSTANCES.c.id, INSTANCES.c.status)).all())
    assert statuses == {ids.episode_plan: "played", ids.ad_plan: "played"}


def test_the_plan_is_linked_within_the_tolerance_only_and_once(
    sessions: sessionmaker[Session], ids: Station
) -> None:
    text = HEADER + (
        f"7,2026-11-24T20:00:31,,program,{ids.episode},,,\n"  # 31 s late: not the plan's
        f"7,2026-11-24T20:00:05,,program,{ids.episode},,,\n"
        f"7,2026-11-24T20:00:06,,program,{ids.episode},,,\n"  # the plan's row is taken
    )
    report = _import(sessions, text)
    assert (report.imported, report.matched_content, report.matched_plan) == (3, 3, 1)
    linked = [row[6] for row in plays(sessions)]
    assert linked == [ids.episode_plan, None, None]
    more = _import(sessions, HEADER + f"7,2026-11-24T20:00:20,,program,{ids.episode},,,\n")
    assert more.matched_plan == 0  # already linked by the first import
    wide = _import(
        sessions, HEADER + f"7,2026-11-24T20:10:50,,ad,{ids.ad},,,\n", tolerance_seconds=10
    )
    assert wide.matched_plan == 1


MALFORMED = [
    ("7,yesterday,,program,1,,,", "Line 3: the start “yesterday” is not a date and time"),
    ("7,2026-11-24,,program,1,,,", "Line 3: the start “2026-11-24” is not a date and time"),
    ("7,2026-11-24T20:00:00,2026-11-24T19:00:00,program,1,,,",
     "Line 3 ends (2026-11-24T19:00:00) before it starts (2026-11-24T20:00:00)."),
    ("7,2026-11-24T20:00:00,,movie,1,,,", "Line 3: “movie” is not a kind"),
    ("7,2026-11-24T20:00:00,,program,1,,", "Line 3 has 7 fields but the header has 8"),
    ("99,2026-11-24T20:00:00,,program,1,,,",
     "Line 3: no channel has the number “99” (channel numbers here: 3, 7)."),
    (",2026-11-24T20:00:00,,program,1,,,", "Line 3 has no channel number."),
    ("7,2026-11-24T20:00:00,,program,,,,", "Line 3 says nothing of what aired"),
    ("7,2026-11-24T20:00:00,,program,x1,,,", "Line 3: the content_id “x1” is not a whole"),
    ("7,,,program,1,,,", "Line 3 has no start time."),
    ("7,2026-03-08T02:30:00,,program,1,,,",
     "Line 3: the start 2026-03-08T02:30:00 does not exist in America/New_York"),
    ('7,2026-11-24T20:00:00,,program,1,,"unterminated,', "Line 3 is not valid CSV"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "expected"), MALFORMED)
def test_a_malformed_line_refuses_the_whole_file(
    sessions: sessionmaker[Session], ids: Station, line: str, expected: str
) -> None:
    text = HEADER + f"7,2026-11-24T20:00:10,,program,{ids.episode},,,\n" + line + "\n"
    text += "3,2026-11-24T21:00:00Z,,bumper,,,dup,\n"
    with pytest.raises(AsRunError) as caught:
        _import(sessions, text)
    assert expected in str(caught.value)
    assert caught.value.line == 3
    assert plays(sessions) == []
    with sessions() as s:
        assert set(s.execute(select(INSTANCES.c.status)).scalars()) == {"approved", "planned"}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("channel,start,end,kind,content_id,channel_no", "has a column “channel_no” this format"),
        ("channel,start,kind,content_id", "has no “end” column"),
        ("channel,start,end,kind,notes", "has none of the columns content_id, file_path"),
        ("channel,start,end,kind,title,Title", "names the column “title” twice"),
    ],
)
def test_a_bad_header_refuses_the_file(
    sessions: sessionmaker[Session], ids: Station, header: str, expected: str
) -> None:
    with pytest.raises(AsRunError) as caught:
        _import(sessions, f"\n{header}\n7,2026-11-24T20:00:10,,program,1,\n")
    assert f"Line 2, the header, {expected}" in str(caught.value)
    assert plays(sessions) == []


def test_empty_files_are_refused(sessions: sessionmaker[Session], ids: Station) -> None:
    with pytest.raises(AsRunError, match="The file is empty"):
        _import(sessions, "\n\n")
    with pytest.raises(AsRunError, match="has a header but no rows"):
        _import(sessions, HEADER)


def test_importing_the_same_file_twice_adds_nothing(
    sessions: sessionmaker[Session], ids: Station
) -> None:
    first = _import(sessions, good_file(ids))
    written = plays(sessions)
    again = _import(sessions, good_file(ids))
    assert (again.imported, again.already_present, again.unmatched) == (0, 6, 0)
    assert plays(sessions) == written
    assert first.imported == 6
    # A file that repeats a row counts the repeat as present; a new row still goes in.
    repeated = HEADER + (
        "3,2026-11-25T08:00:00Z,,program,,,The Renamed Film,\n"
        "3,2026-11-25T08:00:00Z,,program,,,the renamed film,\n"
        "3,2026-11-24T20:00:00Z,,program,,,The Renamed Film,\n"  # in the first file
    )
    report = _import(sessions, repeated)
    assert (report.imported, report.already_present) == (1, 2)
    with sessions() as s:
        assert s.execute(select(func.count()).select_from(PLAYS)).scalar_one() == 7


def test_local_times_follow_the_channels_zone_across_daylight_saving(
    sessions: sessionmaker[Session], ids: Station
) -> None:
    text = HEADER + (
        f"7,2026-07-01T20:00:00,2026-07-01T20:30:00,program,{ids.episode},,,summer\n"
        f"7,2026-11-01T01:30:00,,program,{ids.episode},,,repeated hour: the first\n"
        f"7,2026-11-01T01:30:00-05:00,,program,{ids.episode},,,the second\n"
        f"7,2026-12-01 20:00,,program,{ids.episode},,,winter\n"
        "3,2026-07-01T20:00:00,,program,,,The Renamed Film,station zone\n"
    )
    with sessions.begin() as s:
        import_as_run(s, text, station_zone="Europe/Paris")
    starts = {row[8]: (row[1], row[2]) for row in plays(sessions)}
    assert starts == {
        "summer": ("2026-07-02T00:00:00+00:00", "2026-07-02T00:30:00+00:00"),  # EDT, -4
        "repeated hour: the first": ("2026-11-01T05:30:00+00:00", None),
        "the second": ("2026-11-01T06:30:00+00:00", None),
        "winter": ("2026-12-02T01:00:00+00:00", None),  # EST, -5
        "station zone": ("2026-07-01T18:00:00+00:00", None),  # Paris summer time, +2
    }


def test_cancel_writes_nothing(sessions: sessionmaker[Session], ids: Station) -> None:
    seen: list[str] = []
    with pytest.raises(AsRunCancelled):
        _import(
            sessions,
            good_file(ids),
            progress=lambda phase, _d, _t: seen.append(phase),
            cancelled=lambda: "Matching" in seen,
        )
    assert plays(sessions) == []


def test_read_file_names_the_line_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "asrun.csv"
    path.write_bytes(b"\xef\xbb\xbf" + HEADER.encode() + b"7,2026-11-24T20:00:00,,ad,,,Caf\xe9,\n")
    with pytest.raises(AsRunError, match="Line 2 is not UTF-8 text") as caught:
        read_file(path)
    assert caught.value.line == 2
    path.write_bytes(b"\xef\xbb\xbf" + HEADER.encode())
    assert read_file(path) == HEADER
    with pytest.raises(AsRunError, match="Could not read"):
        read_file(tmp_path / "missing.csv")
