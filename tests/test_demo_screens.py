"""Screenshots of every tab of the demo station at 1280x800, written to a folder the test
prints (RETROVUE_SCREENSHOTS, else a temporary folder), for a person to look at.

The test checks what a screenshot can show without eyes: each picture is the window's
size and not one flat colour, and each tab has data in it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from retrovue_desktop.demo.create import create_demo
from retrovue_desktop.store.migrations import head_revision
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.main_window import MainWindow

TODAY = date(2026, 11, 24)
WAIT_MS = 30_000


@pytest.fixture
def demo_window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    create_demo(url, today=TODAY)
    context = AppContext.open(url, head_revision())
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(context, settings, demo=True)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    yield window
    window.close()
    context.close()


def _distinct_colours(image: QImage) -> int:
    seen = set()
    for y in range(0, image.height(), 23):
        for x in range(0, image.width(), 17):
            seen.add(image.pixel(x, y))
    return len(seen)


def _settle(qtbot: QtBot) -> None:
    for _ in range(5):
        QApplication.processEvents()
        qtbot.wait(40)


def test_every_tab_of_the_demo_station_has_data_and_a_screenshot(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path
) -> None:
    folder = Path(os.environ.get("RETROVUE_SCREENSHOTS") or tmp_path / "screens")
    folder.mkdir(parents=True, exist_ok=True)
    window = demo_window
    assert "Demo" in window.windowTitle()
    assert not window.welcome_shown()

    window.tabs.setCurrentWidget(window.libraries_tab)
    qtbot.waitUntil(lambda: window.libraries_tab.model.rowCount() > 0, timeout=WAIT_MS)
    window.tabs.setCurrentWidget(window.content_tab)
    qtbot.waitUntil(lambda: window.content_tab.model.rowCount() > 100, timeout=WAIT_MS)
    window.tabs.setCurrentWidget(window.tags_tab)
    qtbot.waitUntil(lambda: window.tags_tab.palette_model.rowCount() > 3, timeout=WAIT_MS)
    schedule = window.schedule_tab
    window.tabs.setCurrentWidget(schedule)
    qtbot.waitUntil(lambda: len(schedule.grid.blocks()) > 0, timeout=WAIT_MS)
    window.tabs.setCurrentWidget(window.playlog_tab)
    qtbot.waitUntil(lambda: window.playlog_tab.model.rowCount() > 0, timeout=WAIT_MS)

    shots: dict[str, QImage] = {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        _settle(qtbot)
        name = window.tabs.tabText(index).replace("&", "").replace(" ", "-").lower()
        shots[name] = window.grab().toImage()
    schedule_index = window.tabs.indexOf(schedule)
    window.tabs.setCurrentIndex(schedule_index)
    schedule.show_view("rundown", remember=False)
    schedule.rundown.set_day(TODAY)
    qtbot.waitUntil(lambda: schedule.rundown.model.rowCount() > 0, timeout=WAIT_MS)
    _settle(qtbot)
    shots["schedule-rundown"] = window.grab().toImage()
    window.tabs.setCurrentWidget(window.playlog_tab)
    window.playlog_tab.pages.setCurrentWidget(window.reconcile_page)
    _settle(qtbot)
    shots["play-log-reconciliation"] = window.grab().toImage()

    for name, image in shots.items():
        path = folder / f"demo-{name}.png"
        assert image.save(str(path)), path
        assert image.width() >= 1280 and image.height() >= 800
        assert _distinct_colours(image) > 8, f"{name} looks blank"
    print(f"\ndemo station screenshots: {folder}")
