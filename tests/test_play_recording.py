"""Recording plays and Mark as aired, on both backends, on the hand-built New York
station of test_programme_log (Monday: a two-part episode with a break, a second
episode and an end break; Sunday: a late movie running past midnight)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling import log_status
from retrovue_desktop.scheduling.errors import ScheduleError
from retrovue_desktop.scheduling.play_recording import (
    AIRED_NOTE,
    end_play,
    mark_aired,
    mark_instances_aired,
    start_play,
    unmark_aired,
)
from retrovue_desktop.scheduling.play_times import to_text
from retrovue_desktop.store.tables import INSTANCES as INST
from retrovue_desktop.store.tables import PLAYS
from tests.test_programme_log import MONDAY, NY, SUNDAY, Station, at, build_station, status_of

MONDAY_ROWS = ("ep1a", "ad1", "promo", "ep1b", "ep2", "ad2")


@pytest.fixture
def station(sessions: sessionmaker[Session]) -> Station:
    return build_station(sessions)


def plays(sessions: sessionmaker[Session]) -> list[Any]:
    with sessions() as s:
        return list(s.execute(select(PLAYS).order_by(PLAYS.c.id)).all())


def approve_monday(sessions: sessionmaker[Session], st: Station) -> None:
    with sessions.begin() as s:
        log_status.approve(s, st.channel, MONDAY, 1, NY)


# -- start and end ---------------------------------------------------------------------------


def test_a_start_closes_the_item_still_on_air(
    sessions: sessionmaker[Session], station: Station
) -> None:
    t = at(MONDAY, "20:00:00")
    with sessions.begin() as s:
        first = start_play(
            s,
            station.channel,
            t,
            "program",
            content_item_id=station.items["ep1"],
            media_file_id=station.files["ep1"],
            schedule_instance_id=station.rows["ep1a"],
        )
        second = start_play(
            s, station.channel, t + 600, "ad", content_item_id=station.items["ad1"], ad_block_seq=1
        )
    rows = plays(sessions)
    assert [r.id for r in rows] == [first, second]
    assert (rows[0].ts_start, rows[0].ts_end) == (to_text(t), to_text(t + 600))
    assert rows[0].media_file_id == station.files["ep1"]
    assert rows[0].schedule_instance_id == station.rows["ep1a"]
    assert (rows[1].ts_start, rows[1].ts_end, rows[1].ad_block_seq) == (to_text(t + 600), None, 1)
    with sessions.begin() as s:
        end_play(s, second, t + 630)
    assert plays(sessions)[1].ts_end == to_text(t + 630)


def test_another_channel_stays_on_air(sessions: sessionmaker[Session], station: Station) -> None:
    from tests.log_builders import channel

    with sessions.begin() as s:
        other = channel(s, "Other")
        on_other = start_play(s, other, at(MONDAY, "19:00:00"), "program")
        start_play(s, station.channel, at(MONDAY, "20:00:00"), "program")
    assert next(r for r in plays(sessions) if r.id == on_other).ts_end is None


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"kind": "movie"}, "“movie” is not a kind of play"),
        ({"channel_id": 9999}, "That channel does not exist"),
        ({"content_item_id": 9999}, "no longer in the catalogue"),
        ({"media_file_id": 9999}, "media file is no longer known"),
        ({"schedule_instance_id": 9999}, "not this channel's"),
    ],
)
def test_a_bad_start_is_refused_and_writes_nothing(
    sessions: sessionmaker[Session], station: Station, kwargs: dict[str, Any], words: str
) -> None:
    values: dict[str, Any] = {
        "channel_id": station.channel,
        "at": at(MONDAY, "20:00:00"),
        "kind": "program",
        **kwargs,
    }
    with sessions.begin() as s:
        opened = start_play(s, station.channel, at(MONDAY, "19:00:00"), "program")
    with pytest.raises(ScheduleError, match=words), sessions.begin() as s:
        start_play(s, **values)
    rows = plays(sessions)
    assert [r.id for r in rows] == [opened] and rows[0].ts_end is None  # not closed either


@pytest.mark.parametrize("seconds_after", [-1, 0])
def test_a_start_not_after_the_open_item_is_refused(
    sessions: sessionmaker[Session], station: Station, seconds_after: int
) -> None:
    t = at(MONDAY, "20:00:00")
    with sessions.begin() as s:
        start_play(s, station.channel, t, "program")
    refused = pytest.raises(ScheduleError, match="started at 2026-11-24 01:00:00 UTC")
    with refused, sessions.begin() as s:
        start_play(s, station.channel, t + seconds_after, "ad")
    assert len(plays(sessions)) == 1 and plays(sessions)[0].ts_end is None


def test_end_refusals(sessions: sessionmaker[Session], station: Station) -> None:
    t = at(MONDAY, "20:00:00")
    with sessions.begin() as s:
        play = start_play(s, station.channel, t, "program")
    with pytest.raises(ScheduleError, match="before it started"), sessions.begin() as s:
        end_play(s, play, t - 1)
    with pytest.raises(ScheduleError, match="gone"), sessions.begin() as s:
        end_play(s, play + 1, t)
    with sessions.begin() as s:
        end_play(s, play, t)  # ending as it starts is allowed (an item cut at once)
    with pytest.raises(ScheduleError, match="already ended"), sessions.begin() as s:
        end_play(s, play, t + 10)
    assert plays(sessions)[0].ts_end == to_text(t)


# -- Mark as aired ---------------------------------------------------------------------------


def test_mark_aired_writes_the_day_as_planned(
    sessions: sessionmaker[Session], station: Station
) -> None:
    approve_monday(sessions, station)
    with sessions.begin() as s:
        report = mark_aired(s, station.channel, MONDAY, 1, NY)
    ids = [station.rows[n] for n in MONDAY_ROWS]
    assert [i for i, _ in report.pairs] == ids  # air order
    assert report.planned_left == 0 and report.already_recorded == 0
    assert status_of(sessions, *ids) == ["played"] * 6
    assert status_of(sessions, station.rows["movie"]) == ["planned"]  # Sunday's
    rows = plays(sessions)
    assert [r.id for r in rows] == [p for _, p in report.pairs]
    with sessions() as s:
        planned = {
            r.id: r
            for r in s.execute(select(INST).where(INST.c.id.in_(ids))).all()  # as written
        }
    for row, instance_id in zip(rows, ids, strict=True):
        plan = planned[instance_id]
        assert row.channel_id == station.channel
        assert row.schedule_instance_id == instance_id
        assert (row.ts_start, row.ts_end) == (to_text(plan.starts_at), to_text(plan.ends_at))
        assert row.item_kind == plan.item_kind
        assert row.content_item_id == plan.content_item_id
        assert row.notes == AIRED_NOTE
    items = {v: k for k, v in station.items.items()}
    assert [station.files[items[r.content_item_id]] for r in rows] == [
        r.media_file_id for r in rows
    ]
    assert [r.ad_block_seq for r in rows] == [None, 1, 2, None, None, 1]
    assert report.sentence() == "Marked 6 rows as aired."


def test_mark_aired_takes_the_lowest_primary_file(
    sessions: sessionmaker[Session], station: Station
) -> None:
    from sqlalchemy import insert

    from retrovue_desktop.store import models as m
    from tests.builders import add

    with sessions.begin() as s:
        lib = s.execute(select(m.Library.id)).scalar_one()
        extra = add(s, m.MediaFile, library_id=lib, plex_file_path="/tv/x.mkv")
        s.execute(
            insert(m.ContentItemFile).values(
                content_item_id=station.items["ep2"], media_file_id=extra, role="primary"
            )
        )
    approve_monday(sessions, station)
    with sessions.begin() as s:
        mark_aired(s, station.channel, MONDAY, 1, NY)
    ep2 = next(r for r in plays(sessions) if r.schedule_instance_id == station.rows["ep2"])
    assert ep2.media_file_id == min(extra, station.files["ep2"])


def test_planned_rows_are_left_and_nothing_is_duplicated(
    sessions: sessionmaker[Session], station: Station
) -> None:
    r = station.rows
    with sessions.begin() as s:
        s.execute(
            update(INST)
            .where(INST.c.id.in_([r["ep1a"], r["ad1"], r["ep2"]]))
            .values(status="approved")
        )
        s.execute(update(INST).where(INST.c.id == r["ad2"]).values(status="canceled"))
        # A play already recorded for ad1 (by the station's playout, say).
        start_play(s, station.channel, at(MONDAY, "20:10:00"), "ad", schedule_instance_id=r["ad1"])
    with sessions.begin() as s:
        report = mark_aired(s, station.channel, SUNDAY, 2, NY)
    assert [i for i, _ in report.pairs] == [r["ep1a"], r["ep2"]]
    assert (report.planned_left, report.already_recorded) == (3, 1)  # movie, promo, ep1b
    assert report.sentence() == (
        "Marked 2 rows as aired. 3 planned rows left as they were: approve first."
        " 1 approved row already in the play log left as well."
    )
    assert status_of(sessions, r["ad1"], r["promo"], r["ad2"]) == [
        "approved",
        "planned",
        "canceled",
    ]
    before = len(plays(sessions))
    with sessions.begin() as s:
        again = mark_aired(s, station.channel, MONDAY, 1, NY)
    assert again.pairs == [] and len(plays(sessions)) == before


def test_mark_aired_refuses_a_bad_range(sessions: sessionmaker[Session], station: Station) -> None:
    with pytest.raises(ScheduleError, match="Mark 1 to 366 days"), sessions.begin() as s:
        mark_aired(s, station.channel, MONDAY, 0, NY)


def test_unmark_then_mark_again_exactly(sessions: sessionmaker[Session], station: Station) -> None:
    approve_monday(sessions, station)
    ids = [station.rows[n] for n in MONDAY_ROWS]
    with sessions.begin() as s:
        pairs = mark_aired(s, station.channel, MONDAY, 1, NY).pairs
    with sessions.begin() as s:
        unmark_aired(s, pairs)
    assert plays(sessions) == [] and status_of(sessions, *ids) == ["approved"] * 6
    with pytest.raises(ScheduleError, match="changed since"), sessions.begin() as s:
        unmark_aired(s, pairs)  # already undone: refused, nothing written
    with sessions.begin() as s:
        again = mark_instances_aired(s, ids)
    assert [i for i, _ in again] == ids and status_of(sessions, *ids) == ["played"] * 6
    with pytest.raises(ScheduleError, match="changed since"), sessions.begin() as s:
        mark_instances_aired(s, ids)  # played now: a second redo is refused
    assert len(plays(sessions)) == 6


def test_unmark_refuses_when_a_play_row_was_changed(
    sessions: sessionmaker[Session], station: Station
) -> None:
    approve_monday(sessions, station)
    with sessions.begin() as s:
        pairs = mark_aired(s, station.channel, MONDAY, 1, NY).pairs
    with sessions.begin() as s:
        s.execute(update(PLAYS).where(PLAYS.c.id == pairs[2][1]).values(schedule_instance_id=None))
    with pytest.raises(ScheduleError, match="changed since"), sessions.begin() as s:
        unmark_aired(s, pairs)
    assert len(plays(sessions)) == 6  # all or nothing
    assert status_of(sessions, pairs[0][0]) == ["played"]
