"""Uncaught errors: an exception escaping a slot (or a plain thread) shows the dialog
with a copyable report that never holds a token, is logged, and the window keeps
running; the log file rotates in the user's log folder; Help → Open log folder."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from retrovue_desktop.logs import LOG_FILE, add_log_file
from retrovue_desktop.secrets import MASK, install_log_redaction, register_secret
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.crash_dialog import CrashReporter, install_crash_reporter
from retrovue_desktop.ui.main_window import MainWindow

TOKEN = "plex-token-sEcReT-1234"


@pytest.fixture
def window(qtbot: QtBot, app_context: AppContext, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    shown = MainWindow(app_context, settings=settings)
    qtbot.addWidget(shown)
    shown.show()
    return shown


@pytest.fixture
def reporter(window: MainWindow) -> Iterator[CrashReporter]:
    installed = install_crash_reporter(window)
    yield installed
    installed.uninstall()
    if installed.dialog is not None:
        installed.dialog.close()


def _fail_in_a_slot() -> None:
    raise RuntimeError(f"the server said no to token={TOKEN}")


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_shows_the_report_without_the_token(
    qtbot: QtBot, window: MainWindow, reporter: CrashReporter, caplog: pytest.LogCaptureFixture
) -> None:
    register_secret(TOKEN)
    later: list[bool] = []
    with caplog.at_level(logging.ERROR), qtbot.waitSignal(reporter.reported, timeout=5_000):
        QTimer.singleShot(0, _fail_in_a_slot)
        QTimer.singleShot(20, lambda: later.append(True))
    dialog = reporter.dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.report.toPlainText()
    assert "RuntimeError" in text and "_fail_in_a_slot" in text and "RetroVue Desktop" in text
    assert TOKEN not in text and MASK in text
    assert "uncaught exception" in caplog.text
    qtbot.waitUntil(lambda: later == [True])  # the event loop carried on
    assert window.isVisible()
    dialog.copy_report()
    assert TOKEN not in QGuiApplication.clipboard().text()
    opened: list[bool] = []
    dialog.open_log_folder = lambda: opened.append(True)
    dialog.folder_button.click()
    assert opened == [True]

    # A second failure while the dialog is open joins its report.
    with qtbot.waitSignal(reporter.reported, timeout=5_000):
        QTimer.singleShot(0, _fail_in_a_slot)
    assert reporter.dialog is dialog and dialog.report.toPlainText().count("RuntimeError") >= 2


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_plain_thread_is_shown_on_the_ui_thread(
    qtbot: QtBot, reporter: CrashReporter
) -> None:
    def work() -> None:
        raise ValueError("a helper thread broke")

    with qtbot.waitSignal(reporter.reported, timeout=5_000) as shown:
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    assert "ValueError: a helper thread broke" in shown.args[0]


def test_help_opens_the_log_folder(window: MainWindow) -> None:
    opened: list[bool] = []
    window.open_log_folder = lambda: opened.append(True)  # type: ignore[method-assign]
    window.log_folder_action.trigger()
    assert opened == [True]


def test_the_log_file_rotates_and_masks_secrets(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = add_log_file(tmp_path / "logs")
        assert add_log_file(tmp_path / "logs") == path  # added once
        install_log_redaction()
        register_secret(TOKEN)
        logging.getLogger("retrovue_desktop.plex").warning("request with %s failed", TOKEN)
        for handler in root.handlers:
            handler.flush()
        text = (tmp_path / "logs" / LOG_FILE).read_text(encoding="utf-8")
        assert "retrovue_desktop.plex" in text and MASK in text and TOKEN not in text
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
