"""Reconciliation of a hand-built Monday on the New York station of test_programme_log:
each kind of difference once, the tolerance's edges, the day's edges and the CSV.

Monday's plan: ep1a 20:00:00, ad1 20:10:00, promo 20:10:30, ep1b 20:10:45, ep2 20:22:45,
ad2 20:44:45 (ad2 is the Cola ad again, as ad1)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling import reconcile as rc
from retrovue_desktop.scheduling.play_times import to_text
from retrovue_desktop.store import models as m
from retrovue_desktop.store.tables import INSTANCES as INST
from tests.builders import add
from tests.test_programme_log import MONDAY, NY, SUNDAY, TUESDAY, Station, at, build_station


@pytest.fixture
def station(sessions: sessionmaker[Session]) -> Station:
    return build_station(sessions)


def play(
    s: Session, st: Station, item: str | None, start: int | str, seconds: int = 30, **kw: Any
) -> int:
    text = start if isinstance(start, str) else to_text(start)
    end = None if isinstance(start, str) else to_text(start + seconds)
    kind = kw.pop("item_kind", "ad" if item and item.startswith("ad") else "program")
    return add(
        s,
        m.PlayLogEntry,
        channel_id=st.channel,
        ts_start=text,
        ts_end=end,
        item_kind=kind,
        content_item_id=st.items[item] if item else None,
        **kw,
    )


def the_day(s: Session, st: Station) -> dict[str, int]:
    """One play of each kind of difference; returns the play ids by name."""
    r = st.rows
    return {
        "ep1a": play(s, st, "ep1", at(MONDAY, "20:00:00"), 600, schedule_instance_id=r["ep1a"]),
        # Exactly the tolerance late: still as planned.
        "ad1": play(s, st, "ad1", at(MONDAY, "20:10:30"), schedule_instance_id=r["ad1"]),
        # One second more than the tolerance: late.
        "promo": play(
            s,
            st,
            "promo",
            at(MONDAY, "20:11:01"),
            15,
            schedule_instance_id=r["promo"],
            item_kind="promo",
        ),
        # Not linked: paired by its item (ep1, whose first part is paired by its link).
        "ep1b": play(s, st, "ep1", at(MONDAY, "20:10:00"), 720),
        # ep2 did not air. The Cola ad aired again, unlinked, on time: ad2.
        "ad2": play(s, st, "ad1", at(MONDAY, "20:44:45")),
        # Written by another tool, with New York's offset: aired but not planned.
        "cars": play(s, st, "ad3", "2026-11-23T20:50:00-05:00", notes="as-run line 7"),
        # Neither of the day: Sunday 23:59:59 and Tuesday 00:00 local.
        "sunday": play(s, st, "ad3", at(SUNDAY, "23:59:59")),
        "tuesday": play(s, st, "ad3", at(TUESDAY, "00:00:00")),
    }


def test_each_kind_of_difference(sessions: sessionmaker[Session], station: Station) -> None:
    with sessions.begin() as s:
        plays = the_day(s, station)
    with sessions() as s:
        result = rc.reconcile(s, station.channel, MONDAY, NY)
    r = station.rows
    got = [
        (
            line.planned.id if line.planned else None,
            line.aired.id if line.aired else None,
            line.outcome,
            line.difference,
        )
        for line in result.lines
    ]
    assert got == [
        (r["ep1a"], plays["ep1a"], rc.AS_PLANNED, 0),
        (r["ad1"], plays["ad1"], rc.AS_PLANNED, 30),
        (r["promo"], plays["promo"], rc.LATE, 31),
        (r["ep1b"], plays["ep1b"], rc.EARLY, -45),
        (r["ep2"], None, rc.NOT_AIRED, None),
        (r["ad2"], plays["ad2"], rc.AS_PLANNED, 0),
        (None, plays["cars"], rc.UNPLANNED, None),
    ]
    assert result.counts == {
        rc.AS_PLANNED: 3,
        rc.LATE: 1,
        rc.EARLY: 1,
        rc.NOT_AIRED: 1,
        rc.UNPLANNED: 1,
    }
    first = result.lines[0]
    assert first.planned is not None and first.aired is not None
    assert first.planned.title == first.aired.title == "Cheers \N{EM DASH} S01E01 Pilot"
    cars = result.lines[-1].aired
    assert cars is not None and cars.title == "Cars" and cars.notes == "as-run line 7"
    assert cars.starts_at == at(MONDAY, "20:50:00")


@pytest.mark.parametrize(
    ("tolerance", "ad1", "promo"),
    [(29, rc.LATE, rc.LATE), (30, rc.AS_PLANNED, rc.LATE), (31, rc.AS_PLANNED, rc.AS_PLANNED)],
)
def test_the_tolerance_edges(
    sessions: sessionmaker[Session], station: Station, tolerance: int, ad1: str, promo: str
) -> None:
    with sessions.begin() as s:
        the_day(s, station)
    with sessions() as s:
        result = rc.reconcile(s, station.channel, MONDAY, NY, tolerance)
    outcome = {line.planned.id: line.outcome for line in result.lines if line.planned}
    assert outcome[station.rows["ad1"]] == ad1
    assert outcome[station.rows["promo"]] == promo
    assert outcome[station.rows["ep1b"]] == rc.EARLY  # 45 s early at every one of them
    assert result.tolerance_seconds == tolerance


def test_canceled_rows_are_not_the_plan_and_a_far_item_is_not_paired(
    sessions: sessionmaker[Session], station: Station
) -> None:
    r = station.rows
    with sessions.begin() as s:
        s.execute(update(INST).where(INST.c.id == r["ep2"]).values(status="canceled"))
        # Linked to a canceled row: aired, though not planned.
        canceled = play(s, station, "ep2", at(MONDAY, "20:22:45"), schedule_instance_id=r["ep2"])
        # The Cola ad again, four hours after ad2's slot: beyond the pairing window.
        late = play(s, station, "ad1", at(MONDAY, "00:30:00"))
    with sessions() as s:
        result = rc.reconcile(s, station.channel, MONDAY, NY)
    planned_ids = {line.planned.id for line in result.lines if line.planned}
    assert r["ep2"] not in planned_ids
    by_play = {line.aired.id: line for line in result.lines if line.aired}
    assert by_play[canceled].outcome == rc.UNPLANNED and by_play[canceled].planned is None
    assert by_play[late].outcome == rc.UNPLANNED
    assert result.count(rc.NOT_AIRED) == 5  # ep1a, ad1, promo, ep1b, ad2
    assert [line.aired.id for line in result.lines[:1] if line.aired] == [late]  # time order


def test_an_empty_day(sessions: sessionmaker[Session], station: Station) -> None:
    with sessions() as s:
        result = rc.reconcile(s, station.channel, TUESDAY, NY)
    assert result.lines == () and set(result.counts.values()) == {0}


def test_the_csv_export(sessions: sessionmaker[Session], station: Station) -> None:
    with sessions.begin() as s:
        plays = the_day(s, station)
    with sessions() as s:
        result = rc.reconcile(s, station.channel, MONDAY, NY)
    out = io.StringIO()
    assert rc.to_csv(result, out) == 7
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(rc.CSV_COLUMNS)
    assert [row["outcome"] for row in rows] == [line.outcome for line in result.lines]
    promo = rows[2]
    assert promo["difference_seconds"] == "31"
    assert promo["planned_start"] == "2026-11-23T20:10:30-05:00"
    assert promo["aired_start"] == "2026-11-23T20:11:01-05:00"
    assert promo["planned_title"] == promo["aired_title"] == "Tonight"
    assert promo["schedule_instance_id"] == str(station.rows["promo"])
    assert promo["play_id"] == str(plays["promo"])
    not_aired = rows[4]
    assert (not_aired["aired_start"], not_aired["play_id"], not_aired["difference_seconds"]) == (
        "",
        "",
        "",
    )
    cars = rows[6]
    assert (cars["planned_title"], cars["aired_title"], cars["aired_notes"]) == (
        "",
        "Cars",
        "as-run line 7",
    )
    assert cars["aired_end"] == ""  # the other tool wrote no end
