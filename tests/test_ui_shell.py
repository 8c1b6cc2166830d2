"""The main window: five tabs, menus, status bar, and state remembered between runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from retrovue_desktop import __version__
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.main_window import MainWindow

TAB_NAMES = ["Libraries", "Content", "Tags", "Schedule", "Play Log"]


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot: QtBot, tmp_path: Path, app_context: AppContext) -> Callable[[], MainWindow]:
    def make() -> MainWindow:
        window = MainWindow(app_context, settings=_settings(tmp_path))
        qtbot.addWidget(window)
        return window

    return make


def test_main_window_has_five_tabs(
    qtbot: QtBot, make_window: Callable[[], MainWindow], app_context: AppContext
) -> None:
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    names = [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]
    assert names == TAB_NAMES
    for i in range(window.tabs.count()):  # every tab is built now
        labels = window.tabs.widget(i).findChildren(QLabel, "notBuiltYet")
        assert not labels, f"tab {names[i]} still says it is not built yet"
    assert app_context.database_location in window.database_label.text()


def test_menu_has_quit_and_about(
    make_window: Callable[[], MainWindow], app_context: AppContext
) -> None:
    window = make_window()
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus == ["File", "Edit", "Libraries", "Content", "Tags", "Schedule", "Play Log", "Help"]
    assert window.settings_action.shortcut().toString() == "Ctrl+,"
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert window.redo_action.shortcut().toString() == "Ctrl+Shift+Z"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    about = window.about_text()
    assert __version__ in about and app_context.database_location in about
    assert app_context.schema_revision in about


def test_geometry_and_last_tab_are_remembered(
    qtbot: QtBot, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    window.resize(1111, 777)
    window.tabs.setCurrentIndex(3)
    window.close()

    again = make_window()
    again.show()
    qtbot.waitExposed(again)
    assert again.tabs.currentIndex() == 3
    assert (again.width(), again.height()) == (1111, 777)


def test_ctrl_number_switches_tabs(qtbot: QtBot, make_window: Callable[[], MainWindow]) -> None:
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    for action in window.actions():
        if action.shortcut().toString() == "Ctrl+5":
            action.trigger()
    assert window.tabs.currentIndex() == 4


def test_quit_action_closes_window(
    qtbot: QtBot, tmp_path: Path, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    window.quit_action.trigger()
    QApplication.processEvents()
    assert not window.isVisible()
    assert _settings(tmp_path).value("mainWindow/geometry") is not None
