"""The rundown's timeline: the day drawn as one horizontal strip, kept apart from the
panel because painting and hit-testing are a concern of their own.

From top to bottom: the block windows as named bands, the log's rows (programmes in
blue, ads, promos and bumpers in their own colours, a thin mark where each break
starts), unfilled time hatched red, and the hours underneath. The strip spans the hours
the day's blocks and rows use (the whole day when there are none); a click on a row
selects it in the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

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

from retrovue_desktop.scheduling import clock
from retrovue_desktop.scheduling.programme_log import Rundown, RundownRow

from .rundown_model import KIND_WORDS, clock_text
from .style import ERROR, band_colours, tone

KIND_COLOURS = {
    "program": ("#3f6fc4", "#6d93d8"),  # alternating, so programmes next to each other part
    "ad": ("#e8590c", "#e8590c"),
    "promo": ("#9c36b5", "#9c36b5"),
    "bumper": ("#2f9e44", "#2f9e44"),
}
OTHER_COLOUR = "#868e96"
UNFILLED_COLOUR = "#e03131"  # mid red: its hatching shows on a light and a dark track
HOUR = 3600


@dataclass(frozen=True)
class _Span:
    lo: int
    hi: int


class RundownTimeline(QWidget):
    """Set the day with `set_rundown`; `row_clicked` says which row was clicked."""

    row_clicked = Signal(int)

    PAD = 10
    BAND_TOP, BAND_HEIGHT = 2, 18
    ROW_TOP, ROW_HEIGHT = 26, 26
    SCALE_TOP = 58
    MIN_WIDTH = 2.0  # an ad of a few seconds still shows

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rundown: Rundown | None = None
        self._tz: ZoneInfo = ZoneInfo("UTC")
        self._span = _Span(0, 24 * HOUR)
        self._selected: set[int] = set()
        self.setAccessibleName("Timeline of the day")
        self.setSizePolicy(self.sizePolicy().horizontalPolicy(), self.sizePolicy().Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(600, self.SCALE_TOP + self.fontMetrics().height() + 6)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def set_rundown(self, rundown: Rundown | None, tz: ZoneInfo) -> None:
        self._rundown = rundown
        self._tz = tz
        self._span = self._span_of(rundown)
        self.update()

    def set_selected(self, ids: set[int]) -> None:
        self._selected = set(ids)
        self.update()

    # -- geometry --------------------------------------------------------------------------

    @staticmethod
    def _span_of(rundown: Rundown | None) -> _Span:
        """Whole hours around what the day uses; the whole day when it uses nothing."""
        if rundown is None:
            return _Span(0, 24 * HOUR)
        starts = [w.starts_at for w in rundown.windows] + [r.starts_at for r in rundown.rows]
        starts += [rundown.starts_at for _ in rundown.earlier[:1]]
        ends = [w.ends_at for w in rundown.windows] + [r.ends_at for r in rundown.rows]
        if not starts:
            return _Span(rundown.starts_at, rundown.ends_at)
        base = rundown.starts_at
        lo = base + (min(starts) - base) // HOUR * HOUR
        hi = base + -(-(max(ends) - base) // HOUR) * HOUR
        return _Span(max(lo, base), max(hi, lo + HOUR))

    def span(self) -> tuple[int, int]:
        return self._span.lo, self._span.hi

    def x_of(self, instant: int) -> float:
        lo, hi = self._span.lo, self._span.hi
        width = max(self.width() - 2 * self.PAD, 1)
        return self.PAD + width * (min(max(instant, lo), hi) - lo) / max(hi - lo, 1)

    def _row_rect(self, row: RundownRow) -> QRectF:
        x0, x1 = self.x_of(row.starts_at), self.x_of(row.ends_at)
        return QRectF(x0, self.ROW_TOP, max(x1 - x0, self.MIN_WIDTH), self.ROW_HEIGHT)

    def row_at(self, x: float, y: float) -> RundownRow | None:
        """The live row under the point (the nearest within 3 px: ads are thin)."""
        if self._rundown is None or not self.ROW_TOP - 4 <= y <= self.ROW_TOP + self.ROW_HEIGHT + 4:
            return None
        best: tuple[float, RundownRow] | None = None
        for row in self._rundown.rows:
            if row.canceled:
                continue
            rect = self._row_rect(row)
            distance = (
                0.0
                if rect.left() <= x <= rect.right()
                else min(abs(x - rect.left()), abs(x - rect.right()))
            )
            if distance <= 3 and (best is None or distance < best[0]
                                  or (distance == best[0] and rect.width() < 4)):  # fmt: skip
                best = (distance, row)
        return best[1] if best else None

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        left, right = self.x_of(self._span.lo), self.x_of(self._span.hi)
        track = QRectF(left, self.ROW_TOP, right - left, self.ROW_HEIGHT)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRect(track)
        rundown = self._rundown
        if rundown is not None:
            self._bands(painter, rundown)
            self._unfilled(painter, rundown)
            self._rows(painter, rundown)
            self._break_marks(painter, rundown)
            self._selection(painter, rundown, palette)
        self._scale(painter, palette)
        painter.end()

    def _bands(self, painter: QPainter, rundown: Rundown) -> None:
        font = painter.font()
        font.setPointSizeF(max(font.pointSizeF() * 0.85, 6.0))
        painter.setFont(font)
        *fills, edge, text = band_colours(self.palette())
        for i, window in enumerate(rundown.windows):
            x0, x1 = self.x_of(window.starts_at), self.x_of(window.ends_at)
            band = QRectF(x0, self.BAND_TOP, max(x1 - x0, 1.0), self.BAND_HEIGHT)
            painter.fillRect(band, fills[i % 2])
            painter.fillRect(QRectF(x0, self.BAND_TOP, 1.5, self.BAND_HEIGHT), edge)
            painter.setPen(text)
            label = painter.fontMetrics().elidedText(
                window.name, Qt.TextElideMode.ElideRight, int(band.width()) - 6
            )
            if band.width() > 24:
                painter.drawText(
                    band.adjusted(4, 0, -2, 0),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    label,
                )

    def _unfilled(self, painter: QPainter, rundown: Rundown) -> None:
        brush = QBrush(QColor(UNFILLED_COLOUR), Qt.BrushStyle.BDiagPattern)
        tint = QColor(UNFILLED_COLOUR)
        tint.setAlpha(40)
        for window in rundown.windows:
            for a, b in window.gaps:
                x0, x1 = self.x_of(a), self.x_of(b)
                rect = QRectF(x0, self.ROW_TOP + 1, max(x1 - x0, 1.0), self.ROW_HEIGHT - 2)
                painter.fillRect(rect, tint)
                painter.fillRect(rect, brush)

    def _rows(self, painter: QPainter, rundown: Rundown) -> None:
        for row in rundown.earlier:  # the day before's, faded: listed on that day
            shades = KIND_COLOURS.get(row.kind, (OTHER_COLOUR, OTHER_COLOUR))
            colour = QColor(shades[0])
            colour.setAlphaF(0.4)
            painter.fillRect(self._row_rect(row).adjusted(0, 1, 0, -1), colour)
        programme_number = 0
        painter.setPen(Qt.PenStyle.NoPen)
        for row in rundown.rows:
            if row.canceled:
                continue
            if row.kind == "program" and row.programme_id == row.id:
                programme_number += 1
            shades = KIND_COLOURS.get(row.kind, (OTHER_COLOUR, OTHER_COLOUR))
            colour = QColor(shades[programme_number % 2 if row.kind == "program" else 0])
            if row.status == "planned":
                colour = colour.lighter(112)
            rect = self._row_rect(row).adjusted(0, 1, 0, -1)
            painter.fillRect(rect, colour)
            if row.problem is not None:
                painter.setPen(QPen(tone(ERROR, self.palette()), 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(1, 1, -1, -1))
                painter.setPen(Qt.PenStyle.NoPen)

    def _break_marks(self, painter: QPainter, rundown: Rundown) -> None:
        """A small downward triangle over the start of each break."""
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(KIND_COLOURS["ad"][0]))
        for row in rundown.rows:
            if row.break_seq == 1 and not row.canceled:
                x = self.x_of(row.starts_at)
                top = self.ROW_TOP - 1
                painter.drawPolygon(
                    QPolygonF([QPointF(x, top), QPointF(x - 4, top - 5), QPointF(x + 4, top - 5)])
                )

    def _selection(self, painter: QPainter, rundown: Rundown, palette: QPalette) -> None:
        highlight = palette.color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(highlight, 2.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for row in rundown.rows:
            if row.id in self._selected and not row.canceled:
                painter.drawRect(self._row_rect(row).adjusted(-1, -2, 1, 2))

    def _scale(self, painter: QPainter, palette: QPalette) -> None:
        """Hour ticks and local hour labels, as many as fit."""
        font = painter.font()
        painter.setFont(font)
        muted = QColor(palette.color(QPalette.ColorRole.WindowText))
        muted.setAlphaF(0.65)
        lo, hi = self._span.lo, self._span.hi
        hours = max((hi - lo) // HOUR, 1)
        label_width = painter.fontMetrics().horizontalAdvance("00:00") + 14
        room = max(self.width() - 2 * self.PAD, 1)
        step = 1
        for candidate in (1, 2, 3, 4, 6, 12):
            step = candidate
            if room / hours * candidate >= label_width:
                break
        y = self.ROW_TOP + self.ROW_HEIGHT
        for n in range(hours + 1):
            instant = lo + n * HOUR
            x = self.x_of(instant)
            painter.setPen(QPen(muted, 1))
            tall = n % step == 0
            painter.drawLine(QPointF(x, y), QPointF(x, y + (5 if tall else 2)))
            if tall:
                text = clock.local_parts(instant, self._tz)[1][:5]
                if self._rundown is not None and instant == self._rundown.ends_at:
                    text = "24:00"
                width = painter.fontMetrics().horizontalAdvance(text)
                tx = min(max(x - width / 2, 0), self.width() - width)
                painter.drawText(QPointF(tx, self.SCALE_TOP + painter.fontMetrics().ascent()), text)

    # -- mouse -----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        row = self.row_at(event.position().x(), event.position().y())
        if row is not None and event.button() == Qt.MouseButton.LeftButton:
            self.row_clicked.emit(row.id)
            event.accept()
            return
        super().mousePressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row = self.row_at(event.pos().x(), event.pos().y())
            if row is None:
                QToolTip.hideText()
            else:
                kind = KIND_WORDS.get(row.kind, row.kind)
                QToolTip.showText(
                    event.globalPos(),
                    f"{row.local_start[:5]} {row.title}\n{kind}, {clock_text(row.seconds)}",
                    self,
                )
            return True
        return super().event(event)
