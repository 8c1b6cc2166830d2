"""Which database the window shows, and switching it: the demo station, leaving it, and a
moved database.

A switch closes the current window the normal way (so a running job may refuse it, and
state is saved), opens the other database through the migrations, and shows a new window
on it. The operator's own database is remembered so that leaving the demo goes back to
it; the demo never writes to it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy.exc import SQLAlchemyError

from retrovue_desktop.demo.location import demo_database_url, is_demo
from retrovue_desktop.store.engine import describe_url
from retrovue_desktop.store.migrations import DatabaseRefused, PrepareResult, prepare_database

from .context import AppContext
from .crash_dialog import CrashReporter
from .demo_dialog import DemoDialog
from .main_window import MainWindow

log = logging.getLogger(__name__)


class Station(QObject):
    """Owns the context and the window of the database shown now."""

    # The window now shown (after start and after every switch).
    window_changed = Signal(object)

    def __init__(
        self,
        own_url: str,
        settings: QSettings | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self.own_url = own_url
        self._settings = settings
        self._today = today
        self.context: AppContext | None = None
        self.window: MainWindow | None = None
        self.demo_dialog: DemoDialog | None = None
        self.reporter = CrashReporter()

    # -- opening ------------------------------------------------------------------------

    def open(self, url: str, result: PrepareResult) -> MainWindow:
        """Show a window on `url`, already prepared (`result` from prepare_database)."""
        context = AppContext.open(url, result.to_revision)
        with context.sessions() as session:
            demo = is_demo(session)
        window = MainWindow(context, self._settings, demo=demo)
        window.demo_requested.connect(self.open_demo)
        window.leave_demo_requested.connect(self.leave_demo)
        window.database_switch_requested.connect(self.switch_to)
        if result.backup_path is not None:
            window.statusBar().showMessage(
                f"Database upgraded; the previous version was saved as {result.backup_path}",
                15000,
            )
        self.context, self.window = context, window
        self.reporter.window = window
        window.show()
        self.window_changed.emit(window)
        return window

    def switch_to(self, url: str) -> bool:
        """Close the current window and show one on `url`; False (and the current window
        stays) when the window refuses to close or the database cannot be opened."""
        parent: QWidget | None = self.window
        try:
            result = prepare_database(url)
        except DatabaseRefused as exc:
            log.error("database refused on switch: %s", exc)
            QMessageBox.critical(parent, "RetroVue Desktop cannot open this database", str(exc))
            return False
        except (SQLAlchemyError, OSError) as exc:
            log.error("database %s could not be opened", describe_url(url), exc_info=exc)
            QMessageBox.critical(
                parent,
                "RetroVue Desktop cannot open this database",
                f"{describe_url(url)} could not be opened; it may not be a RetroVue database "
                "or the server may be unreachable. The current station stays open; the "
                "log has the details.",
            )
            return False
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        quit_on_close = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)  # between the two windows there is none
        try:
            old_window, old_context = self.window, self.context
            if old_window is not None and not old_window.close():
                return False
            if old_window is not None:
                old_window.deleteLater()
            if old_context is not None:
                old_context.close()
            self.open(url, result)
        finally:
            app.setQuitOnLastWindowClosed(quit_on_close)
        return True

    # -- the demo -----------------------------------------------------------------------

    def open_demo(self) -> DemoDialog:
        """Make a fresh demo station (on a worker, with progress and Cancel), then show
        it. It is made anew each time, so its week is always this week."""
        if self.demo_dialog is not None and self.demo_dialog.isVisible():
            self.demo_dialog.raise_()
            return self.demo_dialog
        dialog = DemoDialog(demo_database_url(), self._today(), self.window)
        dialog.ready.connect(self.switch_to)
        dialog.finished.connect(lambda _code: setattr(self, "demo_dialog", None))
        self.demo_dialog = dialog
        dialog.open()
        dialog.start()
        return dialog

    def leave_demo(self) -> bool:
        """Back to the operator's own database."""
        return self.switch_to(self.own_url)

    def shutdown(self) -> None:
        """The app is quitting: stop a demo being made, drop the database connections."""
        if self.demo_dialog is not None:
            self.demo_dialog.shutdown()
        self.reporter.uninstall()
        if self.context is not None:
            self.context.close()
