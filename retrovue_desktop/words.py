"""Counted nouns for the operator's sentences: "1 log row", "2,400 log rows"."""

from __future__ import annotations


def count(n: int, one: str, many: str | None = None) -> str:
    """`n` with thousands separators and the noun in the right number."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
