"""Long work off the UI thread: a job runs a plain function on a QThread.

The function gets a progress callback and a cancel check (the domain layers' contract)
and returns a plain value; the job turns those into Qt signals, queued to the UI thread.
Errors become the operator's sentence (`str()` of our error types); anything unexpected
is logged with its traceback and reported as a short sentence. The function must open
its own database sessions: ORM objects never cross threads.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.progress import CancelFn, ProgressFn

__all__ = ["CancelFn", "Job", "ProgressFn"]

log = logging.getLogger(__name__)

JobFn = Callable[[ProgressFn, CancelFn], Any]


class _Worker(QObject):
    progress = Signal(str, int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    canceled = Signal()
    done = Signal()

    def __init__(self, name: str, fn: JobFn, cancel_event: threading.Event) -> None:
        super().__init__()
        self._name = name
        self._fn = fn
        self._cancel = cancel_event

    @Slot()
    def _cancelled(self) -> bool:
        """The cancel check handed to the work. It also yields the GIL for a moment:
        work checks between batches, so the UI thread gets to run at least that often
        even when the batches are pure Python."""
        time.sleep(0)
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self._fn(self.progress.emit, self._cancelled)
        except Exception as exc:
            if self._cancel.is_set() and type(exc).__name__.endswith("Cancelled"):
                self.canceled.emit()
            elif isinstance(exc, OperatorError):
                detail = getattr(exc, "detail", "")
                log.warning("%s failed: %s %s", self._name, exc, detail)
                self.failed.emit(str(exc))
            else:
                log.exception("%s failed unexpectedly", self._name)
                self.failed.emit(
                    f"{self._name} failed unexpectedly ({type(exc).__name__}). Nothing"
                    " half-written was kept; try again, and see the log for details."
                )
        else:
            if self._cancel.is_set():
                self.canceled.emit()
            else:
                self.succeeded.emit(result)
        finally:
            self.done.emit()


class Job(QObject):
    """One run of `fn` on its own QThread. Connect to the signals, then `start()`.

    `finished` fires last, after exactly one of succeeded, failed or canceled.
    """

    progress = Signal(str, int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    canceled = Signal()
    finished = Signal()

    def __init__(self, name: str, fn: JobFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName(f"job: {name}")
        self._worker = _Worker(name, fn, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.succeeded.connect(self.succeeded)
        self._worker.failed.connect(self.failed)
        self._worker.canceled.connect(self.canceled)
        # Direct: quit() is thread-safe, and a queued call would wait for the UI thread,
        # which may itself be waiting for this thread (shutdown).
        self._worker.done.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(self._on_thread_finished)
        self._running = False

    def start(self) -> None:
        self._running = True
        self._thread.start()

    def cancel(self) -> None:
        """Ask the job to stop at its next check; it reports `canceled` when it has."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._running

    def wait(self, msecs: int = 60_000) -> bool:
        """Block until the thread ends (for shutdown and tests)."""
        return self._thread.wait(msecs)

    @Slot()
    def _on_thread_finished(self) -> None:
        self._running = False
        self.finished.emit()
