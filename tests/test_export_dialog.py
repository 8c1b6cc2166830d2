"""The export dialog and the File menu's export actions, offscreen, on a real database:
the export runs as a job, its result reaches the status bar, choices are remembered."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import QDialog, QMenu
from pytestqt.qtbot import QtBot

from retrovue_desktop.ui import settings as app_settings
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.export_dialog import M3U, XMLTV, ExportDialog
from retrovue_desktop.ui.main_window import MainWindow
from tests.export_builders import STATION_ZONE, Station, station


@pytest.fixture
def ids(app_context: AppContext) -> Station:
    with app_context.sessions() as s, s.begin():
        return station(s)


@pytest.fixture(autouse=True)
def station_zone() -> Iterator[None]:
    """The station's zone in the shared settings for these tests, then as it was."""
    settings = app_settings.app_settings()
    before = settings.value(app_settings.KEY_STATION_TIME_ZONE)
    settings.setValue(app_settings.KEY_STATION_TIME_ZONE, STATION_ZONE)
    settings.sync()
    yield
    if before is None:
        settings.remove(app_settings.KEY_STATION_TIME_ZONE)
    else:
        settings.setValue(app_settings.KEY_STATION_TIME_ZONE, before)
    settings.sync()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _dialog(qtbot: QtBot, context: AppContext, kind: str, settings: QSettings) -> ExportDialog:
    dialog = ExportDialog(context, kind, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _export(qtbot: QtBot, dialog: ExportDialog) -> None:
    with qtbot.waitSignal(dialog.export_ended, timeout=30_000):
        assert dialog.start_export()


def test_guide_export_with_warnings_stays_open_to_show_them(
    qtbot: QtBot, app_context: AppContext, ids: Station, settings: QSettings, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, app_context, XMLTV, settings)
    assert dialog.windowTitle() == "Export guide (XMLTV)"
    assert dialog.export_button.text() == "Export guide"
    path = tmp_path / "guide.xml"
    dialog.path_edit.setText(str(path))
    dialog.from_edit.setDate(QDate(2026, 3, 7))
    dialog.days_spin.setValue(2)
    lines: list[str] = []
    dialog.exported.connect(lines.append)
    _export(qtbot, dialog)

    root = ET.fromstring(path.read_bytes())
    assert len(list(root.iter("programme"))) == 9
    assert lines == [f"Wrote the guide (2 channels, 9 programmes) to {path}."]
    assert dialog.isVisible()  # a programme's item is gone: the operator reads why
    assert "left out of “Retro One”'s guide" in dialog.status.text()
    assert dialog.cancel_button.text() == "Close"
    assert dialog.path_edit.isEnabled() and not dialog.progress_bar.isVisible()
    assert settings.value(app_settings.KEY_EXPORT_DAYS) in (2, "2")
    assert settings.value(app_settings.KEY_EXPORT_FOLDER) == str(tmp_path)

    again = _dialog(qtbot, app_context, XMLTV, settings)
    assert again.days_spin.value() == 2
    assert Path(again.path_edit.text()).parent == tmp_path


def test_playlist_export_closes_and_remembers_the_template(
    qtbot: QtBot, app_context: AppContext, ids: Station, settings: QSettings, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, app_context, M3U, settings)
    assert dialog.template_edit.text() == "http://localhost:8409/channels/{number}.ts"
    dialog.template_edit.setText("http://tv/{id}.ts")
    # Browse goes through the seam; a name without a suffix gets the format's
    dialog.choose_path = lambda current: str(tmp_path / "lineup")
    dialog.browse()
    assert dialog.target_path() == tmp_path / "lineup.m3u"
    _export(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    text = (tmp_path / "lineup.m3u").read_text()
    assert text.startswith("#EXTM3U\n") and f"http://tv/{ids.retro}.ts" in text
    assert app_settings.stream_url_template(settings) == "http://tv/{id}.ts"


def test_refused_input_is_shown_and_nothing_runs(
    qtbot: QtBot, app_context: AppContext, ids: Station, settings: QSettings, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, app_context, M3U, settings)
    dialog.path_edit.setText(str(tmp_path / "c.m3u"))
    dialog.template_edit.setText("http://tv/{channel}")
    assert not dialog.start_export()
    assert "uses {channel}, which is not a placeholder" in dialog.status.text()
    dialog.path_edit.setText("  ")
    assert not dialog.start_export()
    assert dialog.status.text() == "Choose the file to write."
    assert not dialog.is_running() and not list(tmp_path.glob("*.m3u"))


def test_a_failed_export_says_why_and_writes_nothing(
    qtbot: QtBot, app_context: AppContext, ids: Station, settings: QSettings, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, app_context, XMLTV, settings)
    dialog.path_edit.setText(str(tmp_path / "gone" / "guide.xml"))
    _export(qtbot, dialog)
    assert dialog.isVisible()
    assert f"The folder {tmp_path / 'gone'} does not exist" in dialog.status.text()
    assert not (tmp_path / "gone").exists()
    assert settings.value(app_settings.KEY_EXPORT_FOLDER) is None


def test_file_menu_exports_and_reports_in_the_status_bar(
    qtbot: QtBot, app_context: AppContext, ids: Station, settings: QSettings, tmp_path: Path
) -> None:
    window = MainWindow(app_context, settings=settings)
    qtbot.addWidget(window)
    window.show()
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    texts = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert texts == [
        "&Import as-run…",
        "Play log &archives…",
        "Export &guide (XMLTV)…",
        "Export &playlist (M3U)…",
        "Open the &demo station",
        "&Quit",
    ]

    window.export_playlist_action.trigger()
    dialog = window.export_dialog
    assert dialog is not None and dialog.kind == M3U and dialog.isVisible()
    dialog.reject()
    qtbot.waitUntil(lambda: window.export_dialog is None)

    window.export_guide_action.trigger()
    dialog = window.export_dialog
    assert dialog is not None and dialog.kind == XMLTV and dialog.isModal()
    path = tmp_path / "guide.xml"
    dialog.path_edit.setText(str(path))
    dialog.from_edit.setDate(QDate(2026, 3, 8))
    dialog.days_spin.setValue(1)
    _export(qtbot, dialog)
    assert window.statusBar().currentMessage() == (
        f"Wrote the guide (2 channels, 3 programmes) to {path}."
    )
