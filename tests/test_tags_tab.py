"""The Tags tab through its real widgets and models on a migrated SQLite file: palette
edits with their dialogs and undo, the content list beside it, and drag and drop both
ways driven without a mouse (mimeData() of one model into dropMimeData() of the other)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, text

from retrovue_desktop.store import models as m
from retrovue_desktop.ui.content_model import ContentTableModel
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.edits import CatalogEdits
from retrovue_desktop.ui.mime import CONTENT_MIME, TAGS_MIME, content_mime, tags_mime
from retrovue_desktop.ui.tags_tab import MergeDialog, TagDialog, TagsTab

COPY = Qt.DropAction.CopyAction
ITEMS = 12
Row = tuple[int, str, str, str | None]


def tag_rows(context: AppContext) -> list[Row]:
    with context.sessions() as s:
        rows = s.execute(text("SELECT content_item_id, namespace, key, value FROM content_tags"))
        return sorted((int(r[0]), r[1], r[2], r[3]) for r in rows)


def palette_rows(context: AppContext) -> list[tuple[str, str, str | None]]:
    with context.sessions() as s:
        rows = s.execute(text("SELECT namespace, key, label FROM tags"))
        return sorted((r[0], r[1], r[2]) for r in rows)


def carriers(context: AppContext, namespace: str, key: str) -> list[int]:
    return sorted(i for i, n, k, _v in tag_rows(context) if (n, k) == (namespace, key))


@pytest.fixture
def filled(app_context: AppContext) -> AppContext:
    """ITEMS movies "Film 01".."Film 12". holiday:christmas (labelled, values on two) on
    1-4, holiday:xmas on 3-6, tone:cozy on 2 and 7, decade:1980s (custom namespace) on 8,
    holiday:easter in the palette only; item 12 is gone from its source."""
    with app_context.sessions() as s, s.begin():
        s.execute(
            insert(m.ContentItem),
            [
                {"id": i, "kind": "movie", "title": f"Film {i:02d}",
                 "gone_from_source_at": 1 if i == 12 else None}
                for i in range(1, ITEMS + 1)
            ],
        )  # fmt: skip
        rows = [
            *[(i, "holiday", "christmas", "eve" if i == 1 else None) for i in (1, 2, 3, 4)],
            *[(i, "holiday", "xmas", "x3" if i == 3 else None) for i in (3, 4, 5, 6)],
            (2, "tone", "cozy", None),
            (7, "tone", "cozy", None),
            (8, "decade", "1980s", None),
            (12, "holiday", "christmas", None),
        ]
        s.execute(
            insert(m.ContentTag),
            [{"content_item_id": i, "namespace": n, "key": k, "value": v} for i, n, k, v in rows],
        )
        s.execute(
            insert(m.Tag),
            [
                {"namespace": "holiday", "key": "christmas", "label": "Christmas"},
                {"namespace": "holiday", "key": "easter"},
            ],
        )
    return app_context


@pytest.fixture
def tab(qtbot: QtBot, filled: AppContext) -> Iterator[TagsTab]:
    widget = TagsTab(filled, CatalogEdits(filled.sessions))
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.edits.wait()


def listed(qtbot: QtBot, model: ContentTableModel) -> list[int]:
    qtbot.waitUntil(model.is_complete, timeout=10_000)
    return sorted(model.all_ids())


def select_rows(tab: TagsTab, item_ids: list[int]) -> list[int]:
    """Select the list rows of these items; returns their rows."""
    from PySide6.QtCore import QItemSelectionModel

    selection = tab.table.selectionModel()
    selection.clearSelection()
    rows = []
    for item_id in item_ids:
        row = tab.items_model.row_of(item_id)
        assert row is not None
        rows.append(row)
        selection.select(
            tab.items_model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    return rows


# -- the palette and the list beside it -----------------------------------------------------


def test_palette_counts_and_the_list_follows_the_selected_tag(qtbot: QtBot, tab: TagsTab) -> None:
    palette = tab.palette_model
    names = [palette.index(r, 0).data() for r in range(palette.rowCount())]
    assert names == ["audience", "holiday", "brand", "tone", "genre", "season", "decade"]
    holiday = palette.index_of_namespace("holiday")
    assert [
        (palette.index(r, 0, holiday).data(), palette.index(r, 1, holiday).data())
        for r in range(palette.rowCount(holiday))
    ] == [("Christmas  (christmas)", "5"), ("easter", "0"), ("xmas", "4")]
    assert tab.tree.isExpanded(holiday)
    # Nothing selected: the whole catalogue (gone items left out), as a drop target.
    assert listed(qtbot, tab.items_model) == list(range(1, ITEMS))
    assert tab.select_tag(("holiday", "christmas"))
    # A tag's list is every item carrying it, gone ones too: it matches the count.
    assert listed(qtbot, tab.items_model) == [1, 2, 3, 4, 12]
    assert tab.heading.text() == "Items tagged holiday:christmas"
    qtbot.waitUntil(lambda: tab.count.text() == "5 items")
    tab.search.setText("film 0")
    tab.apply_filter()
    assert listed(qtbot, tab.items_model) == [1, 2, 3, 4]
    tab.only_tagged.setChecked(False)  # search the whole catalogue instead
    assert listed(qtbot, tab.items_model) == list(range(1, 11))  # each word matches
    assert tab.heading.text() == "All items"


def test_view_drag_and_drop_settings(tab: TagsTab) -> None:
    for view in (tab.tree, tab.table):
        assert view.dragEnabled() and view.acceptDrops()
        assert view.dragDropMode() == QAbstractItemView.DragDropMode.DragDrop
        assert view.defaultDropAction() == COPY
        assert view.showDropIndicator() and view.dragDropOverwriteMode()
    assert tab.palette_model.supportedDropActions() == COPY
    assert tab.palette_model.supportedDragActions() == COPY
    assert tab.items_model.supportedDropActions() == COPY


def test_tag_filter_keeps_only_visible_tags_selected(qtbot: QtBot, tab: TagsTab) -> None:
    tab.select_tags([("holiday", "christmas"), ("tone", "cozy")])
    tab.filter.setText("cozy")
    assert tab.selected_tags() == [("tone", "cozy")]  # never act on a hidden tag
    assert tab.heading.text() == "Items tagged tone:cozy"
    tab.filter.setText("")
    assert tab.selected_tags() == [("tone", "cozy")]
    tab.filter.setText("nothing-like-this")
    assert tab.selected_tags() == [] and not tab.delete_action.isEnabled()


def test_keyboard_shortcuts(qtbot: QtBot, tab: TagsTab) -> None:
    tab.activateWindow()
    tab.tree.setFocus()
    qtbot.keySequence(tab.tree, QKeySequence(QKeySequence.StandardKey.Find))
    assert tab.filter.hasFocus() or QApplication.focusWidget() is tab.filter
    tab.table.setFocus()
    qtbot.keySequence(tab.table, QKeySequence(QKeySequence.StandardKey.Find))
    assert tab.search.hasFocus() or QApplication.focusWidget() is tab.search
    assert tab.new_action.shortcut() == QKeySequence("Ctrl+N")
    assert tab.rename_action.shortcut() == QKeySequence("F2")
    assert tab.delete_action.shortcut() == QKeySequence("Del")
    tab.select_tag(("tone", "cozy"))
    tab.tree.setFocus()
    qtbot.keyClick(tab.tree, Qt.Key.Key_F2)
    assert isinstance(tab.dialog, TagDialog) and tab.dialog.renaming is not None
    tab.dialog.reject()
    asked: list[str] = []
    tab.confirm = lambda question: asked.append(question) is not None  # says no
    qtbot.keyClick(tab.tree, Qt.Key.Key_Delete)
    assert asked and "2 items will lose tone:cozy" in asked[0]
    qtbot.keySequence(tab.tree, QKeySequence("Ctrl+N"))
    assert isinstance(tab.dialog, TagDialog) and tab.dialog.renaming is None


# -- create, rename, merge, delete -----------------------------------------------------------


def test_create_good_duplicate_and_bad_names(
    qtbot: QtBot, tab: TagsTab, filled: AppContext
) -> None:
    before_palette, before_tags = palette_rows(filled), tag_rows(filled)
    tab.new_action.trigger()
    dialog = tab.dialog
    assert isinstance(dialog, TagDialog)
    dialog.namespace.setCurrentText("network")  # a custom namespace
    dialog.key.setText("nbc")
    dialog.label.setText("NBC")
    assert "Saved as <b>network:nbc</b>" in dialog.hint.text()
    assert "new custom namespace" in dialog.hint.text()
    dialog.ok.click()
    assert tab.dialog is None and not dialog.isVisible()
    assert ("network", "nbc", "NBC") in palette_rows(filled)
    assert tab.selected_tags() == [("network", "nbc")]
    assert tab.palette_model.index_of_namespace("network").isValid()
    stack = tab.edits.stack
    assert stack.count() == 1

    # A duplicate, then a name that is not a slug: a sentence each, nothing written.
    tab.new_action.trigger()
    dialog = tab.dialog
    assert isinstance(dialog, TagDialog)
    dialog.namespace.setCurrentText("holiday")
    dialog.key.setText("christmas")
    assert "exists already" in dialog.hint.text()
    dialog.ok.click()
    assert tab.dialog is dialog and dialog.isVisible()
    assert "already exists" in dialog.error.text() and dialog.error.isVisible()
    dialog.key.setText("Christmas Eve")
    assert "Use “christmas-eve”" in dialog.hint.text()  # the slug is only a hint
    dialog.ok.click()
    assert "cannot be a tag key" in dialog.error.text()
    assert "christmas-eve" in dialog.error.text()
    dialog.namespace.setCurrentText("Big Network")
    dialog.key.setText("ok")
    dialog.ok.click()
    assert "cannot be a tag namespace" in dialog.error.text()
    assert stack.count() == 1
    assert tag_rows(filled) == before_tags
    assert palette_rows(filled) == sorted([*before_palette, ("network", "nbc", "NBC")])

    # The hint's link takes the slug, and keeps what was typed as the label.
    dialog.namespace.setCurrentText("holiday")
    dialog.key.setText("Christmas Eve")
    dialog.hint.linkActivated.emit("key")
    assert dialog.key.text() == "christmas-eve" and dialog.label.text() == "Christmas Eve"
    dialog.ok.click()
    assert ("holiday", "christmas-eve", "Christmas Eve") in palette_rows(filled)

    stack.undo()
    stack.undo()
    assert palette_rows(filled) == before_palette
    assert not tab.palette_model.index_of_namespace("network").isValid()


def test_rename_keeps_every_items_tags_and_undoes_exactly(
    qtbot: QtBot, tab: TagsTab, filled: AppContext
) -> None:
    before_tags, before_palette = tag_rows(filled), palette_rows(filled)
    tab.select_tag(("holiday", "xmas"))
    tab.rename_action.trigger()
    dialog = tab.dialog
    assert isinstance(dialog, TagDialog)
    assert dialog.typed() == ("holiday", "xmas")
    dialog.namespace.setCurrentText("season")
    dialog.key.setText("winter")
    assert "Renamed to <b>season:winter</b>" in dialog.hint.text()
    dialog.ok.click()
    assert carriers(filled, "season", "winter") == [3, 4, 5, 6]
    assert carriers(filled, "holiday", "xmas") == []
    assert (3, "season", "winter", "x3") in tag_rows(filled)  # values travel
    assert tab.selected_tags() == [("season", "winter")]
    assert listed(qtbot, tab.items_model) == [3, 4, 5, 6]
    tab.edits.stack.undo()
    assert tag_rows(filled) == before_tags and palette_rows(filled) == before_palette
    assert tab.palette_model.index_of_tag(("holiday", "xmas")).isValid()
    assert not tab.palette_model.index_of_tag(("season", "winter")).isValid()

    # Onto an existing tag: the two merge; items 3 and 4 carried both and keep one row.
    tab.select_tag(("holiday", "xmas"))
    tab.rename_action.trigger()
    dialog = tab.dialog
    assert isinstance(dialog, TagDialog)
    dialog.key.setText("christmas")
    assert "renaming merges holiday:xmas into it" in dialog.hint.text()
    dialog.ok.click()
    after = tag_rows(filled)
    assert len(after) == len(set((i, n, k) for i, n, k, _v in after))
    assert carriers(filled, "holiday", "christmas") == [1, 2, 3, 4, 5, 6, 12]
    assert (1, "holiday", "christmas", "eve") in after
    assert [r for r in after if r[1:3] != ("holiday", "christmas")] == [
        r for r in before_tags if r[1:3] not in (("holiday", "christmas"), ("holiday", "xmas"))
    ]
    tab.edits.stack.undo()
    assert tag_rows(filled) == before_tags and palette_rows(filled) == before_palette
    tab.edits.stack.redo()
    assert tag_rows(filled) == after


def test_merge_of_several_tags_and_undo(qtbot: QtBot, tab: TagsTab, filled: AppContext) -> None:
    before_tags, before_palette = tag_rows(filled), palette_rows(filled)
    assert not tab.merge_action.isEnabled()
    tab.select_tags([("holiday", "christmas"), ("holiday", "xmas"), ("tone", "cozy")])
    assert tab.merge_action.isEnabled()
    tab.merge_action.trigger()
    dialog = tab.dialog
    assert isinstance(dialog, MergeDialog)
    assert dialog.chosen() == ("holiday", "christmas")  # the most used is offered first
    dialog.choose(("tone", "cozy"))
    assert "holiday:christmas or holiday:xmas will carry tone:cozy" in dialog.explain.text()
    dialog.ok.click()
    after = tag_rows(filled)
    assert [r[0] for r in after if r[1:3] == ("tone", "cozy")] == [1, 2, 3, 4, 5, 6, 7, 12]
    assert len(after) == len(set((i, n, k) for i, n, k, _v in after))
    assert {(n, k) for n, k, _l in palette_rows(filled)} == {
        ("holiday", "easter"),
        ("tone", "cozy"),
    }
    assert tab.selected_tags() == [("tone", "cozy")]
    tab.edits.stack.undo()
    assert tag_rows(filled) == before_tags and palette_rows(filled) == before_palette


def test_delete_says_how_many_items_lose_it_and_asks(
    qtbot: QtBot, tab: TagsTab, filled: AppContext
) -> None:
    before_tags, before_palette = tag_rows(filled), palette_rows(filled)
    asked: list[str] = []
    answer = False

    def confirm(question: str) -> bool:
        asked.append(question)
        return answer

    tab.confirm = confirm
    tab.select_tag(("holiday", "christmas"))
    tab.delete_action.trigger()
    assert "5 items will lose holiday:christmas." in asked[-1]
    assert tag_rows(filled) == before_tags and tab.edits.stack.count() == 0  # declined

    answer = True
    tab.delete_action.trigger()
    assert carriers(filled, "holiday", "christmas") == []
    assert not tab.palette_model.index_of_tag(("holiday", "christmas")).isValid()
    tab.edits.stack.undo()
    assert tag_rows(filled) == before_tags and palette_rows(filled) == before_palette

    # Several at once: one question, one undo step.
    tab.select_tags([("holiday", "easter"), ("decade", "1980s")])
    tab.delete_action.trigger()
    assert "No item carries holiday:easter." in asked[-1]
    assert "1 item will lose decade:1980s." in asked[-1]
    assert not tab.palette_model.index_of_namespace("decade").isValid()
    assert tab.edits.stack.count() == 1
    tab.edits.stack.undo()
    assert tag_rows(filled) == before_tags and palette_rows(filled) == before_palette
    assert tab.palette_model.index_of_namespace("decade").isValid()


# -- drag and drop, without a mouse ------------------------------------------------------------


def test_palette_tags_dropped_on_selected_rows(
    qtbot: QtBot, tab: TagsTab, filled: AppContext
) -> None:
    tab.only_tagged.setChecked(False)
    listed(qtbot, tab.items_model)
    tab.select_tags([("tone", "cozy"), ("decade", "1980s")])
    palette = tab.palette_model
    data = palette.mimeData([palette.index_of_tag(p) for p in tab.selected_tags()])
    assert data.hasFormat(TAGS_MIME)
    rows = select_rows(tab, [9, 10, 11])
    model = tab.items_model
    assert model.canDropMimeData(data, COPY, -1, -1, model.index(rows[1], 0))
    assert model.dropMimeData(data, COPY, -1, -1, model.index(rows[1], 0))
    assert carriers(filled, "tone", "cozy") == [2, 7, 9, 10, 11]
    assert carriers(filled, "decade", "1980s") == [8, 9, 10, 11]
    assert tab.palette_model.index_of_tag(("tone", "cozy"), 1).data() == "5"  # counts follow
    assert "tone:cozy" in model.index(model.row_of(10) or 0, 7).data()
    assert tab.selected_item_ids() == [9, 10, 11]  # the selection survives the refresh
    # A row outside the selection is tagged alone.
    model.dropMimeData(tags_mime([("holiday", "easter")]), COPY, -1, -1, model.index(0, 0))
    assert carriers(filled, "holiday", "easter") == model.ids_at([0])
    tab.edits.stack.undo()
    tab.edits.stack.undo()
    assert carriers(filled, "tone", "cozy") == [2, 7]
    assert carriers(filled, "holiday", "easter") == []


def test_content_rows_dropped_on_a_palette_tag(
    qtbot: QtBot, tab: TagsTab, filled: AppContext
) -> None:
    tab.only_tagged.setChecked(False)
    listed(qtbot, tab.items_model)
    rows = select_rows(tab, [5, 9])
    model = tab.items_model
    data = model.mimeData([model.index(r, c) for r in rows for c in (0, 1)])
    assert data.hasFormat(CONTENT_MIME)
    palette = tab.palette_model
    christmas = palette.index_of_tag(("holiday", "christmas"))
    assert palette.canDropMimeData(data, COPY, -1, -1, christmas)
    assert palette.dropMimeData(data, COPY, -1, -1, christmas)
    assert carriers(filled, "holiday", "christmas") == [1, 2, 3, 4, 5, 9, 12]
    assert palette.index_of_tag(("holiday", "christmas"), 1).data() == "7"
    assert tab.edits.stack.count() == 1
    # Onto the Items column of a tag row as well.
    cozy_items = palette.index_of_tag(("tone", "cozy"), 1)
    assert palette.dropMimeData(content_mime([11]), COPY, -1, -1, cozy_items)
    assert carriers(filled, "tone", "cozy") == [2, 7, 11]
    # When the list shows the tag, items dropped on it join the list.
    tab.only_tagged.setChecked(True)
    tab.select_tag(("decade", "1980s"))
    assert listed(qtbot, tab.items_model) == [8]
    assert palette.dropMimeData(
        content_mime([1, 2]), COPY, -1, -1, palette.index_of_tag(("decade", "1980s"))
    )
    assert listed(qtbot, tab.items_model) == [1, 2, 8]


def _junk(mime: str, payload: bytes) -> QMimeData:
    data = QMimeData()
    data.setData(mime, payload)
    return data


def test_unknown_junk_and_move_drops_are_refused(
    qtbot: QtBot, tab: TagsTab, filled: AppContext
) -> None:
    tab.only_tagged.setChecked(False)
    listed(qtbot, tab.items_model)
    before = tag_rows(filled)
    model, palette = tab.items_model, tab.palette_model
    row = model.index(0, 0)
    christmas = palette.index_of_tag(("holiday", "christmas"))
    plain = QMimeData()
    plain.setText("holiday:christmas")
    refused_on_rows = [
        (plain, COPY),
        (_junk(TAGS_MIME, b"\xff\x00not json"), COPY),
        (_junk(TAGS_MIME, b'[["holiday"]]'), COPY),
        (_junk(TAGS_MIME, b'{"holiday": "christmas"}'), COPY),
        (content_mime([1, 2]), COPY),  # content onto content
        (tags_mime([("tone", "cozy")]), Qt.DropAction.MoveAction),
    ]
    for data, action in refused_on_rows:
        assert not model.canDropMimeData(data, action, -1, -1, row)
        assert not model.dropMimeData(data, action, -1, -1, row)
    refused_on_palette = [
        (plain, COPY, -1, christmas),
        (_junk(CONTENT_MIME, b"[1, 2, 'x']"), COPY, -1, christmas),
        (_junk(CONTENT_MIME, b"[true, -3]"), COPY, -1, christmas),
        (tags_mime([("tone", "cozy")]), COPY, -1, christmas),  # tags onto a tag
        (content_mime([1]), Qt.DropAction.MoveAction, -1, christmas),
        (content_mime([1]), COPY, -1, palette.index_of_namespace("tone")),  # a namespace
        (content_mime([1]), COPY, 0, palette.index_of_namespace("tone")),  # between rows
        (content_mime([1]), COPY, 0, QModelIndex()),  # below the last row
    ]
    for data, action, at_row, parent in refused_on_palette:
        assert not palette.canDropMimeData(data, action, at_row, -1, parent)
        assert not palette.dropMimeData(data, action, at_row, -1, parent)
    assert tag_rows(filled) == before and tab.edits.stack.count() == 0
    # An id that is no longer in the catalogue: the edit refuses with a sentence.
    assert not palette.dropMimeData(content_mime([1, 999]), COPY, -1, -1, christmas)
    assert "no longer in the catalogue" in (palette.last_drop_error or "")
    assert "no longer in the catalogue" in tab.message.text() and tab.message.isVisible()
    assert tag_rows(filled) == before and tab.edits.stack.count() == 0


def test_keyboard_tagging_of_list_rows(qtbot: QtBot, tab: TagsTab, filled: AppContext) -> None:
    """Ctrl+T and Del in the list: the keyboard's way to drop a tag and take it off."""
    tab.select_tag(("holiday", "christmas"))
    listed(qtbot, tab.items_model)
    select_rows(tab, [1, 2])
    assert tab.remove_action.text() == "Remove holiday:christmas from these items"
    tab.remove_action.trigger()
    assert listed(qtbot, tab.items_model) == [3, 4, 12]  # they leave the tag's list
    tab.edits.stack.undo()
    assert listed(qtbot, tab.items_model) == [1, 2, 3, 4, 12]
    assert (1, "holiday", "christmas", "eve") in tag_rows(filled)  # its value came back
    select_rows(tab, [3, 4])
    tab.select_tags([("tone", "cozy"), ("holiday", "christmas")], current=("holiday", "christmas"))
    tab.apply_action.trigger()
    assert carriers(filled, "tone", "cozy") == [2, 3, 4, 7]


def test_reload_after_the_catalogue_changed(qtbot: QtBot, tab: TagsTab, filled: AppContext) -> None:
    tab.select_tag(("tone", "cozy"))
    assert listed(qtbot, tab.items_model) == [2, 7]
    with filled.sessions() as s, s.begin():
        s.execute(insert(m.ContentTag).values(content_item_id=9, namespace="tone", key="cozy"))
        s.execute(insert(m.ContentTag).values(content_item_id=9, namespace="brand", key="tide"))
    tab.reload()
    assert listed(qtbot, tab.items_model) == [2, 7, 9]
    assert tab.palette_model.index_of_tag(("tone", "cozy"), 1).data() == "3"
    assert tab.palette_model.index_of_tag(("brand", "tide")).isValid()
    assert tab.selected_tags() == [("tone", "cozy")]


def _drop_on(view: QAbstractItemView, index: QModelIndex, data: QMimeData) -> bool:
    """What a real drop does to the view: drag enter, move and drop events at the
    centre of `index`; True if the view accepted the drop."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

    view.scrollTo(index)
    point = view.visualRect(index).center()
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    viewport = view.viewport()
    enter = QDragEnterEvent(point, COPY, data, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(point, COPY, data, buttons, mods)
    QApplication.sendEvent(viewport, move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(QPointF(point), COPY, data, buttons, mods)
    QApplication.sendEvent(viewport, drop)
    return drop.isAccepted() and drop.dropAction() == COPY


def test_drops_through_the_real_views(qtbot: QtBot, tab: TagsTab, filled: AppContext) -> None:
    tab.only_tagged.setChecked(False)
    listed(qtbot, tab.items_model)
    palette, model = tab.palette_model, tab.items_model
    rows = select_rows(tab, [9, 10])
    assert _drop_on(tab.table, model.index(rows[0], 0), tags_mime([("decade", "1980s")]))
    assert carriers(filled, "decade", "1980s") == [8, 9, 10]
    easter = palette.index_of_tag(("holiday", "easter"))
    assert _drop_on(tab.tree, easter, content_mime([5, 6]))
    assert carriers(filled, "holiday", "easter") == [5, 6]
    # Refused in the views as well: a namespace row, and another program's text.
    assert not _drop_on(tab.tree, palette.index_of_namespace("tone"), content_mime([5]))
    plain = QMimeData()
    plain.setText("holiday:christmas")
    assert not _drop_on(tab.table, model.index(0, 0), plain)
    assert tab.edits.stack.count() == 2
    # A drop the edit refuses shows its sentence under the list.
    assert not _drop_on(tab.table, model.index(0, 0), tags_mime([("Bad Name", "x")]))
    qtbot.waitUntil(tab.message.isVisible)
    assert "cannot be a tag namespace" in tab.message.text()


def test_pressing_a_tag_to_drag_it_keeps_the_list(
    qtbot: QtBot, tab: TagsTab, filled: AppContext
) -> None:
    """A press on a tag may start a drag onto the list: the list waits for the release
    before it shows that tag's items."""
    tab.select_tag(("holiday", "christmas"))
    assert listed(qtbot, tab.items_model) == [1, 2, 3, 4, 12]
    cozy = tab.palette_model.index_of_tag(("tone", "cozy"))
    point = tab.tree.visualRect(cozy).center()
    qtbot.mousePress(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert tab.selected_tags() == [("tone", "cozy")]
    assert tab.items_model.content_filter.tag == ("holiday", "christmas")
    qtbot.mouseRelease(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert listed(qtbot, tab.items_model) == [2, 7]
    assert tab.heading.text() == "Items tagged tone:cozy"
