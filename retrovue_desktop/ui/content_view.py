"""What the catalogue tables of the Content and Tags tabs share: their look and drops.

Both show a ContentTableModel; fixed row heights keep the view from measuring 100,000
rows, and both take tag drops on rows (copies only, never between rows).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from .content_model import COLUMNS

SEARCH_DEBOUNCE_MS = 200
# Initial widths of the fixed-size columns (Title and Tags share what is left).
COLUMN_WIDTHS = {"Kind": 90, "Show": 190, "S/E": 64, "Duration": 72, "Rating": 62,
                 "Kids": 44, "File": 110, "Library": 130}  # fmt: skip


def count_text(count: int) -> str:
    """ "1 item", "5,000 items", or "Counting…" while the model's id list is on its way."""
    if count < 0:
        return "Counting…"
    return "1 item" if count == 1 else f"{count:,} items"


def take_tag_drags(view: QAbstractItemView) -> None:
    """Drags out and drops in, always as copies, always onto a row (not between)."""
    view.setDragEnabled(True)
    view.setAcceptDrops(True)
    view.viewport().setAcceptDrops(True)
    view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
    view.setDefaultDropAction(Qt.DropAction.CopyAction)
    view.setDropIndicatorShown(True)
    view.setDragDropOverwriteMode(True)


def setup_content_table(
    table: QTableView, widths: dict[str, int] | None = None, hidden: tuple[str, ...] = ()
) -> None:
    """The catalogue table look: whole-row extended selection, fixed row heights, the
    columns at their widths (`widths` overrides), Tags stretched, `hidden` columns off."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    for name, width in {**COLUMN_WIDTHS, "Title": 300, **(widths or {})}.items():
        header.resizeSection(COLUMNS.index(name), width)
    header.setStretchLastSection(False)
    header.setSectionResizeMode(COLUMNS.index("Tags"), QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(40)
    for name in hidden:
        table.setColumnHidden(COLUMNS.index(name), True)
    take_tag_drags(table)


def selected_rows(table: QTableView) -> list[int]:
    """The rows of the table's selection, ascending."""
    return sorted({i.row() for i in table.selectionModel().selectedRows()})


def selection_drop_rows(table: QTableView) -> Callable[[int], list[int]]:
    """For ContentTableModel.drop_rows: a drop on a selected row tags the whole
    selection; elsewhere, just that row."""

    def rows(row: int) -> list[int]:
        selected = selected_rows(table)
        return selected if row in selected else [row]

    return rows
