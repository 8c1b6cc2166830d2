"""The specific form: the items a `specific` block plays, in play order.

The catalogue search runs on a worker with a small limit, a quarter second after the
last keystroke, so typing never waits on a 100,000-item catalogue; an answer to an older
search is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling.constraints import Constraints, SpecificConstraints
from retrovue_desktop.store.content_query import ContentFilter, ContentRow, fetch_rows, select_ids

from .constraint_forms import ConstraintsForm, LatestOnly, hint_label
from .content_model import duration_text, episode_text, kind_text

SEARCH_LIMIT = 100
SEARCH_DEBOUNCE_MS = 250


def item_title(row: ContentRow) -> str:
    """The title first (the search sorts by it), then an episode's show and number."""
    title = row.title or "(untitled)"
    if row.show_title:
        numbers = episode_text(row)
        return f"{title} ({row.show_title} {numbers})" if numbers else f"{title} ({row.show_title})"
    return title


def search_rows(sessions: sessionmaker[Session], text: str, limit: int) -> list[ContentRow]:
    """The first `limit` items (not gone) whose title, synopsis or show has every word."""
    with sessions() as session:
        ids = select_ids(session, ContentFilter(text=text), "title", limit=limit)
        rows = fetch_rows(session, ids)
    return [rows[i] for i in ids if i in rows]


def _tree(headers: Sequence[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(list(headers))
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    header = tree.header()
    header.setStretchLastSection(False)
    for column in range(len(headers)):
        mode = QHeaderView.ResizeMode.ResizeToContents
        if headers[column] == "Title":
            mode = QHeaderView.ResizeMode.Stretch
        header.setSectionResizeMode(column, mode)
    return tree


def tree_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """The top-level rows of a flat tree, in order."""
    rows = (tree.topLevelItem(row) for row in range(tree.topLevelItemCount()))
    return [item for item in rows if item is not None]


def _shortcut(widget: QWidget, key: QKeySequence | Qt.Key, slot: object) -> None:
    shortcut = QShortcut(QKeySequence(key), widget)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    shortcut.activated.connect(slot)


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setAutoDefault(False)
    return button


class SpecificForm(ConstraintsForm):
    """Search the catalogue on the left, the block's items in play order on the right.
    An item may appear more than once (it plays again)."""

    def __init__(self, sessions: sessionmaker[Session], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sessions = sessions
        self._rows: dict[int, ContentRow] = {}
        self._searcher = LatestOnly("Searching the catalogue", self)
        self._searcher.answered.connect(self._show_results)
        self._searcher.failed.connect(self._search_failed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search_now)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Find items by title, synopsis or show")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.search_now)
        self.results = _tree(["Title", "Kind", "Length"])
        self.results.itemDoubleClicked.connect(lambda _i, _c: self.add_selected())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            _shortcut(self.results, key, self.add_selected)
        self.results.itemSelectionChanged.connect(self._update_buttons)
        self.results_note = hint_label()
        self.add_button = _button("Add →", "Add the selected items at the end (Enter)")
        self.add_button.clicked.connect(self.add_selected)

        self.chosen = _tree(["#", "Title", "Kind", "Length"])
        self.chosen.itemSelectionChanged.connect(self._update_buttons)
        self.up_button = _button("Up", "Play the selected items earlier (Ctrl+Up)")
        self.down_button = _button("Down", "Play the selected items later (Ctrl+Down)")
        self.remove_button = _button("Remove", "Take the selected items out (Delete)")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button.clicked.connect(self.remove_selected)
        _shortcut(self.chosen, Qt.Key.Key_Delete, self.remove_selected)
        _shortcut(self.chosen, QKeySequence("Ctrl+Up"), lambda: self.move_selected(-1))
        _shortcut(self.chosen, QKeySequence("Ctrl+Down"), lambda: self.move_selected(1))
        self.total = hint_label()

        left = QVBoxLayout()
        left.addWidget(QLabel("Catalogue:"))
        left.addWidget(self.search)
        left.addWidget(self.results, 1)
        left.addWidget(self.results_note)
        middle = QVBoxLayout()
        middle.addStretch(1)
        middle.addWidget(self.add_button)
        middle.addStretch(1)
        moves = QHBoxLayout()
        for button in (self.up_button, self.down_button, self.remove_button):
            moves.addWidget(button)
        moves.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(QLabel("Plays, in this order:"))
        right.addWidget(self.chosen, 1)
        right.addLayout(moves)
        right.addWidget(self.total)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 1)
        layout.addLayout(middle)
        layout.addLayout(right, 1)
        self._searched = False
        self._refresh_chosen()

    def showEvent(self, event: QShowEvent) -> None:
        """The first screenful of the catalogue, once the form is first seen (an editor
        opened on another strategy never searches)."""
        super().showEvent(event)
        if not self._searched:
            self.search_now()

    # -- searching ------------------------------------------------------------------------

    @Slot()
    def search_now(self) -> None:
        """Search for what is typed now (on a worker)."""
        self._debounce.stop()
        self._searched = True
        text, sessions = self.search.text().strip(), self.sessions
        self.results_note.setText("Searching…")
        self._searcher.run(lambda: search_rows(sessions, text, SEARCH_LIMIT))

    def searching(self) -> bool:
        """Whether a search is waiting to run or on its way (for tests)."""
        return self._debounce.isActive() or self._searcher.pending()

    def wait(self) -> None:
        self._searcher.wait()

    def _show_results(self, rows: object) -> None:
        assert isinstance(rows, list)
        self.results.clear()
        for row in rows:
            self._rows[row.id] = row
            self.results.addTopLevelItem(self._row_item(row))
        text = self.search.text().strip()
        if not rows:
            self.results_note.setText(f"Nothing in the catalogue matches “{text}”.")
        elif len(rows) >= SEARCH_LIMIT:
            self.results_note.setText(
                f"The first {SEARCH_LIMIT} by title; type more words to narrow the search."
            )
        else:
            count = "1 item" if len(rows) == 1 else f"{len(rows)} items"
            self.results_note.setText(f"{count}; double-click or Enter adds one.")
        first = self.results.topLevelItem(0)
        if first is not None:
            self.results.setCurrentItem(first)
        self._update_buttons()

    def _search_failed(self, sentence: str) -> None:
        self.results.clear()
        self.results_note.setText(sentence)

    def _row_item(self, row: ContentRow, columns: Sequence[str] = ()) -> QTreeWidgetItem:
        title = item_title(row) + (" (gone from its source)" if row.gone else "")
        item = QTreeWidgetItem(
            [*columns, title, kind_text(row.kind), duration_text(row.duration_ms)]
        )
        item.setData(0, Qt.ItemDataRole.UserRole, row.id)
        item.setToolTip(len(columns), title)
        if row.gone:
            font = QFont(item.font(0))
            font.setItalic(True)
            for column in range(item.columnCount()):
                item.setFont(column, font)
        return item

    # -- the chosen list ------------------------------------------------------------------

    def item_ids(self) -> list[int]:
        return [int(item.data(0, Qt.ItemDataRole.UserRole)) for item in tree_items(self.chosen)]

    @Slot()
    def add_selected(self) -> None:
        picked = [
            int(item.data(0, Qt.ItemDataRole.UserRole))
            for item in sorted(self.results.selectedItems(), key=self.results.indexOfTopLevelItem)
        ]
        if not picked:
            return
        ids = self.item_ids()
        self._set_ids([*ids, *picked], select=range(len(ids), len(ids) + len(picked)))
        self.changed.emit()

    def _selected_rows(self) -> list[int]:
        return sorted(self.chosen.indexOfTopLevelItem(i) for i in self.chosen.selectedItems())

    def move_selected(self, step: int) -> None:
        """Move the selected items one place earlier (-1) or later (+1), together."""
        rows = self._selected_rows()
        ids = self.item_ids()
        if not rows or (step < 0 and rows[0] == 0) or (step > 0 and rows[-1] == len(ids) - 1):
            return
        picked = set(rows)
        order = list(range(len(ids)))
        for row in rows if step < 0 else reversed(rows):
            order[row], order[row + step] = order[row + step], order[row]
        new_rows = [order.index(row) for row in sorted(picked)]
        self._set_ids([ids[i] for i in order], select=new_rows)
        self.changed.emit()

    @Slot()
    def remove_selected(self) -> None:
        rows = set(self._selected_rows())
        if not rows:
            return
        ids = [item_id for row, item_id in enumerate(self.item_ids()) if row not in rows]
        self._set_ids(ids, select=[min(min(rows), len(ids) - 1)] if ids else [])
        self.changed.emit()

    def _set_ids(self, ids: Sequence[int], select: Sequence[int] | range = ()) -> None:
        missing = sorted({i for i in ids if i not in self._rows})
        if missing:
            with self.sessions() as session:
                self._rows.update(fetch_rows(session, missing))
        self.chosen.clear()
        for position, item_id in enumerate(ids, start=1):
            row = self._rows.get(item_id)
            if row is None:
                item = QTreeWidgetItem(
                    [str(position), f"Item #{item_id} (no longer in the catalogue)", "", ""]
                )
                item.setData(0, Qt.ItemDataRole.UserRole, item_id)
            else:
                item = self._row_item(row, [str(position)])
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.chosen.addTopLevelItem(item)
        for row_number in select:
            chosen = self.chosen.topLevelItem(row_number)
            if chosen is not None:
                chosen.setSelected(True)
                self.chosen.setCurrentItem(chosen, 0)
        self._refresh_chosen()

    def _refresh_chosen(self) -> None:
        ids = self.item_ids()
        if not ids:
            self.total.setText("No items yet: add at least one from the catalogue.")
        else:
            known = [self._rows[i].duration_ms for i in ids if i in self._rows]
            length = sum(ms or 0 for ms in known)
            count = "1 item" if len(ids) == 1 else f"{len(ids)} items"
            self.total.setText(f"{count}, {duration_text(length)} in all.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        rows = self._selected_rows()
        count = self.chosen.topLevelItemCount()
        self.add_button.setEnabled(bool(self.results.selectedItems()))
        self.up_button.setEnabled(bool(rows) and rows[0] > 0)
        self.down_button.setEnabled(bool(rows) and rows[-1] < count - 1)
        self.remove_button.setEnabled(bool(rows))

    # -- the form -------------------------------------------------------------------------

    def set_constraints(self, value: Constraints) -> None:
        if not isinstance(value, SpecificConstraints):
            raise TypeError(f"a specific form cannot show {type(value).__name__}")
        self._set_ids(value.item_ids)
        self.changed.emit()

    def constraints(self) -> SpecificConstraints:
        return SpecificConstraints(tuple(self.item_ids()))

    def suggested_name(self) -> str:
        ids = self.item_ids()
        if not ids:
            return ""
        first = self._rows.get(ids[0])
        title = (first.title or "") if first is not None else ""
        if not title:
            return ""
        others = len(ids) - 1
        return title if others == 0 else f"{title} and {others} more"
