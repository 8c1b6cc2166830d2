"""The demo station's programming: two channels, three ad policies and a week's grid each.

"Retro One" is a general channel of reruns, cartoons and films under a TV-14 ceiling;
"Matinee Movies" shows films all afternoon and evening with no ceiling of its own, so its
late show may carry R-rated films. Their grids use every strategy (series, collection,
specific, auto) and are written through `scheduling.blocks`, which refuses overlaps,
and `scheduling.ad_policies`, which checks the rules: the demo is saved as the operator's
own edits would be.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from retrovue_desktop.scheduling import constraints as c
from retrovue_desktop.scheduling.ad_policies import create_policy
from retrovue_desktop.scheduling.ad_rules import AdRules
from retrovue_desktop.scheduling.blocks import BlockValues, create_blocks
from retrovue_desktop.store.channels import ChannelValues, create_channel

from .library import DemoCatalogue

ZONE = "America/New_York"
WEEKDAYS = (1, 2, 3, 4, 5)
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
SATURDAY, SUNDAY = 6, 0

POLICIES = {
    "classic": ("Classic TV breaks", AdRules("half_hour", 2, 120, ("ad", "bumper", "promo"),
                                             bumper_before=True, min_repeat_minutes=60)),
    "movie": ("Feature film breaks", AdRules("programme", 4, 150, ("ad", "bumper", "promo"),
                                             bumper_after=True, min_repeat_minutes=30)),
    "kids": ("Cartoon breaks", AdRules("half_hour", 1, 90, ("ad", "bumper"),
                                       min_repeat_minutes=45)),
}  # fmt: skip

Rules = Callable[[DemoCatalogue], c.Constraints]


def _series(*titles: str) -> Rules:
    return lambda cat: c.SeriesConstraints(tuple(cat.shows[t] for t in titles))


def _specific(*titles: str) -> Rules:
    return lambda cat: c.SpecificConstraints(tuple(cat.movies[t] for t in titles))


def _select(**values: object) -> Rules:
    return lambda _cat: c.SelectionConstraints(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Slot:
    """One block, on each of `days`."""

    days: tuple[int, ...]
    start: str  # "HH:MM"
    end: str  # "HH:MM", at or before start: past midnight
    name: str
    strategy: str
    rules: Rules
    policy: str | None


CARTOONS = _select(tags_include=("genre:cartoon",), max_rating="TV-G")
FILMS_PG = _select(kinds=("movie",), max_rating="PG")
FILMS = _select(kinds=("movie",))

RETRO_ONE = (
    Slot(WEEKDAYS, "06:00", "08:00", "Morning Cartoons", "collection", CARTOONS, "kids"),
    Slot(WEEKDAYS, "08:00", "12:00", "Daytime Reruns", "auto",
         _select(kinds=("episode",), max_rating="TV-PG"), "classic"),
    Slot(WEEKDAYS, "12:00", "13:00", "Lunchtime Sitcoms", "series",
         _series("Maple Street", "The Dinner Shift"), "classic"),
    Slot(WEEKDAYS, "13:00", "15:30", "Afternoon Movie", "collection", FILMS_PG, "movie"),
    Slot(WEEKDAYS, "15:30", "17:00", "After School", "series",
         _series("Robo Rangers", "Pets in Space", "Quiz Castle"), "kids"),
    Slot(WEEKDAYS, "17:00", "18:00", "Sitcoms at Five", "series",
         _series("Maple Street", "The Dinner Shift"), "classic"),
    Slot(WEEKDAYS, "18:00", "19:00", "Country Vet", "series",
         _series("Dr. Ames, Country Vet"), "classic"),
    Slot(WEEKDAYS, "19:00", "20:00", "Game Time", "series", _series("Quiz Castle"), "classic"),
    Slot(WEEKDAYS, "20:00", "22:00", "Prime Time Drama", "series",
         _series("Harbor Patrol", "Night Desk"), "classic"),
    Slot(WEEKDAYS, "22:00", "00:30", "Late Movie", "collection", FILMS, "movie"),
    Slot((SATURDAY,), "07:00", "12:00", "Saturday Morning Cartoons", "series",
         _series("Pets in Space", "Robo Rangers"), "kids"),
    Slot((SATURDAY,), "12:00", "14:30", "Family Film", "collection",
         _select(kinds=("movie",), tags_include=("genre:family",)), "movie"),
    Slot((SATURDAY,), "14:30", "18:00", "Harbor Patrol Marathon", "series",
         _series("Harbor Patrol"), "classic"),
    Slot((SATURDAY,), "18:00", "20:00", "Sitcom Saturday", "series",
         _series("Maple Street", "The Dinner Shift"), "classic"),
    Slot((SATURDAY,), "20:00", "22:30", "Saturday Night Movie", "collection", FILMS, "movie"),
    Slot((SATURDAY,), "22:30", "00:30", "Night Desk Double", "series",
         _series("Night Desk"), "classic"),
    Slot((SUNDAY,), "07:00", "10:00", "Sunday Cartoons", "collection", CARTOONS, "kids"),
    Slot((SUNDAY,), "10:00", "14:00", "Classic Sunday Double", "specific",
         _specific("The Clockmaker's Daughter", "Harvest Moon Dance", "Canyon Riders",
                   "The Lonely Satellite"), "movie"),
    Slot((SUNDAY,), "14:00", "18:00", "Sunday Reruns", "auto",
         _select(kinds=("episode",), max_rating="TV-PG"), "classic"),
    Slot((SUNDAY,), "18:00", "20:00", "Family Hour", "series",
         _series("Dr. Ames, Country Vet", "Quiz Castle"), "classic"),
    Slot((SUNDAY,), "20:00", "22:00", "Sunday Drama", "series", _series("Harbor Patrol"),
         "classic"),
    Slot((SUNDAY,), "22:00", "00:30", "Sunday Late Movie", "collection", FILMS, "movie"),
)  # fmt: skip

MATINEE = (
    Slot((SATURDAY,), "09:30", "12:00", "Kids' Matinee", "collection",
         _select(kinds=("movie",), max_rating="G"), "movie"),
    Slot((SUNDAY,), "09:30", "12:00", "Sunday Classic", "specific",
         _specific("Desert Sun Showdown", "The Long Winter Road", "Moonlight Serenade"),
         "movie"),
    Slot(EVERY_DAY, "12:00", "14:30", "Matinee", "collection", FILMS_PG, "movie"),
    Slot(EVERY_DAY, "14:30", "17:00", "Afternoon Feature", "collection",
         _select(kinds=("movie",), max_rating="PG-13"), "movie"),
    Slot(EVERY_DAY, "17:00", "19:30", "Early Evening Picture", "collection", FILMS_PG, "movie"),
    Slot(EVERY_DAY, "19:30", "22:00", "Prime Feature", "collection",
         _select(kinds=("movie",), max_rating="PG-13"), "movie"),
    Slot(EVERY_DAY, "22:00", "00:30", "The Late Show", "collection", FILMS, "movie"),
    Slot(EVERY_DAY, "00:30", "02:00", "Overnight Reruns", "auto",
         _select(kinds=("episode",)), "classic"),
)  # fmt: skip

CHANNELS = (
    (ChannelValues("Retro One", "3", "WRTO", True, "TV-14", ZONE), RETRO_ONE),
    (ChannelValues("Matinee Movies", "12", "WMTM", True, None, ZONE), MATINEE),
)


@dataclass
class DemoStation:
    """Ids of the channels (in CHANNELS order) and policies made."""

    channel_ids: list[int]
    policy_ids: dict[str, int]
    blocks: int


def write_station(session: Session, catalogue: DemoCatalogue) -> DemoStation:
    """Channels, ad policies and grids, in the caller's transaction."""
    policies = {key: create_policy(session, name, rules) for key, (name, rules) in POLICIES.items()}
    channel_ids = []
    blocks = 0
    for values, slots in CHANNELS:
        channel_id = create_channel(session, values)
        channel_ids.append(channel_id)
        rows = [
            BlockValues(
                slot.name,
                day,
                f"{slot.start}:00",
                f"{slot.end}:00",
                slot.strategy,
                c.serialize(slot.rules(catalogue)),
                policies[slot.policy] if slot.policy else None,
            )
            for slot in slots
            for day in slot.days
        ]
        rows.sort(key=lambda v: (v.day_of_week, v.start_time))
        blocks += len(create_blocks(session, channel_id, rows))
    return DemoStation(channel_ids, policies, blocks)
