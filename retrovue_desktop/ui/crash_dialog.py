"""What the operator sees when code fails where nothing expected it: a short sentence,
a report to copy (version, platform, the traceback; secrets masked), and the way to the
log folder. The window keeps running: Qt returns from the failed slot and carries on,
and work in a transaction was rolled back by the `with` that held it.

`install_crash_reporter` replaces `sys.excepthook` (which PySide calls for an exception
escaping a slot) and `threading.excepthook`. One dialog at a time: further failures while
it is open are added to its report.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot, qVersion
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop import __version__
from retrovue_desktop.logs import log_dir
from retrovue_desktop.secrets import redact

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def report_text(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """The copyable report: versions, platform and the traceback, secrets masked."""
    lines = [
        f"RetroVue Desktop {__version__}",
        f"Python {platform.python_version()}, Qt {qVersion()}, {platform.platform()}",
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    return redact("\n".join(line.rstrip("\n") for line in lines))


def open_folder(path: Path) -> bool:
    """Show a folder in the desktop's file manager."""
    path.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class CrashDialog(QDialog):
    """The sentence, the report and Copy / Open log folder / Close."""

    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("RetroVue Desktop hit an unexpected error")
        self.open_log_folder: Callable[[], object] = lambda: open_folder(log_dir())
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(32, 32)
        )
        self.message = QLabel(
            "Something went wrong that RetroVue Desktop did not expect. A change that was"
            " being saved when it happened was rolled back, so your data is as it was"
            " before. You can keep working."
            " If it happens again, copy the report below and send it with what you were"
            " doing."
        )
        self.message.setWordWrap(True)
        self.report = QPlainTextEdit(report)
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report.setMinimumSize(560, 220)
        self.report.setAccessibleName("Error report")
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy report")
        self.copy_button.clicked.connect(self.copy_report)
        self.folder_button = QPushButton("Open &log folder")
        self.folder_button.clicked.connect(lambda: self.open_log_folder())
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addSpacing(8)
        top.addWidget(self.message, 1)
        layout.addLayout(top)
        layout.addWidget(self.report, 1)
        layout.addWidget(buttons)

    def add(self, report: str) -> None:
        self.report.appendPlainText("\n" + "-" * 40 + "\n" + report)

    def copy_report(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.report.toPlainText())


class CrashReporter(QObject):
    """Turns uncaught exceptions into a log entry and the dialog (on the UI thread)."""

    reported = Signal(str)  # the report, once shown
    _from_thread = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window = parent
        self.dialog: CrashDialog | None = None
        self._showing = False
        self._from_thread.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._previous: tuple[object, object] | None = None

    def install(self) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def handle(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("uncaught exception", exc_info=(exc_type, exc, tb))
        report = report_text(exc_type, exc, tb)
        if threading.current_thread() is threading.main_thread():
            self._show(report)
        else:
            self._from_thread.emit(report)

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    @Slot(str)
    def _show(self, report: str) -> None:
        if self._showing:
            return  # a failure while showing the dialog: it is logged, not shown again
        self._showing = True
        try:
            if self.dialog is not None and self.dialog.isVisible():
                self.dialog.add(report)
            else:
                self.dialog = CrashDialog(report, self.window)
                self.dialog.show()
            self.reported.emit(report)
        finally:
            self._showing = False


def install_crash_reporter(window: QWidget) -> CrashReporter:
    """Report uncaught exceptions over `window` from now on."""
    reporter = CrashReporter(window)
    reporter.install()
    return reporter
