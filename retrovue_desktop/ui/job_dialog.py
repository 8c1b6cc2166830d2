"""A dialog that runs one job at a time (an export, an import, a rotation).

What the three have in common lives here: Cancel/Close while the job runs asks it to
stop and closes the dialog once it has ended (what the job does on cancel decides what
is kept), and `shutdown` stops it and waits when the window closes. A subclass sets
`self._job` when it starts one, makes `self.status` (the line that says "Stopping…"),
and calls `closed_when_asked()` when its job has ended.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QWidget

from .jobs import Job


class JobDialog(QDialog):
    """A QDialog with one job at a time and the stop-then-close behaviour."""

    status: QLabel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._job: Job | None = None
        self._close_when_done = False

    def is_running(self) -> bool:
        return self._job is not None and self._job.is_running()

    def reject(self) -> None:
        """Close; while the job runs, ask it to stop first and close once it has ended."""
        if self._job is not None and self._job.is_running():
            self._close_when_done = True
            self._job.cancel()
            self.status.setText("Stopping…")
            return
        super().reject()

    def closed_when_asked(self) -> bool:
        """After the job ended: close now if Cancel/Close was pressed while it ran."""
        if self._close_when_done:
            QDialog.reject(self)
            return True
        return False

    def shutdown(self) -> None:
        """Stop a running job and wait for it (the window is closing)."""
        if self._job is not None and self._job.is_running():
            self._job.cancel()
            self._job.wait()
