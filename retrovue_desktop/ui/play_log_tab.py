"""The Play Log tab: what aired, filtered, totalled per day and exported to CSV.

The table pages from SQL (play_log_model); the row count and the per-day totals read
every filtered row, so they run on a Job and arrive when ready (a newer filter drops an
older answer). The export writes the filtered rows to a temporary file on a Job and
renames it into place, so a failed or cancelled export leaves no half-written file.

An archived week (weekly rotation) is shown read-only in the same table under a banner
until the operator goes back to the live log. The reconciliation view, when present,
is the tab's second page.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.progress import CancelFn, ProgressFn
from retrovue_desktop.scheduling.clock import zone
from retrovue_desktop.scheduling.errors import ScheduleError
from retrovue_desktop.scheduling.play_query import (
    DayTotals,
    PlayFilter,
    channel_zones,
    count,
    day_totals,
    totals_of_rows,
    write_csv,
)
from retrovue_desktop.scheduling.play_rows import PlayRow
from retrovue_desktop.store.channels import list_channels
from retrovue_desktop.store.programming import PLAY_KINDS

from .commands import MenuEntries, button_command, command
from .context import AppContext
from .jobs import Job
from .play_log_model import PlayLogModel, clock_text, kind_text
from .settings import (
    KEY_FIRST_WEEKDAY,
    KEY_PLAYLOG_CHANNEL,
    KEY_PLAYLOG_EXPORT_FOLDER,
    KEY_PLAYLOG_FROM,
    KEY_PLAYLOG_KIND,
    KEY_PLAYLOG_RANGE,
    KEY_PLAYLOG_TEXT,
    KEY_PLAYLOG_TO,
    app_settings,
    station_time_zone,
)
from .style import ERROR, muted, plain_label, set_banner, set_tone

RANGES = (("today", "Today"), ("week", "This week"), ("last7", "Last 7 days"), ("custom", "Dates"))
TOTAL_COLUMNS = ("Day", "Channel", "Programme", "Ad", "Promo", "Bumper", "Other")
DEBOUNCE_MS = 300


class ExportFailed(OperatorError):
    """The CSV could not be written where the operator asked."""


class PlayLogTab(QWidget):
    """Filter bar, paged table, per-day totals, CSV export; archive banner mode."""

    TITLE = "Play Log"
    status_message = Signal(str)
    # The count and totals of the current filter arrived (tests wait on it).
    summary_ready = Signal()
    export_finished = Signal(str)  # the sentence shown in the status bar

    def __init__(
        self,
        context: AppContext,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._settings = settings if settings is not None else app_settings()
        self.station_zone: Callable[[], str] = station_time_zone
        self.now: Callable[[], int] = lambda: int(time.time())
        # Seam: where the export goes (a file dialog; tests return a path or None).
        self.choose_export_path: Callable[[Path], Path | None] = self._ask_export_path
        self._jobs: set[Job] = set()
        self._generation = 0
        self.export_job: Job | None = None
        self.totals: list[DayTotals] = []
        self._zones: dict[int, str] = {}
        self.model = PlayLogModel(context.sessions, lambda: self.station_zone(), self)
        self._restoring = True

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self._build_banner())
        self.pages = QTabWidget(self)
        self.pages.setDocumentMode(True)
        # The filters belong to the log: other pages (reconciliation) choose their own.
        log_page = QWidget()
        log_column = QVBoxLayout(log_page)
        log_column.setContentsMargins(0, 6, 0, 0)
        log_column.setSpacing(6)
        log_column.addWidget(self._build_filter_bar())
        log_column.addWidget(self._build_log_page(), 1)
        self.pages.addTab(log_page, "Lo&g")  # Alt+L is the Libraries tab's
        layout.addWidget(self.pages, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        # Ctrl+F and Ctrl+E work wherever the focus is while the tab shows.
        window = Qt.ShortcutContext.WindowShortcut
        self.find_action = command(
            self, "&Find", self._focus_search, QKeySequence.StandardKey.Find,
            "Go to the play log's search box", context=window,
        )  # fmt: skip
        self.export_action = button_command(
            self.export_button, self, "&Export CSV…", "Ctrl+E",
            "Write the filtered rows to a CSV file", window,
        )  # fmt: skip
        self.back_action = button_command(
            self.back_button, self, "&Back to live log", tip="Leave the archived week"
        )
        self.back_action.setEnabled(False)
        self._page_actions: list[QAction] = []

        self.reload_channels()
        self._restore_filters()
        self._restoring = False
        self.apply_filter()

    # -- building ------------------------------------------------------------------------

    def _build_banner(self) -> QFrame:
        self.banner = QFrame(self)
        self.banner.setObjectName("archiveBanner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        set_banner(self.banner, "#archiveBanner")
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(8, 4, 8, 4)
        self.banner_label = plain_label()
        self.back_button = QPushButton("Back to live log")
        self.back_button.clicked.connect(self.show_live)
        row.addWidget(self.banner_label, 1)
        row.addWidget(self.back_button)
        self.banner.hide()
        return self.banner

    def _build_filter_bar(self) -> QWidget:
        self.filter_bar = QWidget(self)
        row = QHBoxLayout(self.filter_bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.channel_box = QComboBox()
        self.channel_box.setMinimumContentsLength(14)
        self.channel_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.channel_box.setToolTip("Which channel's rows; dates are in its time zone")
        self.range_box = QComboBox()
        for key, words in RANGES:
            self.range_box.addItem(words, key)
        self.from_edit = QDateEdit()
        self.to_edit = QDateEdit()
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.kind_box = QComboBox()
        self.kind_box.addItem("All kinds", "")
        for kind in PLAY_KINDS:
            self.kind_box.addItem(kind_text(kind), kind)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles and notes  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Write the filtered rows to a CSV file (Ctrl+E)")
        self.export_button.clicked.connect(self.export_csv)

        row.addWidget(QLabel("Channel"))
        row.addWidget(self.channel_box)
        row.addWidget(self.range_box)
        row.addWidget(self.from_edit)
        row.addWidget(QLabel("to"))
        row.addWidget(self.to_edit)
        row.addWidget(self.kind_box)
        row.addWidget(self.search, 1)
        row.addWidget(self.export_button)

        self.channel_box.currentIndexChanged.connect(self._channel_changed)
        self.range_box.currentIndexChanged.connect(self._range_changed)
        self.from_edit.dateChanged.connect(self._dates_edited)
        self.to_edit.dateChanged.connect(self._dates_edited)
        self.kind_box.currentIndexChanged.connect(self._filter_changed)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        return self.filter_bar

    def _build_log_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 4, 0, 0)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        for section, width in enumerate((150, 90, 70, 150, 90, 280, 70, 60)):
            header.resizeSection(section, width)
        header.setStretchLastSection(True)

        totals = QWidget()
        totals_column = QVBoxLayout(totals)
        totals_column.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(QLabel("<b>Time on air per day</b>"))
        self.summary_label = plain_label("")
        muted(self.summary_label)
        heading.addStretch(1)
        heading.addWidget(self.summary_label)
        totals_column.addLayout(heading)
        self.totals_table = QTableWidget(0, len(TOTAL_COLUMNS))
        self.totals_table.setHorizontalHeaderLabels(list(TOTAL_COLUMNS))
        self.totals_table.verticalHeader().hide()
        self.totals_table.verticalHeader().setDefaultSectionSize(22)
        self.totals_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.totals_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        totals_header = self.totals_table.horizontalHeader()
        totals_header.setDefaultSectionSize(110)
        totals_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        totals_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        totals_column.addWidget(self.totals_table)
        self.error_label = plain_label("")
        set_tone(self.error_label, ERROR)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        totals_column.addWidget(self.error_label)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(totals)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        column.addWidget(self.splitter)
        return page

    menu_title = "Pla&y Log"

    def menu_actions(self) -> MenuEntries:
        """The tab's commands for its menu in the menu bar (None: a separator): a way to
        each page (its tab's Alt+letter shown), the log's, then each page's own."""
        if not self._page_actions:
            for index in range(self.pages.count()):
                title = self.pages.tabText(index)
                mnemonic = QKeySequence.mnemonic(title).toString(
                    QKeySequence.SequenceFormat.NativeText
                )
                words = title.replace("&", "")
                action = command(
                    self,
                    f"&{index + 1} {words}\t{mnemonic}",  # the page tab's Alt+letter, shown
                    partial(self.pages.setCurrentIndex, index),
                    tip=f"Show the {words.lower()} page",
                )
                self._page_actions.append(action)
        entries: MenuEntries = [*self._page_actions, None]
        entries += [self.find_action, self.export_action, self.back_action]
        for index in range(1, self.pages.count()):
            page_entries = getattr(self.pages.widget(index), "menu_actions", None)
            if page_entries is not None:
                entries += [None, *page_entries()]
        return entries

    def add_page(self, widget: QWidget, title: str) -> None:
        """Where the reconciliation view goes: a page beside "Log"."""
        self.pages.addTab(widget, title)

    # -- filters -------------------------------------------------------------------------

    def reload_channels(self) -> None:
        """Read the channel list again, keeping the chosen channel if it still exists."""
        chosen = self.channel_box.currentData()
        with self.context.sessions() as session:
            channels = list_channels(session)
            self._zones = channel_zones(session, self.station_zone())
        self.channel_box.blockSignals(True)
        self.channel_box.clear()
        self.channel_box.addItem("All channels", 0)
        for channel in channels:
            self.channel_box.addItem(channel.label, channel.id)
        index = self.channel_box.findData(chosen if chosen is not None else 0)
        self.channel_box.setCurrentIndex(max(0, index))
        self.channel_box.blockSignals(False)

    def filter_zone(self) -> str:
        """The zone the dates are in: the chosen channel's, else the station's."""
        channel_id = self.channel_box.currentData() or 0
        name = self._zones.get(int(channel_id)) if channel_id else None
        return name or self.station_zone()

    def today(self) -> date:
        try:
            tz = zone(self.filter_zone())
        except ScheduleError:
            tz = zone("UTC")
        return datetime.fromtimestamp(self.now(), tz).date()

    def preset_days(self, key: str) -> tuple[date, date]:
        """First and last day of a range preset, in the filter's zone."""
        today = self.today()
        if key == "week":
            first_weekday = int(str(self._settings.value(KEY_FIRST_WEEKDAY, 0) or 0)) % 7
            sunday_based = (today.weekday() + 1) % 7  # day 0 = Sunday, as the grid
            start = today - timedelta(days=(sunday_based - first_weekday) % 7)
            return start, start + timedelta(days=6)
        if key == "last7":
            return today - timedelta(days=6), today
        return today, today

    def current_filter(self) -> PlayFilter:
        channel_id = int(self.channel_box.currentData() or 0)
        kind = str(self.kind_box.currentData() or "")
        first = self.from_edit.date().toPython()
        last = self.to_edit.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        if last < first:
            first, last = last, first
        return PlayFilter(
            channel_ids=(channel_id,) if channel_id else (),
            first_day=first,
            last_day=last,
            zone=self.filter_zone(),
            kinds=(kind,) if kind else (),
            text=self.search.text().strip(),
        )

    def set_filter(
        self,
        *,
        channel_id: int | None = None,
        range_key: str | None = None,
        days: tuple[date, date] | None = None,
        kind: str | None = None,
        text: str | None = None,
    ) -> None:
        """Set filter widgets at once (tests, other tabs) and apply them."""
        self._restoring = True
        try:
            if channel_id is not None:
                self.channel_box.setCurrentIndex(max(0, self.channel_box.findData(channel_id)))
            if kind is not None:
                self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(kind)))
            if text is not None:
                self.search.setText(text)
            if days is not None:
                self._set_days(*days)
                self.range_box.setCurrentIndex(self.range_box.findData("custom"))
            elif range_key is not None:
                self.range_box.setCurrentIndex(max(0, self.range_box.findData(range_key)))
                self._apply_preset()
        finally:
            self._restoring = False
        self._debounce.stop()
        self.apply_filter()

    def _set_days(self, first: date, last: date) -> None:
        for edit, day in ((self.from_edit, first), (self.to_edit, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _apply_preset(self) -> None:
        key = str(self.range_box.currentData())
        if key != "custom":
            self._set_days(*self.preset_days(key))

    def _channel_changed(self) -> None:
        self._apply_preset()  # "today" may be another date in the channel's zone
        self._filter_changed()

    def _range_changed(self) -> None:
        self._apply_preset()
        self._filter_changed()

    def _dates_edited(self) -> None:
        self.range_box.blockSignals(True)
        self.range_box.setCurrentIndex(self.range_box.findData("custom"))
        self.range_box.blockSignals(False)
        self._filter_changed()

    def _filter_changed(self) -> None:
        if not self._restoring:
            self._debounce.stop()
            self.apply_filter()

    def _focus_search(self) -> None:
        self.pages.setCurrentIndex(0)  # the search box is the log page's
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _restore_filters(self) -> None:
        s = self._settings
        channel = s.value(KEY_PLAYLOG_CHANNEL, 0)
        self.channel_box.setCurrentIndex(max(0, self.channel_box.findData(_int(channel))))
        self.kind_box.setCurrentIndex(
            max(0, self.kind_box.findData(str(s.value(KEY_PLAYLOG_KIND, ""))))
        )
        self.search.setText(str(s.value(KEY_PLAYLOG_TEXT, "") or ""))
        range_key = str(s.value(KEY_PLAYLOG_RANGE, "today") or "today")
        index = self.range_box.findData(range_key)
        self.range_box.setCurrentIndex(index if index >= 0 else 0)
        if range_key == "custom":
            first = _date(s.value(KEY_PLAYLOG_FROM)) or self.today()
            last = _date(s.value(KEY_PLAYLOG_TO)) or first
            self._set_days(first, last)
        else:
            self._apply_preset()

    def save_filters(self) -> None:
        s = self._settings
        s.setValue(KEY_PLAYLOG_CHANNEL, int(self.channel_box.currentData() or 0))
        s.setValue(KEY_PLAYLOG_KIND, str(self.kind_box.currentData() or ""))
        s.setValue(KEY_PLAYLOG_TEXT, self.search.text())
        s.setValue(KEY_PLAYLOG_RANGE, str(self.range_box.currentData()))
        s.setValue(KEY_PLAYLOG_FROM, self.from_edit.date().toString(Qt.DateFormat.ISODate))
        s.setValue(KEY_PLAYLOG_TO, self.to_edit.date().toString(Qt.DateFormat.ISODate))

    # -- reading -------------------------------------------------------------------------

    def apply_filter(self) -> None:
        """Show the rows of the filter bar now; count and totals follow from a Job."""
        if self.model.is_archive():
            return
        flt = self.current_filter()
        self.save_filters()
        self.error_label.hide()
        try:
            self.model.set_filter(flt)
        except OperatorError as error:
            self._show_error(str(error))
            return
        self._summarise(flt)

    def refresh(self) -> None:
        """Read channels and rows again (the play log or the channels changed)."""
        if self.model.is_archive():
            return
        self.reload_channels()
        self.apply_filter()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._restoring:
            self.refresh()

    def _summarise(self, flt: PlayFilter) -> None:
        self._generation += 1
        generation = self._generation
        self.summary_label.setText("Counting…")
        sessions = self.context.sessions
        station_zone = self.station_zone()
        now = self.now()

        def work(progress: ProgressFn, cancelled: CancelFn) -> tuple[int, int, list[DayTotals]]:
            with sessions() as session:
                rows = count(session, flt)
                totals = day_totals(
                    session, flt, station_zone=station_zone, now=now, cancelled=cancelled
                )
            return generation, rows, totals

        job = Job("Totalling the play log", work)
        self._track(job)
        job.succeeded.connect(self._summary_arrived)
        job.failed.connect(self._summary_failed)
        job.start()

    def _summary_arrived(self, result: tuple[int, int, list[DayTotals]]) -> None:
        generation, rows, totals = result
        if generation != self._generation or self.model.is_archive():
            return
        self._show_summary(rows, totals)

    def _summary_failed(self, sentence: str) -> None:
        self._show_error(sentence)
        self.summary_ready.emit()

    def _show_summary(self, rows: int, totals: Sequence[DayTotals]) -> None:
        self.summary_label.setText(f"{rows:,} row{'s' if rows != 1 else ''}")
        self.totals_table.setRowCount(len(totals))
        for line, item in enumerate(totals):
            cells = (
                item.day.strftime("%a %Y-%m-%d"),
                item.channel,
                clock_text(item.program),
                clock_text(item.ad),
                clock_text(item.promo),
                clock_text(item.bumper),
                clock_text(item.other),
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column >= 2:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if item.open_rows:
                    cell.setToolTip(
                        f"{item.open_rows} row(s) without an end count until the next start"
                        " on the channel, or until now"
                    )
                self.totals_table.setItem(line, column, cell)
        self.totals = list(totals)
        self.summary_ready.emit()

    def _show_error(self, sentence: str) -> None:
        self.error_label.setText(sentence)
        self.error_label.show()
        self.status_message.emit(sentence)

    # -- archive mode --------------------------------------------------------------------

    def show_archive(self, label: str, rows: Sequence[PlayRow]) -> None:
        """Show an archived week's rows read-only, under a banner."""
        self._generation += 1  # any count still coming is for the live log
        self.banner_label.setText(f"Archived week {label}, read-only ({len(rows):,} rows)")
        self.banner.show()
        self.back_action.setEnabled(True)
        self.filter_bar.setEnabled(False)
        self.pages.setCurrentIndex(0)
        self.model.show_archive(rows)
        totals = totals_of_rows(rows, self._zones, station_zone=self.station_zone(), now=self.now())
        self._show_summary(len(rows), totals)

    def show_live(self) -> None:
        """Leave the archive for the live log."""
        self.banner.hide()
        self.back_action.setEnabled(False)
        self.filter_bar.setEnabled(True)
        self.model.show_live()
        self.apply_filter()

    # -- export --------------------------------------------------------------------------

    def _ask_export_path(self, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export play log", str(suggested), "CSV files (*.csv)"
        )
        return Path(name) if name else None

    def export_csv(self) -> Job | None:
        """Ask where, then write the filtered rows there on a Job."""
        if self.model.is_archive() or (
            self.export_job is not None and self.export_job.is_running()
        ):
            return None
        flt = self.current_filter()
        folder = str(self._settings.value(KEY_PLAYLOG_EXPORT_FOLDER, "") or "") or str(Path.home())
        name = f"play-log-{flt.first_day}-to-{flt.last_day}.csv"
        target = self.choose_export_path(Path(folder) / name)
        if target is None:
            return None
        if target.suffix == "":
            target = target.with_suffix(".csv")
        self._settings.setValue(KEY_PLAYLOG_EXPORT_FOLDER, str(target.parent))
        sessions = self.context.sessions
        sort, descending = self.model.sort_key, self.model.descending

        def work(progress: ProgressFn, cancelled: CancelFn) -> tuple[int, str]:
            return _write_export(sessions, flt, sort, descending, target, progress, cancelled)

        job = Job("Exporting the play log", work)
        self._track(job)
        self.export_job = job
        self.export_button.setEnabled(False)
        job.succeeded.connect(self._export_done)
        job.failed.connect(self._export_failed)
        job.finished.connect(lambda: self.export_button.setEnabled(True))
        job.start()
        return job

    def _export_done(self, result: tuple[int, str]) -> None:
        # Done once its outcome is here: its thread may still be winding down, and a new
        # export asked for now must not be refused as "already running".
        self.export_job = None
        rows, path = result
        sentence = f"Exported {rows:,} play log row{'s' if rows != 1 else ''} to {path}."
        self.status_message.emit(sentence)
        self.export_finished.emit(sentence)

    def _export_failed(self, sentence: str) -> None:
        self.export_job = None
        self._show_error(sentence)
        self.export_finished.emit(sentence)

    # -- jobs ----------------------------------------------------------------------------

    def _track(self, job: Job) -> None:
        self._jobs.add(job)
        job.finished.connect(lambda: self._jobs.discard(job))

    def shutdown(self, msecs: int = 30_000) -> None:
        """Stop and wait for this tab's jobs (window closing, tests)."""
        self.save_filters()
        for job in list(self._jobs):
            job.cancel()
        for job in list(self._jobs):
            job.wait(msecs)


def _write_export(
    sessions: Any,
    flt: PlayFilter,
    sort: str,
    descending: bool,
    target: Path,
    progress: ProgressFn,
    cancelled: CancelFn,
) -> tuple[int, str]:
    """Write to a temporary file beside `target`, then rename it into place."""
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=".play-log-", suffix=".csv.part", dir=target.parent
        )
    except OSError as error:
        raise ExportFailed(
            f"The play log could not be exported to {target.parent}: the folder cannot be"
            " written. Choose another folder.",
            detail=repr(error),
        ) from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out, sessions() as session:
            rows = write_csv(
                session, flt, out, sort, descending, progress=progress, cancelled=cancelled
            )
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ExportFailed(
            f"The play log could not be written to {target}. Check the disk and try again.",
            detail=repr(error),
        ) from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return rows, str(target)


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None
