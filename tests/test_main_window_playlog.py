"""The window's play-log wiring: File → Import as-run… and Play log archives…, an
archived week opened read-only in the Play Log tab, and the start-up rotation."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from retrovue_desktop.scheduling.play_rows import PlayRow
from retrovue_desktop.store import models as m
from retrovue_desktop.store.tables import PLAYS
from retrovue_desktop.ui import settings as app_settings
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.main_window import MainWindow
from retrovue_desktop.ui.rotation_job import KEY_LAST_ROTATION
from tests.builders import add, station


def _window(qtbot: QtBot, context: AppContext, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(context, settings=settings)
    qtbot.addWidget(window)
    window.show()
    return window


def test_menu_opens_the_import_and_the_archives(
    qtbot: QtBot, app_context: AppContext, tmp_path: Path
) -> None:
    window = _window(qtbot, app_context, tmp_path)
    assert window.rotation_job is None  # rotated today already (conftest)
    assert window.import_as_run_action.shortcut().toString() == "Ctrl+Shift+I"
    window.import_as_run_action.trigger()
    dialog = window.as_run_dialog
    assert dialog is not None and dialog.isVisible() and dialog.isModal()
    dialog.reject()
    qtbot.waitUntil(lambda: window.as_run_dialog is None)
    window.archives_action.trigger()
    archives = window.archives_dialog
    assert archives is not None and archives.isVisible()
    archives.shutdown()
    archives.reject()
    qtbot.waitUntil(lambda: window.archives_dialog is None)


def test_an_archived_week_opens_read_only_in_the_play_log_tab(
    qtbot: QtBot, app_context: AppContext, tmp_path: Path
) -> None:
    window = _window(qtbot, app_context, tmp_path)
    row = PlayRow(
        id=7,
        channel_id=1,
        channel="3 · Retro One",
        ts_start="2026-08-03T20:00:00+00:00",
        ts_end="2026-08-03T20:30:00+00:00",
        item_kind="program",
        content_item_id=None,
        title="Cheers",
        media_file_id=None,
        schedule_instance_id=None,
        ad_block_seq=None,
        notes=None,
    )
    window.show_archived_week("Archived week 2026-W32", [row])
    assert window.tabs.currentWidget() is window.playlog_tab
    assert window.playlog_tab.model.rowCount() == 1


def test_the_window_rotates_old_weeks_at_start_up_once_a_day(
    qtbot: QtBot, app_context: AppContext, tmp_path: Path
) -> None:
    ids = station(app_context.engine)
    with app_context.sessions() as s, s.begin():
        add(
            s,
            m.PlayLogEntry,
            channel_id=ids["channel"],
            ts_start="2020-01-06T20:00:00+00:00",
            item_kind="ad",
        )
    app_settings.app_settings().remove(KEY_LAST_ROTATION)
    window = _window(qtbot, app_context, tmp_path)
    job = window.rotation_job
    assert job is not None
    qtbot.waitUntil(lambda: not job.is_running(), timeout=30_000)
    with app_context.sessions() as s:
        left = s.execute(select(PLAYS.c.ts_start).order_by(PLAYS.c.ts_start)).scalars().all()
    assert "2020-01-06T20:00:00+00:00" not in left  # archived (verified) and removed
    assert len(left) == 1  # the station's own row is recent enough to stay
    assert "2020-W02" in window.statusBar().currentMessage()
    again = _window(qtbot, app_context, tmp_path)
    assert again.rotation_job is None
    with app_context.sessions() as s:
        assert s.execute(select(func.count()).select_from(PLAYS)).scalar_one() == 1


def test_marking_a_day_aired_shows_in_the_reconciliation_page(
    qtbot: QtBot, app_context: AppContext, tmp_path: Path
) -> None:
    from datetime import date

    from sqlalchemy import update

    from retrovue_desktop.scheduling import reconcile as rc
    from retrovue_desktop.store.tables import INSTANCES
    from tests.test_programme_log import MONDAY, NY, build_station

    station_ = build_station(app_context.sessions)
    with app_context.sessions.begin() as s:
        s.execute(
            update(INSTANCES).values(status="approved").where(INSTANCES.c.status == "planned")
        )
    window = _window(qtbot, app_context, tmp_path)
    page = window.reconcile_page
    assert window.playlog_tab.pages.tabText(1) == "&Reconciliation"
    assert page.channel_box.currentData() == station_.channel
    with qtbot.waitSignal(page.view.refreshed, timeout=10_000):
        page.day_edit.setDate(page.day_edit.date().addDays((MONDAY - date.today()).days))
    assert page.chosen_day() == MONDAY
    before = page.view.reconciliation
    assert before is not None and before.count(rc.NOT_AIRED) > 0
    rundown = window.schedule_tab.rundown
    with qtbot.waitSignal(page.view.refreshed, timeout=10_000):
        problem, _report = rundown.log_edits.mark_aired(station_.channel, MONDAY, 1, NY)
    assert problem is None
    after = page.view.reconciliation
    assert after is not None and after.count(rc.NOT_AIRED) == 0
    assert after.count(rc.AS_PLANNED) == before.count(rc.NOT_AIRED)
