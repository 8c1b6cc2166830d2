"""The Play Log tab's table model: the filtered play log, read from SQL a page at a time.

DESIGN.md: models over big tables sort and filter in SQL and read in pages. The model
asks for one row more than a page to know whether more follow; canFetchMore/fetchMore
then read the next page when the view scrolls near the end, so a 100,000-row log never
loads at once. A page is a LIMIT query on the (channel_id, ts_start) index: quick
enough for the UI thread, like the Content tab's first screenful.

In archive mode the model shows a given list of rows (an archived week, read from its
file) with the same columns, sorted in Python; nothing is read from the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling.clock import local_parts, zone
from retrovue_desktop.scheduling.errors import ScheduleError
from retrovue_desktop.scheduling.play_query import PlayFilter, channel_zones, page, span_seconds
from retrovue_desktop.scheduling.play_rows import PlayRow
from retrovue_desktop.scheduling.play_times import from_text

# (header, SQL sort key or None when the column sorts by start) in display order.
COLUMN_SORT: tuple[tuple[str, str | None], ...] = (
    ("Start", "start"),
    ("End", "end"),
    ("Length", None),
    ("Channel", "channel"),
    ("Kind", "kind"),
    ("Title", "title"),
    ("Break pos.", None),
    ("In plan", None),
    ("Notes", "notes"),
)
COLUMNS = tuple(header for header, _ in COLUMN_SORT)
PAGE = 500  # rows read per page
KIND_WORDS = {
    "program": "Programme",
    "ad": "Ad",
    "promo": "Promo",
    "bumper": "Bumper",
    "clip": "Clip",
    "unknown": "Other",
}
Index = QModelIndex | QPersistentModelIndex


def clock_text(seconds: int | None) -> str:
    """h:mm:ss, as the programme log shows lengths."""
    if seconds is None:
        return ""
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def kind_text(kind: str) -> str:
    return KIND_WORDS.get(kind, kind.capitalize())


def _python_key(sort: str) -> Callable[[PlayRow], tuple[Any, ...]]:
    """The archive's sort: the SQL order's keys, empty values last."""

    def key(row: PlayRow) -> tuple[Any, ...]:
        value: Any
        if sort == "end":
            value = from_text(row.ts_end)
        elif sort == "channel":
            value = row.channel.casefold()
        elif sort == "kind":
            value = row.item_kind
        elif sort == "title":
            value = row.title.casefold() if row.title else None
        elif sort == "notes":
            value = row.notes.casefold() if row.notes else None
        else:
            value = 0
        return (value is None, value if value is not None else 0)

    return key


class PlayLogModel(QAbstractTableModel):
    """The filtered play log, live (paged from SQL) or an archived week (a given list)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        station_zone: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sessions = sessions
        self._station_zone = station_zone
        self._filter = PlayFilter()
        self._sort = "start"
        self._descending = False
        self._rows: list[PlayRow] = []
        self._more = False
        self._zones: dict[int, str] = {}
        self._archive: list[PlayRow] | None = None
        self._loaded = False
        self._inserting = False

    # -- what the tab drives -------------------------------------------------------------

    @property
    def play_filter(self) -> PlayFilter:
        return self._filter

    @property
    def sort_key(self) -> str:
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    def is_archive(self) -> bool:
        return self._archive is not None

    def set_filter(self, flt: PlayFilter) -> None:
        """Show the live rows passing `flt` (read again even if unchanged)."""
        self._filter = flt
        if self._archive is None:
            self.reload()

    def reload(self) -> None:
        """Read the first page again (the play log changed, or the filter did)."""
        if self._archive is not None:
            return
        with self._sessions() as session:
            self._zones = channel_zones(session, self._station_zone())
            rows = page(session, self._filter, 0, PAGE + 1, self._sort, self._descending)
        self._inserting = True  # a listener of modelReset may ask to fetch: not yet
        try:
            self.beginResetModel()
            self._more = len(rows) > PAGE
            self._rows = rows[:PAGE]
            self._loaded = True
            self.endResetModel()
        finally:
            self._inserting = False

    def show_archive(self, rows: Sequence[PlayRow]) -> None:
        """Show `rows` read-only instead of the live log, in the current sort."""
        with self._sessions() as session:
            self._zones = channel_zones(session, self._station_zone())
        self._archive = list(rows)
        self.beginResetModel()
        self._rows = self._sorted(self._archive)
        self._more = False
        self.endResetModel()

    def show_live(self) -> None:
        """Back from an archive to the live log."""
        self._archive = None
        self.reload()

    def row_at(self, row: int) -> PlayRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def shown_rows(self) -> list[PlayRow]:
        """The rows exposed so far (all of them in archive mode)."""
        return list(self._rows)

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        # Not while rows go in: a listener of rowsInserted may ask again.
        return not parent.isValid() and self._archive is None and self._more and not self._inserting

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        with self._sessions() as session:
            rows = page(
                session, self._filter, len(self._rows), PAGE + 1, self._sort, self._descending
            )
        more = len(rows) > PAGE
        rows = rows[:PAGE]
        if not rows:
            self._more = False
            return
        first = len(self._rows)
        self._inserting = True
        try:
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self._more = more
            self.endInsertRows()
        finally:
            self._inserting = False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMN_SORT):
            return
        key = COLUMN_SORT[column][1] or "start"
        descending = order == Qt.SortOrder.DescendingOrder
        if self._loaded and (key, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = key, descending
        if self._archive is not None:
            self.beginResetModel()
            self._rows = self._sorted(self._archive)
            self.endResetModel()
        else:
            self.reload()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == 0:
                return "When it started, in its channel's time zone"
            if section == 6:
                return "Position in its ad break"
            if section == 7:
                return "Whether the row aired from a programme log entry"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (5, 8):
                return self.cell_text(row, column) or None
            if column in (0, 1):
                return row.ts_start if column == 0 else row.ts_end
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def cell_text(self, row: PlayRow, column: int) -> str:
        """What column `column` shows for `row`."""
        if column == 0:
            return self._local(row, row.ts_start, with_date=True)
        if column == 1:
            if row.ts_end is None:
                return "On air / open"
            start_day = self._local(row, row.ts_start, with_date=True)[:10]
            end = self._local(row, row.ts_end, with_date=True)
            return end[11:] if end[:10] == start_day else end
        if column == 2:
            return clock_text(span_seconds(row))
        if column == 3:
            return row.channel
        if column == 4:
            return kind_text(row.item_kind)
        if column == 5:
            return row.title or ("" if row.content_item_id is None else "(untitled)")
        if column == 6:
            return "" if row.ad_block_seq is None else str(row.ad_block_seq)
        if column == 7:
            return "Yes" if row.schedule_instance_id is not None else "No"
        return row.notes or ""

    # -- internals -----------------------------------------------------------------------

    def _local(self, row: PlayRow, text: str | None, with_date: bool) -> str:
        instant = from_text(text)
        if instant is None:
            return text or ""
        name = self._zones.get(row.channel_id) or self._station_zone()
        try:
            tz = zone(name)
        except ScheduleError:
            tz = zone("UTC")
        day, clock = local_parts(instant, tz)
        return f"{day} {clock}" if with_date else clock

    def _sorted(self, rows: Sequence[PlayRow]) -> list[PlayRow]:
        by_start = sorted(rows, key=lambda r: (from_text(r.ts_start) or 0, r.id))
        key = _python_key(self._sort)
        ordered = sorted(by_start, key=key)
        if not self._descending:
            return ordered
        # Descending as in SQL: values reversed, empty values still last.
        valued = [r for r in ordered if not key(r)[0]]
        empty = [r for r in ordered if key(r)[0]]
        return valued[::-1] + empty[::-1]
