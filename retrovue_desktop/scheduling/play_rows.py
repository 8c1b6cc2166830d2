"""One row of what aired, as the Play Log tab, its CSV export and the weekly archives
show it: the play_log columns plus the channel's label and the item's title, so that an
archived week reads on its own after the channel or item is gone."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlayRow:
    """A play_log row with the names that make it readable."""

    id: int
    channel_id: int
    channel: str  # the channel's label when read, e.g. "7 · Retro One"
    ts_start: str  # play_times text
    ts_end: str | None
    item_kind: str  # program, ad, promo, bumper, clip, unknown
    content_item_id: int | None
    title: str | None  # the item's effective title when read
    media_file_id: int | None
    schedule_instance_id: int | None
    ad_block_seq: int | None
    notes: str | None
