"""Ad policies in the database, on SQLite and PostgreSQL: create, list, update, delete
with the blocks that use them, refused names and rules, unreadable stored rules."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.scheduling import ad_rules
from retrovue_desktop.scheduling.ad_policies import (
    AdPolicyError,
    PolicyRow,
    create_policy,
    delete_policy,
    describe,
    get_policy,
    list_policies,
    update_policy,
)
from retrovue_desktop.scheduling.ad_rules import AdRules
from retrovue_desktop.scheduling.errors import AdRulesError
from retrovue_desktop.store import models as m
from tests.builders import add

Sessions = sessionmaker[Session]
PRIME = AdRules(breaks=3, break_seconds=90, bumper_before=True, bumper_after=True)
DAY = AdRules(breaks_per="programme", breaks=1, fill_kinds=("ad",), min_repeat_minutes=0)


def stored(sessions: Sessions) -> dict[int, tuple[str, str]]:
    """id → (name, rules_json) as written."""
    with sessions() as s:
        rows = s.execute(text("SELECT id, name, rules_json FROM ad_policies"))
        return {int(r[0]): (r[1], r[2]) for r in rows}


def block_policies(sessions: Sessions) -> dict[str, int | None]:
    with sessions() as s:
        rows = s.execute(select(m.ScheduleBlock.name, m.ScheduleBlock.ad_policy_id))
        return {r[0]: r[1] for r in rows}


def blocks(session: Session, policy_ids: dict[str, int | None]) -> None:
    """One block per entry (name → policy), on Monday, an hour each from 01:00."""
    channel = add(session, m.Channel, name="Retro One")
    for hour, (name, policy_id) in enumerate(policy_ids.items(), start=1):
        add(
            session,
            m.ScheduleBlock,
            channel_id=channel,
            name=name,
            day_of_week=1,
            start_time=f"{hour:02d}:00:00",
            end_time=f"{hour + 1:02d}:00:00",
            strategy="auto",
            ad_policy_id=policy_id,
        )


def create(sessions: Sessions, name: str, rules: AdRules = PRIME) -> int:
    with sessions() as s, s.begin():
        return create_policy(s, name, rules)


def refused(sessions: Sessions, call: Any, *args: Any) -> OperatorError:
    before = stored(sessions)
    with pytest.raises(OperatorError) as caught, sessions() as s, s.begin():
        call(s, *args)
    assert stored(sessions) == before
    return caught.value


def test_create_writes_canonical_rules_and_reads_them_back(sessions: Sessions) -> None:
    policy_id = create(sessions, "  Prime   time ", PRIME)
    assert stored(sessions) == {policy_id: ("Prime time", ad_rules.serialize(PRIME))}
    with sessions() as s:
        row = get_policy(s, policy_id)
    assert row == PolicyRow(policy_id, "Prime time", PRIME, None, 0)


def test_rules_in_any_kind_order_are_stored_canonically(sessions: Sessions) -> None:
    shuffled = AdRules(fill_kinds=("promo", "ad", "promo"))
    policy_id = create(sessions, "Shuffled", shuffled)
    expected = AdRules(fill_kinds=("ad", "promo"))
    assert stored(sessions)[policy_id][1] == ad_rules.serialize(expected)
    with sessions() as s:
        assert get_policy(s, policy_id).rules == expected


def test_list_is_by_name_ignoring_case_then_id(sessions: Sessions) -> None:
    b = create(sessions, "bravo")
    a = create(sessions, "Alpha")
    c = create(sessions, "Charlie", DAY)
    with sessions() as s, s.begin():  # duplicates only a script could write
        d1 = add(s, m.AdPolicy, name="delta", rules_json=ad_rules.serialize(DAY))
        d2 = add(s, m.AdPolicy, name="Delta", rules_json=ad_rules.serialize(DAY))
    with sessions() as s:
        rows = list_policies(s)
    assert [(r.id, r.name) for r in rows] == [
        (a, "Alpha"),
        (b, "bravo"),
        (c, "Charlie"),
        (d1, "delta"),
        (d2, "Delta"),
    ]
    assert rows[2].rules == DAY


def test_blocks_using_counts_each_policy(sessions: Sessions) -> None:
    prime = create(sessions, "Prime")
    day = create(sessions, "Day", DAY)
    unused = create(sessions, "Unused")
    with sessions() as s, s.begin():
        blocks(s, {"a": prime, "b": prime, "c": day, "d": None})
    with sessions() as s:
        counts = {r.id: r.blocks_using for r in list_policies(s)}
        assert get_policy(s, prime).blocks_using == 2
    assert counts == {prime: 2, day: 1, unused: 0}


@pytest.mark.parametrize(
    ("name", "words"),
    [("", "Give the ad policy a name"), ("   ", "Give the ad policy a name"), ("x" * 101, "100")],
)
def test_names_are_required_and_bounded(sessions: Sessions, name: str, words: str) -> None:
    error = refused(sessions, create_policy, name, PRIME)
    assert words in str(error)
    assert isinstance(error, AdPolicyError)


def test_names_are_unique_ignoring_case_and_spacing(sessions: Sessions) -> None:
    first = create(sessions, "Prime time")
    error = refused(sessions, create_policy, " PRIME  TIME", DAY)
    assert "already called “Prime time”" in str(error)
    other = create(sessions, "Daytime", DAY)
    error = refused(sessions, update_policy, other, "prime time", DAY)
    assert "already called" in str(error)
    with sessions() as s, s.begin():  # a policy may keep its name or change its case
        update_policy(s, first, "PRIME TIME", PRIME)
    assert stored(sessions)[first][0] == "PRIME TIME"


def test_refused_rules_write_nothing(sessions: Sessions) -> None:
    error = refused(sessions, create_policy, "Empty", AdRules(breaks=2, fill_kinds=()))
    assert isinstance(error, AdRulesError)
    assert "nothing to fill them" in str(error)
    policy_id = create(sessions, "Prime")
    error = refused(
        sessions, update_policy, policy_id, "Prime", AdRules(fill_kinds=("ad",), bumper_after=True)
    )
    assert "bumpers" in str(error)
    error = refused(sessions, update_policy, policy_id, "Prime", AdRules(breaks=13))
    assert "number of breaks" in str(error)


def test_update_replaces_name_and_rules(sessions: Sessions) -> None:
    policy_id = create(sessions, "Prime")
    other = create(sessions, "Other", DAY)
    with sessions() as s, s.begin():
        update_policy(s, policy_id, "Late night", DAY)
    assert stored(sessions) == {
        policy_id: ("Late night", ad_rules.serialize(DAY)),
        other: ("Other", ad_rules.serialize(DAY)),
    }


def test_missing_policy_is_a_sentence(sessions: Sessions) -> None:
    for call, args in (
        (get_policy, (404,)),
        (update_policy, (404, "Gone", PRIME)),
        (delete_policy, (404,)),
    ):
        error = refused(sessions, call, *args)
        assert "no longer exists" in str(error)
        assert "404" in error.detail


def test_delete_clears_the_blocks_that_used_it(sessions: Sessions) -> None:
    prime = create(sessions, "Prime")
    day = create(sessions, "Day", DAY)
    with sessions() as s, s.begin():
        blocks(s, {"a": prime, "b": prime, "c": prime, "d": day, "e": None})
    with sessions() as s, s.begin():
        assert delete_policy(s, prime) == 3
    assert block_policies(sessions) == {"a": None, "b": None, "c": None, "d": day, "e": None}
    assert set(stored(sessions)) == {day}
    with sessions() as s, s.begin():
        assert delete_policy(s, day) == 1
    assert stored(sessions) == {}


def test_delete_rolls_back_with_the_callers_transaction(sessions: Sessions) -> None:
    prime = create(sessions, "Prime")
    with sessions() as s, s.begin():
        blocks(s, {"a": prime})
    with pytest.raises(RuntimeError), sessions() as s, s.begin():
        delete_policy(s, prime)
        raise RuntimeError("the caller gave up")
    assert block_policies(sessions) == {"a": prime}
    assert set(stored(sessions)) == {prime}


@pytest.mark.parametrize(
    ("rules_json", "words"),
    [
        ("{}", "no version"),
        ("not json", "not valid JSON"),
        ("", "has no rules"),
        ('{"version": 1, "breaks": "two"}', "number of breaks"),
        ('{"version": 1, "colour": "red"}', "colour"),
    ],
)
def test_unreadable_stored_rules_are_listed_with_their_problem(
    sessions: Sessions, rules_json: str, words: str
) -> None:
    with sessions() as s, s.begin():
        bad = add(s, m.AdPolicy, name="Imported", rules_json=rules_json)
        blocks(s, {"a": bad})
    good = create(sessions, "Prime")
    with sessions() as s:
        rows = {r.id: r for r in list_policies(s)}
        assert get_policy(s, bad) == rows[bad]
    assert rows[bad].rules is None
    assert rows[bad].problem is not None and words in rows[bad].problem
    assert rows[bad].blocks_using == 1
    assert rows[good].problem is None
    with sessions() as s, s.begin():  # saving the form's rules fixes it
        update_policy(s, bad, "Imported", DAY)
    with sessions() as s:
        assert get_policy(s, bad).rules == DAY


@pytest.mark.parametrize(
    ("rules", "line"),
    [
        (
            AdRules(bumper_before=True, bumper_after=True),
            "2 breaks per half hour · 2:00 each · ads, promos, bumpers · bumpers around",
        ),
        (
            AdRules(breaks_per="programme", breaks=1, break_seconds=150, fill_kinds=("ad",)),
            "1 break per programme · 2:30 each · ads",
        ),
        (
            AdRules(
                breaks=4, break_seconds=1800, fill_kinds=("bumper", "promo"), bumper_after=True
            ),
            "4 breaks per half hour · 30:00 each · promos, bumpers · bumper after",
        ),
        (AdRules(fill_kinds=("bumper",), bumper_before=True), "bumpers · bumper before"),
        (AdRules(breaks=0, fill_kinds=()), "No breaks (per half hour)"),
    ],
)
def test_describe_is_one_line(rules: AdRules, line: str) -> None:
    assert describe(rules).endswith(line)
