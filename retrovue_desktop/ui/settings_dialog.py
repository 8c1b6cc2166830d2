"""Edit → Settings…: the station's defaults, the play log's, Plex and file checks, and
where the database lives.

The form edits the settings declared in `settings.py` and writes them only on OK, after
every value has been checked (a refused value is named in a sentence and its field gets
the focus). "Move database" copies the database to a new file or server on a Job, checks
the copy (store/relocate.py), then records the new location and emits `database_moved`
so the window reopens there; the old database is kept as it was. `choose_database_file`
is the seam the file chooser goes through, so tests never meet a modal dialog.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.ratings import CODES
from retrovue_desktop.scheduling.week import DAY_NAMES
from retrovue_desktop.store.engine import ENV_DATABASE_URL, describe_url, location_url, sqlite_path
from retrovue_desktop.store.relocate import CopyReport, copy_database, same_database

from . import settings as app_settings
from .context import AppContext
from .job_dialog import JobDialog
from .jobs import CancelFn, Job, ProgressFn
from .settings import Setting, database_location_problem, known_time_zones
from .style import SUCCESS, muted, plain_label, say, set_tone

SNAP_LABELS = (("5 minutes", 5), ("15 minutes", 15), ("30 minutes", 30), ("Off", 0))
DATABASE_FILTER = "SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"


def _note(text: str) -> QLabel:
    label = plain_label(text)
    label.setWordWrap(True)
    muted(label)
    return label


def _spin(low: float | None, high: float | None, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(int(low or 0), int(high if high is not None else 1_000_000))
    spin.setSuffix(suffix)
    spin.setMinimumWidth(140)
    spin.setAccelerated(True)
    return spin


class SettingsDialog(JobDialog):
    """The settings form in four tabs, with OK / Cancel / Restore defaults."""

    settings_changed = Signal()
    database_moved = Signal(str)
    # After a move job ended, whatever its outcome (tests and the window wait on it).
    move_ended = Signal()

    def __init__(
        self,
        context: AppContext,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        *,
        move_refusal: str | None = None,
    ) -> None:
        """`move_refusal`, when given, is why this database may not be moved (the demo
        station's): the move controls are off and the sentence is shown instead."""
        super().__init__(parent)
        self.move_refusal = move_refusal
        self.context = context
        self._settings = settings if settings is not None else app_settings.app_settings()
        self.choose_database_file: Callable[[str], str | None] = self._ask_database_file
        self.report: CopyReport | None = None
        # The database a move copies from: the window's, then the last move's target.
        self.database_url = context.database_url
        self.setWindowTitle("Settings")
        self.setMinimumWidth(600)
        self.resize(660, 420)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._station_page(), "S&tation")
        self.tabs.addTab(self._play_log_page(), "&Play log")
        self.tabs.addTab(self._plex_page(), "Ple&x && files")
        self.tabs.addTab(self._database_page(), "&Database")

        self.status = plain_label()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.defaults_button = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.defaults_button.setText("&Restore defaults")
        self.defaults_button.setToolTip("Put every field of every tab back to its default")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.defaults_button.clicked.connect(self.restore_defaults)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        # Each edited setting, with how to show a value in its field and read it back.
        self._fields: list[tuple[Setting[Any], QWidget, Callable[[Any], None], Callable[[], Any]]]
        self._fields = [
            (app_settings.STATION_TIME_ZONE, self.zone_box, self.zone_box.setCurrentText,
             lambda: self.zone_box.currentText().strip()),
            (app_settings.STATION_MAX_RATING, self.rating_box, self._choose(self.rating_box),
             self.rating_box.currentData),
            (app_settings.FIRST_WEEKDAY, self.weekday_box, self._choose(self.weekday_box),
             self.weekday_box.currentData),
            (app_settings.SNAP_MINUTES, self.snap_box, self._choose(self.snap_box),
             self.snap_box.currentData),
            (app_settings.PLAYLOG_WEEKS_KEPT, self.weeks_spin, self.weeks_spin.setValue,
             self.weeks_spin.value),
            (app_settings.PLAYLOG_TOLERANCE, self.tolerance_spin, self.tolerance_spin.setValue,
             self.tolerance_spin.value),
            (app_settings.PLEX_TIMEOUT, self.timeout_spin, self.timeout_spin.setValue,
             self.timeout_spin.value),
            (app_settings.PLEX_CONCURRENCY, self.concurrency_spin,
             self.concurrency_spin.setValue, self.concurrency_spin.value),
            (app_settings.VALIDATION_WORKERS, self.workers_spin, self.workers_spin.setValue,
             self.workers_spin.value),
            (app_settings.VALIDATION_TIMEOUT, self.file_timeout_spin,
             self.file_timeout_spin.setValue, self.file_timeout_spin.value),
        ]  # fmt: skip
        for setting, _widget, show, _read in self._fields:
            show(setting.read(self._settings))
        self.tabs.setFocus()

    # -- pages -----------------------------------------------------------------------------

    def _form_page(self, note: str) -> tuple[QWidget, QFormLayout]:
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.addWidget(_note(note))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        outer.addLayout(form)
        outer.addStretch(1)
        return page, form

    def _station_page(self) -> QWidget:
        page, form = self._form_page(
            "The station's defaults: channels without a time zone or rating ceiling of their"
            " own use these, and the schedule grid starts its week and snaps its edges so."
        )
        self.zone_box = QComboBox()
        self.zone_box.setEditable(True)
        self.zone_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zone_box.addItems(sorted(known_time_zones()))
        self.zone_box.setMinimumWidth(260)
        completer = self.zone_box.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.zone_box.setToolTip("An IANA time zone, such as Europe/London; type to search")
        self.rating_box = QComboBox()
        self.rating_box.addItem("No ceiling", "")
        for code in CODES:
            self.rating_box.addItem(code, code)
        self.rating_box.setToolTip("Programmes rated above this are not scheduled")
        self.weekday_box = QComboBox()
        for day, name in enumerate(DAY_NAMES):
            self.weekday_box.addItem(name, day)
        self.snap_box = QComboBox()
        for label, minutes in SNAP_LABELS:
            self.snap_box.addItem(label, minutes)
        self.snap_box.setToolTip("Block edges snap to this step while dragging (Shift: no snap)")
        form.addRow(self._buddy("Time &zone:", self.zone_box), self.zone_box)
        form.addRow(self._buddy("Rating &ceiling:", self.rating_box), self.rating_box)
        form.addRow(self._buddy("First &weekday:", self.weekday_box), self.weekday_box)
        form.addRow(self._buddy("Grid &snapping:", self.snap_box), self.snap_box)
        return page

    def _play_log_page(self) -> QWidget:
        page, form = self._form_page(
            "Weeks older than this are moved to archives by the weekly rotation. A start"
            " within the tolerance of its planned time counts as on time when the play log"
            " is reconciled."
        )
        weeks, tolerance = app_settings.PLAYLOG_WEEKS_KEPT, app_settings.PLAYLOG_TOLERANCE
        self.weeks_spin = _spin(weeks.minimum, weeks.maximum, " weeks")
        self.tolerance_spin = _spin(tolerance.minimum, tolerance.maximum, " seconds")
        form.addRow(self._buddy("&Weeks kept:", self.weeks_spin), self.weeks_spin)
        form.addRow(self._buddy("Tolera&nce:", self.tolerance_spin), self.tolerance_spin)
        return page

    def _plex_page(self) -> QWidget:
        s = app_settings
        self.timeout_spin = _spin(s.PLEX_TIMEOUT.minimum, s.PLEX_TIMEOUT.maximum, " seconds")
        self.concurrency_spin = _spin(s.PLEX_CONCURRENCY.minimum, s.PLEX_CONCURRENCY.maximum)
        self.workers_spin = _spin(s.VALIDATION_WORKERS.minimum, s.VALIDATION_WORKERS.maximum)
        self.file_timeout_spin = _spin(
            s.VALIDATION_TIMEOUT.minimum, s.VALIDATION_TIMEOUT.maximum, " seconds"
        )
        page = QWidget()
        outer = QVBoxLayout(page)
        plex = QGroupBox("Plex sync")
        plex_layout = QVBoxLayout(plex)
        plex_layout.addWidget(
            _note(
                "How long one request to a Plex server may take, and how many detail requests"
                " a sync sends at once."
            )
        )
        plex_form = QFormLayout()
        plex_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        plex_form.addRow(self._buddy("Request time&out:", self.timeout_spin), self.timeout_spin)
        plex_form.addRow(
            self._buddy("Detail re&quests at once:", self.concurrency_spin), self.concurrency_spin
        )
        plex_layout.addLayout(plex_form)
        files = QGroupBox("File checks")
        files_layout = QVBoxLayout(files)
        files_layout.addWidget(
            _note(
                "How many files a check looks at in parallel, and how long each may take to"
                " answer: a share that does not answer is reported, not waited for."
            )
        )
        files_form = QFormLayout()
        files_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        files_form.addRow(self._buddy("&Files at once:", self.workers_spin), self.workers_spin)
        files_form.addRow(
            self._buddy("Wait per file &up to:", self.file_timeout_spin), self.file_timeout_spin
        )
        files_layout.addLayout(files_form)
        outer.addWidget(plex)
        outer.addWidget(files)
        outer.addStretch(1)
        return page

    def _database_page(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        form = QFormLayout()
        self.location_edit = QLineEdit(self.context.database_location)
        self.location_edit.setReadOnly(True)
        self.location_edit.setMinimumWidth(360)
        form.addRow(self._buddy("Current &location:", self.location_edit), self.location_edit)
        self.target_edit = QLineEdit()
        self.target_edit.setPlaceholderText("A new file, or postgresql+psycopg://user@host/name")
        self.target_edit.setClearButtonEnabled(True)
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.setToolTip("Choose a new SQLite file")
        self.browse_button.clicked.connect(self.browse)
        target_row = QHBoxLayout()
        target_row.addWidget(self.target_edit, 1)
        target_row.addWidget(self.browse_button)
        form.addRow(self._buddy("Move t&o:", self.target_edit), target_row)
        outer.addLayout(form)
        self.move_button = QPushButton("&Move database…")
        self.move_button.setToolTip(
            "Copy every row to the new place, check the copy, then switch to it"
        )
        self.move_button.clicked.connect(lambda: self.move_database())
        self.stop_button = QPushButton("Stop mo&ving")
        self.stop_button.clicked.connect(self.stop_move)
        self.stop_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.move_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        self.progress_bar = QProgressBar()
        self.progress_bar.hide()
        outer.addWidget(self.progress_bar)
        note = (
            "Moving copies every row to a new SQLite file or an empty PostgreSQL database,"
            " checks that the copy matches row for row, and then switches to it. The current"
            " database is kept as it is: delete it yourself once you are happy with the move."
        )
        if os.environ.get(ENV_DATABASE_URL):
            note += (
                f" {ENV_DATABASE_URL} is set, so it chooses the database at start-up, not"
                " this setting."
            )
        outer.addWidget(_note(note))
        if self.move_refusal:
            refusal = plain_label(self.move_refusal)
            refusal.setWordWrap(True)
            outer.addWidget(refusal)
            for widget in (self.target_edit, self.browse_button, self.move_button):
                widget.setEnabled(False)
        outer.addStretch(1)
        return page

    @staticmethod
    def _buddy(text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    @staticmethod
    def _choose(box: QComboBox) -> Callable[[Any], None]:
        return lambda value: box.setCurrentIndex(max(0, box.findData(value)))

    # -- the form ----------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the form holds now, by setting key."""
        return {setting.key: read() for setting, _widget, _show, read in self._fields}

    def restore_defaults(self) -> None:
        """Put every field back to its default (written only on OK)."""
        for setting, _widget, show, _read in self._fields:
            show(setting.default_value())
        say(self.status, "Defaults restored: press OK to keep them.")

    def apply(self) -> bool:
        """Check every field, then write them all; a refused one is named, none written."""
        checked: list[tuple[Setting[Any], Any]] = []
        for setting, widget, _show, read in self._fields:
            value = read()
            problem = setting.problem(value)
            if problem is not None:
                say(self.status, problem, error=True)
                self._focus(widget)
                return False
            checked.append((setting, value))
        for setting, value in checked:
            setting.write(value, self._settings)
        self._settings.sync()
        self.settings_changed.emit()
        return True

    def accept(self) -> None:
        if self.is_running():
            say(self.status, "Wait for the move to finish, or stop it first.", error=True)
            return
        if self.apply():
            super().accept()

    def _focus(self, widget: QWidget) -> None:
        for index in range(self.tabs.count()):
            page = self.tabs.widget(index)
            if page is not None and page.isAncestorOf(widget):
                self.tabs.setCurrentIndex(index)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- moving the database ---------------------------------------------------------------

    def _ask_database_file(self, current: str) -> str | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            "Move the database to",
            current,
            DATABASE_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not chosen:
            return None
        path = Path(chosen)
        return str(path if path.suffix else path.with_suffix(".db"))

    def _suggested_file(self) -> str:
        typed = self.target_edit.text().strip()
        if typed and "://" not in typed:
            return typed
        current = sqlite_path(self.database_url) or Path()
        folder = current.parent if current.is_absolute() else Path.home()
        return str(folder / "retrovue-moved.db")

    def browse(self) -> None:
        chosen = self.choose_database_file(self._suggested_file())
        if chosen:
            self.target_edit.setText(chosen)

    def move_database(self, target: str | None = None) -> Job | None:
        """Start copying the database to `target` (else the field; if that is empty, the
        file chooser's answer). Returns the job, or None when nothing was started."""
        if self.is_running():
            return None
        if self.move_refusal:
            say(self.status, self.move_refusal, error=True)
            return None
        text = (target if target is not None else self.target_edit.text()).strip()
        if not text:
            chosen = self.choose_database_file(self._suggested_file())
            if not chosen:
                return None
            text = chosen
            self.target_edit.setText(text)
        problem = database_location_problem(text)
        if problem is not None:
            say(self.status, problem, error=True)
            self.target_edit.setFocus()
            return None
        url = location_url(text)
        source = self.database_url
        if same_database(source, url):
            say(
                self.status,
                f"The database is already at {describe_url(url)}: choose another place.",
                error=True,
            )
            return None

        def work(progress: ProgressFn, cancelled: CancelFn) -> CopyReport:
            return copy_database(source, url, progress=progress, cancelled=cancelled)

        job = Job("Moving the database", work, self)
        job.progress.connect(self._on_progress)
        job.succeeded.connect(self._moved)
        job.failed.connect(lambda message: say(self.status, message, error=True))
        job.canceled.connect(self._move_canceled)
        job.finished.connect(self._move_ended)
        self._job = job
        self._busy(True)
        say(self.status, f"Copying the database to {describe_url(url)}…")
        job.start()
        return job

    def stop_move(self) -> None:
        if self._job is not None and self._job.is_running():
            self._job.cancel()
            say(self.status, "Stopping…")

    def _on_progress(self, phase: str, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(total, 0))
        self.progress_bar.setValue(min(done, total))
        self.progress_bar.setFormat(f"{phase}: %v of %m rows" if total else phase)

    def _moved(self, report: object) -> None:
        assert isinstance(report, CopyReport)
        self.report = report
        app_settings.DATABASE_LOCATION.write(report.target_url, self._settings)
        self._settings.sync()
        self.database_url = report.target_url
        self.location_edit.setText(describe_url(report.target_url))
        self.target_edit.clear()
        say(
            self.status,
            f"{report.line()} RetroVue Desktop now uses it. The old database at"
            f" {describe_url(report.source_url)} is kept as it was; delete it yourself once"
            " you are happy with the move.",
        )
        set_tone(self.status, SUCCESS)
        self.database_moved.emit(report.target_url)

    def _move_canceled(self) -> None:
        say(
            self.status,
            "The move was stopped. The new copy was removed and the current database is unchanged.",
        )

    def _move_ended(self) -> None:
        self._busy(False)
        self.move_ended.emit()
        self.closed_when_asked()

    def _busy(self, busy: bool) -> None:
        for widget in (self.target_edit, self.browse_button, self.move_button):
            widget.setEnabled(not busy and not self.move_refusal)
        for widget in (self.ok_button, self.defaults_button):
            widget.setEnabled(not busy)
        self.stop_button.setVisible(busy)
        self.progress_bar.setVisible(busy)
        if busy:
            self.progress_bar.setRange(0, 0)
            self.stop_button.setFocus()
