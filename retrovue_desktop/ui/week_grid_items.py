"""What the week grid paints: block and ghost items, the "now" line, the day header and
the time axis. These pieces only draw where the grid (week_grid.py) puts them; minutes,
snapping and overlaps are decided there and in scheduling/week.py.

Block items cache their text lines when their size changes and paint through a
device-coordinate cache, so a drag repaints a few pixmaps rather than every block's text.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from retrovue_desktop.scheduling.week import DAY_NAMES, MINUTES_PER_DAY

from .style import dark_block_colours, grid_colours, is_dark, mix

STRATEGY_WORDS = {
    "auto": "Auto",
    "series": "Series",
    "specific": "Specific items",
    "collection": "Collection",
}
SHORT_DAY_NAMES = tuple(name[:3] for name in DAY_NAMES)

# The canvas colours (background, hour lines, header text, now…) follow the palette:
# style.grid_colours().


@dataclass(frozen=True)
class Look:
    """A block's colours: a pale fill, a strong accent (left bar, outline) and text."""

    fill: QColor
    accent: QColor
    text: QColor

    @classmethod
    def of(cls, fill: str, accent: str, text: str) -> Look:
        return cls(QColor(fill), QColor(accent), QColor(text))

    def for_scheme(self) -> Look:
        """This look as painted now: itself on a light palette; on a dark one a deep fill
        of the same hue with light text."""
        if not is_dark():
            return self
        return Look(*dark_block_colours(self.accent))


# On a light palette; Look.for_scheme() gives the dark scheme's.
STRATEGY_LOOKS = {
    "auto": Look.of("#e3ecfd", "#3b6fd8", "#19397a"),
    "series": Look.of("#dcf2e4", "#2e9956", "#14512c"),
    "specific": Look.of("#fdebd2", "#dd8516", "#6a3c05"),
    "collection": Look.of("#ebe3fb", "#7b4cd5", "#3c216f"),
}
NEUTRAL_LOOK = Look.of("#eceff3", "#8a94a3", "#30363f")
CONFLICT_LOOK = Look.of("#fde3e1", "#d93025", "#8c1d18")


# Hues for tag colours: spread round the wheel, leaving out the reds that mean "refused".
TAG_HUES = (212, 176, 145, 100, 48, 30, 325, 292, 262, 236, 194, 120)


def tag_look(tag: str) -> Look:
    """A stable colour per tag text (crc32, not hash(): that changes every run)."""
    hue = TAG_HUES[zlib.crc32(tag.encode("utf-8")) % len(TAG_HUES)]
    return Look(
        QColor.fromHsl(hue, 170, 230), QColor.fromHsl(hue, 150, 105), QColor.fromHsl(hue, 160, 42)
    )


def look_for(strategy: str, colour_key: str | None, mode: str) -> Look:
    """A block's look for the colour mode, in the current light or dark scheme."""
    if mode == "tag":
        look = tag_look(colour_key) if colour_key else NEUTRAL_LOOK
    else:
        look = STRATEGY_LOOKS.get(strategy, NEUTRAL_LOOK)
    return look.for_scheme()


def conflict_look() -> Look:
    return CONFLICT_LOOK.for_scheme()


def clock(minute: int) -> str:
    """Minute of the day (1440 allowed) → "HH:MM", with 24:00 read as 00:00."""
    minute %= MINUTES_PER_DAY
    return f"{minute // 60:02d}:{minute % 60:02d}"


def time_range(start: int, length: int) -> str:
    """ "17:00-18:30", written with an en dash as calendars do."""
    return f"{clock(start)}\u2013{clock(start + length)}"


class BlockFonts:
    """The two faces of block text, with their metrics measured once."""

    def __init__(self, base: QFont) -> None:
        size = max(base.pointSizeF() - 1, 7.5) if base.pointSizeF() > 0 else 8.0
        self.name = QFont(base)
        self.name.setPointSizeF(size)
        self.name.setBold(True)
        self.detail = QFont(base)
        self.detail.setPointSizeF(size - 0.5)
        self.name_metrics = QFontMetricsF(self.name)
        self.detail_metrics = QFontMetricsF(self.detail)


@dataclass(frozen=True)
class TextLine:
    font: QFont
    text: str
    baseline: float
    x: float = 0.0


def layout_lines(
    fonts: BlockFonts, width: float, height: float, parts: Sequence[str]
) -> list[TextLine]:
    """`parts` (a bold title, then detail lines) elided into `width`; as many lines as
    fit `height`. Only one line fits: the title and the first detail side by side."""
    name_m, detail_m = fonts.name_metrics, fonts.detail_metrics
    # Lines are spaced by cap height: times and short words rarely descend, and a
    # 30-minute block at the default zoom then holds two lines.
    first = 1.5 + name_m.capHeight()
    step = detail_m.capHeight() + 3.5
    room = height - 0.5
    if width < 12 or first > room + 2 or not parts:
        return []
    title = parts[0]
    lines: list[TextLine] = []
    if len(parts) > 1 and first + step > room:
        detail = parts[1]
        detail_width = detail_m.horizontalAdvance(detail) + 6
        if detail_width * 2 < width:
            elided = name_m.elidedText(title, Qt.TextElideMode.ElideRight, width - detail_width)
            lines.append(TextLine(fonts.name, elided, first))
            x = name_m.horizontalAdvance(elided) + 6
            lines.append(TextLine(fonts.detail, detail, first, x))
            return lines
    lines.append(
        TextLine(fonts.name, name_m.elidedText(title, Qt.TextElideMode.ElideRight, width), first)
    )
    baseline = first
    for part in parts[1:]:
        baseline += step
        if baseline > room:
            break
        elided = detail_m.elidedText(part, Qt.TextElideMode.ElideRight, width)
        lines.append(TextLine(fonts.detail, elided, baseline))
    return lines


BAR = 3.0  # the accent bar on a block's left
PAD = 5.0  # text inset from the bar
RADIUS = 4.0


def block_path(rect: QRectF, round_top: bool, round_bottom: bool) -> QPainterPath:
    """A rounded rectangle whose corners are square where the block carries on past
    midnight (so its two segments read as one)."""
    path = QPainterPath()
    r = min(RADIUS, rect.height() / 2, rect.width() / 2)
    path.addRoundedRect(rect, r, r)
    if not (round_top and round_bottom):
        square = QPainterPath()
        half = rect.height() / 2
        if not round_top:
            square.addRect(QRectF(rect.left(), rect.top(), rect.width(), half))
        if not round_bottom:
            square.addRect(QRectF(rect.left(), rect.top() + half, rect.width(), half))
        path = path.united(square)
    return path


def paint_block(
    painter: QPainter,
    rect: QRectF,
    look: Look,
    lines: Sequence[TextLine],
    *,
    round_top: bool = True,
    round_bottom: bool = True,
    selected: bool = False,
    problem: bool = False,
    dashed: bool = False,
) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colours = grid_colours()
    path = block_path(rect, round_top, round_bottom)
    fill = mix(look.fill, look.accent, 0.22) if selected else look.fill
    painter.fillPath(path, fill)
    painter.save()
    painter.setClipPath(path)
    painter.fillRect(QRectF(rect.left(), rect.top(), BAR, rect.height()), look.accent)
    if problem:
        hatch = QColor(colours.problem)
        hatch.setAlpha(70)
        painter.fillPath(path, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        corner = min(12.0, rect.height(), rect.width() / 3)
        painter.setBrush(colours.problem)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(rect.right() - corner, rect.top()),
                    rect.topRight(),
                    QPointF(rect.right(), rect.top() + corner),
                ]
            )
        )
    painter.restore()
    if selected or dashed:
        pen = QPen(look.accent.darker(115) if selected else look.accent, 2 if selected else 1.5)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(block_path(rect.adjusted(0.5, 0.5, -0.5, -0.5), round_top, round_bottom))
    else:
        edge = QColor(look.accent)
        edge.setAlpha(60)
        painter.setPen(QPen(edge, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(block_path(rect.adjusted(0.5, 0.5, -0.5, -0.5), round_top, round_bottom))
    painter.setPen(look.text)
    x0 = rect.left() + BAR + PAD
    for line in lines:
        painter.setFont(line.font)
        painter.drawText(QPointF(x0 + line.x, rect.top() + line.baseline), line.text)
    if selected:
        painter.setPen(QPen(look.accent.darker(115), 1.5))
        painter.setBrush(colours.background)
        middle = rect.center().x()
        if round_top:
            painter.drawEllipse(QPointF(middle, rect.top()), 3.5, 3.5)
        if round_bottom:
            painter.drawEllipse(QPointF(middle, rect.bottom()), 3.5, 3.5)


class BlockItem(QGraphicsItem):
    """One day's segment of a block (a block past midnight has two)."""

    Z = 1.0

    def __init__(
        self,
        block_id: int,
        segment: int,
        segments: int,
        parts: Sequence[str],
        look: Look,
        fonts: BlockFonts,
        problem: bool,
    ) -> None:
        super().__init__()
        self.block_id = block_id
        self.segment = segment
        self.is_first = segment == 0
        self.is_last = segment == segments - 1
        self._parts = tuple(parts)
        self._look = look
        self._fonts = fonts
        self._problem = problem
        self._selected = False
        self._rect = QRectF()
        self._lines: list[TextLine] | None = None
        self.setZValue(self.Z)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_rect(self, rect: QRectF) -> None:
        """Place the segment at `rect` (scene coordinates) and lay its text out again."""
        size = rect.size()
        if size != self._rect.size():
            self.prepareGeometryChange()
            self._rect = QRectF(QPointF(0, 0), size)
            self._lines = None  # laid out at the next paint: only blocks in view pay
            # Drop the cached pixmap: Qt keeps the old one's pixels when the item is only
            # partly in view and its size changes (zoom), leaving stale halves on screen.
            # Setting the mode again purges it.
            self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.update()
        self.setPos(rect.topLeft())

    def set_selected_look(self, selected: bool) -> None:
        if selected != self._selected:
            self._selected = selected
            self.update()

    @property
    def shows_selected(self) -> bool:
        return self._selected

    def scene_rect(self) -> QRectF:
        return self._rect.translated(self.pos())

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -5, 2, 5)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self._lines is None:
            width = self._rect.width() - BAR - PAD - 3
            self._lines = layout_lines(self._fonts, width, self._rect.height(), self._parts)
        paint_block(
            painter,
            self._rect,
            self._look,
            self._lines,
            round_top=self.is_first,
            round_bottom=self.is_last,
            selected=self._selected,
            problem=self._problem,
        )


class GhostItem(QGraphicsItem):
    """Where a dragged block would land, with its time; red with the reason when the
    grid would refuse it."""

    Z = 20.0

    def __init__(self, fonts: BlockFonts) -> None:
        super().__init__()
        self._fonts = fonts
        self._rect = QRectF()
        self._look = NEUTRAL_LOOK
        self._parts: tuple[str, ...] = ()
        self._lines: list[TextLine] = []
        self._round = (True, True)
        self.message = ""
        self.setZValue(self.Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def show_at(
        self,
        rect: QRectF,
        look: Look,
        parts: Sequence[str],
        round_top: bool,
        round_bottom: bool,
        message: str,
    ) -> None:
        self.prepareGeometryChange()
        self.setPos(rect.topLeft())
        size_changed = rect.size() != self._rect.size()
        self._rect = QRectF(QPointF(0, 0), rect.size())
        if size_changed or tuple(parts) != self._parts:
            self._parts = tuple(parts)
            width = rect.width() - BAR - PAD - 3
            self._lines = layout_lines(self._fonts, width, rect.height(), self._parts)
        self._look = look
        self._round = (round_top, round_bottom)
        self.message = message  # the grid's tooltip over the ghost
        self.show()
        self.update()

    def scene_rect(self) -> QRectF:
        return self._rect.translated(self.pos())

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 4, 5)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        shadow = QColor(0, 0, 0, 28)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(shadow)
        painter.drawRoundedRect(self._rect.translated(1.5, 2.5), RADIUS, RADIUS)
        paint_block(
            painter,
            self._rect,
            self._look,
            self._lines,
            round_top=self._round[0],
            round_bottom=self._round[1],
            dashed=True,
        )


class NowItem(QGraphicsItem):
    """A red line at the current minute across today's column, with a dot at its left."""

    Z = 10.0
    DOT = 5.0

    def __init__(self) -> None:
        super().__init__()
        self._width = 0.0
        self.setZValue(self.Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_line(self, left: float, width: float, y: float) -> None:
        if width != self._width:
            self.prepareGeometryChange()
            self._width = width
        self.setPos(left, y)

    def boundingRect(self) -> QRectF:
        return QRectF(
            -self.DOT - 1, -self.DOT - 1, self._width + 2 * self.DOT + 2, 2 * self.DOT + 2
        )

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        now = grid_colours().now
        painter.setPen(QPen(now, 2))
        painter.drawLine(QPointF(0, 0), QPointF(self._width, 0))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(now)
        painter.drawEllipse(QPointF(0, 0), self.DOT, self.DOT)


class GridMetrics(Protocol):
    """What the header and the axis need to know of the grid to line up with it."""

    def column_width(self) -> float: ...

    def day_of_column(self, column: int) -> int: ...

    def pixels_per_minute(self) -> float: ...

    def scroll_offset(self) -> QPoint: ...

    def now(self) -> tuple[int, int]: ...


class DayHeader(QWidget):
    """The day names above the columns; follows the grid's horizontal scroll. A right
    click on a day asks for its menu (duplicate the day)."""

    day_clicked = Signal(int)
    day_menu_requested = Signal(int, QPoint)

    def __init__(self, grid: GridMetrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = grid
        self.inset = 0  # the header also covers the corner above the time axis

    def sizeHint(self) -> QSize:
        return QSize(600, self.fontMetrics().height() * 2 + 8)

    def column_at(self, x: float) -> int | None:
        if x < self.inset:
            return None
        shifted = x - self.inset + self._grid.scroll_offset().x()
        column = int(shifted // self._grid.column_width())
        return column if 0 <= column < 7 else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        column = self.column_at(event.position().x())
        if column is not None and event.button() == Qt.MouseButton.LeftButton:
            self.day_clicked.emit(self._grid.day_of_column(column))
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        column = self.column_at(event.pos().x())
        if column is not None:
            self.day_menu_requested.emit(self._grid.day_of_column(column), event.globalPos())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        colours = grid_colours(self.palette())
        painter.fillRect(self.rect(), colours.background)
        width = self._grid.column_width()
        offset = self._grid.scroll_offset().x()
        today = self._grid.now()[0]
        plain = QFont(self.font())
        bold = QFont(plain)
        bold.setBold(True)
        height = self.height()
        painter.setClipRect(self.inset, 0, self.width() - self.inset, height)
        for column in range(7):
            day = self._grid.day_of_column(column)
            left = self.inset + column * width - offset
            cell = QRectF(left, 0, width, height - 1)
            name = DAY_NAMES[day] if width >= 96 else SHORT_DAY_NAMES[day]
            painter.setFont(bold if day == today else plain)
            painter.setPen(colours.today_text if day == today else colours.header_text)
            painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, name)
            if day == today:
                painter.fillRect(
                    QRectF(left + width * 0.3, height - 3, width * 0.4, 2), colours.today_text
                )
            painter.setPen(colours.column_line)
            painter.drawLine(QPointF(left + 0.5, height - 10), QPointF(left + 0.5, height))
        painter.setClipping(False)
        painter.setPen(colours.hour_line)
        painter.drawLine(0, height - 1, self.width(), height - 1)
        painter.end()


class TimeAxis(QWidget):
    """Hour labels left of the grid; follows the grid's vertical scroll and zoom."""

    def __init__(self, grid: GridMetrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = grid

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("00:00") + 18, 400)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        colours = grid_colours(self.palette())
        painter.fillRect(self.rect(), colours.background)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7.5))
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        ppm = self._grid.pixels_per_minute()
        offset = self._grid.scroll_offset().y()
        right = self.width() - 8
        painter.setPen(colours.header_text)
        half = metrics.capHeight() / 2
        now_y = self._grid.now()[1] * ppm - offset
        for hour in range(24):
            y = hour * 60 * ppm - offset
            if 0 <= y < self.height() + 20 and abs(y - now_y) > metrics.height():
                text = f"{hour:02d}:00"
                x = right - metrics.horizontalAdvance(text)
                # The label sits on its line, except at the very top where it would be cut.
                painter.drawText(QPointF(x, max(y + half, metrics.capHeight() + 3)), text)
        minute = self._grid.now()[1]
        y = now_y
        if 0 <= y <= self.height():
            text = clock(minute)
            pill = QRectF(0, 0, metrics.horizontalAdvance(text) + 8, metrics.height() + 2)
            pill.moveCenter(QPointF(self.width() - 4 - pill.width() / 2, y))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colours.now)
            painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
            painter.setPen(colours.now_text)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        painter.setPen(colours.column_line)
        painter.drawLine(self.width() - 1, 0, self.width() - 1, self.height())
        painter.end()
