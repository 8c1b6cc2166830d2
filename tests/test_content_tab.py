"""The Content tab and its model, driven through real widgets on a migrated SQLite file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, text

from retrovue_desktop.store import models as m
from retrovue_desktop.store.content_query import ContentFilter
from retrovue_desktop.ui.content_model import CHUNK, COLUMNS, HEAD, PAGE, ContentTableModel
from retrovue_desktop.ui.content_tab import ContentTab, count_text
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.edits import CatalogEdits

ITEMS = 5_000


def _fill(context: AppContext) -> None:
    """ITEMS items: every 10th an ad, every 7th tagged holiday:christmas, "Dragon" in
    every 50th title, the rest plain movies; one file each, every 4th not checked."""
    with context.sessions() as s, s.begin():
        s.execute(insert(m.PlexServer), [{"id": 1, "name": "Den"}])
        s.execute(
            insert(m.Library),
            [{"id": 1, "server_id": 1, "plex_library_key": "1", "title": "Movies",
              "library_type": "movie"},
             {"id": 2, "source": "local", "root_path": "/ads", "title": "Ads",
              "library_type": "ad"}],
        )  # fmt: skip
        s.execute(
            insert(m.ContentItem),
            [
                {
                    "id": i,
                    "kind": "ad" if i % 10 == 0 else "movie",
                    "title": f"{'Dragon' if i % 50 == 0 else 'Film'} {i:05d}",
                    "duration_ms": 3_723_000 + i,
                    "rating_code": "PG" if i % 2 else "R",
                    "library_id": 2 if i % 10 == 0 else 1,
                }
                for i in range(1, ITEMS + 1)
            ],
        )
        s.execute(
            insert(m.ContentTag),
            [
                {"content_item_id": i, "namespace": "holiday", "key": "christmas"}
                for i in range(7, ITEMS + 1, 7)
            ],
        )
        s.execute(
            insert(m.MediaFile),
            [
                {"id": i, "library_id": 1, "plex_file_path": f"/m/{i}.mkv",
                 "availability": "unknown" if i % 4 == 0 else "ok"}
                for i in range(1, ITEMS + 1)
            ],
        )  # fmt: skip
        s.execute(
            insert(m.ContentItemFile),
            [{"content_item_id": i, "media_file_id": i} for i in range(1, ITEMS + 1)],
        )


def settled(qtbot: QtBot, model: ContentTableModel) -> int:
    """The model's total once its full id list (read by a worker) has arrived."""
    qtbot.waitUntil(model.is_complete, timeout=10_000)
    return model.total()


@pytest.fixture
def filled(app_context: AppContext) -> AppContext:
    _fill(app_context)
    return app_context


@pytest.fixture
def tab(qtbot: QtBot, filled: AppContext) -> Iterator[ContentTab]:
    widget = ContentTab(filled, CatalogEdits(filled.sessions))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    yield widget


def test_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: object, filled: AppContext
) -> None:
    model = ContentTableModel(filled.sessions)
    model.load()
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    settled(qtbot, model)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_filter(ContentFilter(text="dragon"))
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_fetch_more_pages_and_bounded_cache(qtbot: QtBot, filled: AppContext) -> None:
    model = ContentTableModel(filled.sessions)
    model.load()
    assert settled(qtbot, model) == ITEMS
    assert model.rowCount() == CHUNK and model.canFetchMore(QModelIndex())
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == ITEMS
    assert model.cached_pages() == 0  # nothing read until it is shown
    assert model.data(model.index(0, 0)) == "Dragon 00050"
    assert model.data(model.index(0, 4)) == "1:02:03"
    assert model.cached_pages() == 1
    for row in range(0, ITEMS, PAGE):
        model.data(model.index(row, 0))
    assert model.cached_pages() <= 40
    assert model.ids_at([0, 1]) == [50, 100]
    assert model.row_of(100) == 1 and model.row_of(10_000) is None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.TextAlignmentRole) is None


def test_search_box_and_filters_drive_the_model(qtbot: QtBot, tab: ContentTab) -> None:
    assert settled(qtbot, tab.model) == ITEMS
    assert tab.count.text() == count_text(ITEMS) == "5,000 items"
    qtbot.keyClicks(tab.search, "DRAGON")
    qtbot.waitUntil(lambda: tab.model.total() == ITEMS // 50, timeout=5000)
    assert tab.count.text() == "100 items"
    tab.search.clear()
    tab.apply_filter()
    tab.kind.setCurrentIndex(tab.kind.findData("ad"))
    assert settled(qtbot, tab.model) == ITEMS // 10
    tab.kind.setCurrentIndex(0)
    tab.library.setCurrentIndex(tab.library.findText("Ads"))
    assert settled(qtbot, tab.model) == ITEMS // 10
    tab.library.setCurrentIndex(0)
    tab.tag.setCurrentText("holiday:christmas")
    tab.apply_filter()
    assert settled(qtbot, tab.model) == ITEMS // 7
    tab.tag.setCurrentIndex(tab.tag.findText("Any tag"))
    tab.apply_filter()
    tab.rating.setCurrentIndex(tab.rating.findData("PG"))
    assert settled(qtbot, tab.model) == ITEMS // 2
    tab.rating.setCurrentIndex(0)
    tab.availability.setCurrentIndex(tab.availability.findData("unknown"))
    assert settled(qtbot, tab.model) == ITEMS // 4
    tab.availability.setCurrentIndex(0)
    assert settled(qtbot, tab.model) == ITEMS


def test_ctrl_f_focuses_search_and_headers_sort(qtbot: QtBot, tab: ContentTab) -> None:
    tab.table.setFocus()
    qtbot.keySequence(tab.table, QKeySequence(QKeySequence.StandardKey.Find))
    assert QApplication.focusWidget() is tab.search or tab.search.hasFocus()
    tab.table.sortByColumn(COLUMNS.index("Duration"), Qt.SortOrder.DescendingOrder)
    settled(qtbot, tab.model)
    assert tab.model.sort_key == "duration" and tab.model.descending
    assert tab.model.ids_at([0]) == [ITEMS]
    assert not tab.detail_open()


def test_refresh_after_an_update(qtbot: QtBot, tab: ContentTab, filled: AppContext) -> None:
    model = tab.model
    assert model.data(model.index(0, 0)) == "Dragon 00050"
    with filled.engine.begin() as conn:
        conn.execute(text("UPDATE content_items SET title = 'Dragon Renamed' WHERE id = 50"))
    assert model.data(model.index(0, 0)) == "Dragon 00050"  # cached until told
    with qtbot.waitSignal(model.dataChanged):
        model.refresh([50])
    assert model.data(model.index(0, 0)) == "Dragon Renamed"
    with filled.engine.begin() as conn:
        conn.execute(text("UPDATE content_items SET gone_from_source_at = 1 WHERE id = 50"))
    tab.reload()
    assert settled(qtbot, model) == ITEMS - 1 and model.row_of(50) is None
    tab.include_gone.setChecked(True)
    assert settled(qtbot, model) == ITEMS
    row = model.row_of(50)
    assert row is not None
    assert model.data(model.index(row, 0), Qt.ItemDataRole.FontRole).italic()


def test_the_head_shows_at_once_and_the_rest_follows(qtbot: QtBot, tab: ContentTab) -> None:
    """A reset shows the first HEAD rows from a LIMIT query straight away; the full list
    comes from a worker, and a newer filter wins over a loader still running."""
    settled(qtbot, tab.model)
    model = tab.model
    model.set_filter(ContentFilter(kinds=("movie",)))
    assert model.rowCount() == HEAD and not model.canFetchMore(QModelIndex())
    assert tab.count.text() == "Counting…"
    head = model.ids_at(range(HEAD))
    assert settled(qtbot, model) == ITEMS - ITEMS // 10
    assert model.ids_at(range(HEAD)) == head and model.rowCount() == CHUNK
    assert tab.count.text() == "4,500 items"
    model.set_filter(ContentFilter(kinds=("movie",), text="film"))
    model.set_filter(ContentFilter(kinds=("ad",)))
    assert settled(qtbot, model) == ITEMS // 10
    qtbot.wait(200)  # the first loader's late answer must not replace the second's
    assert model.total() == ITEMS // 10
    assert all(i % 10 == 0 for i in model.all_ids())


def test_enter_opens_the_detail_pane_on_the_current_row(qtbot: QtBot, tab: ContentTab) -> None:
    settled(qtbot, tab.model)
    assert not tab.detail_open()
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(2, 0))
    assert tab.detail.item_id is None  # closed: nothing read yet
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert tab.detail_open()
    assert tab.detail.item_id == tab.model.ids_at([2])[0]
    tab.table.setCurrentIndex(tab.model.index(5, 0))
    assert tab.detail.item_id == tab.model.ids_at([5])[0]


def test_an_override_edit_and_its_undo_show_in_the_row(
    qtbot: QtBot, tab: ContentTab, filled: AppContext
) -> None:
    settled(qtbot, tab.model)
    tab.table.sortByColumn(COLUMNS.index("Duration"), Qt.SortOrder.AscendingOrder)
    settled(qtbot, tab.model)
    model = tab.model
    assert model.data(model.index(0, 0)) == "Film 00001"
    assert tab.edits.set_override(1, "Film One (restored)", None) is None
    assert model.data(model.index(0, 0)) == "Film One (restored)"
    tab.edits.stack.undo()
    assert model.data(model.index(0, 0)) == "Film 00001"


def test_moving_to_another_row_saves_the_typing_first(
    qtbot: QtBot, tab: ContentTab, filled: AppContext
) -> None:
    settled(qtbot, tab.model)
    tab.table.sortByColumn(COLUMNS.index("Duration"), Qt.SortOrder.AscendingOrder)
    settled(qtbot, tab.model)
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    tab.open_detail()
    assert tab.detail.item_id == 1
    tab.detail.editor.title_edit.setText("Film One, retitled")
    tab.table.setCurrentIndex(tab.model.index(1, 0))
    assert tab.detail.item_id == 2
    assert tab.model.data(tab.model.index(0, 0)) == "Film One, retitled"
    # A refused save keeps the pane (and the typing) where it was.
    tab.detail.editor.title_edit.setText("two\nlines")
    tab.table.setCurrentIndex(tab.model.index(2, 0))
    assert tab.detail.item_id == 2 and "one line" in tab.notice.text()
    tab.edits.stack.undo()
    assert tab.model.data(tab.model.index(0, 0)) == "Film 00001"
