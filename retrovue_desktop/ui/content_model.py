"""The Content tab's table model: every matching id, and row values only for shown pages.

DESIGN.md: item models over the catalogue sort and filter in SQL and read in pages. The
model holds the ordered id list from `select_ids` (one int per item) and a bounded cache
of display rows, read `PAGE` ids at a time when the view first asks for one of them.
canFetchMore/fetchMore expose the rows `CHUNK` at a time, so the view never lays out
100,000 rows at once.

Sorting and filtering reset the model in two steps, so neither the first screenful nor
the window waits for the whole catalogue: the first `HEAD` ids come from a LIMIT query
on the UI thread (the database keeps only the top rows while it scans), and the full
id list from a worker thread with its own session; when it arrives, the rows beyond the
head are added (or, if the data changed in between, the model is reset with them).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.progress import CancelFn, ProgressFn
from retrovue_desktop.store.content_query import (
    NO_FILE,
    ContentFilter,
    ContentRow,
    fetch_rows,
    select_ids,
)

from .edits import CatalogEdits
from .files_panel import NAMES as AVAILABILITY_NAMES
from .jobs import Job
from .mime import TAGS_MIME, content_mime, decode_tags

# (header, sort key) of each column, in display order.
COLUMN_SORT = (
    ("Title", "title"),
    ("Kind", "kind"),
    ("Show", "show"),
    ("S/E", "episode"),
    ("Duration", "duration"),
    ("Rating", "rating"),
    ("Kids", "kids"),
    ("Tags", "tags"),
    ("File", "availability"),
    ("Library", "library"),
)
COLUMNS = tuple(header for header, _ in COLUMN_SORT)
HEAD = 400  # ids read on the UI thread before the full list arrives: a tall screenful
PAGE = 200  # ids read per fetch_rows call
MAX_PAGES = 40  # pages kept; the least recently used goes first
CHUNK = 2_000  # rows exposed per fetchMore
FILE_WORDS = {**AVAILABILITY_NAMES, "gone": "Gone from source", NO_FILE: "No file"}
KIND_WORDS = {"unknown": "Other"}

Index = QModelIndex | QPersistentModelIndex
log = logging.getLogger(__name__)

# Id loaders still running, kept alive here so a model closed meanwhile cannot destroy
# a running thread; each leaves the set when it ends.
_LOADERS: set[Job] = set()


def wait_for_loaders(msecs: int = 30_000) -> None:
    """Block until every id loader has ended (window shutdown, tests)."""
    for job in list(_LOADERS):
        job.wait(msecs)


def duration_text(ms: int | None) -> str:
    """h:mm:ss, as a programme log shows it."""
    if ms is None:
        return ""
    seconds = round(ms / 1000)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def episode_text(row: ContentRow) -> str:
    if row.season_number is None and row.episode_number is None:
        return ""
    season = "" if row.season_number is None else f"S{row.season_number:02d}"
    episode = "" if row.episode_number is None else f"E{row.episode_number:02d}"
    return season + episode


def kind_text(kind: str) -> str:
    return KIND_WORDS.get(kind, kind.capitalize())


def cell_text(row: ContentRow, column: int) -> str:
    """What column `column` shows for `row`."""
    if column == 0:
        return row.title or "(untitled)"
    if column == 1:
        return kind_text(row.kind)
    if column == 2:
        return row.show_title or ""
    if column == 3:
        return episode_text(row)
    if column == 4:
        return duration_text(row.duration_ms)
    if column == 5:
        return row.rating_code or ""
    if column == 6:
        return "Yes" if row.is_kids_friendly else "No"
    if column == 7:
        return ", ".join(row.tags)
    if column == 8:
        return FILE_WORDS.get(row.availability, row.availability)
    return row.library_title or ""


class ContentTableModel(QAbstractTableModel):
    """Ordered ids of the whole filtered catalogue; display rows read a page at a time."""

    # The number of matching items once known after a reset; -1 while it is counted.
    total_changed = Signal(int)
    # The full id list arrived (or failed: the sentence); tests and the tab wait on it.
    loaded = Signal()
    load_failed = Signal(str)
    # A drop on a row was refused by the edit (a bad tag name, items gone): the sentence.
    drop_refused = Signal(str)

    def __init__(
        self,
        sessions: sessionmaker[Session],
        parent: QObject | None = None,
        edits: CatalogEdits | None = None,
    ) -> None:
        super().__init__(parent)
        self._sessions = sessions
        # Tag drops go through the undo stack; without one the model takes no drops.
        self.edits = edits
        # Which rows a tag dropped on `row` tags: the view's selection when the row is in
        # it (set by the tab), else just that row.
        self.drop_rows: Callable[[int], Sequence[int]] = lambda row: [row]
        # The sentence of the last refused drop, for the tab's status line.
        self.last_drop_error: str | None = None
        self._filter = ContentFilter()
        self._sort = "title"
        self._descending = False
        self._ids: list[int] = []
        self._shown = 0
        self._pages: OrderedDict[int, dict[int, ContentRow]] = OrderedDict()
        self._row_of: dict[int, int] | None = None
        self._loaded = False
        self._complete = True  # whether _ids is the whole list, not just the head
        self._generation = 0  # bumped by every reselect; stale full lists are dropped
        self._want_shown = 0
        self._inserting = False

    # -- what the tab drives -------------------------------------------------------------

    @property
    def content_filter(self) -> ContentFilter:
        return self._filter

    @property
    def sort_key(self) -> str:
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    def total(self) -> int:
        """Every matching item known so far, whether or not the view has fetched its
        row yet (only the head until `is_complete`)."""
        return len(self._ids)

    def is_complete(self) -> bool:
        """Whether the full id list has arrived since the last reset."""
        return self._complete

    def all_ids(self) -> list[int]:
        """Every matching id in view order (only the head until `is_complete`)."""
        return list(self._ids)

    def load(self) -> None:
        """Read the ids for the current filter and sort (the first time, or again)."""
        self._reselect(keep_shown=False)

    def set_filter(self, flt: ContentFilter) -> None:
        if flt == self._filter and self._loaded:
            return
        self._filter = flt
        self._reselect(keep_shown=False)

    def reload(self, flt: ContentFilter) -> None:
        """Show `flt`, reading every row again even if it is the filter shown (the
        catalogue changed underneath)."""
        if flt == self._filter and self._loaded:
            self.refresh()
        else:
            self.set_filter(flt)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMN_SORT):
            return
        key = COLUMN_SORT[column][1]
        descending = order == Qt.SortOrder.DescendingOrder
        if self._loaded and (key, descending) == (self._sort, self._descending):
            return  # the view asks again when sorting is switched on
        self._sort, self._descending = key, descending
        self._reselect(keep_shown=False)

    def refresh(self, changed_ids: Iterable[int] | None = None) -> None:
        """Re-read `changed_ids` in place, or (None) select every id again, keeping as
        many rows exposed as before: what a finished worker or an edit calls."""
        if changed_ids is None:
            self._reselect(keep_shown=True)
            return
        rows = sorted(r for r in (self.row_of(i) for i in set(changed_ids)) if r is not None)
        for page in {r // PAGE for r in rows}:
            self._pages.pop(page, None)
        visible = [r for r in rows if r < self._shown]
        if visible:
            last = len(COLUMNS) - 1
            self.dataChanged.emit(self.index(visible[0], 0), self.index(visible[-1], last))

    def edited(self, ids: list[int] | None) -> bool:
        """Re-read what an edit touched (None: too many to say). When the filter or the
        order depends on tags or titles, rows may come, go or move, so every id is
        selected again; returns whether it was (the view's selection is then gone)."""
        order_depends = self._sort in ("title", "tags")
        if ids is None or self._filter.tag is not None or self._filter.text or order_depends:
            self.refresh()
            return True
        self.refresh(ids)
        return False

    def ids_at(self, rows: Iterable[int]) -> list[int]:
        """The item ids of view rows (for drags and actions on a selection)."""
        return [self._ids[r] for r in rows if 0 <= r < len(self._ids)]

    def row_of(self, item_id: int) -> int | None:
        """The row of an item in the current order, or None if it does not match."""
        if self._row_of is None:
            self._row_of = {item_id: row for row, item_id in enumerate(self._ids)}
        return self._row_of.get(item_id)

    def row_values(self, row: int) -> ContentRow | None:
        """Display values of a row (read with its page if not cached)."""
        if not 0 <= row < len(self._ids):
            return None
        page = row // PAGE
        cached = self._pages.get(page)
        if cached is None:
            cached = self._read_page(page)
        else:
            self._pages.move_to_end(page)
        return cached.get(self._ids[row])

    def cached_pages(self) -> int:
        return len(self._pages)

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        # Not while rows are going in: a listener of rowsInserted may ask again.
        return (
            not parent.isValid()
            and self._complete
            and not self._inserting
            and self._shown < len(self._ids)
        )

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return  # callers need not ask first (Qt's model tester does not)
        more = min(CHUNK, len(self._ids) - self._shown)
        if more <= 0:
            return
        self._insert(more)

    def _insert(self, more: int) -> None:
        """Expose `more` rows after the shown ones, refusing nested insertions."""
        self._inserting = True
        try:
            self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
            self._shown += more
            self.endInsertRows()
        finally:
            self._inserting = False

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == 8:
                return "Whether the primary file can be played from this computer"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        flags |= Qt.ItemFlag.ItemIsDragEnabled
        if self.edits is not None:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    # -- drag and drop: rows out as ids, tags in --------------------------------------------

    def mimeTypes(self) -> list[str]:
        return [TAGS_MIME] if self.edits is not None else []

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return content_mime(self.ids_at(rows))

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        # Copy only: a drop never moves rows or takes anything away from its source.
        return Qt.DropAction.CopyAction

    def canDropMimeData(
        self, data: QMimeData | None, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return (
            self.edits is not None
            and action == Qt.DropAction.CopyAction
            and self._drop_row(row, parent) is not None
            and bool(decode_tags(data))
        )

    def dropMimeData(
        self, data: QMimeData | None, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Tags dropped on a row tag that row (or the selection it belongs to)."""
        self.last_drop_error = None
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        target = self._drop_row(row, parent)
        assert target is not None and self.edits is not None
        ids = self.ids_at(self.drop_rows(target))
        error = self.edits.apply_tags(ids, decode_tags(data))
        self.last_drop_error = error
        if error is not None:
            self.drop_refused.emit(error)
        return error is None

    def _drop_row(self, row: int, parent: Index) -> int | None:
        """The row a drop lands on: on an item (a valid parent), not between items
        (`row` set, parent invalid) or past the end."""
        if not parent.isValid():
            return None
        return parent.row() if 0 <= parent.row() < self._shown else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._shown:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (3, 4):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.FontRole,
        ):
            return None
        row = self.row_values(index.row())
        if row is None:  # removed since the ids were read; refresh() will drop it
            return "" if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.gone:
                return "Gone from its source: kept for its tags, edits and schedule history"
            if column in (0, 7):
                return cell_text(row, column) or None
            return None
        if not row.gone:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            palette = QApplication.palette()
            return QColor(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        font = QFont()
        font.setItalic(True)
        return font

    # -- internals -----------------------------------------------------------------------

    def _reselect(self, keep_shown: bool) -> None:
        """Reset to the head of the new order now; the rest follows from a worker."""
        self._generation += 1
        generation = self._generation
        flt, sort, descending = self._filter, self._sort, self._descending
        with self._sessions() as session:
            head = select_ids(session, flt, sort, descending, limit=HEAD)
        self._want_shown = max(self._shown, CHUNK) if keep_shown else CHUNK
        self.beginResetModel()
        self._ids = head
        self._shown = len(head)
        self._pages.clear()
        self._row_of = None
        self._loaded = True
        self._complete = len(head) < HEAD
        self.endResetModel()
        if self._complete:
            self.total_changed.emit(len(head))
            self.loaded.emit()
            return
        self.total_changed.emit(-1)
        sessions = self._sessions

        def load_all(progress: ProgressFn, cancelled: CancelFn) -> tuple[int, list[int]]:
            with sessions() as session:
                return generation, select_ids(session, flt, sort, descending)

        job = Job("Reading the catalogue", load_all)
        _LOADERS.add(job)
        # Bound methods: Qt drops the connection if this model is destroyed first.
        job.succeeded.connect(self._arrived)
        job.failed.connect(self._failed)
        job.finished.connect(lambda: _LOADERS.discard(job))
        job.start()

    def _arrived(self, result: tuple[int, list[int]]) -> None:
        generation, ids = result
        if generation != self._generation:
            return  # another filter or sort was chosen meanwhile
        head = len(self._ids)
        if ids[:head] == self._ids:
            self._ids = ids
            self._row_of = None
            more = min(self._want_shown, len(ids)) - self._shown
            if more > 0:
                self._insert(more)
            self._complete = True
        else:  # the catalogue changed between the two queries
            self.beginResetModel()
            self._ids = ids
            self._shown = min(self._want_shown, len(ids))
            self._pages.clear()
            self._row_of = None
            self._complete = True
            self.endResetModel()
        self.total_changed.emit(len(ids))
        self.loaded.emit()

    def _failed(self, sentence: str) -> None:
        if self._complete:
            return  # a stale loader: a newer one has answered already
        log.warning("content id list failed: %s", sentence)
        self._complete = True  # what the head shows is all there is for now
        self.load_failed.emit(sentence)

    def _read_page(self, page: int) -> dict[int, ContentRow]:
        ids = self._ids[page * PAGE : (page + 1) * PAGE]
        with self._sessions() as session:
            rows = fetch_rows(session, ids)
        self._pages[page] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return rows
