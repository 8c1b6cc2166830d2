"""The item detail pane on a real migrated SQLite file: editorial editor, files, tag chips,
and undo through the shared CatalogEdits stack showing up in the pane."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, update

from retrovue_desktop.store import models as m
from retrovue_desktop.store.editorial import editorial_of
from retrovue_desktop.store.item_detail import files_of, item_heading, payload_text, size_text
from retrovue_desktop.store.tags import tags_of
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.detail_pane import EMPTY_TEXT, GONE_TEXT, DetailPane
from retrovue_desktop.ui.edits import CatalogEdits
from retrovue_desktop.ui.mime import tags_mime
from tests.builders import add, station

SOURCE_SYNOPSIS = "Sam runs a bar; Diane stays on as a waitress."


@pytest.fixture
def ids(app_context: AppContext) -> dict[str, int]:
    """station()'s episode with a source synopsis, a payload, a second (alternate) file
    that has a problem, and a second tag."""
    ids = station(app_context.engine)
    with app_context.sessions() as s, s.begin():
        s.execute(
            update(m.ContentEditorial)
            .where(m.ContentEditorial.content_item_id == ids["item"])
            .values(
                original_synopsis=SOURCE_SYNOPSIS,
                source_payload_json=json.dumps({"ratingKey": "101", "title": "Give Me a Ring"}),
            )
        )
        s.execute(
            update(m.MediaFile)
            .where(m.MediaFile.id == ids["file"])
            .values(
                local_file_path="/mnt/tv/c.mkv",
                container="mkv",
                video_codec="h264",
                audio_codec="aac",
                width=1440,
                height=1080,
                duration_ms=1_320_000,
                file_size_bytes=1_234_000_000,
                availability="ok",
                last_verified_at=1_700_000_000,
            )
        )
        ids["alt"] = add(
            s,
            m.MediaFile,
            library_id=ids["library"],
            plex_file_path="/data/tv/c-sd.avi",
            availability="missing",
            availability_reason="No file at /mnt/tv/c-sd.avi",
        )
        s.execute(
            insert(m.ContentItemFile).values(
                content_item_id=ids["item"], media_file_id=ids["alt"], role="alternate"
            )
        )
        s.execute(
            insert(m.ContentTag).values(
                content_item_id=ids["item"], namespace="holiday", key="christmas"
            )
        )
    return ids


@pytest.fixture
def pane(
    qtbot: QtBot, app_context: AppContext, edits: CatalogEdits, ids: dict[str, int]
) -> Iterator[DetailPane]:
    pane = DetailPane(app_context, edits)
    qtbot.addWidget(pane)
    pane.resize(440, 800)
    pane.show()
    pane.show_item(ids["item"])
    yield pane


def saved(context: AppContext, item_id: int) -> tuple[str | None, str | None, int | None]:
    with context.sessions() as s:
        view = editorial_of(s, item_id)
    return view.override_title, view.override_synopsis, view.override_updated_at


def chip_texts(pane: DetailPane) -> list[str]:
    return [chip.label.text() for chip in pane.chips.chips()]


# -- empty and gone ------------------------------------------------------------------------


def test_empty_state_says_what_to_do(qtbot: QtBot, app_context: AppContext) -> None:
    pane = DetailPane(app_context, CatalogEdits(app_context.sessions))
    qtbot.addWidget(pane)
    assert pane.item_id is None
    assert pane.stack.currentWidget() is pane.empty
    assert pane.empty.text() == EMPTY_TEXT
    assert "Select an item" in EMPTY_TEXT


def test_an_item_that_is_gone_shows_a_sentence(pane: DetailPane) -> None:
    pane.show_item(999_999)
    assert pane.stack.currentWidget() is pane.empty
    assert pane.empty.text() == GONE_TEXT
    pane.show_item(None)
    assert pane.empty.text() == EMPTY_TEXT and pane.item_id is None


# -- heading and editorial -----------------------------------------------------------------


def test_showing_an_item_fills_heading_source_and_override_fields(
    pane: DetailPane, ids: dict[str, int]
) -> None:
    assert pane.item_id == ids["item"]
    assert pane.stack.currentIndex() == 1
    assert pane.title.text() == "Give Me a Ring Sometime"  # no override: the item's title
    assert pane.facts.text() == "Episode · Cheers S01E01 · 0:22:00 · TV"
    editor = pane.editor
    assert editor.source_title.text() == "Give Me a Ring"  # original_title, as it arrived
    assert editor.source_synopsis.text() == SOURCE_SYNOPSIS
    assert editor.source_title_caption.text() == "From Plex:"
    assert editor.title_edit.text() == "" and editor.synopsis_edit.toPlainText() == ""
    assert not editor.save_button.isEnabled()
    assert not editor.revert_button.isEnabled()  # nothing is overridden
    assert editor.status.text() == "Never edited here."


def test_save_writes_the_override_and_when(
    pane: DetailPane, app_context: AppContext, ids: dict[str, int]
) -> None:
    editor = pane.editor
    editor.title_edit.setText("  Pilot  ")
    editor.synopsis_edit.setPlainText("Diane stays.")
    assert editor.save_button.isEnabled()
    editor.save_button.click()
    title, synopsis, when = saved(app_context, ids["item"])
    assert (title, synopsis) == ("Pilot", "Diane stays.")
    assert when is not None
    assert pane.title.text() == "Pilot"  # the heading shows the override
    assert editor.title_edit.text() == "Pilot"
    assert editor.status.text().startswith("Last edited ")
    assert editor.revert_button.isEnabled() and not editor.save_button.isEnabled()
    assert editor.error.isHidden()


def test_ctrl_s_saves_within_the_pane(
    qtbot: QtBot, pane: DetailPane, app_context: AppContext, ids: dict[str, int]
) -> None:
    pane.activateWindow()
    qtbot.waitUntil(pane.isActiveWindow)
    pane.editor.title_edit.setFocus()
    pane.editor.title_edit.setText("Pilot")
    qtbot.keyClick(pane.editor.synopsis_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved(app_context, ids["item"])[0] == "Pilot"


def test_revert_restores_the_source(
    pane: DetailPane, app_context: AppContext, ids: dict[str, int]
) -> None:
    pane.editor.title_edit.setText("Pilot")
    pane.editor.synopsis_edit.setPlainText("Diane stays.")
    assert pane.editor.save() is None
    first_edit = saved(app_context, ids["item"])[2]
    pane.editor.revert_button.click()
    title, synopsis, when = saved(app_context, ids["item"])
    assert (title, synopsis) == (None, None)
    assert when is not None and first_edit is not None and when >= first_edit  # recorded
    assert pane.title.text() == "Give Me a Ring Sometime"
    assert pane.editor.title_edit.text() == "" and pane.editor.synopsis_edit.toPlainText() == ""
    assert not pane.editor.revert_button.isEnabled()


def test_undo_and_redo_show_up_in_the_pane(
    pane: DetailPane, app_context: AppContext, edits: CatalogEdits, ids: dict[str, int]
) -> None:
    pane.editor.title_edit.setText("Pilot")
    assert pane.editor.save() is None
    pane.editor.title_edit.setText("The Pilot")
    pane.editor.synopsis_edit.setPlainText("Diane stays.")
    assert pane.editor.save() is None
    edits.stack.undo()
    assert saved(app_context, ids["item"])[:2] == ("Pilot", None)
    assert pane.editor.title_edit.text() == "Pilot"
    assert pane.editor.synopsis_edit.toPlainText() == ""
    assert pane.title.text() == "Pilot"
    edits.stack.undo()
    assert pane.editor.title_edit.text() == "" and pane.title.text() == "Give Me a Ring Sometime"
    edits.stack.redo()
    edits.stack.redo()
    assert pane.editor.title_edit.text() == "The Pilot"
    assert pane.editor.synopsis_edit.toPlainText() == "Diane stays."


def test_a_refused_override_is_shown_in_red_and_nothing_is_written(
    pane: DetailPane, app_context: AppContext, edits: CatalogEdits, ids: dict[str, int]
) -> None:
    pane.editor.title_edit.setText("T" * 501)
    refusal = pane.editor.save()
    assert refusal is not None and "500" in refusal
    assert pane.editor.error.isVisible() and pane.editor.error.text() == refusal
    assert "b3261e" in pane.editor.error.styleSheet()
    assert saved(app_context, ids["item"]) == (None, None, None)
    assert edits.stack.count() == 0
    assert pane.editor.title_edit.text() == "T" * 501  # kept, to be fixed


def test_typing_survives_a_tag_change_but_not_a_new_item(
    pane: DetailPane, edits: CatalogEdits, ids: dict[str, int]
) -> None:
    pane.editor.title_edit.setText("Half typed")
    assert edits.apply_tags([ids["item"]], [("tone", "cozy")]) is None
    assert pane.editor.title_edit.text() == "Half typed"
    assert "tone:cozy" in chip_texts(pane)
    pane.show_item(ids["item"])  # the list re-selecting the same item
    assert pane.editor.title_edit.text() == "Half typed"
    pane.show_item(None)
    pane.show_item(ids["item"])
    assert pane.editor.title_edit.text() == ""


def test_a_folder_item_never_edited_names_the_file_as_its_source(
    pane: DetailPane, app_context: AppContext, ids: dict[str, int]
) -> None:
    with app_context.sessions() as s, s.begin():
        item = add(s, m.ContentItem, kind="ad", title="Cola", library_id=ids["local_library"])
    pane.show_item(item)
    assert pane.editor.source_title_caption.text() == "From the file:"
    assert pane.facts.text() == "Ad · Ads"


def test_item_without_editorial_row_shows_its_own_values(
    qtbot: QtBot, app_context: AppContext, edits: CatalogEdits
) -> None:
    with app_context.sessions() as s, s.begin():
        item = add(s, m.ContentItem, kind="ad", title="Cola 30s", synopsis="Fizz.")
    pane = DetailPane(app_context, edits)
    qtbot.addWidget(pane)
    pane.show_item(item)
    assert pane.editor.source_title.text() == "Cola 30s"
    assert pane.editor.source_synopsis.text() == "Fizz."
    assert pane.editor.source_title_caption.text() == "From the source:"
    assert pane.files.empty.isVisibleTo(pane.files) and pane.files.cards == []
    assert pane.chips.empty.isVisibleTo(pane.chips)


# -- source payload ------------------------------------------------------------------------


def test_payload_dialog_pretty_prints_json(pane: DetailPane) -> None:
    dialog = pane.editor.show_payload()
    assert dialog is not None and dialog.isVisible()
    assert dialog.text.toPlainText() == '{\n  "ratingKey": "101",\n  "title": "Give Me a Ring"\n}'
    assert dialog.text.isReadOnly()
    assert dialog.note.isHidden()
    dialog.close()


def test_payload_that_is_not_json_or_absent_gets_a_sentence(
    pane: DetailPane, app_context: AppContext, ids: dict[str, int]
) -> None:
    assert payload_text('{"a": ')[0] == '{"a": '
    problem = payload_text('{"a": ')[1]
    assert problem is not None and "not valid JSON" in problem and "as stored" in problem
    assert payload_text(None) == payload_text("  ")
    assert payload_text(None)[1] is not None

    with app_context.sessions() as s, s.begin():
        s.execute(
            update(m.ContentEditorial)
            .where(m.ContentEditorial.content_item_id == ids["item"])
            .values(source_payload_json="<xml/>")
        )
    pane.show_item(ids["item"])
    dialog = pane.editor.show_payload()
    assert dialog is not None
    assert dialog.note.isVisibleTo(dialog) and "not valid JSON" in dialog.note.text()
    assert dialog.text.toPlainText() == "<xml/>"
    dialog.close()


# -- files ---------------------------------------------------------------------------------


def test_files_primary_first_with_technical_metadata_and_availability(
    pane: DetailPane, app_context: AppContext, ids: dict[str, int]
) -> None:
    with app_context.sessions() as s:
        files = files_of(s, ids["item"])
        assert item_heading(s, 999_999) is None
    assert [(f.id, f.role) for f in files] == [(ids["file"], "primary"), (ids["alt"], "alternate")]
    primary = files[0]
    assert (primary.name, primary.folder, primary.resolution, primary.codecs) == (
        "c.mkv",
        "/mnt/tv",
        "1440\N{MULTIPLICATION SIGN}1080",
        "H264 / AAC",
    )
    assert pane.tabs.tabText(1) == "Files (2)"
    first, second = pane.files.cards
    assert first.technical.text() == " · ".join(
        ["MKV", "H264 / AAC", primary.resolution, "0:22:00", "1.23 GB"]
    )
    assert "OK" in first.availability.text()
    assert first.checked.text().startswith("Checked ")
    assert first.folder.full_text() == "/mnt/tv"
    assert "Missing" in second.availability.text()
    assert second.reason.text() == "No file at /mnt/tv/c-sd.avi"
    assert second.checked.text().startswith("Not checked yet")
    assert size_text(999) == "999 bytes" and size_text(350_000_000) == "350 MB"


# -- tag chips -----------------------------------------------------------------------------


def test_chip_button_removes_the_tag_and_undo_brings_it_back(
    pane: DetailPane, app_context: AppContext, edits: CatalogEdits, ids: dict[str, int]
) -> None:
    assert chip_texts(pane) == ["holiday:christmas", "tone:comedy"]
    pane.chips.chips()[0].button.click()
    with app_context.sessions() as s:
        assert tags_of(s, ids["item"]) == [("tone", "comedy", None)]
    assert chip_texts(pane) == ["tone:comedy"]
    edits.stack.undo()
    assert chip_texts(pane) == ["holiday:christmas", "tone:comedy"]
    with app_context.sessions() as s:
        assert len(tags_of(s, ids["item"])) == 2


def test_delete_key_removes_the_focused_chip_and_focus_moves_on(
    qtbot: QtBot, pane: DetailPane, app_context: AppContext, ids: dict[str, int]
) -> None:
    pane.activateWindow()
    qtbot.waitUntil(pane.isActiveWindow)
    chip = pane.chips.chips()[0]
    chip.setFocus()
    qtbot.waitUntil(chip.hasFocus)
    qtbot.keyClick(chip, Qt.Key.Key_Delete)
    with app_context.sessions() as s:
        assert tags_of(s, ids["item"]) == [("tone", "comedy", None)]
    remaining = pane.chips.chips()
    assert [c.label.text() for c in remaining] == ["tone:comedy"]
    assert remaining[0].hasFocus()
    qtbot.keyClick(remaining[0], Qt.Key.Key_Backspace)
    assert pane.chips.chips() == [] and pane.chips.empty.isVisibleTo(pane.chips)


def test_tags_dropped_on_the_pane_tag_the_item(
    pane: DetailPane, app_context: AppContext, edits: CatalogEdits, ids: dict[str, int]
) -> None:
    data = tags_mime([("tone", "cozy"), ("holiday", "christmas")])
    event = QDropEvent(
        QPointF(QPoint(20, 20)),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    pane.dropEvent(event)
    assert event.isAccepted()
    assert chip_texts(pane) == ["holiday:christmas", "tone:comedy", "tone:cozy"]
    edits.stack.undo()  # only the tag the item lacked comes off
    assert chip_texts(pane) == ["holiday:christmas", "tone:comedy"]


def test_changes_to_other_items_leave_the_pane_alone(
    pane: DetailPane, app_context: AppContext, edits: CatalogEdits
) -> None:
    with app_context.sessions() as s, s.begin():
        other = add(s, m.ContentItem, kind="movie", title="Other")
    pane.editor.title_edit.setText("typing")
    assert edits.set_override(other, "Elsewhere", None) is None
    assert pane.editor.title_edit.text() == "typing"
    assert pane.title.text() == "Give Me a Ring Sometime"
