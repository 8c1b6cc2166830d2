"""The selected item in detail: heading, tag chips, and three tabs — the editorial editor,
its files, and its markers.

Each read is one small query on the UI thread (a session per read, no ORM objects
kept). Every write goes through CatalogEdits, and the pane re-reads whenever one of its
signals concerns the item shown: that is how undo and redo show up here. A refusal is
shown in red next to what was refused, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QDateTime, QLocale, QSize, Qt, Slot
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.store import tags as tag_store
from retrovue_desktop.store.editorial import SOURCE_NAMES as EDITORIAL_SOURCES
from retrovue_desktop.store.editorial import EditorialView, editorial_of
from retrovue_desktop.store.item_detail import (
    ROLE_NAMES,
    FileView,
    ItemHeading,
    files_of,
    item_heading,
    payload_text,
    size_text,
)

from .content_model import duration_text, kind_text
from .context import AppContext
from .edits import CatalogEdits
from .files_panel import NAMES as AVAILABILITY_NAMES
from .marker_panel import ERROR_STYLE, MarkerPanel, muted, plain_label
from .mime import TAGS_MIME, decode_tags
from .tag_chips import TagChips

EMPTY_TEXT = (
    "Select an item in the list to see it here: edit its title and synopsis, check its"
    " files, and mark its chapters and ad breaks."
)
GONE_TEXT = "This item is no longer in the catalogue."
# Where the source text came from, as the editor labels it.
SOURCE_WORDS = {"plex": "Plex", "file": "the file", "manual": "you"}
AVAILABILITY_COLOURS = {"ok": "#2f9e44", "unknown": "#868e96"}
PROBLEM_COLOUR = "#b3261e"


def local_time_text(epoch_seconds: int) -> str:
    """A moment in the operator's time zone and locale, short form."""
    moment = QDateTime.fromSecsSinceEpoch(int(epoch_seconds)).toLocalTime()
    locale = QLocale()
    if locale.language() == QLocale.Language.C:  # no locale set: ISO reads everywhere
        return moment.toString("yyyy-MM-dd HH:mm")
    return locale.toString(moment, QLocale.FormatType.ShortFormat)


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


class ElidedLabel(QLabel):
    """One line that shortens itself in the middle (paths: both ends matter); the whole
    text is in the tooltip and "Copy" on its context menu."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        copy = QAction("Copy", self)
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(self._full))
        self.addAction(copy)
        self.set_full_text(text)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 40)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, width))


class ShortText(QScrollArea):
    """Read-only wrapped text as tall as it needs up to `lines`, scrolling beyond: a
    long synopsis from Plex does not push the editor off the pane."""

    def __init__(self, lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._most = self.fontMetrics().lineSpacing() * lines + 4
        self._width = -1

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:
        self.label.setText(text)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        width = max(self.viewport().width(), 100)
        return QSize(super().sizeHint().width(), min(self.label.heightForWidth(width), self._most))

    def minimumSizeHint(self) -> QSize:
        return QSize(40, self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != self._width:  # rewrapped: maybe another height
            self._width = event.size().width()
            self.updateGeometry()


class PayloadDialog(QDialog):
    """The source payload, read-only, pretty-printed when it is JSON."""

    def __init__(self, title: str, payload_json: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Source payload — {title}")
        text, problem = payload_text(payload_json)
        self.note = plain_label(problem or "")
        self.note.setWordWrap(True)
        self.note.setVisible(problem is not None)
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setVisible(bool(text))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        if text:
            self.resize(640, 560)
        else:
            self.resize(520, 120)


def _section(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class EditorialEditor(QWidget):
    """The source's title and synopsis (read-only) above the operator's overrides.

    An empty override field means "use the source". Save writes both overrides (and
    the time) in one undoable edit; Revert to source clears both.
    """

    def __init__(self, edits: CatalogEdits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.view: EditorialView | None = None
        self.payload_dialog: PayloadDialog | None = None
        self._title = ""

        self.source_title = plain_label()
        self.source_title.setWordWrap(True)
        self.source_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title_edit = QLineEdit()
        self.title_edit.setClearButtonEnabled(True)
        self.source_synopsis = ShortText(lines=6)
        self.synopsis_edit = QPlainTextEdit()
        self.synopsis_edit.setTabChangesFocus(True)
        self.synopsis_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 10)
        self.synopsis_edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 10 + 10)
        for editor in (self.title_edit, self.synopsis_edit, self.synopsis_edit.viewport()):
            editor.setAcceptDrops(False)  # a dropped tag tags the item instead (the pane)
        self.source_title_caption = QLabel()
        self.source_synopsis_caption = QLabel()
        for caption in (self.source_title_caption, self.source_synopsis_caption):
            muted(caption)

        self.save_button = QPushButton("Save")
        self.save_button.setToolTip("Save your title and synopsis (Ctrl+S)")
        self.revert_button = QPushButton("Revert to source")
        self.revert_button.setToolTip("Drop your title and synopsis and use the source's again")
        self.status = QLabel()
        muted(self.status)
        self.error = plain_label()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.payload_button = QPushButton("Show source payload…")
        self.payload_button.setToolTip("What the source sent for this item, as it was stored")

        layout = QVBoxLayout(self)
        layout.addWidget(_section("Title"))
        title_form = QFormLayout()
        title_form.addRow(self.source_title_caption, self.source_title)
        title_form.addRow("Yours:", self.title_edit)
        layout.addLayout(title_form)
        layout.addSpacing(6)
        layout.addWidget(_section("Synopsis"))
        layout.addWidget(self.source_synopsis_caption)
        layout.addWidget(self.source_synopsis)
        layout.addSpacing(4)
        layout.addWidget(QLabel("Yours:"))
        layout.addWidget(self.synopsis_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addSpacing(6)
        payload = QHBoxLayout()
        payload.addWidget(self.payload_button)
        payload.addStretch(1)
        layout.addLayout(payload)
        layout.addStretch(1)

        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.payload_button.clicked.connect(self.show_payload)
        self.title_edit.textChanged.connect(lambda _t: self._update_buttons())
        self.title_edit.returnPressed.connect(self.save)
        self.synopsis_edit.textChanged.connect(self._update_buttons)

    @property
    def dirty(self) -> bool:
        """The fields differ from the overrides saved."""
        if self.view is None:
            return False
        return self.title_edit.text().strip() != (
            self.view.override_title or ""
        ) or self.synopsis_edit.toPlainText().strip() != (self.view.override_synopsis or "")

    def show_view(
        self, view: EditorialView, keep_typing: bool = False, library_source: str | None = None
    ) -> None:
        """Show `view`; with `keep_typing`, unsaved text in the fields stays. An item
        never edited has no editorial row: `library_source` says where it came from."""
        keep = keep_typing and self.dirty and self.view is not None
        self.view = view
        name = view.source_name or EDITORIAL_SOURCES.get(library_source or "", "")
        source = SOURCE_WORDS.get(name, "the source")
        self.source_title_caption.setText(f"From {source}:")
        self.source_synopsis_caption.setText(f"From {source}:")
        self.source_title.setText(view.source_title or "(no title)")
        self.source_synopsis.setText(view.source_synopsis or "(no synopsis)")
        self.title_edit.setPlaceholderText(
            "Type to replace the source's title" if view.source_title else "Type a title"
        )
        self.synopsis_edit.setPlaceholderText("Type to replace the source's synopsis")
        if not keep:
            self.title_edit.setText(view.override_title or "")
            self.title_edit.setCursorPosition(0)
            self.synopsis_edit.setPlainText(view.override_synopsis or "")
            self.error.hide()
        self._title = view.title or ""
        if view.override_updated_at is None:
            self.status.setText("Never edited here.")
        else:
            self.status.setText(f"Last edited {local_time_text(view.override_updated_at)}")
        self._update_buttons()

    @Slot()
    def save(self) -> str | None:
        """Save the fields as the overrides; None when saved (or nothing to save)."""
        if self.view is None or not self.dirty:
            return None
        return self._report(
            self.edits.set_override(
                self.view.item_id, self.title_edit.text(), self.synopsis_edit.toPlainText()
            )
        )

    @Slot()
    def revert(self) -> str | None:
        if self.view is None or not self.view.overridden:
            return None
        return self._report(self.edits.revert_to_source(self.view.item_id))

    @Slot()
    def show_payload(self) -> PayloadDialog | None:
        if self.view is None:
            return None
        if self.payload_dialog is not None:
            self.payload_dialog.close()
        dialog = PayloadDialog(self._title or "untitled", self.view.payload_json, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "payload_dialog", None))
        self.payload_dialog = dialog
        dialog.open()
        return dialog

    def _report(self, refusal: str | None) -> str | None:
        self.error.setText(refusal or "")
        self.error.setVisible(refusal is not None)
        return refusal

    def _update_buttons(self) -> None:
        dirty = self.dirty
        self.save_button.setEnabled(dirty)
        self.save_button.setText("Save" if not dirty else "Save changes")
        self.revert_button.setEnabled(self.view is not None and self.view.overridden)


class FileCard(QFrame):
    """One file: name and role, availability, where it is, what it is, when checked."""

    def __init__(self, file: FileView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file = file
        self.setFrameShape(QFrame.Shape.StyledPanel)
        name = plain_label(file.name or "(no path)")
        bold = QFont(name.font())
        bold.setBold(True)
        name.setFont(bold)
        name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        name.setWordWrap(True)
        role = QLabel(ROLE_NAMES.get(file.role, file.role))
        muted(role)
        colour = AVAILABILITY_COLOURS.get(file.availability, PROBLEM_COLOUR)
        word = AVAILABILITY_NAMES.get(file.availability, file.availability)
        self.availability = QLabel(f"<span style='color:{colour}'>&#9679;</span> {word}")
        self.availability.setToolTip(file.availability_reason or word)
        top = QHBoxLayout()
        top.addWidget(name, 1)
        top.addWidget(role)
        top.addSpacing(8)
        top.addWidget(self.availability)

        self.folder = ElidedLabel(file.folder)
        self.folder.setToolTip(file.path)
        technical = [
            (file.container or "").upper(),
            file.codecs,
            file.resolution,
            duration_text(file.duration_ms),
            size_text(file.size_bytes),
        ]
        self.technical = plain_label(
            " \N{MIDDLE DOT} ".join(t for t in technical if t) or "Not read yet"
        )
        self.technical.setWordWrap(True)
        checked = (
            f"Checked {local_time_text(file.last_verified_at)}"
            if file.last_verified_at is not None
            else "Not checked yet: use Check files on the Libraries tab."
        )
        self.checked = QLabel(checked)
        muted(self.checked)
        self.checked.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.folder)
        if file.availability != "ok" and file.availability_reason:
            self.reason = plain_label(file.availability_reason)
            self.reason.setWordWrap(True)
            self.reason.setStyleSheet(f"color: {colour};")
            layout.addWidget(self.reason)
        layout.addWidget(self.technical)
        if file.plex_path and file.local_path and file.plex_path != file.local_path:
            plex = ElidedLabel(f"Plex: {file.plex_path}")
            muted(plex)
            layout.addWidget(plex)
        elif file.plex_path and not file.local_path:
            unmapped = QLabel("Where Plex has it; no path mapping shows it here yet.")
            muted(unmapped)
            unmapped.setWordWrap(True)
            layout.addWidget(unmapped)
        layout.addWidget(self.checked)


class FilesList(QScrollArea):
    """The item's files as cards, primary first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.cards: list[FileCard] = []
        self._inner = QWidget()
        self._layout = QVBoxLayout(self._inner)
        self.empty = QLabel("This item has no file yet.")
        muted(self.empty)
        self._layout.addWidget(self.empty)
        self._layout.addStretch(1)
        self.setWidget(self._inner)

    def set_files(self, files: Sequence[FileView]) -> None:
        for card in self.cards:
            self._layout.removeWidget(card)
            card.deleteLater()
        self.cards = [FileCard(f, self._inner) for f in files]
        for at, card in enumerate(self.cards):
            self._layout.insertWidget(at, card)
        self.empty.setVisible(not self.cards)


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
        self.gone.setStyleSheet(ERROR_STYLE)
        self.chips = TagChips(edits)
        self.tags_notice = plain_label()
        self.tags_notice.setWordWrap(True)
        self.tags_notice.setStyleSheet(ERROR_STYLE)
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

        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.editor.save)
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
