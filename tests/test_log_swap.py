"""Swapping an item into a programme's or fill item's place, and the undo, on the
hand-built channel of test_programme_log, on both backends.

Rows are compared column by column as read back, so an undo is checked to put back
exactly what was there and a refusal to write nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling import log_status, log_swap
from retrovue_desktop.scheduling.errors import ScheduleError
from retrovue_desktop.store.tables import INSTANCES as INST
from retrovue_desktop.store.tables import MF
from tests.test_programme_log import MONDAY, NY, Station, at, build_station, rundown, status_of


@pytest.fixture
def station(sessions: sessionmaker[Session]) -> Station:
    return build_station(sessions)


# -- swap ----------------------------------------------------------------------------------


def rows_now(sessions: sessionmaker[Session], *ids: int) -> list[tuple[Any, ...]]:
    with sessions() as s:
        found = {
            r[0]: tuple(r[1:])
            for r in s.execute(
                select(
                    INST.c.id, INST.c.content_item_id, INST.c.status, INST.c.starts_at,
                    INST.c.ends_at, INST.c.end_time, INST.c.offset_ms, INST.c.pick_strategy,
                    INST.c.notes, INST.c.item_kind,
                ).where(INST.c.id.in_(ids))
            )
        }  # fmt: skip
    return [found[i] for i in ids]


def test_swap_candidates_fit_the_block_the_ceiling_and_the_air_time(
    sessions: sessionmaker[Session], station: Station
) -> None:
    items = station.items
    with sessions.begin() as s:
        s.execute(update(MF).where(MF.c.id == station.files["ep4"]).values(availability="gone"))
    with sessions() as s:
        found = log_swap.swap_candidates(s, station.rows["ep1b"], "TV-14")
        searched = log_swap.swap_candidates(s, station.rows["ep1b"], "TV-14", text="torte")
        roomy = log_swap.swap_candidates(s, station.rows["ep2"], None)
    # Episodes of the block's show, no longer than the programme's 1,320 s on air: not the
    # programme itself, not ep4 (its file is gone), not ep5 (too long), not ep6 (TV-MA).
    assert [c.id for c in found] == [items["ep2"], items["ep3"]]  # longest first
    assert found[1].title == "Cheers \N{EM DASH} S01E03 The Tortelli Tort"
    assert (found[1].seconds, found[1].kind, found[1].rating) == (1000, "episode", "TV-PG")
    assert [c.id for c in searched] == [items["ep3"]]
    assert [c.id for c in roomy] == [items["ep1"], items["ep6"], items["ep3"]]


def test_fill_candidates_are_playable_items_of_its_kind_no_longer_than_it(
    sessions: sessionmaker[Session], station: Station
) -> None:
    with sessions() as s:
        found = log_swap.swap_candidates(s, station.rows["ad1"], "TV-PG")
    assert [c.id for c in found] == [station.items["ad2"]]  # not ad3 (45 s), not the promo


def test_swap_recuts_the_new_item_at_the_same_parts_and_undo_restores(
    sessions: sessionmaker[Session], station: Station
) -> None:
    r = station.rows
    parts = (r["ep1a"], r["ep1b"])
    before = rows_now(sessions, *parts)
    with sessions.begin() as s:
        snapshots = log_swap.swap(s, r["ep1b"], station.items["ep3"], NY)
    first, second = rows_now(sessions, *parts)
    note = "Swapped in by the operator (was “Cheers \N{EM DASH} S01E01 Pilot”)"
    start_b = at(MONDAY, "20:10:45")
    start_a = at(MONDAY, "20:00:00")
    assert first == (station.items["ep3"], "planned", start_a, start_a + 600, "20:10:00",
                     0, "specific", note, "program")  # fmt: skip
    # 1,000 s: 600 in the first part, the 400 left in the second, which ends early.
    assert second == (station.items["ep3"], "planned", start_b, start_b + 400, "20:17:25",
                      600_000, "specific", note, "program")  # fmt: skip
    day = rundown(sessions, station)
    assert day.rows[0].title == "Cheers \N{EM DASH} S01E03 The Tortelli Tort"
    assert {w.name: w.unfilled_seconds for w in day.windows}["Sitcoms"] == 14 * 60 + 45 + 320
    with sessions.begin() as s:
        log_swap.restore_rows(s, snapshots)
    assert rows_now(sessions, *parts) == before


def test_a_short_item_cancels_the_parts_beyond_its_end(
    sessions: sessionmaker[Session], station: Station
) -> None:
    r = station.rows
    with sessions.begin() as s:
        snapshots = log_swap.swap(s, r["ep1a"], station.items["ep4"], NY)
    first, second = rows_now(sessions, r["ep1a"], r["ep1b"])
    assert (first[0], first[1], first[3] - first[2]) == (station.items["ep4"], "planned", 500)
    assert second[1] == "canceled"
    with sessions.begin() as s:
        log_swap.restore_rows(s, snapshots)
    assert status_of(sessions, r["ep1a"], r["ep1b"]) == ["planned", "planned"]


def test_swap_a_fill_item_shrinks_it(sessions: sessionmaker[Session], station: Station) -> None:
    r = station.rows
    with sessions.begin() as s:
        log_swap.swap(s, r["ad1"], station.items["ad2"], NY)
    (row,) = rows_now(sessions, r["ad1"])
    assert (row[0], row[3] - row[2], row[4], row[7], row[8]) == (
        station.items["ad2"], 20, "20:10:20", "Swapped in by the operator (was “Cola”)", "ad",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("row", "item", "words"),
    [
        ("ep1a", "ep5", "longer than the 22 min"),
        ("ad1", "ad3", "longer than the 30 s"),
        ("ad1", "promo", "not of the same kind"),
        ("ep2", "ad2", "not a programme"),
    ],
)
def test_swap_refusals_write_nothing(
    sessions: sessionmaker[Session], station: Station, row: str, item: str, words: str
) -> None:
    before = rows_now(sessions, *station.rows.values())
    with sessions.begin() as s, pytest.raises(ScheduleError, match=words):
        log_swap.swap(s, station.rows[row], station.items[item], NY)
    assert rows_now(sessions, *station.rows.values()) == before


def test_swap_refuses_an_unplayable_item_and_played_or_canceled_rows(
    sessions: sessionmaker[Session], station: Station
) -> None:
    r = station.rows
    with sessions.begin() as s:
        s.execute(update(MF).where(MF.c.id == station.files["ep3"]).values(availability="missing"))
        s.execute(update(INST).where(INST.c.id == r["ep2"]).values(status="played"))
        log_status.cancel(s, [r["promo"]])
    with sessions.begin() as s, pytest.raises(ScheduleError, match="cannot be played"):
        log_swap.swap(s, r["ep1a"], station.items["ep3"], NY)
    with sessions.begin() as s, pytest.raises(ScheduleError, match="already aired"):
        log_swap.swap(s, r["ep2"], station.items["ep4"], NY)
    with sessions.begin() as s, pytest.raises(ScheduleError, match="is canceled"):
        log_swap.swap_candidates(s, r["promo"], None)


def test_restore_refuses_rows_that_have_gone(
    sessions: sessionmaker[Session], station: Station
) -> None:
    with sessions.begin() as s:
        snapshots = log_swap.swap(s, station.rows["ad1"], station.items["ad2"], NY)
    with sessions.begin() as s:
        s.execute(INST.delete().where(INST.c.id == station.rows["ad1"]))
    with sessions.begin() as s, pytest.raises(ScheduleError, match="no longer exists"):
        log_swap.restore_rows(s, snapshots)
