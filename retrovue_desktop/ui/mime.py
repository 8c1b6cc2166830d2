"""Drag-and-drop payloads: tags and content items travel as ids only, in our own MIME types.

Only names and ids cross a drag, never rows or titles, so a drop always acts on what the
database holds now. A payload that does not parse (another program's data, a truncated
drag) decodes to nothing and the drop is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from PySide6.QtCore import QMimeData

TAGS_MIME = "application/x-retrovue-tags"
CONTENT_MIME = "application/x-retrovue-content-ids"
MAX_DRAGGED = 200_000  # more ids than any catalogue we aim at: a bigger payload is junk


def tags_mime(tags: Iterable[tuple[str, str]]) -> QMimeData:
    data = QMimeData()
    payload = [[namespace, key] for namespace, key in tags]
    data.setData(TAGS_MIME, json.dumps(payload).encode())
    data.setText(", ".join(f"{n}:{k}" for n, k in payload))
    return data


def content_mime(item_ids: Iterable[int]) -> QMimeData:
    data = QMimeData()
    data.setData(CONTENT_MIME, json.dumps([int(i) for i in item_ids]).encode())
    return data


def _payload(data: QMimeData | None, mime: str) -> object:
    if data is None or not data.hasFormat(mime):
        return None
    raw = bytes(data.data(mime).data())
    try:
        return json.loads(raw.decode())
    except (UnicodeDecodeError, ValueError):
        return None


def decode_tags(data: QMimeData | None) -> list[tuple[str, str]]:
    """The (namespace, key) pairs of a tag drag; empty if `data` is not one."""
    payload = _payload(data, TAGS_MIME)
    if not isinstance(payload, list) or len(payload) > MAX_DRAGGED:
        return []
    tags: list[tuple[str, str]] = []
    for entry in payload:
        if (
            not isinstance(entry, list)
            or len(entry) != 2
            or not all(isinstance(part, str) and part for part in entry)
        ):
            return []
        pair = (entry[0], entry[1])
        if pair not in tags:
            tags.append(pair)
    return tags


def decode_content(data: QMimeData | None) -> list[int]:
    """The item ids of a content drag; empty if `data` is not one."""
    payload = _payload(data, CONTENT_MIME)
    if not isinstance(payload, list) or len(payload) > MAX_DRAGGED:
        return []
    if not all(isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in payload):
        return []
    return list(dict.fromkeys(payload))
