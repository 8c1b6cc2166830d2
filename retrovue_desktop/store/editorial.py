"""The operator's title and synopsis over the source's (DESIGN.md "Editorial layering").

Sync writes content_items.title/synopsis and content_editorial.original_*; only these
helpers write override_*. What the operator sees and the schedule uses is the override
where set, else the source value, so a resync that retitles an item never undoes an
edit, and reverting brings back whatever the source says now.

Helpers take the caller's session and never commit; refused input raises StoreError
before anything is written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.orm import Session

from .errors import StoreError
from .tables import CI, ED, LIB

TITLE_MAX = 500
SYNOPSIS_MAX = 20_000
# source_name of an editorial row made here, by where the item comes from (a local
# folder's scanner writes "file"); an item of no library was made by hand.
SOURCE_NAMES = {"plex": "plex", "local": "file"}


@dataclass(frozen=True)
class EditorialView:
    """An item's source text and the operator's overrides beside it."""

    item_id: int
    source_name: str | None
    source_title: str | None
    source_synopsis: str | None
    override_title: str | None
    override_synopsis: str | None
    override_updated_at: int | None
    payload_json: str | None

    @property
    def title(self) -> str | None:
        """The title shown and scheduled: the override where set, else the source's."""
        return self.override_title if self.override_title is not None else self.source_title

    @property
    def synopsis(self) -> str | None:
        return (
            self.override_synopsis if self.override_synopsis is not None else self.source_synopsis
        )

    @property
    def overridden(self) -> bool:
        return self.override_title is not None or self.override_synopsis is not None


def effective_title() -> ColumnElement[str | None]:
    """SQL for the title shown, for queries that outer-join content_editorial to
    content_items (sorting and filtering by it in SQL)."""
    return func.coalesce(ED.c.override_title, CI.c.title)


def effective_synopsis() -> ColumnElement[str | None]:
    return func.coalesce(ED.c.override_synopsis, CI.c.synopsis)


def editorial_of(session: Session, item_id: int) -> EditorialView:
    """The item's editorial view; items without an editorial row show content_items'
    values as the source."""
    row = session.execute(
        select(
            CI.c.id,
            ED.c.content_item_id,
            ED.c.source_name,
            CI.c.title,
            CI.c.synopsis,
            ED.c.original_title,
            ED.c.original_synopsis,
            ED.c.override_title,
            ED.c.override_synopsis,
            ED.c.override_updated_at,
            ED.c.source_payload_json,
        )
        .select_from(CI.outerjoin(ED, ED.c.content_item_id == CI.c.id))
        .where(CI.c.id == item_id)
    ).first()
    if row is None:
        raise _no_item(item_id)
    has_row = row.content_item_id is not None
    return EditorialView(
        item_id=row.id,
        source_name=row.source_name,
        source_title=row.original_title if has_row else row.title,
        source_synopsis=row.original_synopsis if has_row else row.synopsis,
        override_title=row.override_title,
        override_synopsis=row.override_synopsis,
        override_updated_at=row.override_updated_at,
        payload_json=row.source_payload_json,
    )


def _no_item(item_id: int) -> StoreError:
    return StoreError(
        "This item is no longer in the catalogue; reload the list.",
        detail=f"content item {item_id} not found",
    )


def _normalised(text: str | None, what: str, limit: int) -> str | None:
    """None for no override (None, empty or only whitespace), else the text trimmed."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    if len(text) > limit:
        raise StoreError(
            f"A {what} may be at most {limit:,} characters; this one has {len(text):,}."
        )
    return text


def set_override(
    session: Session,
    item_id: int,
    title: str | None,
    synopsis: str | None,
    now: int | None = None,
) -> EditorialView:
    """Set both overrides (None, "" or whitespace clears one) and record when
    (epoch seconds). An item without an editorial row gets one, its original_* taken
    from content_items so the source text is kept beside the override."""
    override_title = _normalised(title, "title", TITLE_MAX)
    if override_title is not None and ("\n" in override_title or "\r" in override_title):
        raise StoreError("A title is one line: remove the line break.")
    override_synopsis = _normalised(synopsis, "synopsis", SYNOPSIS_MAX)
    stamp = int(time.time()) if now is None else now
    values: dict[str, Any] = {
        "override_title": override_title,
        "override_synopsis": override_synopsis,
        "override_updated_at": stamp,
    }
    _write(session, item_id, values)
    return editorial_of(session, item_id)


def revert_to_source(session: Session, item_id: int, now: int | None = None) -> EditorialView:
    """Clear both overrides so the source's title and synopsis show again; the time is
    recorded."""
    stamp = int(time.time()) if now is None else now
    values = {"override_title": None, "override_synopsis": None, "override_updated_at": stamp}
    _write(session, item_id, values)
    return editorial_of(session, item_id)


def _write(session: Session, item_id: int, values: dict[str, Any]) -> None:
    item = session.execute(
        select(CI.c.title, CI.c.synopsis, LIB.c.source)
        .select_from(CI.outerjoin(LIB, LIB.c.id == CI.c.library_id))
        .where(CI.c.id == item_id)
    ).first()
    if item is None:
        raise _no_item(item_id)
    result = session.execute(update(ED).where(ED.c.content_item_id == item_id).values(values))
    if getattr(result, "rowcount", 0):
        return
    session.execute(
        insert(ED).values(
            content_item_id=item_id,
            source_name=SOURCE_NAMES.get(item.source or "", "manual"),
            original_title=item.title,
            original_synopsis=item.synopsis,
            **values,
        )
    )
