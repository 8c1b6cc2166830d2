"""The demo station opened in the real window: every tab shows data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from retrovue_desktop.demo.create import create_demo
from retrovue_desktop.demo.station import ZONE
from retrovue_desktop.plex.tokens import TokenStore
from retrovue_desktop.scheduling.clock import zone
from retrovue_desktop.store.migrations import head_revision
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.main_window import MainWindow

WAIT_MS = 20_000


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    # The tabs' own "today" is the real one: make the demo around it.
    create_demo(url, today=datetime.now(zone(ZONE)).date())
    context = AppContext.open(
        url, head_revision(), TokenStore(tmp_path / "tokens.json", use_keyring=False)
    )
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    widget = MainWindow(context, settings=settings)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()
    context.close()


def test_every_tab_of_the_demo_shows_data(qtbot: QtBot, window: MainWindow) -> None:
    libraries = window.libraries_tab
    qtbot.waitUntil(lambda: libraries.model.rowCount() == 2, timeout=WAIT_MS)
    children = sum(
        libraries.model.item(row).rowCount() for row in range(libraries.model.rowCount())
    )
    assert children == 5  # TV Shows and Movies; Ads, Bumpers, Promos

    content = window.content_tab.model
    qtbot.waitUntil(lambda: content.is_complete() and content.total() > 250, timeout=WAIT_MS)
    assert content.rowCount() > 0

    palette = window.tags_tab.palette_model
    qtbot.waitUntil(lambda: palette.rowCount() > 0, timeout=WAIT_MS)

    schedule = window.schedule_tab
    window.tabs.setCurrentWidget(schedule)
    qtbot.waitUntil(lambda: len(schedule.grid.blocks()) > 20, timeout=WAIT_MS)
    rundown = schedule.rundown
    schedule.show_view("rundown")
    rundown.set_day(rundown.day - timedelta(days=1))
    qtbot.waitUntil(lambda: rundown.model.rowCount() > 100, timeout=WAIT_MS)

    playlog = window.playlog_tab
    window.tabs.setCurrentWidget(playlog)
    playlog.range_box.setCurrentIndex(playlog.range_box.findData("last7"))
    playlog.refresh()
    qtbot.waitUntil(lambda: playlog.model.rowCount() > 100, timeout=WAIT_MS)
