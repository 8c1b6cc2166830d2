"""The rundown view end to end: the Schedule tab on a real database, real key presses on
the panel, the window's undo stack, and a real build on a worker thread. The range and
swap dialogs are answered through the panel's seams; their own tests drive them. The day
is read on a worker too: tests wait for its rows with `shown()`."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, insert, select
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling import programme_log as plog
from retrovue_desktop.scheduling.log_swap import SwapCandidate, SwapTarget
from retrovue_desktop.store import models as m
from retrovue_desktop.store.tables import INSTANCES as INST
from retrovue_desktop.store.tables import MF
from retrovue_desktop.ui import settings
from retrovue_desktop.ui.build_dialog import APPROVE, BUILD, RangeDialog, RangeMode
from retrovue_desktop.ui.constraint_forms import wait_for_jobs
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.edits import CatalogEdits
from retrovue_desktop.ui.rundown_model import (
    BREAK,
    DURATION,
    PROBLEM_COLOUR,
    STATUS,
    TITLE,
    RundownModel,
)
from retrovue_desktop.ui.rundown_panel import READING_HINT_MS, RundownPanel
from retrovue_desktop.ui.schedule_tab import KEY_VIEW, ScheduleTab
from retrovue_desktop.ui.swap_dialog import SwapDialog
from tests.builders import add
from tests.test_programme_log import MONDAY, NY, SUNDAY, TUESDAY, Station, build_station

ALT, CTRL_SHIFT = (
    Qt.KeyboardModifier.AltModifier,
    (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
)


WAIT_MS = 10_000


@pytest.fixture(autouse=True)
def _grid_view_afterwards() -> Iterator[None]:
    """The view is remembered in settings: leave the grid for the other tests."""
    yield
    settings.put(KEY_VIEW, "grid")
    wait_for_jobs()  # a read started by the test's last edit


def shown(qtbot: QtBot, panel: RundownPanel) -> None:
    """Wait until the day asked for is read and its rows are shown."""
    qtbot.waitUntil(lambda: not panel.reading(), timeout=WAIT_MS)


class GatedSessions:
    """The real sessionmaker behind a gate: a read waits for `release` before it opens
    its session (a slow database server, only as slow as the test needs). A read keeps
    the sessions it was asked with, so reads asked before the swap back are gated."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self.release = threading.Event()
        self.calls = 0

    def __call__(self) -> Session:
        self.calls += 1
        assert self.release.wait(WAIT_MS / 1000), "the gate was never opened"
        return self.sessions()


@pytest.fixture
def station(app_context: AppContext) -> Station:
    return build_station(app_context.sessions)


@pytest.fixture
def tab(
    qtbot: QtBot, app_context: AppContext, edits: CatalogEdits, station: Station
) -> Iterator[ScheduleTab]:
    widget = ScheduleTab(app_context, edits)
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitActive(widget)  # shortcuts go to the active window only
    widget.channels.select_channel(station.channel)
    widget.show_view("rundown")
    widget.rundown.set_day(MONDAY)
    shown(qtbot, widget.rundown)
    yield widget
    widget.shutdown()  # as the window's close does: no read outlives the test


def panel_of(tab: ScheduleTab) -> RundownPanel:
    return tab.rundown


def statuses(context: AppContext, *ids: int) -> list[str]:
    with context.sessions() as s:
        found = dict(s.execute(select(INST.c.id, INST.c.status).where(INST.c.id.in_(ids))).all())
    return [found[i] for i in ids]


def select_rows(panel: RundownPanel, *instance_ids: int) -> None:
    selection = panel.table.selectionModel()
    selection.clearSelection()
    for instance_id in instance_ids:
        number = panel.model.row_of(instance_id)
        assert number is not None
        selection.select(
            panel.model.index(number, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    panel.table.setFocus()


# -- the model -------------------------------------------------------------------------------


def test_the_model_passes_the_model_tester(
    qtmodeltester: ModelTester, app_context: AppContext, station: Station
) -> None:
    model = RundownModel()
    qtmodeltester.check(model)
    with app_context.sessions() as s:
        model.set_rows(plog.day_rundown(s, station.channel, MONDAY, NY).rows)
    qtmodeltester.check(model)
    assert model.rowCount() == 6
    first = model.index(0, TITLE)
    assert first.data() == "Cheers \N{EM DASH} S01E01 Pilot"
    assert model.index(0, BREAK).data() == "Part 1 of 2"
    assert model.index(1, BREAK).data() == "Break 1 \N{MIDDLE DOT} 1"
    assert model.index(0, DURATION).data() == "0:10:00"
    assert model.index(0, STATUS).data() == "Planned"
    assert model.index(0, TITLE).data(Qt.ItemDataRole.ForegroundRole) is None


def test_an_unplayable_row_is_red_with_the_reason(
    app_context: AppContext, station: Station
) -> None:
    with app_context.sessions.begin() as s:
        s.execute(MF.update().where(MF.c.id == station.files["ep2"]).values(availability="missing"))
        rows = plog.day_rundown(s, station.channel, MONDAY, NY).rows
    model = RundownModel()
    model.set_rows(rows)
    number = model.row_of(station.rows["ep2"])
    assert number is not None
    index = model.index(number, TITLE)
    assert index.data(Qt.ItemDataRole.ForegroundRole) == QColor(PROBLEM_COLOUR)
    assert "Can no longer be played: its file is missing." in index.data(
        Qt.ItemDataRole.ToolTipRole
    )


# -- switching views and days ------------------------------------------------------------------


def test_the_view_is_switched_with_buttons_and_remembered(
    qtbot: QtBot, app_context: AppContext, edits: CatalogEdits, station: Station
) -> None:
    tab = ScheduleTab(app_context, edits)
    qtbot.addWidget(tab)
    tab.show()
    tab.show_view("grid")
    assert tab.views.currentWidget() is not tab.rundown and tab.grid_controls.isVisible()
    rundown_button = tab.view_buttons.button(1)
    assert rundown_button is not None
    qtbot.mouseClick(rundown_button, Qt.MouseButton.LeftButton)
    assert tab.view() == "rundown" and not tab.grid_controls.isVisible()
    assert settings.app_settings().value(KEY_VIEW) == "rundown"
    again = ScheduleTab(app_context, edits)
    qtbot.addWidget(again)
    assert again.view() == "rundown"
    assert again.rundown.day == datetime.now(NY).date()  # today, in the channel's zone


def test_day_navigation_with_keys_and_the_date_edit(
    qtbot: QtBot, tab: ScheduleTab, station: Station
) -> None:
    panel = panel_of(tab)
    assert [r.id for r in panel.model.rows()][:1] == [station.rows["ep1a"]]
    qtbot.keyClick(panel.table, Qt.Key.Key_Left, ALT)
    assert panel.day == SUNDAY and panel.date_edit.date().day() == SUNDAY.day
    shown(qtbot, panel)
    assert [r.id for r in panel.model.rows()] == [station.rows["movie"]]
    qtbot.keyClick(panel.table, Qt.Key.Key_Right, ALT)
    qtbot.keyClick(panel.table, Qt.Key.Key_Right, ALT)
    assert panel.day == TUESDAY
    shown(qtbot, panel)
    assert panel.list_stack.currentWidget() is panel.empty
    assert "No block" in panel.empty.text()
    panel.date_edit.setDate(panel.date_edit.date().addDays(-1))
    shown(qtbot, panel)
    assert panel.day == MONDAY and panel.model.rowCount() == 6
    qtbot.keyClick(panel.table, Qt.Key.Key_Home, ALT)
    assert panel.day == panel.today()


def test_the_day_is_read_off_the_ui_thread(
    qtbot: QtBot, tab: ScheduleTab, station: Station
) -> None:
    """A slow server: choosing a day returns at once; the rows shown stay (not editable:
    they are another day's) and the totals line says it is reading until they arrive."""
    panel = panel_of(tab)
    gated = GatedSessions(panel.sessions)
    panel.sessions = gated  # type: ignore[assignment]
    monday = [r.id for r in panel.model.rows()]
    select_rows(panel, station.rows["ep2"])
    assert panel.cancel_action.isEnabled()
    arrived: list[date] = []
    panel.refreshed.connect(lambda: arrived.append(panel.day))
    panel.set_day(SUNDAY)  # returns while the read waits at the gate
    assert panel.reading() and panel.day == SUNDAY and not arrived
    assert [r.id for r in panel.model.rows()] == monday  # no flicker
    assert not panel.cancel_action.isEnabled() and not panel.approve_day_action.isEnabled()
    qtbot.waitUntil(
        lambda: panel.reading_label.text() == "Reading\N{HORIZONTAL ELLIPSIS}",
        timeout=READING_HINT_MS * 10,
    )
    assert not arrived
    gated.release.set()
    qtbot.waitUntil(lambda: arrived == [SUNDAY], timeout=WAIT_MS)
    assert [r.id for r in panel.model.rows()] == [station.rows["movie"]]
    assert panel.reading_label.text() == "" and not panel.reading()


def test_an_older_read_answering_late_is_dropped(
    qtbot: QtBot, tab: ScheduleTab, station: Station
) -> None:
    panel = panel_of(tab)
    real = panel.sessions
    gated = GatedSessions(real)
    shown_rows: list[list[int]] = []
    panel.refreshed.connect(lambda: shown_rows.append([r.id for r in panel.model.rows()]))
    panel.sessions = gated  # type: ignore[assignment]
    panel.set_day(TUESDAY)  # a slow answer: held at the gate
    panel.sessions = real
    panel.set_day(SUNDAY)  # asked later, answered first
    qtbot.waitUntil(lambda: len(shown_rows) == 1, timeout=WAIT_MS)
    assert shown_rows == [[station.rows["movie"]]] and not panel.reading()
    gated.release.set()
    wait_for_jobs()  # Tuesday's read has ended: its answer is on its way to the UI thread
    qtbot.wait(100)
    assert gated.calls == 1
    assert shown_rows == [[station.rows["movie"]]]  # Tuesday's answer was dropped
    assert panel.day == SUNDAY and panel.list_stack.currentWidget() is panel.table
    assert panel.rundown is not None and panel.rundown.day == SUNDAY


def test_a_hidden_panel_reads_when_shown_again(
    qtbot: QtBot, tab: ScheduleTab, station: Station
) -> None:
    panel = panel_of(tab)
    tab.show_view("grid")
    panel.set_day(SUNDAY)  # not visible: only marked for reading
    assert not panel.reading()
    assert panel.rundown is not None and panel.rundown.day == MONDAY
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        tab.show_view("rundown")
    assert [r.id for r in panel.model.rows()] == [station.rows["movie"]]


def test_a_failed_read_says_so(qtbot: QtBot, tab: ScheduleTab, tmp_path: Path) -> None:
    panel = panel_of(tab)
    broken = create_engine(f"sqlite:///{tmp_path / 'no such folder' / 'station.db'}")
    panel.sessions = sessionmaker(broken)
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        panel.refresh()
    assert panel.notice.text() == "The programme log could not be read; see the log."
    assert panel.rundown is None and panel.model.rowCount() == 0
    assert panel.list_stack.currentWidget() is panel.empty
    broken.dispose()


def test_shutdown_waits_for_a_running_read(qtbot: QtBot, tab: ScheduleTab) -> None:
    panel = panel_of(tab)
    gated = GatedSessions(panel.sessions)
    panel.sessions = gated  # type: ignore[assignment]
    panel.set_day(SUNDAY)
    opener = threading.Timer(0.3, gated.release.set)
    started = time.monotonic()
    opener.start()
    panel.shutdown()  # the window closes while the day is being read
    assert gated.release.is_set() and time.monotonic() - started >= 0.25
    opener.join()
    assert gated.calls == 1


def test_totals_and_warnings_are_shown(tab: ScheduleTab) -> None:
    panel = panel_of(tab)
    text = panel.totals.text()
    assert "Programmes <b>0:44:00</b>" in text
    assert "Breaks and fill <b>0:01:15</b>" in text
    assert "1:14:45" in text and "6 rows, 6 planned" in text
    shown = [panel.warnings.item(i).text() for i in range(panel.warnings.count())]
    assert shown == list(panel.rundown.warnings if panel.rundown else [])
    assert len(shown) == 3 and panel.warnings_title.text() == "Warnings (3)"


def test_a_click_on_the_timeline_selects_the_row(
    qtbot: QtBot, tab: ScheduleTab, station: Station
) -> None:
    panel = panel_of(tab)
    timeline = panel.timeline
    row = next(r for r in panel.model.rows() if r.id == station.rows["ep2"])
    x = (timeline.x_of(row.starts_at) + timeline.x_of(row.ends_at)) / 2
    from PySide6.QtCore import QPoint

    qtbot.mouseClick(
        timeline,
        Qt.MouseButton.LeftButton,
        pos=QPoint(round(x), timeline.ROW_TOP + timeline.ROW_HEIGHT // 2),
    )
    assert [r.id for r in panel.selected_rows()] == [station.rows["ep2"]]


# -- approve, cancel, swap and their undo ----------------------------------------------------------


def test_approve_the_day_then_undo_and_redo(
    qtbot: QtBot, tab: ScheduleTab, edits: CatalogEdits, app_context: AppContext, station: Station
) -> None:
    panel = panel_of(tab)
    monday = [station.rows[n] for n in ("ep1a", "ad1", "promo", "ep1b", "ep2", "ad2")]
    qtbot.keyClick(panel.table, Qt.Key.Key_A, CTRL_SHIFT)
    assert set(statuses(app_context, *monday)) == {"approved"}
    assert statuses(app_context, station.rows["movie"]) == ["planned"]
    shown(qtbot, panel)
    assert {r.status for r in panel.model.rows()} == {"approved"}
    assert not panel.approve_day_action.isEnabled()  # nothing planned is left
    assert edits.stack.undoText() == "Approve Mon 23 Nov 2026"
    edits.stack.undo()
    assert set(statuses(app_context, *monday)) == {"planned"}
    shown(qtbot, panel)
    assert {r.status for r in panel.model.rows()} == {"planned"}
    edits.stack.redo()
    assert set(statuses(app_context, *monday)) == {"approved"}


def test_approve_a_range_through_the_range_seam(
    tab: ScheduleTab, app_context: AppContext, station: Station
) -> None:
    panel = panel_of(tab)
    asked: list[tuple[RangeMode, date, int]] = []

    def choose(mode: RangeMode, first: date, days: int) -> tuple[date, int]:
        asked.append((mode, first, days))
        return SUNDAY, 2

    panel.choose_range = choose
    panel.approve_range_action.trigger()
    assert asked == [(APPROVE, MONDAY, 7)]
    assert statuses(app_context, station.rows["movie"], station.rows["ep2"]) == [
        "approved", "approved",
    ]  # fmt: skip


def test_nothing_to_approve_is_said_not_pushed(tab: ScheduleTab, edits: CatalogEdits) -> None:
    panel = panel_of(tab)
    panel.set_day(TUESDAY)
    panel.approve_day()  # the action is disabled; the call still refuses cleanly
    assert "Nothing planned to approve on Tue 24 Nov 2026" in panel.notice.text()
    assert edits.stack.count() == 0


def test_delete_cancels_the_whole_programme_then_undo(
    qtbot: QtBot, tab: ScheduleTab, edits: CatalogEdits, app_context: AppContext, station: Station
) -> None:
    panel = panel_of(tab)
    r = station.rows
    select_rows(panel, r["ep1b"])
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert statuses(app_context, r["ep1a"], r["ad1"], r["ep1b"]) == [
        "canceled", "planned", "canceled",
    ]  # fmt: skip
    shown(qtbot, panel)
    font = panel.model.index(0, TITLE).data(Qt.ItemDataRole.FontRole)
    assert font is not None and font.strikeOut()
    assert edits.stack.undoText() == "Cancel “Cheers \N{EM DASH} S01E01 Pilot”"
    # The selection survives the refresh; a canceled row cannot be canceled again.
    assert [x.id for x in panel.selected_rows()] == [r["ep1b"]]
    assert not panel.cancel_action.isEnabled() and not panel.swap_action.isEnabled()
    edits.stack.undo()
    assert statuses(app_context, r["ep1a"], r["ep1b"]) == ["planned", "planned"]
    shown(qtbot, panel)
    assert panel.model.index(0, TITLE).data(Qt.ItemDataRole.FontRole) is None or not (
        panel.model.index(0, TITLE).data(Qt.ItemDataRole.FontRole).strikeOut()
    )
    edits.stack.redo()
    assert statuses(app_context, r["ep1a"], r["ep1b"]) == ["canceled", "canceled"]


def test_a_played_row_refuses_the_cancel_with_a_sentence(
    qtbot: QtBot, tab: ScheduleTab, edits: CatalogEdits, app_context: AppContext, station: Station
) -> None:
    panel = panel_of(tab)
    with app_context.sessions.begin() as s:
        s.execute(INST.update().where(INST.c.id == station.rows["ep1a"]).values(status="played"))
    panel.refresh()
    shown(qtbot, panel)
    select_rows(panel, station.rows["ep1b"])
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert "already aired" in panel.notice.text() and panel.notice.isVisible()
    assert statuses(app_context, station.rows["ep1b"]) == ["planned"]
    assert edits.stack.count() == 0


def test_swap_through_the_picker_then_undo_and_redo(
    qtbot: QtBot, tab: ScheduleTab, edits: CatalogEdits, app_context: AppContext, station: Station
) -> None:
    panel = panel_of(tab)
    r = station.rows
    targets: list[SwapTarget] = []

    def choose(row: plog.RundownRow, target: SwapTarget) -> SwapCandidate | None:
        targets.append(target)
        dialog = SwapDialog(app_context.sessions, row.id, target, panel.ceiling, panel)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: not dialog.searching())
        titles = [dialog.results.topLevelItem(i).text(0)  # type: ignore[union-attr]
                  for i in range(dialog.results.topLevelItemCount())]  # fmt: skip
        assert titles[:2] == [
            "Cheers \N{EM DASH} S01E02 Sams Women",
            "Cheers \N{EM DASH} S01E06 Any Friend of Diane's",
        ]
        qtbot.keyClicks(dialog.search, "torte")
        qtbot.waitUntil(lambda: dialog.results.topLevelItemCount() == 1 and not dialog.searching())
        assert dialog.ok_button.isEnabled()
        return dialog.chosen()

    panel.choose_swap = choose
    select_rows(panel, r["ep1a"])
    qtbot.keyClick(panel.table, Qt.Key.Key_S, CTRL_SHIFT)
    assert targets[0].seconds == 1320 and targets[0].instance_ids == (r["ep1a"], r["ep1b"])
    shown(qtbot, panel)
    titles = [row.title for row in panel.model.rows()]
    assert titles[0] == titles[3] == "Cheers \N{EM DASH} S01E03 The Tortelli Tort"
    assert edits.stack.undoText().startswith("Swap “Cheers \N{EM DASH} S01E01 Pilot” for")
    edits.stack.undo()
    shown(qtbot, panel)
    assert panel.model.rows()[0].title == "Cheers \N{EM DASH} S01E01 Pilot"
    edits.stack.redo()
    shown(qtbot, panel)
    assert panel.model.rows()[3].title == "Cheers \N{EM DASH} S01E03 The Tortelli Tort"
    assert panel.model.rows()[3].seconds == 400


def test_undo_after_a_rebuild_is_refused_not_misapplied(
    tab: ScheduleTab, edits: CatalogEdits, app_context: AppContext, station: Station
) -> None:
    panel = panel_of(tab)
    select_rows(panel, station.rows["ad1"])
    panel.cancel_selected()
    with app_context.sessions.begin() as s:
        s.execute(INST.delete().where(INST.c.id == station.rows["ad1"]))
    failures: list[str] = []
    edits.failed.connect(failures.append)
    edits.stack.undo()
    assert failures and "the programme log changed since" in failures[0]


# -- building -----------------------------------------------------------------------------------


def log_rows(context: AppContext) -> list[tuple[int, str, int | None]]:
    with context.sessions() as s:
        return [
            (r[0], r[1], r[2])
            for r in s.execute(
                select(INST.c.id, INST.c.status, INST.c.content_item_id).order_by(INST.c.id)
            )
        ]


def test_build_runs_on_a_worker_and_the_rows_appear(
    qtbot: QtBot, tab: ScheduleTab, app_context: AppContext, station: Station
) -> None:
    panel = panel_of(tab)
    asked: list[RangeMode] = []

    def choose(mode: RangeMode, first: date, days: int) -> tuple[date, int]:
        asked.append(mode)
        return MONDAY, 1

    panel.choose_range = choose
    assert any("News" in w for w in (panel.rundown.warnings if panel.rundown else ()))
    with qtbot.waitSignal(panel.build_finished, timeout=30_000):
        qtbot.keyClick(panel.table, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
        assert not panel.build_action.isEnabled()  # one build at a time
    assert asked == [BUILD]
    assert panel.build_action.isEnabled()
    shown(qtbot, panel)
    blocks = {r.block_name for r in panel.model.rows()}
    assert {"Sitcoms", "News"} <= blocks
    assert not any(
        "nothing planned" in w for w in (panel.rundown.warnings if panel.rundown else ())
    )
    assert "log rows written" in panel.job_bar.result.text()
    # The hand-built planned rows of Monday (with their ads) were replaced: the block has
    # no ad policy, so the new plan has none. Sunday's movie was not touched.
    assert {r.kind for r in panel.model.rows()} == {"program"}
    assert station.rows["movie"] in {row[0] for row in log_rows(app_context)}


def test_a_canceled_build_leaves_the_log_unchanged(
    qtbot: QtBot, tab: ScheduleTab, app_context: AppContext, station: Station
) -> None:
    panel = panel_of(tab)
    before = log_rows(app_context)
    with qtbot.waitSignal(panel.build_finished, timeout=30_000):
        job = panel.start_build(MONDAY, 30)
        assert job is not None
        panel.job_bar.cancel_button.click()
    assert log_rows(app_context) == before
    assert panel.job_bar.result.text() == "Build canceled; the programme log is unchanged."
    assert panel.last_report is None


def test_a_refused_build_says_why(qtbot: QtBot, tab: ScheduleTab, app_context: AppContext) -> None:
    panel = panel_of(tab)
    before = log_rows(app_context)
    with qtbot.waitSignal(panel.build_finished, timeout=30_000):
        panel.start_build(MONDAY, 400)
    assert "1 to 366 days" in panel.job_bar.result.text()
    assert log_rows(app_context) == before


# -- the dialogs --------------------------------------------------------------------------------


def test_the_range_dialog_reads_back_its_range(qtbot: QtBot) -> None:
    dialog = RangeDialog(BUILD, MONDAY, 7)
    qtbot.addWidget(dialog)
    assert dialog.value() == (MONDAY, 7)
    assert dialog.ok_button.text() == "Build"
    assert dialog.summary.text() == "Mon 23 Nov 2026 \N{EN DASH} Sun 29 Nov 2026"
    dialog.days.setValue(1)
    assert dialog.summary.text() == "Mon 23 Nov 2026"
    assert dialog.days.text() == "1 day"


def busy_channel(context: AppContext) -> int:
    """A channel with a full Monday: five blocks, an ad policy with bumpers, a catalogue
    of two shows, movies and interstitials (one file missing), all with files."""
    with context.sessions.begin() as s:
        server = add(s, m.PlexServer, name="Den")
        lib = add(s, m.Library, server_id=server, plex_library_key="9", title="All",
                  library_type="show")  # fmt: skip
        shows = [
            add(s, m.Show, server_id=server, library_id=lib, plex_rating_key=f"b{n}", title=t)
            for n, t in enumerate(("Taxi", "The Bob Newhart Show"))
        ]
        n = 0

        def item(kind: str, title: str, seconds: int, **kw: Any) -> int:
            nonlocal n
            n += 1
            ident = add(s, m.ContentItem, kind=kind, title=title, duration_ms=seconds * 1000,
                        library_id=lib, plex_rating_key=f"k{n}", rating_code=kw.pop("rating",
                        "TV-PG"), **kw)  # fmt: skip
            state = "missing" if title == "Paper Moon" else "ok"
            f = add(s, m.MediaFile, library_id=lib, plex_file_path=f"/x/{n}", availability=state)
            s.execute(insert(m.ContentItemFile).values(content_item_id=ident, media_file_id=f))
            return ident

        for show, name in zip(shows, ("Taxi", "Newhart"), strict=True):
            for e in range(1, 25):
                item("episode", f"{name} episode {e}", 1500 - 13 * e, show_id=show,
                     season_number=1 + e // 13, episode_number=e)  # fmt: skip
        for title in ("Paper Moon", "The Sting", "Harvey", "Charade", "Rear Window",
                      "Vertigo", "Arsenic and Old Lace", "His Girl Friday"):  # fmt: skip
            item("movie", title, 5400 + 300 * len(title) % 1800)
        for k in range(12):
            item("ad", f"Ad {chr(65 + k)}", (15, 30, 60)[k % 3], rating="TV-G")
        for k in range(4):
            item("promo", f"Coming up {k + 1}", 20, rating="TV-G")
        item("bumper", "We'll be right back", 5, rating="TV-G")
        item("bumper", "And now back to", 5, rating="TV-G")
        policy = add(s, m.AdPolicy, name="Prime", rules_json=(
            '{"version":1,"breaks":2,"break_seconds":150,"bumper_before":true,'
            '"fill_kinds":["ad","bumper","promo"]}'))  # fmt: skip
        channel = add(s, m.Channel, name="Retro Busy", number="5", time_zone="America/New_York",
                      max_rating_code="TV-14")  # fmt: skip
        series = f'{{"show_ids":[{shows[0]},{shows[1]}],"version":1}}'
        movies = '{"kinds":["movie"],"version":1}'
        for name, start, end, strategy, rule in (
            ("Morning sitcoms", "06:00:00", "09:00:00", "series", series),
            ("Matinee", "09:00:00", "12:00:00", "auto", movies),
            ("Afternoon comedy", "12:00:00", "17:00:00", "series", series),
            ("Prime movie", "20:00:00", "23:00:00", "auto", movies),
            ("Late night", "23:00:00", "01:00:00", "series", series),
        ):
            add(s, m.ScheduleBlock, channel_id=channel, name=name, day_of_week=1,
                start_time=start, end_time=end, strategy=strategy, constraints_json=rule,
                ad_policy_id=policy)  # fmt: skip
    return channel


def test_screenshot_of_a_busy_day(
    qtbot: QtBot, tab: ScheduleTab, app_context: AppContext, tmp_path: Path
) -> None:
    channel = busy_channel(app_context)
    tab.channels.reload(channel)
    panel = panel_of(tab)
    assert panel.channel is not None and panel.channel.id == channel
    with qtbot.waitSignal(panel.build_finished, timeout=30_000):
        panel.start_build(MONDAY, 1)
    shown(qtbot, panel)
    assert panel.model.rowCount() > 100
    # The day has unfilled blocks: the warnings are listed and get room to be read.
    assert panel.warnings.count() >= 2 and panel.warnings_box.isVisible()
    assert panel.splitter.sizes()[1] >= 60
    select_rows(panel, panel.model.rows()[40].id)
    image = tab.grab().toImage()
    path = Path(os.environ.get("RETROVUE_SCREENSHOTS", tmp_path)) / "rundown.png"
    assert image.save(str(path))
    colours = {
        QColor(image.pixel(x, y)).name()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20, "the rundown rendered (nearly) blank"


# -- Mark as aired ---------------------------------------------------------------------------


def plays_of(context: AppContext) -> list[Any]:
    from retrovue_desktop.store.tables import PLAYS

    with context.sessions() as s:
        return list(s.execute(select(PLAYS).order_by(PLAYS.c.id)).all())


def test_mark_the_day_as_aired_then_undo_and_redo(
    qtbot: QtBot, tab: ScheduleTab, edits: CatalogEdits, app_context: AppContext, station: Station
) -> None:
    panel = panel_of(tab)
    monday = [station.rows[n] for n in ("ep1a", "ad1", "promo", "ep1b", "ep2", "ad2")]
    changed: list[int] = []
    panel.log_edits.plays_changed.connect(changed.append)
    menu = panel.aired_button.menu()
    assert menu is not None and panel.aired_button.isEnabled()
    assert menu.actions() == [panel.aired_day_action, panel.aired_range_action]
    assert not panel.aired_day_action.isEnabled()  # nothing approved yet
    qtbot.keyClick(panel.table, Qt.Key.Key_A, CTRL_SHIFT)
    shown(qtbot, panel)
    assert panel.aired_day_action.isEnabled()
    qtbot.keyClick(panel.table, Qt.Key.Key_M, CTRL_SHIFT)
    assert set(statuses(app_context, *monday)) == {"played"}
    rows = plays_of(app_context)
    assert [r.schedule_instance_id for r in rows] == monday
    assert [r.ad_block_seq for r in rows] == [None, 1, 2, None, None, 1]
    assert changed == [station.channel]
    assert edits.stack.undoText() == "Mark Mon 23 Nov 2026 as aired"
    assert not panel.notice.isVisible()  # nothing was left: nothing to say
    shown(qtbot, panel)
    assert {panel.model.index(i, STATUS).data() for i in range(6)} == {"Played"}
    assert not panel.aired_day_action.isEnabled() and not panel.cancel_action.isEnabled()
    edits.stack.undo()
    assert set(statuses(app_context, *monday)) == {"approved"} and plays_of(app_context) == []
    shown(qtbot, panel)
    assert {panel.model.index(i, STATUS).data() for i in range(6)} == {"Approved"}
    edits.stack.redo()
    assert set(statuses(app_context, *monday)) == {"played"}
    assert [r.schedule_instance_id for r in plays_of(app_context)] == monday
    assert changed == [station.channel] * 3


def test_mark_a_range_as_aired_says_what_was_left(
    qtbot: QtBot, tab: ScheduleTab, app_context: AppContext, station: Station
) -> None:
    from retrovue_desktop.ui.rundown_panel import AIRED

    panel = panel_of(tab)
    panel.approve_day()  # Monday approved; Sunday's movie stays planned
    asked: list[tuple[RangeMode, date, int]] = []

    def choose(mode: RangeMode, first: date, days: int) -> tuple[date, int]:
        asked.append((mode, first, days))
        return SUNDAY, 2

    panel.choose_range = choose
    qtbot.keyClick(panel.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | ALT)
    assert asked == [(AIRED, MONDAY, 1)]
    assert statuses(app_context, station.rows["movie"], station.rows["ep2"]) == [
        "planned", "played",
    ]  # fmt: skip
    assert panel.notice.isVisible()
    assert panel.notice.text() == (
        "Marked 6 rows as aired. 1 planned row left as it was: approve first."
    )


def test_nothing_approved_to_mark_is_said_not_pushed(
    tab: ScheduleTab, edits: CatalogEdits, app_context: AppContext
) -> None:
    panel = panel_of(tab)
    panel.mark_day_aired()  # the action is disabled; the call still refuses cleanly
    assert panel.notice.text() == (
        "Nothing approved to mark as aired on Mon 23 Nov 2026: 6 rows are still planned:"
        " approve first."
    )
    assert edits.stack.count() == 0 and plays_of(app_context) == []
