"""Read-only summaries of sources and libraries, for the Libraries tab and the log.

Counts are done in SQL with GROUP BY, so the cost does not grow with what Python holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import ContentItem, ContentItemFile, Library, MediaFile, PathMapping, PlexServer

PROBLEM_AVAILABILITY = (
    "unmapped", "missing", "unreadable", "size_mismatch", "probe_mismatch", "gone",
)  # fmt: skip


@dataclass(frozen=True)
class LibraryRow:
    id: int
    title: str
    library_type: str
    source: str
    items: int
    unavailable: int
    last_synced_at: int | None
    last_sync_status: str | None
    summary: dict[str, object]
    root_path: str | None
    locations: list[str]

    @property
    def supported(self) -> bool:
        return self.source == "local" or self.library_type in ("movie", "show")


@dataclass(frozen=True)
class SourceRow:
    """A Plex server (server_id set) or the group of local folders (server_id None)."""

    server_id: int | None
    name: str
    base_url: str | None
    platform: str | None
    libraries: list[LibraryRow] = field(default_factory=list)


def library_overview(session: Session) -> list[SourceRow]:
    items: dict[int | None, int] = dict(
        session.execute(
            select(ContentItem.library_id, func.count())
            .where(ContentItem.gone_from_source_at.is_(None))
            .group_by(ContentItem.library_id)
        ).all()
    )
    unavailable: dict[int | None, int] = dict(
        session.execute(
            select(ContentItem.library_id, func.count(func.distinct(ContentItem.id)))
            .join(ContentItemFile, ContentItemFile.content_item_id == ContentItem.id)
            .join(MediaFile, MediaFile.id == ContentItemFile.media_file_id)
            .where(
                ContentItemFile.role == "primary",
                MediaFile.availability.in_(PROBLEM_AVAILABILITY),
            )
            .group_by(ContentItem.library_id)
        ).all()
    )
    sources: list[SourceRow] = []
    by_server: dict[int | None, SourceRow] = {}
    for server in session.scalars(select(PlexServer).order_by(PlexServer.name)):
        row = SourceRow(server.id, server.name, server.base_url, server.platform)
        by_server[server.id] = row
        sources.append(row)
    libraries = session.scalars(select(Library).order_by(Library.title)).all()
    if any(lib.server_id is None for lib in libraries):
        local = SourceRow(None, "Local folders", None, None)
        by_server[None] = local
        sources.append(local)
    for lib in libraries:
        try:
            summary = json.loads(lib.last_sync_summary) if lib.last_sync_summary else {}
            locations = json.loads(lib.locations_json) if lib.locations_json else []
        except ValueError:
            summary, locations = {}, []
        by_server[lib.server_id].libraries.append(
            LibraryRow(
                id=lib.id,
                title=lib.title,
                library_type=lib.library_type,
                source=lib.source,
                items=int(items.get(lib.id, 0)),
                unavailable=int(unavailable.get(lib.id, 0)),
                last_synced_at=lib.last_synced_at,
                last_sync_status=lib.last_sync_status,
                summary=summary if isinstance(summary, dict) else {},
                root_path=lib.root_path,
                locations=[str(x) for x in locations] if isinstance(locations, list) else [],
            )
        )
    return sources


@dataclass(frozen=True)
class RemovalImpact:
    """What removing a server or library takes with it, for the confirmation."""

    libraries: int
    items: int
    files: int
    mappings: int


def removal_impact(
    session: Session, server_id: int | None = None, library_id: int | None = None
) -> RemovalImpact:
    if library_id is not None:
        library_ids = [library_id]
    else:
        library_ids = list(
            session.scalars(select(Library.id).where(Library.server_id == server_id))
        )

    def count(model: type[ContentItem] | type[MediaFile] | type[PathMapping]) -> int:
        if not library_ids:
            return 0
        return int(
            session.execute(
                select(func.count()).select_from(model).where(model.library_id.in_(library_ids))
            ).scalar_one()
        )

    return RemovalImpact(len(library_ids), count(ContentItem), count(MediaFile), count(PathMapping))
