"""The palette tree model on a migrated SQLite file: namespaces, counts, live updates, and
the Qt model tester watching every insertion, removal and change an edit causes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from retrovue_desktop.store import models as m
from retrovue_desktop.store.tags import DEFAULT_NAMESPACES
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.edits import CatalogEdits
from retrovue_desktop.ui.mime import TAGS_MIME, decode_tags
from retrovue_desktop.ui.palette_model import NAMESPACE_ROLE, TAG_ROLE, PaletteModel


def shown(model: PaletteModel) -> dict[str, list[tuple[str, str]]]:
    """Namespace → [(caption, count)] as the tree shows it."""
    tree: dict[str, list[tuple[str, str]]] = {}
    for row in range(model.rowCount()):
        parent = model.index(row, 0)
        tree[parent.data()] = [
            (model.index(r, 0, parent).data(), model.index(r, 1, parent).data())
            for r in range(model.rowCount(parent))
        ]
    return tree


@pytest.fixture
def tagged(app_context: AppContext) -> AppContext:
    """Six movies; holiday:christmas (labelled) on three, tone:cozy on two, a custom
    namespace decade:1980s on one, and holiday:easter in the palette with no items."""
    with app_context.sessions() as s, s.begin():
        s.execute(insert(m.ContentItem), [{"id": i, "kind": "movie"} for i in range(1, 7)])
        s.execute(
            insert(m.ContentTag),
            [{"content_item_id": i, "namespace": "holiday", "key": "christmas"} for i in (1, 2, 3)]
            + [{"content_item_id": i, "namespace": "tone", "key": "cozy"} for i in (3, 4)]
            + [{"content_item_id": 5, "namespace": "decade", "key": "1980s"}],
        )
        s.execute(
            insert(m.Tag),
            [
                {"namespace": "holiday", "key": "christmas", "label": "Christmas"},
                {"namespace": "holiday", "key": "easter"},
            ],
        )
    return app_context


def test_an_empty_palette_shows_the_six_default_namespaces(
    qtbot: QtBot, app_context: AppContext
) -> None:
    model = PaletteModel(app_context.sessions)
    model.reload()
    assert shown(model) == {name: [] for name in DEFAULT_NAMESPACES}
    assert list(shown(model)) == list(DEFAULT_NAMESPACES)
    assert not model.hasChildren(model.index(0, 0))


def test_defaults_then_custom_namespaces_with_counts(qtbot: QtBot, tagged: AppContext) -> None:
    model = PaletteModel(tagged.sessions)
    model.reload()
    tree = shown(model)
    assert list(tree) == [*DEFAULT_NAMESPACES, "decade"]
    assert tree["holiday"] == [("Christmas  (christmas)", "3"), ("easter", "0")]
    assert tree["tone"] == [("cozy", "2")]
    assert tree["decade"] == [("1980s", "1")]
    christmas = model.index_of_tag(("holiday", "christmas"))
    assert christmas.data(TAG_ROLE) == ("holiday", "christmas")
    assert christmas.data(NAMESPACE_ROLE) == "holiday"
    assert model.index(0, 0).data(TAG_ROLE) is None
    assert "custom namespace" in model.index_of_namespace("decade").data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert model.namespaces() == [*DEFAULT_NAMESPACES, "decade"]
    # Namespace rows are neither dragged nor dropped on; tag rows are dragged.
    assert not model.flags(model.index(1, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.flags(christmas) & Qt.ItemFlag.ItemIsDragEnabled
    data = model.mimeData([christmas, model.index(1, 0), model.index_of_tag(("tone", "cozy"))])
    assert data.hasFormat(TAGS_MIME)
    assert decode_tags(data) == [("holiday", "christmas"), ("tone", "cozy")]


def test_filter_keeps_matching_tags_and_namespaces(qtbot: QtBot, tagged: AppContext) -> None:
    model = PaletteModel(tagged.sessions)
    model.reload()
    model.set_filter("CHRIST")
    assert shown(model) == {"holiday": [("Christmas  (christmas)", "3")]}
    model.set_filter("season")  # a namespace's name shows it, even with no tags
    assert shown(model) == {"season": []}
    model.set_filter("80")
    assert shown(model) == {"decade": [("1980s", "1")]}
    model.set_filter("")
    assert len(shown(model)) == 7


def test_model_tester_through_every_kind_of_change(
    qtbot: QtBot, qtmodeltester: object, qtlog: object, tagged: AppContext
) -> None:
    """The C++ QAbstractItemModelTester stays attached while edits insert, remove and
    change rows (new custom namespace, last tag of a namespace gone, counts, undo)."""
    edits = CatalogEdits(tagged.sessions)
    model = PaletteModel(tagged.sessions, edits=edits)
    model.reload()
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    cozy = QPersistentModelIndex(model.index_of_tag(("tone", "cozy")))
    assert edits.create_tag("network", "nbc") is None  # a namespace appears
    assert edits.create_tag("audience", "adults") is None  # a tag row before cozy's
    assert edits.apply_tags([1, 2, 6], [("tone", "cozy")]) is None  # a count changes
    assert edits.delete_tag("decade", "1980s") is None  # a namespace goes
    assert model.tag_at(cozy) == ("tone", "cozy")  # persistent indexes follow
    assert model.index(cozy.row(), 1, cozy.parent()).data() == "5"
    assert edits.rename_tag(("holiday", "easter"), ("season", "spring")) is None
    assert edits.merge_tags([("holiday", "christmas"), ("tone", "cozy")], ("aaa", "x")) is None
    tree = shown(model)
    assert list(tree) == [*DEFAULT_NAMESPACES, "aaa", "network"]
    assert tree["aaa"] == [("Christmas  (x)", "5")]  # the new target takes the label
    assert tree["tone"] == [] and tree["season"] == [("spring", "0")]
    assert not cozy.isValid()
    for _ in range(6):
        edits.stack.undo()
    assert list(shown(model)) == [*DEFAULT_NAMESPACES, "decade"]
    assert shown(model)["tone"] == [("cozy", "2")]
    model.set_filter("c")
    model.set_filter("")
    failures = [r.message for r in qtlog.records if "FAIL" in r.message]  # type: ignore[attr-defined]
    assert failures == []


def test_python_model_tester_too(qtbot: QtBot, qtmodeltester: object, tagged: AppContext) -> None:
    model = PaletteModel(tagged.sessions)
    model.reload()
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]
    assert model.parent(QModelIndex()) == QModelIndex()
    assert model.rowCount(model.index(1, 1)) == 0  # only column 0 has children
    assert not model.index(0, 0, model.index(1, 1)).isValid()
    tag = model.index_of_tag(("holiday", "christmas"), 1)
    assert model.rowCount(tag) == 0 and not model.index(0, 0, tag).isValid()
    assert model.parent(tag) == model.index_of_namespace("holiday")
