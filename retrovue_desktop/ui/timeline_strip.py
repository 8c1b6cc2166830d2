"""The timeline strip of the marker panel: a file's markers painted as a bar, kept apart
from the panel because painting and hit-testing are a concern of their own."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QToolTip, QWidget

from retrovue_desktop.store.markers import MarkerView, format_timecode

from .marker_words import SOURCE_WORDS, kind_word

CHAPTER_COLOURS = ("#4f7fd1", "#86a9e6")  # alternating, so neighbours stay apart
AD_BREAK_COLOUR = "#e8590c"
CUE_COLOUR = "#2f9e44"


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
