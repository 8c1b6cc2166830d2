"""How marker kinds and sources are named on screen: shared by the marker table, the
timeline strip and the marker dialog, which otherwise do not depend on one another."""

from __future__ import annotations

KIND_WORDS = {"chapter": "Chapter", "ad_break": "Ad break", "cue": "Cue"}
SOURCE_WORDS = {"detected": "Plex", "file": "File", "manual": "Manual"}


def kind_word(kind: str) -> str:
    return KIND_WORDS.get(kind, kind)
