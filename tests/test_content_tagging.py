"""Tagging from the Content tab: drops on rows, rows dragged out, Tag all results, Delete."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel, QMimeData, QModelIndex, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from retrovue_desktop.store.content_query import ContentFilter
from retrovue_desktop.ui.content_model import COLUMNS
from retrovue_desktop.ui.content_tab import ContentTab
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.edits import CatalogEdits
from retrovue_desktop.ui.mime import TAGS_MIME, decode_content, tags_mime
from tests.test_content_tab import ITEMS, _fill, settled

COPY = Qt.DropAction.CopyAction
XMAS = ("holiday", "christmas")
COZY = ("tone", "cozy")


def carriers(context: AppContext, namespace: str, key: str) -> list[int]:
    with context.sessions() as s:
        rows = s.execute(
            text("SELECT content_item_id FROM content_tags WHERE namespace = :n AND key = :k"),
            {"n": namespace, "k": key},
        )
        return sorted(int(r[0]) for r in rows)


@pytest.fixture
def tab(qtbot: QtBot, app_context: AppContext) -> Iterator[ContentTab]:
    _fill(app_context)
    edits = CatalogEdits(app_context.sessions)
    widget = ContentTab(app_context, edits)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    settled(qtbot, widget.model)
    yield widget


def select_rows(tab: ContentTab, rows: list[int]) -> None:
    selection = tab.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(
            tab.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def test_tags_dropped_on_a_row_tag_it_or_the_selection_it_is_in(
    qtbot: QtBot, tab: ContentTab, app_context: AppContext
) -> None:
    model = tab.model
    drag = tags_mime([COZY, ("genre", "western")])
    assert model.canDropMimeData(drag, COPY, -1, -1, model.index(3, 0))
    assert model.dropMimeData(drag, COPY, -1, -1, model.index(3, 0))
    assert carriers(app_context, *COZY) == model.ids_at([3])
    assert carriers(app_context, "genre", "western") == model.ids_at([3])
    cell = model.index(3, COLUMNS.index("Tags"))
    assert model.data(cell) == "genre:western, tone:cozy"  # the row was re-read

    select_rows(tab, [5, 6, 7])
    assert model.dropMimeData(tags_mime([XMAS]), COPY, -1, -1, model.index(6, 0))
    for row in (5, 6, 7):
        assert model.ids_at([row])[0] in carriers(app_context, *XMAS)
    # A drop on a row outside the selection tags that row alone.
    assert model.dropMimeData(tags_mime([("genre", "noir")]), COPY, -1, -1, model.index(9, 0))
    assert carriers(app_context, "genre", "noir") == model.ids_at([9])

    tab.edits.stack.undo()
    tab.edits.stack.undo()
    assert carriers(app_context, "genre", "noir") == []
    assert len(carriers(app_context, *XMAS)) == len(range(7, ITEMS + 1, 7))


def test_unknown_or_moving_drops_are_refused(tab: ContentTab, app_context: AppContext) -> None:
    model = tab.model
    target = model.index(0, 0)
    plain = QMimeData()
    plain.setText("holiday:christmas")
    junk = QMimeData()
    junk.setData(TAGS_MIME, b"\xff not json")
    wrong_shape = QMimeData()
    wrong_shape.setData(TAGS_MIME, b'[["holiday"]]')
    before = carriers(app_context, *COZY)
    for data in (plain, junk, wrong_shape, None):
        assert not model.canDropMimeData(data, COPY, -1, -1, target)
        assert not model.dropMimeData(data, COPY, -1, -1, target)
    move = Qt.DropAction.MoveAction
    assert not model.dropMimeData(tags_mime([COZY]), move, -1, -1, target)
    # Between rows or past the end is not on an item.
    assert not model.dropMimeData(tags_mime([COZY]), COPY, 2, 0, QModelIndex())
    assert not model.dropMimeData(tags_mime([COZY]), COPY, -1, -1, QModelIndex())
    assert carriers(app_context, *COZY) == before == []
    assert tab.edits.stack.count() == 0
    assert model.supportedDropActions() == COPY and model.supportedDragActions() == COPY


def test_a_bad_tag_in_a_drop_is_refused_with_a_sentence(
    tab: ContentTab, app_context: AppContext
) -> None:
    model = tab.model
    assert not model.dropMimeData(
        tags_mime([("Holiday", "X Mas")]), COPY, -1, -1, model.index(0, 0)
    )
    assert model.last_drop_error is not None and "holiday" in model.last_drop_error
    assert tab.edits.stack.count() == 0


def test_rows_drag_out_as_ids_only(tab: ContentTab) -> None:
    model = tab.model
    indexes = [model.index(r, c) for r in (2, 4) for c in (0, 1, 5)]
    data = model.mimeData(indexes)
    assert decode_content(data) == model.ids_at([2, 4])
    assert data.formats() == ["application/x-retrovue-content-ids"]


def test_tag_all_results_asks_then_tags_everything_shown(
    qtbot: QtBot, tab: ContentTab, app_context: AppContext
) -> None:
    tab.kind.setCurrentIndex(tab.kind.findData("ad"))
    assert settled(qtbot, tab.model) == ITEMS // 10
    asked: list[str] = []
    tab.ask_tag = lambda choices, count: "Tone:Cozy"
    tab.tag_all_results()
    assert "tone" in tab.notice.text()  # refused with the slug it should be
    tab.ask_tag = lambda choices, count: "tone:cozy"
    tab.confirm = lambda question: asked.append(question) is not None
    tab.tag_all_results()
    assert asked == ["Tag all 500 items shown with tone:cozy? You can undo this with Ctrl+Z."]
    assert carriers(app_context, *COZY) == []  # the operator said no
    tab.confirm = lambda question: True
    tab.tag_all_results()
    assert carriers(app_context, *COZY) == list(range(10, ITEMS + 1, 10))
    tab.edits.stack.undo()
    assert carriers(app_context, *COZY) == []


def test_tag_all_results_of_many_items_runs_in_the_background(
    qtbot: QtBot, tab: ContentTab, app_context: AppContext
) -> None:
    tab.ask_tag = lambda choices, count: "tone:cozy"
    tab.confirm = lambda question: True
    with qtbot.waitSignal(tab.edits.busy_changed, check_params_cb=lambda on: not on):
        tab.tag_all_results()
        assert tab.edits.busy
    assert len(carriers(app_context, *COZY)) == ITEMS
    qtbot.waitUntil(lambda: "tone:cozy" in str(tab.model.data(tab.model.index(0, 7))))


def test_delete_takes_a_tag_off_the_selection(
    qtbot: QtBot, tab: ContentTab, app_context: AppContext
) -> None:
    model = tab.model
    tab.tag.setCurrentText("holiday:christmas")
    tab.apply_filter()
    assert settled(qtbot, model) == ITEMS // 7
    select_rows(tab, [0, 1])
    gone = model.ids_at([0, 1])
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert not set(gone) & set(carriers(app_context, *XMAS))
    assert settled(qtbot, model) == ITEMS // 7 - 2  # they left the filtered list
    tab.edits.stack.undo()
    assert set(gone) <= set(carriers(app_context, *XMAS))

    # Without a tag filter, the operator picks which of the carried tags goes.
    tab.model.set_filter(ContentFilter())
    tab.tag.setCurrentText("Any tag")
    settled(qtbot, model)
    row = model.row_of(14)
    assert row is not None
    select_rows(tab, [row])
    offered: list[object] = []
    tab.choose_tag_to_remove = lambda carried: offered.append(list(carried)) or XMAS
    tab.remove_tag_from_selection()
    assert offered == [[("holiday", "christmas", 1)]]
    assert 14 not in carriers(app_context, *XMAS)
