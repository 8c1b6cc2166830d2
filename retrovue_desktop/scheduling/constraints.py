"""The schema of `schedule_blocks.constraints_json`, one per strategy; no database, no Qt.

The block's `strategy` column says which form the JSON takes; the JSON never repeats
it. Every form is an object with `"version": 1` (required; other versions are refused).
Unknown fields are refused, so a typo never silently widens a block. A null or empty
column means "no constraints" for `auto` and `collection`; `series` and `specific`
need theirs.

series (plays a show's episodes in order)::

    {"version": 1,
     "show_ids": [12, 40],                        # required, at least one shows.id
     "start_from": {"season": 2, "episode": 5}}   # optional: where a new run starts

specific (plays the items the block names, in that order)::

    {"version": 1, "item_ids": [7, 9, 7]}         # required, content_items.id, may repeat

collection and auto (draw from a selection; every field optional)::

    {"version": 1,
     "tags_include": ["holiday:christmas"],   # namespace:key; an item needs all of them
     "tags_exclude": ["audience:adult"],      # an item with any of them is left out
     "kinds": ["movie", "episode"],           # content_items.kind values
     "library_ids": [3],                      # libraries.id
     "max_rating": "TV-PG",                   # ceiling on the shared scale (ratings.py)
     "allow_unrated": false,                  # unrated items air only when true
     "min_duration_minutes": 20,              # whole minutes, inclusive
     "max_duration_minutes": 130,
     "date_range": {"start": "12-01", "end": "12-31"}}

`date_range` holds either month-days `MM-DD` (every year; a range may wrap the year end,
such as `12-15` to `01-06`) or full dates `YYYY-MM-DD`; both ends use the same form and
are inclusive. The block airs only on dates inside it ("December only").

The rating ceiling is never above the channel's: `check_ceiling` refuses a higher one
with a sentence, `effective_ceiling` gives the gentler of the two.

`serialize` writes the canonical text: sorted keys, defaults and empty lists left out,
lists of tags and ids sorted and deduplicated (except `item_ids`, whose order is the
play order). `parse(serialize(c), strategy) == c` for every value built by `parse`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from retrovue_desktop import ratings
from retrovue_desktop.errors import OperatorError
from retrovue_desktop.store.catalog import CONTENT_KINDS
from retrovue_desktop.store.programming import STRATEGIES
from retrovue_desktop.store.tags import parse_tag

from .errors import ConstraintsError

VERSION = 1
_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class EpisodeRef:
    """Season and episode numbers, as in content_items."""

    season: int
    episode: int


@dataclass(frozen=True)
class SeriesConstraints:
    show_ids: tuple[int, ...]
    start_from: EpisodeRef | None = None


@dataclass(frozen=True)
class SpecificConstraints:
    item_ids: tuple[int, ...]


@dataclass(frozen=True)
class DateRange:
    """Inclusive; both `MM-DD` (every year, may wrap the year end) or both `YYYY-MM-DD`."""

    start: str
    end: str

    @property
    def every_year(self) -> bool:
        return len(self.start) == 5

    def contains(self, day: date) -> bool:
        if not self.every_year:
            return self.start <= day.isoformat() <= self.end
        month_day = day.strftime("%m-%d")
        if self.start <= self.end:
            return self.start <= month_day <= self.end
        return month_day >= self.start or month_day <= self.end


@dataclass(frozen=True)
class SelectionConstraints:
    """What `collection` and `auto` draw from."""

    tags_include: tuple[str, ...] = ()
    tags_exclude: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    library_ids: tuple[int, ...] = ()
    max_rating: str | None = None
    allow_unrated: bool = False
    min_duration_minutes: int | None = None
    max_duration_minutes: int | None = None
    date_range: DateRange | None = field(default=None)


Constraints = SeriesConstraints | SpecificConstraints | SelectionConstraints


def _fail(message: str, detail: str = "") -> ConstraintsError:
    return ConstraintsError(message, detail=detail)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _ids(data: dict[str, Any], key: str, what: str) -> tuple[int, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(_is_int(v) and v > 0 for v in value):
        raise _fail(
            f"The block's {what} must be a list of ids (positive whole numbers).",
            detail=f"{key}={value!r}",
        )
    return tuple(value)


def _strings(data: dict[str, Any], key: str, what: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(f"The block's {what} must be a list of text values.", detail=f"{key}={value!r}")
    return tuple(value)


def _tags(data: dict[str, Any], key: str, what: str) -> tuple[str, ...]:
    tags = []
    for text in _strings(data, key, what):
        try:
            namespace, slug = parse_tag(text)
        except OperatorError as error:
            raise _fail(f"In the block's {what}: {error}", detail=error.detail) from None
        tags.append(f"{namespace}:{slug}")
    return tuple(sorted(set(tags)))


def _minutes(data: dict[str, Any], key: str, what: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not _is_int(value) or value < 0:
        raise _fail(
            f"The block's {what} must be a whole number of minutes, 0 or more.",
            detail=f"{key}={value!r}",
        )
    return int(value)


def _check_date(text: str) -> str:
    if _FULL_DATE.fullmatch(text):
        try:
            date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return text
    found = _MONTH_DAY.fullmatch(text)
    if found:
        try:
            date(2000, int(found.group(1)), int(found.group(2)))  # a leap year: 02-29 is fine
        except ValueError:
            pass
        else:
            return text
    raise _fail(
        f"“{text}” is not a date for the block's date range: write MM-DD (every year, such"
        " as “12-01”) or YYYY-MM-DD.",
        detail=f"date {text!r}",
    )


def _date_range(value: object) -> DateRange | None:
    if value is None:
        return None
    if (
        not isinstance(value, dict)
        or set(value) != {"start", "end"}
        or not all(isinstance(v, str) for v in value.values())
    ):
        raise _fail(
            "The block's date range must give a start and an end date.",
            detail=f"date_range={value!r}",
        )
    start, end = _check_date(value["start"]), _check_date(value["end"])
    if len(start) != len(end):
        raise _fail(
            "The block's date range must use the same form at both ends: both MM-DD or both"
            " YYYY-MM-DD.",
            detail=f"date_range={value!r}",
        )
    if len(start) == 10 and start > end:
        raise _fail(
            f"The block's date range ends ({end}) before it starts ({start}).",
            detail=f"date_range={value!r}",
        )
    return DateRange(start, end)


def check_rating(code: object) -> str | None:
    """A known rating code, normalised (`us/pg-13` → `PG-13`), or None; else a sentence."""
    if code is None:
        return None
    return ratings.checked(code, ConstraintsError)


def effective_ceiling(block_ceiling: str | None, channel_ceiling: str | None) -> str | None:
    """The gentler of the block's and the channel's ceilings (None: no ceiling)."""
    if block_ceiling is None:
        return channel_ceiling
    if channel_ceiling is None:
        return block_ceiling
    block_rank, channel_rank = ratings.rank(block_ceiling), ratings.rank(channel_ceiling)
    if block_rank is None:
        return channel_ceiling
    if channel_rank is None or block_rank <= channel_rank:
        return block_ceiling
    return channel_ceiling


def check_ceiling(block_ceiling: str | None, channel_ceiling: str | None) -> str | None:
    """`block_ceiling` if it is not above the channel's; otherwise a sentence."""
    if channel_ceiling is None or block_ceiling is None:
        return block_ceiling
    if effective_ceiling(block_ceiling, channel_ceiling) != block_ceiling:
        raise _fail(
            f"The block's rating ceiling {block_ceiling} is above the channel's"
            f" ({channel_ceiling}): choose {channel_ceiling} or gentler.",
            detail=f"block {block_ceiling!r} > channel {channel_ceiling!r}",
        )
    return block_ceiling


def check_against_channel(constraints: Constraints, channel_ceiling: str | None) -> Constraints:
    """`constraints` if their rating ceiling respects the channel's; otherwise a sentence."""
    if isinstance(constraints, SelectionConstraints):
        check_ceiling(constraints.max_rating, channel_ceiling)
    return constraints


_FIELDS: dict[str, set[str]] = {
    "series": {"version", "show_ids", "start_from"},
    "specific": {"version", "item_ids"},
    "selection": {
        "version",
        "tags_include",
        "tags_exclude",
        "kinds",
        "library_ids",
        "max_rating",
        "allow_unrated",
        "min_duration_minutes",
        "max_duration_minutes",
        "date_range",
    },
}


def _form(strategy: str) -> str:
    if strategy not in STRATEGIES:
        raise _fail(
            f"“{strategy}” is not a strategy: use one of {', '.join(STRATEGIES)}.",
            detail=f"strategy {strategy!r}",
        )
    return strategy if strategy in ("series", "specific") else "selection"


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _version_words(version: object) -> str:
    return "no version" if version is None else f"version {version!r}"


def from_dict(data: object, strategy: str) -> Constraints:
    """Check a decoded JSON value against the form `strategy` uses."""
    form = _form(strategy)
    if not isinstance(data, dict):
        raise _fail(
            "The block's constraints are not a JSON object.", detail=f"top level {data!r:.200}"
        )
    if data.get("version") != VERSION:
        raise _fail(
            f"The block's constraints have {_version_words(data.get('version'))}; this"
            f" version of RetroVue reads version {VERSION}.",
            detail=f"version {data.get('version')!r}",
        )
    unknown = sorted(set(data) - _FIELDS[form])
    if unknown:
        raise _fail(
            f"The block's constraints have fields {_article(strategy)} {strategy} block does"
            " not use:"
            f" {', '.join(unknown)}.",
            detail=f"unknown {unknown!r}",
        )
    if form == "series":
        show_ids = tuple(sorted(set(_ids(data, "show_ids", "shows"))))
        if not show_ids:
            raise _fail("A series block needs at least one show.", detail="no show_ids")
        start = data.get("start_from")
        start_from = None
        if start is not None:
            if (
                not isinstance(start, dict)
                or set(start) != {"season", "episode"}
                or not all(_is_int(v) and v >= 0 for v in start.values())
            ):
                raise _fail(
                    "The block's starting episode must give a season and an episode number.",
                    detail=f"start_from={start!r}",
                )
            start_from = EpisodeRef(start["season"], start["episode"])
        return SeriesConstraints(show_ids, start_from)
    if form == "specific":
        item_ids = _ids(data, "item_ids", "items")
        if not item_ids:
            raise _fail("A specific block needs at least one item.", detail="no item_ids")
        return SpecificConstraints(item_ids)
    kinds = _strings(data, "kinds", "kinds")
    bad_kinds = sorted(set(kinds) - set(CONTENT_KINDS))
    if bad_kinds:
        raise _fail(
            f"The block names kinds that do not exist: {', '.join(bad_kinds)}. Use"
            f" {', '.join(CONTENT_KINDS)}.",
            detail=f"kinds={kinds!r}",
        )
    allow_unrated = data.get("allow_unrated", False)
    if not isinstance(allow_unrated, bool):
        raise _fail(
            "The block's “allow unrated” must be true or false.",
            detail=f"allow_unrated={allow_unrated!r}",
        )
    low = _minutes(data, "min_duration_minutes", "minimum duration")
    high = _minutes(data, "max_duration_minutes", "maximum duration")
    if low is not None and high is not None and low > high:
        raise _fail(
            f"The block's minimum duration ({low} min) is longer than its maximum ({high} min).",
            detail=f"min {low} > max {high}",
        )
    include = _tags(data, "tags_include", "tags to include")
    exclude = _tags(data, "tags_exclude", "tags to exclude")
    both = sorted(set(include) & set(exclude))
    if both:
        raise _fail(
            f"The block both includes and excludes {', '.join(both)}.", detail=f"both {both!r}"
        )
    return SelectionConstraints(
        tags_include=include,
        tags_exclude=exclude,
        kinds=tuple(sorted(set(kinds))),
        library_ids=tuple(sorted(set(_ids(data, "library_ids", "libraries")))),
        max_rating=check_rating(data.get("max_rating")),
        allow_unrated=allow_unrated,
        min_duration_minutes=low,
        max_duration_minutes=high,
        date_range=_date_range(data.get("date_range")),
    )


def parse(text: str | None, strategy: str) -> Constraints:
    """`constraints_json` as stored → checked constraints, or ConstraintsError with a
    sentence (never another exception). Null or blank text: no constraints."""
    if text is None or not text.strip():
        return from_dict({"version": VERSION}, strategy)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise _fail(
            "The block's constraints are not valid JSON; open the block and save its"
            " constraints again.",
            detail=f"{error}: {text[:200]!r}",
        ) from None
    return from_dict(data, strategy)


def to_dict(constraints: Constraints) -> dict[str, Any]:
    """The canonical JSON object: defaults and empty lists left out."""
    out: dict[str, Any] = {"version": VERSION}
    if isinstance(constraints, SeriesConstraints):
        out["show_ids"] = sorted(set(constraints.show_ids))
        if constraints.start_from is not None:
            out["start_from"] = {
                "season": constraints.start_from.season,
                "episode": constraints.start_from.episode,
            }
        return out
    if isinstance(constraints, SpecificConstraints):
        out["item_ids"] = list(constraints.item_ids)
        return out
    for key in ("tags_include", "tags_exclude", "kinds", "library_ids"):
        values = getattr(constraints, key)
        if values:
            out[key] = sorted(set(values))
    for key in ("max_rating", "min_duration_minutes", "max_duration_minutes"):
        value = getattr(constraints, key)
        if value is not None:
            out[key] = value
    if constraints.allow_unrated:
        out["allow_unrated"] = True
    if constraints.date_range is not None:
        out["date_range"] = {
            "start": constraints.date_range.start,
            "end": constraints.date_range.end,
        }
    return out


def serialize(constraints: Constraints) -> str:
    """Stable text for `constraints_json`: sorted keys, compact, UTF-8 kept as is."""
    return json.dumps(to_dict(constraints), sort_keys=True, separators=(",", ":"))


def check(
    constraints: Constraints, strategy: str, channel_ceiling: str | None = None
) -> Constraints:
    """Constraints built by a form, checked as if read back, and against the channel's
    rating ceiling; returns the canonical value (what `parse(serialize(...))` gives)."""
    canonical = from_dict(to_dict(constraints), strategy)
    return check_against_channel(canonical, channel_ceiling)
