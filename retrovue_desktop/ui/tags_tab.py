"""The Tags tab: the tag palette beside a content list, for tagging by drag and drop.

Left, the palette (namespaces → tags with item counts): create, rename, merge and
delete tags. Right, the catalogue: by default only the items of the tag selected in the
palette, or (toggle off) the whole catalogue to search. Tags dragged onto rows tag them;
rows dragged onto a tag get it. Every write goes through CatalogEdits, so Ctrl+Z undoes
it, and the palette re-reads itself on `palette_changed`, which is how undo shows here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.store.content_query import ContentFilter
from retrovue_desktop.store.tags import (
    DEFAULT_NAMESPACES,
    SLUG_MAX,
    TagInfo,
    delete_impact,
    slugify,
    tag_text,
)

from .commands import MenuEntries, command
from .content_model import ContentTableModel
from .content_view import (
    SEARCH_DEBOUNCE_MS,
    count_text,
    selected_rows,
    selection_drop_rows,
    setup_content_table,
    take_tag_drags,
)
from .context import AppContext
from .edits import CatalogEdits
from .palette_model import PaletteModel
from .style import ERROR, muted, set_tone

Tag = tuple[str, str]
DRAG_HINT = (
    "Drag tags onto items to tag them, or items onto a tag. Select several tags with Ctrl"
    " or Shift to drag or merge them."
)
EMPTY_HINT = (
    "No tags yet. New tag (Ctrl+N) makes one: pick a namespace, or type your own for a"
    " custom namespace."
)
# Columns the narrower list of this tab leaves out (the Content tab has them all).
HIDDEN_COLUMNS = ("S/E", "Rating", "Kids", "File", "Library")
EXAMPLE_KEY = "christmas-eve"


def _items(count: int) -> str:
    return f"{count:,} item" + ("" if count == 1 else "s")


def _is_slug(text: str) -> bool:
    return bool(text) and len(text) <= SLUG_MAX and slugify(text) == text


def delete_question(impacts: Sequence[tuple[Tag, int]]) -> str:
    """What Delete asks: how many items lose each tag, and that undo brings it back."""
    names = ", ".join(tag_text(*pair) for pair, _ in impacts)
    lines = [
        f"{_items(count)} will lose {tag_text(*pair)}." if count else
        f"No item carries {tag_text(*pair)}."
        for pair, count in impacts
    ]  # fmt: skip
    return (
        f"Delete {names}?\n\n" + "\n".join(lines) + "\n\nUndo (Ctrl+Z) brings it back."
        if len(impacts) == 1
        else f"Delete {len(impacts)} tags?\n\n"
        + "\n".join(lines)
        + "\n\nUndo (Ctrl+Z) brings them back."
    )


class TagDialog(QDialog):
    """New tag, or rename one: namespace, key (and a label for a new tag).

    The key field offers the nearest slug as a hint while typing, but what is saved is
    exactly what is typed, checked by the store; a refusal stays in the dialog as its
    sentence, and nothing is written.
    """

    def __init__(
        self,
        namespaces: Sequence[str],
        known: Callable[[Tag], TagInfo | None],
        save: Callable[[str, str, str | None], str | None],
        renaming: TagInfo | None = None,
        namespace: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._known = known
        self._save = save
        self.renaming = renaming
        self.setWindowTitle(f"Rename {renaming.text}" if renaming else "New tag")
        self.setMinimumWidth(460)
        self.namespace = QComboBox()
        self.namespace.setEditable(True)
        self.namespace.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.namespace.addItems(list(namespaces))
        self.namespace.setToolTip("Choose a namespace, or type a new one for a custom namespace")
        start = renaming.namespace if renaming else (namespace or DEFAULT_NAMESPACES[0])
        self.namespace.setCurrentText(start)
        self.key = QLineEdit(renaming.key if renaming else "")
        self.key.setPlaceholderText(f"e.g. {EXAMPLE_KEY}")
        self.key.setMaxLength(SLUG_MAX * 2)
        self.label = QLineEdit()
        self.label.setPlaceholderText("optional, e.g. Christmas Eve")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.RichText)
        self.hint.linkActivated.connect(self._use_suggestion)
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_tone(self.error, ERROR)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        form = QFormLayout()
        form.addRow("&Namespace:", self.namespace)
        form.addRow("&Key:", self.key)
        if renaming is None:
            form.addRow("&Label:", self.label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Rename" if renaming else "Create")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.namespace.currentTextChanged.connect(lambda _t: self._update_hint())
        self.key.textChanged.connect(lambda _t: self._update_hint())
        self._update_hint()
        self.key.setFocus()
        self.key.selectAll()

    def typed(self) -> Tag:
        return self.namespace.currentText().strip(), self.key.text().strip()

    @Slot()
    def submit(self) -> None:
        namespace, key = self.typed()
        error = self._save(namespace, key, self.label.text() or None)
        if error is not None:
            self.error.setText(error)
            self.error.show()
            self.hint.hide()  # the refusal says it all
            return
        self.accept()

    def _update_hint(self) -> None:
        """Say what will be saved, or the nearest slug when what is typed is not one."""
        self.error.hide()
        self.hint.show()
        namespace, key = self.typed()
        for typed, what in ((namespace, "namespace"), (key, "key")):
            if not typed:
                self.hint.setText(
                    f"A {what} is lower-case letters and digits joined by hyphens, such as"
                    f" <b>{'holiday' if what == 'namespace' else EXAMPLE_KEY}</b>."
                )
                return
            if not _is_slug(typed):
                nearest = slugify(typed)
                use = f" <a href='{what}'>Use “{nearest}”</a>" if nearest else ""
                self.hint.setText(
                    f"“{typed}” is not a {what}: use lower-case letters and digits joined by"
                    f" hyphens.{use}"
                )
                return
        text = tag_text(namespace, key)
        custom = "" if namespace in DEFAULT_NAMESPACES or self._in_use(namespace) else (
            f" <i>{namespace}</i> will be a new custom namespace."
        )  # fmt: skip
        existing = self._known((namespace, key))
        renaming = self.renaming
        if renaming is not None and (namespace, key) == (renaming.namespace, renaming.key):
            self.hint.setText(f"<b>{text}</b> is its name now.")
        elif renaming is not None and existing is not None:
            self.hint.setText(
                f"<b>{text}</b> exists already ({_items(existing.items)}): renaming merges"
                f" {renaming.text} into it, and each item keeps the tag once."
            )
        elif existing is not None:
            self.hint.setText(f"<b>{text}</b> exists already.")
        else:
            done = "Renamed to" if renaming is not None else "Saved as"
            self.hint.setText(f"{done} <b>{text}</b>.{custom}")

    def _in_use(self, namespace: str) -> bool:
        return self.namespace.findText(namespace) >= 0

    def _use_suggestion(self, what: str) -> None:
        """Take the nearest slug; a typed key that was more than a slug in capitals
        ("Christmas Eve") becomes the label of a new tag, if it has none yet."""
        if what == "namespace":
            self.namespace.setCurrentText(slugify(self.namespace.currentText()))
            return
        typed = self.key.text().strip()
        slug = slugify(typed)
        if self.renaming is None and not self.label.text().strip() and typed.lower() != slug:
            self.label.setText(typed)
        self.key.setText(slug)


class MergeDialog(QDialog):
    """Merge the selected tags: choose which of them the others become."""

    def __init__(
        self,
        sources: Sequence[TagInfo],
        save: Callable[[Tag], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.sources = list(sources)
        self.setWindowTitle(f"Merge {len(self.sources)} tags")
        self.setMinimumWidth(460)
        self.target = QComboBox()
        for info in sorted(self.sources, key=lambda t: -t.items):  # the most used first
            self.target.addItem(f"{info.text}  ({_items(info.items)})", (info.namespace, info.key))
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_tone(self.error, ERROR)
        self.error.hide()
        form = QFormLayout()
        form.addRow("Merge &into:", self.target)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Merge")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.explain)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.target.currentIndexChanged.connect(lambda _i: self._update_text())
        self._update_text()

    def chosen(self) -> Tag:
        namespace, key = self.target.currentData()
        return str(namespace), str(key)

    def choose(self, pair: Tag) -> None:
        for row in range(self.target.count()):
            if tuple(self.target.itemData(row)) == pair:
                self.target.setCurrentIndex(row)

    @Slot()
    def submit(self) -> None:
        error = self._save(self.chosen())
        if error is not None:
            self.error.setText(error)
            self.error.show()
            return
        self.accept()

    def _update_text(self) -> None:
        target = tag_text(*self.chosen())
        others = [t.text for t in self.sources if t.text != target]
        either = ", ".join(others[:-1]) + " or " + others[-1] if len(others) > 1 else others[0]
        both = " and ".join([", ".join(others[:-1]), others[-1]]) if len(others) > 1 else either
        self.explain.setText(
            f"Every item that carries {either} will carry {target} instead, once;"
            f" {both} {'leave' if len(others) > 1 else 'leaves'} the palette."
            " Undo (Ctrl+Z) puts everything back."
        )


class TagsTab(QWidget):
    """The tag palette (left) and a content list to tag by drag and drop (right)."""

    TITLE = "Tags"

    def __init__(
        self, context: AppContext, edits: CatalogEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.edits = edits
        # How the tab asks before deleting; tests replace it (a UI seam, not a mock).
        self.confirm: Callable[[str], bool] = self._ask
        # The dialog open now (New tag, Rename, Merge), if any.
        self.dialog: QDialog | None = None
        self._kept_tags: list[Tag] = []
        self._kept_current: Tag | None = None

        self.palette_model = PaletteModel(context.sessions, self, edits)
        self.items_model = ContentTableModel(context.sessions, self, edits)

        self._build_palette_pane()
        self._build_items_pane()
        self.items_model.drop_rows = selection_drop_rows(self.table)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.palette_pane)
        self.splitter.addWidget(self.items_pane)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([360, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)

        self.new_action = self._action("New tag…", "Ctrl+N", self.new_tag, self)
        pane = self.palette_pane
        self.rename_action = self._action("Rename…", "F2", self.rename_selected, pane)
        self.merge_action = self._action("Merge…", "Ctrl+M", self.merge_selected, pane)
        self.delete_action = self._action("Delete…", "Del", self.delete_selected, pane)
        for action in (self.new_action, self.rename_action, self.merge_action, self.delete_action):
            self.toolbar.addAction(action)
        self.apply_action = self._action(
            "Tag with the selected tags", "Ctrl+T", self.apply_selected_tags, self.items_pane
        )
        self.remove_action = self._action(
            "Remove the tag from these items", "Del", self.remove_from_selected_items,
            self.items_pane,
        )  # fmt: skip
        for action, tip in (
            (self.new_action, "Make a new tag"),
            (self.rename_action, "Rename the selected tag everywhere"),
            (self.merge_action, "Merge the selected tags into one"),
            (self.delete_action, "Delete the selected tags from every item"),
            (self.apply_action, "Give the selected tags to the selected items"),
            (self.remove_action, "Take the selected tags off the selected items"),
        ):
            action.setStatusTip(tip)

        edits.items_changed.connect(self._items_changed)
        edits.busy_changed.connect(self._busy)
        edits.done.connect(self._edit_done)
        self.palette_model.drop_refused.connect(self.show_error)
        self.palette_model.rowsInserted.connect(self._expand_inserted)
        for signal in (
            self.palette_model.rowsInserted,
            self.palette_model.rowsRemoved,
            self.palette_model.modelReset,
        ):
            signal.connect(self._update_hint)
        self.palette_model.modelAboutToBeReset.connect(self._keep_selection)
        self.palette_model.modelReset.connect(self._restore_selection)
        self.items_model.total_changed.connect(self._show_count)
        self.items_model.load_failed.connect(self.show_error)
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._palette_selected())
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._palette_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())

        self.palette_model.reload()
        self.tree.expandAll()
        self._update_hint()
        self.apply_filter()
        self.table.setSortingEnabled(True)  # after the first load: it asks for a sort
        self._update_actions()

    # -- building ------------------------------------------------------------------------

    def _build_palette_pane(self) -> None:
        self.toolbar = QToolBar("Tags")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter tags  (Ctrl+F)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.palette_model.set_filter)
        self.filter.returnPressed.connect(self._to_first_match)
        self.tree = PaletteView()
        self.tree.settled.connect(self.follow_palette)
        self.tree.setModel(self.palette_model)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._palette_menu)
        take_tag_drags(self.tree)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 64)
        self.palette_hint = QLabel()
        self.palette_hint.setWordWrap(True)
        muted(self.palette_hint)
        self.palette_pane = QWidget()
        layout = QVBoxLayout(self.palette_pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.palette_hint)
        self.find_tag_action = command(
            self,
            "&Find a tag",
            self.focus_filter,
            QKeySequence.StandardKey.Find,
            "Go to the tag filter (Ctrl+F in the tag list)",
            self.palette_pane,
        )

    def _build_items_pane(self) -> None:
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.count = QLabel()
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count.setMinimumWidth(90)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles, synopses and shows  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.only_tagged = QCheckBox("Only items with the selected tag")
        self.only_tagged.setChecked(True)
        self.only_tagged.setToolTip(
            "Untick to search the whole catalogue and drag tags onto any item"
        )
        self.only_tagged.toggled.connect(lambda _on: self.apply_filter())
        self.table = QTableView()
        self.table.setModel(self.items_model)
        # Narrower than the Content tab's: hide what this list is not about, so the
        # Tags column gets the room.
        setup_content_table(self.table, {"Title": 280, "Show": 150}, HIDDEN_COLUMNS)
        self.items_model.drop_refused.connect(self._report)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._items_menu)
        self.message = QLabel()
        self.message.setWordWrap(True)
        set_tone(self.message, ERROR)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.items_pane = QWidget()
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.count)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.only_tagged)
        layout = QVBoxLayout(self.items_pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(search_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.find_items_action = command(
            self,
            "&Search the items",
            self.focus_search,
            QKeySequence.StandardKey.Find,
            "Go to the item search (Ctrl+F in the item list)",
            self.items_pane,
        )

    def _action(
        self, text: str, shortcut: str, slot: Callable[[], None], scope: QWidget
    ) -> QAction:
        """An action whose shortcut works while focus is in `scope` (or its children)."""
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{text.rstrip('…')} ({QKeySequence(shortcut).toString()})")
        action.triggered.connect(slot)
        scope.addAction(action)
        return action

    # -- public --------------------------------------------------------------------------

    menu_title = "T&ags"

    def menu_actions(self) -> MenuEntries:
        """The tab's commands for its menu in the menu bar (None: a separator). Delete
        and Ctrl+F act on the pane with the focus: the tag list or the item list."""
        return [
            self.new_action,
            self.rename_action,
            self.merge_action,
            self.delete_action,
            None,
            self.apply_action,
            self.remove_action,
            None,
            self.find_tag_action,
            self.find_items_action,
        ]

    @Slot()
    def reload(self) -> None:
        """The catalogue changed (a sync or scan finished): re-read the palette and list."""
        self.palette_model.reload()
        self._debounce.stop()
        self.items_model.reload(self.current_filter())

    @Slot()
    def focus_filter(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    @Slot()
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def selected_tags(self) -> list[Tag]:
        """The palette's selected tags in tree order (namespace rows left out)."""
        pairs: list[Tag] = []
        for index in self._sorted_selection():
            pair = self.palette_model.tag_at(index)
            if pair is not None:
                pairs.append(pair)
        return pairs

    def focused_tag(self) -> Tag | None:
        """The tag whose items the list shows. With several tags selected the list keeps
        the one it shows, so picking more tags to drag or Ctrl+T onto its items does not
        swap the items away; otherwise the current tag, else the first selected."""
        selected = self.selected_tags()
        shown = self.items_model.content_filter.tag
        if len(selected) > 1 and shown in selected:
            return shown
        current = self.palette_model.tag_at(self.tree.currentIndex())
        if current is not None and current in selected:
            return current
        return selected[0] if selected else None

    def select_tag(self, pair: Tag) -> bool:
        """Make `pair` the palette's only selected tag (and current); False if not shown."""
        index = self.palette_model.index_of_tag(pair)
        if not index.isValid():
            return False
        self.tree.expand(index.parent())
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.tree.selectionModel().setCurrentIndex(index, flags)
        self.tree.scrollTo(index)
        return True

    def show_tag(self, pair: Tag) -> None:
        """Select a tag just made or renamed, clearing a tag filter that hides it."""
        if not self.select_tag(pair) and self.filter.text():
            self.filter.clear()
            self.select_tag(pair)

    def select_tags(self, pairs: Sequence[Tag], current: Tag | None = None) -> None:
        """Select several tags in one step (for Merge and multi-drag); those not shown
        are skipped. The current one is `current` if given and shown, else the last."""
        selection = QItemSelection()
        last = QModelIndex()
        for pair in pairs:
            index = self.palette_model.index_of_tag(pair)
            if index.isValid():
                selection.select(index, index)
                last = index
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.tree.selectionModel().select(selection, flags)
        chosen = current is not None and current in pairs
        wanted = self.palette_model.index_of_tag(current) if chosen and current else QModelIndex()
        target = wanted if wanted.isValid() else last
        if target.isValid():
            self.tree.selectionModel().setCurrentIndex(
                target, QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def current_filter(self) -> ContentFilter:
        tag = self.focused_tag() if self.only_tagged.isChecked() else None
        # A tag's list shows every item that carries it, gone from its source or not, so
        # it matches the count in the palette and what Delete would take the tag off.
        return ContentFilter(text=self.search.text().strip(), tag=tag, include_gone=tag is not None)

    @Slot()
    def apply_filter(self) -> None:
        self._debounce.stop()
        flt = self.current_filter()
        self._update_heading(flt)
        self.items_model.set_filter(flt)

    @Slot(str)
    def show_error(self, sentence: str) -> None:
        self.message.setText(sentence)
        self.message.show()

    def clear_error(self) -> None:
        self.message.clear()
        self.message.hide()

    # -- palette actions -----------------------------------------------------------------

    @Slot()
    def new_tag(self) -> None:
        current = self.palette_model.namespace_at(self.tree.currentIndex())

        def save(namespace: str, key: str, label: str | None) -> str | None:
            error = self.edits.create_tag(namespace, key, label)
            if error is None:
                self.show_tag((namespace, key))
            return error

        self._open(
            TagDialog(
                self.palette_model.namespaces(), self.palette_model.info, save, None, current, self
            )
        )

    @Slot()
    def rename_selected(self) -> None:
        selected = self.selected_tags()
        if len(selected) != 1:
            return
        info = self.palette_model.info(selected[0])
        if info is None:
            return
        old = (info.namespace, info.key)

        def save(namespace: str, key: str, _label: str | None) -> str | None:
            if (namespace, key) == old:
                return None  # nothing to do
            error = self.edits.rename_tag(old, (namespace, key))
            if error is None:
                self.show_tag((namespace, key))
            return error

        self._open(
            TagDialog(
                self.palette_model.namespaces(), self.palette_model.info, save, info, None, self
            )
        )

    @Slot()
    def merge_selected(self) -> None:
        infos = [i for i in (self.palette_model.info(p) for p in self.selected_tags()) if i]
        if len(infos) < 2:
            return
        sources = [(i.namespace, i.key) for i in infos]

        def save(target: Tag) -> str | None:
            error = self.edits.merge_tags(sources, target)
            if error is None:
                self.show_tag(target)
            return error

        self._open(MergeDialog(infos, save, self))

    @Slot()
    def delete_selected(self) -> None:
        pairs = self.selected_tags()
        if not pairs:
            return
        with self.context.sessions() as session:
            impacts = [(pair, delete_impact(session, *pair)) for pair in pairs]
        if not self.confirm(delete_question(impacts)):
            return
        self.clear_error()
        stack = self.edits.stack
        if len(pairs) > 1:
            stack.beginMacro(f"Delete {len(pairs)} tags")
        try:
            for pair in pairs:
                error = self.edits.delete_tag(*pair)
                if error is not None:
                    self.show_error(error)
                    break
        finally:
            if len(pairs) > 1:
                stack.endMacro()
                last = stack.command(stack.count() - 1)
                if last is not None and last.childCount() == 0:  # nothing was deleted
                    last.setObsolete(True)
                    stack.undo()

    # -- the content list ------------------------------------------------------------------

    def selected_item_ids(self) -> list[int]:
        return self.items_model.ids_at(selected_rows(self.table))

    @Slot()
    def apply_selected_tags(self) -> None:
        """The keyboard way to do a drop: the palette's tags onto the list's selection."""
        ids, pairs = self.selected_item_ids(), self.selected_tags()
        if not ids or not pairs:
            return
        self._report(self.edits.apply_tags(ids, pairs))

    @Slot()
    def remove_from_selected_items(self) -> None:
        """Take the palette's selected tags off the list's selected items (undoable)."""
        ids, pairs = self.selected_item_ids(), self.selected_tags()
        if not ids or not pairs:
            return
        self._report(self.edits.remove_tags(ids, pairs))

    # -- internals -----------------------------------------------------------------------

    def _ask(self, text: str) -> bool:
        box = self.question_box(text)
        return box.exec() == QMessageBox.StandardButton.Yes

    def question_box(self, text: str) -> QMessageBox:
        """The delete confirmation, Cancel by default."""
        box = QMessageBox(QMessageBox.Icon.Question, "Delete tags", text, parent=self)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Delete")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box

    def _open(self, dialog: QDialog) -> None:
        """Show a dialog window-modal without a nested event loop; it is kept in
        `self.dialog` until it closes."""
        self.clear_error()
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _report(self, error: str | None) -> None:
        if error is None:
            self.clear_error()
        else:
            self.show_error(error)

    def _sorted_selection(self) -> list[QModelIndex]:
        indexes = self.tree.selectionModel().selectedRows(0)
        return sorted(indexes, key=lambda i: (self.palette_model.parent(i).row(), i.row()))

    def _palette_selected(self) -> None:
        self._update_actions()
        if self.tree.holding:
            return  # a press may become a drag: the list changes on release (follow_palette)
        self.follow_palette()

    @Slot()
    def follow_palette(self) -> None:
        """Show the items of the palette's selected tag (if the toggle asks for it)."""
        flt = self.current_filter()
        self._update_heading(flt)
        if flt != self.items_model.content_filter:
            self._debounce.stop()
            self.items_model.set_filter(flt)

    def _update_heading(self, flt: ContentFilter) -> None:
        if flt.tag is not None:
            self.heading.setText(f"Items tagged {tag_text(*flt.tag)}")
        elif self.only_tagged.isChecked():
            self.heading.setText("All items: select a tag to see only its items")
        else:
            self.heading.setText("All items")

    def _update_actions(self) -> None:
        tags = self.selected_tags()
        busy = self.edits.busy
        self.rename_action.setEnabled(len(tags) == 1 and not busy)
        self.merge_action.setEnabled(len(tags) >= 2 and not busy)
        self.delete_action.setEnabled(bool(tags) and not busy)
        has_items = self.table.selectionModel().hasSelection()
        self.apply_action.setEnabled(bool(tags) and has_items and not busy)
        self.remove_action.setEnabled(bool(tags) and has_items and not busy)
        if len(tags) == 1:
            self.remove_action.setText(f"Remove {tag_text(*tags[0])} from these items")
        else:
            self.remove_action.setText("Remove the selected tags from these items")

    def _update_hint(self) -> None:
        self.palette_hint.setText(DRAG_HINT if self.palette_model.all_tags() else EMPTY_HINT)

    def _keep_selection(self) -> None:
        self._kept_tags = self.selected_tags()
        self._kept_current = self.palette_model.tag_at(self.tree.currentIndex())

    def _restore_selection(self) -> None:
        """After the tag filter changed: expand everything and keep selected what is
        still shown (tags filtered away are no longer selected, so no action hits them)."""
        self.tree.expandAll()
        self.select_tags(self._kept_tags, current=self._kept_current)
        self._palette_selected()

    def _to_first_match(self) -> None:
        """Enter in the filter box: into the tree, on the first tag shown."""
        if not self.selected_tags():
            pair = self.palette_model.tag_at(self.palette_model.first_tag_index())
            if pair is not None:
                self.select_tag(pair)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def _expand_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid():
            for row in range(first, last + 1):
                self.tree.expand(self.palette_model.index(row, 0))

    def _items_changed(self, ids: list[int] | None) -> None:
        """Re-read what an edit touched; if every row was selected again, select the
        same items as before."""
        kept = self.selected_item_ids()
        if not self.items_model.edited(ids):
            return
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for item_id in kept:
            row = self.items_model.row_of(item_id)
            if row is not None and row < self.items_model.rowCount():
                selection.select(self.items_model.index(row, 0), flags)

    def _edit_done(self, _text: str) -> None:
        self.clear_error()  # an edit went through: a refusal shown before is stale

    def _busy(self, busy: bool) -> None:
        self._update_actions()
        if busy:
            self.count.setText("Tagging…")
        else:
            self._show_count(self.items_model.total() if self.items_model.is_complete() else -1)

    def _show_count(self, total: int) -> None:
        self.count.setText(count_text(total))

    def _palette_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for action in (self.new_action, self.rename_action, self.merge_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _items_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.apply_action)
        menu.addAction(self.remove_action)
        menu.exec(self.table.viewport().mapToGlobal(pos))


class PaletteView(QTreeView):
    """The palette tree. A mouse press selects the tag under it, and may become a drag of
    that tag onto the list: the list must not swap to the pressed tag's items under the
    pointer, so the tab waits for `settled` (released without a drag) to follow it."""

    settled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.holding = False  # a mouse button is down on the tree

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.holding = True
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self.holding:
            self.holding = False
            self.settled.emit()

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        try:
            super().startDrag(supportedActions)
        finally:
            self.holding = False  # the drag took the release; the list stays as it was
