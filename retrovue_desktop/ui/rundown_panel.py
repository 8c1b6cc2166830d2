"""The rundown: one channel's programme log for one day, as a list and a timeline.

The day is read on a worker (`programme_log.day_rundown` in its own session, through
LatestOnly): quick on SQLite, but a slow server must never freeze the window. The rows
shown stay until the answer arrives, and an answer to an older request (another
channel or day, or a newer refresh) is dropped. Building or re-planning runs
`generation.build` in a Job with its own session and transaction, so the window stays
live and a canceled or failed build leaves the log as it was. Approve, cancel, swap and
Mark as aired (approved rows become play-log rows as planned, and `played`) go through
LogEdits, one undoable command each on the window's stack.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMenu,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.collection import collection_paused
from retrovue_desktop.errors import OperatorError
from retrovue_desktop.progress import CancelFn, ProgressFn
from retrovue_desktop.scheduling import clock, log_swap
from retrovue_desktop.scheduling import programme_log as plog
from retrovue_desktop.scheduling.generation import BuildReport, BuildRequest, build
from retrovue_desktop.scheduling.log_swap import SwapCandidate, SwapTarget
from retrovue_desktop.scheduling.programme_log import Rundown, RundownRow
from retrovue_desktop.store.channels import ChannelRow

from . import build_dialog
from .build_dialog import APPROVE, BUILD, REPLAN, RangeMode, pydate, qdate
from .constraint_forms import LatestOnly
from .edits import CatalogEdits
from .job_bar import JobBar
from .jobs import Job
from .log_edits import LogEdits, day_words, range_words
from .rundown_model import COLUMNS, TITLE, RundownModel, clock_text
from .rundown_timeline import RundownTimeline
from .style import error_style, muted, plain_label, say
from .swap_dialog import SwapDialog

log = logging.getLogger(__name__)

BUILD_DAYS = 7  # what Build… offers by default: a week from the day shown
AIRED = RangeMode(
    "Mark a range as aired",
    "Mark as aired",
    "Writes every approved row of these days into the play log exactly as planned and"
    " marks it played; planned rows are left as they are. Undo (Ctrl+Z) takes it back.",
)
# (mode, first day, days) → the range chosen, or None; swap: (row, target) → the item.
RangeFn = Callable[[RangeMode, date, int], "tuple[date, int] | None"]
SwapFn = Callable[[RundownRow, SwapTarget], "SwapCandidate | None"]


# The warnings list's height under the rundown when it has something to say.
WARNINGS_HEIGHT = 110
# A read slower than this says "Reading…"; a quicker one shows nothing (no flicker).
READING_HINT_MS = 300
READ_FAILED = "The programme log could not be read; see the log."


class RundownPanel(QWidget):
    """Set the channel with `set_channel`; the panel reads and edits its log."""

    refreshed = Signal()  # the day was read again and its rows are shown
    build_finished = Signal()  # a build ended, whichever way

    def __init__(
        self, sessions: sessionmaker[Session], edits: CatalogEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.sessions = sessions
        self.log_edits = LogEdits(edits, self)
        self.log_edits.log_changed.connect(self._log_changed)
        self.channel: ChannelRow | None = None
        self.zone_name = "UTC"
        self.tz: ZoneInfo = ZoneInfo("UTC")
        self.ceiling: str | None = None
        self.station_zone = "UTC"
        self.station_ceiling: str | None = None
        self.day = date.today()
        self.rundown: Rundown | None = None
        self.job: Job | None = None
        self._job_channel: int | None = None
        self.last_report: BuildReport | None = None
        self._dirty = True
        self._day_chosen = False  # until the operator picks a day: today, channel time
        self._in_view = True  # the schedule tab says when the week grid hides it
        # Seams: the range and swap dialogs (tests answer them without a modal loop).
        self.choose_range: RangeFn = self._ask_range
        self.choose_swap: SwapFn = self._ask_swap
        # The day's reads: newest wins, each on a worker with its own session.
        self._reader = LatestOnly("Reading the programme log", self)
        self._reader.answered.connect(self._arrived)
        self._reader.failed.connect(self._read_failed)
        self._reading_hint = QTimer(self)
        self._reading_hint.setSingleShot(True)
        self._reading_hint.setInterval(READING_HINT_MS)
        self._reading_hint.timeout.connect(self._show_reading)

        # -- the day bar -------------------------------------------------------------------
        self.prev_button = self._tool("\N{BLACK LEFT-POINTING SMALL TRIANGLE}", "Previous day",
                                      "Alt+Left", lambda: self.step_day(-1))  # fmt: skip
        self.next_button = self._tool("\N{BLACK RIGHT-POINTING SMALL TRIANGLE}", "Next day",
                                      "Alt+Right", lambda: self.step_day(1))  # fmt: skip
        self.today_button = self._tool("Today", "Today in the channel's time zone",
                                       "Alt+Home", self.go_today)  # fmt: skip
        self.day_actions: list[QAction] = []
        for button, text in (
            (self.prev_button, "&Previous day"),
            (self.next_button, "&Next day"),
            (self.today_button, "&Today"),
        ):
            action = button.defaultAction()
            assert action is not None  # _tool gives each its action
            icon_text = action.iconText()
            action.setText(text)  # in the menu; the button keeps its short icon text
            action.setIconText(icon_text)
            self.day_actions.append(action)
        self.date_edit = QDateEdit(qdate(self.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setAccessibleName("Day shown")
        self.date_edit.setMinimumWidth(150)
        self.date_edit.dateChanged.connect(self._date_edited)

        self.build_action = self._action("Build…", "Ctrl+B", self.build_range,
                                         "Plan days from the week grid")  # fmt: skip
        self.replan_action = self._action("Re-plan range…", "Ctrl+Shift+B", self.replan_range,
                                          "Replace the planned rows of some days")  # fmt: skip
        self.approve_day_action = self._action("Approve day", "Ctrl+Shift+A", self.approve_day,
                                               "Approve every planned row of this day")  # fmt: skip
        self.approve_range_action = self._action(
            "Approve range…", "Ctrl+Shift+R", self.approve_range,
            "Approve every planned row of some days",
        )  # fmt: skip
        self.aired_day_action = self._action(
            "Mark day as aired", "Ctrl+Shift+M", self.mark_day_aired,
            "Record every approved row of this day in the play log as planned",
        )  # fmt: skip
        self.aired_range_action = self._action(
            "Mark range as aired…", "Ctrl+Alt+M", self.mark_range_aired,
            "Record every approved row of some days in the play log as planned",
        )  # fmt: skip
        self.cancel_action = self._action("Cancel item", "Del", self.cancel_selected,
                                          "Cancel the selected programme or fill item")  # fmt: skip
        self.swap_action = self._action("Swap…", "Ctrl+Shift+S", self.swap_selected,
                                        "Put another item in the selected one's place")  # fmt: skip

        self.aired_button = self._aired_button()
        day_bar = QHBoxLayout()
        day_bar.setSpacing(4)
        day_bar.addWidget(self.prev_button)
        day_bar.addWidget(self.date_edit)
        day_bar.addWidget(self.next_button)
        day_bar.addWidget(self.today_button)
        day_bar.addStretch(1)
        groups = (
            (self.build_action, self.replan_action),
            (self.approve_day_action, self.approve_range_action),
            (self.cancel_action, self.swap_action),
        )
        for group in groups:
            day_bar.addSpacing(8)
            for action in group:
                button = QToolButton()
                button.setDefaultAction(action)
                day_bar.addWidget(button)
            if group[0] is self.approve_day_action:
                day_bar.addSpacing(8)
                day_bar.addWidget(self.aired_button)

        # -- the timeline, the list and its empty state --------------------------------------
        self.timeline = RundownTimeline()
        self.timeline.row_clicked.connect(self.select_instance)
        self.model = RundownModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column in range(len(COLUMNS)):
            mode = QHeaderView.ResizeMode.ResizeToContents
            if column == TITLE:
                mode = QHeaderView.ResizeMode.Stretch
            header.setSectionResizeMode(column, mode)
        self.table.setAccessibleName("Programme log of the day")
        self.table.doubleClicked.connect(lambda _index: self.swap_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.empty = plain_label()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        muted(self.empty)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        # -- totals, warnings, notices, the build's progress ---------------------------------
        self.totals = QLabel()
        self.totals.setTextFormat(Qt.TextFormat.RichText)
        self.reading_label = plain_label()
        self.reading_label.setAccessibleName("Reading the programme log")
        muted(self.reading_label)
        totals_line = QHBoxLayout()
        totals_line.addWidget(self.totals, 1)
        totals_line.addWidget(self.reading_label)
        self.warnings_title = plain_label()
        self.warnings_title.setStyleSheet("font-weight: 600;")
        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        self.warnings.setAccessibleName("Warnings")
        self.warnings.setAlternatingRowColors(True)
        self.notice = plain_label()
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.job_bar = JobBar()

        warnings_box = QWidget()
        warnings_layout = QVBoxLayout(warnings_box)
        warnings_layout.setContentsMargins(0, 4, 0, 0)
        warnings_layout.setSpacing(2)
        warnings_layout.addWidget(self.warnings_title)
        warnings_layout.addWidget(self.warnings, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(warnings_box)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([500, WARNINGS_HEIGHT])
        self.warnings_box = warnings_box

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(day_bar)
        layout.addWidget(self.timeline)
        layout.addLayout(totals_line)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.job_bar)

        edits.done.connect(lambda _text: self.notice.hide())
        self._update_actions()

    # -- building blocks -------------------------------------------------------------------

    def _tool(self, text: str, tip: str, keys: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(self._action(text, keys, slot, tip))
        return button

    def _aired_button(self) -> QToolButton:
        """Mark as aired, for the day or a range, behind one button (the day bar is
        full); each action keeps its shortcut."""
        menu = QMenu(self)
        menu.addAction(self.aired_day_action)
        menu.addAction(self.aired_range_action)
        button = QToolButton()
        # The style's own menu arrow is tiny and crowds the text: a plain one reads better.
        button.setText("Mark as aired \N{BLACK DOWN-POINTING SMALL TRIANGLE}")
        button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        button.setToolTip(
            "Record approved rows in the play log exactly as planned"
            f" ({self.aired_day_action.shortcut().toString()} for this day)"
        )
        button.setAccessibleName("Mark as aired")
        button.setMenu(menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        return button

    def _action(self, text: str, keys: str, slot: Callable[[], None], tip: str) -> QAction:
        """An action with its shortcut in its tooltip. Shortcuts with a modifier work
        anywhere in the window while the rundown is shown (wherever the focus is, as in
        the channel list); plain keys (Delete) only inside the panel, where they cannot
        clash with the channel list's own. In the menu bar the window-wide ones would
        work on every view: `set_in_view` turns them off while the week grid shows."""
        action = QAction(text, self)
        action.setIconText(text)  # a tool button would drop the "…" that says a dialog opens
        sequence = QKeySequence(keys)
        action.setShortcut(sequence)
        plain = "+" not in keys
        action.setShortcutContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut
            if plain
            else Qt.ShortcutContext.WindowShortcut
        )
        action.setToolTip(f"{tip} ({sequence.toString()})")
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def set_in_view(self, shown: bool) -> None:
        """Whether the rundown is the view on screen: its commands are off while the
        week grid shows instead (from the menu bar, their shortcuts reach further)."""
        self._in_view = shown
        self._update_actions()

    def menu_actions(self) -> list[QAction | None]:
        """The rundown's commands for the schedule menu (None: a separator)."""
        return [
            *self.day_actions,
            None,
            self.build_action,
            self.replan_action,
            self.approve_day_action,
            self.approve_range_action,
            self.aired_day_action,
            self.aired_range_action,
            None,
            self.cancel_action,
            self.swap_action,
        ]

    # -- channel and day -------------------------------------------------------------------

    def set_channel(
        self,
        row: ChannelRow | None,
        station_zone: str,
        station_ceiling: str | None,
    ) -> None:
        """Show `row`'s log; its zone and ceiling fall back to the station's."""
        changed = row is None or self.channel is None or row.id != self.channel.id
        self.channel = row
        self.station_zone, self.station_ceiling = station_zone, station_ceiling
        own_zone = row.values.time_zone if row else None
        self.zone_name = own_zone or station_zone
        try:
            self.tz = clock.zone(self.zone_name)
        except OperatorError as error:
            self._say(str(error), error=True)
            self.tz = ZoneInfo("UTC")
        own_ceiling = row.values.max_rating_code if row else None
        self.ceiling = own_ceiling or station_ceiling
        if changed:
            self.last_report = None
            if self.job is None:
                self.job_bar.result.clear()
        if not self._day_chosen:
            self._show_day(self.today())
        self.refresh()

    def today(self) -> date:
        return datetime.now(self.tz).date()

    def set_day(self, day: date) -> None:
        self._day_chosen = True
        if day == self.day and not self._dirty:
            return
        self._show_day(day)
        self.refresh()

    def _show_day(self, day: date) -> None:
        self.day = day
        if pydate(self.date_edit.date()) != day:
            self.date_edit.blockSignals(True)
            self.date_edit.setDate(qdate(day))
            self.date_edit.blockSignals(False)

    def step_day(self, days: int) -> None:
        self.set_day(self.day + timedelta(days=days))

    def go_today(self) -> None:
        self.set_day(self.today())

    def _date_edited(self, value: QDate) -> None:
        self.set_day(pydate(value))

    # -- reading ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def mark_dirty(self) -> None:
        """The grid changed: read the day again now if shown, else when next shown."""
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Read the day again on a worker; `refreshed` says when its rows are shown.
        Until then the rows shown stay (no flicker); an older read's answer is dropped."""
        if not self.isVisible():
            self._dirty = True
            self._reader.drop_pending()  # whatever is on its way is read again when shown
            self._reading_done()
            return
        self._dirty = False
        if self.channel is None:
            self._reader.drop_pending()
            self._reading_done()
            self._show(None)
            return
        sessions, channel_id, day, tz = self.sessions, self.channel.id, self.day, self.tz

        def read() -> Rundown | None:
            try:
                with sessions() as session:
                    return plog.day_rundown(session, channel_id, day, tz)
            except OperatorError:
                raise  # its sentence is shown
            except Exception:
                # Anything else comes back as an answer, None ("could not be read"): an
                # answer is matched to its request (a stale one dropped), a failure is not.
                log.exception("reading the rundown failed")
                return None

        self._reader.run(read)
        if not self._reading_hint.isActive() and not self.reading_label.text():
            self._reading_hint.start()
        self._update_actions()  # rows of another channel or day are no longer editable

    def reading(self) -> bool:
        """Whether a read is on its way (its answer not shown yet)."""
        return self._reader.pending()

    def _arrived(self, rundown: object) -> None:
        assert rundown is None or isinstance(rundown, Rundown)
        if rundown is None:  # the worker logged why
            self._say(READ_FAILED, error=True)
        self._reading_done()
        self._show(rundown)

    def _read_failed(self, sentence: str) -> None:
        self._say(sentence or READ_FAILED, error=True)
        self._reading_done()
        self._show(None)

    def _show_reading(self) -> None:
        self.reading_label.setText("Reading…")

    def _reading_done(self) -> None:
        self._reading_hint.stop()
        self.reading_label.clear()

    def _show(self, rundown: Rundown | None) -> None:
        """Show a day just read, keeping the selection (by id) where it can."""
        keep = {r.id for r in self.selected_rows()}
        self.rundown = rundown
        self.model.set_rows(rundown.rows if rundown else [])
        self.timeline.set_rundown(rundown, self.tz)
        self._show_totals(rundown)
        self._show_warnings(rundown)
        self._show_empty(rundown)
        if keep:
            self._select_ids(keep)
        self._selection_changed()
        self.refreshed.emit()

    def _show_totals(self, rundown: Rundown | None) -> None:
        if rundown is None or not rundown.built:
            covered = rundown.unfilled_seconds if rundown else 0
            self.totals.setText(
                f"Nothing planned \N{MIDDLE DOT} blocks cover {clock_text(covered)} of this day"
                if covered
                else ""
            )
            return
        canceled = sum(1 for r in rundown.rows if r.canceled)
        planned = sum(1 for r in rundown.rows if r.status == "planned")
        count = f"{len(rundown.rows)} rows"
        if planned:
            count += f", {planned} planned"
        if canceled:
            count += f", {canceled} canceled"
        unfilled = clock_text(rundown.unfilled_seconds)
        if rundown.unfilled_seconds:
            unfilled = f"<span style='{error_style()}'><b>{unfilled}</b></span>"
        quiet = "" if rundown.warnings else " \N{MIDDLE DOT} no warnings"
        self.totals.setText(
            f"Programmes <b>{clock_text(rundown.programme_seconds)}</b> \N{MIDDLE DOT}"
            f" Breaks and fill <b>{clock_text(rundown.fill_seconds)}</b> \N{MIDDLE DOT}"
            f" Unfilled {unfilled} \N{MIDDLE DOT} {count}{quiet}"
        )

    def _show_warnings(self, rundown: Rundown | None) -> None:
        self.warnings.clear()
        sentences = list(rundown.warnings) if rundown else []
        report = self.last_report
        if report is not None:
            # The day's own warnings already say what is unfilled, and for this day.
            sentences += [
                f"Last build: {w}" for w in report.warnings if not w.endswith(" unfilled.")
            ]
        for sentence in sentences:
            self.warnings.addItem(sentence)
        self.warnings_title.setText(f"Warnings ({len(sentences)})")
        self.warnings_box.setVisible(bool(sentences))
        sizes = self.splitter.sizes()
        if sentences and sizes[1] == 0:
            # A box shown after being hidden gets no height from the splitter: give it
            # its share back, or the warnings would be there but unseen.
            total = sum(sizes)
            share = min(WARNINGS_HEIGHT, total // 3)
            self.splitter.setSizes([total - share, share])

    def _show_empty(self, rundown: Rundown | None) -> None:
        if self.channel is None:
            text = "Choose a channel on the left to see its programme log."
        elif rundown is None:
            text = "The programme log could not be read."
        elif rundown.built:
            self.list_stack.setCurrentWidget(self.table)
            return
        elif not rundown.windows:
            text = (
                f"No block of “{self.channel.values.name}” airs on {day_words(self.day)}:"
                " draw blocks on the week grid, then build."
            )
        else:
            text = (
                f"Nothing is planned for {day_words(self.day)} yet. Build…"
                f" ({self.build_action.shortcut().toString()}) plans it from the week grid."
            )
        self.empty.setText(text)
        self.list_stack.setCurrentWidget(self.empty)

    def _log_changed(self, channel_id: int) -> None:
        if self.channel is not None and channel_id == self.channel.id:
            self.mark_dirty()

    # -- selection -------------------------------------------------------------------------

    def selected_rows(self) -> list[RundownRow]:
        model = self.table.selectionModel()
        if model is None:
            return []
        rows = (self.model.row_at(i.row()) for i in model.selectedRows())
        found = [r for r in rows if r is not None]
        found.sort(key=lambda r: (r.starts_at, r.id))
        return found

    def _select_ids(self, ids: set[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        first = None
        for number, row in enumerate(self.model.rows()):
            if row.id in ids:
                index = self.model.index(number, 0)
                selection.select(
                    index,
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                first = index if first is None else first
        if first is not None:
            selection.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.scrollTo(first)

    def select_instance(self, instance_id: int) -> None:
        """Select the row (a click on the timeline) and show it in the list."""
        self._select_ids({instance_id})
        self.table.setFocus()

    def _selection_changed(self, *_args: Any) -> None:
        rows = self.selected_rows()
        self.timeline.set_selected({r.id for r in rows})
        self._update_actions()

    def _current(self) -> bool:
        """Whether the rows shown are the chosen channel's and day's (not a previous
        day's, still shown while the chosen one is read)."""
        shown, channel = self.rundown, self.channel
        return (
            shown is not None
            and channel is not None
            and (shown.channel_id, shown.day) == (channel.id, self.day)
        )

    def _update_actions(self) -> None:
        busy = self.job is not None
        has_channel = self.channel is not None
        rows = self.selected_rows() if self._current() else []
        live = [r for r in rows if r.status in plog.LIVE]
        planned = (
            self._current()
            and self.rundown is not None
            and any(r.status == "planned" for r in self.rundown.rows)
        )
        approved = (
            self._current()
            and self.rundown is not None
            and any(r.status == "approved" for r in self.rundown.rows)
        )
        ranges = (
            self.build_action,
            self.replan_action,
            self.approve_range_action,
            self.aired_range_action,
        )
        for action in ranges:
            action.setEnabled(has_channel and not busy)
        self.approve_day_action.setEnabled(has_channel and not busy and planned)
        self.aired_day_action.setEnabled(has_channel and not busy and approved)
        self.aired_button.setEnabled(has_channel and not busy)
        self.cancel_action.setEnabled(not busy and bool(live))
        self.swap_action.setEnabled(not busy and len(rows) == 1 and bool(live))
        for day_action in self.day_actions:  # their tool buttons follow
            day_action.setEnabled(has_channel)
        self.date_edit.setEnabled(has_channel)
        if not self._in_view:
            for entry in self.menu_actions():
                if entry is not None:
                    entry.setEnabled(False)

    # -- notices ---------------------------------------------------------------------------

    def _say(self, text: str, error: bool = False) -> None:
        say(self.notice, text, error)

    def _result(self, problem: str | None) -> None:
        if problem is not None:
            self._say(problem, error=True)
            self.refresh()

    # -- approve, cancel, swap -------------------------------------------------------------

    def approve_day(self) -> None:
        if self.channel is not None:
            self._result(self.log_edits.approve(self.channel.id, self.day, 1, self.tz))

    def approve_range(self) -> None:
        if self.channel is None:
            return
        chosen = self.choose_range(APPROVE, self.day, BUILD_DAYS)
        if chosen is not None:
            self._result(self.log_edits.approve(self.channel.id, chosen[0], chosen[1], self.tz))

    def mark_day_aired(self) -> None:
        if self.channel is not None:
            self._mark_aired(self.day, 1)

    def mark_range_aired(self) -> None:
        if self.channel is None:
            return
        chosen = self.choose_range(AIRED, self.day, 1)
        if chosen is not None:
            self._mark_aired(chosen[0], chosen[1])

    def _mark_aired(self, first_day: date, days: int) -> None:
        """Mark as aired; a sentence says what was left (planned rows), if anything."""
        assert self.channel is not None
        problem, report = self.log_edits.mark_aired(self.channel.id, first_day, days, self.tz)
        self._result(problem)
        if report is not None and (report.planned_left or report.already_recorded):
            self._say(report.sentence())

    def cancel_selected(self) -> None:
        rows = [r for r in self.selected_rows() if r.status in plog.LIVE]
        if self.channel is None or not rows or not self._current():
            return
        title = rows[0].title if len(rows) == 1 else f"{len(rows)} items"
        self._result(self.log_edits.cancel(self.channel.id, [r.id for r in rows], title))

    def swap_selected(self) -> None:
        rows = self.selected_rows()
        if self.channel is None or len(rows) != 1 or self.job is not None or not self._current():
            return
        row = rows[0]
        try:
            with self.sessions() as session:
                target = log_swap.swap_target(session, row.id)
        except OperatorError as error:
            self._say(str(error), error=True)
            return
        chosen = self.choose_swap(row, target)
        if chosen is None:
            return
        self._result(
            self.log_edits.swap(
                self.channel.id, row.id, chosen.id, self.tz, target.title, chosen.title
            )
        )

    def _ask_range(self, mode: RangeMode, first_day: date, days: int) -> tuple[date, int] | None:
        return build_dialog.ask_range(self, mode, first_day, days)

    def _ask_swap(self, row: RundownRow, target: SwapTarget) -> SwapCandidate | None:
        dialog = SwapDialog(self.sessions, row.id, target, self.ceiling, self)
        if dialog.exec() != SwapDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()

    # -- building --------------------------------------------------------------------------

    def build_range(self) -> None:
        self._ask_and_build(BUILD, BUILD_DAYS)

    def replan_range(self) -> None:
        self._ask_and_build(REPLAN, 1)

    def _ask_and_build(self, mode: RangeMode, days: int) -> None:
        if self.channel is None or self.job is not None:
            return
        chosen = self.choose_range(mode, self.day, days)
        if chosen is not None:
            self.start_build(chosen[0], chosen[1])

    def start_build(self, first_day: date, days: int) -> Job | None:
        """Run the build on a worker; the rundown is read again when it ends."""
        if self.channel is None or self.job is not None:
            return None
        request = BuildRequest(self.channel.id, first_day, days)
        sessions, zone, ceiling = self.sessions, self.station_zone, self.station_ceiling

        def work(progress: ProgressFn, cancelled: CancelFn) -> BuildReport:
            with collection_paused(), sessions.begin() as session:
                return build(
                    session,
                    request,
                    station_zone=zone,
                    station_ceiling=ceiling,
                    progress=progress,
                    cancelled=cancelled,
                )

        what = range_words(first_day, days)
        job = Job(f"Building {what}", work, self)
        job.succeeded.connect(self._built)
        job.failed.connect(lambda sentence: self.job_bar.show_result(sentence, error=True))
        job.canceled.connect(
            lambda: self.job_bar.show_result("Build canceled; the programme log is unchanged.")
        )
        job.finished.connect(self._build_ended)
        self.job = job
        self._job_channel = request.channel_id
        self.job_bar.follow(job, f"Building {what}…")
        self._update_actions()
        job.start()
        return job

    def _built(self, report: object) -> None:
        assert isinstance(report, BuildReport)
        if self.channel is not None and self.channel.id == self._job_channel:
            self.last_report = report  # its warnings join the list (same channel only)
        self.job_bar.show_result(report.summary())

    def _build_ended(self) -> None:
        job, self.job = self.job, None
        if job is not None:
            job.deleteLater()
        self._update_actions()
        self.mark_dirty()
        self.build_finished.emit()

    def cancel_build(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def shutdown(self, msecs: int = 30_000) -> None:
        """Cancel a running build and wait for it and for a running read (the window is
        closing: no thread may outlive it)."""
        job = self.job
        if job is not None:
            job.cancel()
            job.wait(msecs)
        self._reading_hint.stop()
        self._reader.wait(msecs)
