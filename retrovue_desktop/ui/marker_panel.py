"""Chapters, ad breaks and cues of one of the item's files: a list, a timeline strip, and
add / edit / delete for the operator's own markers.

Plex's markers and a file's own chapters are rewritten by every sync or rescan, so they
are shown greyed and cannot be changed here (the store refuses too). Every change goes
through CatalogEdits, so Ctrl+Z undoes it; the panel re-reads when `markers_changed`
names its file, which is how undo and redo show up here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QHelpEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.store import markers as marker_store
from retrovue_desktop.store.item_detail import ROLE_NAMES, FileView
from retrovue_desktop.store.markers import MarkerView, format_timecode, parse_timecode

from .context import AppContext
from .edits import CatalogEdits

Index = QModelIndex | QPersistentModelIndex
# submit(kind, start_ms, end_ms, label) -> None when saved, else the refusal sentence.
Submit = Callable[[str, int, int | None, str | None], str | None]

KIND_WORDS = {"chapter": "Chapter", "ad_break": "Ad break", "cue": "Cue"}
SOURCE_WORDS = {"detected": "Plex", "file": "File", "manual": "Manual"}
# Why a source's markers are read-only: what rewrites them.
REWRITTEN_BY = {"detected": "the next Plex sync", "file": "the next folder rescan"}
CHAPTER_COLOURS = ("#4f7fd1", "#86a9e6")  # alternating, so neighbours stay apart
AD_BREAK_COLOUR = "#e8590c"
CUE_COLOUR = "#2f9e44"
ERROR_STYLE = "color: #b3261e;"


def plain_label(text: str = "") -> QLabel:
    """A label that never reads its text as HTML: titles and paths come from outside."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def muted(widget: QWidget) -> None:
    """Secondary text: the widget's text colour at two thirds, readable on any theme
    (a disabled label is too faint, and says "disabled" to screen readers)."""
    palette = widget.palette()
    colour = QColor(palette.color(QPalette.ColorRole.WindowText))
    colour.setAlphaF(0.65)
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    widget.setPalette(palette)


def kind_word(kind: str) -> str:
    return KIND_WORDS.get(kind, kind)


def read_only_reason(marker: MarkerView) -> str:
    """Why the operator cannot change this marker, and what to do instead."""
    kind = marker_store.KIND_NAMES.get(marker.kind, "marker")
    by = marker_store.SOURCE_NAMES.get(marker.source, marker.source)
    again = REWRITTEN_BY.get(marker.source, "the next sync")
    return (
        f"This {kind} comes from {by} and is read-only: {again} rewrites it."
        " Add a marker of your own instead."
    )


class MarkerTableModel(QAbstractTableModel):
    """The file's markers in time order; read-only ones greyed, with the reason as tip."""

    COLUMNS = ("Kind", "Start", "End", "Label", "Source")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._markers: list[MarkerView] = []

    def set_markers(self, markers: Sequence[MarkerView]) -> None:
        self.beginResetModel()
        self._markers = list(markers)
        self.endResetModel()

    def markers(self) -> list[MarkerView]:
        return list(self._markers)

    def marker(self, row: int) -> MarkerView | None:
        return self._markers[row] if 0 <= row < len(self._markers) else None

    def row_of(self, marker_id: int) -> int | None:
        for row, marker in enumerate(self._markers):
            if marker.id == marker_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._markers)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
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


class TimelineStrip(QWidget):
    """The file as a bar: chapters as segments, ad breaks (above) and cues (below) as
    pointers, the selected marker outlined. A click on one selects it."""

    marker_clicked = Signal(int)

    PAD = 8  # room left and right, so pointers at 0 and at the end stay whole
    BAR_TOP, BAR_HEIGHT = 13, 24
    HIT = 6  # pixels either side of a pointer that still hit it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._markers: list[MarkerView] = []
        self._duration: int | None = None
        self._selected: int | None = None
        self.setMouseTracking(False)
        self.setToolTip("")
        self.setAccessibleName("Timeline of the file's markers")

    def sizeHint(self) -> QSize:
        return QSize(300, self.BAR_TOP + self.BAR_HEIGHT + 13 + self.fontMetrics().height() + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.sizeHint().height())

    def set_markers(self, markers: Sequence[MarkerView], duration_ms: int | None) -> None:
        self._markers = list(markers)
        self._duration = duration_ms
        self.update()

    def set_selected(self, marker_id: int | None) -> None:
        self._selected = marker_id
        self.update()

    # -- geometry ------------------------------------------------------------------------

    def span_ms(self) -> int:
        """The time the bar stands for: the file's length, or (unknown) a little past
        the last marker."""
        if self._duration:
            return self._duration
        last = max((m.end_ms or m.start_ms for m in self._markers), default=0)
        return max(int(last * 1.05), 1)

    def x_of(self, ms: int) -> float:
        width = max(self.width() - 2 * self.PAD, 1)
        return self.PAD + width * min(max(ms, 0), self.span_ms()) / self.span_ms()

    def _chapter_end(self, index: int, chapters: Sequence[MarkerView]) -> int:
        chapter = chapters[index]
        if chapter.end_ms is not None:
            return chapter.end_ms
        return chapters[index + 1].start_ms if index + 1 < len(chapters) else self.span_ms()

    def marker_at(self, x: float) -> MarkerView | None:
        """The pointer nearest `x` (within HIT pixels), else the chapter under it."""
        points = [m for m in self._markers if m.kind != "chapter"]
        near = [(abs(self.x_of(m.start_ms) - x), m) for m in points]
        near = [(d, m) for d, m in near if d <= self.HIT]
        if near:
            return min(near, key=lambda pair: pair[0])[1]
        chapters = [m for m in self._markers if m.kind == "chapter"]
        for i, chapter in enumerate(chapters):
            if self.x_of(chapter.start_ms) <= x < self.x_of(self._chapter_end(i, chapters)):
                return chapter
        return None

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        highlight = palette.color(QPalette.ColorRole.Highlight)
        top, height = self.BAR_TOP, self.BAR_HEIGHT
        left, right = self.x_of(0), self.x_of(self.span_ms())
        bar = QRectF(left, top, right - left, height)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(bar, 3, 3)

        chapters = [m for m in self._markers if m.kind == "chapter"]
        selected_rect: QRectF | None = None
        for i, chapter in enumerate(chapters):
            x0, x1 = self.x_of(chapter.start_ms), self.x_of(self._chapter_end(i, chapters))
            rect = QRectF(x0, top + 1, max(x1 - x0, 1.5), height - 2)
            colour = QColor(CHAPTER_COLOURS[i % 2])
            if not chapter.editable:
                colour.setAlpha(170)
            painter.fillRect(rect, colour)
            if i:  # a hairline where one chapter meets the next
                painter.fillRect(
                    QRectF(x0, top + 1, 1, height - 2), palette.color(QPalette.ColorRole.Base)
                )
            if chapter.id == self._selected:
                selected_rect = rect

        for marker in self._markers:
            if marker.kind == "ad_break" and marker.end_ms is not None:
                x0, x1 = self.x_of(marker.start_ms), self.x_of(marker.end_ms)
                band = QColor(AD_BREAK_COLOUR)
                band.setAlpha(110)
                painter.fillRect(QRectF(x0, top + 1, max(x1 - x0, 1.5), height - 2), band)
        for marker in self._markers:
            if marker.kind != "chapter":
                self._pointer(painter, marker, highlight)

        if selected_rect is not None:
            painter.setPen(QPen(highlight, 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(selected_rect.adjusted(-1, -2, 1, 2))
        self._scale(painter, palette)
        painter.end()

    def _pointer(self, painter: QPainter, marker: MarkerView, highlight: QColor) -> None:
        """An ad break is a triangle above the bar pointing down, a cue one below
        pointing up, each with a line through the bar; the selected one is bigger."""
        x = self.x_of(marker.start_ms)
        top, bottom = self.BAR_TOP, self.BAR_TOP + self.BAR_HEIGHT
        chosen = marker.id == self._selected
        size = 7.0 if chosen else 5.0
        colour = QColor(AD_BREAK_COLOUR if marker.kind == "ad_break" else CUE_COLOUR)
        if not marker.editable:
            colour = colour.lighter(125)
        painter.setPen(QPen(highlight if chosen else colour, 2.5 if chosen else 1.5))
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        if marker.kind == "ad_break":
            tip, base = top, top - size * 1.6
        else:
            tip, base = bottom, bottom + size * 1.6
        triangle = QPolygonF([QPointF(x, tip), QPointF(x - size, base), QPointF(x + size, base)])
        painter.setPen(QPen(highlight, 2) if chosen else Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(colour))
        painter.drawPolygon(triangle)

    def _scale(self, painter: QPainter, palette: QPalette) -> None:
        """The start and the length under the bar, small and grey."""
        font = painter.font()
        font.setPointSizeF(max(font.pointSizeF() * 0.85, 6.0))
        painter.setFont(font)
        muted_text = QColor(palette.color(QPalette.ColorRole.WindowText))
        muted_text.setAlphaF(0.65)
        painter.setPen(muted_text)
        y = self.BAR_TOP + self.BAR_HEIGHT + 12
        rect = QRectF(self.PAD, y, self.width() - 2 * self.PAD, self.height() - y)
        flags = Qt.AlignmentFlag.AlignTop
        painter.drawText(rect, flags | Qt.AlignmentFlag.AlignLeft, "0:00:00")
        end = format_timecode(self._duration)[:-4] if self._duration else "length unknown"
        painter.drawText(rect, flags | Qt.AlignmentFlag.AlignRight, end)

    # -- mouse ---------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        marker = self.marker_at(event.position().x())
        if marker is not None and event.button() == Qt.MouseButton.LeftButton:
            self.marker_clicked.emit(marker.id)
            event.accept()
            return
        super().mousePressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            marker = self.marker_at(event.pos().x())
            if marker is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), marker_summary(marker), self)
            return True
        return super().event(event)


def marker_summary(marker: MarkerView) -> str:
    """'Ad break 0:10:00.000-0:12:00.000 "Break 1" (Plex)' for tooltips."""
    times = format_timecode(marker.start_ms)
    if marker.end_ms is not None:
        times += "\N{EN DASH}" + format_timecode(marker.end_ms)
    label = f" \N{LEFT DOUBLE QUOTATION MARK}{marker.label}\N{RIGHT DOUBLE QUOTATION MARK}"
    source = SOURCE_WORDS.get(marker.source, marker.source)
    return f"{kind_word(marker.kind)} {times}{label if marker.label else ''} ({source})"


class MarkerDialog(QDialog):
    """Kind, start, end and label of a manual marker. A refused input (unreadable time,
    end before start, past the end of the file) keeps the dialog open with the sentence
    in it; nothing is written until the input is accepted."""

    def __init__(
        self,
        submit: Submit,
        duration_ms: int | None,
        marker: MarkerView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.submit = submit
        self.setWindowTitle("Edit marker" if marker else "Add marker")
        self.kind = QComboBox()
        for kind in marker_store.KIND_NAMES:
            self.kind.addItem(kind_word(kind), kind)
        self.start = QLineEdit()
        self.start.setPlaceholderText("h:mm:ss.mmm, such as 0:12:30.000")
        self.end = QLineEdit()
        self.label = QLineEdit()
        self.label.setMaxLength(marker_store.LABEL_MAX)
        self.label.setPlaceholderText("optional, such as “Act 2”")
        length = "unknown" if duration_ms is None else format_timecode(duration_ms)
        self.length = QLabel(f"The file is {length} long.")
        muted(self.length)
        self.error = plain_label()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save" if marker else "Add")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Kind:", self.kind)
        form.addRow("Start:", self.start)
        form.addRow("End:", self.end)
        form.addRow("Label:", self.label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.length)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)

        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        if marker is not None:
            self.kind.setCurrentIndex(max(self.kind.findData(marker.kind), 0))
            self.start.setText(format_timecode(marker.start_ms))
            if marker.end_ms is not None:
                self.end.setText(format_timecode(marker.end_ms))
            self.label.setText(marker.label or "")
        self._kind_changed()

    def _kind_changed(self) -> None:
        cue = self.kind.currentData() == "cue"
        self.end.setPlaceholderText("optional for a cue" if cue else "h:mm:ss.mmm")

    def values(self) -> tuple[str, int, int | None, str | None]:
        """(kind, start_ms, end_ms, label) as typed; an OperatorError says what is wrong."""
        kind = str(self.kind.currentData())
        if not self.start.text().strip():
            raise OperatorError("Give the start time, such as 0:12:30.000.")
        start = parse_timecode(self.start.text())
        end: int | None = None
        if self.end.text().strip():
            end = parse_timecode(self.end.text())
        elif kind != "cue":
            raise OperatorError(
                f"A{'n' if kind == 'ad_break' else ''} {marker_store.KIND_NAMES.get(kind, kind)}"
                " needs an end time too; only a cue may be a single moment."
            )
        return kind, start, end, self.label.text().strip() or None

    def try_submit(self) -> str | None:
        """Check and save; None when saved, else the sentence (also shown)."""
        try:
            refusal = self.submit(*self.values())
        except OperatorError as exc:
            refusal = str(exc)
        self.error.setText(refusal or "")
        self.error.setVisible(refusal is not None)
        return refusal

    def accept(self) -> None:
        if self.try_submit() is None:
            super().accept()


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
            "&nbsp;&nbsp;&nbsp;<span style='color:gray'>paler: from Plex or the file</span>"
        )
        self.legend.setWordWrap(True)
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
        self.notice.setStyleSheet(ERROR_STYLE)
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
