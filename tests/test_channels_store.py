"""Channels in the database: checks, order by number, and what goes with a removal."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.store import models as m
from retrovue_desktop.store.channels import (
    ChannelValues,
    create_channel,
    delete_channel,
    get_channel,
    list_channels,
    number_key,
    removal_impact,
    update_channel,
)
from retrovue_desktop.store.errors import StoreError
from tests.builders import add


def test_channels_are_listed_by_number_numerically(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        for name, number in [("Ten", "10"), ("Two", "2"), ("None", None), ("Sub", "2.1")]:
            create_channel(s, ChannelValues(name=name, number=number))
    with sessions() as s:
        assert [c.values.name for c in list_channels(s)] == ["Two", "Sub", "Ten", "None"]
    assert number_key("2") < number_key("2.1") < number_key("10") < number_key(None)


def test_values_are_cleaned_and_kept(sessions: sessionmaker[Session]) -> None:
    values = ChannelValues(
        name="  Retro One ",
        number=" 7 ",
        callsign="krtv",
        is_active=False,
        max_rating_code="us/tv-pg",
        time_zone="America/Chicago",
    )
    with sessions.begin() as s:
        channel_id = create_channel(s, values)
    with sessions() as s:
        row = get_channel(s, channel_id)
    assert row.values == ChannelValues("Retro One", "7", "KRTV", False, "TV-PG", "America/Chicago")
    assert row.label == "7 · Retro One"
    assert row.block_count == 0


@pytest.mark.parametrize(
    ("values", "words"),
    [
        (ChannelValues(name=" "), "needs a name"),
        (ChannelValues(name="x" * 101), "at most 100"),
        (ChannelValues(name="A", number="seven"), "not a channel number"),
        (ChannelValues(name="A", callsign="K R"), "not a callsign"),
        (ChannelValues(name="A", max_rating_code="XX"), "not a rating"),
        (ChannelValues(name="A", time_zone="Mars/Olympus"), "not a time zone"),
    ],
)
def test_bad_values_are_refused_with_nothing_written(
    sessions: sessionmaker[Session], values: ChannelValues, words: str
) -> None:
    with pytest.raises(StoreError, match=words), sessions.begin() as s:
        create_channel(s, values)
    with sessions() as s:
        assert list_channels(s) == []


def test_numbers_are_unique(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        first = create_channel(s, ChannelValues(name="One", number="3"))
        second = create_channel(s, ChannelValues(name="Two", number="4"))
    with pytest.raises(StoreError, match="already “One”'s"), sessions.begin() as s:
        update_channel(s, second, ChannelValues(name="Two", number="3"))
    with sessions.begin() as s:  # keeping its own number is fine
        update_channel(s, first, ChannelValues(name="Uno", number="3", time_zone="UTC"))
    with sessions() as s:
        assert get_channel(s, first).values.name == "Uno"
        assert get_channel(s, second).values.number == "4"


def test_removal_counts_and_removes_what_goes_with_it(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        keep = create_channel(s, ChannelValues(name="Keep", number="1"))
        gone = create_channel(s, ChannelValues(name="Gone", number="2"))
        for channel in (keep, gone):
            block = add(
                s,
                m.ScheduleBlock,
                channel_id=channel,
                name="Late",
                day_of_week=1,
                start_time="23:00:00",
                end_time="01:00:00",
                strategy="auto",
            )
            instance = add(
                s,
                m.ScheduleInstance,
                channel_id=channel,
                block_id=block,
                air_date="2026-11-23",
                start_time="23:00:00",
                end_time="23:30:00",
                pick_strategy="auto",
            )
            for _ in range(2):
                add(
                    s,
                    m.PlayLogEntry,
                    channel_id=channel,
                    ts_start="2026-11-23T23:00:00",
                    item_kind="program",
                    schedule_instance_id=instance,
                )
    with sessions() as s:
        impact = removal_impact(s, gone)
        assert (impact.blocks, impact.instances, impact.plays) == (1, 1, 2)
        assert impact.sentence("Gone") == (
            "Removing “Gone” also removes its 1 weekly block, 1 programme log entry and"
            " 2 play log rows. This cannot be undone."
        )
        assert [c.block_count for c in list_channels(s)] == [1, 1]
    with sessions.begin() as s:
        delete_channel(s, gone)
    with sessions() as s:
        assert [c.id for c in list_channels(s)] == [keep]
        for model in (m.ScheduleBlock, m.ScheduleInstance, m.PlayLogEntry):
            assert s.execute(select(func.count()).select_from(model)).scalar_one() in (1, 2)
        assert removal_impact(s, keep).plays == 2
    with pytest.raises(StoreError, match="no longer exists"), sessions.begin() as s:
        delete_channel(s, gone)
