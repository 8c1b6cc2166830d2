"""The Settings dialog offscreen on a real database: OK writes what the form holds, Cancel
writes nothing, Restore defaults resets the form, a bad zone is refused with a sentence,
and "Move database" copies every row to a new file and says where it went."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, create_engine

from retrovue_desktop.store import models as m
from retrovue_desktop.store.engine import make_session_factory, sqlite_path
from retrovue_desktop.ui import settings as s
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.settings_dialog import SettingsDialog
from tests.builders import add, migrated_engine
from tests.test_relocate import every_row, fill


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def dialog(qtbot: QtBot, app_context: AppContext, settings: QSettings) -> SettingsDialog:
    window = SettingsDialog(app_context, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _edit(dialog: SettingsDialog) -> None:
    dialog.zone_box.setCurrentText("America/Chicago")
    dialog.rating_box.setCurrentIndex(dialog.rating_box.findData("TV-14"))
    dialog.weekday_box.setCurrentIndex(1)
    dialog.snap_box.setCurrentIndex(dialog.snap_box.findData(0))
    dialog.weeks_spin.setValue(26)
    dialog.tolerance_spin.setValue(90)
    dialog.timeout_spin.setValue(120)
    dialog.concurrency_spin.setValue(8)
    dialog.workers_spin.setValue(4)
    dialog.file_timeout_spin.setValue(15)


EDITED = {
    s.KEY_STATION_TIME_ZONE: "America/Chicago",
    s.KEY_STATION_MAX_RATING: "TV-14",
    s.KEY_FIRST_WEEKDAY: 1,
    s.KEY_SNAP: 0,
    s.KEY_PLAYLOG_WEEKS_KEPT: 26,
    s.KEY_PLAYLOG_TOLERANCE: 90,
    s.KEY_PLEX_TIMEOUT: 120,
    s.KEY_PLEX_CONCURRENCY: 8,
    s.KEY_VALIDATION_WORKERS: 4,
    s.KEY_VALIDATION_TIMEOUT: 15,
}


def _stored(settings: QSettings) -> dict[str, object]:
    return {key: s.SETTINGS[key].read(settings) for key in EDITED}


def test_ok_writes_every_field_and_says_so(
    qtbot: QtBot, dialog: SettingsDialog, settings: QSettings, tmp_path: Path
) -> None:
    _edit(dialog)
    with qtbot.waitSignal(dialog.settings_changed):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    reread = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert _stored(reread) == EDITED
    assert s.sync_options(reread).timeout == 120.0
    assert s.validation_options(reread) == s.ValidationOptions(4, 15.0)


def test_the_form_opens_on_the_stored_values(
    qtbot: QtBot, app_context: AppContext, settings: QSettings
) -> None:
    for key, value in EDITED.items():
        settings.setValue(key, value)
    again = SettingsDialog(app_context, settings)
    qtbot.addWidget(again)
    assert again.values() == EDITED


def test_cancel_writes_nothing(dialog: SettingsDialog, settings: QSettings) -> None:
    before = _stored(settings)
    _edit(dialog)
    dialog.reject()
    assert _stored(settings) == before
    assert settings.allKeys() == []


def test_restore_defaults_resets_the_form_and_ok_writes_the_defaults(
    dialog: SettingsDialog, settings: QSettings
) -> None:
    _edit(dialog)
    dialog.restore_defaults()
    defaults = {key: s.SETTINGS[key].default_value() for key in EDITED}
    assert dialog.values() == defaults
    assert settings.allKeys() == []  # nothing written before OK
    dialog.accept()
    assert _stored(settings) == defaults


def test_an_unknown_zone_is_refused_with_a_sentence_and_nothing_is_written(
    dialog: SettingsDialog, settings: QSettings
) -> None:
    _edit(dialog)
    dialog.tabs.setCurrentIndex(3)
    dialog.zone_box.setCurrentText("Mars/Olympus_Mons")
    dialog.accept()
    assert dialog.isVisible()
    assert "Mars/Olympus_Mons" in dialog.status.text()
    assert "not a time zone" in dialog.status.text()
    assert dialog.tabs.currentIndex() == 0  # the field's tab is shown
    assert settings.allKeys() == []


def test_fields_have_mnemonics_and_buddies(dialog: SettingsDialog) -> None:
    labels = [label for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    assert len(labels) >= 11
    assert all("&" in label.text() for label in labels)
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert all("&" in text for text in tabs)
    assert dialog.defaults_button.text() == "&Restore defaults"


def _filled_context(app_context: AppContext) -> Engine:
    fill(app_context.engine)
    return app_context.engine


def test_move_database_copies_every_row_and_emits_the_new_url(
    qtbot: QtBot, dialog: SettingsDialog, app_context: AppContext, settings: QSettings,
    tmp_path: Path,
) -> None:  # fmt: skip
    before = every_row(_filled_context(app_context))
    target = tmp_path / "elsewhere" / "moved.db"
    dialog.choose_database_file = lambda _start: str(target)
    dialog.tabs.setCurrentIndex(3)
    with (
        qtbot.waitSignal(dialog.database_moved, timeout=60_000) as moved,
        qtbot.waitSignal(dialog.move_ended, timeout=60_000),
    ):
        qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
        assert dialog.stop_button.isVisible()
    url = moved.args[0]
    assert sqlite_path(url) == target
    assert s.database_location_setting(settings) == url
    assert "kept" in dialog.status.text() and str(target) in dialog.location_edit.text()
    assert dialog.move_button.isEnabled() and not dialog.stop_button.isVisible()
    engine = create_engine(url)
    try:
        assert every_row(engine) == before
    finally:
        engine.dispose()
    assert every_row(app_context.engine) == before  # the old one is kept


def test_the_current_database_or_a_relative_path_is_refused_before_any_work(
    qtbot: QtBot, dialog: SettingsDialog, app_context: AppContext, settings: QSettings
) -> None:
    other = sqlite_path(app_context.database_url)
    assert other is not None
    with qtbot.assertNotEmitted(dialog.database_moved):
        assert dialog.move_database(str(other)) is None
    assert "already at" in dialog.status.text()
    assert s.database_location_setting(settings) is None
    assert dialog.move_database("not/absolute.db") is None
    assert "full path" in dialog.status.text()


def test_a_stopped_move_removes_the_copy(
    qtbot: QtBot, dialog: SettingsDialog, app_context: AppContext, settings: QSettings,
    tmp_path: Path,
) -> None:  # fmt: skip
    _filled_context(app_context)
    target = tmp_path / "stopped.db"
    job = dialog.move_database(str(target))
    assert job is not None
    dialog.stop_move()
    with qtbot.assertNotEmitted(dialog.database_moved):
        qtbot.waitUntil(lambda: not job.is_running(), timeout=60_000)
    assert "stopped" in dialog.status.text()  # the stop is asked before the first batch ends
    assert not target.exists()
    assert s.database_location_setting(settings) is None
    assert dialog.move_button.isEnabled()


def test_a_move_onto_a_file_with_data_fails_with_a_sentence_and_nothing_switches(
    qtbot: QtBot, dialog: SettingsDialog, app_context: AppContext, settings: QSettings,
    tmp_path: Path,
) -> None:  # fmt: skip
    _filled_context(app_context)
    taken = tmp_path / "taken.db"
    engine = migrated_engine(f"sqlite:///{taken}")
    with make_session_factory(engine)() as session, session.begin():
        add(session, m.Channel, name="Someone else's")
    before = every_row(engine)
    dialog.target_edit.setText(str(taken))
    with (
        qtbot.assertNotEmitted(dialog.database_moved),
        qtbot.waitSignal(dialog.move_ended, timeout=60_000),
    ):
        qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    assert "already holds data" in dialog.status.text()
    assert s.database_location_setting(settings) is None
    assert every_row(engine) == before
    engine.dispose()


def test_a_database_that_may_not_move_says_why(
    qtbot: QtBot, app_context: AppContext, settings: QSettings, tmp_path: Path
) -> None:
    demo = SettingsDialog(app_context, settings, move_refusal="The demo station stays put.")
    qtbot.addWidget(demo)
    assert not demo.move_button.isEnabled() and not demo.target_edit.isEnabled()
    assert demo.move_database(str(tmp_path / "x.db")) is None
    assert demo.status.text() == "The demo station stays put."
    assert not (tmp_path / "x.db").exists()
