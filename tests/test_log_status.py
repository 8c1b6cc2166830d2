"""Approving and canceling log rows, and their undo, on the hand-built channel of
test_programme_log, on both backends.

The channel runs on New York time, so the approve range is checked at both edges of its
local days; a programme's parts are canceled together, and an undo refuses when the log
moved on.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling import log_status
from retrovue_desktop.scheduling.errors import ScheduleError
from retrovue_desktop.store.tables import INSTANCES as INST
from tests.test_programme_log import (
    MONDAY,
    NY,
    SUNDAY,
    TUESDAY,
    Station,
    at,
    build_station,
    put_row,
    status_of,
)


@pytest.fixture
def station(sessions: sessionmaker[Session]) -> Station:
    return build_station(sessions)


# -- approve -------------------------------------------------------------------------------


def test_approve_takes_the_channel_local_days(
    sessions: sessionmaker[Session], station: Station
) -> None:
    with sessions.begin() as s:
        edges = {
            # 23:59:59 on Sunday in New York is already Monday in UTC.
            "sun_last": put_row(s, station.channel, None, station.items["ad3"],
                                at(SUNDAY, "23:59:59"), 1, item_kind="ad"),
            "mon_first": put_row(s, station.channel, None, station.items["ad3"],
                                 at(MONDAY, "00:00:00"), 1, item_kind="ad"),
            "mon_last": put_row(s, station.channel, None, station.items["ad3"],
                                at(MONDAY, "23:59:59"), 1, item_kind="ad"),
            "tue_first": put_row(s, station.channel, None, station.items["ad3"],
                                 at(TUESDAY, "00:00:00"), 1, item_kind="ad"),
        }  # fmt: skip
        s.execute(update(INST).where(INST.c.id == station.rows["ep2"]).values(status="played"))
    with sessions.begin() as s:
        changes = log_status.approve(s, station.channel, MONDAY, 1, NY)
    r = station.rows
    monday_planned = [r["ep1a"], r["ad1"], r["promo"], r["ep1b"], r["ad2"]]
    assert sorted(c.id for c in changes) == sorted(
        [*monday_planned, edges["mon_first"], edges["mon_last"]]
    )
    assert all((c.before, c.after) == ("planned", "approved") for c in changes)
    assert status_of(sessions, edges["sun_last"], edges["tue_first"], r["ep2"], r["movie"]) == [
        "planned", "planned", "played", "planned",
    ]  # fmt: skip
    with sessions.begin() as s:
        log_status.revert(s, changes)
    assert set(status_of(sessions, *monday_planned)) == {"planned"}
    with sessions.begin() as s:
        log_status.reapply(s, changes)
    assert set(status_of(sessions, *monday_planned)) == {"approved"}
    with sessions.begin() as s:  # a range: Sunday and Monday
        more = log_status.approve(s, station.channel, SUNDAY, 2, NY)
    assert sorted(c.id for c in more) == sorted([r["movie"], edges["sun_last"]])


def test_approve_refuses_a_range_of_no_days(
    sessions: sessionmaker[Session], station: Station
) -> None:
    with sessions.begin() as s, pytest.raises(ScheduleError, match="1 to 366 days"):
        log_status.approve(s, station.channel, MONDAY, 0, NY)


# -- cancel ----------------------------------------------------------------------------------


def test_canceling_a_part_cancels_the_whole_programme_and_undo_restores_it(
    sessions: sessionmaker[Session], station: Station
) -> None:
    r = station.rows
    with sessions.begin() as s:
        log_status.approve(s, station.channel, MONDAY, 1, NY)
    with sessions.begin() as s:
        changes = log_status.cancel(s, [r["ep1b"]])
    assert [(c.id, c.before, c.after) for c in changes] == [
        (r["ep1a"], "approved", "canceled"), (r["ep1b"], "approved", "canceled"),
    ]  # fmt: skip
    assert status_of(sessions, r["ep1a"], r["ad1"], r["ep1b"], r["ep2"]) == [
        "canceled", "approved", "canceled", "approved",
    ]  # fmt: skip
    with sessions.begin() as s:  # canceling it again changes nothing
        assert log_status.cancel(s, [r["ep1a"]]) == []
    with sessions.begin() as s:
        log_status.revert(s, changes)
    assert status_of(sessions, r["ep1a"], r["ep1b"]) == ["approved", "approved"]
    with sessions.begin() as s:
        log_status.reapply(s, changes)
    assert status_of(sessions, r["ep1a"], r["ep1b"]) == ["canceled", "canceled"]


def test_a_fill_item_cancels_alone(sessions: sessionmaker[Session], station: Station) -> None:
    with sessions.begin() as s:
        changes = log_status.cancel(s, [station.rows["promo"]])
    assert [c.id for c in changes] == [station.rows["promo"]]


def test_a_played_part_refuses_the_cancel_and_nothing_changes(
    sessions: sessionmaker[Session], station: Station
) -> None:
    r = station.rows
    with sessions.begin() as s:
        s.execute(update(INST).where(INST.c.id == r["ep1a"]).values(status="played"))
    with sessions.begin() as s, pytest.raises(ScheduleError, match="already aired"):
        log_status.cancel(s, [r["promo"], r["ep1b"]])
    assert status_of(sessions, r["promo"], r["ep1b"]) == ["planned", "planned"]


def test_undo_refuses_when_the_log_moved_on(
    sessions: sessionmaker[Session], station: Station
) -> None:
    with sessions.begin() as s:
        changes = log_status.cancel(s, [station.rows["ad1"]])
    with sessions.begin() as s:
        s.execute(update(INST).where(INST.c.id == station.rows["ad1"]).values(status="played"))
    with sessions.begin() as s, pytest.raises(ScheduleError, match="changed since"):
        log_status.revert(s, changes)
    with sessions.begin() as s:
        s.execute(INST.delete().where(INST.c.id == station.rows["ad1"]))
    with sessions.begin() as s, pytest.raises(ScheduleError, match="no longer exists"):
        log_status.revert(s, changes)
    with sessions.begin() as s, pytest.raises(ScheduleError, match="no longer exists"):
        log_status.cancel(s, [station.rows["ad1"]])
