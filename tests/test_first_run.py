"""First run: the welcome page on an empty database, its three ways in, and the demo
station opened and left without touching the operator's own database."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text

from retrovue_desktop.demo.location import demo_database_url
from retrovue_desktop.store.migrations import prepare_database
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.main_window import DEMO_TITLE, WINDOW_TITLE, MainWindow
from retrovue_desktop.ui.station import Station
from tests.builders import station
from tests.fakeplex import FakePlexServer
from tests.fakeplex.fixtures import FAKE_PLEX_TOKEN
from tests.test_libraries_tab import _fill_dialog_and_accept

WAIT_MS = 60_000


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, app_context: AppContext) -> Iterator[MainWindow]:
    made = MainWindow(app_context, settings=_settings(tmp_path))
    qtbot.addWidget(made)
    made.resize(1280, 800)
    made.show()
    yield made
    made.close()


def test_empty_database_shows_the_welcome_page(window: MainWindow) -> None:
    assert window.welcome_shown()
    assert window.windowTitle() == WINDOW_TITLE
    page = window.welcome
    for button in (page.connect_button, page.folder_button, page.demo_button):
        assert button.isVisible()
    assert "Connect to Plex" in page.connect_button.text()
    assert "ads and bumpers" in page.folder_button.text()
    assert "demo station" in page.demo_button.text()


def test_a_station_with_anything_in_it_shows_the_tabs(
    qtbot: QtBot, tmp_path: Path, app_context: AppContext
) -> None:
    station(app_context.engine)
    made = MainWindow(app_context, settings=_settings(tmp_path))
    qtbot.addWidget(made)
    assert not made.welcome_shown()


def test_skip_and_tab_shortcuts_leave_the_welcome_page(qtbot: QtBot, window: MainWindow) -> None:
    window.welcome.skip_button.click()
    assert not window.welcome_shown()
    window.pages.setCurrentWidget(window.welcome)
    window.tabs.setCurrentIndex(0)
    for action in window.actions():
        if action.shortcut().toString() == "Ctrl+4":
            action.trigger()
    assert not window.welcome_shown()
    assert window.tabs.currentWidget() is window.schedule_tab


def test_connect_to_plex_adds_the_server_and_syncs_it(
    qtbot: QtBot, window: MainWindow, fake_plex: FakePlexServer, app_context: AppContext
) -> None:
    errors: list[str] = []
    _fill_dialog_and_accept(qtbot, fake_plex.url, FAKE_PLEX_TOKEN, errors)
    with qtbot.waitSignal(window.libraries_tab.job_finished, timeout=WAIT_MS):
        window.welcome.connect_button.click()
    assert errors == []
    assert not window.welcome_shown()
    assert window.tabs.currentWidget() is window.libraries_tab
    with app_context.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM content_items")).scalar_one() > 0


def test_a_cancelled_connect_goes_back_to_the_welcome_page(
    qtbot: QtBot, window: MainWindow
) -> None:
    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, cancel)
            return
        dialog.close()

    QTimer.singleShot(0, cancel)
    window.welcome.connect_button.click()
    assert window.welcome_shown()


def test_add_a_folder_imports_it(
    qtbot: QtBot, window: MainWindow, app_context: AppContext, tmp_path: Path
) -> None:
    folder = tmp_path / "ads"
    folder.mkdir()
    media = Path(__file__).parent / "media"
    sample = next(p for p in sorted(media.iterdir()) if p.suffix in {".mp4", ".mkv"})
    (folder / "Soda Pop 30s.mp4").write_bytes(sample.read_bytes())

    def choose_folder() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, choose_folder)
            return
        dialog.setDirectory(str(folder))
        dialog.selectFile(str(folder))
        QTimer.singleShot(0, choose_kind)
        dialog.accept()

    def choose_kind() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, choose_kind)
            return
        dialog.setTextValue("Ad")
        dialog.accept()

    QTimer.singleShot(0, choose_folder)
    with qtbot.waitSignal(window.libraries_tab.job_finished, timeout=WAIT_MS):
        window.welcome.folder_button.click()
    assert not window.welcome_shown()
    with app_context.engine.connect() as conn:
        kinds = conn.execute(text("SELECT kind FROM content_items")).scalars().all()
    assert kinds == ["ad"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def own_station(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Station, Path]]:
    """A Station on the operator's own (empty) SQLite file, as the app starts it."""
    path = tmp_path / "own.db"
    url = f"sqlite:///{path}"
    result = prepare_database(url)
    made = Station(url, _settings(tmp_path), today=lambda: date(2026, 11, 24))
    made.open(url, result)
    yield made, path
    if made.window is not None:
        made.window.close()
    made.shutdown()


def test_the_demo_opens_in_its_own_database_and_is_left_with_one_click(
    qtbot: QtBot, own_station: tuple[Station, Path]
) -> None:
    station_, own_path = own_station
    assert station_.window is not None
    with station_.context.engine.connect() as conn:  # type: ignore[union-attr]
        conn.execute(text("SELECT 1"))
    station_.context.engine.dispose()  # type: ignore[union-attr]
    before = _digest(own_path)

    with qtbot.waitSignal(station_.window_changed, timeout=WAIT_MS):
        station_.window.welcome.demo_button.click()
    demo_window = station_.window
    assert demo_window.demo
    assert "Demo" in demo_window.windowTitle()
    assert demo_window.windowTitle() == DEMO_TITLE
    assert station_.context is not None
    assert station_.context.database_url == demo_database_url()
    assert not demo_window.welcome_shown()
    assert demo_window.leave_demo_button.isVisible()
    assert _digest(own_path) == before

    with qtbot.waitSignal(station_.window_changed, timeout=WAIT_MS):
        demo_window.leave_demo_button.click()
    assert station_.window is not demo_window
    assert station_.context.database_url == f"sqlite:///{own_path}"
    assert not station_.window.demo
    assert station_.window.windowTitle() == WINDOW_TITLE
    assert station_.window.welcome_shown()
    station_.context.engine.dispose()
    assert _digest(own_path) == before
    engine = create_engine(f"sqlite:///{own_path}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM content_items")).scalar_one() == 0
    engine.dispose()


def test_a_switch_the_window_refuses_keeps_it(
    qtbot: QtBot, own_station: tuple[Station, Path], tmp_path: Path
) -> None:
    station_, _own = own_station
    window = station_.window
    assert window is not None
    bad = tmp_path / "not-a-database.db"
    bad.write_text("this is not SQLite")
    shown: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, close_box)
            return
        shown.append(box.windowTitle())
        box.close()

    QTimer.singleShot(0, close_box)
    assert not station_.switch_to(f"sqlite:///{bad}")
    assert station_.window is window
    assert shown and "cannot open" in shown[0]


def test_settings_move_the_database_and_the_window_reopens_on_it(
    qtbot: QtBot, own_station: tuple[Station, Path], tmp_path: Path
) -> None:
    station_, own_path = own_station
    window = station_.window
    assert window is not None and station_.context is not None
    station(station_.context.engine)
    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    target = tmp_path / "moved" / "station.db"
    with qtbot.waitSignal(dialog.move_ended, timeout=WAIT_MS):
        assert dialog.move_database(str(target)) is not None
    assert "now uses it" in dialog.status.text()
    assert station_.window is window  # the operator reads the outcome first
    with qtbot.waitSignal(station_.window_changed, timeout=WAIT_MS):
        dialog.reject()
    assert station_.context.database_url == f"sqlite:///{target}"
    assert not station_.window.welcome_shown()
    assert own_path.exists()  # the old database is kept as it was


def test_the_demo_station_cannot_be_moved(
    qtbot: QtBot, own_station: tuple[Station, Path]
) -> None:
    station_, _own = own_station
    with qtbot.waitSignal(station_.window_changed, timeout=WAIT_MS):
        station_.open_demo()
    assert station_.window is not None and station_.window.demo
    dialog = station_.window.open_settings()
    assert dialog.move_database("/tmp/anywhere.db") is None
    assert "demo station cannot be moved" in dialog.status.text()
    dialog.reject()
