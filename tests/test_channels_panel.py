"""The channel list: add, edit and remove through the real dialog and database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from retrovue_desktop.scheduling.blocks import BlockValues, create_blocks
from retrovue_desktop.store.channels import ChannelValues, create_channel, list_channels
from retrovue_desktop.ui.channel_dialog import ChannelDialog
from retrovue_desktop.ui.channels_panel import ChannelsPanel
from retrovue_desktop.ui.context import AppContext


@pytest.fixture
def panel(qtbot: QtBot, app_context: AppContext) -> ChannelsPanel:
    widget = ChannelsPanel(app_context.sessions)
    qtbot.addWidget(widget)
    return widget


def fill(**fields: object) -> Callable[[ChannelDialog], object]:
    """A stand-in for exec(): types into the real dialog and presses Save, once."""

    def run(dialog: ChannelDialog) -> object:
        for name, value in fields.items():
            widget = getattr(dialog, name)
            if name == "active":
                widget.setChecked(bool(value))
            elif name == "rating":
                widget.setCurrentIndex(widget.findData(value))
            elif name == "zone":
                widget.setEditText(str(value))
            else:
                widget.setText(str(value))
        dialog.accept()
        run.error = dialog.error.text() if dialog.error.isVisibleTo(dialog) else ""  # type: ignore[attr-defined]
        return dialog.result()

    return run


def test_add_edit_and_order(panel: ChannelsPanel, app_context: AppContext) -> None:
    assert panel.empty.isVisibleTo(panel) and not panel.edit_button.isEnabled()
    panel.run_dialog = fill(name="Retro Ten", number="10", callsign="krtv", rating="TV-PG")
    ten = panel.add_channel()
    panel.run_dialog = fill(name="Two", number="2", zone="Europe/London")
    two = panel.add_channel()
    assert [r.id for r in panel.rows()] == [two, ten]
    assert panel.current() is not None and panel.current().id == two
    assert panel.list.item(1).text().startswith("10 · Retro Ten\nKRTV · 0 blocks")
    with app_context.sessions() as s:
        values = {c.id: c.values for c in list_channels(s)}
    assert values[ten] == ChannelValues("Retro Ten", "10", "KRTV", True, "TV-PG", None)
    assert values[two].time_zone == "Europe/London"

    panel.select_channel(ten)
    panel.run_dialog = fill(name="Retro Ten", number="1", active=False)
    panel.edit_channel()
    assert [r.id for r in panel.rows()] == [ten, two]
    assert "off air" in panel.list.item(0).text()


def test_refusals_keep_the_dialog_open_and_write_nothing(
    panel: ChannelsPanel, app_context: AppContext
) -> None:
    runner = fill(name="Bad", number="seven")
    panel.run_dialog = runner
    assert panel.add_channel() is None
    assert "not a channel number" in runner.error  # type: ignore[attr-defined]
    runner = fill(name="Bad", zone="Mars/Olympus")
    panel.run_dialog = runner
    assert panel.add_channel() is None
    assert "not a time zone" in runner.error  # type: ignore[attr-defined]
    with app_context.sessions() as s:
        assert list_channels(s) == []


def test_remove_says_what_goes_and_asks(panel: ChannelsPanel, app_context: AppContext) -> None:
    with app_context.sessions.begin() as s:
        channel = create_channel(s, ChannelValues(name="Gone", number="4"))
        create_blocks(s, channel, [BlockValues("A", 1, "10:00", "11:00", "auto")])
    panel.reload()
    asked: list[str] = []
    panel.confirm = lambda question: asked.append(question) is not None  # says no
    panel.remove_channel()
    assert "1 weekly block, 0 programme log entries and 0 play log rows" in asked[0]
    assert len(panel.rows()) == 1
    panel.confirm = lambda question: True
    panel.remove_channel()
    assert panel.rows() == [] and panel.current() is None
    with app_context.sessions() as s:
        assert list_channels(s) == []
