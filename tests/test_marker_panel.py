"""The marker panel: list model, timeline strip, and the add/edit dialog refusing bad
input with a sentence, on a real migrated SQLite file through CatalogEdits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from retrovue_desktop.store import models as m
from retrovue_desktop.store.item_detail import files_of
from retrovue_desktop.store.markers import MarkerView, markers_of
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.edits import CatalogEdits
from retrovue_desktop.ui.marker_dialog import MarkerDialog
from retrovue_desktop.ui.marker_panel import MarkerPanel, MarkerTableModel
from tests.builders import add, station

DURATION = 1_320_000  # station()'s episode (0:22:00); its file has none of its own


@pytest.fixture
def ids(app_context: AppContext) -> dict[str, int]:
    """station() (one file chapter at 0) plus a Plex ad break and a manual cue."""
    ids = station(app_context.engine)
    with app_context.sessions() as s, s.begin():
        ids["plex"] = add(
            s,
            m.MediaMarker,
            media_file_id=ids["file"],
            marker_kind="ad_break",
            start_ms=600_000,
            end_ms=630_000,
            source="detected",
        )
        ids["cue"] = add(
            s,
            m.MediaMarker,
            media_file_id=ids["file"],
            marker_kind="cue",
            start_ms=900_000,
            label="Credits",
            source="manual",
        )
    return ids


@pytest.fixture
def panel(
    qtbot: QtBot, app_context: AppContext, edits: CatalogEdits, ids: dict[str, int]
) -> Iterator[MarkerPanel]:
    panel = MarkerPanel(app_context, edits)
    qtbot.addWidget(panel)
    panel.resize(420, 500)
    panel.show()
    with app_context.sessions() as s:
        panel.set_files(files_of(s, ids["item"]))
    yield panel
    if panel.dialog is not None:
        panel.dialog.reject()


def stored(context: AppContext, file_id: int) -> list[MarkerView]:
    with context.sessions() as s:
        return markers_of(s, file_id)


def open_add(panel: MarkerPanel) -> MarkerDialog:
    panel.add_button.click()
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def fill(dialog: MarkerDialog, kind: str, start: str, end: str = "", label: str = "") -> None:
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    dialog.start.setText(start)
    dialog.end.setText(end)
    dialog.label.setText(label)


def test_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: object, panel: MarkerPanel
) -> None:
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]
    empty = MarkerTableModel()
    qtmodeltester.check(empty, force_py=True)  # type: ignore[attr-defined]


def test_list_shows_every_marker_with_read_only_ones_greyed(
    panel: MarkerPanel, ids: dict[str, int]
) -> None:
    model = panel.model
    rows = [[model.index(r, c).data() for c in range(5)] for r in range(model.rowCount())]
    assert rows == [
        ["Chapter", "0:00:00.000", "", "", "File"],
        ["Ad break", "0:10:00.000", "0:10:30.000", "", "Plex"],
        ["Cue", "0:15:00.000", "", "Credits", "Manual"],
    ]
    plex_tip = model.index(1, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert "Plex" in plex_tip and "read-only" in plex_tip
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(2, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert panel.file_combo.isHidden()  # one file: no choice to make


def test_add_through_the_dialog_writes_a_manual_marker_and_selects_it(
    panel: MarkerPanel, app_context: AppContext, edits: CatalogEdits, ids: dict[str, int]
) -> None:
    dialog = open_add(panel)
    fill(dialog, "chapter", "0:05:00.000", "0:07:30", "Act 2")
    dialog.ok_button.click()
    assert panel.dialog is None
    added = [mk for mk in stored(app_context, ids["file"]) if mk.label == "Act 2"]
    assert [(a.kind, a.start_ms, a.end_ms, a.source) for a in added] == [
        ("chapter", 300_000, 450_000, "manual")
    ]
    selected = panel.selected_marker()
    assert selected is not None and selected.id == added[0].id
    assert panel.edit_button.isEnabled() and panel.delete_button.isEnabled()
    edits.stack.undo()  # undo shows up in the list
    assert panel.model.row_of(added[0].id) is None


def test_a_cue_needs_no_end(
    panel: MarkerPanel, app_context: AppContext, ids: dict[str, int]
) -> None:
    dialog = open_add(panel)
    fill(dialog, "cue", "45.5")
    assert dialog.try_submit() is None
    assert any(
        mk.start_ms == 45_500 and mk.end_ms is None for mk in stored(app_context, ids["file"])
    )


@pytest.mark.parametrize(
    ("kind", "start", "end", "words"),
    [
        ("chapter", "0:10:00", "0:09:00", "must come after the start"),
        ("chapter", "0:10:00", "0:10:00", "must come after the start"),
        ("ad_break", "0:21:00", "0:23:00", "past the end of the file"),
        ("cue", "0:30:00", "", "past the end of the file"),
        ("chapter", "ten past", "0:11:00", "is not a time"),
        ("chapter", "0:01:00", "1:75:00", "is not a time"),
        ("chapter", "", "0:11:00", "Give the start time"),
        ("ad_break", "0:01:00", "", "needs an end time"),
        ("scene", "0:01:00", "0:02:00", "none of these"),
    ],
)
def test_bad_input_is_refused_in_the_dialog_and_nothing_is_written(
    panel: MarkerPanel,
    app_context: AppContext,
    edits: CatalogEdits,
    ids: dict[str, int],
    kind: str,
    start: str,
    end: str,
    words: str,
) -> None:
    before = stored(app_context, ids["file"])
    dialog = open_add(panel)
    if dialog.kind.findData(kind) < 0:  # a kind the store does not know
        dialog.kind.addItem(kind.capitalize(), kind)
    fill(dialog, kind, start, end)
    dialog.ok_button.click()
    assert dialog.isVisible() and panel.dialog is dialog  # kept open to fix
    assert dialog.error.isVisible() and words in dialog.error.text()
    assert dialog.error.text().endswith(".")
    assert stored(app_context, ids["file"]) == before
    assert edits.stack.count() == 0


def test_edit_through_the_dialog_and_undo(
    qtbot: QtBot,
    panel: MarkerPanel,
    app_context: AppContext,
    edits: CatalogEdits,
    ids: dict[str, int],
) -> None:
    panel.select_marker(ids["cue"])
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    dialog = panel.dialog
    assert dialog is not None and dialog.windowTitle() == "Edit marker"
    assert (dialog.start.text(), dialog.end.text(), dialog.label.text()) == (
        "0:15:00.000",
        "",
        "Credits",
    )
    fill(dialog, "cue", "0:16:00", "", "End credits")
    dialog.ok_button.click()
    cue = next(mk for mk in stored(app_context, ids["file"]) if mk.id == ids["cue"])
    assert (cue.start_ms, cue.label) == (960_000, "End credits")
    assert panel.model.index(2, 3).data() == "End credits"
    edits.stack.undo()
    assert panel.model.index(2, 3).data() == "Credits"


def test_delete_key_deletes_a_manual_marker_and_undo_brings_it_back(
    qtbot: QtBot,
    panel: MarkerPanel,
    app_context: AppContext,
    edits: CatalogEdits,
    ids: dict[str, int],
) -> None:
    panel.select_marker(ids["cue"])
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert ids["cue"] not in [mk.id for mk in stored(app_context, ids["file"])]
    assert panel.model.row_of(ids["cue"]) is None
    edits.stack.undo()
    assert panel.model.row_of(ids["cue"]) is not None


def test_plex_and_file_markers_cannot_be_edited_or_deleted(
    qtbot: QtBot, panel: MarkerPanel, app_context: AppContext, ids: dict[str, int]
) -> None:
    before = stored(app_context, ids["file"])
    for marker_id, by in ((ids["plex"], "Plex"), (ids["marker"], "the file itself")):
        panel.select_marker(marker_id)
        assert not panel.edit_button.isEnabled()
        assert not panel.delete_button.isEnabled()
        assert panel.hint.isVisible() and by in panel.hint.text()
        panel.table.setFocus()
        qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
        assert panel.notice.isVisible() and "read-only" in panel.notice.text()
        assert panel.edit_marker() is None and panel.dialog is None
        assert panel.delete_marker() is not None
    assert stored(app_context, ids["file"]) == before


def test_clicking_the_strip_selects_the_marker(panel: MarkerPanel, ids: dict[str, int]) -> None:
    strip = panel.strip
    assert strip.span_ms() == DURATION  # the item's length, as the file has none
    y = strip.BAR_TOP + strip.BAR_HEIGHT // 2
    for marker_id, ms in ((ids["plex"], 600_000), (ids["cue"], 900_000)):
        x = round(strip.x_of(ms))
        QtBot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(x + 2, y))
        selected = panel.selected_marker()
        assert selected is not None and selected.id == marker_id
    # Anywhere else on the bar: the chapter there (the file's chapter runs to the end).
    QtBot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(round(strip.x_of(200_000)), y))
    selected = panel.selected_marker()
    assert selected is not None and selected.id == ids["marker"]
    strip.grab()  # paints without error, with a selection


def test_several_files_get_a_chooser(
    panel: MarkerPanel, app_context: AppContext, ids: dict[str, int]
) -> None:
    with app_context.sessions() as s, s.begin():
        extra = add(s, m.MediaFile, library_id=ids["library"], plex_file_path="/data/tv/x.mkv")
        s.execute(
            insert(m.ContentItemFile).values(
                content_item_id=ids["item"], media_file_id=extra, role="extra"
            )
        )
        add(
            s,
            m.MediaMarker,
            media_file_id=extra,
            marker_kind="cue",
            start_ms=1_000,
            source="manual",
        )
    with app_context.sessions() as s:
        panel.set_files(files_of(s, ids["item"]))
    assert panel.file_combo.isVisible() and panel.file_combo.count() == 2
    assert panel.media_file_id == ids["file"]  # kept
    assert panel.file_combo.itemText(1) == "Extra: x.mkv"
    panel.file_combo.setCurrentIndex(1)
    assert panel.media_file_id == extra and panel.model.rowCount() == 1


def test_no_file_shows_a_sentence(panel: MarkerPanel) -> None:
    panel.set_files([])
    assert panel.empty.isVisible() and panel.table.isHidden()
    assert panel.add_marker() is None
