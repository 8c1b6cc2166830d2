"""The demo station's invented catalogue: shows, movies, ads, bumpers and promos.

Every title, brand and person here is made up. Durations, episode titles and file sizes
are drawn from a seeded `random.Random`, so one seed always gives the same catalogue.
Nothing here touches a database: `demo.library` writes it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from retrovue_desktop.store.tags import slugify


@dataclass(frozen=True)
class ShowSpec:
    title: str
    year: int
    rating: str
    minutes: tuple[int, int]  # an episode's length, inclusive range
    seasons: int
    episodes: int  # per season
    tags: tuple[str, ...]
    studio: str
    summary: str
    manual_breaks: bool = False  # the operator marked its ad breaks by hand


@dataclass(frozen=True)
class MovieSpec:
    title: str
    year: int
    genre: str
    rating: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spot:
    """An ad, bumper or promo as the demo's folder libraries hold it."""

    kind: str  # ad, bumper, promo
    title: str
    seconds: int
    rating: str
    tags: tuple[str, ...] = ()


SHOWS = (
    ShowSpec(
        "Maple Street", 1984, "TV-PG", (22, 25), 2, 13,
        ("genre:sitcom", "decade:1980s", "audience:family", "tone:lighthearted"),
        "Elmwood Television",
        "Three generations of the Hartley family share one creaky house on Maple Street.",
        manual_breaks=True,
    ),
    ShowSpec(
        "The Dinner Shift", 1991, "TV-PG", (22, 24), 2, 12,
        ("genre:sitcom", "decade:1990s", "tone:lighthearted"),
        "Blue Plate Productions",
        "The night crew of a roadside diner keeps the coffee hot and the customers odd.",
    ),
    ShowSpec(
        "Quiz Castle", 1987, "TV-G", (22, 24), 1, 15,
        ("genre:game-show", "decade:1980s", "audience:family"),
        "Turret Entertainment",
        "Families storm a cardboard castle, one trivia question at a time.",
    ),
    ShowSpec(
        "Pets in Space", 1988, "TV-Y7", (21, 23), 1, 20,
        ("genre:cartoon", "decade:1980s", "audience:kids"),
        "Comet Animation",
        "A hamster, a parrot and a very brave goldfish pilot a cardboard rocket.",
    ),
    ShowSpec(
        "Robo Rangers", 1986, "TV-G", (21, 23), 1, 13,
        ("genre:cartoon", "decade:1980s", "audience:kids", "genre:sci-fi"),
        "Comet Animation",
        "Five robots who turn into trucks keep Gearville safe from the Rust Gang.",
    ),
    ShowSpec(
        "Harbor Patrol", 1979, "TV-14", (45, 48), 2, 10,
        ("genre:drama", "genre:crime", "decade:1970s"),
        "Seaboard Pictures Television",
        "Two harbor police officers work the docks of a fog-bound port city.",
    ),
    ShowSpec(
        "Dr. Ames, Country Vet", 1982, "TV-PG", (44, 47), 1, 12,
        ("genre:drama", "decade:1980s", "audience:family", "tone:heartwarming"),
        "Prairie Lantern Films",
        "A city vet inherits a country practice, a stubborn mule and the whole valley.",
    ),
    ShowSpec(
        "Night Desk", 1994, "TV-14", (44, 46), 1, 10,
        ("genre:drama", "decade:1990s"),
        "Late Edition Productions",
        "The overnight staff of a big-city newspaper chase the story before the presses roll.",
    ),
)  # fmt: skip

MOVIES = (
    MovieSpec("Thunder Road Rally", 1977, "action", "PG"),
    MovieSpec("The Last Lighthouse", 1981, "drama", "PG"),
    MovieSpec("Midnight at the Roxy", 1985, "comedy", "PG-13"),
    MovieSpec("Space Cadets from Pluto", 1983, "sci-fi", "PG"),
    MovieSpec("A Very Busy Christmas", 1989, "family", "G", ("holiday:christmas",)),
    MovieSpec("Desert Sun Showdown", 1972, "western", "PG"),
    MovieSpec("The Haunting of Elm Hollow", 1987, "horror", "R", ("holiday:halloween",)),
    MovieSpec("Summer Camp Chaos", 1984, "comedy", "PG-13"),
    MovieSpec("Operation Blue Falcon", 1990, "action", "R"),
    MovieSpec("My Robot Buddy", 1986, "family", "G", ("audience:kids",)),
    MovieSpec("The Secret of Willow Creek", 1979, "mystery", "PG"),
    MovieSpec("Neon Nights", 1988, "thriller", "R"),
    MovieSpec("Grandma's Big Race", 1992, "family", "G", ("audience:kids",)),
    MovieSpec("Starship Meridian", 1980, "sci-fi", "PG"),
    MovieSpec("Two for the Road Trip", 1993, "comedy", "PG-13"),
    MovieSpec("The Clockmaker's Daughter", 1976, "drama", "G"),
    MovieSpec("Dead Calm at Dawn", 1989, "thriller", "R"),
    MovieSpec("Canyon Riders", 1974, "western", "G"),
    MovieSpec("Snow Day!", 1991, "family", "PG", ("audience:kids",)),
    MovieSpec("The Great Pizza Caper", 1985, "comedy", "PG"),
    MovieSpec("Return to Crater Lake", 1982, "adventure", "PG"),
    MovieSpec("Mall Rats of Tomorrow", 1994, "sci-fi", "PG-13"),
    MovieSpec("Iron Fist of Justice", 1986, "action", "R"),
    MovieSpec("Moonlight Serenade", 1978, "romance", "PG"),
    MovieSpec("The Jingle Bell Mix-Up", 1993, "family", "G", ("holiday:christmas",)),
    MovieSpec("Beach Party Blast", 1975, "comedy", "PG"),
    MovieSpec("The Phantom Projectionist", 1980, "horror", "PG-13", ("holiday:halloween",)),
    MovieSpec("Hot Pursuit on Route 9", 1979, "action", "PG"),
    MovieSpec("Lost in the Arcade", 1983, "adventure", "PG", ("audience:kids",)),
    MovieSpec("The Long Winter Road", 1971, "western", "PG"),
    MovieSpec("Detective Lacey Takes a Holiday", 1988, "mystery", "PG"),
    MovieSpec("Alien Exchange Student", 1987, "comedy", "PG-13"),
    MovieSpec("Harvest Moon Dance", 1973, "romance", "G"),
    MovieSpec("The Vault Job", 1992, "thriller", "PG-13"),
    MovieSpec("Wild River Rescue", 1990, "adventure", "PG"),
    MovieSpec("Attack of the Giant Tomatoes Again", 1984, "sci-fi", "PG"),
    MovieSpec("Prom Night Disaster", 1989, "comedy", "PG-13"),
    MovieSpec("The Lonely Satellite", 1982, "sci-fi", "G"),
    MovieSpec("Big City Blues", 1977, "drama", "R"),
    MovieSpec("Rocket Dog", 1995, "family", "G", ("audience:kids",)),
)

BRANDS = (
    "Fizzy Pop Cola", "Sunny Farms Cereal", "Speedy Auto Parts", "Moonbeam Mattresses",
    "Captain Gill's Fish Sticks", "Glow Toothpaste", "MegaMart", "Turbo Sneakers",
    "Lucky Star Pizza", "Hometown Savings Bank", "Zoom Video Rental", "Pixel Pals",
    "Sparkle Dish Soap", "Crispy Bites", "Galaxy Gum", "Rolling Thunder Trucks",
    "Dr. Bubbles Bath", "Fresh Breeze", "Riverside Zoo", "Quick Quack Car Wash",
)  # fmt: skip
CAMPAIGNS = ("Jingle", "Family", "Big Sale", "New Look", "Summer", "Taste Test")
# A few spots are for grown-ups (the late-night mattress and car ads): under a TV-G
# ceiling they stay out of the cartoons.
GROWN_UP_BRANDS = frozenset({"Moonbeam Mattresses", "Rolling Thunder Trucks"})

BUMPERS = (
    "Station ident: Sunset", "Station ident: Test Pattern", "Station ident: Neon Sign",
    "We'll Be Right Back", "And Now Back to Our Show", "Stay Tuned", "Coming Up Next",
    "Later Tonight", "Feature Presentation", "Intermission", "Now Showing",
    "Saturday Morning Fanfare", "Late Night Owl", "Sign-On Chime", "Weather Break",
    "Don't Touch That Dial", "Retro Countdown", "Cartoon Clock", "Movie Reel",
    "Good Night Moon",
)  # fmt: skip


# A trailer carries the TV code of its film's rating.
TV_EQUIVALENT = {"G": "TV-G", "PG": "TV-PG", "PG-13": "TV-14", "R": "TV-MA"}


def _tag_slug(text: str) -> str:
    return slugify(text.replace("'", ""))


def episode_titles(rng: random.Random, count: int) -> list[str]:
    """`count` invented episode titles, none repeated within one show."""
    first = (
        "The Big", "A Long", "The Last", "One More", "The Lost", "Night of the", "A Perfect",
        "The Great", "Return of the", "The Secret", "Trouble at the", "The Missing",
    )  # fmt: skip
    second = (
        "Weekend", "Snowstorm", "Birthday", "Parade", "Heatwave", "Recipe", "Lighthouse",
        "Bake Sale", "Road Trip", "Tuxedo", "Blackout", "Talent Show", "Reunion", "Detour",
        "Jackpot", "Houseguest", "Anniversary", "Tornado", "Science Fair", "Camping Trip",
    )  # fmt: skip
    pairs = [f"{a} {b}" for a in first for b in second]
    rng.shuffle(pairs)
    return pairs[:count]


def spots(rng: random.Random) -> list[Spot]:
    """The ads (four per brand, 15, 30 or 60 s), bumpers (5 to 10 s), show promos and
    film trailers."""
    out: list[Spot] = []
    for brand in BRANDS:
        campaigns = rng.sample(CAMPAIGNS, 4)
        for campaign in campaigns:
            seconds = rng.choice((15, 30, 30, 30, 60))
            rating = "TV-PG" if brand in GROWN_UP_BRANDS else "TV-G"
            out.append(
                Spot(
                    "ad", f"{brand}: {campaign} ({seconds}s)", seconds, rating,
                    (f"brand:{_tag_slug(brand)}",),
                )
            )  # fmt: skip
    for name in BUMPERS:
        out.append(Spot("bumper", name, rng.randint(5, 10), "TV-G"))
    for show in SHOWS:
        out.append(Spot("promo", f"Promo: {show.title}", rng.choice((15, 20, 30)), show.rating))
        out.append(Spot("promo", f"Promo: {show.title} marathon", 30, show.rating))
    for movie in MOVIES:
        out.append(Spot("promo", f"Trailer: {movie.title}", 30, TV_EQUIVALENT[movie.rating]))
    return out
