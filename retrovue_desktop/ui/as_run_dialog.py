"""File → Import as-run…: add a playout system's as-run CSV to the play log.

The import runs as a Job with its own session and one transaction: the whole file is
checked first, so a malformed line is shown with its number and nothing is written.
The dialog stays open to show the report (or the error), so the operator can fix the
file and import it again. `choose_path` is the seam the Browse button calls, so tests
never meet a modal file dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.scheduling.as_run import (
    DEFAULT_TOLERANCE_SECONDS,
    ImportReport,
    import_as_run,
    read_file,
)

from . import settings as app_settings
from .context import AppContext
from .job_dialog import JobDialog
from .jobs import CancelFn, Job, ProgressFn
from .style import ERROR, muted, plain_label, set_tone

PathChooser = Callable[[str], str | None]
TITLE = "Import as-run log"
# Remembered between imports, like the export folder.
KEY_AS_RUN_FOLDER = "playLog/asRunFolder"
UNMATCHED_SHOWN = 200  # lines listed in the dialog; the rest are counted


class AsRunImportDialog(JobDialog):
    """Choose a CSV and import it. `imported` carries the report's sentence (for the
    status bar and to reload the Play Log tab); `import_ended` fires after any outcome."""

    imported = Signal(str)
    import_ended = Signal()

    def __init__(
        self,
        context: AppContext,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._settings = settings if settings is not None else app_settings.app_settings()
        self.station_zone = app_settings.station_time_zone()
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(600)
        self.choose_path: PathChooser = self._ask_path
        self.report: ImportReport | None = None
        self._running = False
        self._path = Path()

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("an as-run CSV file")
        self.path_edit.textChanged.connect(self._update_button)
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path_edit)
        self.tolerance_spin = QSpinBox()
        self.tolerance_spin.setRange(0, 3600)
        self.tolerance_spin.setValue(DEFAULT_TOLERANCE_SECONDS)
        self.tolerance_spin.setSuffix(" s")
        self.tolerance_spin.setToolTip(
            "How far an aired row's start may be from the planned start to count as that"
            " programme-log entry."
        )
        tolerance_label = QLabel("Plan &tolerance:")
        tolerance_label.setBuddy(self.tolerance_spin)
        tolerance_row = QHBoxLayout()
        tolerance_row.addWidget(self.tolerance_spin)
        tolerance_row.addStretch(1)
        form = QFormLayout()
        form.addRow(file_label, path_row)
        form.addRow(tolerance_label, tolerance_row)

        self.help_label = plain_label(
            "A CSV with a header row: channel, start, end, kind and one of content_id,"
            " file_path or title; notes optional (docs/as_run.md). Times without an offset"
            f" are in the channel's time zone (the station's is {self.station_zone})."
            " Rows already in the play log are skipped; a malformed line stops the import"
            " and nothing is written."
        )
        self.help_label.setWordWrap(True)
        muted(self.help_label)
        self.progress_bar = QProgressBar()
        self.progress_bar.setVisible(False)
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.unmatched_label = plain_label("Rows kept without a match to content:")
        self.unmatched_label.setVisible(False)
        self.unmatched_list = QPlainTextEdit()
        self.unmatched_list.setReadOnly(True)
        self.unmatched_list.setAccessibleName("Unmatched rows")
        self.unmatched_list.setVisible(False)
        self.unmatched_list.setMinimumHeight(140)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("Import")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Close")
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.help_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status)
        layout.addWidget(self.unmatched_label)
        layout.addWidget(self.unmatched_list, 1)
        layout.addStretch(0)
        layout.addWidget(self.buttons)
        self._update_button()

    def _default_folder(self) -> str:
        remembered = self._settings.value(KEY_AS_RUN_FOLDER)
        if isinstance(remembered, str) and remembered and Path(remembered).is_dir():
            return remembered
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return documents if documents and Path(documents).is_dir() else str(Path.home())

    def _ask_path(self, current: str) -> str | None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, TITLE, current or self._default_folder(), "As-run CSV (*.csv);;All files (*)"
        )
        return chosen or None

    def browse(self) -> None:
        chosen = self.choose_path(self.path_edit.text())
        if chosen:
            self.path_edit.setText(chosen)

    def _update_button(self) -> None:
        self.import_button.setEnabled(bool(self.path_edit.text().strip()) and not self._running)

    def start_import(self) -> bool:
        """Start the import job; False (with the reason shown) when no file is chosen or
        an import is already running."""
        if self.is_running():
            return False
        text = self.path_edit.text().strip()
        if not text:
            self.show_error("Choose the as-run file to import.")
            return False
        path = Path(text).expanduser().absolute()
        sessions = self.context.sessions
        station_zone, tolerance = self.station_zone, self.tolerance_spin.value()

        def work(progress: ProgressFn, cancelled: CancelFn) -> ImportReport:
            content = read_file(path)
            with sessions.begin() as session:
                return import_as_run(
                    session,
                    content,
                    station_zone=station_zone,
                    tolerance_seconds=tolerance,
                    progress=progress,
                    cancelled=cancelled,
                )

        self._path = path
        self.report = None
        self._job = Job(TITLE, work, self)
        self._job.progress.connect(self._on_progress)
        self._job.succeeded.connect(self._succeeded)
        self._job.failed.connect(self.show_error)
        self._job.canceled.connect(self._canceled)
        self._job.finished.connect(self._ended)
        self._busy(True)
        set_tone(self.status, None)
        self.status.setText(f"Importing {path.name}…")
        self.unmatched_list.setVisible(False)
        self.unmatched_label.setVisible(False)
        self._job.start()
        return True

    def _on_progress(self, phase: str, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(total, 0))
        self.progress_bar.setValue(min(done, total) if total else 0)
        self.progress_bar.setFormat(f"{phase}: %v of %m rows" if total else f"{phase}…")

    def show_error(self, message: str) -> None:
        set_tone(self.status, ERROR)
        self.status.setText(message)

    def _succeeded(self, report: object) -> None:
        assert isinstance(report, ImportReport)
        self.report = report
        self._settings.setValue(KEY_AS_RUN_FOLDER, str(self._path.parent))
        sentence = report.summary()
        set_tone(self.status, None)
        self.status.setText(f"{self._path.name}: {sentence}")
        if report.unmatched_lines:
            shown = report.unmatched_lines[:UNMATCHED_SHOWN]
            lines = [f"Line {line}: {problem}" for line, problem in shown]
            if len(report.unmatched_lines) > len(shown):
                lines.append(f"… and {len(report.unmatched_lines) - len(shown):,} more.")
            self.unmatched_list.setPlainText("\n".join(lines))
            self.unmatched_list.setVisible(True)
            self.unmatched_label.setVisible(True)
        self.imported.emit(sentence)

    def _canceled(self) -> None:
        set_tone(self.status, None)
        self.status.setText("Import canceled; nothing of the file was written.")

    def _ended(self) -> None:
        self._busy(False)
        self.import_ended.emit()
        self.closed_when_asked()

    def _busy(self, busy: bool) -> None:
        self._running = busy
        for widget in (self.path_edit, self.browse_button, self.tolerance_spin):
            widget.setEnabled(not busy)
        self.progress_bar.setVisible(busy)
        if busy:
            self.progress_bar.setRange(0, 0)
        self.cancel_button.setText("Cancel" if busy else "Close")
        self._update_button()


def open_as_run_import(
    parent: QWidget | None, context: AppContext, settings: QSettings | None = None
) -> AsRunImportDialog:
    """Show the import dialog window-modal without blocking; it deletes itself on close."""
    dialog = AsRunImportDialog(context, settings, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
