"""The main window: five tabs, menus, status bar, and state remembered between runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from retrovue_desktop import __version__
from retrovue_desktop.ui.main_window import MainWindow

TAB_NAMES = ["Libraries", "Content", "Tags", "Schedule", "Play Log"]


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    window = MainWindow("/tmp/station.db", "0002_canonical_uri", settings=_settings(tmp_path))
    qtbot.addWidget(window)
    return window


def test_main_window_has_five_tabs(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path)
    window.show()
    qtbot.waitExposed(window)
    names = [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]
    assert names == TAB_NAMES
    for i in range(window.tabs.count()):
        labels = window.tabs.widget(i).findChildren(QLabel, "notBuiltYet")
        assert labels, f"tab {names[i]} should say it is not built yet"
    assert "/tmp/station.db" in window.database_label.text()


def test_menu_has_quit_and_about(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path)
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus == ["File", "Help"]
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    about = window.about_text()
    assert __version__ in about and "/tmp/station.db" in about and "0002_canonical_uri" in about


def test_geometry_and_last_tab_are_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path)
    window.show()
    qtbot.waitExposed(window)
    window.resize(1111, 777)
    window.tabs.setCurrentIndex(3)
    window.close()

    again = _window(qtbot, tmp_path)
    again.show()
    qtbot.waitExposed(again)
    assert again.tabs.currentIndex() == 3
    assert (again.width(), again.height()) == (1111, 777)


def test_ctrl_number_switches_tabs(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    for action in window.actions():
        if action.shortcut().toString() == "Ctrl+5":
            action.trigger()
    assert window.tabs.currentIndex() == 4


def test_quit_action_closes_window(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path)
    window.show()
    qtbot.waitExposed(window)
    window.quit_action.trigger()
    QApplication.processEvents()
    assert not window.isVisible()
    assert _settings(tmp_path).value("mainWindow/geometry") is not None
