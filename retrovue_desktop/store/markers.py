"""Chapters, ad breaks and cues inside a file: read them all, edit the manual ones.

Plex's markers ('detected') and a file's own chapters ('file') are rewritten by each
sync or rescan, so they are read-only here; the operator's own are source 'manual',
which sync never touches. Every check runs before anything is written, and a refusal
is a StoreError whose sentence says what to fix. Helpers never commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from .catalog import MARKER_KINDS
from .errors import StoreError
from .tables import CI, CIF, MF, MM

KIND_NAMES = {"chapter": "chapter", "ad_break": "ad break", "cue": "cue"}
SOURCE_NAMES = {"detected": "Plex", "file": "the file itself", "manual": "you"}
LABEL_MAX = 200

# h:mm:ss.mmm, m:ss(.mmm) or plain seconds(.mmm); the fraction is 1 to 3 digits.
_TIMECODE = re.compile(
    r"(?:(?:(?P<h>\d+):(?P<m2>\d{1,2})|(?P<m>\d+)):(?P<s2>\d{1,2})|(?P<s>\d+))(?:\.(?P<f>\d{1,3}))?"
)


@dataclass(frozen=True)
class MarkerView:
    """One marker as the marker list shows it; only editable ones may change."""

    id: int
    kind: str
    start_ms: int
    end_ms: int | None
    label: str | None
    source: str
    editable: bool


def _bad_timecode(text: str) -> StoreError:
    return StoreError(
        f"“{text}” is not a time: write hours:minutes:seconds.milliseconds such as"
        " 1:02:03.500, minutes:seconds such as 12:30, or seconds such as 45.25.",
        detail=f"unparsable timecode {text!r}",
    )


def parse_timecode(text: str) -> int:
    """Milliseconds from "h:mm:ss.mmm", "m:ss" or "ss.mmm" (minutes and seconds after a
    colon below 60)."""
    match = _TIMECODE.fullmatch(text.strip())
    if match is None:
        raise _bad_timecode(text)
    parts = match.groupdict()
    hours = int(parts["h"] or 0)
    minutes = int(parts["m2"] or parts["m"] or 0)
    seconds = int(parts["s2"] or parts["s"] or 0)
    if parts["s2"] is not None and seconds >= 60:
        raise _bad_timecode(text)
    if parts["m2"] is not None and minutes >= 60:
        raise _bad_timecode(text)
    fraction = int((parts["f"] or "0").ljust(3, "0"))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + fraction


def format_timecode(ms: int) -> str:
    """ "h:mm:ss.mmm", the form parse_timecode reads back to the same value."""
    if ms < 0:
        raise StoreError("A time cannot be negative.", detail=f"format_timecode({ms})")
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _view(row: Any) -> MarkerView:
    return MarkerView(
        id=row.id,
        kind=row.marker_kind,
        start_ms=row.start_ms,
        end_ms=row.end_ms,
        label=row.label,
        source=row.source,
        editable=row.source == "manual",
    )


_COLUMNS = (MM.c.id, MM.c.marker_kind, MM.c.start_ms, MM.c.end_ms, MM.c.label, MM.c.source)


def markers_of(session: Session, media_file_id: int) -> list[MarkerView]:
    """Every marker of the file, in time order."""
    rows = session.execute(
        select(*_COLUMNS)
        .where(MM.c.media_file_id == media_file_id)
        .order_by(MM.c.start_ms, MM.c.id)
    )
    return [_view(row) for row in rows]


def file_duration_ms(session: Session, media_file_id: int) -> int | None:
    """The file's duration, or its content item's when the file has none (Plex reports
    some only on the item); None when neither is known. Refused for an unknown file."""
    row = session.execute(select(MF.c.duration_ms).where(MF.c.id == media_file_id)).first()
    if row is None:
        raise StoreError(
            "This file is no longer in the catalogue; reload the list.",
            detail=f"media file {media_file_id} not found",
        )
    if row.duration_ms:
        return int(row.duration_ms)
    item = session.execute(
        select(func.max(CI.c.duration_ms))
        .select_from(CIF.join(CI, CI.c.id == CIF.c.content_item_id))
        .where(CIF.c.media_file_id == media_file_id)
    ).scalar()
    return int(item) if item else None


def _checked(
    session: Session,
    media_file_id: int,
    kind: str,
    start_ms: int,
    end_ms: int | None,
    label: str | None,
) -> dict[str, Any]:
    """The column values of a valid marker, or a StoreError saying what is wrong."""
    if kind not in MARKER_KINDS:
        raise StoreError(
            f"A marker is a chapter, an ad break or a cue; “{kind}” is none of these.",
            detail=f"marker kind {kind!r}",
        )
    if start_ms < 0:
        raise StoreError("A marker cannot start before the beginning of the file.")
    if end_ms is not None and end_ms <= start_ms:
        raise StoreError(
            f"The end ({format_timecode(max(end_ms, 0))}) must come after the start"
            f" ({format_timecode(start_ms)})."
        )
    duration = file_duration_ms(session, media_file_id)
    last = end_ms if end_ms is not None else start_ms
    if duration is not None and last > duration:
        which = "end" if end_ms is not None else "start"
        raise StoreError(
            f"The {which} ({format_timecode(last)}) is past the end of the file"
            f" ({format_timecode(duration)})."
        )
    if label is not None:
        label = label.strip() or None
    if label is not None and len(label) > LABEL_MAX:
        raise StoreError(f"A marker label may be at most {LABEL_MAX} characters.")
    return {"marker_kind": kind, "start_ms": start_ms, "end_ms": end_ms, "label": label}


def _manual(session: Session, marker_id: int, action: str) -> int:
    """The file of a marker the operator may change, or a StoreError saying why not."""
    row = session.execute(
        select(MM.c.media_file_id, MM.c.source, MM.c.marker_kind).where(MM.c.id == marker_id)
    ).first()
    if row is None:
        raise StoreError(
            "This marker is no longer there; reload the list.",
            detail=f"media marker {marker_id} not found",
        )
    if row.source != "manual":
        kind = KIND_NAMES.get(row.marker_kind, "marker")
        by = SOURCE_NAMES.get(row.source, row.source)
        raise StoreError(
            f"This {kind} comes from {by} and cannot be {action}; add a marker of your own"
            " instead.",
            detail=f"media marker {marker_id} has source {row.source!r}",
        )
    return int(row.media_file_id)


def add_marker(
    session: Session,
    media_file_id: int,
    kind: str,
    start_ms: int,
    end_ms: int | None = None,
    label: str | None = None,
) -> MarkerView:
    """Add a manual marker to the file."""
    values = _checked(session, media_file_id, kind, start_ms, end_ms, label)
    marker_id = session.execute(
        insert(MM).values(media_file_id=media_file_id, source="manual", **values).returning(MM.c.id)
    ).scalar_one()
    return MarkerView(int(marker_id), kind, start_ms, end_ms, values["label"], "manual", True)


def update_marker(
    session: Session,
    marker_id: int,
    kind: str,
    start_ms: int,
    end_ms: int | None = None,
    label: str | None = None,
) -> MarkerView:
    """Replace a manual marker's kind, times and label."""
    media_file_id = _manual(session, marker_id, "edited")
    values = _checked(session, media_file_id, kind, start_ms, end_ms, label)
    session.execute(update(MM).where(MM.c.id == marker_id).values(**values))
    return MarkerView(marker_id, kind, start_ms, end_ms, values["label"], "manual", True)


def delete_marker(session: Session, marker_id: int) -> None:
    """Delete a manual marker."""
    _manual(session, marker_id, "deleted")
    session.execute(delete(MM).where(MM.c.id == marker_id))


def manual_marker(
    session: Session, marker_id: int, action: str = "changed"
) -> tuple[int, MarkerView]:
    """A manual marker and its file, as undo needs them before a change; refused (with
    the sentence of `_manual`, saying it cannot be `action`) for any other marker."""
    media_file_id = _manual(session, marker_id, action)
    row = session.execute(select(*_COLUMNS).where(MM.c.id == marker_id)).one()
    return media_file_id, _view(row)


def restore_marker(session: Session, media_file_id: int, marker: MarkerView) -> None:
    """Put a deleted manual marker back under its old id, so later undo steps that
    name it still find it."""
    values = _checked(
        session, media_file_id, marker.kind, marker.start_ms, marker.end_ms, marker.label
    )
    session.execute(
        insert(MM).values(id=marker.id, media_file_id=media_file_id, source="manual", **values)
    )
