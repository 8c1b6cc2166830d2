"""Counted nouns and lengths for the operator's sentences: "1 log row", "4 min 10 s"."""

from __future__ import annotations


def count(n: int, one: str, many: str | None = None) -> str:
    """`n` with thousands separators and the noun in the right number."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def duration(seconds: int) -> str:
    """12 s, 4 min 10 s, 2 h 5 min: short and exact enough for a rundown."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"
