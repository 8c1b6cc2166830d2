"""The ad policies dialog and the policy picker through their real widgets, on SQLite and
PostgreSQL: forms written to rules_json, refusals, delete with its question, unsaved
changes, unreadable stored rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling import ad_rules
from retrovue_desktop.scheduling.ad_policies import create_policy, describe
from retrovue_desktop.scheduling.ad_rules import AdRules
from retrovue_desktop.store import models as m
from retrovue_desktop.ui.ad_policy_dialog import AdPoliciesDialog, Unsaved
from retrovue_desktop.ui.ad_policy_picker import NO_POLICY_TEXT, AdPolicyPicker
from tests.builders import add

Sessions = sessionmaker[Session]
PRIME = AdRules(breaks=3, break_seconds=90, bumper_before=True, bumper_after=True)
DAY = AdRules(breaks_per="programme", breaks=1, fill_kinds=("ad",), min_repeat_minutes=0)
LEFT = Qt.MouseButton.LeftButton


def stored(sessions: Sessions) -> dict[str, str]:
    """name → rules_json as written."""
    with sessions() as s:
        return {r[0]: r[1] for r in s.execute(text("SELECT name, rules_json FROM ad_policies"))}


def create(sessions: Sessions, name: str, rules: AdRules = PRIME) -> int:
    with sessions() as s, s.begin():
        return create_policy(s, name, rules)


def with_blocks(sessions: Sessions, policy_id: int, count: int) -> None:
    with sessions() as s, s.begin():
        channel = add(s, m.Channel, name="Retro One")
        for hour in range(count):
            add(
                s,
                m.ScheduleBlock,
                channel_id=channel,
                name=f"Block {hour}",
                day_of_week=2,
                start_time=f"{hour:02d}:00:00",
                end_time=f"{hour:02d}:30:00",
                strategy="auto",
                ad_policy_id=policy_id,
            )


def no_modal(question: str) -> bool:
    raise AssertionError(f"unexpected question: {question}")


def open_dialog(qtbot: QtBot, sessions: Sessions, select_id: int | None = None) -> AdPoliciesDialog:
    dialog = AdPoliciesDialog(sessions, select_id=select_id)
    qtbot.addWidget(dialog)
    dialog.confirm = no_modal
    dialog.ask_unsaved = no_modal  # type: ignore[assignment]
    dialog.show()
    return dialog


def answer(reply: Unsaved, asked: list[str]) -> Callable[[str], Unsaved]:
    def ask(question: str) -> Unsaved:
        asked.append(question)
        return reply

    return ask


def fill(dialog: AdPoliciesDialog, name: str, rules: AdRules) -> None:
    """Set every widget as an operator would."""
    dialog.name_edit.setText(name)
    dialog.per_combo.setCurrentIndex(dialog.per_combo.findData(rules.breaks_per))
    dialog.breaks_spin.setValue(rules.breaks)
    dialog.length_edit.setTime(QTime(0, 0).addSecs(rules.break_seconds))
    dialog.ad_check.setChecked("ad" in rules.fill_kinds)
    dialog.promo_check.setChecked("promo" in rules.fill_kinds)
    dialog.bumper_check.setChecked("bumper" in rules.fill_kinds)
    dialog.before_check.setChecked(rules.bumper_before)
    dialog.after_check.setChecked(rules.bumper_after)
    dialog.repeat_spin.setValue(rules.min_repeat_minutes)


def list_names(dialog: AdPoliciesDialog) -> list[str]:
    return [dialog.list.item(i).text() for i in range(dialog.list.count())]


def test_a_new_policy_from_the_form_is_stored_canonically(qtbot: QtBot, sessions: Sessions) -> None:
    dialog = open_dialog(qtbot, sessions)
    assert dialog.heading.text() == "New ad policy"
    assert not dialog.delete_button.isEnabled()
    expected = AdRules(
        breaks_per="programme",
        breaks=4,
        break_seconds=2 * 60 + 45,
        fill_kinds=("ad", "bumper"),
        bumper_before=True,
        bumper_after=False,
        min_repeat_minutes=90,
    )
    fill(dialog, "  Prime time ", expected)
    with qtbot.waitSignal(dialog.policies_changed):
        qtbot.mouseClick(dialog.save_button, LEFT)
    assert stored(sessions) == {"Prime time": ad_rules.serialize(expected)}
    assert list_names(dialog) == ["Prime time"]
    assert dialog.list.currentRow() == 0
    assert dialog.heading.text() == "Prime time"
    assert not dialog.is_dirty()
    assert dialog.delete_button.isEnabled()
    assert "Saved" in dialog.status.text()


def test_the_longest_break_and_no_breaks_round_trip(qtbot: QtBot, sessions: Sessions) -> None:
    dialog = open_dialog(qtbot, sessions)
    longest = AdRules(breaks=12, break_seconds=1800, fill_kinds=("promo",), min_repeat_minutes=0)
    fill(dialog, "Long", longest)
    assert dialog.save()
    dialog.new_policy()
    none = AdRules(breaks=0, break_seconds=0, fill_kinds=())
    fill(dialog, "None", none)
    assert dialog.save()
    assert stored(sessions) == {
        "Long": ad_rules.serialize(longest),
        "None": ad_rules.serialize(none),
    }


def test_editing_a_policy_updates_its_row(qtbot: QtBot, sessions: Sessions) -> None:
    create(sessions, "Daytime", DAY)
    prime = create(sessions, "Prime", PRIME)
    dialog = open_dialog(qtbot, sessions, select_id=prime)
    assert dialog.name_edit.text() == "Prime"
    assert dialog.form_values() == ("Prime", PRIME)
    assert not dialog.is_dirty()
    dialog.breaks_spin.setValue(5)
    dialog.name_edit.setText("Prime time")
    assert dialog.is_dirty()
    dialog.activateWindow()
    dialog.name_edit.setFocus()
    qtbot.waitUntil(dialog.name_edit.hasFocus)
    with qtbot.waitSignal(dialog.policies_changed):
        qtbot.keySequence(dialog.name_edit, QKeySequence(QKeySequence.StandardKey.Save))
    edited = AdRules(breaks=5, break_seconds=90, bumper_before=True, bumper_after=True)
    assert stored(sessions) == {
        "Daytime": ad_rules.serialize(DAY),
        "Prime time": ad_rules.serialize(edited),
    }
    assert list_names(dialog) == ["Daytime", "Prime time"]


def test_refused_input_shows_a_sentence_and_writes_nothing(
    qtbot: QtBot, sessions: Sessions
) -> None:
    create(sessions, "Prime", PRIME)
    dialog = open_dialog(qtbot, sessions)
    before = stored(sessions)
    assert dialog.name_edit.text() == "Prime"
    dialog.new_policy()
    dialog.breaks_spin.setValue(2)
    for box in (dialog.ad_check, dialog.promo_check, dialog.bumper_check):
        box.setChecked(False)
    dialog.name_edit.setText("Empty")
    assert not dialog.save()
    assert dialog.error.isVisible()
    assert "nothing to fill them" in dialog.error.text()
    dialog.ad_check.setChecked(True)
    dialog.activateWindow()
    dialog.name_edit.setFocus()
    qtbot.waitUntil(dialog.name_edit.hasFocus)
    asked: list[str] = []
    dialog.ask_unsaved = answer("cancel", asked)
    qtbot.keySequence(dialog.name_edit, QKeySequence(QKeySequence.StandardKey.New))
    assert asked == ["Save your changes to “Empty”?"]
    assert dialog.name_edit.text() == "Empty"
    dialog.name_edit.setText("  ")
    assert not dialog.save()
    assert "Give the ad policy a name" in dialog.error.text()
    dialog.name_edit.setText("prime")
    assert not dialog.save()
    assert "already called “Prime”" in dialog.error.text()
    assert stored(sessions) == before
    dialog.name_edit.setText("Second")
    assert dialog.save()
    assert not dialog.error.isVisible()


def test_bumper_flags_need_bumpers(qtbot: QtBot, sessions: Sessions) -> None:
    dialog = open_dialog(qtbot, sessions)
    dialog.bumper_check.setChecked(True)
    dialog.before_check.setChecked(True)
    assert dialog.before_check.isEnabled() and dialog.after_check.isEnabled()
    dialog.bumper_check.setChecked(False)
    assert not dialog.before_check.isEnabled() and not dialog.after_check.isEnabled()
    assert not dialog.before_check.isChecked()
    assert dialog.form_values()[1].bumper_before is False


def test_delete_asks_with_the_block_count(qtbot: QtBot, sessions: Sessions) -> None:
    daytime = create(sessions, "Daytime", DAY)
    prime = create(sessions, "Prime time", PRIME)
    with_blocks(sessions, prime, 3)
    dialog = open_dialog(qtbot, sessions, select_id=prime)
    asked: list[str] = []

    def refuse(question: str) -> bool:
        asked.append(question)
        return False

    dialog.confirm = refuse
    assert not dialog.delete()
    assert asked == ["3 blocks use “Prime time”; they will have no ad breaks. Delete it?"]
    assert set(stored(sessions)) == {"Daytime", "Prime time"}

    dialog.confirm = lambda question: asked.append(question) is None
    with qtbot.waitSignal(dialog.policies_changed):
        qtbot.mouseClick(dialog.delete_button, LEFT)
    assert len(asked) == 2
    assert set(stored(sessions)) == {"Daytime"}
    with sessions() as s:
        assert s.execute(select(m.ScheduleBlock.ad_policy_id)).scalars().all() == [None] * 3
    assert list_names(dialog) == ["Daytime"]
    assert "3 blocks now have no ad breaks" in dialog.status.text()

    dialog._show(daytime)
    dialog.confirm = lambda question: asked.append(question) is None
    dialog.delete()
    assert asked[-1] == "Delete “Daytime”? No block uses it."
    assert stored(sessions) == {}
    assert dialog.heading.text() == "New ad policy"


def test_delete_key_in_the_list_deletes(qtbot: QtBot, sessions: Sessions) -> None:
    prime = create(sessions, "Prime", PRIME)
    with_blocks(sessions, prime, 1)
    dialog = open_dialog(qtbot, sessions, select_id=prime)
    asked: list[str] = []
    dialog.confirm = lambda question: asked.append(question) is None
    dialog.activateWindow()
    dialog.name_edit.setFocus()
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Delete)
    assert asked == []  # Del in the name field edits the name
    dialog.list.setFocus()
    qtbot.waitUntil(dialog.list.hasFocus)
    qtbot.keySequence(dialog.list, QKeySequence(QKeySequence.StandardKey.Delete))
    assert asked == ["1 block uses “Prime”; it will have no ad breaks. Delete it?"]
    assert stored(sessions) == {}


def test_unsaved_changes_are_asked_about_when_switching(qtbot: QtBot, sessions: Sessions) -> None:
    create(sessions, "Alpha", DAY)
    create(sessions, "Bravo", PRIME)
    dialog = open_dialog(qtbot, sessions)
    assert dialog.name_edit.text() == "Alpha"
    asked: list[str] = []

    dialog.breaks_spin.setValue(7)
    dialog.ask_unsaved = answer("cancel", asked)
    dialog.list.setCurrentRow(1)
    assert asked == ["Save your changes to “Alpha”?"]
    assert dialog.list.currentRow() == 0
    assert dialog.breaks_spin.value() == 7

    dialog.ask_unsaved = answer("discard", asked)
    dialog.list.setCurrentRow(1)
    assert dialog.name_edit.text() == "Bravo"
    assert stored(sessions)["Alpha"] == ad_rules.serialize(DAY)

    dialog.repeat_spin.setValue(15)
    dialog.ask_unsaved = answer("save", asked)
    dialog.new_policy()
    assert dialog.heading.text() == "New ad policy"
    saved = AdRules(breaks=3, break_seconds=90, bumper_before=True, bumper_after=True,
                    min_repeat_minutes=15)  # fmt: skip
    assert stored(sessions)["Bravo"] == ad_rules.serialize(saved)
    assert len(asked) == 3


def test_closing_with_unsaved_changes_asks(qtbot: QtBot, sessions: Sessions) -> None:
    create(sessions, "Alpha", DAY)
    dialog = open_dialog(qtbot, sessions)
    asked: list[str] = []
    dialog.name_edit.setText("")  # a save would be refused, so Save keeps it open
    dialog.ask_unsaved = answer("save", asked)
    qtbot.mouseClick(dialog.close_button, LEFT)
    assert dialog.isVisible()
    assert "Give the ad policy a name" in dialog.error.text()
    dialog.ask_unsaved = answer("cancel", asked)
    dialog.close()
    assert dialog.isVisible()
    dialog.ask_unsaved = answer("discard", asked)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert len(asked) == 3
    assert set(stored(sessions)) == {"Alpha"}


def test_a_clean_form_closes_without_asking(qtbot: QtBot, sessions: Sessions) -> None:
    create(sessions, "Alpha", DAY)
    dialog = open_dialog(qtbot, sessions)
    dialog.new_policy()  # nothing changed on Alpha: no question
    dialog.reject()
    assert not dialog.isVisible()


def test_unreadable_stored_rules_show_their_sentence_and_save_fixes_them(
    qtbot: QtBot, sessions: Sessions
) -> None:
    with sessions() as s, s.begin():
        bad = add(s, m.AdPolicy, name="Imported", rules_json='{"version": 2}')
    good = create(sessions, "Prime", PRIME)
    dialog = open_dialog(qtbot, sessions, select_id=good)
    assert dialog.warning.isHidden()
    dialog.list.setCurrentRow(0)
    assert dialog.name_edit.text() == "Imported"
    assert dialog.warning.isVisible()
    assert "rules have version 2" in dialog.warning.text()
    assert dialog.form_values() == ("Imported", AdRules())
    assert dialog.list.item(0).toolTip().startswith("The ad policy's rules have version 2")
    assert not dialog.is_dirty()  # looking at it does not ask to save it
    dialog.list.setCurrentRow(1)
    dialog._show(bad)
    assert dialog.save()
    assert stored(sessions)["Imported"] == ad_rules.serialize(AdRules())
    assert dialog.warning.isHidden()


def test_picker_lists_selects_and_keeps_missing_ids(qtbot: QtBot, sessions: Sessions) -> None:
    prime = create(sessions, "prime", PRIME)
    day = create(sessions, "Daytime", DAY)
    with sessions() as s, s.begin():
        bad = add(s, m.AdPolicy, name="Imported", rules_json="nope")
    picker = AdPolicyPicker()
    qtbot.addWidget(picker)
    picker.reload(sessions)
    texts = [picker.itemText(i) for i in range(picker.count())]
    assert texts == [NO_POLICY_TEXT, "Daytime", "Imported", "prime"]
    assert picker.policy_id() is None
    tips = [picker.itemData(i, Qt.ItemDataRole.ToolTipRole) for i in range(picker.count())]
    assert tips[1] == describe(DAY)
    assert "not valid JSON" in tips[2]
    assert not picker.itemIcon(2).isNull() and picker.itemIcon(1).isNull()

    changes: list[object] = []
    picker.policy_changed.connect(changes.append)
    picker.set_policy_id(prime)
    assert picker.policy_id() == prime and picker.currentText() == "prime"
    picker.set_policy_id(None)
    assert picker.currentText() == NO_POLICY_TEXT
    picker.set_policy_id(404)
    assert picker.policy_id() == 404
    assert picker.currentText() == "Missing policy #404"
    assert changes == []  # loading a value is not an edit
    picker.setCurrentIndex(picker.findData(day))
    assert changes == [day]
    picker.setCurrentIndex(0)
    assert changes == [day, None]
    assert bad in [picker.itemData(i) for i in range(picker.count())]


def test_picker_reload_keeps_the_choice_and_follows_the_dialog(
    qtbot: QtBot, sessions: Sessions
) -> None:
    prime = create(sessions, "Prime", PRIME)
    picker = AdPolicyPicker()
    qtbot.addWidget(picker)
    picker.reload(sessions)
    picker.set_policy_id(prime)
    dialog = open_dialog(qtbot, sessions, select_id=prime)
    dialog.policies_changed.connect(lambda: picker.reload(sessions))
    dialog.name_edit.setText("Prime time")
    assert dialog.save()
    assert picker.currentText() == "Prime time" and picker.policy_id() == prime
    dialog.confirm = lambda _question: True
    assert dialog.delete()
    assert picker.policy_id() == prime
    assert picker.currentText() == f"Missing policy #{prime}"
    assert picker.count() == 2


@pytest.mark.parametrize("select_id", [None, 404])
def test_opening_on_nothing_or_a_gone_id(
    qtbot: QtBot, sessions: Sessions, select_id: int | None
) -> None:
    dialog = open_dialog(qtbot, sessions, select_id=select_id)
    assert dialog.heading.text() == "New ad policy"
    create(sessions, "Later", DAY)
    dialog2 = open_dialog(qtbot, sessions, select_id=select_id)
    assert dialog2.name_edit.text() == "Later"
