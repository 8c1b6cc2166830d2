"""The reconciliation view on a real database (both backends), offscreen: the day read
on a worker, the colour-coded lines, the counts, the export through its seam, and a
screenshot to look at."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling import reconcile as rc
from retrovue_desktop.ui.reconcile_view import (
    AIRED_AT,
    AIRED_TITLE,
    DIFFERENCE,
    OUTCOME,
    PLANNED_AT,
    PLANNED_TITLE,
    ReconcileModel,
    ReconcileView,
    difference_text,
    outcome_colour,
)
from tests.test_programme_log import MONDAY, NY, TUESDAY, Station, build_station
from tests.test_reconcile import the_day

WAIT_MS = 10_000


@pytest.fixture
def station(sessions: sessionmaker[Session]) -> Station:
    st = build_station(sessions)
    with sessions.begin() as s:
        the_day(s, st)
    return st


@pytest.fixture
def view(qtbot: QtBot, sessions: sessionmaker[Session], station: Station) -> ReconcileView:
    widget = ReconcileView(sessions)
    qtbot.addWidget(widget)
    widget.resize(1000, 420)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitSignal(widget.refreshed, timeout=WAIT_MS):
        widget.show_day(station.channel, "3 · Retro", MONDAY, NY, 30)
    return widget


def test_the_model_passes_the_model_tester(
    qtmodeltester: ModelTester, sessions: sessionmaker[Session], station: Station
) -> None:
    model = ReconcileModel()
    qtmodeltester.check(model)
    with sessions() as s:
        lines = rc.reconcile(s, station.channel, MONDAY, NY).lines
    model.set_lines(lines, NY)
    qtmodeltester.check(model)
    assert model.rowCount() == 7


def test_difference_words() -> None:
    assert difference_text(None) == ""
    assert difference_text(0) == "0 s"
    assert difference_text(31) == "+31 s"
    assert difference_text(-65) == "\N{MINUS SIGN}1 min 5 s"


def test_the_day_beside_what_aired(
    qtbot: QtBot, view: ReconcileView, station: Station, tmp_path: Path
) -> None:
    model = view.model
    assert not view.reading() and model.rowCount() == 7 and view.table.isVisible()

    def row(number: int) -> list[str]:
        return [
            model.index(number, c).data()
            for c in (PLANNED_AT, PLANNED_TITLE, AIRED_AT, AIRED_TITLE, DIFFERENCE, OUTCOME)
        ]

    pilot = "Cheers \N{EM DASH} S01E01 Pilot"
    assert row(0) == ["20:00:00", pilot, "20:00:00", pilot, "0 s", "Aired as planned"]
    assert row(2) == ["20:10:30", "Tonight", "20:11:01", "Tonight", "+31 s", "Started late"]
    assert row(3)[4:] == ["\N{MINUS SIGN}45 s", "Started early"]
    assert row(4)[2:] == ["", "\N{EM DASH}", "", "Planned but not aired"]
    assert row(6) == ["", "\N{EM DASH}", "20:50:00", "Cars", "", "Aired but not planned"]
    late = model.index(2, OUTCOME)
    assert late.data(Qt.ItemDataRole.ForegroundRole) == outcome_colour(rc.LATE)
    assert late.data(Qt.ItemDataRole.FontRole).bold()
    assert "Note: as-run line 7" in model.index(6, AIRED_TITLE).data(Qt.ItemDataRole.ToolTipRole)
    counts = view.counts.text()
    for figure, outcome in ((3, rc.AS_PLANNED), (1, rc.LATE), (1, rc.EARLY), (1, rc.NOT_AIRED)):
        assert f"<b>{figure}</b></span> {outcome}" in counts
    assert view.tolerance_label.text() == "Late or early: more than 30 s"
    assert view.title.text() == "3 · Retro \N{MIDDLE DOT} Mon 23 Nov 2026"
    path = Path(os.environ.get("RETROVUE_SCREENSHOTS", tmp_path)) / "reconcile.png"
    assert view.grab().save(str(path))


def test_the_tolerance_and_another_day(qtbot: QtBot, view: ReconcileView, station: Station) -> None:
    with qtbot.waitSignal(view.refreshed, timeout=WAIT_MS):
        view.show_day(station.channel, "3 · Retro", MONDAY, NY, 31)
    assert view.model.index(2, OUTCOME).data() == "Aired as planned"
    assert view.tolerance_label.text() == "Late or early: more than 31 s"
    with qtbot.waitSignal(view.refreshed, timeout=WAIT_MS):
        view.show_day(station.channel, "3 · Retro", TUESDAY + timedelta(days=1), NY, 30)
    assert view.model.rowCount() == 0 and not view.table.isVisible()
    assert view.empty.text() == "Nothing was planned or aired on Wed 25 Nov 2026."
    assert not view.export_button.isEnabled()


def test_export_through_the_seam(view: ReconcileView, tmp_path: Path) -> None:
    asked: list[str] = []
    target = tmp_path / "out.csv"

    def choose(suggested: str) -> Path:
        asked.append(suggested)
        return target

    view.choose_export_path = choose
    assert view.export_button.isEnabled()
    view.export_button.click()
    assert asked == ["reconciliation-3---Retro-2026-11-23.csv"]
    expected = io.StringIO()
    assert view.reconciliation is not None
    rc.to_csv(view.reconciliation, expected)
    assert target.read_text(encoding="utf-8") == expected.getvalue()
    assert view.notice.text() == f"Exported 7 lines to {target}."


def test_an_export_that_cannot_be_written_says_so(view: ReconcileView, tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "out.csv"
    view.choose_export_path = lambda _suggested: target
    assert view.export() is None
    assert view.notice.text().startswith(f"Could not write {target}: No such file or directory")
    assert not target.exists()
    view.choose_export_path = lambda _suggested: None  # canceled: nothing happens
    assert view.export() is None
