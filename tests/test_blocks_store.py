"""A channel's blocks in the database: nothing overlapping or unreadable is ever saved."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling import week
from retrovue_desktop.scheduling.blocks import (
    BlockValues,
    create_blocks,
    delete_blocks,
    instance_links,
    list_blocks,
    placed,
    relink_instances,
    update_blocks,
)
from retrovue_desktop.scheduling.errors import BlockConflict, ConstraintsError, ScheduleError
from retrovue_desktop.store import models as m
from retrovue_desktop.store.channels import ChannelValues, create_channel
from retrovue_desktop.store.tables import BLOCKS as BL
from tests.builders import add


def block(name: str, day: int, start: str, end: str, **more: object) -> BlockValues:
    return BlockValues(name, day, start, end, str(more.pop("strategy", "auto")), **more)  # type: ignore[arg-type]


@pytest.fixture
def channel(sessions: sessionmaker[Session]) -> int:
    with sessions.begin() as s:
        return create_channel(s, ChannelValues(name="Retro", number="3", max_rating_code="TV-PG"))


def saved(sessions: sessionmaker[Session], channel: int) -> list[tuple[str, int, str, str]]:
    with sessions() as s:
        return [
            (b.row.values.name, b.row.values.day_of_week, b.row.values.start_time,
             b.row.values.end_time)
            for b in list_blocks(s, channel)
        ]  # fmt: skip


def test_create_and_list(sessions: sessionmaker[Session], channel: int) -> None:
    with sessions.begin() as s:
        ids = create_blocks(
            s,
            channel,
            [block("Sitcoms", 1, "17:00", "18:30"), block("Late movie", 1, "23:00", "01:30")],
        )
    assert len(ids) == 2
    assert saved(sessions, channel) == [
        ("Sitcoms", 1, "17:00:00", "18:30:00"),
        ("Late movie", 1, "23:00:00", "01:30:00"),
    ]


@pytest.mark.parametrize(
    ("existing", "candidate"),
    [
        (("Late", 1, "23:00", "01:00"), ("Early", 2, "00:30", "02:00")),  # across midnight
        (("Sat late", 6, "23:30", "00:30"), ("Sun early", 0, "00:00", "01:00")),  # week's end
        (("A", 3, "10:00", "11:00"), ("B", 3, "10:59", "12:00")),
    ],
)
def test_overlaps_are_refused_and_nothing_written(
    sessions: sessionmaker[Session],
    channel: int,
    existing: tuple[str, int, str, str],
    candidate: tuple[str, int, str, str],
) -> None:
    with sessions.begin() as s:
        create_blocks(s, channel, [block(*existing)])
    with pytest.raises(BlockConflict, match="would overlap"), sessions.begin() as s:
        create_blocks(s, channel, [block(*candidate)])
    assert len(saved(sessions, channel)) == 1


def test_touching_blocks_are_fine_and_a_batch_is_all_or_nothing(
    sessions: sessionmaker[Session], channel: int
) -> None:
    with sessions.begin() as s:
        create_blocks(
            s, channel, [block("A", 6, "23:00", "00:00"), block("B", 0, "00:00", "01:00")]
        )
    with pytest.raises(BlockConflict), sessions.begin() as s:
        create_blocks(
            s, channel, [block("C", 2, "10:00", "11:00"), block("D", 2, "10:30", "12:00")]
        )
    assert [b[0] for b in saved(sessions, channel)] == ["B", "A"]


def test_a_moved_set_is_checked_as_a_whole(sessions: sessionmaker[Session], channel: int) -> None:
    with sessions.begin() as s:
        a, b = create_blocks(
            s, channel, [block("A", 1, "10:00", "11:00"), block("B", 1, "11:00", "12:00")]
        )
    with sessions.begin() as s:  # swapping places: each alone would overlap the other
        before = update_blocks(
            s, {a: block("A", 1, "11:00", "12:00"), b: block("B", 1, "10:00", "11:00")}
        )
    assert before[a].start_time == "10:00:00"
    assert saved(sessions, channel) == [
        ("B", 1, "10:00:00", "11:00:00"),
        ("A", 1, "11:00:00", "12:00:00"),
    ]
    with pytest.raises(BlockConflict), sessions.begin() as s:
        update_blocks(s, {a: block("A", 1, "10:30", "11:30")})
    assert saved(sessions, channel)[1] == ("A", 1, "11:00:00", "12:00:00")


def test_constraints_are_checked_when_they_change(
    sessions: sessionmaker[Session], channel: int
) -> None:
    with pytest.raises(ConstraintsError, match="not valid JSON"), sessions.begin() as s:
        create_blocks(s, channel, [block("Bad", 1, "10:00", "11:00", constraints_json="{")])
    too_high = '{"version":1,"max_rating":"R"}'
    with pytest.raises(ConstraintsError, match="above the channel's"), sessions.begin() as s:
        create_blocks(s, channel, [block("R", 1, "10:00", "11:00", constraints_json=too_high)])
    with pytest.raises(ScheduleError, match="needs a name"), sessions.begin() as s:
        create_blocks(s, channel, [block(" ", 1, "10:00", "11:00")])
    assert saved(sessions, channel) == []
    # A block written unreadable by something else lists with its sentence and still moves.
    with sessions.begin() as s:
        (block_id,) = create_blocks(s, channel, [block("Odd", 1, "10:00", "11:00")])
        s.execute(update(BL).where(BL.c.id == block_id).values(constraints_json="[1,"))
    with sessions() as s:
        (listed,) = list_blocks(s, channel)
    assert listed.problem is not None and "not valid JSON" in listed.problem
    assert listed.week is not None
    with sessions.begin() as s:
        update_blocks(s, {block_id: placed(listed.row.values, week.shift(listed.week, 60))})
    assert saved(sessions, channel) == [("Odd", 1, "11:00:00", "12:00:00")]


def test_unreadable_times_list_without_raising(
    sessions: sessionmaker[Session], channel: int
) -> None:
    with sessions.begin() as s:
        add(s, m.ScheduleBlock, channel_id=channel, name="X", day_of_week=2,
            start_time="25:00", end_time="26:00", strategy="auto")  # fmt: skip
    with sessions() as s:
        (listed,) = list_blocks(s, channel)
    assert listed.week is None and listed.problem is not None and "25:00" in listed.problem
    with sessions.begin() as s:  # it takes no minutes, so blocks can still be added
        create_blocks(s, channel, [block("Y", 2, "01:00", "02:00")])


def test_delete_and_restore_under_the_same_ids(
    sessions: sessionmaker[Session], channel: int
) -> None:
    with sessions.begin() as s:
        ids = create_blocks(
            s, channel, [block("A", 1, "10:00", "11:00"), block("B", 2, "10:00", "11:00")]
        )
        instance = add(s, m.ScheduleInstance, channel_id=channel, block_id=ids[0],
                       air_date="2026-11-23", start_time="10:00:00", end_time="10:30:00",
                       pick_strategy="auto")  # fmt: skip
    with sessions.begin() as s:
        links = instance_links(s, ids)
        rows = delete_blocks(s, ids)
    assert links == {ids[0]: [instance]}
    assert saved(sessions, channel) == []
    with sessions() as s:
        assert s.execute(select(m.ScheduleInstance.block_id)).scalar_one() is None
    with sessions.begin() as s:
        assert create_blocks(s, channel, [r.values for r in rows], ids=[r.id for r in rows]) == ids
        relink_instances(s, links)
    with sessions() as s:
        assert s.execute(select(m.ScheduleInstance.block_id)).scalar_one() == ids[0]
    with sessions.begin() as s:  # new blocks after a restore still get fresh ids
        (fresh,) = create_blocks(s, channel, [block("C", 3, "10:00", "11:00")])
    assert fresh not in ids


_op = st.tuples(
    st.sampled_from(["create", "move", "top", "bottom"]),
    st.integers(0, 6),
    st.integers(0, 1439),
    st.integers(-600, 600),
    st.integers(1, 600),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(_op, min_size=1, max_size=12))
def test_random_edits_through_the_store_never_save_overlaps(
    sqlite_url: str, ops: list[tuple[str, int, int, int, int]]
) -> None:
    from retrovue_desktop.store.engine import make_session_factory
    from tests.builders import migrated_engine

    engine = migrated_engine(sqlite_url.replace("station.db", f"h{abs(hash(tuple(ops)))}.db"))
    sessions = make_session_factory(engine)
    try:
        with sessions.begin() as s:
            channel = create_channel(s, ChannelValues(name="H"))
        for kind, day, start, delta, length in ops:
            with sessions() as s:
                current = [b for b in list_blocks(s, channel) if b.week is not None]
            try:
                with sessions.begin() as s:
                    if kind == "create" or not current:
                        made = week.WeekBlock.create(day, start, min(length, week.MAX_LENGTH))
                        values = BlockValues(
                            "b", made.day_of_week, made.start_time, made.end_time, "auto"
                        )
                        create_blocks(s, channel, [values])
                    else:
                        target = current[start % len(current)]
                        assert target.week is not None
                        edit = {
                            "move": week.shift,
                            "top": week.resize_top,
                            "bottom": week.resize_bottom,
                        }[kind]
                        moved = edit(target.week, delta)
                        update_blocks(s, {target.row.id: placed(target.row.values, moved)})
            except ScheduleError:
                pass
            with sessions() as s:
                weeks = [b.week for b in list_blocks(s, channel)]
            assert all(w is not None and 1 <= w.length <= week.MAX_LENGTH for w in weeks)
            for i, a in enumerate(weeks):
                for b in weeks[i + 1 :]:
                    assert a is not None and b is not None and not week.overlaps(a, b)
    finally:
        engine.dispose()
