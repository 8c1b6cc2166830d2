"""CatalogEdits: every edit undoes and redoes exactly, on both backends."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, delete, func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.store import models as m
from retrovue_desktop.store.editorial import editorial_of
from retrovue_desktop.store.markers import markers_of
from retrovue_desktop.store.tags import palette
from retrovue_desktop.ui.edits import BACKGROUND_AT, CatalogEdits
from tests.builders import station


def tag_rows(sessions: sessionmaker[Session]) -> list[tuple[int, str, str, str | None]]:
    with sessions() as s:
        rows = s.execute(text("SELECT content_item_id, namespace, key, value FROM content_tags"))
        return sorted((int(r[0]), r[1], r[2], r[3]) for r in rows)


def palette_rows(sessions: sessionmaker[Session]) -> list[tuple[str, str, str | None, int]]:
    with sessions() as s:
        return [(t.namespace, t.key, t.label, t.items) for t in palette(s)]


def add_movies(sessions: sessionmaker[Session], count: int) -> list[int]:
    with sessions() as s, s.begin():
        start = s.execute(select(func.coalesce(func.max(m.ContentItem.id), 0))).scalar_one() + 1
        ids = list(range(start, start + count))
        s.execute(
            insert(m.ContentItem), [{"id": i, "kind": "movie", "title": f"M{i}"} for i in ids]
        )
    return ids


def test_apply_undo_takes_the_tag_only_off_items_that_lacked_it(
    qtbot: QtBot, sessions: sessionmaker[Session]
) -> None:
    ids = add_movies(sessions, 4)
    with sessions() as s, s.begin():
        s.execute(
            insert(m.ContentTag).values(
                content_item_id=ids[0], namespace="holiday", key="christmas", value="eve"
            )
        )
    edits = CatalogEdits(sessions)
    before = tag_rows(sessions)
    assert edits.apply_tags(ids, [("holiday", "christmas"), ("tone", "cozy")]) is None
    after = tag_rows(sessions)
    assert len(after) == 1 + 3 + 4
    assert (ids[0], "holiday", "christmas", "eve") in after  # its value kept
    assert edits.stack.count() == 1
    edits.stack.undo()
    assert tag_rows(sessions) == before
    edits.stack.redo()
    assert tag_rows(sessions) == after


def test_remove_undo_gives_values_back(qtbot: QtBot, sessions: sessionmaker[Session]) -> None:
    ids = add_movies(sessions, 3)
    with sessions() as s, s.begin():
        s.execute(
            insert(m.ContentTag),
            [
                {"content_item_id": i, "namespace": "season", "key": "fall", "value": str(i)}
                for i in ids
            ],
        )
    edits = CatalogEdits(sessions)
    before = tag_rows(sessions)
    changed: list[object] = []
    edits.items_changed.connect(changed.append)
    assert edits.remove_tags(ids[:2], [("season", "fall")]) is None
    assert tag_rows(sessions) == [(ids[2], "season", "fall", str(ids[2]))]
    assert changed == [ids[:2]]
    edits.stack.undo()
    assert tag_rows(sessions) == before


def test_palette_edits_undo_exactly(qtbot: QtBot, sessions: sessionmaker[Session]) -> None:
    ids = add_movies(sessions, 4)
    edits = CatalogEdits(sessions)
    assert edits.create_tag("holiday", "xmas", "Xmas") is None
    assert edits.create_tag("holiday", "christmas") is None
    assert edits.apply_tags(ids[:3], [("holiday", "xmas")]) is None
    assert edits.apply_tags(ids[2:], [("holiday", "christmas")]) is None
    with sessions() as s, s.begin():
        s.execute(
            text("UPDATE content_tags SET value = 'v' WHERE content_item_id = :i"), {"i": ids[0]}
        )
    start_tags, start_palette = tag_rows(sessions), palette_rows(sessions)

    # Rename onto an existing tag merges; item 3 carried both and ends with one row.
    assert edits.rename_tag(("holiday", "xmas"), ("holiday", "christmas")) is None
    merged = tag_rows(sessions)
    assert [r[0] for r in merged] == ids
    assert all(r[1:3] == ("holiday", "christmas") for r in merged)
    edits.stack.undo()
    assert tag_rows(sessions) == start_tags
    assert palette_rows(sessions) == start_palette

    assert (
        edits.merge_tags([("holiday", "xmas"), ("holiday", "christmas")], ("season", "winter"))
        is None
    )
    assert {r[1:3] for r in tag_rows(sessions)} == {("season", "winter")}
    edits.stack.undo()
    assert tag_rows(sessions) == start_tags
    assert palette_rows(sessions) == start_palette

    assert edits.delete_tag("holiday", "xmas") is None
    assert all(r[2] != "xmas" for r in tag_rows(sessions))
    edits.stack.undo()
    assert tag_rows(sessions) == start_tags
    assert palette_rows(sessions) == start_palette
    edits.stack.redo()
    assert ("holiday", "xmas") not in {(p[0], p[1]) for p in palette_rows(sessions)}


def test_refused_edits_write_nothing_and_stay_off_the_stack(
    qtbot: QtBot, sessions: sessionmaker[Session]
) -> None:
    ids = add_movies(sessions, 1)
    edits = CatalogEdits(sessions)
    assert edits.create_tag("holiday", "christmas") is None
    refusal = edits.create_tag("holiday", "christmas")
    assert refusal is not None and "already exists" in refusal
    refusal = edits.create_tag("holiday", "Christmas Eve")
    assert refusal is not None and "christmas-eve" in refusal
    refusal = edits.apply_tags([ids[0], 999_999], [("holiday", "christmas")])
    assert refusal is not None and "no longer in the catalogue" in refusal
    assert tag_rows(sessions) == []
    assert edits.stack.count() == 1


def test_override_undo_restores_the_previous_one(
    qtbot: QtBot, engine: Engine, sessions: sessionmaker[Session]
) -> None:
    item = station(engine)["item"]
    edits = CatalogEdits(sessions)
    assert edits.set_override(item, "First", None) is None
    assert edits.set_override(item, "Second", "A synopsis") is None
    assert edits.revert_to_source(item) is None
    with sessions() as s:
        assert editorial_of(s, item).title == "Give Me a Ring"
    edits.stack.undo()
    with sessions() as s:
        view = editorial_of(s, item)
        assert (view.override_title, view.override_synopsis) == ("Second", "A synopsis")
        assert view.override_updated_at is not None
    edits.stack.undo()
    with sessions() as s:
        assert editorial_of(s, item).override_title == "First"
    edits.stack.redo()
    with sessions() as s:
        assert editorial_of(s, item).override_title == "Second"
    refusal = edits.set_override(item, "two\nlines", None)
    assert refusal is not None and "one line" in refusal


def test_marker_edits_undo_and_redo_under_the_same_id(
    qtbot: QtBot, engine: Engine, sessions: sessionmaker[Session]
) -> None:
    ids = station(engine)
    media_file = ids["file"]
    edits = CatalogEdits(sessions)

    def manual() -> list[tuple[int, str, int, int | None, str | None]]:
        with sessions() as s:
            return [
                (v.id, v.kind, v.start_ms, v.end_ms, v.label)
                for v in markers_of(s, media_file)
                if v.editable
            ]

    assert edits.add_marker(media_file, "ad_break", 600_000, None, "Break 1") is None
    [(marker, *_)] = manual()
    assert edits.update_marker(marker, "ad_break", 660_000, 690_000, "Break one") is None
    assert edits.delete_marker(marker) is None
    assert manual() == []
    edits.stack.undo()
    assert manual() == [(marker, "ad_break", 660_000, 690_000, "Break one")]
    edits.stack.undo()
    assert manual() == [(marker, "ad_break", 600_000, None, "Break 1")]
    edits.stack.undo()
    assert manual() == []
    edits.stack.redo()
    edits.stack.redo()
    assert manual() == [(marker, "ad_break", 660_000, 690_000, "Break one")]

    # Plex's markers stay read-only, and a refused edit is not undoable.
    refusal = edits.delete_marker(ids["marker"])
    assert refusal is not None and "cannot be deleted" in refusal
    refusal = edits.add_marker(media_file, "cue", 10_000_000, None, None)
    assert refusal is not None and "past the end" in refusal
    assert edits.stack.count() == 3


def test_an_undo_the_data_outgrew_is_dropped_with_a_sentence(
    qtbot: QtBot, engine: Engine, sessions: sessionmaker[Session]
) -> None:
    ids = station(engine)
    edits = CatalogEdits(sessions)
    assert edits.add_marker(ids["file"], "cue", 1_000, None, None) is None
    with sessions() as s, s.begin():
        s.execute(delete(m.MediaMarker).where(m.MediaMarker.source == "manual"))
    with qtbot.waitSignal(edits.failed) as failed:
        edits.stack.undo()
    assert "catalogue changed" in failed.args[0]
    assert edits.stack.count() == 0


def test_large_tagging_runs_in_the_background_as_one_undoable_step(
    qtbot: QtBot, sessions: sessionmaker[Session]
) -> None:
    ids = add_movies(sessions, BACKGROUND_AT + 500)
    edits = CatalogEdits(sessions)
    with qtbot.waitSignal(edits.busy_changed, check_params_cb=lambda on: not on, timeout=60_000):
        assert edits.apply_tags(ids, [("holiday", "christmas")]) is None
        assert edits.busy
        refusal = edits.create_tag("tone", "cozy")
        assert refusal is not None and "Wait" in refusal
    assert len(tag_rows(sessions)) == len(ids)
    assert edits.stack.count() == 1
    edits.stack.undo()
    assert tag_rows(sessions) == []
