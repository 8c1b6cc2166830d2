"""The week grid as the operator drives it: real mouse, wheel and key events on the
offscreen widget, checking what it asks for (its signals), what it refuses, and what it
draws. No database: the grid is a pure view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from retrovue_desktop.scheduling.errors import ScheduleError
from retrovue_desktop.scheduling.week import WeekBlock
from retrovue_desktop.ui.week_grid import DEFAULT_PIXELS_PER_HOUR, GridBlock, WeekGrid
from retrovue_desktop.ui.week_grid_items import NEUTRAL_LOOK, STRATEGY_LOOKS, GhostItem

LEFT = Qt.MouseButton.LeftButton
NO_MODS = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SUN, MON, TUE, WED, THU, FRI, SAT = range(7)
PROBLEM = "The collection “Westerns” no longer exists: choose another collection."
SITCOM = {day: day * 10 + 1 for day in range(MON, SAT)}  # ids 11, 21, … 51
NEWS, LATE, CARTOONS, OWLS, MATINEE = 12, 30, 60, 61, 70


def gb(
    block_id: int, day: int, start: int, length: int, name: str, strategy: str, **more: Any
) -> GridBlock:
    return GridBlock(WeekBlock(block_id, day, start, length, name), strategy, **more)


def sample_week() -> list[GridBlock]:
    """Weekday sitcoms 17:00-18:30, Monday news, Saturday cartoons, a late movie running
    past midnight, Saturday's 23:30-00:30 wrapping to Sunday and one invalid block."""
    blocks = [gb(SITCOM[d], d, 17 * 60, 90, "Sitcoms", "series") for d in SITCOM]
    blocks += [
        gb(NEWS, MON, 19 * 60, 30, "News", "specific", colour_key="genre:news"),
        gb(CARTOONS, SAT, 7 * 60, 240, "Cartoons", "series", colour_key="genre:cartoon"),
        gb(LATE, WED, 23 * 60, 150, "Late movie", "auto"),
        gb(OWLS, SAT, 23 * 60 + 30, 60, "Night owls", "auto"),
        gb(MATINEE, SUN, 10 * 60, 120, "Matinee", "collection", problem=PROBLEM),
    ]
    return blocks


class Recorder:
    """Every signal the grid sends, by name, in order."""

    NAMES = (
        "create_requested",
        "move_requested",
        "delete_requested",
        "copies_requested",
        "open_requested",
        "selection_changed",
        "refused",
    )

    def __init__(self, grid: WeekGrid) -> None:
        self.calls: list[tuple[str, Any]] = []
        for name in self.NAMES:
            getattr(grid, name).connect(lambda value, name=name: self.calls.append((name, value)))

    def of(self, name: str) -> list[Any]:
        return [value for called, value in self.calls if called == name]

    def edits(self) -> list[tuple[str, Any]]:
        return [call for call in self.calls if call[0] != "selection_changed"]

    def clear(self) -> None:
        self.calls.clear()


@pytest.fixture
def grid(qtbot: QtBot) -> WeekGrid:
    grid = WeekGrid()
    qtbot.addWidget(grid)
    grid.set_now_provider(lambda: (TUE, 12 * 60))
    grid.resize(1100, 800)
    grid.show()
    qtbot.waitExposed(grid)
    grid.set_blocks(sample_week())
    grid.scroll_to_minute(16 * 60)
    return grid


@pytest.fixture
def seen(grid: WeekGrid) -> Recorder:
    return Recorder(grid)


def move_to(grid: WeekGrid, pos: QPoint, modifiers: Qt.KeyboardModifier = NO_MODS) -> None:
    """A mouse move with the left button held and `modifiers` (QTest's mouseMove carries
    the button but no modifiers)."""
    viewport = grid.viewport()
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(pos),
        QPointF(viewport.mapToGlobal(pos)),
        Qt.MouseButton.NoButton,
        LEFT,
        modifiers,
    )
    QApplication.sendEvent(viewport, event)


def drag(
    qtbot: QtBot,
    grid: WeekGrid,
    start: QPoint,
    end: QPoint,
    modifiers: Qt.KeyboardModifier = NO_MODS,
    release: bool = True,
) -> None:
    """Press at `start`, move there in a few steps, release at `end`."""
    viewport = grid.viewport()
    qtbot.mousePress(viewport, LEFT, NO_MODS, start)
    for step in range(1, 5):
        point = start + (end - start) * (step / 4)
        if modifiers == NO_MODS:
            qtbot.mouseMove(viewport, point)
        else:
            move_to(grid, point, modifiers)
    if release:
        qtbot.mouseRelease(viewport, LEFT, modifiers, end)


def click(
    qtbot: QtBot, grid: WeekGrid, pos: QPoint, modifiers: Qt.KeyboardModifier = NO_MODS
) -> None:
    qtbot.mouseClick(grid.viewport(), LEFT, modifiers, pos, delay=300)


def centre(grid: WeekGrid, block_id: int) -> QPoint:
    return grid.block_rect(block_id).center()


# -- creating --------------------------------------------------------------------------


def test_dragging_on_an_empty_area_asks_for_a_snapped_block(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    drag(qtbot, grid, grid.point_for(THU, 20 * 60 + 4), grid.point_for(THU, 21 * 60 + 26))
    assert seen.edits() == [("create_requested", WeekBlock(None, THU, 20 * 60, 90, ""))]

    seen.clear()  # dragging upwards works the same
    drag(qtbot, grid, grid.point_for(FRI, 22 * 60), grid.point_for(FRI, 20 * 60 + 30))
    assert seen.of("create_requested") == [WeekBlock(None, FRI, 20 * 60 + 30, 90, "")]


def test_a_short_drag_creates_one_step_and_a_click_creates_nothing(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    drag(qtbot, grid, grid.point_for(THU, 20 * 60), grid.point_for(THU, 20 * 60 + 6))
    assert seen.of("create_requested") == [WeekBlock(None, THU, 20 * 60, 15, "")]

    grid.set_snap(30)
    seen.clear()
    drag(qtbot, grid, grid.point_for(THU, 20 * 60), grid.point_for(THU, 20 * 60 + 8))
    assert seen.of("create_requested") == [WeekBlock(None, THU, 20 * 60, 30, "")]

    grid.select_ids([SITCOM[MON]])
    seen.clear()
    click(qtbot, grid, grid.point_for(THU, 20 * 60))
    assert seen.edits() == []
    assert grid.selected_ids() == [] and seen.of("selection_changed") == [[]]


def test_creating_over_a_block_is_refused(qtbot: QtBot, grid: WeekGrid, seen: Recorder) -> None:
    drag(qtbot, grid, grid.point_for(MON, 16 * 60), grid.point_for(MON, 17 * 60 + 30))
    assert seen.of("create_requested") == []
    (sentence,) = seen.of("refused")
    assert "would overlap “Sitcoms”" in sentence


def test_dragging_into_the_next_column_creates_past_midnight(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    grid.scroll_to_minute(22 * 60)
    start = grid.point_for(THU, 23 * 60)
    viewport = grid.viewport()
    qtbot.mousePress(viewport, LEFT, NO_MODS, start)
    qtbot.mouseMove(viewport, grid.point_for(THU, 23 * 60 + 40))
    grid.scroll_to_minute(0)
    end = grid.point_for(FRI, 60)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, LEFT, NO_MODS, end)
    assert seen.of("create_requested") == [WeekBlock(None, THU, 23 * 60, 120, "")]


# -- moving and resizing ---------------------------------------------------------------


def test_dragging_a_block_to_another_day_moves_it(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    grab = centre(grid, SITCOM[MON])
    day, minute = grid.position_at(grab)
    assert day == MON
    drag(qtbot, grid, grab, grid.point_for(SAT, minute + 120))
    assert seen.edits() == [
        ("move_requested", [WeekBlock(SITCOM[MON], SAT, 19 * 60, 90, "Sitcoms")])
    ]
    assert grid.selected_ids() == [SITCOM[MON]]


def test_dragging_the_bottom_edge_resizes(qtbot: QtBot, grid: WeekGrid, seen: Recorder) -> None:
    rect = grid.block_rect(SITCOM[TUE])
    edge = QPoint(rect.center().x(), rect.bottom() - 1)
    qtbot.mouseMove(grid.viewport(), edge)
    assert grid.viewport().cursor().shape() == Qt.CursorShape.SizeVerCursor
    drag(qtbot, grid, edge, grid.point_for(TUE, 19 * 60 + 2))
    assert seen.edits() == [
        ("move_requested", [WeekBlock(SITCOM[TUE], TUE, 17 * 60, 120, "Sitcoms")])
    ]


def test_dragging_the_top_edge_moves_the_start_only(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    rect = grid.block_rect(SITCOM[WED])
    edge = QPoint(rect.center().x(), rect.top() + 1)
    drag(qtbot, grid, edge, grid.point_for(WED, 16 * 60 + 31))
    assert seen.of("move_requested") == [
        [WeekBlock(SITCOM[WED], WED, 16 * 60 + 30, 120, "Sitcoms")]
    ]


def test_shift_while_dragging_turns_snapping_off(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    grab = centre(grid, SITCOM[THU])
    target = grab + QPoint(0, 29)  # about 36 minutes at 48 px an hour
    moved_by = grid.position_at(target)[1] - grid.position_at(grab)[1]
    assert moved_by % 15
    drag(qtbot, grid, grab, target, modifiers=SHIFT)
    assert seen.of("move_requested") == [
        [WeekBlock(SITCOM[THU], THU, 17 * 60 + moved_by, 90, "Sitcoms")]
    ]

    seen.clear()  # the same drag without Shift lands on the quarter hour
    drag(qtbot, grid, grab, target)
    assert seen.of("move_requested") == [[WeekBlock(SITCOM[THU], THU, 17 * 60 + 30, 90, "Sitcoms")]]

    seen.clear()  # Shift pressed only by the time of the release counts too
    qtbot.mousePress(grid.viewport(), LEFT, NO_MODS, grab)
    qtbot.mouseMove(grid.viewport(), target)
    qtbot.mouseRelease(grid.viewport(), LEFT, SHIFT, target)
    assert seen.of("move_requested")[0][0].start == 17 * 60 + moved_by


def test_shift_drag_creates_to_the_minute(qtbot: QtBot, grid: WeekGrid, seen: Recorder) -> None:
    start, end = grid.point_for(THU, 20 * 60) + QPoint(0, 6), grid.point_for(THU, 21 * 60)
    first, last = grid.position_at(start)[1], grid.position_at(end)[1]
    assert first % 5
    drag(qtbot, grid, start, end, modifiers=SHIFT)
    assert seen.of("create_requested") == [WeekBlock(None, THU, first, last - first, "")]


def test_a_drop_onto_another_block_is_refused_and_the_block_stays(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    before = grid.block_rect(SITCOM[MON])
    grab = centre(grid, SITCOM[MON])
    minute = grid.position_at(grab)[1]
    drag(qtbot, grid, grab, grid.point_for(TUE, minute + 30), release=False)
    ghosts = [g for g in grid.scene().items() if isinstance(g, GhostItem) and g.isVisible()]
    assert len(ghosts) == 1 and "would overlap “Sitcoms”" in ghosts[0].message
    assert "would overlap" in grid.tooltip_at(grid.point_for(TUE, minute + 30))
    qtbot.mouseRelease(grid.viewport(), LEFT, NO_MODS, grid.point_for(TUE, minute + 30))
    assert seen.of("move_requested") == []
    (sentence,) = seen.of("refused")
    assert sentence.startswith("“Sitcoms” Tuesday 17:30-19:00 would overlap “Sitcoms” Tuesday")
    assert grid.block_rect(SITCOM[MON]) == before
    assert all(item.opacity() == 1.0 for item in grid.block_items(SITCOM[MON]))
    qtbot.waitUntil(lambda: not any(g.isVisible() for g in ghosts))


def test_escape_cancels_a_drag(qtbot: QtBot, grid: WeekGrid, seen: Recorder) -> None:
    grab = centre(grid, SITCOM[FRI])
    drag(qtbot, grid, grab, grab + QPoint(0, 60), release=False)
    assert grid.is_dragging()
    qtbot.keyClick(grid, Qt.Key.Key_Escape)
    assert not grid.is_dragging()
    qtbot.mouseRelease(grid.viewport(), LEFT, NO_MODS, grab + QPoint(0, 60))
    assert seen.edits() == []
    assert grid.selected_ids() == [SITCOM[FRI]]


def test_moving_a_selection_moves_every_selected_block(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    grid.select_ids([SITCOM[MON], NEWS])
    grab = centre(grid, NEWS)
    minute = grid.position_at(grab)[1]
    drag(qtbot, grid, grab, grid.point_for(MON, minute + 60))
    (moved,) = seen.of("move_requested")
    assert sorted(moved, key=lambda b: b.start) == [
        WeekBlock(SITCOM[MON], MON, 18 * 60, 90, "Sitcoms"),
        WeekBlock(NEWS, MON, 20 * 60, 30, "News"),
    ]


# -- past midnight ---------------------------------------------------------------------


def test_a_block_past_midnight_is_drawn_on_both_days(grid: WeekGrid) -> None:
    assert grid.segment_days(LATE) == [WED, THU]
    assert grid.segment_days(OWLS) == [SAT, SUN]
    width = grid.column_width()
    first, tail = grid.block_items(OWLS)
    assert first.scene_rect().left() >= 6 * width  # Saturday: the last column
    assert tail.scene_rect().left() < width  # its tail in Sunday's, the first
    assert tail.scene_rect().top() < 5
    grid.set_first_weekday(MON)
    first, tail = grid.block_items(OWLS)
    assert 5 * width <= first.scene_rect().left() < 6 * width
    assert tail.scene_rect().left() >= 6 * width  # Sunday now last
    late, late_tail = grid.block_items(LATE)
    assert late_tail.scene_rect().left() - late.scene_rect().left() == pytest.approx(width, abs=1)


def test_both_segments_select_and_drag_together(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    grid.scroll_to_minute(0)
    tail = grid.block_items(OWLS)[1]
    grab = grid.mapFromScene(tail.scene_rect().center())
    click(qtbot, grid, grab)
    assert grid.selected_ids() == [OWLS]
    assert all(item.shows_selected for item in grid.block_items(OWLS))
    minute = grid.position_at(grab)[1]
    drag(qtbot, grid, grab, grid.point_for(SUN, minute + 60))
    assert seen.of("move_requested") == [[WeekBlock(OWLS, SUN, 30, 60, "Night owls")]]


# -- keyboard --------------------------------------------------------------------------


def test_arrow_keys_nudge_and_resize_the_selection(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    grid.select_ids([SITCOM[MON]])
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    qtbot.keyClick(grid, Qt.Key.Key_Left)
    qtbot.keyClick(grid, Qt.Key.Key_Down, SHIFT)
    grid.set_snap(None)
    qtbot.keyClick(grid, Qt.Key.Key_Up)
    assert seen.of("move_requested") == [
        [WeekBlock(SITCOM[MON], MON, 17 * 60 + 15, 90, "Sitcoms")],
        [WeekBlock(SITCOM[MON], SUN, 17 * 60, 90, "Sitcoms")],
        [WeekBlock(SITCOM[MON], MON, 17 * 60, 105, "Sitcoms")],
        [WeekBlock(SITCOM[MON], MON, 16 * 60 + 55, 90, "Sitcoms")],
    ]


def test_a_nudge_into_another_block_is_refused(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    grid.select_ids([SITCOM[MON]])
    qtbot.keyClick(grid, Qt.Key.Key_Right)  # onto Tuesday's sitcoms
    grid.select_ids([NEWS])
    grid.set_snap(30)
    qtbot.keyClick(grid, Qt.Key.Key_Up, SHIFT)  # 0 minutes long
    assert seen.of("move_requested") == []
    overlap, too_short = seen.of("refused")
    assert "would overlap “Sitcoms” Tuesday 17:00-18:30" in overlap
    assert "at least one minute" in too_short


def test_delete_enter_and_double_click(qtbot: QtBot, grid: WeekGrid, seen: Recorder) -> None:
    grid.select_ids([SITCOM[MON], NEWS])
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    qtbot.keyClick(grid, Qt.Key.Key_Backspace)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    qtbot.mouseDClick(grid.viewport(), LEFT, NO_MODS, centre(grid, SITCOM[WED]))
    assert seen.edits() == [
        ("delete_requested", [SITCOM[MON], NEWS]),
        ("delete_requested", [SITCOM[MON], NEWS]),
        ("open_requested", SITCOM[MON]),
        ("open_requested", SITCOM[WED]),
    ]


def test_copy_and_paste_onto_the_day_last_clicked(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    grid.select_ids([SITCOM[MON], SITCOM[TUE]])
    qtbot.keyClick(grid, Qt.Key.Key_C, CTRL)
    click(qtbot, grid, grid.point_for(SAT, 21 * 60))  # an empty spot on Saturday
    qtbot.keyClick(grid, Qt.Key.Key_V, CTRL)
    assert seen.of("copies_requested") == [
        [
            (SITCOM[MON], WeekBlock(None, SAT, 17 * 60, 90, "Sitcoms")),
            (SITCOM[TUE], WeekBlock(None, SUN, 17 * 60, 90, "Sitcoms")),
        ]
    ]
    seen.clear()  # onto Thursday: Thursday and Friday have sitcoms already
    qtbot.mouseMove(grid.viewport(), grid.point_for(THU, 21 * 60))
    qtbot.keyClick(grid, Qt.Key.Key_V, CTRL)
    assert seen.of("copies_requested") == []
    assert "would overlap “Sitcoms” Thursday 17:00-18:30" in seen.of("refused")[0]


def test_duplicate_day_through_the_seam(qtbot: QtBot, grid: WeekGrid, seen: Recorder) -> None:
    asked: list[int] = []

    def choose(day: int) -> list[int] | None:
        asked.append(day)
        return [SUN]

    grid.choose_days = choose
    click(qtbot, grid, grid.point_for(WED, 21 * 60))
    qtbot.keyClick(grid, Qt.Key.Key_D, CTRL)
    assert asked == [WED]
    assert seen.of("copies_requested") == [
        [
            (SITCOM[WED], WeekBlock(None, SUN, 17 * 60, 90, "Sitcoms")),
            (LATE, WeekBlock(None, SUN, 23 * 60, 150, "Late movie")),
        ]
    ]
    seen.clear()  # onto Saturday the late movie would overlap the night owls
    grid.choose_days = lambda day: [FRI, SAT]
    grid.duplicate_day(WED)
    assert seen.of("copies_requested") == []
    assert "would overlap" in seen.of("refused")[0]
    seen.clear()  # cancelled: nothing
    grid.choose_days = lambda day: None
    grid.duplicate_day(WED)
    assert seen.edits() == []


def test_the_context_menu_deletes_and_duplicates(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    menu = grid.context_menu_at(centre(grid, NEWS))
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert {"Open…", "Copy", "Delete", "Duplicate Monday onto…"} <= actions.keys()
    assert grid.selected_ids() == [NEWS]
    actions["Delete"].trigger()
    assert seen.of("delete_requested") == [[NEWS]]


def test_a_day_header_picks_the_day_and_offers_to_duplicate_it(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    header = grid.header
    assert header.isVisible() and header.geometry().bottom() < grid.viewport().geometry().top()
    x = header.inset + round(grid.column_width() * 4.5)  # Thursday's name
    qtbot.mouseClick(header, LEFT, NO_MODS, QPoint(x, header.height() // 2))
    grid.select_ids([SITCOM[MON]])
    qtbot.keyClick(grid, Qt.Key.Key_C, CTRL)
    grid.scroll_to_minute(0)  # the header stays where it is
    assert header.geometry().bottom() < grid.viewport().geometry().top()
    qtbot.keyClick(grid, Qt.Key.Key_V, CTRL)  # onto Thursday, the day clicked: taken
    assert "Thursday 17:00-18:30" in seen.of("refused")[0]

    grid.choose_days = lambda day: [FRI]
    actions = {a.text(): a for a in grid.day_menu(SAT).actions()}
    actions["Duplicate Saturday onto…"].trigger()
    assert seen.of("copies_requested") == [
        [
            (CARTOONS, WeekBlock(None, FRI, 7 * 60, 240, "Cartoons")),
            (OWLS, WeekBlock(None, FRI, 23 * 60 + 30, 60, "Night owls")),
        ]
    ]
    actions["Paste onto Saturday"].trigger()
    assert seen.of("copies_requested")[-1] == [
        (SITCOM[MON], WeekBlock(None, SAT, 17 * 60, 90, "Sitcoms"))
    ]


def test_dragging_to_the_edge_scrolls(qtbot: QtBot, grid: WeekGrid, seen: Recorder) -> None:
    grid.scroll_to_minute(0)
    grab = grid.block_rect(CARTOONS).topLeft() + QPoint(20, 30)
    bottom = QPoint(grab.x(), grid.viewport().height() - 4)
    drag(qtbot, grid, grab, bottom, release=False)
    qtbot.waitUntil(lambda: grid.verticalScrollBar().value() > 100)
    qtbot.mouseRelease(grid.viewport(), LEFT, NO_MODS, bottom)
    (moved,) = seen.of("move_requested")
    assert moved[0].start > grid.position_at(bottom)[1] - 100 > 15 * 60


# -- selection -------------------------------------------------------------------------


def test_selecting_with_clicks_and_keys(qtbot: QtBot, grid: WeekGrid, seen: Recorder) -> None:
    click(qtbot, grid, centre(grid, SITCOM[MON]))
    click(qtbot, grid, centre(grid, SITCOM[TUE]), CTRL)
    click(qtbot, grid, centre(grid, SITCOM[WED]), SHIFT)
    assert grid.selected_ids() == [SITCOM[MON], SITCOM[TUE], SITCOM[WED]]
    click(qtbot, grid, centre(grid, SITCOM[TUE]), CTRL)
    assert grid.selected_ids() == [SITCOM[MON], SITCOM[WED]]
    click(qtbot, grid, centre(grid, NEWS))
    assert grid.selected_ids() == [NEWS]
    qtbot.keyClick(grid, Qt.Key.Key_A, CTRL)
    assert len(grid.selected_ids()) == len(sample_week())
    qtbot.keyClick(grid, Qt.Key.Key_Escape)
    assert grid.selected_ids() == []
    assert seen.of("selection_changed")[:3] == [
        [SITCOM[MON]],
        [SITCOM[MON], SITCOM[TUE]],
        [SITCOM[MON], SITCOM[TUE], SITCOM[WED]],
    ]
    assert seen.edits() == []


def test_new_blocks_keep_the_selection_of_ids_that_remain(grid: WeekGrid, seen: Recorder) -> None:
    grid.select_ids([SITCOM[MON], NEWS])
    seen.clear()
    grid.set_blocks([b for b in sample_week() if b.block.id != NEWS])
    assert grid.selected_ids() == [SITCOM[MON]]
    assert seen.of("selection_changed") == [[SITCOM[MON]]]
    assert all(item.shows_selected for item in grid.block_items(SITCOM[MON]))


# -- zoom, scroll, columns, now ---------------------------------------------------------


def wheel(grid: WeekGrid, pos: QPoint, clicks: int, modifiers: Qt.KeyboardModifier) -> None:
    viewport = grid.viewport()
    event = QWheelEvent(
        QPointF(pos),
        QPointF(viewport.mapToGlobal(pos)),
        QPoint(),
        QPoint(0, 120 * clicks),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, event)


def test_ctrl_wheel_zooms_around_the_cursor_and_the_wheel_scrolls(grid: WeekGrid) -> None:
    assert grid.pixels_per_hour() == DEFAULT_PIXELS_PER_HOUR
    at = grid.point_for(WED, 18 * 60)
    top = grid.verticalScrollBar().value()
    wheel(grid, at, 2, NO_MODS)
    assert grid.verticalScrollBar().value() < top
    assert grid.pixels_per_hour() == DEFAULT_PIXELS_PER_HOUR
    grid.scroll_to_minute(16 * 60)
    wheel(grid, at, 2, CTRL)
    assert grid.pixels_per_hour() == pytest.approx(DEFAULT_PIXELS_PER_HOUR * 1.25**2)
    assert grid.position_at(at) == (WED, 18 * 60)
    for _ in range(20):
        grid.zoom_in()
    assert grid.pixels_per_hour() == 240
    for _ in range(20):
        wheel(grid, at, -1, CTRL)
    assert grid.pixels_per_hour() == 20


def test_the_first_weekday_orders_the_columns(grid: WeekGrid) -> None:
    assert grid.point_for(SUN, 600).x() < grid.point_for(MON, 600).x()
    grid.set_first_weekday(MON)
    xs = [grid.point_for(day, 600).x() for day in (MON, TUE, WED, THU, FRI, SAT, SUN)]
    assert xs == sorted(xs)
    assert grid.block_rect(SITCOM[MON]).left() < grid.block_rect(SITCOM[TUE]).left()
    assert grid.position_at(QPoint(5, 300))[0] == MON
    with pytest.raises(ValueError):
        grid.set_first_weekday(7)


def test_snap_steps(grid: WeekGrid) -> None:
    assert grid.snap_step() == 15
    grid.set_snap(5)
    assert grid.snap_step() == 5
    with pytest.raises(ScheduleError):
        grid.set_snap(7)


def test_the_now_line_sits_in_todays_column(grid: WeekGrid) -> None:
    grid.set_now_provider(lambda: (THU, 18 * 60))
    now_items = [i for i in grid.scene().items() if type(i).__name__ == "NowItem"]
    (line,) = now_items
    width = grid.column_width()
    assert line.pos().x() == pytest.approx(4 * width + 1)
    assert line.pos().y() == pytest.approx(18 * 60 * grid.pixels_per_minute())
    assert grid._now_timer.interval() == 30_000 and grid._now_timer.isActive()


def test_first_show_scrolls_to_the_morning_or_to_now(qtbot: QtBot) -> None:
    for now, expect in (((MON, 9 * 60), 6 * 60), ((MON, 22 * 60), None)):
        grid = WeekGrid()
        qtbot.addWidget(grid)
        grid.set_now_provider(lambda now=now: now)
        grid.resize(900, 600)
        grid.show()
        qtbot.waitExposed(grid)
        top = grid.position_at(QPoint(10, 0))[1]
        if expect is not None:
            assert top == expect
        else:
            bottom = grid.position_at(QPoint(10, grid.viewport().height() - 1))[1]
            assert top < now[1] < bottom


def test_read_only_allows_selecting_but_no_edits(
    qtbot: QtBot, grid: WeekGrid, seen: Recorder
) -> None:
    grid.set_read_only(True)
    drag(qtbot, grid, grid.point_for(THU, 20 * 60), grid.point_for(THU, 21 * 60))
    grab = centre(grid, SITCOM[MON])
    drag(qtbot, grid, grab, grab + QPoint(0, 60))
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert [name for name, _ in seen.edits()] == []
    assert grid.selected_ids() == [SITCOM[MON]]


# -- looks -----------------------------------------------------------------------------


def test_an_invalid_block_is_marked_and_explains_itself(qtbot: QtBot, grid: WeekGrid) -> None:
    grid.scroll_to_minute(9 * 60)
    grid.viewport().grab()  # paints without error
    at = centre(grid, MATINEE)
    assert PROBLEM in grid.tooltip_at(at)
    assert "Strategy: Collection" in grid.tooltip_at(at)
    viewport = grid.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, at, viewport.mapToGlobal(at)))
    qtbot.waitUntil(lambda: "no longer exists" in QToolTip.text())
    assert grid.tooltip_at(grid.point_for(THU, 9 * 60)) == ""


def _colours(image: QImage) -> set[int]:
    return {
        image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
    }


def test_a_screenshot_of_a_busy_week_is_not_blank(grid: WeekGrid, tmp_path: Path) -> None:
    grid.select_ids([SITCOM[TUE]])
    grid.scroll_to_minute(15 * 60)
    path = tmp_path / "week.png"
    assert grid.grab().save(str(path))
    image = QImage(str(path))
    assert image.width() >= 1000 and image.height() >= 700
    colours = _colours(image)
    assert len(colours) > 150
    series = QColor(STRATEGY_LOOKS["series"].fill).rgb()
    assert series in colours

    grid.set_colour_mode("tag")
    tagged = _colours(grid.grab().toImage())
    assert series not in tagged  # untagged sitcoms turn neutral grey
    assert QColor(NEUTRAL_LOOK.fill).rgb() in tagged
    with pytest.raises(ValueError):
        grid.set_colour_mode("rainbow")


def test_zooming_repaints_blocks_whole(qtbot: QtBot, grid: WeekGrid) -> None:
    """Cached block pixmaps are dropped when a block changes size: Qt kept the stale
    pixels of a block partly out of view (a narrow copy drawn inside the new one)."""
    grid.resize(640, 500)
    grid.scroll_to_minute(6 * 60)
    grid.horizontalScrollBar().setValue(grid.horizontalScrollBar().maximum())
    grid.grab()
    grid.resize(1100, 800)
    grid.set_pixels_per_hour(240)
    grid.scroll_to_minute(7 * 60)
    image = grid.viewport().grab().toImage()
    rect = grid.block_rect(CARTOONS)
    fill = QColor(STRATEGY_LOOKS["series"].fill).rgb()
    y = max(rect.top(), 0) + 120
    row = {image.pixel(x, y) for x in range(rect.left() + 8, rect.right() - 8)}
    assert row == {fill}
