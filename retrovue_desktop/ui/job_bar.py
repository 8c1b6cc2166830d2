"""The strip that shows a running job: what it is doing, how far, Cancel, and the result."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from .jobs import Job
from .style import ERROR, set_tone


class JobBar(QWidget):
    """Attach a Job with `follow(job)`; the bar shows its progress until it finishes."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.phase = QLabel()
        self.phase.setMinimumWidth(260)
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.bar.setMinimumWidth(200)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop after the current batch; what is done is kept (Esc)")
        self.cancel_button.setShortcut(Qt.Key.Key_Escape)
        self.cancel_button.clicked.connect(self._cancel)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.phase)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.result, 2)
        self._job: Job | None = None
        self._set_running(False)

    def follow(self, job: Job, title: str) -> None:
        self._job = job
        self.result.clear()
        self.phase.setText(title)
        self.bar.setRange(0, 0)
        job.progress.connect(self._on_progress)
        job.finished.connect(lambda: self._set_running(False))
        self._set_running(True)

    def show_result(self, text: str, error: bool = False) -> None:
        set_tone(self.result, ERROR if error else None)
        self.result.setText(text)

    def _on_progress(self, phase: str, done: int, total: int) -> None:
        self.phase.setText(phase)
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            self.bar.setFormat(f"{done:,} / {total:,}")
        else:
            self.bar.setRange(0, 0)

    def _cancel(self) -> None:
        if self._job is not None and self._job.is_running():
            self._job.cancel()
            self.phase.setText("Canceling after the current batch…")
            self.cancel_button.setEnabled(False)
        self.cancel_requested.emit()

    def _set_running(self, running: bool) -> None:
        self.phase.setVisible(running)
        self.bar.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        if not running:
            self.phase.clear()
            self._job = None
