"""The rundown's table: one row per log row of the day, read-only, in air order.

The rows come whole from `programme_log.day_rundown` (a day is a few hundred rows at
most), so the model holds them and is reset when the day is read again. Canceled rows
are struck through and greyed; a row whose file can no longer be played is red with the
reason in its tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from retrovue_desktop.scheduling.programme_log import RundownRow

from .list_model import Index, ListTableModel
from .style import ERROR, TONES, tone

COLUMNS = ("Time", "Title", "Kind", "Duration", "Block", "Break", "Status")
TIME, TITLE, KIND, DURATION, BLOCK, BREAK, STATUS = range(len(COLUMNS))
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the RundownRow
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # its schedule instance id
KIND_WORDS = {
    "program": "Programme",
    "ad": "Ad",
    "promo": "Promo",
    "bumper": "Bumper",
    "clip": "Clip",
    "unknown": "Other",
}
STATUS_WORDS = {
    "planned": "Planned",
    "approved": "Approved",
    "played": "Played",
    "canceled": "Canceled",
}
PROBLEM_COLOUR = TONES[ERROR][0]  # on a light window; tone(ERROR) follows the scheme


def clock_text(seconds: int) -> str:
    """h:mm:ss, as a programme log shows a length."""
    seconds = max(0, seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def break_text(row: RundownRow) -> str:
    """Where the row sits: "Break 2 · 1" for a fill item, "Part 1 of 3" for a cut
    programme, nothing for a programme in one piece."""
    if row.break_number is not None:
        seq = f" \N{MIDDLE DOT} {row.break_seq}" if row.break_seq is not None else ""
        return f"Break {row.break_number}{seq}"
    if row.segment is not None and (row.parts > 1 or row.segment > 1):
        return f"Part {row.segment} of {max(row.parts, row.segment)}"
    return ""


def cell_text(row: RundownRow, column: int) -> str:
    if column == TIME:
        return row.local_start
    if column == TITLE:
        return row.title
    if column == KIND:
        return KIND_WORDS.get(row.kind, row.kind.capitalize())
    if column == DURATION:
        return clock_text(row.seconds)
    if column == BLOCK:
        return row.block_name or ""
    if column == BREAK:
        return break_text(row)
    if column == STATUS:
        return STATUS_WORDS.get(row.status, row.status)
    return ""


def tooltip(row: RundownRow) -> str:
    lines = [row.title]
    if row.problem is not None:
        lines.append(f"Can no longer be played: {row.problem}.")
    if row.notes:
        lines.append(row.notes)
    if row.offset_ms:
        lines.append(f"Starts {clock_text(row.offset_ms // 1000)} into its file.")
    return "\n".join(lines)


class RundownModel(ListTableModel[RundownRow]):
    """The day's rows; `set_rows` replaces them all."""

    columns = COLUMNS

    def set_rows(self, rows: Sequence[RundownRow]) -> None:
        self._replace(rows)

    def rows(self) -> list[RundownRow]:
        return list(self._items)

    def row_at(self, row: int) -> RundownRow | None:
        return self._item_at(row)

    def row_of(self, instance_id: int) -> int | None:
        for number, row in enumerate(self._items):
            if row.id == instance_id:
                return number
        return None

    # -- QAbstractTableModel ---------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row = self.row_at(index.row())
        column = index.column()
        if row is None or not 0 <= column < len(COLUMNS):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cell_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row)
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (TIME, DURATION):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(row)
        return None

    def _font(self, row: RundownRow, column: int) -> QFont | None:
        if not row.canceled and not (column == TITLE and not row.is_fill):
            return None
        font = QFont(QApplication.font())
        if row.canceled:
            font.setStrikeOut(True)
        elif column == TITLE and row.segment in (None, 1):
            font.setBold(True)  # a programme's first part stands out from its breaks
        return font

    def _colour(self, row: RundownRow) -> QColor | None:
        if row.canceled:
            colour = QColor(QApplication.palette().color(QPalette.ColorRole.WindowText))
            colour.setAlphaF(0.45)
            return colour
        if row.problem is not None:
            return tone(ERROR)
        return None
