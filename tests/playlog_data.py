"""A small hand-built play log on two channels in different zones, for the Play Log tests."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from retrovue_desktop.scheduling.play_times import to_text
from retrovue_desktop.store import models as m
from tests.builders import add

# 2026-11-23 00:00 UTC; rows run for three days from here.
BASE = int(datetime(2026, 11, 23, tzinfo=UTC).timestamp())
KINDS = ("program", "ad", "promo", "bumper", "ad", "program", "clip")


def fill_play_log(session: Session) -> dict[str, int]:
    """Channels 3 (station zone) and 10 (Europe/London), three titled items (one with an
    editorial override), 7 rows a day every 3 hours on each channel for 3 days, with
    notes on some; channel 3's last row and channel 10's 11th are left open."""
    ids: dict[str, int] = {}
    ids["lib"] = add(session, m.Library, source="local", root_path="/srv", title="L",
                     library_type="movie")  # fmt: skip
    ids["one"] = add(session, m.Channel, name="Retro One", number="3")
    ids["two"] = add(session, m.Channel, name="Late Show", number="10", time_zone="Europe/London")
    ids["cheers"] = add(session, m.ContentItem, kind="episode", title="Cheers Pilot",
                        library_id=ids["lib"])  # fmt: skip
    ids["cola"] = add(session, m.ContentItem, kind="ad", title="Ad Cola", library_id=ids["lib"])
    add(session, m.ContentEditorial, content_item_id=ids["cola"], override_title="Fizzy Spot")
    ids["bump"] = add(session, m.ContentItem, kind="bumper", title="Station Ident_50%",
                      library_id=ids["lib"])  # fmt: skip
    items = (ids["cheers"], ids["cola"], ids["bump"], None)
    n = 0
    for channel in (ids["one"], ids["two"]):
        for step in range(21):
            start = BASE + step * 3 * 3600 + (0 if channel == ids["one"] else 1800)
            length = 600 + 60 * (step % 5)
            last = (channel == ids["one"] and step == 20) or (channel == ids["two"] and step == 10)
            add(
                session,
                m.PlayLogEntry,
                channel_id=channel,
                ts_start=to_text(start),
                ts_end=None if last else to_text(start + length),
                item_kind=KINDS[step % len(KINDS)],
                content_item_id=items[step % len(items)],
                ad_block_seq=step % 3 or None,
                notes=("late start" if step % 4 == 0 else None),
            )
            n += 1
    ids["rows"] = n
    return ids
