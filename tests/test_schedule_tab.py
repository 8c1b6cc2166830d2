"""The Schedule tab end to end: real mouse events on the grid, the real database and
the window's undo stack. The block editor is answered through the tab's `run_editor`
seam (its own tests drive the dialog)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from retrovue_desktop.scheduling.blocks import BlockValues, create_blocks, list_blocks
from retrovue_desktop.store.channels import ChannelValues, create_channel
from retrovue_desktop.store.tables import BLOCKS as BL
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.edits import CatalogEdits
from retrovue_desktop.ui.schedule_tab import ScheduleTab
from tests.test_week_grid import centre, drag

MON, TUE, WED, SAT, SUN = 1, 2, 3, 6, 0
SERIES = '{"show_ids":[1],"version":1}'


def saved(context: AppContext, channel: int) -> dict[str, tuple[int, str, str, str]]:
    with context.sessions() as s:
        return {
            b.row.values.name: (
                b.row.values.day_of_week,
                b.row.values.start_time[:5],
                b.row.values.end_time[:5],
                b.row.values.strategy,
            )
            for b in list_blocks(s, channel)
        }


@pytest.fixture
def channel(app_context: AppContext) -> int:
    with app_context.sessions.begin() as s:
        channel = create_channel(
            s, ChannelValues(name="Retro", number="3", max_rating_code="TV-PG")
        )
        create_blocks(
            s,
            channel,
            [
                BlockValues("Sitcoms", MON, "17:00", "18:30", "series", SERIES),
                BlockValues("News", MON, "19:00", "19:30", "auto"),
                BlockValues("Late movie", WED, "23:00", "01:30", "auto"),
                BlockValues("Night owls", SAT, "23:30", "00:30", "auto"),
            ],
        )
    return channel


@pytest.fixture
def tab(qtbot: QtBot, app_context: AppContext, edits: CatalogEdits, channel: int) -> ScheduleTab:
    widget = ScheduleTab(app_context, edits)
    qtbot.addWidget(widget)
    widget.resize(1300, 820)
    widget.show()
    qtbot.waitExposed(widget)
    widget.channels.select_channel(channel)
    widget.grid.set_snap(15)
    widget.grid.set_first_weekday(SUN)
    widget.grid.scroll_to_minute(16 * 60)
    return widget


def block_id(tab: ScheduleTab, name: str) -> int:
    return next(i for i, b in tab._listed.items() if b.row.values.name == name)


def test_the_tab_shows_the_channel_and_its_blocks(tab: ScheduleTab, channel: int) -> None:
    assert tab.heading.text() == "3 · Retro"
    assert sorted(b.block.name for b in tab.grid.blocks()) == [
        "Late movie", "News", "Night owls", "Sitcoms",
    ]  # fmt: skip
    assert tab.grid.segment_days(block_id(tab, "Night owls")) == [SAT, SUN]
    assert tab.channels.list.item(0).text().endswith("4 blocks")


def test_drag_to_create_then_undo_and_redo(
    qtbot: QtBot, tab: ScheduleTab, edits: CatalogEdits, app_context: AppContext, channel: int
) -> None:
    asked: list[tuple[BlockValues, int | None]] = []

    def editor(values: BlockValues, block: int | None) -> BlockValues:
        asked.append((values, block))
        return BlockValues(
            "Cartoons", values.day_of_week, values.start_time, values.end_time, "auto"
        )

    tab.run_editor = editor
    grid = tab.grid
    drag(qtbot, grid, grid.point_for(TUE, 16 * 60 + 2), grid.point_for(TUE, 17 * 60 + 58))
    assert asked[0] == (BlockValues("", TUE, "16:00:00", "18:00:00", "auto"), None)
    assert saved(app_context, channel)["Cartoons"] == (TUE, "16:00", "18:00", "auto")
    made = block_id(tab, "Cartoons")
    assert made in {b.block.id for b in grid.blocks()}
    edits.stack.undo()
    assert "Cartoons" not in saved(app_context, channel)
    assert made not in {b.block.id for b in grid.blocks()}
    edits.stack.redo()
    assert block_id(tab, "Cartoons") == made  # back under the same id


def test_drag_a_block_to_another_day_and_resize_it(
    qtbot: QtBot, tab: ScheduleTab, edits: CatalogEdits, app_context: AppContext, channel: int
) -> None:
    grid = tab.grid
    sitcoms = block_id(tab, "Sitcoms")
    start = centre(grid, sitcoms)
    end = start + (grid.point_for(TUE, 17 * 60) - grid.point_for(MON, 17 * 60))
    drag(qtbot, grid, start, end)
    assert saved(app_context, channel)["Sitcoms"] == (TUE, "17:00", "18:30", "series")
    rect = grid.block_rect(sitcoms)
    bottom = rect.center().x(), rect.bottom() - 1
    from PySide6.QtCore import QPoint

    drag(qtbot, grid, QPoint(*bottom), QPoint(bottom[0], grid.point_for(TUE, 19 * 60).y()))
    assert saved(app_context, channel)["Sitcoms"] == (TUE, "17:00", "19:00", "series")
    edits.stack.undo()
    edits.stack.undo()
    assert saved(app_context, channel)["Sitcoms"] == (MON, "17:00", "18:30", "series")
    (drawn,) = [b.block for b in grid.blocks() if b.block.id == sitcoms]
    assert (drawn.day_of_week, drawn.start, drawn.length) == (MON, 17 * 60, 90)


def test_a_drop_onto_another_block_is_refused_and_nothing_is_saved(
    qtbot: QtBot, tab: ScheduleTab, edits: CatalogEdits, app_context: AppContext, channel: int
) -> None:
    before = saved(app_context, channel)
    grid = tab.grid
    news = block_id(tab, "News")
    start = centre(grid, news)
    end = start + (grid.point_for(MON, 17 * 60 + 30) - grid.point_for(MON, 19 * 60))
    drag(qtbot, grid, start, end)
    assert saved(app_context, channel) == before
    assert tab.notice.isVisibleTo(tab) and "overlap" in tab.notice.text()
    assert edits.stack.count() == 0
    (drawn,) = [b.block for b in grid.blocks() if b.block.id == news]
    assert (drawn.day_of_week, drawn.start) == (MON, 19 * 60)
    qtbot.waitUntil(lambda: grid.block_rect(news).contains(grid.point_for(MON, 19 * 60 + 15)))


def test_delete_copy_paste_and_undo(
    qtbot: QtBot, tab: ScheduleTab, edits: CatalogEdits, app_context: AppContext, channel: int
) -> None:
    grid = tab.grid
    grid.setFocus()
    sitcoms = block_id(tab, "Sitcoms")
    grid.select_ids([sitcoms])
    qtbot.keyClick(grid, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    grid.paste(TUE)
    with app_context.sessions() as s:
        copies = [b.row.values for b in list_blocks(s, channel) if b.row.values.name == "Sitcoms"]
    assert sorted((c.day_of_week, c.constraints_json) for c in copies) == [
        (MON, SERIES), (TUE, SERIES),
    ]  # fmt: skip
    grid.select_ids([sitcoms])
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    with app_context.sessions() as s:
        days = sorted(
            b.row.values.day_of_week
            for b in list_blocks(s, channel)
            if b.row.values.name == "Sitcoms"
        )
    assert days == [TUE]
    assert sitcoms not in tab._listed
    edits.stack.undo()  # the delete
    assert block_id(tab, "Sitcoms") in tab._listed
    with app_context.sessions() as s:
        days = sorted(
            b.row.values.day_of_week
            for b in list_blocks(s, channel)
            if b.row.values.name == "Sitcoms"
        )
    assert days == [MON, TUE]
    edits.stack.undo()  # the paste
    with app_context.sessions() as s:
        days = sorted(
            b.row.values.day_of_week
            for b in list_blocks(s, channel)
            if b.row.values.name == "Sitcoms"
        )
    assert days == [MON]


def test_duplicate_a_day_refuses_when_any_copy_overlaps(
    tab: ScheduleTab, app_context: AppContext, channel: int
) -> None:
    tab.grid.choose_days = lambda day: [TUE, WED]
    tab.grid.duplicate_day(MON)
    got = saved(app_context, channel)
    with app_context.sessions() as s:
        days = sorted(
            b.row.values.day_of_week for b in list_blocks(s, channel) if b.row.values.name == "News"
        )
    assert days == [MON, TUE, WED]
    assert got["Late movie"] == (WED, "23:00", "01:30", "auto")


def test_open_edit_and_the_overlap_check(
    qtbot: QtBot, tab: ScheduleTab, edits: CatalogEdits, app_context: AppContext, channel: int
) -> None:
    news = block_id(tab, "News")
    sentences: list[str | None] = []

    def editor(values: BlockValues, block: int | None) -> BlockValues:
        assert block == news
        clash = BlockValues(values.name, MON, "18:00", "19:30", values.strategy)
        sentences.append(tab.check_overlap(clash, block))
        return BlockValues("Evening news", values.day_of_week, "19:00", "20:00", "auto")

    tab.run_editor = editor
    qtbot.mouseDClick(tab.grid.viewport(), Qt.MouseButton.LeftButton, pos=centre(tab.grid, news))
    assert sentences[0] is not None and "Sitcoms" in sentences[0]
    assert saved(app_context, channel)["Evening news"] == (MON, "19:00", "20:00", "auto")
    edits.stack.undo()
    assert "News" in saved(app_context, channel)


def test_invalid_constraints_from_elsewhere_are_shown_not_fatal(
    tab: ScheduleTab, app_context: AppContext, channel: int
) -> None:
    with app_context.sessions.begin() as s:
        s.execute(update(BL).where(BL.c.name == "News").values(constraints_json="{oops"))
    tab.reload_blocks()
    (news,) = [b for b in tab.grid.blocks() if b.block.name == "News"]
    assert news.problem is not None and "not valid JSON" in news.problem


def test_screenshot_of_a_sample_week(tab: ScheduleTab, tmp_path: Path) -> None:
    path = tmp_path / "schedule.png"
    image = tab.grab().toImage()
    assert image.save(str(path))
    colours = {
        QColor(image.pixel(x, y)).name()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20, "the tab rendered (nearly) blank"


def test_the_real_editor_opens_checks_overlaps_and_saves(
    qtbot: QtBot, tab: ScheduleTab, app_context: AppContext, channel: int
) -> None:
    """The tab's own editor (modal): an overlapping time is refused inside the dialog,
    which stays open; a free time saves."""
    from PySide6.QtCore import QTime, QTimer
    from PySide6.QtWidgets import QApplication

    from retrovue_desktop.ui.block_editor import BlockEditor

    seen: list[str] = []

    def answer() -> None:
        editor = QApplication.activeModalWidget()
        assert isinstance(editor, BlockEditor)
        editor.end.setTime(QTime(19, 15))  # runs into the news
        editor.ok_button.click()
        seen.append(editor.error.text() if editor.isVisible() else "closed")
        editor.end.setTime(QTime(18, 45))
        editor.ok_button.click()

    news = block_id(tab, "News")
    QTimer.singleShot(0, answer)
    tab.open_block(block_id(tab, "Sitcoms"))
    assert seen and "News" in seen[0]
    assert saved(app_context, channel)["Sitcoms"] == (MON, "17:00", "18:45", "series")
    assert news in tab._listed
