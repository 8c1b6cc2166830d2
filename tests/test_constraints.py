"""constraints_json: one schema per strategy, round trips, sentences for bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrovue_desktop import ratings
from retrovue_desktop.scheduling import constraints as c
from retrovue_desktop.scheduling.errors import ConstraintsError

FORMS = [
    ("series", c.SeriesConstraints(show_ids=(3, 12))),
    ("series", c.SeriesConstraints(show_ids=(12,), start_from=c.EpisodeRef(2, 5))),
    ("specific", c.SpecificConstraints(item_ids=(9, 7, 9))),
    ("auto", c.SelectionConstraints()),
    ("collection", c.SelectionConstraints()),
    (
        "collection",
        c.SelectionConstraints(
            tags_include=("genre:sitcom", "holiday:christmas"),
            tags_exclude=("audience:adult",),
            kinds=("episode", "movie"),
            library_ids=(1, 4),
            max_rating="TV-PG",
            allow_unrated=True,
            min_duration_minutes=20,
            max_duration_minutes=130,
            date_range=c.DateRange("12-01", "12-31"),
        ),
    ),
    ("auto", c.SelectionConstraints(date_range=c.DateRange("2026-12-01", "2027-01-06"))),
    ("auto", c.SelectionConstraints(max_rating="PG-13", kinds=("movie",))),
]


@pytest.mark.parametrize(("strategy", "value"), FORMS)
def test_every_form_round_trips(strategy: str, value: c.Constraints) -> None:
    text = c.serialize(value)
    assert c.parse(text, strategy) == value
    assert c.serialize(c.parse(text, strategy)) == text
    assert json.loads(text)["version"] == 1
    assert c.check(value, strategy) == value


def test_serialized_text_is_canonical() -> None:
    text = '{"tags_exclude": [], "version": 1, "kinds": ["movie", "episode", "movie"],'
    text += ' "max_rating": "us/tv-pg", "allow_unrated": false}'
    value = c.parse(text, "collection")
    assert value.kinds == ("episode", "movie")  # type: ignore[union-attr]
    assert c.serialize(value) == '{"kinds":["episode","movie"],"max_rating":"TV-PG","version":1}'


def test_empty_column_means_no_constraints_for_selection_only() -> None:
    assert c.parse(None, "auto") == c.SelectionConstraints()
    assert c.parse("  ", "collection") == c.SelectionConstraints()
    with pytest.raises(ConstraintsError, match="at least one show"):
        c.parse(None, "series")
    with pytest.raises(ConstraintsError, match="at least one item"):
        c.parse(None, "specific")


BAD = [
    ("auto", "{not json", "not valid JSON"),
    ("auto", "[1, 2]", "not a JSON object"),
    ("auto", '"text"', "not a JSON object"),
    ("auto", "{}", "no version"),
    ("auto", '{"version": 2}', "version 2"),
    ("auto", '{"version": 1, "show_ids": [1]}', "fields an auto block does not use: show_ids"),
    ("series", '{"version": 1, "show_ids": "3"}', "list of ids"),
    ("series", '{"version": 1, "show_ids": [true]}', "list of ids"),
    ("series", '{"version": 1, "show_ids": [1], "start_from": {"season": 1}}', "season and"),
    ("specific", '{"version": 1, "item_ids": [0]}', "list of ids"),
    ("collection", '{"version": 1, "tags_include": ["christmas"]}', "namespace:key"),
    ("collection", '{"version": 1, "tags_include": ["Holiday:X mas"]}', "tags to include"),
    ("collection", '{"version": 1, "tags_include": ["a:b"], "tags_exclude": ["a:b"]}', "both"),
    ("collection", '{"version": 1, "kinds": ["film"]}', "kinds that do not exist: film"),
    ("collection", '{"version": 1, "max_rating": "XXX"}', "not a rating"),
    ("collection", '{"version": 1, "max_rating": 5}', "not a rating"),
    ("collection", '{"version": 1, "allow_unrated": 1}', "true or false"),
    ("collection", '{"version": 1, "min_duration_minutes": -1}', "whole number of minutes"),
    ("collection", '{"version": 1, "max_duration_minutes": 1.5}', "whole number of minutes"),
    (
        "collection",
        '{"version": 1, "min_duration_minutes": 90, "max_duration_minutes": 30}',
        "longer than its maximum",
    ),
    ("auto", '{"version": 1, "date_range": {"start": "12-01"}}', "start and an end"),
    ("auto", '{"version": 1, "date_range": {"start": "13-01", "end": "12-31"}}', "MM-DD"),
    ("auto", '{"version": 1, "date_range": {"start": "02-30", "end": "03-01"}}', "MM-DD"),
    (
        "auto",
        '{"version": 1, "date_range": {"start": "12-01", "end": "2026-12-31"}}',
        "same form",
    ),
    (
        "auto",
        '{"version": 1, "date_range": {"start": "2026-12-31", "end": "2026-12-01"}}',
        "ends",
    ),
    ("nightly", '{"version": 1}', "not a strategy"),
]


@pytest.mark.parametrize(("strategy", "text", "sentence"), BAD)
def test_bad_input_is_a_sentence(strategy: str, text: str, sentence: str) -> None:
    with pytest.raises(ConstraintsError) as refused:
        c.parse(text, strategy)
    assert sentence in str(refused.value)
    assert str(refused.value).endswith(".")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["auto", "series", "specific", "collection"]))
def test_any_text_parses_or_is_refused_with_a_sentence(text: str, strategy: str) -> None:
    try:
        c.parse(text, strategy)
    except ConstraintsError as refused:
        assert str(refused)


def test_date_range_contains() -> None:
    december = c.DateRange("12-01", "12-31")
    assert december.contains(date(2026, 12, 24)) and not december.contains(date(2026, 11, 30))
    holidays = c.DateRange("12-15", "01-06")
    assert holidays.contains(date(2027, 1, 2)) and holidays.contains(date(2026, 12, 20))
    assert not holidays.contains(date(2027, 1, 7))
    once = c.DateRange("2026-12-01", "2027-01-06")
    assert once.contains(date(2027, 1, 6)) and not once.contains(date(2027, 12, 1))


@pytest.mark.parametrize("channel", [None, *ratings.CODES])
@pytest.mark.parametrize("block", [None, *ratings.CODES])
def test_rating_ceiling_is_never_above_the_channels(block: str | None, channel: str | None) -> None:
    effective = c.effective_ceiling(block, channel)
    if channel is not None:
        assert effective is not None
        assert (ratings.rank(effective) or 0) <= (ratings.rank(channel) or 0)
    if block is not None:
        assert effective is not None
        assert (ratings.rank(effective) or 0) <= (ratings.rank(block) or 0)
    above = (
        block is not None
        and channel is not None
        and (ratings.rank(block) or 0) > (ratings.rank(channel) or 0)
    )
    value = c.SelectionConstraints(max_rating=block)
    if above:
        with pytest.raises(ConstraintsError, match="above the channel"):
            c.check(value, "collection", channel)
    else:
        assert c.check(value, "collection", channel) == value
        assert c.check_ceiling(block, channel) == block


def test_channel_ceiling_applies_to_selection_only() -> None:
    series = c.SeriesConstraints(show_ids=(1,))
    assert c.check_against_channel(series, "TV-Y") == series
    with pytest.raises(ConstraintsError, match="R is above the channel's \\(TV-PG\\)"):
        c.check_against_channel(c.SelectionConstraints(max_rating="R"), "TV-PG")
