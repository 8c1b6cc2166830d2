"""The Content tab: the whole catalogue in one table, searched and filtered as you type.

Every filter is applied in SQL by the model (content_query), so the table stays instant
at 100,000 items. Rows take tags dropped from the palette (on a selected row: the whole
selection) and drag out as ids onto palette tags; "Tag all results" tags everything the
filter shows; Delete takes a tag off the selection. Every edit goes through CatalogEdits,
so Ctrl+Z undoes it, and the rows it touched are re-read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCursor, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.store import tags as tag_store
from retrovue_desktop.store.catalog import CONTENT_KINDS
from retrovue_desktop.store.content_query import (
    AVAILABILITY_OK,
    AVAILABILITY_PROBLEM,
    AVAILABILITY_UNKNOWN,
    RATING_CODES,
    ContentFilter,
    library_choices,
    tag_choices,
)

from .commands import MenuEntries, button_command, command
from .content_model import ContentTableModel, kind_text
from .content_view import (
    SEARCH_DEBOUNCE_MS,
    count_text,
    selected_rows,
    selection_drop_rows,
    setup_content_table,
)
from .context import AppContext
from .detail_pane import DetailPane
from .edits import CatalogEdits
from .style import ERROR, set_tone

DETAIL_WIDTH = 440
ANY_TAG = "Any tag"


def ask_tag(parent: QWidget, choices: list[str], count: int) -> str | None:
    """The tag to give every result: one of the palette's or a new namespace:key."""
    text, ok = QInputDialog.getItem(
        parent,
        "Tag all results",
        f"Tag all {count_text(count)} shown with (namespace:key):",
        choices,
        0,
        True,
    )
    return text.strip() if ok and text.strip() else None


def confirm(parent: QWidget, question: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "RetroVue Desktop",
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def choose_tag_to_remove(
    parent: QWidget, carried: Sequence[tuple[str, str, int]]
) -> tuple[str, str] | None:
    """A menu at the pointer of the tags the selection carries, with counts."""
    menu = QMenu(parent)
    menu.setToolTipsVisible(True)
    for namespace, key, count in carried:
        action = QAction(
            f"Remove {tag_store.tag_text(namespace, key)}  ({count_text(count)})", menu
        )
        action.setData((namespace, key))
        menu.addAction(action)
    chosen = menu.exec(QCursor.pos())
    data = chosen.data() if chosen is not None else None
    return (str(data[0]), str(data[1])) if data else None


class ContentTab(QWidget):
    """Search box, filters, the catalogue table, and room for the detail pane."""

    TITLE = "Content"

    def __init__(
        self, context: AppContext, edits: CatalogEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.edits = edits
        self.model = ContentTableModel(context.sessions, self, edits)
        # Questions asked of the operator; tests answer them without a modal loop.
        self.ask_tag: Callable[[list[str], int], str | None] = lambda choices, count: ask_tag(
            self, choices, count
        )
        self.confirm: Callable[[str], bool] = lambda question: confirm(self, question)
        self.choose_tag_to_remove: Callable[
            [Sequence[tuple[str, str, int]]], tuple[str, str] | None
        ] = lambda carried: choose_tag_to_remove(self, carried)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles, synopses and shows  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.find_action = command(
            self, "&Find", self.focus_search, QKeySequence.StandardKey.Find, "Go to the search box"
        )

        self.kind = QComboBox()
        self.kind.addItem("All kinds", None)
        for kind in CONTENT_KINDS:
            self.kind.addItem(kind_text(kind), kind)
        self.library = QComboBox()
        self.library.setMinimumContentsLength(14)
        self.library.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.tag = QComboBox()
        self.tag.setEditable(True)
        self.tag.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.tag.setMinimumContentsLength(16)
        self.tag.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.tag.setToolTip("Only items carrying this tag; type namespace:key")
        self.rating = QComboBox()
        self.rating.addItem("Any rating", None)
        for code in RATING_CODES:
            self.rating.addItem(f"Up to {code}", code)
        self.rating.setToolTip("Only items rated at or below this (unrated items are left out)")
        self.availability = QComboBox()
        for label, value in (
            ("Any file state", None),
            ("Files OK", AVAILABILITY_OK),
            ("File problems", AVAILABILITY_PROBLEM),
            ("Not checked", AVAILABILITY_UNKNOWN),
        ):
            self.availability.addItem(label, value)
        self.include_gone = QCheckBox("Show items gone from their source")
        self.tag_all = QPushButton("Tag all results…")
        self.tag_all.setToolTip("Give one tag to every item the search and filters show")
        self.tag_all.clicked.connect(self.tag_all_results)
        self.tag_all_action = button_command(self.tag_all, self, "&Tag all results…")
        self.notice = QLabel()
        set_tone(self.notice, ERROR)
        self.notice.setWordWrap(False)
        self.count = QLabel()
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count.setMinimumWidth(110)
        self._fill_choices()
        for combo in (self.kind, self.library, self.rating, self.availability):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.tag.activated.connect(lambda _i: self.apply_filter())
        tag_edit = self.tag.lineEdit()
        assert tag_edit is not None  # the combo is editable
        tag_edit.editingFinished.connect(self.apply_filter)
        self.include_gone.toggled.connect(lambda _on: self.apply_filter())

        self.table = QTableView()
        self.table.setModel(self.model)
        # Tags dropped from the palette onto rows; rows drag out (as ids) onto tags.
        setup_content_table(self.table)
        self.model.drop_rows = selection_drop_rows(self.table)
        self.model.drop_refused.connect(self._report)
        self.remove_tag_action = command(
            self,
            "&Remove a tag from the selection…",
            self.remove_tag_from_selection,
            QKeySequence(Qt.Key.Key_Delete),
            "Take one of the selected items' tags off them",
            self.table,
            Qt.ShortcutContext.WidgetShortcut,
        )

        self.detail = DetailPane(context, edits)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([1, 0])  # Enter or a double-click opens the detail pane
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(lambda _index: self.open_detail())
        self.open_action = command(
            self,
            "&Open details",
            self.open_detail,
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)],
            "Show the selected item's details, tags, files and markers",
            self.table,
            Qt.ShortcutContext.WidgetShortcut,
        )

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.notice)
        top.addWidget(self.count)
        filters = QHBoxLayout()
        for widget in (self.kind, self.library, self.tag, self.rating, self.availability):
            filters.addWidget(widget)
        filters.addWidget(self.include_gone)
        filters.addStretch(1)
        filters.addWidget(self.tag_all)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)

        edits.items_changed.connect(self.model.edited)
        edits.palette_changed.connect(self._fill_choices)
        self.model.total_changed.connect(self._show_count)
        self.model.load_failed.connect(self._show_load_failure)
        self.model.load()
        self.table.setSortingEnabled(True)

    # -- public --------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        """The catalogue changed (a sync, scan or edit finished): re-read the filter
        choices and every row, keeping the filters as they are."""
        self._fill_choices()
        self._debounce.stop()
        self.model.reload(self.current_filter())
        if self.detail.item_id is not None:
            self.detail.refresh()  # a sync does not go through CatalogEdits

    menu_title = "C&ontent"

    def menu_actions(self) -> MenuEntries:
        """The tab's commands for its menu in the menu bar (None: a separator)."""
        return [
            self.find_action,
            self.open_action,
            None,
            self.tag_all_action,
            self.remove_tag_action,
            None,
            self.detail.save_action,
        ]

    @Slot()
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def current_filter(self) -> ContentFilter:
        """What the widgets ask for, as the model's filter."""
        kind = self.kind.currentData()
        library = self.library.currentData()
        return ContentFilter(
            text=self.search.text().strip(),
            kinds=(kind,) if kind else (),
            library_ids=(int(library),) if library is not None else (),
            tag=self._typed_tag(),
            rating_ceiling=self.rating.currentData(),
            availability=self.availability.currentData(),
            include_gone=self.include_gone.isChecked(),
        )

    @Slot()
    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())

    def detail_open(self) -> bool:
        return self.splitter.sizes()[1] > 0

    @Slot()
    def open_detail(self) -> None:
        """Enter: show the current row's item in the detail pane, opening it."""
        if not self.detail_open():
            width = max(self.splitter.width(), 900)
            self.splitter.setSizes([width - DETAIL_WIDTH, DETAIL_WIDTH])
        self._show_in_detail(self._current_id())

    def selected_ids(self) -> list[int]:
        return self.model.ids_at(selected_rows(self.table))

    @Slot()
    def tag_all_results(self) -> None:
        """Give one tag to every item the current search and filters show."""
        self.notice.clear()
        if not self.model.is_complete():
            self.notice.setText("Still counting the results; try again in a moment.")
            return
        ids = self.model.all_ids()
        if not ids:
            self.notice.setText("Nothing is shown to tag: change the search or filters.")
            return
        with self.context.sessions() as session:
            choices = [info.text for info in tag_store.palette(session)]
        text = self.ask_tag(choices, len(ids))
        if text is None:
            return
        try:
            pair = tag_store.parse_tag(text)
        except OperatorError as exc:
            self.notice.setText(str(exc))
            return
        if not self.confirm(
            f"Tag all {count_text(len(ids))} shown with {tag_store.tag_text(*pair)}?"
            " You can undo this with Ctrl+Z."
        ):
            return
        self._report(self.edits.apply_tags(ids, [pair]))

    @Slot()
    def remove_tag_from_selection(self) -> None:
        """Delete: take a tag off the selected rows. With a tag filter on, that tag;
        otherwise the operator picks one of the tags the selection carries."""
        self.notice.clear()
        ids = self.selected_ids()
        if not ids:
            return
        pair = self.current_filter().tag
        if pair is None:
            with self.context.sessions() as session:
                carried = tag_store.tag_counts(session, ids)
            if not carried:
                self.notice.setText("The selected items carry no tags.")
                return
            pair = self.choose_tag_to_remove(carried)
            if pair is None:
                return
        self._report(self.edits.remove_tags(ids, [pair]))

    # -- internals -----------------------------------------------------------------------

    def _current_id(self) -> int | None:
        current = self.table.currentIndex()
        ids = self.model.ids_at([current.row()]) if current.isValid() else []
        return ids[0] if ids else None

    def _current_changed(self, current: object, previous: object) -> None:
        if self.detail_open():
            self._show_in_detail(self._current_id())

    def _show_in_detail(self, item_id: int | None) -> None:
        """Show another item, saving the typing in the pane first (as an undoable step):
        moving on never loses an edit. A refused save keeps the pane on its item, with
        the typing and the sentence saying why."""
        if item_id != self.detail.item_id and self.detail.editor.dirty:
            refusal = self.detail.editor.save()
            if refusal is not None:
                self.notice.setText(f"Your edit was not saved, so it is still shown: {refusal}")
                return
        self.detail.show_item(item_id)

    def _report(self, refusal: str | None) -> None:
        if refusal is not None:
            self.notice.setText(refusal)

    def _typed_tag(self) -> tuple[str, str] | None:
        text = self.tag.currentText().strip().lower()
        namespace, sep, key = text.partition(":")
        if not sep or not namespace or not key:
            return None  # "Any tag", empty, or not yet a whole namespace:key
        return namespace.strip(), key.strip()

    def _fill_choices(self) -> None:
        """Libraries and tags from the data, keeping the current choices."""
        with self.context.sessions() as session:
            libraries = library_choices(session)
            tags = tag_choices(session)
        chosen_library = self.library.currentData()
        chosen_tag = self.tag.currentText()
        for combo in (self.library, self.tag):
            combo.blockSignals(True)
        self.library.clear()
        self.library.addItem("All libraries", None)
        for library_id, title in libraries:
            self.library.addItem(title, library_id)
        found = self.library.findData(chosen_library)
        self.library.setCurrentIndex(max(found, 0))
        self.tag.clear()
        self.tag.addItem(ANY_TAG)
        self.tag.addItems([f"{n}:{k}" for n, k in tags])
        self.tag.setCurrentText(chosen_tag or ANY_TAG)
        for combo in (self.library, self.tag):
            combo.blockSignals(False)

    def _show_count(self, total: int) -> None:
        self.count.setText(count_text(total))
        self.count.setToolTip("")

    def _show_load_failure(self, sentence: str) -> None:
        self.count.setText("List incomplete")
        self.count.setToolTip(sentence)
