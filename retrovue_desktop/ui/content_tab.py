"""The Content tab: the whole catalogue in one table, searched and filtered as you type.

Every filter is applied in SQL by the model (content_query), so the table stays instant
at 100,000 items; the right-hand side of the splitter is kept for the item detail pane.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

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

from .content_model import COLUMNS, ContentTableModel, kind_text
from .context import AppContext
from .edits import CatalogEdits

SEARCH_DEBOUNCE_MS = 200
ANY_TAG = "Any tag"
# Initial widths of the fixed-size columns (Title and Tags share what is left).
COLUMN_WIDTHS = {"Kind": 90, "Show": 190, "S/E": 64, "Duration": 72, "Rating": 62,
                 "Kids": 44, "File": 110, "Library": 130}  # fmt: skip


def count_text(count: int) -> str:
    if count < 0:
        return "Counting…"
    return "1 item" if count == 1 else f"{count:,} items"


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
        focus = QShortcut(QKeySequence.StandardKey.Find, self)
        focus.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        focus.activated.connect(self.focus_search)

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
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        # Fixed row heights: the view never measures 100,000 rows.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        for name, width in COLUMN_WIDTHS.items():
            header.resizeSection(COLUMNS.index(name), width)
        header.resizeSection(COLUMNS.index("Title"), 300)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COLUMNS.index("Tags"), QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)

        self.detail_placeholder = QWidget()
        self.detail_placeholder.setObjectName("detail_placeholder")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail_placeholder)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([1, 0])  # the detail pane opens when it has something to show

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        filters = QHBoxLayout()
        for widget in (self.kind, self.library, self.tag, self.rating, self.availability):
            filters.addWidget(widget)
        filters.addWidget(self.include_gone)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)

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
        flt = self.current_filter()
        if flt == self.model.content_filter:
            self.model.refresh()
        else:
            self.model.set_filter(flt)

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

    # -- internals -----------------------------------------------------------------------

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
