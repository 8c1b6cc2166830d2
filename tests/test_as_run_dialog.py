"""The as-run import dialog, offscreen, on a real database: the import runs as a job and
its report (or the line-numbered error) is shown in the dialog; Browse goes through the
`choose_path` seam; a refused file writes nothing and can be imported once fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from shiboken6 import isValid as shiboken_valid
from sqlalchemy import func, select

from retrovue_desktop.store.tables import PLAYS
from retrovue_desktop.ui.as_run_dialog import (
    KEY_AS_RUN_FOLDER,
    AsRunImportDialog,
    open_as_run_import,
)
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.style import error_style
from tests.log_builders import MINUTE, Catalogue, channel

HEADER = "channel,start,end,kind,content_id,file_path,title,notes\n"


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def film(app_context: AppContext) -> int:
    with app_context.sessions() as s, s.begin():
        item = Catalogue.make(s).item("movie", "Night Film", 90 * MINUTE)
        channel(s, "One", number="3")
        return item


def _count(context: AppContext) -> int:
    with context.sessions() as s:
        return s.execute(select(func.count()).select_from(PLAYS)).scalar_one()


def _dialog(qtbot: QtBot, context: AppContext, settings: QSettings) -> AsRunImportDialog:
    dialog = AsRunImportDialog(context, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _import(qtbot: QtBot, dialog: AsRunImportDialog) -> None:
    with qtbot.waitSignal(dialog.import_ended, timeout=30_000):
        assert dialog.start_import()


def test_import_shows_the_report_and_the_unmatched_lines(
    qtbot: QtBot, app_context: AppContext, film: int, settings: QSettings, tmp_path: Path
) -> None:
    path = tmp_path / "asrun.csv"
    path.write_text(
        HEADER
        + "3,2026-11-24T20:00:00Z,2026-11-24T21:30:00Z,program,,,Night Film,\n"
        + "3,2026-11-24T21:30:00Z,,ad,,,Cola,\n",
        encoding="utf-8",
    )
    dialog = _dialog(qtbot, app_context, settings)
    assert not dialog.import_button.isEnabled()  # no file yet
    dialog.choose_path = lambda current: str(path)
    dialog.browse_button.click()
    assert dialog.path_edit.text() == str(path)
    assert dialog.import_button.isEnabled()
    sentences: list[str] = []
    dialog.imported.connect(sentences.append)
    _import(qtbot, dialog)

    expected = (
        "Imported 2 as-run rows: 1 matched to content, 0 to the programme log, 1 unmatched"
        " (kept with a note); 0 already present."
    )
    assert sentences == [expected]
    assert dialog.status.text() == f"asrun.csv: {expected}"
    assert dialog.unmatched_list.isVisible()
    assert dialog.unmatched_list.toPlainText() == (
        "Line 3: Unmatched: no content item is titled “Cola”."
    )
    assert dialog.isVisible() and dialog.cancel_button.text() == "Close"
    assert dialog.report is not None and dialog.report.imported == 2
    assert settings.value(KEY_AS_RUN_FOLDER) == str(tmp_path)
    assert _count(app_context) == 2
    dialog.resize(640, 420)
    dialog.grab().save(str(tmp_path / "as_run_dialog.png"))

    _import(qtbot, dialog)  # the same file again: nothing added
    assert dialog.report is not None and dialog.report.already_present == 2
    assert not dialog.unmatched_list.isVisible()
    assert _count(app_context) == 2


def test_a_malformed_line_is_shown_and_nothing_is_written(
    qtbot: QtBot, app_context: AppContext, film: int, settings: QSettings, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "3,2026-11-24T20:00:00Z,,program,,,Night Film,\n3,2026-11-24T21:00Z,,film,,,x,\n",
        encoding="utf-8",
    )
    dialog = _dialog(qtbot, app_context, settings)
    dialog.path_edit.setText(str(path))
    sentences: list[str] = []
    dialog.imported.connect(sentences.append)
    _import(qtbot, dialog)
    assert dialog.status.text().startswith("Line 3: “film” is not a kind; write one of")
    assert dialog.status.styleSheet() == error_style()
    assert sentences == [] and dialog.report is None
    assert _count(app_context) == 0
    dialog.resize(640, 300)
    dialog.grab().save(str(tmp_path / "as_run_error.png"))

    path.write_text(HEADER + "3,2026-11-24T20:00:00Z,,program,,,Night Film,\n", encoding="utf-8")
    _import(qtbot, dialog)  # fixed: it goes in
    assert dialog.status.styleSheet() == ""
    assert _count(app_context) == 1


def test_cancel_while_importing_writes_nothing_and_closes(
    qtbot: QtBot, app_context: AppContext, film: int, settings: QSettings, tmp_path: Path
) -> None:
    path = tmp_path / "big.csv"
    rows = "".join(
        f"3,2026-11-{1 + i // 1440:02d}T{i // 60 % 24:02d}:{i % 60:02d}:00Z,,ad,,,Night Film,\n"
        for i in range(20_000)
    )
    path.write_text(HEADER + rows, encoding="utf-8")
    dialog = open_as_run_import(None, app_context, settings)  # deletes itself on close
    dialog.path_edit.setText(str(path))
    with qtbot.waitSignal(dialog.import_ended, timeout=60_000):
        assert dialog.start_import()
        assert not dialog.start_import()  # one at a time
        assert dialog.cancel_button.text() == "Cancel"
        dialog.reject()
    assert dialog.status.text() == "Import canceled; nothing of the file was written."
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: not shiboken_valid(dialog))
    assert _count(app_context) == 0


def test_no_file_is_refused_with_a_sentence(
    qtbot: QtBot, app_context: AppContext, settings: QSettings
) -> None:
    dialog = _dialog(qtbot, app_context, settings)
    assert not dialog.start_import()
    assert dialog.status.text() == "Choose the as-run file to import."
