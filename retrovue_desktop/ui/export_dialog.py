"""Export the guide (XMLTV) or the channel playlist (M3U) from the window.

Where to write, and for the guide the first day and how many days, for the playlist the
stream address template; the export runs as a Job (its own session, off the UI thread)
into a temporary file that replaces the chosen file only when complete. The choices are
remembered. `choose_path` is the seam the Browse button calls, so tests never meet a
modal file dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from PySide6.QtCore import QDate, QSettings, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.scheduling.clock import zone
from retrovue_desktop.scheduling.exports import ExportSummary, write_atomically
from retrovue_desktop.scheduling.m3u import PLACEHOLDERS, check_stream_url_template, write_m3u
from retrovue_desktop.scheduling.xmltv import MAX_DAYS, write_xmltv

from . import settings as app_settings
from .context import AppContext
from .job_dialog import JobDialog
from .jobs import CancelFn, Job, ProgressFn
from .style import ERROR, muted, plain_label, set_tone

XMLTV, M3U = "xmltv", "m3u"
DEFAULT_DAYS = 7
_FORMATS = {
    # kind: (window title, file name, suffix, file dialog filter, button)
    XMLTV: ("Export guide (XMLTV)", "retrovue-guide.xml", ".xml", "XMLTV guide (*.xml)",
            "Export guide"),
    M3U: ("Export playlist (M3U)", "retrovue-channels.m3u", ".m3u",
          "M3U playlist (*.m3u *.m3u8)", "Export playlist"),
}  # fmt: skip
PathChooser = Callable[[str], str | None]
Writer = Callable[[Session, BinaryIO, ProgressFn, CancelFn], ExportSummary]


def station_today(station_zone: str) -> date:
    """Today in the station's zone (this computer's date if the zone is unknown here)."""
    try:
        return datetime.now(zone(station_zone)).date()
    except OperatorError:
        return date.today()


def _buddy(text: str, widget: QWidget) -> QLabel:
    """A form label whose mnemonic focuses `widget` (a row of a layout gets none)."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _left(widget: QWidget) -> QHBoxLayout:
    """`widget` at its natural width, not stretched across the form."""
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row


class ExportDialog(JobDialog):
    """One export: `start_export()` checks the input and runs it; on success `exported`
    carries the result line (for the status bar) and the dialog closes, or stays open to
    show warnings. `export_ended` fires after any outcome."""

    exported = Signal(str)
    export_ended = Signal()

    def __init__(
        self,
        context: AppContext,
        kind: str,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.kind = kind
        self._settings = settings if settings is not None else app_settings.app_settings()
        self.station_zone = app_settings.station_time_zone()
        title, file_name, self._suffix, self._filter, button = _FORMATS[kind]
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.choose_path: PathChooser = self._ask_path
        self.summary: ExportSummary | None = None
        self._path = Path()

        self.path_edit = QLineEdit(str(self._default_folder() / file_name))
        self.path_edit.setToolTip("The file to write; it is replaced only once complete.")
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(_buddy("&Save to:", self.path_edit), path_row)

        self.from_edit = QDateEdit()
        self.days_spin = QSpinBox()
        self.template_edit = QLineEdit()
        if kind == XMLTV:
            self.from_edit.setCalendarPopup(True)
            self.from_edit.setDisplayFormat("yyyy-MM-dd")
            self.from_edit.setMinimumWidth(140)
            today = station_today(self.station_zone)
            self.from_edit.setDate(QDate(today.year, today.month, today.day))
            self.days_spin.setRange(1, MAX_DAYS)
            self.days_spin.setSuffix(" days")
            self.days_spin.setMinimumWidth(140)
            self.days_spin.setValue(self._int(app_settings.KEY_EXPORT_DAYS, DEFAULT_DAYS))
            form.addRow(_buddy("&From:", self.from_edit), _left(self.from_edit))
            form.addRow(_buddy("&Length:", self.days_spin), _left(self.days_spin))
            help_text = (
                "Every active channel with its planned, approved and played programmes, the"
                " days counted in each channel's time zone (the station's is"
                f" {self.station_zone}). Ads, promos and bumpers are not listed."
            )
        else:
            self.template_edit.setText(app_settings.stream_url_template(self._settings))
            form.addRow("Stream &address:", self.template_edit)
            names = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
            help_text = (
                f"Every active channel, with the guide's channel ids. In the address {names}"
                " are replaced per channel; a channel missing a value it uses is left out."
            )
        self.help_label = plain_label(help_text)
        self.help_label.setWordWrap(True)
        muted(self.help_label)
        self.progress_bar = QProgressBar()
        self.progress_bar.setVisible(False)
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText(button)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.help_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _int(self, key: str, default: int) -> int:
        try:
            return int(str(self._settings.value(key, default)))
        except ValueError:
            return default

    def _default_folder(self) -> Path:
        remembered = self._settings.value(app_settings.KEY_EXPORT_FOLDER)
        if isinstance(remembered, str) and remembered and Path(remembered).is_dir():
            return Path(remembered)
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def _ask_path(self, current: str) -> str | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.windowTitle(), current, self._filter
        )
        return chosen or None

    def browse(self) -> None:
        chosen = self.choose_path(self.path_edit.text())
        if chosen:
            self.path_edit.setText(chosen)

    def target_path(self) -> Path | None:
        """The chosen file, absolute, with the format's suffix if it had none."""
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if not path.suffix:
            path = path.with_suffix(self._suffix)
        return path.absolute()

    def start_export(self) -> bool:
        """Check the input and start the export job; False (with the reason shown) if
        the input was refused or an export is already running."""
        if self.is_running():
            return False
        path = self.target_path()
        if path is None:
            self.show_error("Choose the file to write.")
            return False
        write: Writer
        if self.kind == XMLTV:
            chosen = self.from_edit.date()
            first_day = date(chosen.year(), chosen.month(), chosen.day())
            days, station_zone = self.days_spin.value(), self.station_zone

            def write(session: Session, out: BinaryIO, progress: ProgressFn,
                      cancelled: CancelFn) -> ExportSummary:  # fmt: skip
                return write_xmltv(session, out, first_day=first_day, days=days,
                                   station_zone=station_zone, progress=progress,
                                   cancelled=cancelled)  # fmt: skip
        else:
            try:
                template = check_stream_url_template(self.template_edit.text())
            except OperatorError as error:
                self.show_error(str(error))
                self.template_edit.setFocus()
                return False

            def write(session: Session, out: BinaryIO, progress: ProgressFn,
                      cancelled: CancelFn) -> ExportSummary:  # fmt: skip
                return write_m3u(session, out, stream_url_template=template,
                                 progress=progress, cancelled=cancelled)  # fmt: skip

        sessions = self.context.sessions

        def work(progress: ProgressFn, cancelled: CancelFn) -> ExportSummary:
            with sessions() as session:
                return write_atomically(path, lambda out: write(session, out, progress, cancelled))

        self._path = path
        self._job = Job(self.windowTitle(), work, self)
        self._job.progress.connect(self._on_progress)
        self._job.succeeded.connect(self._succeeded)
        self._job.failed.connect(self.show_error)
        self._job.canceled.connect(self._canceled)
        self._job.finished.connect(self._ended)
        self._busy(True)
        set_tone(self.status, None)
        self.status.setText(f"Writing {path}…")
        self._job.start()
        return True

    def _on_progress(self, phase: str, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(total, 0))
        self.progress_bar.setValue(min(done, total))
        self.progress_bar.setFormat(f"{phase}: %v of %m channels")

    def show_error(self, message: str) -> None:
        set_tone(self.status, ERROR)
        self.status.setText(message)

    def _succeeded(self, summary: object) -> None:
        assert isinstance(summary, ExportSummary)
        self.summary = summary
        self._remember()
        line = summary.line(self._path)
        self.exported.emit(line)
        if not summary.warnings:
            self.accept()
            return
        set_tone(self.status, None)
        self.status.setText("\n".join([line, *(f"• {w}" for w in summary.warnings)]))
        self.export_button.setText("Export again")

    def _canceled(self) -> None:
        set_tone(self.status, None)
        self.status.setText(f"Export canceled; {self._path} was not changed.")

    def _ended(self) -> None:
        self._busy(False)
        self.export_ended.emit()
        self.closed_when_asked()

    def _remember(self) -> None:
        self._settings.setValue(app_settings.KEY_EXPORT_FOLDER, str(self._path.parent))
        if self.kind == XMLTV:
            self._settings.setValue(app_settings.KEY_EXPORT_DAYS, self.days_spin.value())
        else:
            self._settings.setValue(
                app_settings.KEY_STREAM_URL_TEMPLATE, self.template_edit.text().strip()
            )

    def _busy(self, busy: bool) -> None:
        for widget in (self.path_edit, self.browse_button, self.from_edit, self.days_spin,
                       self.template_edit, self.export_button):  # fmt: skip
            widget.setEnabled(not busy)
        self.progress_bar.setVisible(busy)
        if busy:
            self.progress_bar.setRange(0, 0)
        self.cancel_button.setText("Cancel" if busy else "Close")
