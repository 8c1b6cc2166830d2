"""One ordered scale across MPAA and US TV ratings (DESIGN.md: Ratings).

TV-Y < TV-Y7 < G = TV-G < PG = TV-PG < PG-13 = TV-14 < R = TV-MA < NC-17. Unknown codes
are unrated: a channel or block with a ceiling never airs them unless it says so.
Shared by the Plex sync (kids-friendly flag) and scheduling (ceilings), so it lives
below both.
"""

from __future__ import annotations

from retrovue_desktop.errors import OperatorError

MPAA = "MPAA"
US_TV = "US-TV"

# code -> (rank on the shared scale, rating system)
_SCALE: dict[str, tuple[int, str]] = {
    "TV-Y": (0, US_TV),
    "TV-Y7": (1, US_TV),
    "TV-Y7-FV": (1, US_TV),
    "G": (2, MPAA),
    "TV-G": (2, US_TV),
    "PG": (3, MPAA),
    "TV-PG": (3, US_TV),
    "PG-13": (4, MPAA),
    "TV-14": (4, US_TV),
    "R": (5, MPAA),
    "TV-MA": (5, US_TV),
    "NC-17": (6, MPAA),
}
# Every known code, gentlest first (for pickers and SQL rank expressions).
CODES: tuple[str, ...] = tuple(sorted(_SCALE, key=lambda code: _SCALE[code][0]))
# At or below this rank an item is kids-friendly (G / TV-G and gentler).
KIDS_FRIENDLY_MAX_RANK = 2


def normalise(code: str | None) -> str | None:
    """Plex writes `PG-13`, `TV-14`, sometimes with a country prefix (`us/PG-13`)."""
    if not code:
        return None
    text = code.strip()
    if "/" in text:
        text = text.rsplit("/", 1)[1]
    return text.upper() or None


def rank(code: str | None) -> int | None:
    """Position on the shared scale, or None for unrated or unknown codes."""
    normal = normalise(code)
    if normal is None:
        return None
    found = _SCALE.get(normal)
    return found[0] if found else None


def rating_system(code: str | None) -> str | None:
    """MPAA or US-TV for a known code, None otherwise."""
    normal = normalise(code)
    found = _SCALE.get(normal) if normal else None
    return found[1] if found else None


def is_kids_friendly(code: str | None) -> bool:
    """G, TV-G and gentler; unrated is never assumed kids-friendly."""
    position = rank(code)
    return position is not None and position <= KIDS_FRIENDLY_MAX_RANK


def within_ceiling(code: str | None, ceiling: str | None, allow_unrated: bool = False) -> bool:
    """Whether `code` may air under `ceiling` (None means no ceiling)."""
    if ceiling is None:
        return True
    position = rank(code)
    if position is None:
        return allow_unrated
    limit = rank(ceiling)
    return limit is not None and position <= limit


def checked(code: object, error: type[OperatorError]) -> str:
    """`code` normalised if the scale knows it; otherwise `error` with the sentence every
    rating field (channel ceiling, block ceiling) gives."""
    normal = normalise(code) if isinstance(code, str) else None
    if normal is None or rank(normal) is None:
        raise error(
            f"“{code}” is not a rating the station knows: use one of {', '.join(CODES)}.",
            detail=f"rating {code!r}",
        )
    return normal
