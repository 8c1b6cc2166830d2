"""rules_json of ad policies: the schema, round trips, sentences for bad input."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrovue_desktop.scheduling import ad_rules as a
from retrovue_desktop.scheduling.errors import AdRulesError

FORMS = [
    a.AdRules(),
    a.AdRules(breaks_per="programme", breaks=4, break_seconds=90, fill_kinds=("ad",)),
    a.AdRules(
        breaks=1,
        break_seconds=180,
        fill_kinds=("ad", "bumper", "promo"),
        bumper_before=True,
        bumper_after=True,
        min_repeat_minutes=0,
    ),
    a.AdRules(breaks=0, break_seconds=0, fill_kinds=()),
]


@pytest.mark.parametrize("rules", FORMS)
def test_every_form_round_trips(rules: a.AdRules) -> None:
    text = a.serialize(rules)
    assert a.parse(text) == rules
    assert a.serialize(a.parse(text)) == text
    assert json.loads(text)["version"] == 1
    assert a.check(rules) == rules


def test_missing_fields_take_defaults_and_text_is_canonical() -> None:
    rules = a.parse('{"version": 1, "fill_kinds": ["promo", "ad", "ad"], "breaks": 3}')
    assert rules == a.AdRules(breaks=3, fill_kinds=("ad", "promo"))
    assert a.serialize(rules) == (
        '{"break_seconds":120,"breaks":3,"breaks_per":"half_hour","bumper_after":false,'
        '"bumper_before":false,"fill_kinds":["ad","promo"],"min_repeat_minutes":60,"version":1}'
    )


BAD = [
    (None, "has no rules"),
    ("", "has no rules"),
    ("{oops", "not valid JSON"),
    ("[]", "not a JSON object"),
    ("{}", "no version"),
    ('{"version": "1"}', "version '1'"),
    ('{"version": 1, "per_hour": 2}', "does not know: per_hour"),
    ('{"version": 1, "breaks_per": "hour"}', "per half hour or per programme"),
    ('{"version": 1, "breaks": -1}', "number of breaks must be a whole number from 0 to 12"),
    ('{"version": 1, "breaks": 13}', "from 0 to 12"),
    ('{"version": 1, "breaks": true}', "number of breaks"),
    ('{"version": 1, "break_seconds": 4000}', "break length"),
    ('{"version": 1, "fill_kinds": "ad"}', "must be a list"),
    ('{"version": 1, "fill_kinds": ["ad", "movie"]}', "not movie"),
    ('{"version": 1, "fill_kinds": []}', "nothing to fill them"),
    ('{"version": 1, "bumper_before": "yes"}', "true or false"),
    ('{"version": 1, "fill_kinds": ["ad"], "bumper_after": true}', "does not allow bumpers"),
    ('{"version": 1, "min_repeat_minutes": -5}', "0 or more"),
]


@pytest.mark.parametrize(("text", "sentence"), BAD)
def test_bad_input_is_a_sentence(text: str | None, sentence: str) -> None:
    with pytest.raises(AdRulesError) as refused:
        a.parse(text)
    assert sentence in str(refused.value)
    assert str(refused.value).endswith(".")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_parses_or_is_refused_with_a_sentence(text: str) -> None:
    try:
        a.parse(text)
    except AdRulesError as refused:
        assert str(refused)


@settings(max_examples=200, deadline=None)
@given(
    st.builds(
        a.AdRules,
        breaks_per=st.sampled_from(a.BREAKS_PER),
        breaks=st.integers(1, a.MAX_BREAKS),
        break_seconds=st.integers(0, a.MAX_BREAK_SECONDS),
        fill_kinds=st.sets(st.sampled_from(a.FILL_KINDS), min_size=1).map(
            lambda kinds: tuple(sorted(kinds))
        ),
        bumper_before=st.booleans(),
        bumper_after=st.booleans(),
        min_repeat_minutes=st.integers(0, 10_000),
    )
)
def test_valid_rules_round_trip_or_are_refused_for_bumpers(rules: a.AdRules) -> None:
    try:
        checked = a.check(rules)
    except AdRulesError as refused:
        assert "bumper" not in rules.fill_kinds and (rules.bumper_before or rules.bumper_after)
        assert "bumpers" in str(refused)
        return
    assert a.parse(a.serialize(checked)) == rules
