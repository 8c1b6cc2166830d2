"""The Play Log tab: its paged model (qtmodeltester, fetchMore), the filter bar, the
CSV export seam, archive mode and remembered filters, offscreen."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from retrovue_desktop.scheduling.play_query import CSV_COLUMNS, PlayFilter, page
from retrovue_desktop.ui import play_log_model
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.play_log_model import PlayLogModel
from retrovue_desktop.ui.play_log_tab import PlayLogTab
from tests.playlog_data import BASE, fill_play_log


@pytest.fixture
def filled(app_context: AppContext) -> dict[str, int]:
    with app_context.sessions() as s, s.begin():
        return fill_play_log(s)


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _tab(qtbot: QtBot, app_context: AppContext, tmp_path: Path) -> PlayLogTab:
    tab = PlayLogTab(app_context, _settings(tmp_path))
    tab.station_zone = lambda: "UTC"
    tab.now = lambda: BASE + 12 * 3600
    qtbot.addWidget(tab)
    return tab


def test_model_passes_the_tester_and_fetches_pages(
    qtmodeltester: object,
    app_context: AppContext,
    filled: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(play_log_model, "PAGE", 5)
    model = PlayLogModel(app_context.sessions, lambda: "UTC")
    model.set_filter(PlayFilter())
    assert model.rowCount() == 5 and model.canFetchMore()
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == filled["rows"]
    with app_context.sessions() as s:
        assert [r.id for r in model.shown_rows()] == [r.id for r in page(s, PlayFilter(), 0, 999)]
    model.sort(5, Qt.SortOrder.DescendingOrder)  # title, in SQL
    assert model.sort_key == "title" and model.rowCount() == 5
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    first = model.index(0, 0)
    assert model.data(first) and model.data(model.index(0, 3)) in {
        "3 · Retro One",
        "10 · Late Show",
    }


def test_model_archive_mode(
    qtmodeltester: object, app_context: AppContext, filled: dict[str, int]
) -> None:
    with app_context.sessions() as s:
        rows = page(s, PlayFilter(kinds=("ad",)), 0, 999)
    model = PlayLogModel(app_context.sessions, lambda: "UTC")
    model.show_archive(rows)
    assert model.is_archive() and not model.canFetchMore()
    assert model.rowCount() == len(rows)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [r.id for r in model.shown_rows()] == [r.id for r in reversed(rows)]
    model.show_live()
    assert not model.is_archive() and model.rowCount() > 0


def test_filters_export_archive_and_memory(
    qtbot: QtBot, app_context: AppContext, filled: dict[str, int], tmp_path: Path
) -> None:
    tab = _tab(qtbot, app_context, tmp_path)
    tab.resize(1280, 760)
    tab.show()
    qtbot.waitExposed(tab)
    with qtbot.waitSignal(tab.summary_ready, timeout=10_000):
        tab.set_filter(channel_id=filled["one"], days=(date(2026, 11, 23), date(2026, 11, 25)))
    with app_context.sessions() as s:
        expected = page(s, tab.current_filter(), 0, 999)
    assert [r.id for r in tab.model.shown_rows()] == [r.id for r in expected]
    assert len(expected) == 21 and tab.summary_label.text() == "21 rows"
    assert tab.totals_table.rowCount() == 3
    assert tab.totals_table.item(0, 1).text() == "3 · Retro One"
    tab.grab().save(str(tmp_path / "playlog.png"))

    with qtbot.waitSignal(tab.summary_ready, timeout=10_000):
        tab.set_filter(kind="ad")
    assert {r.item_kind for r in tab.model.shown_rows()} == {"ad"}
    # Search is debounced: typing does not reload until the pause.
    with qtbot.waitSignal(tab.summary_ready, timeout=10_000):
        tab.search.setText("fizzy")
    assert all(r.title == "Fizzy Spot" for r in tab.model.shown_rows())
    shown = [r.id for r in tab.model.shown_rows()]
    assert shown

    # Export through the path seam: the file holds the filtered rows.
    target = tmp_path / "out" / "ads"
    target.parent.mkdir()
    tab.choose_export_path = lambda suggested: target
    with qtbot.waitSignal(tab.export_finished, timeout=10_000) as done:
        assert tab.export_csv() is not None
    assert "Exported" in done.args[0]
    lines = list(csv.reader((tmp_path / "out" / "ads.csv").open(encoding="utf-8")))
    assert lines[0] == list(CSV_COLUMNS) and [int(x[0]) for x in lines[1:]] == shown
    # A folder that cannot be written: a sentence, no file.
    tab.choose_export_path = lambda suggested: tmp_path / "missing" / "x.csv"
    with qtbot.waitSignal(tab.export_finished, timeout=10_000) as failed:
        assert tab.export_csv() is not None  # right after the first one
    assert "could not be exported" in failed.args[0]
    assert not (tmp_path / "missing").exists()
    tab.choose_export_path = lambda suggested: None
    assert tab.export_csv() is None  # cancelled dialog: nothing runs

    # Archive mode: banner, read-only rows, back to live.
    with app_context.sessions() as s:
        archived = page(s, PlayFilter(channel_ids=(filled["two"],)), 0, 999)
    tab.show_archive("2026-W48", archived)
    assert tab.banner.isVisible() and "Archived week 2026-W48, read-only" in tab.banner_label.text()
    assert not tab.filter_bar.isEnabled() and tab.model.rowCount() == 21
    assert tab.summary_label.text() == "21 rows" and tab.totals_table.rowCount() >= 2
    tab.grab().save(str(tmp_path / "archive.png"))
    with qtbot.waitSignal(tab.summary_ready, timeout=10_000):
        tab.back_button.click()
    assert not tab.banner.isVisible() and tab.filter_bar.isEnabled()
    assert all(r.title == "Fizzy Spot" for r in tab.model.shown_rows())
    tab.shutdown()

    # The filters come back in a new tab.
    again = _tab(qtbot, app_context, tmp_path)
    assert again.channel_box.currentData() == filled["one"]
    assert again.kind_box.currentData() == "ad" and again.search.text() == "fizzy"
    assert again.range_box.currentData() == "custom"
    assert again.current_filter().first_day == date(2026, 11, 23)
    assert again.current_filter().last_day == date(2026, 11, 25)
    again.shutdown()


def test_presets_and_shortcuts(
    qtbot: QtBot, app_context: AppContext, filled: dict[str, int], tmp_path: Path
) -> None:
    tab = _tab(qtbot, app_context, tmp_path)
    tab.show()
    qtbot.waitExposed(tab)
    with qtbot.waitSignal(tab.summary_ready, timeout=10_000):
        tab.set_filter(channel_id=0, range_key="today")
    flt = tab.current_filter()
    assert (flt.first_day, flt.last_day) == (date(2026, 11, 23), date(2026, 11, 23))
    assert tab.model.rowCount() == 16  # 8 rows that day on each channel
    tab.set_filter(range_key="last7")
    assert tab.current_filter().first_day == date(2026, 11, 17)
    tab.set_filter(range_key="week")  # weeks start on Sunday by default
    assert tab.current_filter().first_day == date(2026, 11, 22)
    assert tab.current_filter().last_day == date(2026, 11, 28)
    tab.activateWindow()
    qtbot.keyClick(tab.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.search.hasFocus()
    tab.shutdown()
