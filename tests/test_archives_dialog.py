"""The play log archives dialog and the start-up rotation, offscreen, on a real SQLite
database and real archive files: rotate, open read-only through the callback, restore
through the confirm seam, and the once-a-day start-up run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from retrovue_desktop.scheduling.play_archive import RotationReport, read_archive
from retrovue_desktop.scheduling.play_rows import PlayRow
from retrovue_desktop.store import models as m
from retrovue_desktop.store.tables import PLAYS
from retrovue_desktop.ui import settings as app_settings
from retrovue_desktop.ui.archives_dialog import ArchivesDialog, archive_label, week_dates
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.rotation_job import (
    KEY_LAST_ROTATION,
    archive_dir,
    last_rotation,
    rotate_if_due,
)
from tests.builders import add, station
from tests.test_play_archive import KEPT, NOW

OLD = ["2026-11-02T20:00:00+00:00", "2026-11-03T06:00:00+00:00", "2026-11-10T12:00:00+00:00"]


@pytest.fixture(autouse=True)
def no_last_rotation() -> Iterator[None]:
    settings = app_settings.app_settings()
    settings.remove(KEY_LAST_ROTATION)
    yield
    settings.remove(KEY_LAST_ROTATION)


@pytest.fixture
def filled(app_context: AppContext) -> AppContext:
    ids = station(app_context.engine)
    with app_context.sessions() as s, s.begin():
        for start in OLD:
            add(s, m.PlayLogEntry, channel_id=ids["channel"], ts_start=start, item_kind="ad")
    return app_context


def _live(context: AppContext) -> int:
    with context.sessions() as s:
        return int(s.execute(select(func.count()).select_from(PLAYS)).scalar_one())


class Opened:
    def __init__(self) -> None:
        self.calls: list[tuple[str, list[PlayRow]]] = []

    def __call__(self, label: str, rows: list[PlayRow]) -> None:
        self.calls.append((label, rows))


def _dialog(qtbot: QtBot, context: AppContext, directory: Path, opened: Opened) -> ArchivesDialog:
    dialog = ArchivesDialog(context, opened, directory=directory, weeks_kept=KEPT)
    qtbot.addWidget(dialog)
    dialog.clock = lambda: NOW
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=10_000)
    dialog.show()
    return dialog


def _act(qtbot: QtBot, dialog: ArchivesDialog, action: object) -> None:
    with qtbot.waitSignal(dialog.job_ended, timeout=30_000):
        assert callable(action) and action()


def test_weeks_read_as_their_days() -> None:
    assert week_dates("2026-W46") == "9\u201315 Nov 2026"
    assert week_dates("2026-W49") == "30 Nov \u2013 6 Dec 2026"
    assert week_dates("2026-W53") == "28 Dec 2026 \u2013 3 Jan 2027"
    assert archive_label("2026-W46") == "Archived week 2026-W46 (9\u201315 Nov 2026)"


def test_rotate_open_and_restore(qtbot: QtBot, filled: AppContext, tmp_path: Path) -> None:
    directory = tmp_path / "archive"
    opened = Opened()
    dialog = _dialog(qtbot, filled, directory, opened)
    assert dialog.empty.isVisible() and not dialog.table.isVisible()
    assert not dialog.open_button.isEnabled() and dialog.rotate_button.isEnabled()

    messages: list[str] = []
    changed: list[bool] = []
    dialog.message.connect(messages.append)
    dialog.play_log_changed.connect(lambda: changed.append(True))
    _act(qtbot, dialog, dialog.rotate_now)
    assert messages == [
        f"Archived 3 play log rows of 2 weeks (2026-W45 to 2026-W46) into {directory}."
    ]
    assert changed == [True] and _live(filled) == 1  # the station's row, in a kept week
    assert last_rotation() == NOW
    assert [i.week for i in dialog.archives] == ["2026-W45", "2026-W46"]
    assert dialog.table.rowCount() == 2 and dialog.table.isVisible()
    assert dialog.table.item(0, 0).text() == "2026-W45  ·  2\u20138 Nov 2026"
    assert dialog.table.item(0, 1).text() == "2"
    assert dialog.table.item(0, 4).text() == "play-log-2026-W45.csv.gz"
    dialog.grab().save(str(tmp_path / "archives.png"))

    dialog.select_week("2026-W45")
    assert dialog.restore_button.isEnabled()
    questions: list[str] = []
    dialog.confirm = lambda question: bool(questions.append(question))  # says no
    assert not dialog.restore_selected() and _live(filled) == 1
    assert "Put the 2 rows of 2026-W45 (2\u20138 Nov 2026) back" in questions[0]
    dialog.confirm = lambda _question: True
    _act(qtbot, dialog, dialog.restore_selected)
    assert _live(filled) == 3 and dialog.status.text() == "Restored 2 play log rows of 2026-W45."
    dialog.select_week("2026-W45")
    _act(qtbot, dialog, dialog.restore_selected)
    assert _live(filled) == 3
    assert dialog.status.text() == (
        "Restored 0 play log rows of 2026-W45. 2 were already there or belong to a removed channel."
    )

    dialog.select_week("2026-W46")
    _act(qtbot, dialog, dialog.open_selected)
    ((label, rows),) = opened.calls
    assert label == "Archived week 2026-W46 (9\u201315 Nov 2026)"
    assert rows == read_archive(directory / "play-log-2026-W46.csv.gz")
    assert [r.ts_start for r in rows] == OLD[2:]
    assert not dialog.isVisible()


def test_a_failing_rotation_shows_its_sentence(
    qtbot: QtBot, filled: AppContext, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    dialog = _dialog(qtbot, filled, blocker / "archive", Opened())
    _act(qtbot, dialog, dialog.rotate_now)
    assert "could not be written" in dialog.status.text() and _live(filled) == 4


def test_start_up_rotation_runs_once_a_day(
    qtbot: QtBot, filled: AppContext, tmp_path: Path
) -> None:
    assert archive_dir().name == "play-log-archive"
    directory = tmp_path / "archive"
    job = rotate_if_due(filled, weeks_kept=KEPT, directory=directory, now=NOW)
    assert job is not None
    reports: list[object] = []
    job.succeeded.connect(reports.append)
    qtbot.waitUntil(lambda: last_rotation() == NOW, timeout=30_000)
    assert job.wait(30_000)
    assert _live(filled) == 1 and isinstance(reports[0], RotationReport)
    assert reports[0].deleted == 3
    assert rotate_if_due(filled, weeks_kept=KEPT, directory=directory, now=NOW + 3_600) is None
    later = rotate_if_due(filled, weeks_kept=KEPT, directory=directory, now=NOW + 86_400)
    assert later is not None
    qtbot.waitUntil(lambda: last_rotation() == NOW + 86_400, timeout=30_000)
    assert later.wait(30_000)
