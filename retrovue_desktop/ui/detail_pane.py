"""The selected item in detail: heading, tag chips, and three tabs — the editorial editor,
its files, and its markers.

Each read is one small query on the UI thread (a session per read, no ORM objects
kept). Every write goes through CatalogEdits, and the pane re-reads whenever one of its
signals concerns the item shown: that is how undo and redo show up here. A refusal is
shown in red next to what was refused, and nothing changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont, QKeySequence
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.store import tags as tag_store
from retrovue_desktop.store.editorial import EditorialView, editorial_of
from retrovue_desktop.store.item_detail import FileView, ItemHeading, files_of, item_heading

from .commands import command
from .content_model import duration_text, kind_text
from .context import AppContext
from .editorial_editor import EditorialEditor
from .edits import CatalogEdits
from .files_list import FilesList
from .marker_panel import MarkerPanel
from .mime import TAGS_MIME, decode_tags
from .style import ERROR, local_time_text, muted, plain_label, set_tone
from .tag_chips import TagChips

EMPTY_TEXT = (
    "Select an item in the list to see it here: edit its title and synopsis, check its"
    " files, and mark its chapters and ad breaks."
)
GONE_TEXT = "This item is no longer in the catalogue."


def heading_facts(heading: ItemHeading) -> str:
    """ "Episode · Cheers S01E01 · 0:22:00 · TV-PG · TV" under the title."""
    show = " ".join(p for p in (heading.show_title, heading.episode_text) if p)
    parts = [
        kind_text(heading.kind),
        show,
        duration_text(heading.duration_ms),
        heading.rating_code or "",
        heading.library_title or "",
    ]
    return " \N{MIDDLE DOT} ".join(p for p in parts if p)


class DetailPane(QWidget):
    """The shown item: heading, tags, editorial, files and markers; `show_item(None)`
    for the empty state. Tags dropped on the pane tag the item."""

    def __init__(
        self, context: AppContext, edits: CatalogEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.edits = edits
        self._item_id: int | None = None
        self._library_source: str | None = None
        self.setAcceptDrops(True)

        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        muted(self.empty)
        self.empty.setMargin(24)

        self.title = plain_label()
        title_font = QFont(self.title.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        self.title.setFont(title_font)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = plain_label()
        self.facts.setWordWrap(True)
        self.gone = plain_label()
        self.gone.setWordWrap(True)
        set_tone(self.gone, ERROR)
        self.chips = TagChips(edits)
        self.tags_notice = plain_label()
        self.tags_notice.setWordWrap(True)
        set_tone(self.tags_notice, ERROR)
        self.tags_notice.hide()
        self.chips.refused.connect(self._show_tags_notice)

        self.editor = EditorialEditor(edits)
        self.files = FilesList()
        self.markers = MarkerPanel(context, edits)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.editor, "Editorial")
        self.tabs.addTab(self.files, "Files")
        self.tabs.addTab(self._padded(self.markers), "Markers")

        page = QWidget()
        item_layout = QVBoxLayout(page)
        item_layout.setContentsMargins(0, 0, 0, 0)
        item_layout.addWidget(self.title)
        item_layout.addWidget(self.facts)
        item_layout.addWidget(self.gone)
        item_layout.addSpacing(4)
        item_layout.addWidget(self.chips)
        item_layout.addWidget(self.tags_notice)
        item_layout.addSpacing(6)
        item_layout.addWidget(self.tabs, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

        self.save_action = command(
            self,
            "&Save details",
            self.editor.save,
            QKeySequence.StandardKey.Save,
            "Save the changes to the item's title, synopsis and ratings",
        )
        edits.items_changed.connect(self._items_changed)
        edits.editorial_changed.connect(self._editorial_changed)
        self.show_item(None)

    @staticmethod
    def _padded(widget: QWidget) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(9, 9, 9, 9)
        layout.addWidget(widget)
        return holder

    # -- public --------------------------------------------------------------------------

    @property
    def item_id(self) -> int | None:
        return self._item_id

    @Slot(object)
    def show_item(self, item_id: int | None) -> None:
        """Show the item (re-read from the database), or the empty state for None.
        Unsaved typing in the editor stays only if it is the item already shown (the
        list re-selecting it after a refresh must not wipe it)."""
        same = item_id is not None and item_id == self._item_id
        self._item_id = item_id
        self.tags_notice.hide()
        if item_id is None:
            self.empty.setText(EMPTY_TEXT)
            self.stack.setCurrentIndex(0)
            self.chips.set_tags(None, [])
            self.editor.view = None
            self.markers.set_files([])
            return
        self._read(everything=True, keep_typing=same)

    @Slot()
    def refresh(self) -> None:
        """Re-read everything about the shown item (after a sync, say), keeping any
        unsaved typing in the editor."""
        if self._item_id is not None:
            self._read(everything=True, keep_typing=True)

    # -- reading -------------------------------------------------------------------------

    def _read(self, everything: bool, keep_typing: bool) -> None:
        """Heading and tags always; with `everything`, editorial, files and markers."""
        item_id = self._item_id
        assert item_id is not None
        with self.context.sessions() as session:
            heading = item_heading(session, item_id)
            if heading is None:
                self._gone()
                return
            item_tags = tag_store.tags_of(session, item_id)
            view: EditorialView | None = None
            files: list[FileView] = []
            if everything:
                try:
                    view = editorial_of(session, item_id)
                except OperatorError:
                    self._gone()
                    return
                files = files_of(session, item_id)
        self._show_heading(heading)
        self.chips.set_tags(item_id, item_tags)
        if view is not None:
            self.editor.show_view(view, keep_typing, heading.library_source)
            self.files.set_files(files)
            self.tabs.setTabText(1, f"Files ({len(files)})" if len(files) != 1 else "Files")
            self.markers.set_files(files)
        self.stack.setCurrentIndex(1)

    def _gone(self) -> None:
        self.empty.setText(GONE_TEXT)
        self.stack.setCurrentIndex(0)
        self.editor.view = None
        self.markers.set_files([])

    def _show_heading(self, heading: ItemHeading) -> None:
        self._library_source = heading.library_source
        self.title.setText(heading.title or "(untitled)")
        self.facts.setText(heading_facts(heading))
        if heading.gone_from_source_at is not None:
            where = "Plex" if heading.library_source == "plex" else "its folder"
            self.gone.setText(
                f"Gone from {where} since {local_time_text(heading.gone_from_source_at)};"
                " it is kept here, but its files may not play."
            )
        self.gone.setVisible(heading.gone_from_source_at is not None)

    # -- signals -------------------------------------------------------------------------

    @Slot(object)
    def _items_changed(self, item_ids: object) -> None:
        if self._item_id is None:
            return
        if item_ids is None or (isinstance(item_ids, list) and self._item_id in item_ids):
            self._read(everything=False, keep_typing=True)

    @Slot(int)
    def _editorial_changed(self, item_id: int) -> None:
        if item_id != self._item_id:
            return
        with self.context.sessions() as session:
            try:
                view = editorial_of(session, item_id)
            except OperatorError:
                self._gone()
                return
        self.editor.show_view(view, False, self._library_source)
        self._read(everything=False, keep_typing=True)

    def _show_tags_notice(self, sentence: str) -> None:
        self.tags_notice.setText(sentence)
        self.tags_notice.show()

    # -- tag drops -----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._item_id is not None and event.mimeData().hasFormat(TAGS_MIME):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        pairs = decode_tags(event.mimeData())
        if self._item_id is None or not pairs:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.tags_notice.hide()
        refusal = self.edits.apply_tags([self._item_id], pairs)
        if refusal is not None:
            self._show_tags_notice(refusal)
