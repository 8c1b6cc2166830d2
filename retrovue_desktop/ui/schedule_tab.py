"""The Schedule tab: the channel list beside the selected channel's weekly block grid
or, switched with the buttons above it, the channel's rundown (its dated programme log,
rundown_panel.py).

The grid only asks (create, move, delete, copy, open); this tab turns each request into
block values and hands them to ScheduleEdits, which writes them (never overlapping) as
one undoable step. The block editor opens for new and existing blocks; its overlap check
runs against the grid's blocks before it may close. Grid preferences (snap, first day,
colouring, zoom), the chosen channel and the view shown are remembered between runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.scheduling import blocks, week
from retrovue_desktop.scheduling.blocks import BlockValues, ListedBlock
from retrovue_desktop.scheduling.constraints import SelectionConstraints
from retrovue_desktop.scheduling.week import DAY_NAMES, WeekBlock
from retrovue_desktop.store.channels import ChannelRow

from . import settings
from .ad_policy_dialog import AdPoliciesDialog
from .block_editor import BlockEditor
from .channels_panel import ChannelsPanel
from .commands import MenuEntries, button_command, command
from .context import AppContext
from .edits import CatalogEdits
from .rundown_panel import RundownPanel
from .schedule_edits import ScheduleEdits
from .style import muted, plain_label, say
from .week_grid import GridBlock, WeekGrid

log = logging.getLogger(__name__)

# Runs the block editor: (values, id of the block or None for a new one) → new values.
EditorFn = Callable[[BlockValues, "int | None"], "BlockValues | None"]
SNAP_CHOICES = (("5 min", 5), ("15 min", 15), ("30 min", 30), ("Off", 0))
KEY_VIEW = "schedule/view"  # which view the tab shows: "grid" or "rundown"
VIEWS = ("grid", "rundown")


def _colour_key(listed: ListedBlock) -> str | None:
    """The first included tag of a selection block: what "colour by tag" paints."""
    parsed = listed.constraints
    if isinstance(parsed, SelectionConstraints) and parsed.tags_include:
        return parsed.tags_include[0]
    return None


def still(grid: WeekGrid, edit: Callable[[], None]) -> Callable[[], None]:
    """`edit`, except while the mouse drags blocks (as the grid's own keys)."""

    def run() -> None:
        if not grid.is_dragging():
            edit()

    return run


class ScheduleTab(QWidget):
    TITLE = "Schedule"

    def __init__(
        self, context: AppContext, edits: CatalogEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.sessions = context.sessions
        self.schedule = ScheduleEdits(edits, self)
        self.schedule.default_ceiling = settings.station_max_rating()
        self.schedule.blocks_changed.connect(self._blocks_changed)
        self.run_editor: EditorFn = self._open_editor
        self.channel: ChannelRow | None = None
        self._listed: dict[int, ListedBlock] = {}

        self.channels = ChannelsPanel(self.sessions)
        self.channels.channel_selected.connect(self._channel_selected)
        self.channels.notice.connect(self._say)
        self.channels.setMinimumWidth(200)

        self.grid = WeekGrid()
        self.grid.create_requested.connect(self._create)
        self.grid.move_requested.connect(self._move)
        self.grid.delete_requested.connect(self._delete)
        self.grid.copies_requested.connect(self._copies)
        self.grid.open_requested.connect(self.open_block)
        self.grid.refused.connect(lambda text: self._say(text, error=True))

        self.heading = plain_label()
        self.heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.snap = QComboBox()
        for label, step in SNAP_CHOICES:
            self.snap.addItem(label, step)
        self.snap.setToolTip("Snap block edges to this step while dragging (hold Shift: no snap)")
        self.first_day = QComboBox()
        for day, name in enumerate(DAY_NAMES):
            self.first_day.addItem(name, day)
        self.first_day.setToolTip("The weekday the grid starts on")
        self.colour_by = QComboBox()
        self.colour_by.addItem("Strategy", "strategy")
        self.colour_by.addItem("Tag", "tag")
        self.colour_by.setToolTip("Colour blocks by their strategy or their first included tag")
        zoom_out = QToolButton()
        zoom_out.setText("\N{MINUS SIGN}")
        zoom_out.setToolTip("Zoom out (Ctrl+wheel)")
        zoom_out.clicked.connect(self.grid.zoom_out)
        zoom_in = QToolButton()
        zoom_in.setText("+")
        zoom_in.setToolTip("Zoom in (Ctrl+wheel)")
        zoom_in.clicked.connect(self.grid.zoom_in)
        self.policies_button = QPushButton("Ad policies…")
        self.policies_button.clicked.connect(self.open_policies)

        self.rundown = RundownPanel(self.sessions, edits)
        self.view_buttons = QButtonGroup(self)
        self.view_buttons.setExclusive(True)
        switch = QHBoxLayout()
        switch.setSpacing(0)
        # No mnemonics on the buttons: Alt+W and Alt+R are the view actions' shortcuts.
        for index, (words, tip) in enumerate(
            (
                ("Week grid", "The channel's weekly template of blocks (Alt+W)"),
                ("Rundown", "The channel's programme log, day by day (Alt+R)"),
            )
        ):
            button = QPushButton(words)
            button.setCheckable(True)
            button.setToolTip(tip)
            button.setAutoDefault(False)
            self.view_buttons.addButton(button, index)
            switch.addWidget(button)

        self.grid_controls = QWidget()
        controls = QHBoxLayout(self.grid_controls)
        controls.setContentsMargins(0, 0, 0, 0)
        controls.setSpacing(6)
        for words, widget in (
            ("Snap:", self.snap),
            ("Week starts:", self.first_day),
            ("Colour by:", self.colour_by),
        ):
            caption = QLabel(words)
            caption.setBuddy(widget)
            muted(caption)
            controls.addWidget(caption)
            controls.addWidget(widget)
            controls.addSpacing(6)
        controls.addWidget(zoom_out)
        controls.addWidget(zoom_in)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.heading)
        bar.addSpacing(12)
        bar.addLayout(switch)
        bar.addStretch(1)
        bar.addWidget(self.grid_controls)
        bar.addSpacing(6)
        bar.addWidget(self.policies_button)

        self.notice = plain_label()
        self.notice.setWordWrap(True)
        self.notice.hide()
        edits.done.connect(lambda _text: self.notice.hide())
        self.help = plain_label(
            "Drag on empty time to add a block · drag a block to move it, its edges to"
            " resize · double-click or Enter to edit · Delete, Ctrl+C/Ctrl+V, Ctrl+D"
            " duplicates a day · Ctrl+Z undoes"
        )
        self.help.setWordWrap(True)
        muted(self.help)

        grid_page = QWidget()
        grid_layout = QVBoxLayout(grid_page)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.addWidget(self.grid, 1)
        grid_layout.addWidget(self.help)
        self.views = QStackedWidget()
        self.views.addWidget(grid_page)
        self.views.addWidget(self.rundown)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.views, 1)
        right_layout.addWidget(self.notice)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.channels)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        self._build_commands()
        self._restore_preferences()
        self.snap.currentIndexChanged.connect(self._snap_changed)
        self.first_day.currentIndexChanged.connect(self._first_day_changed)
        self.colour_by.currentIndexChanged.connect(self._colour_changed)
        self.view_buttons.idClicked.connect(lambda index: self.show_view(VIEWS[index]))
        self.splitter.splitterMoved.connect(
            lambda *_: settings.put(settings.KEY_SCHEDULE_SPLITTER, self.splitter.saveState())
        )
        remembered = settings.int_setting(settings.KEY_CHANNEL, 0)
        if remembered:
            self.channels.select_channel(remembered)
        self._channel_selected(self.channels.current())

    # -- commands ------------------------------------------------------------------------

    def _build_commands(self) -> None:
        grid, on_grid = self.grid, Qt.ShortcutContext.WidgetShortcut
        window = Qt.ShortcutContext.WindowShortcut  # as the buttons' mnemonics were
        self.grid_view_action = command(
            self, "&Week grid", lambda: self.show_view("grid"), "Alt+W",
            "Show the channel's weekly template of blocks", context=window,
        )  # fmt: skip
        self.rundown_view_action = command(
            self, "&Rundown", lambda: self.show_view("rundown"), "Alt+R",
            "Show the channel's programme log, day by day", context=window,
        )  # fmt: skip
        views = QActionGroup(self)
        for action in (self.grid_view_action, self.rundown_view_action):
            action.setCheckable(True)
            views.addAction(action)
        self.open_block_action = command(
            self, "&Open block…", grid.open_selection,
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)],
            "Edit the selected block", grid, on_grid,
        )  # fmt: skip
        self.delete_blocks_action = command(
            self, "&Delete blocks", still(grid, grid.delete_selection),
            QKeySequence.StandardKey.Delete, "Delete the selected blocks", grid, on_grid,
        )  # fmt: skip
        self.copy_blocks_action = command(
            self, "&Copy blocks", still(grid, grid.copy_selection),
            QKeySequence.StandardKey.Copy, "Copy the selected blocks", grid, on_grid,
        )  # fmt: skip
        self.paste_blocks_action = command(
            self, "&Paste blocks", still(grid, grid.paste),
            QKeySequence.StandardKey.Paste,
            "Paste the copied blocks onto the day last clicked", grid, on_grid,
        )  # fmt: skip
        self.duplicate_day_action = command(
            self, "D&uplicate day onto…", grid.duplicate_current_day, "Ctrl+D",
            "Copy every block of the day last clicked onto other days", grid, on_grid,
        )  # fmt: skip
        self.select_blocks_action = command(
            self, "Select &all blocks", grid.select_all, QKeySequence.StandardKey.SelectAll,
            "Select every block of the week", grid, on_grid,
        )  # fmt: skip
        self.zoom_in_action = command(
            self, "Zoom &in", grid.zoom_in, ["Ctrl++", "Ctrl+="], "Taller hours (Ctrl+wheel)",
            grid,
        )  # fmt: skip
        self.zoom_out_action = command(
            self, "Zoom ou&t", grid.zoom_out, "Ctrl+-", "Shorter hours (Ctrl+wheel)", grid
        )  # fmt: skip
        self.policies_action = button_command(
            self.policies_button, self, "Ad &policies…", tip="Edit the ad policies of breaks"
        )
        grid.selection_changed.connect(lambda _ids: self._update_grid_actions())

    def _grid_actions(self) -> list[QAction]:
        return [
            self.open_block_action,
            self.delete_blocks_action,
            self.copy_blocks_action,
            self.paste_blocks_action,
            self.duplicate_day_action,
            self.select_blocks_action,
            self.zoom_in_action,
            self.zoom_out_action,
        ]

    def _update_grid_actions(self) -> None:
        shown = self.view() == "grid"
        chosen = bool(self.grid.selected_ids())
        for action in self._grid_actions():
            action.setEnabled(shown)
        for action in (self.open_block_action, self.delete_blocks_action, self.copy_blocks_action):
            action.setEnabled(shown and chosen)

    menu_title = "Sched&ule"  # Alt+S is the tab's, Alt+D the reconciliation's Day

    def menu_actions(self) -> MenuEntries:
        """The tab's commands for its menu in the menu bar (None: a separator): the
        views, the channels, the week grid's and the rundown's (each enabled while its
        view shows), the ad policies."""
        channels = self.channels
        return [
            self.grid_view_action,
            self.rundown_view_action,
            None,
            channels.add_action,
            channels.edit_action,
            channels.remove_action,
            None,
            *self._grid_actions(),
            None,
            *self.rundown.menu_actions(),
            None,
            self.policies_action,
        ]

    # -- preferences ---------------------------------------------------------------------

    def apply_preferences(self) -> None:
        """Settings changed in the Settings dialog (snapping, first weekday): show them."""
        self._restore_preferences()

    def _restore_preferences(self) -> None:
        step = settings.int_setting(settings.KEY_SNAP, 15)
        self.snap.setCurrentIndex(max(self.snap.findData(step), 0))
        self.grid.set_snap(step or None)
        day = settings.int_setting(settings.KEY_FIRST_WEEKDAY, 0)
        self.first_day.setCurrentIndex(day if 0 <= day < 7 else 0)
        self.grid.set_first_weekday(self.first_day.currentData())
        mode = str(settings.app_settings().value(settings.KEY_COLOUR_BY, "strategy"))
        self.colour_by.setCurrentIndex(max(self.colour_by.findData(mode), 0))
        self.grid.set_colour_mode(self.colour_by.currentData())
        zoom = settings.int_setting(settings.KEY_ZOOM, 0)
        if zoom:
            self.grid.set_pixels_per_hour(zoom)
        state = settings.app_settings().value(settings.KEY_SCHEDULE_SPLITTER)
        if state is not None:
            self.splitter.restoreState(state)
        view = str(settings.app_settings().value(KEY_VIEW, "grid"))
        self.show_view(view if view in VIEWS else "grid", remember=False)

    def show_view(self, view: str, remember: bool = True) -> None:
        """Show the week grid ("grid") or the rundown ("rundown"), and remember which."""
        index = VIEWS.index(view)
        self.views.setCurrentIndex(index)
        button = self.view_buttons.button(index)
        if button is not None:
            button.setChecked(True)
        self.grid_controls.setVisible(view == "grid")
        (self.grid_view_action if view == "grid" else self.rundown_view_action).setChecked(True)
        self.rundown.set_in_view(view == "rundown")
        self._update_grid_actions()
        if remember:
            settings.put(KEY_VIEW, view)

    def view(self) -> str:
        return VIEWS[self.views.currentIndex()]

    def _snap_changed(self) -> None:
        step = int(self.snap.currentData())
        self.grid.set_snap(step or None)
        settings.put(settings.KEY_SNAP, step)

    def _first_day_changed(self) -> None:
        self.grid.set_first_weekday(int(self.first_day.currentData()))
        settings.put(settings.KEY_FIRST_WEEKDAY, int(self.first_day.currentData()))

    def _colour_changed(self) -> None:
        self.grid.set_colour_mode(str(self.colour_by.currentData()))
        settings.put(settings.KEY_COLOUR_BY, str(self.colour_by.currentData()))

    def save_preferences(self) -> None:
        """Zoom is kept when the window closes (it changes too often to write each time)."""
        settings.put(settings.KEY_ZOOM, round(self.grid.pixels_per_hour()))

    def shutdown(self) -> None:
        """The window is closing: stop a running build (its transaction rolls back)."""
        self.rundown.shutdown()

    # -- channel and blocks --------------------------------------------------------------

    def channel_ceiling(self) -> str | None:
        """The channel's rating ceiling, or the station's when it has none."""
        own = self.channel.values.max_rating_code if self.channel else None
        return own or settings.station_max_rating()

    def channel_zone(self) -> str:
        own = self.channel.values.time_zone if self.channel else None
        return own or settings.station_time_zone()

    def _now(self) -> tuple[int, int]:
        try:
            moment = datetime.now(ZoneInfo(self.channel_zone()))
        except (ZoneInfoNotFoundError, ValueError):
            moment = datetime.now().astimezone()
        return (moment.weekday() + 1) % 7, moment.hour * 60 + moment.minute

    def _channel_selected(self, row: ChannelRow | None) -> None:
        self.channel = row
        self.grid.set_read_only(row is None)
        self.rundown.set_channel(row, settings.station_time_zone(), settings.station_max_rating())
        if row is None:
            self.heading.setText("No channel")
            self.grid.set_blocks([])
            return
        settings.put(settings.KEY_CHANNEL, row.id)
        self.heading.setText(row.label)
        self.grid.set_now_provider(self._now)
        self.reload_blocks()

    def reload_blocks(self) -> None:
        if self.channel is None:
            return
        try:
            with self.sessions() as session:
                listed = blocks.list_blocks(session, self.channel.id)
        except SQLAlchemyError:
            log.exception("reading blocks failed")
            self._say("The channel's blocks could not be read; see the log.", error=True)
            listed = []
        self._listed = {b.row.id: b for b in listed}
        unplaceable = [b for b in listed if b.week is None]
        self.grid.set_blocks(
            [
                GridBlock(b.week, b.row.values.strategy, _colour_key(b), b.problem)
                for b in listed
                if b.week is not None
            ]
        )
        if unplaceable:
            first = unplaceable[0]
            self._say(
                f"{len(unplaceable)} block(s) cannot be drawn: “{first.row.values.name}”:"
                f" {first.problem}",
                error=True,
            )

    def _blocks_changed(self, _channel_id: int) -> None:
        # Re-reads the block counts and re-selects the current channel, whose
        # channel_selected reloads the grid: one read of the blocks, not two.
        self.channels.reload()

    def _say(self, text: str, error: bool = False) -> None:
        say(self.notice, text, error)

    def _result(self, problem: str | None) -> None:
        if problem is not None:
            self._say(problem, error=True)
            self.reload_blocks()

    # -- grid requests -------------------------------------------------------------------

    def check_overlap(self, values: BlockValues, block_id: int | None) -> str | None:
        """The editor's check: a sentence if the block would overlap another."""
        try:
            week.place(
                [b.week for b in self._listed.values() if b.week is not None],
                values.week_block(block_id),
                ignore_id=block_id,
            )
        except OperatorError as error:
            return str(error)
        return None

    def _open_editor(self, values: BlockValues, block_id: int | None) -> BlockValues | None:
        editor = BlockEditor(
            self.sessions,
            self.channel_ceiling(),
            values,
            check=lambda v: self.check_overlap(v, block_id),
            parent=self,
        )
        if editor.exec() != BlockEditor.DialogCode.Accepted:
            return None
        return editor.values()

    def _create(self, placed: WeekBlock) -> None:
        if self.channel is None:
            return
        draft = BlockValues(
            "", placed.day_of_week, placed.start_time, placed.end_time, "auto", None, None
        )
        values = self.run_editor(draft, None)
        if values is not None:
            self._result(self.schedule.add_blocks(self.channel.id, [values]))

    def _move(self, moved: Sequence[WeekBlock]) -> None:
        if self.channel is None:
            return
        changes = {
            b.id: blocks.placed(self._listed[b.id].row.values, b)
            for b in moved
            if b.id is not None and b.id in self._listed
        }
        names = [v.name for v in changes.values()]
        text = f"Move “{names[0]}”" if len(names) == 1 else f"Move {len(names)} blocks"
        self._result(self.schedule.change_blocks(self.channel.id, changes, text))

    def _delete(self, block_ids: Sequence[int]) -> None:
        if self.channel is None:
            return
        ids = [i for i in block_ids if i in self._listed]
        names = [self._listed[i].row.values.name for i in ids]
        self._result(self.schedule.delete_blocks(self.channel.id, ids, names))

    def _copies(self, copies: Sequence[tuple[int, WeekBlock]]) -> None:
        if self.channel is None:
            return
        values = [
            blocks.placed(self._listed[source].row.values, target)
            for source, target in copies
            if source in self._listed
        ]
        text = f"Paste {len(values)} block" + ("" if len(values) == 1 else "s")
        self._result(self.schedule.add_blocks(self.channel.id, values, text))

    def open_block(self, block_id: int) -> None:
        if self.channel is None or block_id not in self._listed:
            return
        old = self._listed[block_id].row.values
        values = self.run_editor(old, block_id)
        if values is not None and values != old:
            self._result(
                self.schedule.change_blocks(
                    self.channel.id, {block_id: values}, f"Edit “{values.name}”"
                )
            )

    def open_policies(self) -> None:
        dialog = AdPoliciesDialog(self.sessions, self)
        dialog.exec()
