"""Chapters, ad breaks and cues of one of the item's files: a list, a timeline strip, and
add / edit / delete for the operator's own markers.

Plex's markers and a file's own chapters are rewritten by every sync or rescan, so they
are shown greyed and cannot be changed here (the store refuses too). Every change goes
through CatalogEdits, so Ctrl+Z undoes it; the panel re-reads when `markers_changed`
names its file, which is how undo and redo show up here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    Qt,
    Slot,
)
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.store import markers as marker_store
from retrovue_desktop.store.item_detail import ROLE_NAMES, FileView
from retrovue_desktop.store.markers import MarkerView, format_timecode

from .context import AppContext
from .edits import CatalogEdits
from .list_model import Index, ListTableModel
from .marker_dialog import MarkerDialog
from .marker_words import SOURCE_WORDS, kind_word
from .style import ERROR, muted, plain_label, set_tone
from .timeline_strip import AD_BREAK_COLOUR, CHAPTER_COLOURS, CUE_COLOUR, TimelineStrip

# Why a source's markers are read-only: what rewrites them.
REWRITTEN_BY = {"detected": "the next Plex sync", "file": "the next folder rescan"}


def read_only_reason(marker: MarkerView) -> str:
    """Why the operator cannot change this marker, and what to do instead."""
    kind = marker_store.KIND_NAMES.get(marker.kind, "marker")
    by = marker_store.SOURCE_NAMES.get(marker.source, marker.source)
    again = REWRITTEN_BY.get(marker.source, "the next sync")
    return (
        f"This {kind} comes from {by} and is read-only: {again} rewrites it."
        " Add a marker of your own instead."
    )


class MarkerTableModel(ListTableModel[MarkerView]):
    """The file's markers in time order; read-only ones greyed, with the reason as tip."""

    COLUMNS = ("Kind", "Start", "End", "Label", "Source")
    columns = COLUMNS

    def set_markers(self, markers: Sequence[MarkerView]) -> None:
        self._replace(markers)

    def markers(self) -> list[MarkerView]:
        return list(self._items)

    def marker(self, row: int) -> MarkerView | None:
        return self._item_at(row)

    def row_of(self, marker_id: int) -> int | None:
        for row, marker in enumerate(self._items):
            if marker.id == marker_id:
                return row
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        marker = self.marker(index.row()) if index.isValid() else None
        if marker is None or not 0 <= index.column() < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(marker, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if not marker.editable:
                return read_only_reason(marker)
            return marker.label or None
        if role == Qt.ItemDataRole.ForegroundRole and not marker.editable:
            return QApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return marker.id
        return None

    @staticmethod
    def _text(marker: MarkerView, column: int) -> str:
        if column == 0:
            return kind_word(marker.kind)
        if column == 1:
            return format_timecode(marker.start_ms)
        if column == 2:
            return "" if marker.end_ms is None else format_timecode(marker.end_ms)
        if column == 3:
            return marker.label or ""
        return SOURCE_WORDS.get(marker.source, marker.source)


class MarkerPanel(QWidget):
    """The markers of the chosen file of the item (a combo when it has several)."""

    EMPTY_TEXT = "This item has no file, so there is nothing to mark."

    def __init__(
        self, context: AppContext, edits: CatalogEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.edits = edits
        self.dialog: MarkerDialog | None = None  # the open add/edit dialog, if any
        self._files: list[FileView] = []
        self._duration: int | None = None
        self._select_new: set[int] | None = None  # ids before an add: select the new one

        self.file_label = QLabel("File:")
        self.file_combo = QComboBox()
        self.file_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.file_combo.setMinimumContentsLength(12)
        self.file_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.strip = TimelineStrip()
        self.legend = QLabel(
            f"<span style='color:{CHAPTER_COLOURS[0]}'>&#9632;</span> Chapter"
            f"&nbsp;&nbsp;&nbsp;<span style='color:{AD_BREAK_COLOUR}'>&#9660;</span> Ad break"
            f"&nbsp;&nbsp;&nbsp;<span style='color:{CUE_COLOUR}'>&#9650;</span> Cue"
            "&nbsp;&nbsp;&nbsp;paler: from Plex or the file"
        )
        self.legend.setWordWrap(True)
        muted(self.legend)
        self.model = MarkerTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        for column in (0, 1, 2, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("Add…")
        self.add_button.setToolTip("Add a chapter, ad break or cue of your own")
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("Change the selected marker (Enter)")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected marker (Delete); Ctrl+Z brings it back")
        self.hint = plain_label()
        self.hint.setWordWrap(True)
        muted(self.hint)
        self.notice = plain_label()
        self.notice.setWordWrap(True)
        set_tone(self.notice, ERROR)
        self.notice.hide()
        self.empty = QLabel(self.EMPTY_TEXT)
        self.empty.setWordWrap(True)
        muted(self.empty)

        files = QHBoxLayout()
        files.addWidget(self.file_label)
        files.addWidget(self.file_combo, 1)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(files)
        layout.addWidget(self.strip)
        layout.addWidget(self.legend)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        layout.addWidget(self.notice)
        layout.addWidget(self.empty)
        layout.addStretch(0)

        self.add_button.clicked.connect(self.add_marker)
        self.edit_button.clicked.connect(self.edit_marker)
        self.delete_button.clicked.connect(self.delete_marker)
        self.table.doubleClicked.connect(lambda _i: self.edit_marker())
        for key, slot in (
            (Qt.Key.Key_Delete, self.delete_marker),
            (Qt.Key.Key_Return, self.edit_marker),
            (Qt.Key.Key_Enter, self.edit_marker),
        ):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.strip.marker_clicked.connect(self.select_marker)
        edits.markers_changed.connect(self._markers_changed)
        self.set_files([])

    # -- public --------------------------------------------------------------------------

    @property
    def media_file_id(self) -> int | None:
        data = self.file_combo.currentData()
        return int(data) if data is not None else None

    def set_files(self, files: Sequence[FileView]) -> None:
        """Show the markers of one of `files` (the one shown before if it is still
        there, else the first: the primary)."""
        current = self.media_file_id
        self._files = list(files)
        self.file_combo.blockSignals(True)
        self.file_combo.clear()
        for file in self._files:
            self.file_combo.addItem(f"{ROLE_NAMES.get(file.role, file.role)}: {file.name}", file.id)
            self.file_combo.setItemData(
                self.file_combo.count() - 1, file.path, Qt.ItemDataRole.ToolTipRole
            )
        at = self.file_combo.findData(current) if current is not None else -1
        self.file_combo.setCurrentIndex(max(at, 0) if self._files else -1)
        self.file_combo.blockSignals(False)
        several = len(self._files) > 1
        self.file_label.setVisible(several)
        self.file_combo.setVisible(several)
        has_file = bool(self._files)
        for widget in (self.strip, self.legend, self.table, self.add_button, self.edit_button,
                       self.delete_button, self.hint):  # fmt: skip
            widget.setVisible(has_file)
        self.empty.setVisible(not has_file)
        self.notice.hide()
        self.reload()

    @Slot()
    def reload(self) -> None:
        """Re-read the chosen file's markers and length, keeping the selection."""
        file_id = self.media_file_id
        keep = self.selected_marker()
        found: list[MarkerView] = []
        self._duration = None
        if file_id is not None:
            with self.context.sessions() as session:
                try:
                    found = marker_store.markers_of(session, file_id)
                    self._duration = marker_store.file_duration_ms(session, file_id)
                except OperatorError as exc:
                    self._show_notice(str(exc))
        self.model.set_markers(found)
        self.strip.set_markers(found, self._duration)
        wanted = keep.id if keep is not None else None
        if self._select_new is not None:
            new = [m.id for m in found if m.id not in self._select_new]
            wanted = new[0] if new else wanted
            self._select_new = None
        if wanted is not None and self.model.row_of(wanted) is not None:
            self.select_marker(wanted)
        self._selection_changed()

    def selected_marker(self) -> MarkerView | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.marker(index.row())

    @Slot(int)
    def select_marker(self, marker_id: int) -> None:
        row = self.model.row_of(marker_id)
        if row is None:
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    @Slot()
    def add_marker(self) -> MarkerDialog | None:
        """Open the add dialog (non-blocking); it saves through CatalogEdits."""
        file_id = self.media_file_id
        if file_id is None:
            return None

        def submit(kind: str, start: int, end: int | None, label: str | None) -> str | None:
            self._select_new = {m.id for m in self.model.markers()}
            refusal = self.edits.add_marker(file_id, kind, start, end, label)
            if refusal is not None:
                self._select_new = None
            return refusal

        return self._open(MarkerDialog(submit, self._duration, None, self))

    @Slot()
    def edit_marker(self) -> MarkerDialog | None:
        marker = self.selected_marker()
        if marker is None:
            return None
        if not marker.editable:
            self._show_notice(read_only_reason(marker))
            return None

        def submit(kind: str, start: int, end: int | None, label: str | None) -> str | None:
            return self.edits.update_marker(marker.id, kind, start, end, label)

        return self._open(MarkerDialog(submit, self._duration, marker, self))

    @Slot()
    def delete_marker(self) -> str | None:
        """Delete the selected manual marker; the refusal sentence when it cannot be."""
        marker = self.selected_marker()
        if marker is None:
            return None
        refusal = (
            self.edits.delete_marker(marker.id) if marker.editable else read_only_reason(marker)
        )
        if refusal is not None:
            self._show_notice(refusal)
        return refusal

    # -- internals -----------------------------------------------------------------------

    def _open(self, dialog: MarkerDialog) -> MarkerDialog:
        self.notice.hide()
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: MarkerDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _show_notice(self, sentence: str) -> None:
        self.notice.setText(sentence)
        self.notice.show()

    @Slot(int)
    def _markers_changed(self, media_file_id: int) -> None:
        if media_file_id == self.media_file_id:
            self.notice.hide()
            self.reload()

    def _selection_changed(self) -> None:
        marker = self.selected_marker()
        editable = marker is not None and marker.editable
        self.edit_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)
        self.strip.set_selected(marker.id if marker is not None else None)
        if marker is not None and not marker.editable:
            self.hint.setText(read_only_reason(marker))
        elif not self.model.rowCount():
            self.hint.setText("No markers yet. Add chapters, ad breaks and cues of your own.")
        else:
            self.hint.setText("")
        self.hint.setVisible(bool(self._files) and bool(self.hint.text()))
