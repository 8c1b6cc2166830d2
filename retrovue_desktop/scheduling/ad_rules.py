"""The schema of `ad_policies.rules_json`; no database, no Qt.

One object, `"version": 1` required (other versions are refused); every other field is
optional and takes the default shown. Unknown fields are refused::

    {"version": 1,
     "breaks_per": "half_hour",          # "half_hour" or "programme"
     "breaks": 2,                        # breaks in each half hour / programme, 0 to 12
     "break_seconds": 120,               # target length of one break, 0 to 1800 s
     "fill_kinds": ["ad", "bumper", "promo"],  # what fills breaks: ad, promo, bumper
     "bumper_before": false,             # a bumper opens each break
     "bumper_after": false,              # a bumper closes each break
     "min_repeat_minutes": 60}           # the same ad airs again only after this long

`fill_kinds` must name at least one kind when `breaks` is above 0. `bumper_before` and
`bumper_after` need `bumper` in `fill_kinds`. `serialize` writes every field, with
sorted keys and sorted kinds, so the text is canonical; `parse(serialize(r)) == r`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .errors import AdRulesError

VERSION = 1
BREAKS_PER = ("half_hour", "programme")
FILL_KINDS = ("ad", "bumper", "promo")
MAX_BREAKS = 12
MAX_BREAK_SECONDS = 1800
_FIELDS = {
    "version",
    "breaks_per",
    "breaks",
    "break_seconds",
    "fill_kinds",
    "bumper_before",
    "bumper_after",
    "min_repeat_minutes",
}


@dataclass(frozen=True)
class AdRules:
    breaks_per: str = "half_hour"
    breaks: int = 2
    break_seconds: int = 120
    fill_kinds: tuple[str, ...] = FILL_KINDS
    bumper_before: bool = False
    bumper_after: bool = False
    min_repeat_minutes: int = 60


def _fail(message: str, detail: str = "") -> AdRulesError:
    return AdRulesError(message, detail=detail)


def _whole(data: dict[str, Any], key: str, what: str, low: int, high: int | None) -> int:
    value = data[key]
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
    if not ok or (high is not None and value > high):
        upper = f" to {high}" if high is not None else " or more"
        raise _fail(
            f"The ad policy's {what} must be a whole number from {low}{upper}.",
            detail=f"{key}={value!r}",
        )
    return int(value)


def _flag(data: dict[str, Any], key: str, what: str) -> bool:
    value = data[key]
    if not isinstance(value, bool):
        raise _fail(f"The ad policy's {what} must be true or false.", detail=f"{key}={value!r}")
    return value


def _version_words(version: object) -> str:
    return "no version" if version is None else f"version {version!r}"


def from_dict(data: object) -> AdRules:
    """Check a decoded JSON value; defaults fill the fields it leaves out."""
    if not isinstance(data, dict):
        raise _fail("The ad policy's rules are not a JSON object.", detail=f"{data!r:.200}")
    if data.get("version") != VERSION:
        raise _fail(
            f"The ad policy's rules have {_version_words(data.get('version'))}; this"
            f" version of RetroVue reads version {VERSION}.",
            detail=f"version {data.get('version')!r}",
        )
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise _fail(
            f"The ad policy's rules have fields RetroVue does not know: {', '.join(unknown)}.",
            detail=f"unknown {unknown!r}",
        )
    default = AdRules()
    values: dict[str, Any] = {**to_dict(default), **data}
    if values["breaks_per"] not in BREAKS_PER:
        raise _fail(
            "The ad policy places breaks per half hour or per programme"
            " (“half_hour” or “programme”).",
            detail=f"breaks_per={values['breaks_per']!r}",
        )
    kinds = values["fill_kinds"]
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise _fail(
            "The ad policy's fill kinds must be a list such as [“ad”, “promo”].",
            detail=f"fill_kinds={kinds!r}",
        )
    bad = sorted(set(kinds) - set(FILL_KINDS))
    if bad:
        raise _fail(
            f"Breaks are filled with ads, promos and bumpers only, not {', '.join(bad)}.",
            detail=f"fill_kinds={kinds!r}",
        )
    rules = AdRules(
        breaks_per=values["breaks_per"],
        breaks=_whole(values, "breaks", "number of breaks", 0, MAX_BREAKS),
        break_seconds=_whole(values, "break_seconds", "break length", 0, MAX_BREAK_SECONDS),
        fill_kinds=tuple(sorted(set(kinds))),
        bumper_before=_flag(values, "bumper_before", "“bumper before breaks”"),
        bumper_after=_flag(values, "bumper_after", "“bumper after breaks”"),
        min_repeat_minutes=_whole(values, "min_repeat_minutes", "minimum ad separation", 0, None),
    )
    if rules.breaks and not rules.fill_kinds:
        raise _fail(
            "The ad policy has breaks but nothing to fill them: choose ads, promos or bumpers.",
            detail="empty fill_kinds",
        )
    if (rules.bumper_before or rules.bumper_after) and "bumper" not in rules.fill_kinds:
        raise _fail(
            "The ad policy puts bumpers around breaks but does not allow bumpers in breaks.",
            detail="bumper flags without bumper kind",
        )
    return rules


def parse(text: str | None) -> AdRules:
    """`rules_json` as stored → AdRules, or AdRulesError with a sentence (never another
    exception)."""
    if text is None or not text.strip():
        raise _fail("The ad policy has no rules; open it and save its rules again.")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise _fail(
            "The ad policy's rules are not valid JSON; open the policy and save it again.",
            detail=f"{error}: {text[:200]!r}",
        ) from None
    return from_dict(data)


def to_dict(rules: AdRules) -> dict[str, Any]:
    """Every field, kinds sorted."""
    return {
        "version": VERSION,
        "breaks_per": rules.breaks_per,
        "breaks": rules.breaks,
        "break_seconds": rules.break_seconds,
        "fill_kinds": sorted(set(rules.fill_kinds)),
        "bumper_before": rules.bumper_before,
        "bumper_after": rules.bumper_after,
        "min_repeat_minutes": rules.min_repeat_minutes,
    }


def serialize(rules: AdRules) -> str:
    """Stable text for `rules_json`: sorted keys, compact."""
    return json.dumps(to_dict(rules), sort_keys=True, separators=(",", ":"))


def check(rules: AdRules) -> AdRules:
    """Rules built by a form, checked as if read back; returns the canonical value."""
    return from_dict(to_dict(rules))
