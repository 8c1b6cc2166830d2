"""Play log → Play log archives…: the archived weeks, opened read-only in the Play Log
tab, restored into the live play log, and the rotation run by hand.

Every file and database step runs as a Job with its own session. `confirm` is the seam
the Restore button asks through (tests answer it without a modal); `clock` gives the
rotation's "now". Opening an archive hands (label, rows) to the callback given to the
constructor: the Play Log tab's `show_archive`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.scheduling.play_archive import (
    ArchiveInfo,
    RotationReport,
    list_archives,
    read_archive,
    restore_archive,
)
from retrovue_desktop.scheduling.play_rows import PlayRow
from retrovue_desktop.scheduling.play_times import from_text

from . import settings as app_settings
from .context import AppContext
from .job_bar import JobBar
from .job_dialog import JobDialog
from .jobs import CancelFn, Job, JobFn, ProgressFn
from .rotation_job import archive_dir, rotation_job
from .style import ERROR, local_time_text, muted, plain_label, set_tone

OpenArchive = Callable[[str, list[PlayRow]], None]
COLUMN_TITLES = ("Week", "Rows", "First start", "Last start", "File")


def week_dates(week: str) -> str:
    """ "2026-W47" as its days: "16-22 Nov 2026" with an en dash (or across months and
    years: "30 Nov - 6 Dec 2026")."""
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    sunday = monday + timedelta(days=6)
    first, last = f"{monday.day} {monday:%b %Y}", f"{sunday.day} {sunday:%b %Y}"
    if monday.year == sunday.year:
        first = f"{monday.day} {monday:%b}" if monday.month != sunday.month else str(monday.day)
    return f"{first} \u2013 {last}" if " " in first else f"{first}\u2013{last}"


def archive_label(week: str) -> str:
    """What the Play Log tab calls an opened archive."""
    return f"Archived week {week} ({week_dates(week)})"


def _time(text: str | None) -> str:
    instant = from_text(text)
    return local_time_text(instant) if instant is not None else (text or "")


class ArchivesDialog(JobDialog):
    """The archive list and its three actions. `message` carries result lines for the
    status bar; `play_log_changed` fires after a restore or rotation changed the live
    log; `job_ended` after any job (listing included) has ended and been shown."""

    message = Signal(str)
    play_log_changed = Signal()
    job_ended = Signal()

    def __init__(
        self,
        context: AppContext,
        open_archive: OpenArchive,
        *,
        directory: Path | None = None,
        weeks_kept: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.open_archive = open_archive
        self.directory = directory or archive_dir()
        self.weeks_kept = weeks_kept or app_settings.playlog_weeks_kept()
        self.confirm: Callable[[str], bool] = self._ask
        self.clock: Callable[[], int] = lambda: int(time.time())
        self.archives: list[ArchiveInfo] = []
        self.setWindowTitle("Play log archives")
        self.setMinimumSize(820, 420)

        self.intro = plain_label(
            f"Weeks older than the newest {self.weeks_kept} are moved here, one compressed"
            " CSV file per week (Monday to Sunday, UTC), each checked against the database"
            " before its rows are deleted. Open one to read it in the Play Log tab;"
            f" Restore puts its rows back.\nFolder: {self.directory}"
        )
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        muted(self.intro)
        self.table = QTableWidget(0, len(COLUMN_TITLES))
        self.table.setHorizontalHeaderLabels(COLUMN_TITLES)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMN_TITLES) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setAccessibleName("Archived weeks")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.empty = plain_label("No archived weeks yet.")
        muted(self.empty)

        self.open_button = QPushButton("&Open read-only")
        self.open_button.setToolTip("Show this week's rows in the Play Log tab, read-only")
        self.open_button.clicked.connect(self.open_selected)
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setToolTip(
            "Put this week's rows back into the live play log (the file stays)"
        )
        self.restore_button.clicked.connect(self.restore_selected)
        self.rotate_button = QPushButton("Rotate &now")
        self.rotate_button.setToolTip(
            f"Archive every week older than the newest {self.weeks_kept} now"
        )
        self.rotate_button.clicked.connect(self.rotate_now)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.restore_button, self.rotate_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        self.job_bar = JobBar()
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.job_bar)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.refresh()

    # --- the list --------------------------------------------------------------------

    def refresh(self) -> bool:
        """Re-read the archive folder (a Job); False while another job runs."""
        directory = self.directory
        return self._run("Reading the archives", lambda _p, _c: list_archives(directory),
                         self._show_list, follow=False)  # fmt: skip

    def _show_list(self, result: object) -> None:
        assert isinstance(result, list)
        selected = self.selected()
        self.archives = result
        self.table.setRowCount(len(result))
        for row, info in enumerate(result):
            cells = (
                f"{info.week}  ·  {week_dates(info.week)}",
                f"{info.rows:,}" if not info.problem else "unreadable",
                _time(info.first),
                _time(info.last),
                info.path.name,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                item.setToolTip(info.problem or str(info.path))
                self.table.setItem(row, column, item)
            if selected is not None and info.path == selected.path:
                self.table.selectRow(row)
        if self.selected() is None and result:
            self.table.selectRow(len(result) - 1)
        self.table.setVisible(bool(result))
        self.empty.setVisible(not result)
        self._update_buttons()

    def selected(self) -> ArchiveInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.archives):
            return None
        return self.archives[rows[0].row()]

    def select_week(self, week: str) -> None:
        for row, info in enumerate(self.archives):
            if info.week == week:
                self.table.selectRow(row)

    # --- the actions -----------------------------------------------------------------

    def open_selected(self) -> bool:
        info = self.selected()
        if info is None or info.problem or self.is_running():
            return False
        path, label = info.path, archive_label(info.week)

        def opened(result: object) -> None:
            assert isinstance(result, list)
            self.open_archive(label, result)
            self.message.emit(f"Opened {label}: {len(result):,} rows, read-only.")
            self.accept()

        return self._run(f"Opening {info.week}", lambda _p, _c: read_archive(path), opened)

    def restore_selected(self) -> bool:
        info = self.selected()
        if info is None or info.problem or self.is_running():
            return False
        if not self.confirm(
            f"Put the {info.rows:,} rows of {info.week} ({week_dates(info.week)}) back into"
            " the live play log?\n\nRows already there are skipped; the archive file stays."
            f" While the week is older than the newest {self.weeks_kept}, the next"
            " rotation archives them again."
        ):
            return False
        sessions, path, week, total = self.context.sessions, info.path, info.week, info.rows

        def work(_progress: ProgressFn, _cancelled: CancelFn) -> int:
            with sessions() as session, session.begin():
                return restore_archive(session, path)

        def restored(result: object) -> None:
            assert isinstance(result, int)
            skipped = total - result
            line = f"Restored {result:,} play log rows of {week}."
            if skipped:
                line += f" {skipped:,} were already there or belong to a removed channel."
            self._say(line)
            self.play_log_changed.emit()

        return self._run(f"Restoring {week}", work, restored)

    def rotate_now(self) -> bool:
        if self.is_running():
            return False
        now = self.clock()
        job = rotation_job(self.context, self.weeks_kept, self.directory, now, self)
        report: list[RotationReport] = []

        def rotated(result: object) -> None:
            assert isinstance(result, RotationReport)
            report.append(result)
            self._say(result.line())
            if result.weeks:
                self.play_log_changed.emit()

        job.canceled.connect(
            lambda: self._say("Rotation stopped; the weeks already archived are kept.")
        )
        job.canceled.connect(self.play_log_changed)
        return self._start(job, "Rotating the play log", rotated, follow=True)

    # --- jobs ------------------------------------------------------------------------

    def _run(
        self, name: str, fn: JobFn, done: Callable[[object], None], follow: bool = True
    ) -> bool:
        if self.is_running():
            return False
        return self._start(Job(name, fn, self), name, done, follow)

    def _start(self, job: Job, name: str, done: Callable[[object], None], follow: bool) -> bool:
        self._job = job
        job.succeeded.connect(done)
        job.failed.connect(self._fail)
        job.finished.connect(lambda: self._ended(job))
        if follow:
            self.status.clear()
            self.job_bar.follow(job, name)
        self._update_buttons()
        job.start()
        return True

    def _ended(self, job: Job) -> None:
        if self._job is job:
            self._job = None
        if self._close_when_done:
            self.job_ended.emit()
            self.closed_when_asked()
            return
        if job.name != "Reading the archives":
            self.refresh()  # the list shows what the action changed
        else:
            self._update_buttons()
            self.job_ended.emit()

    def _fail(self, text: str) -> None:
        set_tone(self.status, ERROR)
        self.status.setText(text)

    def _say(self, text: str) -> None:
        set_tone(self.status, None)
        self.status.setText(text)
        self.message.emit(text)

    def _update_buttons(self) -> None:
        info = self.selected()
        usable = info is not None and not info.problem and not self.is_running()
        self.open_button.setEnabled(usable)
        self.restore_button.setEnabled(usable)
        self.rotate_button.setEnabled(not self.is_running())
        self.close_button.setText("Cancel" if self.is_running() else "Close")

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, "Restore archived week", question)
        return answer == QMessageBox.StandardButton.Yes
