"""The block editor on a real migrated database (both backends), offscreen.

Every form round-trips through constraints_json; bad stored values open with a warning;
the live count agrees with `count_matches` and with a query written here; refusals keep
the dialog open with their sentence.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling import ad_policies
from retrovue_desktop.scheduling import constraints as c
from retrovue_desktop.scheduling.ad_rules import AdRules
from retrovue_desktop.scheduling.blocks import BlockValues
from retrovue_desktop.scheduling.matching import count_matches
from retrovue_desktop.store import models as m
from retrovue_desktop.ui.ad_policy_dialog import AdPoliciesDialog
from retrovue_desktop.ui.block_editor import BlockEditor, matches_text
from retrovue_desktop.ui.constraint_forms import LatestOnly, wait_for_jobs
from tests.builders import add

MIN = 60_000


@dataclass
class Fixture:
    tv: int
    ads: int
    cheers: int
    taxi: int
    items: dict[str, int]


@pytest.fixture(autouse=True)
def _jobs_end() -> Iterator[None]:
    yield
    wait_for_jobs()


@pytest.fixture
def station(sessions: sessionmaker[Session]) -> Fixture:
    """Two shows, a few movies, ads and tags: small enough to count by hand."""
    items: dict[str, int] = {}
    with sessions() as s, s.begin():
        server = add(s, m.PlexServer, name="Den")
        tv = add(
            s, m.Library, server_id=server, plex_library_key="1", title="TV", library_type="show"
        )
        ads = add(
            s, m.Library, source="local", root_path="/srv/ads", title="Ads", library_type="ad"
        )
        cheers = add(
            s, m.Show, server_id=server, library_id=tv, plex_rating_key="1", title="Cheers"
        )
        taxi = add(s, m.Show, server_id=server, library_id=tv, plex_rating_key="2", title="Taxi")
        for season in (1, 2):
            for episode in (1, 2, 3):
                items[f"cheers {season}x{episode}"] = add(
                    s, m.ContentItem, kind="episode", title=f"Cheers {season}x{episode}",
                    show_id=cheers, season_number=season, episode_number=episode,
                    rating_code="TV-PG", duration_ms=22 * MIN, library_id=tv,
                )  # fmt: skip
        items["taxi 1x1"] = add(
            s, m.ContentItem, kind="episode", title="Taxi pilot", show_id=taxi, season_number=1,
            episode_number=1, rating_code="TV-MA", duration_ms=25 * MIN, library_id=tv,
        )  # fmt: skip
        for name, rating, minutes in (
            ("Elf", "PG", 97),
            ("Die Hard", "R", 132),
            ("Home Movie", None, 40),
            ("Scrooged", "PG-13", 101),
        ):
            items[name] = add(
                s, m.ContentItem, kind="movie", title=name, rating_code=rating,
                duration_ms=minutes * MIN, library_id=tv,
            )  # fmt: skip
        items["gone"] = add(
            s, m.ContentItem, kind="movie", title="Lost Dragon", rating_code="G",
            duration_ms=90 * MIN, library_id=tv, gone_from_source_at=1,
        )  # fmt: skip
        items["ad"] = add(
            s, m.ContentItem, kind="ad", title="Soda", duration_ms=30_000, library_id=ads
        )
        for name in ("Elf", "Die Hard", "Scrooged", "Home Movie", "ad"):
            add(s, m.ContentTag, content_item_id=items[name], namespace="holiday", key="christmas")
        add(s, m.ContentTag, content_item_id=items["Die Hard"], namespace="audience", key="adult")
        add(s, m.ContentTag, content_item_id=items["Elf"], namespace="genre", key="comedy")
    return Fixture(tv, ads, cheers, taxi, items)


def _editor(
    qtbot: QtBot,
    sessions: sessionmaker[Session],
    values: BlockValues | None = None,
    ceiling: str | None = "TV-14",
    check: object = None,
) -> BlockEditor:
    editor = BlockEditor(sessions, ceiling, values, check)  # type: ignore[arg-type]
    qtbot.addWidget(editor)
    return editor


def _block(strategy: str, value: c.Constraints | None = None, **extra: object) -> BlockValues:
    text = None if value is None else c.serialize(value)
    fields: dict[str, object] = {
        "name": "Block", "day_of_week": 1, "start_time": "17:00:00", "end_time": "18:00:00",
        "strategy": strategy, "constraints_json": text,
    }  # fmt: skip
    fields.update(extra)
    return BlockValues(**fields)  # type: ignore[arg-type]


def _settled(qtbot: QtBot, editor: BlockEditor) -> str:
    qtbot.waitUntil(lambda: not editor.counting(), timeout=10_000)
    return editor.count.text()


def _forms(f: Fixture) -> list[tuple[str, c.Constraints]]:
    """One value per form, as `parse` gives it (ids and tags sorted)."""
    forms: list[tuple[str, c.Constraints]] = [
        ("series", c.SeriesConstraints((f.cheers,))),
        ("series", c.SeriesConstraints((f.cheers, f.taxi), c.EpisodeRef(2, 2))),
        ("series", c.SeriesConstraints((f.cheers, 987_654))),  # a show no longer there
        ("specific", c.SpecificConstraints((f.items["Elf"], f.items["ad"], f.items["Elf"]))),
        ("specific", c.SpecificConstraints((f.items["gone"], 987_654, f.items["cheers 1x1"]))),
        ("auto", c.SelectionConstraints()),
        ("collection", c.SelectionConstraints(tags_include=("holiday:christmas",))),
        (
            "collection",
            c.SelectionConstraints(
                tags_include=("genre:comedy", "holiday:christmas"),
                tags_exclude=("audience:adult", "brand:never-seen"),
                kinds=("ad", "episode", "movie"),
                library_ids=(f.ads, f.tv, 987_654),
                max_rating="PG",
                allow_unrated=True,
                min_duration_minutes=0,
                max_duration_minutes=130,
                date_range=c.DateRange("12-15", "01-06"),
            ),
        ),
        ("auto", c.SelectionConstraints(date_range=c.DateRange("02-29", "03-01"))),
        ("auto", c.SelectionConstraints(date_range=c.DateRange("2026-12-01", "2027-01-06"))),
        ("auto", c.SelectionConstraints(max_rating="TV-14", min_duration_minutes=45)),
    ]
    return [(strategy, c.parse(c.serialize(value), strategy)) for strategy, value in forms]


def test_every_form_round_trips_through_constraints_json(
    qtbot: QtBot, sessions: sessionmaker[Session], station: Fixture
) -> None:
    for strategy, value in _forms(station):
        first = _editor(qtbot, sessions, _block(strategy, value))
        assert not first.warning.isVisible() and first.warning.text() == ""
        form = first.current_form()
        assert form.constraints() == value
        assert c.parse(c.serialize(form.constraints()), strategy) == value
        saved = first.try_values()
        assert saved.strategy == strategy
        assert saved.constraints_json == c.serialize(value)
        second = _editor(qtbot, sessions, saved)
        assert second.form_constraints() == value
        assert second.try_values() == saved
        # set_constraints on a fresh form gives back the same value too.
        third = _editor(qtbot, sessions, _block(strategy))
        third.strategy.setCurrentIndex(third.strategy.findData(strategy))
        third.set_form_constraints(value)
        assert third.form_constraints() == value


def test_switching_between_collection_and_auto_keeps_the_selection(
    qtbot: QtBot, sessions: sessionmaker[Session], station: Fixture
) -> None:
    value = c.SelectionConstraints(tags_include=("holiday:christmas",), kinds=("movie",))
    editor = _editor(qtbot, sessions, _block("collection", value))
    editor.strategy.setCurrentIndex(editor.strategy.findData("auto"))
    assert editor.current_strategy() == "auto"
    assert editor.form_constraints() == value
    editor.strategy.setCurrentIndex(editor.strategy.findData("series"))
    editor.strategy.setCurrentIndex(editor.strategy.findData("collection"))
    assert editor.form_constraints() == value
    assert editor.try_values().strategy == "collection"


@pytest.mark.parametrize(
    ("strategy", "stored", "words"),
    [
        ("collection", "{not json", "not valid JSON"),
        ("collection", '{"version": 1, "colour": "red"}', "colour"),
        ("auto", '{"version": 2}', "version 2"),
        ("series", None, "needs at least one show"),
        ("specific", '{"version": 1, "item_ids": ["x"]}', "list of ids"),
        ("auto", '{"version": 1, "max_rating": "PG", "kinds": ["cartoon"]}', "cartoon"),
        ("bogus", "{}", "not a strategy"),
    ],
)
def test_unreadable_constraints_open_with_a_warning(
    qtbot: QtBot, sessions: sessionmaker[Session], strategy: str, stored: str, words: str
) -> None:
    values = BlockValues("Broken", 3, "10:00:00", "11:00:00", strategy, stored)
    editor = _editor(qtbot, sessions, values)
    editor.show()
    text = editor.warning.text()
    assert editor.warning.isVisible()
    assert text.startswith("This block's constraints could not be read: ")
    assert words in text and text.endswith("Saving replaces them.")
    shown = editor.current_strategy()
    assert shown == (strategy if strategy != "bogus" else "auto")
    if shown in ("auto", "collection"):  # the form starts from its defaults
        assert editor.form_constraints() == c.SelectionConstraints()
        saved = editor.try_values()
        assert saved.constraints_json == c.serialize(c.SelectionConstraints())
        assert (saved.name, saved.day_of_week, saved.start_time) == ("Broken", 3, "10:00:00")


def test_unreadable_times_open_with_a_warning(
    qtbot: QtBot, sessions: sessionmaker[Session]
) -> None:
    editor = _editor(qtbot, sessions, BlockValues("Odd", 9, "25:00", "xx", "auto"))
    assert "times could not be read" in editor.warning.text()
    assert editor.day.currentIndex() == 0


def _direct_count(sessions: sessionmaker[Session], where: list[object]) -> int:
    ci = m.ContentItem
    with sessions() as s:
        return int(s.scalar(select(func.count(ci.id)).where(*where)) or 0)  # type: ignore[arg-type]


def test_the_live_count_agrees_with_count_matches_and_a_direct_query(
    qtbot: QtBot, sessions: sessionmaker[Session], station: Fixture
) -> None:
    ci = m.ContentItem
    editor = _editor(qtbot, sessions, _block("auto"), ceiling="PG-13")
    # auto, no constraints: movies and episodes, not gone, rated PG-13 or gentler.
    gentle = ["TV-Y", "TV-Y7", "TV-Y7-FV", "G", "TV-G", "PG", "TV-PG", "PG-13", "TV-14"]
    direct = _direct_count(
        sessions,
        [ci.kind.in_(["movie", "episode"]), ci.gone_from_source_at.is_(None),
         ci.rating_code.in_(gentle)],
    )  # fmt: skip
    with sessions() as s:
        assert count_matches(s, "auto", c.SelectionConstraints(), "PG-13") == direct == 8
    assert _settled(qtbot, editor) == matches_text(direct) == "8 items match"

    # Tick "allow unrated" and add a tag: Home Movie joins, only Christmas films stay.
    editor.selection_form.allow_unrated.setChecked(True)
    assert editor.selection_form.include.add("holiday:christmas")
    assert editor.counting()
    expected = 3  # Elf, Scrooged, Home Movie (Die Hard is R; the ad is not a programme)
    assert _settled(qtbot, editor) == matches_text(expected)
    with sessions() as s:
        value = editor.checked_constraints()
        assert count_matches(s, "collection", value, "PG-13") == expected

    # Series from season 2: Cheers 2x1-2x3 (the TV-MA Taxi pilot is above the channel's).
    editor.strategy.setCurrentIndex(editor.strategy.findData("series"))
    editor.series_form.set_constraints(
        c.SeriesConstraints((station.cheers, station.taxi), c.EpisodeRef(2, 1))
    )
    direct = _direct_count(
        sessions,
        [ci.show_id.in_([station.cheers, station.taxi]), ci.kind == "episode",
         ci.season_number >= 2, or_(ci.rating_code.is_(None), ci.rating_code.in_(gentle))],
    )  # fmt: skip
    assert direct == 3
    assert _settled(qtbot, editor) == "3 episodes match"

    # Specific: Elf twice and the gone film: one distinct item can air.
    editor.strategy.setCurrentIndex(editor.strategy.findData("specific"))
    editor.specific_form.set_constraints(
        c.SpecificConstraints((station.items["Elf"], station.items["gone"], station.items["Elf"]))
    )
    direct = _direct_count(
        sessions,
        [and_(ci.id.in_([station.items["Elf"], station.items["gone"]]),
              ci.gone_from_source_at.is_(None))],
    )  # fmt: skip
    assert direct == 1
    assert _settled(qtbot, editor).startswith("1 of the 2 listed items match")


def test_invalid_form_input_shows_the_sentence_instead_of_a_count(
    qtbot: QtBot, sessions: sessionmaker[Session], station: Fixture
) -> None:
    editor = _editor(qtbot, sessions, _block("series", c.SeriesConstraints((station.cheers,))))
    assert _settled(qtbot, editor) == "6 episodes match"
    editor.series_form.set_constraints(c.SeriesConstraints(()))
    assert _settled(qtbot, editor) == "A series block needs at least one show."
    selection = editor.selection_form
    editor.strategy.setCurrentIndex(editor.strategy.findData("auto"))
    selection.min_minutes.set_minutes(90)
    selection.max_minutes.set_minutes(30)
    assert "minimum duration (90 min) is longer than its maximum" in _settled(qtbot, editor)


def test_a_stale_answer_is_dropped(qtbot: QtBot) -> None:
    runner = LatestOnly("test")
    release = threading.Event()
    answers: list[object] = []
    runner.answered.connect(answers.append)

    def slow() -> str:
        release.wait(10)
        return "old"

    runner.run(slow)
    runner.run(lambda: "new")
    qtbot.waitUntil(lambda: answers == ["new"], timeout=10_000)
    release.set()
    runner.wait()
    qtbot.wait(50)  # let the old job's queued answer arrive, and be dropped
    assert answers == ["new"]
    assert not runner.pending()


def test_a_stale_unexpected_failure_is_dropped_too(qtbot: QtBot) -> None:
    runner = LatestOnly("test")
    release = threading.Event()
    answers: list[object] = []
    failures: list[str] = []
    runner.answered.connect(answers.append)
    runner.failed.connect(failures.append)

    def slow_and_broken() -> str:
        release.wait(10)
        raise RuntimeError("an old request broke")

    runner.run(slow_and_broken)
    runner.run(lambda: "new")
    qtbot.waitUntil(lambda: answers == ["new"], timeout=10_000)
    release.set()
    runner.wait()
    qtbot.wait(50)  # the old job's failure arrives, and is dropped
    assert failures == [] and answers == ["new"]
    assert not runner.pending()


def test_a_rating_above_the_channels_is_refused(
    qtbot: QtBot, sessions: sessionmaker[Session], station: Fixture
) -> None:
    stored = c.SelectionConstraints(max_rating="R")  # saved before the channel got stricter
    editor = _editor(qtbot, sessions, _block("collection", stored), ceiling="TV-PG")
    editor.show()
    combo = editor.selection_form.rating
    offered = [combo.itemData(i) for i in range(combo.count())]
    assert offered[0] is None and combo.itemText(0) == "Channel's ceiling (TV-PG)"
    assert "R" in offered[-1:] and "above the channel's" in combo.itemText(combo.count() - 1)
    assert {"PG-13", "TV-14", "TV-MA", "NC-17"}.isdisjoint(offered[:-1])
    sentence = "The block's rating ceiling R is above the channel's (TV-PG): choose TV-PG"
    assert _settled(qtbot, editor).startswith(sentence)
    editor.accept()
    assert editor.isVisible() and editor.result() != QDialog.DialogCode.Accepted
    assert editor.error.isVisible() and editor.error.text().startswith(sentence)
    combo.setCurrentIndex(combo.findData("PG"))
    assert not editor.error.isVisible()
    assert _settled(qtbot, editor) == "7 items match"  # six Cheers episodes and Elf
    editor.accept()
    assert editor.result() == QDialog.DialogCode.Accepted
    assert c.parse(editor.values().constraints_json, "collection") == c.SelectionConstraints(
        max_rating="PG"
    )


def test_without_a_channel_ceiling_every_code_is_offered(
    qtbot: QtBot, sessions: sessionmaker[Session]
) -> None:
    editor = _editor(qtbot, sessions, ceiling=None)
    combo = editor.selection_form.rating
    assert combo.itemText(0) == "No ceiling"
    assert [combo.itemData(i) for i in range(1, combo.count())][-1] == "NC-17"


def test_times_crossing_midnight(qtbot: QtBot, sessions: sessionmaker[Session]) -> None:
    editor = _editor(qtbot, sessions, BlockValues("", 6, "23:00:00", "01:30:00", "auto"))
    assert editor.length.text() == "2 h 30 min · ends next day (Sunday 01:30)"
    values = editor.try_values()
    assert (values.day_of_week, values.start_time, values.end_time) == (6, "23:00:00", "01:30:00")
    assert values.name == "Auto fill"  # left blank: a sensible default
    editor.end.setTime(editor.start.time().addSecs(90 * 60))  # 00:30: still next day
    assert editor.length.text() == "1 h 30 min · ends next day (Sunday 00:30)"
    editor.end.setTime(editor.start.time())
    editor.show()
    editor.accept()
    assert editor.isVisible()
    assert "cannot start and end at the same time" in editor.error.text()
    assert "cannot start and end at the same time" in editor.length.text()
    editor.start.setTime(editor.start.time().addSecs(-3600))
    assert editor.length.text() == "1 h"
    editor.accept()
    assert editor.result() == QDialog.DialogCode.Accepted
    assert editor.values().start_time == "22:00:00"


def test_the_owners_check_keeps_the_dialog_open(
    qtbot: QtBot, sessions: sessionmaker[Session], station: Fixture
) -> None:
    seen: list[BlockValues] = []
    refusal: list[str | None] = ["“News” Monday 17:30-18:30 would overlap it."]

    def check(values: BlockValues) -> str | None:
        seen.append(values)
        return refusal[0]

    editor = _editor(qtbot, sessions, _block("auto", name="Movies"), check=check)
    editor.show()
    qtbot.keyClick(editor.name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert editor.isVisible() and editor.error.text() == refusal[0]
    assert seen and seen[-1].name == "Movies"
    refusal[0] = None
    editor.accept()
    assert editor.result() == QDialog.DialogCode.Accepted
    assert editor.values() == seen[-1]


def test_a_blank_name_takes_the_shows_title(
    qtbot: QtBot, sessions: sessionmaker[Session], station: Fixture
) -> None:
    editor = _editor(qtbot, sessions, _block("series", c.SeriesConstraints((station.cheers,))))
    editor.name.clear()
    assert editor.name.placeholderText() == "Left blank: “Cheers”"
    assert editor.try_values().name == "Cheers"
    editor.series_form.set_constraints(c.SeriesConstraints((station.cheers, station.taxi)))
    assert editor.try_values().name == "Cheers & Taxi"


def test_enter_in_the_form_never_saves_the_block(
    qtbot: QtBot, sessions: sessionmaker[Session], station: Fixture
) -> None:
    editor = _editor(qtbot, sessions, _block("collection"))
    editor.show()
    combo = editor.selection_form.include.combo
    line = combo.lineEdit()
    assert line is not None
    line.setFocus()
    combo.setEditText("holiday:christmas")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert editor.isVisible()
    assert editor.selection_form.include.tags() == ["holiday:christmas"]
    combo.setEditText("Not A Tag")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert editor.isVisible() and editor.selection_form.include.error.isVisible()
    editor.name.setFocus()
    qtbot.keyClick(editor.name, Qt.Key.Key_Return)  # outside the form, Enter is OK
    assert editor.result() == QDialog.DialogCode.Accepted


def test_picking_specific_items(
    qtbot: QtBot, sessions: sessionmaker[Session], station: Fixture
) -> None:
    editor = _editor(
        qtbot, sessions, _block("specific", c.SpecificConstraints((station.items["Elf"],)))
    )
    form = editor.specific_form
    assert not form.searching()  # nothing is searched before the form is seen
    editor.show()
    qtbot.waitUntil(lambda: not form.searching() and form.results.topLevelItemCount() > 0)
    assert form.results.topLevelItemCount() == 12  # every item but the gone one, by title
    assert form.results.topLevelItem(0).text(0) == "Cheers 1x1 (Cheers S01E01)"
    form.search.setText("taxi")
    assert form.searching()
    qtbot.waitUntil(lambda: not form.searching() and form.results.topLevelItemCount() == 1)
    assert form.results.topLevelItem(0).text(0) == "Taxi pilot (Taxi S01E01)"
    form.results.setFocus()
    qtbot.keyClick(form.results, Qt.Key.Key_Return)  # Enter adds
    assert editor.isVisible()
    form.add_selected()  # and the button again: an item may repeat
    assert form.item_ids() == [station.items["Elf"], station.items["taxi 1x1"],
                               station.items["taxi 1x1"]]  # fmt: skip
    form.search.setText("dragon")  # the gone film is never offered
    qtbot.waitUntil(lambda: not form.searching())
    assert form.results.topLevelItemCount() == 0
    assert "Nothing in the catalogue matches" in form.results_note.text()
    form.chosen.setCurrentItem(form.chosen.topLevelItem(0))
    form.move_selected(1)
    assert form.item_ids()[:2] == [station.items["taxi 1x1"], station.items["Elf"]]
    assert [form.chosen.topLevelItem(i).text(0) for i in range(3)] == ["1", "2", "3"]
    form.up_button.click()
    assert form.item_ids()[0] == station.items["Elf"]
    form.chosen.clearSelection()
    form.chosen.topLevelItem(2).setSelected(True)
    form.remove_button.click()
    assert form.item_ids() == [station.items["Elf"], station.items["taxi 1x1"]]
    assert form.total.text() == "2 items, 2:02:00 in all."
    assert editor.try_values().constraints_json == c.serialize(
        c.SpecificConstraints((station.items["Elf"], station.items["taxi 1x1"]))
    )


def test_ticking_shows(qtbot: QtBot, sessions: sessionmaker[Session], station: Fixture) -> None:
    editor = _editor(qtbot, sessions, _block("series", c.SeriesConstraints((station.cheers,))))
    form = editor.series_form
    rows = {form.shows.topLevelItem(i).text(0): form.shows.topLevelItem(i) for i in range(2)}
    assert rows["Cheers"].text(1) == "6 episodes" and rows["Taxi"].text(1) == "1 episode"
    form.search.setText("tax")
    assert rows["Cheers"].isHidden() and not rows["Taxi"].isHidden()
    form.shows.itemActivated.emit(rows["Taxi"], 0)  # Enter or a double-click
    assert form.constraints() == c.SeriesConstraints((station.cheers, station.taxi))
    form.start.setChecked(True)
    form.season.setValue(2)
    form.episode.setValue(3)
    assert form.constraints().start_from == c.EpisodeRef(2, 3)
    assert "Ticked (2): Cheers, Taxi" in form.chosen.text()


def test_ad_policy_is_kept_and_edited(
    qtbot: QtBot, sessions: sessionmaker[Session], station: Fixture
) -> None:
    with sessions() as s, s.begin():
        standard = ad_policies.create_policy(s, "Standard", AdRules())
    editor = _editor(qtbot, sessions, _block("auto", ad_policy_id=standard))
    assert editor.policy.policy_id() == standard
    assert editor.try_values().ad_policy_id == standard
    opened: list[AdPoliciesDialog] = []

    def make_one(dialog: AdPoliciesDialog) -> None:
        opened.append(dialog)
        with sessions() as s, s.begin():
            ad_policies.create_policy(s, "Light", AdRules(breaks=1))
        dialog.policies_changed.emit()

    editor.open_policies = make_one
    editor.edit_policies_button.click()
    assert len(opened) == 1
    names = [editor.policy.itemText(i) for i in range(editor.policy.count())]
    assert "Light" in names and editor.policy.policy_id() == standard
    editor.policy.setCurrentIndex(0)
    assert editor.try_values().ad_policy_id is None


def test_each_form_renders(
    qtbot: QtBot, sessions: sessionmaker[Session], station: Fixture, tmp_path: Path
) -> None:
    for strategy, value in _forms(station)[::3]:
        editor = _editor(qtbot, sessions, _block(strategy, value))
        editor.show()
        _settled(qtbot, editor)
        image = editor.grab()
        assert image.width() >= 720 and image.height() >= 560
        assert image.save(str(tmp_path / f"{strategy}.png"))


def test_tags_kinds_and_libraries_in_the_selection_form(
    qtbot: QtBot, sessions: sessionmaker[Session], station: Fixture
) -> None:
    editor = _editor(qtbot, sessions, _block("collection"))
    form = editor.selection_form
    choices = [form.include.combo.itemText(i) for i in range(form.include.combo.count())]
    assert choices == ["audience:adult", "genre:comedy", "holiday:christmas"]
    assert form.include.add("Holiday:Christmas") is False  # not a slug: a sentence
    assert form.include.error.text() and not form.include.error.isHidden()
    assert form.include.add("holiday:christmas") and form.include.add("genre:comedy")
    assert form.exclude.add("audience:adult")
    form.include.chips()[0].button.click()  # genre:comedy, the first chip, comes off
    form.kinds["movie"].setChecked(True)
    form.kinds["ad"].setChecked(True)
    libraries = {
        form.libraries.item(i).text(): form.libraries.item(i) for i in range(form.libraries.count())
    }
    assert list(libraries) == ["Ads", "TV"]
    libraries["Ads"].setCheckState(Qt.CheckState.Checked)
    assert form.constraints() == c.SelectionConstraints(
        tags_include=("holiday:christmas",),
        tags_exclude=("audience:adult",),
        kinds=("ad", "movie"),
        library_ids=(station.ads,),
    )
    assert form.include.add("holiday:christmas") and form.include.tags() == ["holiday:christmas"]
    assert _settled(qtbot, editor) == "No items match"  # the ad is unrated
    form.allow_unrated.setChecked(True)
    assert _settled(qtbot, editor) == "1 item matches"  # the Christmas ad
    editor.name.clear()
    assert editor.try_values().name == "Christmas"
    form.dates.mode.setCurrentIndex(form.dates.mode.findData("yearly"))
    form.dates.year_start.setDate(form.dates.year_start.date().addMonths(11))
    assert form.constraints().date_range == c.DateRange("12-01", "12-31")
    assert "Every year." in form.dates.hint.text()
