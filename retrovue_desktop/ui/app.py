"""Starting the window: prepare the database first, then show the main window.

A database the app cannot use is explained to the operator in a dialog (or on stderr
in smoke mode) and left untouched.
"""

from __future__ import annotations

import gc
import logging
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from retrovue_desktop import __version__
from retrovue_desktop.logs import add_log_file
from retrovue_desktop.secrets import install_log_redaction
from retrovue_desktop.store.migrations import DatabaseRefused, prepare_database

from .icons import APP, icon
from .settings import APPLICATION, ORGANIZATION
from .station import Station

log = logging.getLogger(__name__)

EXIT_DATABASE_REFUSED = 2
DESKTOP_FILE_NAME = "io.github.retrovue.RetroVueDesktop"


def ensure_application() -> QApplication:
    """The one QApplication, created with the names QSettings and the desktop use."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setApplicationName(APPLICATION)
    QApplication.setApplicationVersion(__version__)
    # Wayland docks match the window to its menu entry (packaging/*.desktop) by this name.
    QApplication.setDesktopFileName(DESKTOP_FILE_NAME)
    app = QApplication(sys.argv[:1])
    app.setWindowIcon(icon(APP))
    return app


def settle_heap() -> None:
    """Called once the window is up. Everything made so far (modules, Qt wrappers, the
    window) lives for the whole run: move it out of the garbage collector's full passes,
    which pause every thread while they scan and would stall the window mid-job."""
    gc.collect()
    gc.freeze()


def run_gui(database_url: str, *, smoke: bool = False) -> int:
    """Open the window on `database_url`; in smoke mode quit after the first events."""
    app = ensure_application()
    try:
        result = prepare_database(database_url)
    except DatabaseRefused as exc:
        log.error("database refused: %s", exc)
        if smoke:
            print(str(exc), file=sys.stderr)
        else:
            QMessageBox.critical(None, "RetroVue Desktop cannot open this database", str(exc))
        return EXIT_DATABASE_REFUSED
    try:
        log.info("log file: %s", add_log_file())
        install_log_redaction()
    except OSError as exc:  # a log folder we cannot write must not stop the app
        log.warning("no log file: %s", exc)
    station = Station(database_url)
    station.reporter.install()
    window = station.open(database_url, result)
    settle_heap()
    if smoke:
        QTimer.singleShot(0, window.close)
        QTimer.singleShot(0, app.quit)
    try:
        code = app.exec()
    finally:
        station.shutdown()
    return code
