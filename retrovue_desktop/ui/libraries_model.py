"""The tree of sources and their libraries, built from a `library_overview` snapshot."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QStandardItem, QStandardItemModel

from retrovue_desktop.store.overview import LibraryRow, SourceRow

from .style import ERROR, muted_colour, tone

COLUMNS = ["Name", "Type", "Items", "Unavailable", "Last sync", "Result"]
ROLE_KIND = Qt.ItemDataRole.UserRole + 1  # "server", "local" or "library"
ROLE_ID = Qt.ItemDataRole.UserRole + 2  # server id or library id
ROLE_ROW = Qt.ItemDataRole.UserRole + 3  # the LibraryRow / SourceRow itself

TYPE_NAMES = {
    "movie": "Movies",
    "show": "TV shows",
    "artist": "Music (not supported)",
    "photo": "Photos (not supported)",
}


def _when(epoch: int | None) -> str:
    if not epoch:
        return "never"
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M")


def result_text(row: LibraryRow) -> str:
    """The last sync's outcome in a few words."""
    if not row.supported:
        return "not supported"
    status = row.last_sync_status
    summary = row.summary
    if status is None:
        return "not synced yet"
    if status == "failed":
        return f"failed: {summary.get('message', '')}".strip()
    counts = (
        f"{summary.get('added', 0)} added, {summary.get('updated', 0)} updated,"
        f" {summary.get('unavailable', 0)} unavailable"
    )
    return f"canceled ({counts})" if status == "canceled" else counts


def _cells(texts: list[str], kind: str, ident: int | None, row: object) -> list[QStandardItem]:
    cells = []
    for column, text in enumerate(texts):
        cell = QStandardItem(text)
        cell.setEditable(False)
        if column in (2, 3):
            cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        cell.setData(kind, ROLE_KIND)
        cell.setData(ident, ROLE_ID)
        cell.setData(row, ROLE_ROW)
        cells.append(cell)
    return cells


def build_model(model: QStandardItemModel, sources: list[SourceRow]) -> None:
    """Fill `model` with one top-level row per source and a child per library."""
    model.clear()
    model.setHorizontalHeaderLabels(COLUMNS)
    for source in sources:
        kind = "server" if source.server_id is not None else "local"
        items = sum(lib.items for lib in source.libraries)
        unavailable = sum(lib.unavailable for lib in source.libraries)
        subtitle = source.base_url or "folders on this computer"
        top = _cells(
            [source.name, subtitle, f"{items:,}", f"{unavailable:,}", "", ""],
            kind,
            source.server_id,
            source,
        )
        font = top[0].font()
        font.setBold(True)
        top[0].setFont(font)
        for lib in source.libraries:
            type_name = TYPE_NAMES.get(lib.library_type, lib.library_type.capitalize())
            if lib.source == "local":
                type_name = f"Folder of {lib.library_type}s"
            child = _cells(
                [
                    lib.title,
                    type_name,
                    f"{lib.items:,}",
                    f"{lib.unavailable:,}",
                    _when(lib.last_synced_at),
                    result_text(lib),
                ],
                "library",
                lib.id,
                lib,
            )
            if not lib.supported:
                for cell in child:
                    cell.setForeground(muted_colour(QGuiApplication.palette()))
            if lib.unavailable:
                child[3].setForeground(tone(ERROR))
            top[0].appendRow(child)
        model.appendRow(top)
