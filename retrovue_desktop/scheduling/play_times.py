"""play_log's timestamps: ISO 8601 text, written in UTC with its offset.

The spec stores `ts_start`/`ts_end` as ISO 8601 text. RetroVue writes them as
"2026-11-24T20:00:00+00:00" (UTC, whole seconds, explicit offset), so text order is time
order and SQL can range-filter them as text. Read back, any ISO 8601 text is accepted
(an offset is honoured; text without one is taken as UTC), so rows written by other
tools still count.
"""

from __future__ import annotations

from datetime import UTC, datetime


def to_text(instant: int) -> str:
    """UTC seconds as play_log text."""
    return datetime.fromtimestamp(instant, UTC).isoformat()


def from_text(text: str | None) -> int | None:
    """play_log text as UTC seconds; None when empty or unreadable."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())
