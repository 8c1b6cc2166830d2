"""What the item detail pane reads beyond editorial, tags and markers: the item's heading
and its files with their technical metadata and availability.

Plain frozen values only, one small query each, so the pane reads them on the UI thread
and never holds ORM objects. The wording helpers live here, Qt-free, so they are tested
without a screen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from .editorial import effective_title
from .tables import CI, CIF, ED, LIB, MF, SHOW

ROLE_NAMES = {"primary": "Primary", "alternate": "Alternate", "extra": "Extra"}
# Where a file's role puts it in the list: the file that plays first.
_ROLE_ORDER = {"primary": 0, "alternate": 1, "extra": 2}


@dataclass(frozen=True)
class ItemHeading:
    """What the top of the pane says about the item."""

    id: int
    title: str | None  # the override where set, else the source's
    kind: str
    show_title: str | None
    season_number: int | None
    episode_number: int | None
    duration_ms: int | None
    rating_code: str | None
    library_title: str | None
    library_source: str | None  # "plex" or "local"; None for an item made by hand
    gone_from_source_at: int | None

    @property
    def episode_text(self) -> str:
        """S01E02, or whichever half is known; empty for a non-episode."""
        season = "" if self.season_number is None else f"S{self.season_number:02d}"
        episode = "" if self.episode_number is None else f"E{self.episode_number:02d}"
        return season + episode


@dataclass(frozen=True)
class FileView:
    """One file of the item, as the Files section shows it."""

    id: int
    role: str
    plex_path: str | None
    local_path: str | None
    container: str | None
    video_codec: str | None
    audio_codec: str | None
    width: int | None
    height: int | None
    duration_ms: int | None
    size_bytes: int | None
    availability: str
    availability_reason: str | None
    last_verified_at: int | None
    canonical_uri: str | None

    @property
    def path(self) -> str:
        """Where this computer finds it when mapped, else where Plex has it."""
        return self.local_path or self.plex_path or ""

    @property
    def name(self) -> str:
        """The file name alone (either separator: a Windows Plex server uses `\\`)."""
        path = self.path.rstrip("/\\")
        return path[max(path.rfind("/"), path.rfind("\\")) + 1 :] or path

    @property
    def folder(self) -> str:
        path = self.path.rstrip("/\\")
        cut = max(path.rfind("/"), path.rfind("\\"))
        return path[:cut] if cut > 0 else path[: cut + 1]

    @property
    def resolution(self) -> str:
        if self.width and self.height:
            return f"{self.width}\N{MULTIPLICATION SIGN}{self.height}"
        return ""

    @property
    def codecs(self) -> str:
        """ "H264 / AAC"; either half may be missing."""
        return " / ".join(c.upper() for c in (self.video_codec, self.audio_codec) if c)


def item_heading(session: Session, item_id: int) -> ItemHeading | None:
    """The item's heading, or None when it is no longer in the catalogue."""
    row = session.execute(
        select(
            CI.c.id,
            effective_title(),
            CI.c.kind,
            SHOW.c.title,
            CI.c.season_number,
            CI.c.episode_number,
            CI.c.duration_ms,
            CI.c.rating_code,
            LIB.c.title,
            LIB.c.source,
            CI.c.gone_from_source_at,
        )
        .select_from(
            CI.outerjoin(ED, ED.c.content_item_id == CI.c.id)
            .outerjoin(SHOW, SHOW.c.id == CI.c.show_id)
            .outerjoin(LIB, LIB.c.id == CI.c.library_id)
        )
        .where(CI.c.id == item_id)
    ).first()
    if row is None:
        return None
    return ItemHeading(*row)


def files_of(session: Session, item_id: int) -> list[FileView]:
    """The item's files, primary first, then alternates and extras, each by id."""
    order = case(_ROLE_ORDER, value=CIF.c.role, else_=len(_ROLE_ORDER))
    rows = session.execute(
        select(
            MF.c.id,
            CIF.c.role,
            MF.c.plex_file_path,
            MF.c.local_file_path,
            MF.c.container,
            MF.c.video_codec,
            MF.c.audio_codec,
            MF.c.width,
            MF.c.height,
            MF.c.duration_ms,
            MF.c.file_size_bytes,
            MF.c.availability,
            MF.c.availability_reason,
            MF.c.last_verified_at,
            MF.c.canonical_uri,
        )
        .select_from(CIF.join(MF, MF.c.id == CIF.c.media_file_id))
        .where(CIF.c.content_item_id == item_id)
        .order_by(order, MF.c.id)
    )
    return [FileView(*tuple(row)) for row in rows]


def size_text(size_bytes: int | None) -> str:
    """1.2 GB, 350 MB, 12 KB: decimal units, as file managers show sizes."""
    if size_bytes is None:
        return ""
    value = float(size_bytes)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000:
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.3g} {unit}"
        value /= 1000
    return f"{value:,.1f} TB"


def payload_text(payload_json: str | None) -> tuple[str, str | None]:
    """The source payload to show (pretty-printed when it is JSON) and, when it cannot
    be shown as JSON, the sentence that says why."""
    if payload_json is None or not payload_json.strip():
        return "", (
            "The source sent nothing to keep for this item: it was added from a folder or"
            " by hand, or synced before payloads were stored."
        )
    try:
        parsed = json.loads(payload_json)
    except json.JSONDecodeError as exc:
        return payload_json, (
            f"The stored payload is not valid JSON ({exc.msg} at line {exc.lineno},"
            f" column {exc.colno}); it is shown exactly as stored."
        )
    return json.dumps(parsed, indent=2, ensure_ascii=False), None
