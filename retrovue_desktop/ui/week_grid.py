"""The weekly schedule grid: seven day columns of blocks, edited with the mouse and the
keyboard like a calendar's week view. A pure view: it never changes the blocks itself.

Every edit is a signal; the owner applies it (database, undo stack) and calls
`set_blocks` with the result. An edit the grid can already tell would fail (an overlap,
a block of 24 hours) emits `refused(sentence)` instead, and nothing else.

Mouse
- Drag on an empty area: `create_requested(WeekBlock)` (id None, name ""). Both ends snap
  to the step; the shortest block is one step (5 minutes with snapping off); dragging into
  a later column runs the block past midnight. A click without a drag clears the selection.
- Click a block to select it; Ctrl/Shift+click adds or removes it; double-click opens it.
  (No rubber band: a drag on an empty area always creates; Ctrl+A selects everything.)
- Drag a block's body: it moves, with every other selected block; the column under the
  cursor picks the day. Drag its top or bottom edge: that block alone is resized.
- Hold Shift while dragging for 1-minute precision (no snapping); Esc cancels the drag.
- While dragging, a ghost shows where the block lands and when; it turns red, saying what
  it would overlap, and releasing there emits only `refused` and the block stays put.

Keyboard (on the selection)
- Up/Down: earlier/later by the snap step (5 minutes with snapping off); Left/Right: one day.
- Shift+Up/Down: end earlier/later by the step (the start stays).
- Delete/Backspace: `delete_requested`; Enter: `open_requested`; Ctrl+A: select all;
  Esc: clear the selection.
- Ctrl+C copies the selected blocks; Ctrl+V pastes them onto the day last clicked or
  hovered (times and the days between them kept): `copies_requested`.
- Ctrl+D (or a day header's menu): duplicate that day's blocks onto the days
  `choose_days(day)` returns (a dialog by default; tests replace it).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from PySide6.QtCore import (
    QAbstractAnimation,
    QDateTime,
    QEasingCurve,
    QEvent,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    Qt,
    QTimer,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGraphicsScene,
    QGraphicsView,
    QMenu,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.scheduling.errors import BlockConflict, ScheduleError
from retrovue_desktop.scheduling.week import (
    DAY_NAMES,
    DAYS,
    MINUTES_PER_DAY,
    WeekBlock,
    check_snap,
    describe_length,
    move,
    place,
    resize_bottom,
    resize_top,
    shift,
    snap,
)

from .style import grid_colours, plain_label
from .week_grid_items import (
    SHORT_DAY_NAMES,
    STRATEGY_WORDS,
    BlockFonts,
    BlockItem,
    DayHeader,
    GhostItem,
    NowItem,
    TimeAxis,
    conflict_look,
    look_for,
    time_range,
)

DEFAULT_PIXELS_PER_HOUR = 48.0
MIN_PIXELS_PER_HOUR = 20.0
MAX_PIXELS_PER_HOUR = 240.0
ZOOM_STEP = 1.25
MIN_COLUMN_WIDTH = 96.0
EDGE = 5.0  # pixels at a block's top/bottom that resize rather than move
DRAG_START = 4  # pixels the mouse travels before a press becomes a drag
UNSNAPPED_STEP = 5  # keyboard nudge and shortest new block with snapping off
MORNING = 6 * 60
NOW_REFRESH_MS = 30_000
AUTOSCROLL_ZONE = 24


@dataclass(frozen=True)
class GridBlock:
    """A block as the grid draws it: where it sits, how to colour it, what is wrong."""

    block: WeekBlock  # id is never None here
    strategy: str  # "auto" | "series" | "specific" | "collection"
    colour_key: str | None = None  # a tag "namespace:key" to colour by instead of strategy
    problem: str | None = None  # a sentence when the block's constraints are invalid


def local_now() -> tuple[int, int]:
    """(day of week with 0 = Sunday, minute of day) on this computer's clock."""
    moment = QDateTime.currentDateTime()
    time = moment.time()
    return moment.date().dayOfWeek() % DAYS, time.hour() * 60 + time.minute()


@dataclass
class _Press:
    """A left press on the viewport and, once the mouse travels, the drag it became."""

    kind: str  # "create" | "move" | "top" | "bottom" | "select"
    pos: QPoint
    column: int
    minute: int
    block_id: int | None = None
    dragged: tuple[int, ...] = ()
    toggle_off: bool = False
    active: bool = False
    preview: list[WeekBlock] = field(default_factory=list)
    error: str | None = None
    overlapped: list[WeekBlock] = field(default_factory=list)


class WeekGrid(QGraphicsView):
    """A channel's week as a calendar week view; see the module docstring for the gestures."""

    create_requested = Signal(object)  # WeekBlock with id None
    move_requested = Signal(object)  # list[WeekBlock]: same ids, new places
    delete_requested = Signal(object)  # list[int]
    copies_requested = Signal(object)  # list[tuple[int, WeekBlock]]: (source id, copy)
    open_requested = Signal(int)
    selection_changed = Signal(object)  # list[int]
    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.viewport().setMouseTracking(True)
        self.setAccessibleName("Week grid of schedule blocks")

        self._fonts = BlockFonts(self.font())
        self._blocks: list[GridBlock] = []
        self._by_id: dict[int, GridBlock] = {}
        self._items: dict[int, list[BlockItem]] = {}
        self._spans: dict[BlockItem, tuple[int, int, int]] = {}
        self._selection: set[int] = set()
        self._clipboard: list[int] = []
        self._snap: int | None = 15
        self._first_day = 0
        self._colour_mode = "strategy"
        self._read_only = False
        self._pixels_per_hour = DEFAULT_PIXELS_PER_HOUR
        self._column_width = MIN_COLUMN_WIDTH
        self._now_provider: Callable[[], tuple[int, int]] = local_now
        self._now = local_now()
        self._target_day: int | None = None
        self._press: _Press | None = None
        self._ghosts: list[GhostItem] = []
        self._shown_once = False
        self._last_drag_pos = QPoint()
        self._last_modifiers = Qt.KeyboardModifier.NoModifier
        self._snap_back: QVariantAnimation | None = None
        # Seam: which days to copy a day's blocks onto (None: cancelled).
        self.choose_days: Callable[[int], list[int] | None] = self._ask_days

        # Outside the viewport (in its margins), so they stay put while the grid scrolls.
        self.header = DayHeader(self, self)
        self.axis = TimeAxis(self, self)
        self.header.day_clicked.connect(self._day_clicked)
        self.header.day_menu_requested.connect(self._day_menu)
        self.horizontalScrollBar().valueChanged.connect(self.header.update)
        self.verticalScrollBar().valueChanged.connect(self.axis.update)
        self._now_item = NowItem()
        self._scene.addItem(self._now_item)

        self._now_timer = QTimer(self)
        self._now_timer.setInterval(NOW_REFRESH_MS)
        self._now_timer.timeout.connect(self.refresh_now)
        self._now_timer.start()
        self._autoscroll = QTimer(self)
        self._autoscroll.setInterval(30)
        self._autoscroll.timeout.connect(self._autoscroll_step)

        self.setViewportMargins(self.axis.sizeHint().width(), self.header.sizeHint().height(), 0, 0)
        self._relayout()

    # -- data in --------------------------------------------------------------------------

    def set_blocks(self, blocks: Sequence[GridBlock]) -> None:
        """Show `blocks` instead of the current ones; selected ids that remain stay selected."""
        self._end_drag()
        self._blocks = [g for g in blocks if g.block.id is not None]
        self._by_id = {g.block.id: g for g in self._blocks if g.block.id is not None}
        self._rebuild_items()
        self._set_selection(self._selection & self._by_id.keys(), force_looks=True)

    def blocks(self) -> list[GridBlock]:
        return list(self._blocks)

    def selected_ids(self) -> list[int]:
        return sorted(self._selection)

    def select_ids(self, ids: Iterable[int]) -> None:
        self._set_selection(set(ids))

    def set_snap(self, step: int | None) -> None:
        """Snap drags and nudges to 5, 15 or 30 minutes, or (None) not at all."""
        self._snap = check_snap(step)

    def snap_step(self) -> int | None:
        return self._snap

    def set_first_weekday(self, day: int) -> None:
        if day not in range(DAYS):
            raise ValueError(f"first weekday {day!r} is not 0 (Sunday) to 6 (Saturday)")
        self._first_day = day
        self._relayout()

    def first_weekday(self) -> int:
        return self._first_day

    def set_colour_mode(self, mode: str) -> None:
        """Colour blocks by "strategy" or by their "tag" (colour_key)."""
        if mode not in ("strategy", "tag"):
            raise ValueError(f"colour mode {mode!r} is not 'strategy' or 'tag'")
        if mode != self._colour_mode:
            self._colour_mode = mode
            self._rebuild_items()

    def set_now_provider(self, provider: Callable[[], tuple[int, int]]) -> None:
        """Where "now" is: (day of week, minute of day) in the channel's time zone."""
        self._now_provider = provider
        self.refresh_now()

    def set_read_only(self, read_only: bool) -> None:
        """Nothing to edit (no channel chosen): blocks can be selected and opened only."""
        self._read_only = read_only
        self._end_drag()
        self.resetCachedContent()
        self.viewport().update()

    def is_read_only(self) -> bool:
        return self._read_only

    # -- zoom and scroll ------------------------------------------------------------------

    def pixels_per_hour(self) -> float:
        return self._pixels_per_hour

    def set_pixels_per_hour(self, pixels: float, anchor: QPoint | None = None) -> None:
        """Zoom, keeping the minute at `anchor` (viewport y; default the middle) in place."""
        pixels = min(max(float(pixels), MIN_PIXELS_PER_HOUR), MAX_PIXELS_PER_HOUR)
        if pixels == self._pixels_per_hour:
            return
        at = anchor.y() if anchor is not None else self.viewport().height() // 2
        minute = (self.scroll_offset().y() + at) / self.pixels_per_minute()
        self._pixels_per_hour = pixels
        self._relayout()
        self.verticalScrollBar().setValue(round(minute * self.pixels_per_minute() - at))

    def zoom_in(self) -> None:
        self.set_pixels_per_hour(self._pixels_per_hour * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_pixels_per_hour(self._pixels_per_hour / ZOOM_STEP)

    def scroll_to_minute(self, minute: int) -> None:
        """Scroll so `minute` of the day is at the top of the view."""
        self.verticalScrollBar().setValue(round(minute * self.pixels_per_minute()))

    # -- geometry (also read by the header and the axis) ----------------------------------

    def pixels_per_minute(self) -> float:
        return self._pixels_per_hour / 60.0

    def column_width(self) -> float:
        return self._column_width

    def column_of_day(self, day: int) -> int:
        return (day - self._first_day) % DAYS

    def day_of_column(self, column: int) -> int:
        return (self._first_day + column) % DAYS

    def scroll_offset(self) -> QPoint:
        """The scene point at the viewport's top-left corner."""
        return self.mapToScene(QPoint(0, 0)).toPoint()

    def now(self) -> tuple[int, int]:
        return self._now

    def point_for(self, day: int, minute: int) -> QPoint:
        """The viewport point in the middle of `day`'s column at `minute` (may lie outside
        the viewport when that minute is scrolled away)."""
        x = self.column_of_day(day) * self._column_width + self._column_width / 2
        return self.mapFromScene(QPointF(x, minute * self.pixels_per_minute()))

    def position_at(self, pos: QPoint) -> tuple[int, int]:
        """(day, minute of day 0…1440) under a viewport point, clamped into the grid."""
        column, minute = self._grid_position(pos)
        return self.day_of_column(column), minute

    def block_rect(self, block_id: int) -> QRect:
        """The viewport rectangle of the block's first segment (empty if not shown)."""
        items = self._items.get(block_id)
        if not items:
            return QRect()
        return self.mapFromScene(items[0].scene_rect()).boundingRect()

    def block_items(self, block_id: int) -> list[BlockItem]:
        """The drawn segments of a block (two when it runs past midnight)."""
        return list(self._items.get(block_id, []))

    def segment_days(self, block_id: int) -> list[int]:
        """The day columns a block is drawn in, in segment order."""
        return [self._spans[item][0] for item in self._items.get(block_id, [])]

    def tooltip_at(self, pos: QPoint) -> str:
        """What hovering `pos` explains: a drag's refusal, or the block under it."""
        scene = self.mapToScene(pos)
        for ghost in self._ghosts:
            if ghost.isVisible() and ghost.message and ghost.scene_rect().contains(scene):
                return ghost.message
        item = self._item_at(pos)
        return self._describe(self._by_id[item.block_id]) if item is not None else ""

    def _grid_position(self, pos: QPoint) -> tuple[int, int]:
        scene = self.mapToScene(pos)
        column = min(max(math.floor(scene.x() / self._column_width), 0), DAYS - 1)
        minute = min(max(round(scene.y() / self.pixels_per_minute()), 0), MINUTES_PER_DAY)
        return column, minute

    def _segment_rect(self, day: int, start: int, end: int) -> QRectF:
        width, ppm = self._column_width, self.pixels_per_minute()
        left = round(self.column_of_day(day) * width)
        right = round((self.column_of_day(day) + 1) * width)
        gap = max(6, round(width * 0.06))
        top = round(start * ppm) + 1
        bottom = max(round(end * ppm) - 1, top + 4)
        return QRectF(left + 2, top, right - left - 2 - gap, bottom - top)

    def _relayout(self) -> None:
        """Fit the columns to the viewport's width and place everything again."""
        self._column_width = max(MIN_COLUMN_WIDTH, self.viewport().width() / DAYS)
        height = MINUTES_PER_DAY * self.pixels_per_minute()
        self._scene.setSceneRect(QRectF(0, 0, self._column_width * DAYS, height + 1))
        for item, (day, start, end) in self._spans.items():
            item.set_rect(self._segment_rect(day, start, end))
        self._place_now()
        self.resetCachedContent()
        self.viewport().update()
        self.header.update()
        self.axis.update()

    def _place_margins(self) -> None:
        area = self.viewport().geometry()
        axis, header = self.axis.sizeHint().width(), self.header.sizeHint().height()
        self.header.inset = axis
        self.header.setGeometry(
            area.left() - axis, area.top() - header, area.width() + axis, header
        )
        self.axis.setGeometry(area.left() - axis, area.top(), axis, area.height())

    # -- the "now" line -------------------------------------------------------------------

    def refresh_now(self) -> None:
        """Ask the provider where now is and move the line (every 30 s on a timer)."""
        previous = self._now
        self._now = self._now_provider()
        self._place_now()
        if previous[0] != self._now[0]:
            self.resetCachedContent()
            self.viewport().update()
        self.header.update()
        self.axis.update()

    def _place_now(self) -> None:
        day, minute = self._now
        left = self.column_of_day(day) * self._column_width
        self._now_item.set_line(left + 1, self._column_width - 2, minute * self.pixels_per_minute())

    # -- items ----------------------------------------------------------------------------

    def _rebuild_items(self) -> None:
        for items in self._items.values():
            for item in items:
                self._scene.removeItem(item)
        self._items.clear()
        self._spans.clear()
        for grid_block in self._blocks:
            block = grid_block.block
            assert block.id is not None
            look = look_for(grid_block.strategy, grid_block.colour_key, self._colour_mode)
            parts = [
                block.name or "Untitled block",
                time_range(block.start, block.length),
                self._kind_words(grid_block),
            ]
            segments = block.segments()
            items = []
            for index, span in enumerate(segments):
                item = BlockItem(
                    block.id,
                    index,
                    len(segments),
                    parts,
                    look,
                    self._fonts,
                    grid_block.problem is not None,
                )
                item.set_rect(self._segment_rect(*span))
                item.set_selected_look(block.id in self._selection)
                self._scene.addItem(item)
                self._spans[item] = span
                items.append(item)
            self._items[block.id] = items

    def _kind_words(self, grid_block: GridBlock) -> str:
        words = STRATEGY_WORDS.get(grid_block.strategy, grid_block.strategy)
        if self._colour_mode == "tag" and grid_block.colour_key:
            return f"{words} · {grid_block.colour_key}"
        return words

    def _describe(self, grid_block: GridBlock) -> str:
        block = grid_block.block
        lines = [
            block.name or "Untitled block",
            f"{DAY_NAMES[block.day_of_week]} {time_range(block.start, block.length)}"
            f" ({describe_length(block)})",
            f"Strategy: {STRATEGY_WORDS.get(grid_block.strategy, grid_block.strategy)}",
        ]
        if grid_block.colour_key:
            lines.append(f"Tag: {grid_block.colour_key}")
        if grid_block.problem:
            lines.append(f"Problem: {grid_block.problem}")
        return "\n".join(lines)

    def _item_at(self, pos: QPoint) -> BlockItem | None:
        scene = self.mapToScene(pos)
        for item in self.items(pos):
            if isinstance(item, BlockItem) and item.scene_rect().adjusted(0, -2, 0, 2).contains(
                scene
            ):
                return item
        return None

    def _zone(self, item: BlockItem, pos: QPoint) -> str:
        """ "top", "bottom" (resize handles) or "move" for a point on a block's segment."""
        rect = item.scene_rect()
        y = self.mapToScene(pos).y()
        edge = min(EDGE, rect.height() / 4)
        if item.is_first and y <= rect.top() + edge:
            return "top"
        if item.is_last and y >= rect.bottom() - edge:
            return "bottom"
        return "move"

    # -- selection ------------------------------------------------------------------------

    def _set_selection(self, ids: set[int], force_looks: bool = False) -> None:
        chosen = {i for i in ids if i in self._by_id}
        changed = chosen != self._selection
        touched = self._selection ^ chosen if not force_looks else set(self._items)
        self._selection = chosen
        for block_id in touched:
            for item in self._items.get(block_id, []):
                item.set_selected_look(block_id in chosen)
        if changed:
            self.selection_changed.emit(self.selected_ids())

    def _selected_blocks(self) -> list[WeekBlock]:
        chosen = [self._by_id[i].block for i in self._selection]
        return sorted(chosen, key=lambda b: (self.column_of_day(b.day_of_week), b.start))

    # -- checks before asking -------------------------------------------------------------

    def _refusal(self, changed: Sequence[WeekBlock]) -> tuple[str | None, list[WeekBlock]]:
        """Why `changed` (moved blocks with ids, or new ones without) cannot be placed
        among the others, with the blocks in the way; (None, []) when they fit."""
        moving = {b.id for b in changed if b.id is not None}
        placed = [g.block for g in self._blocks if g.block.id not in moving]
        for candidate in changed:
            try:
                placed.append(place(placed, candidate))
            except BlockConflict as conflict:
                return str(conflict), list(conflict.conflicts)
        return None, []

    def _ask_moves(self, moved: Sequence[WeekBlock]) -> None:
        error, _ = self._refusal(moved)
        if error:
            self.refused.emit(error)
        else:
            self.move_requested.emit(list(moved))

    def _ask_copies(self, copies: Sequence[tuple[int, WeekBlock]]) -> None:
        error, _ = self._refusal([copy for _, copy in copies])
        if error:
            self.refused.emit(error)
        elif copies:
            self.copies_requested.emit(list(copies))

    # -- mouse ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if event.button() != Qt.MouseButton.LeftButton:
            if event.button() == Qt.MouseButton.RightButton:
                item = self._item_at(pos)
                if item is not None and item.block_id not in self._selection:
                    self._set_selection({item.block_id})
            event.accept()
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self._stop_snap_back()
        column, minute = self._grid_position(pos)
        self._target_day = self.day_of_column(column)
        adding = bool(
            event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        )
        item = self._item_at(pos)
        if item is None:
            if not adding:
                self._set_selection(set())
            kind = "select" if self._read_only else "create"
            self._press = _Press(kind, pos, column, minute)
            event.accept()
            return
        block_id = item.block_id
        toggle_off = False
        if adding:
            if block_id in self._selection:
                toggle_off = True
            else:
                self._set_selection(self._selection | {block_id})
        elif block_id not in self._selection:
            self._set_selection({block_id})
        zone = self._zone(item, pos)
        kind = "select" if self._read_only else zone
        dragged = tuple(sorted(self._selection | {block_id})) if zone == "move" else (block_id,)
        self._press = _Press(kind, pos, column, minute, block_id, dragged, toggle_off)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        press = self._press
        if press is None:
            self._hover(pos)
            return
        if not press.active:
            if press.kind == "select" or (pos - press.pos).manhattanLength() < DRAG_START:
                return
            self._begin_drag(press)
        self._last_drag_pos = pos
        self._last_modifiers = event.modifiers()
        self._update_preview(press, pos, event.modifiers())
        self._check_autoscroll(pos)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press = self._press, None
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        if press.active:
            self._update_preview(press, pos, event.modifiers())
            self._finish_drag(press)
        elif press.block_id is not None:
            adding = bool(
                event.modifiers()
                & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
            )
            if press.toggle_off:
                self._set_selection(self._selection - {press.block_id})
            elif not adding:
                self._set_selection({press.block_id})
        self._hover(pos)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        item = self._item_at(event.position().toPoint())
        if item is not None:
            self._press = None
            self._set_selection({item.block_id})
            self.open_requested.emit(item.block_id)
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms around the cursor; the plain wheel scrolls."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.set_pixels_per_hour(
                    self._pixels_per_hour * ZOOM_STEP**steps, event.position().toPoint()
                )
            event.accept()
            return
        super().wheelEvent(event)

    def _hover(self, pos: QPoint) -> None:
        column, _ = self._grid_position(pos)
        if self.viewport().rect().contains(pos):
            self._target_day = self.day_of_column(column)
        item = self._item_at(pos)
        if item is None or self._read_only:
            self.viewport().unsetCursor()
        elif self._zone(item, pos) == "move":
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.viewport().setCursor(Qt.CursorShape.SizeVerCursor)

    # -- drags ----------------------------------------------------------------------------

    def is_dragging(self) -> bool:
        return self._press is not None and self._press.active

    def _begin_drag(self, press: _Press) -> None:
        press.active = True
        if press.kind == "move":
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        elif press.kind in ("top", "bottom"):
            self.viewport().setCursor(Qt.CursorShape.SizeVerCursor)
        for block_id in press.dragged:
            for item in self._items.get(block_id, []):
                item.setOpacity(0.35)

    def _preview_for(
        self, press: _Press, column: int, minute: int, step: int | None
    ) -> list[WeekBlock]:
        if press.kind == "create":
            ends = (
                press.column * MINUTES_PER_DAY + press.minute,
                column * MINUTES_PER_DAY + minute,
            )
            low, high = snap(min(ends), step), snap(max(ends), step)
            high = max(high, low + (step or UNSNAPPED_STEP))
            first, start = divmod(low, MINUTES_PER_DAY)
            if first >= DAYS:
                first, start = DAYS - 1, start + MINUTES_PER_DAY
            return [WeekBlock.create(self.day_of_column(first), start, high - low)]
        assert press.block_id is not None
        block = self._by_id[press.block_id].block
        days = column - press.column
        delta = days * MINUTES_PER_DAY + minute - press.minute
        if press.kind == "top":
            return [resize_top(block, delta, step)]
        if press.kind == "bottom":
            return [resize_bottom(block, delta, step)]
        target = move(
            block, (block.day_of_week + days) % DAYS, block.start + minute - press.minute, step
        )
        by = target.week_start - block.week_start
        return [shift(self._by_id[i].block, by) for i in press.dragged]

    def _update_preview(self, press: _Press, pos: QPoint, modifiers: Qt.KeyboardModifier) -> None:
        step = None if modifiers & Qt.KeyboardModifier.ShiftModifier else self._snap
        column, minute = self._grid_position(pos)
        try:
            press.preview = self._preview_for(press, column, minute, step)
        except ScheduleError as error:
            press.error, press.overlapped = str(error), []
            if not press.preview:
                press.preview = [self._by_id[i].block for i in press.dragged]
        else:
            press.error, press.overlapped = self._refusal(press.preview)
        self._show_ghosts(press)

    def _show_ghosts(self, press: _Press) -> None:
        spans = [(block, span) for block in press.preview for span in enumerate(block.segments())]
        while len(self._ghosts) < len(spans):
            ghost = GhostItem(self._fonts)
            self._scene.addItem(ghost)
            self._ghosts.append(ghost)
        if press.overlapped:
            names = ", ".join(
                f"“{b.name}”" if b.name else b.describe() for b in press.overlapped[:2]
            )
            note = f"Overlaps {names}" + (" and more" if len(press.overlapped) > 2 else "")
        else:
            note = press.error or ""
        for ghost, (block, (index, span)) in zip(self._ghosts, spans, strict=False):
            source = self._by_id.get(block.id) if block.id is not None else None
            look = (
                conflict_look()
                if press.error
                else look_for(source.strategy, source.colour_key, self._colour_mode)
                if source is not None
                else look_for("auto", None, "strategy")
            )
            title = block.name or ("New block" if block.id is None else "Untitled block")
            when = f"{SHORT_DAY_NAMES[block.day_of_week]} {time_range(block.start, block.length)}"
            parts = [title, when, note] if note else [title, when]
            last = len(block.segments()) - 1
            ghost.show_at(
                self._segment_rect(*span), look, parts, index == 0, index == last, press.error or ""
            )
        for ghost in self._ghosts[len(spans) :]:
            ghost.hide()

    def _finish_drag(self, press: _Press) -> None:
        preview, error = press.preview, press.error
        if error:
            self._restore_originals(press)
            self._animate_back(press)
            self.refused.emit(error)
            return
        self._end_drag(press)
        if press.kind == "create":
            if preview:
                self.create_requested.emit(preview[0])
            return
        originals = [self._by_id[b.id].block for b in preview if b.id in self._by_id]
        if preview and preview != originals:
            self.move_requested.emit(list(preview))

    def _restore_originals(self, press: _Press) -> None:
        for block_id in press.dragged:
            for item in self._items.get(block_id, []):
                item.setOpacity(1.0)
        self._autoscroll.stop()
        self.viewport().unsetCursor()

    def _end_drag(self, press: _Press | None = None) -> None:
        """Drop whatever drag is under way (Esc, new blocks, read-only) without asking."""
        press = press or self._press
        if press is not None:
            self._restore_originals(press)
        if press is self._press:
            self._press = None
        self._stop_snap_back()

    def _stop_snap_back(self) -> None:
        if self._snap_back is not None:
            self._snap_back.stop()
            self._snap_back = None
        for ghost in self._ghosts:
            ghost.hide()

    def _animate_back(self, press: _Press) -> None:
        """Slide a refused move's ghosts back onto the blocks, then hide them."""
        targets = [
            item.scene_rect()
            for block_id in press.dragged
            for item in self._items.get(block_id, [])
        ]
        ghosts = [g for g in self._ghosts if g.isVisible()]
        if press.kind == "create" or len(targets) != len(ghosts):
            self._stop_snap_back()
            return
        starts = [g.scene_rect() for g in ghosts]
        animation = QVariantAnimation(self)
        animation.setStartValue(0.0)
        animation.setEndValue(1.0)
        animation.setDuration(160)
        animation.setEasingCurve(QEasingCurve.Type.OutCubic)

        def step(value: object) -> None:
            t = float(value)  # type: ignore[arg-type]
            for ghost, start, end in zip(ghosts, starts, targets, strict=True):
                ghost.setPos(start.topLeft() + (end.topLeft() - start.topLeft()) * t)

        animation.valueChanged.connect(step)
        animation.finished.connect(self._stop_snap_back)
        self._snap_back = animation
        animation.start(QAbstractAnimation.DeletionPolicy.DeleteWhenStopped)

    def cancel_drag(self) -> None:
        """Esc during a drag: forget it; nothing is asked."""
        self._end_drag()

    def _check_autoscroll(self, pos: QPoint) -> None:
        height = self.viewport().height()
        if pos.y() < AUTOSCROLL_ZONE or pos.y() > height - AUTOSCROLL_ZONE:
            if not self._autoscroll.isActive():
                self._autoscroll.start()
        else:
            self._autoscroll.stop()

    def _autoscroll_step(self) -> None:
        press = self._press
        if press is None or not press.active:
            self._autoscroll.stop()
            return
        pos, height = self._last_drag_pos, self.viewport().height()
        bar = self.verticalScrollBar()
        if pos.y() < AUTOSCROLL_ZONE:
            bar.setValue(bar.value() - 10)
        elif pos.y() > height - AUTOSCROLL_ZONE:
            bar.setValue(bar.value() + 10)
        self._update_preview(press, pos, self._last_modifiers)

    # -- keyboard -------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, modifiers = event.key(), event.modifiers()
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        shift_held = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
        if key == Qt.Key.Key_Escape:
            if self.is_dragging():
                self.cancel_drag()
            else:
                self._set_selection(set())
        elif self.is_dragging():
            pass  # the mouse is busy: no other edit until it lets go
        elif event.matches(QKeySequence.StandardKey.SelectAll):
            self.select_all()
        elif event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
        elif ctrl and key == Qt.Key.Key_D:
            self.duplicate_current_day()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._selection:
            self.open_selection()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self._selection:
            self.delete_selection()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self._selection and not ctrl:
            sign = -1 if key == Qt.Key.Key_Up else 1
            if shift_held:
                self.resize_selection(sign * (self._snap or UNSNAPPED_STEP))
            else:
                self.nudge_selection(sign * (self._snap or UNSNAPPED_STEP))
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self._selection and not ctrl:
            self.nudge_selection(
                (-1 if key == Qt.Key.Key_Left else 1) * MINUTES_PER_DAY, snapped=False
            )
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.cancel_drag()
        super().focusOutEvent(event)

    # The keyboard's commands, also the schedule menu's (none while a drag is under way).

    def select_all(self) -> None:
        if not self.is_dragging():
            self._set_selection(set(self._by_id))

    def open_selection(self) -> None:
        """Ask to open the first selected block (Enter)."""
        if self._selection and not self.is_dragging():
            self.open_requested.emit(self._selected_blocks()[0].id or 0)

    def duplicate_current_day(self) -> None:
        """Duplicate the day last clicked or hovered (Ctrl+D) onto days the operator picks."""
        if not self.is_dragging():
            self.duplicate_day(self._current_day())

    def _current_day(self) -> int:
        """The day a paste or duplicate aims at: last clicked or hovered, else the
        first selected block's, else the first column."""
        if self._target_day is not None:
            return self._target_day
        chosen = self._selected_blocks()
        return chosen[0].day_of_week if chosen else self._first_day

    # -- edits asked of the owner ---------------------------------------------------------

    def nudge_selection(self, minutes: int, snapped: bool = True) -> None:
        """Move the selection by `minutes`; the earliest block snaps, the rest keep their
        distance to it."""
        chosen = self._selected_blocks()
        if not chosen or self._read_only:
            return
        lead = chosen[0]
        target = shift(lead, minutes, self._snap if snapped else None)
        by = target.week_start - lead.week_start
        self._ask_moves([shift(b, by) for b in chosen])

    def resize_selection(self, minutes: int) -> None:
        """Move the end of every selected block by `minutes` (snapped); starts stay."""
        if self._read_only or not self._selection:
            return
        try:
            resized = [resize_bottom(b, minutes, self._snap) for b in self._selected_blocks()]
        except ScheduleError as error:
            self.refused.emit(str(error))
            return
        self._ask_moves(resized)

    def delete_selection(self) -> None:
        if self._selection and not self._read_only:
            self.delete_requested.emit(self.selected_ids())

    def copy_selection(self) -> None:
        if self._selection:
            self._clipboard = self.selected_ids()

    def paste(self, day: int | None = None) -> None:
        """Copies of the copied blocks, the earliest on `day` (default: the day last
        clicked or hovered), the others the same days and times after it."""
        if self._read_only:
            return
        sources = [self._by_id[i].block for i in self._clipboard if i in self._by_id]
        if not sources:
            if self._clipboard:
                self.refused.emit("The copied blocks are gone: copy blocks again to paste them.")
            return
        target = self._current_day() if day is None else day
        anchor = min(sources, key=lambda b: self.column_of_day(b.day_of_week)).day_of_week
        offset = target - anchor
        copies = [
            (b.id or 0, move(replace(b, id=None), (b.day_of_week + offset) % DAYS, b.start))
            for b in sources
        ]
        self._ask_copies(copies)

    def duplicate_day(self, day: int) -> None:
        """Copy every block starting on `day` onto the days `choose_days` picks."""
        if self._read_only:
            return
        sources = sorted(
            (g.block for g in self._blocks if g.block.day_of_week == day), key=lambda b: b.start
        )
        if not sources:
            self.refused.emit(f"{DAY_NAMES[day]} has no blocks to duplicate.")
            return
        days = self.choose_days(day)
        if not days:
            return
        copies = [
            (b.id or 0, move(replace(b, id=None), target, b.start))
            for target in days
            if target != day
            for b in sources
        ]
        self._ask_copies(copies)

    def _ask_days(self, day: int) -> list[int] | None:
        """The default `choose_days`: a small dialog with a box per other day."""
        dialog = QDialog(self)
        dialog.setWindowTitle(f"Duplicate {DAY_NAMES[day]}")
        layout = QVBoxLayout(dialog)
        layout.addWidget(plain_label(f"Copy every block of {DAY_NAMES[day]} onto:"))
        boxes = []
        for column in range(DAYS):
            other = self.day_of_column(column)
            if other != day:
                box = QCheckBox(DAY_NAMES[other])
                layout.addWidget(box)
                boxes.append((other, box))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return [other for other, box in boxes if box.isChecked()] or None

    # -- menus and tooltips ---------------------------------------------------------------

    def context_menu_at(self, pos: QPoint) -> QMenu:
        """The menu for a right click at `pos` (viewport): the block's or the day's."""
        menu = QMenu(self)
        column, _ = self._grid_position(pos)
        day = self.day_of_column(column)
        self._target_day = day
        item = self._item_at(pos)
        editable = not self._read_only
        if item is not None:
            if item.block_id not in self._selection:
                self._set_selection({item.block_id})
            block_id = item.block_id
            menu.addAction("Open…").triggered.connect(lambda: self.open_requested.emit(block_id))
            menu.addAction("Copy").triggered.connect(self.copy_selection)
            count = len(self._selection)
            delete = menu.addAction("Delete" if count == 1 else f"Delete {count} blocks")
            delete.setEnabled(editable)
            delete.triggered.connect(self.delete_selection)
            menu.addSeparator()
        self._add_day_actions(menu, day)
        return menu

    def _add_day_actions(self, menu: QMenu, day: int) -> None:
        editable = not self._read_only
        paste = menu.addAction(f"Paste onto {DAY_NAMES[day]}")
        paste.setEnabled(editable and bool(self._clipboard))
        paste.triggered.connect(lambda: self.paste(day))
        duplicate = menu.addAction(f"Duplicate {DAY_NAMES[day]} onto…")
        duplicate.setEnabled(editable)
        duplicate.triggered.connect(lambda: self.duplicate_day(day))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.context_menu_at(event.pos()).exec(event.globalPos())

    def _day_clicked(self, day: int) -> None:
        self._target_day = day

    def day_menu(self, day: int) -> QMenu:
        """The menu of a day header: paste onto the day, duplicate it."""
        self._target_day = day
        menu = QMenu(self)
        self._add_day_actions(menu, day)
        return menu

    def _day_menu(self, day: int, global_pos: QPoint) -> None:
        self.day_menu(day).exec(global_pos)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                escaped = "<br>".join(html.escape(line) for line in text.splitlines())
                QToolTip.showText(event.globalPos(), f"<qt>{escaped}</qt>", self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    # -- painting and layout --------------------------------------------------------------

    def drawBackground(self, painter: QPainter, exposed: QRectF | QRect) -> None:
        """Day columns and hour lines (half hours lighter); today's column tinted."""
        rect = QRectF(exposed)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        colours = grid_colours(self.palette())
        painter.fillRect(rect, colours.read_only if self._read_only else colours.background)
        width, ppm = self._column_width, self.pixels_per_minute()
        if not self._read_only:
            today = self.column_of_day(self._now[0])
            left = round(today * width)
            painter.fillRect(
                QRectF(left, rect.top(), round((today + 1) * width) - left, rect.height()),
                colours.today_tint,
            )
        first = max(math.floor(rect.top() / (30 * ppm)), 0)
        last = min(math.ceil(rect.bottom() / (30 * ppm)), 48)
        for half in range(first, last + 1):
            y = round(half * 30 * ppm) + 0.5
            painter.setPen(colours.hour_line if half % 2 == 0 else colours.half_hour_line)
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
        painter.setPen(colours.column_line)
        for column in range(1, DAYS + 1):
            x = round(column * width) - 0.5
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_margins()
        self._relayout()

    def changeEvent(self, event: QEvent) -> None:
        """A switch between light and dark: the blocks take the new scheme's looks."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self.is_dragging():
            self._rebuild_items()
            self.resetCachedContent()
            self.viewport().update()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self._place_margins()
            self._relayout()
            self.refresh_now()
            self._scroll_to_start()

    def _scroll_to_start(self) -> None:
        """06:00 at the top, unless "now" would then be out of sight: then now, a third
        of the way down."""
        minute = self._now[1]
        visible = self.viewport().height() / self.pixels_per_minute()
        if MORNING <= minute <= MORNING + visible * 0.85:
            self.scroll_to_minute(MORNING)
        else:
            self.scroll_to_minute(max(0, round(minute - visible / 3)))
