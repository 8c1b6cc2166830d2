"""Making the demo station: a worker runs the generator while this dialog shows progress
and offers Cancel; when the demo is ready the station window switches to it."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from retrovue_desktop.demo.create import create_demo

from .job_dialog import JobDialog
from .jobs import CancelFn, Job, ProgressFn
from .style import say


class DemoDialog(JobDialog):
    """Window-modal; the window stays responsive while the demo is made."""

    ready = Signal(str)  # the demo database's URL, once it is complete

    def __init__(self, url: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.today = today
        self._ready = False
        self.setWindowTitle("Opening the demo station")
        self.setMinimumWidth(440)
        self.heading = QLabel(
            "Making a small made-up station to look around: two channels, a week's "
            "schedule and a few days of play log."
        )
        self.heading.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.status = QLabel("Starting…")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.bar)
        column.addWidget(self.status)
        column.addWidget(self.buttons)

    def start(self) -> Job:
        url, today = self.url, self.today

        def work(progress: ProgressFn, cancelled: CancelFn) -> Any:
            return create_demo(url, today=today, progress=progress, cancelled=cancelled)

        job = Job("demo station", work, self)
        job.progress.connect(self._progress)
        job.succeeded.connect(self._made)
        job.failed.connect(self._failed)
        job.canceled.connect(self._canceled)
        job.finished.connect(self._ended)
        self._job = job
        job.start()
        return job

    def _progress(self, phase: str, done: int, total: int) -> None:
        self.status.setText(phase)
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)

    def _made(self, _report: object) -> None:
        self.status.setText("Ready.")
        self._ready = True

    def _ended(self) -> None:
        """After the worker's thread has ended (the switch deletes this dialog with the
        old window, so its job must be over by then)."""
        if self._ready:
            self.accept()
            self.ready.emit(self.url)
        else:
            self.closed_when_asked()

    def _failed(self, message: str) -> None:
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        say(self.status, f"The demo station could not be made. {message}", error=True)
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

    def _canceled(self) -> None:
        self.status.setText("Canceled; nothing was changed.")
