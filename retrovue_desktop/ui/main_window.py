"""The main window: five tabs (or the welcome page on a first run), a menu, a status bar,
and state remembered between runs."""

from __future__ import annotations

import platform

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal, qVersion
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop import __version__
from retrovue_desktop.logs import log_dir
from retrovue_desktop.scheduling.play_rows import PlayRow
from retrovue_desktop.store.first_run import station_is_empty

from .archives_dialog import ArchivesDialog
from .as_run_dialog import AsRunImportDialog, open_as_run_import
from .commands import install_tab_menus
from .constraint_forms import wait_for_jobs as wait_for_form_jobs
from .content_model import wait_for_loaders
from .content_tab import ContentTab
from .context import AppContext
from .crash_dialog import open_folder
from .edits import CatalogEdits
from .export_dialog import M3U, XMLTV, ExportDialog
from .icons import TAB_ICONS, icon
from .jobs import Job
from .libraries_tab import LibrariesTab
from .play_log_tab import PlayLogTab
from .reconcile_page import ReconcilePage
from .rotation_job import rotate_if_due
from .schedule_tab import ScheduleTab
from .settings import KEY_GEOMETRY, KEY_LAST_TAB, KEY_STATE, app_settings
from .settings_dialog import SettingsDialog
from .style import set_banner
from .tags_tab import TagsTab
from .welcome_page import WelcomePage

WINDOW_TITLE = "RetroVue Desktop"
DEMO_TITLE = "RetroVue Desktop — Demo station"
DEMO_BANNER = (
    "Demo station: made-up programmes for looking around. Edits stay in the demo; "
    "your own database is not touched."
)
DEFAULT_SIZE = (1280, 800)


class MainWindow(QMainWindow):
    """Holds the tabs; knows which database it shows, for the status bar and About."""

    # Emitted when the catalogue changed underneath the tabs (a sync or scan finished).
    catalog_changed = Signal()
    # Asks whoever opened the window (ui/station.py) to show another database.
    demo_requested = Signal()
    leave_demo_requested = Signal()
    database_switch_requested = Signal(str)

    def __init__(
        self,
        context: AppContext,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        *,
        demo: bool = False,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.demo = demo
        self.database_location = context.database_location
        self.schema_revision = context.schema_revision
        self._settings = settings if settings is not None else app_settings()
        self.setWindowTitle(DEMO_TITLE if demo else WINDOW_TITLE)
        self.setMinimumSize(900, 600)

        # One undo stack for every catalogue edit, whichever tab made it.
        self.edits = CatalogEdits(context.sessions, self)
        self.edits.done.connect(self._show_status)
        self.edits.failed.connect(self._show_error)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.libraries_tab = LibrariesTab(context)
        self.libraries_tab.catalog_changed.connect(self.catalog_changed)
        self.libraries_tab.status_message.connect(self._show_status)
        self.content_tab = ContentTab(context, self.edits)
        self.catalog_changed.connect(self.content_tab.reload)
        self.tags_tab = TagsTab(context, self.edits)
        self.catalog_changed.connect(self.tags_tab.reload)
        self.schedule_tab = ScheduleTab(context, self.edits)
        self.playlog_tab = PlayLogTab(context, self._settings)
        self.playlog_tab.status_message.connect(self._show_status)
        self.reconcile_page = ReconcilePage(context, self._settings)
        self.playlog_tab.add_page(self.reconcile_page, "&Reconciliation")
        # What the rundown writes (approvals, Mark as aired and its undo) shows at once in
        # the play log and its reconciliation.
        log_edits = self.schedule_tab.rundown.log_edits
        log_edits.plays_changed.connect(lambda _channel: self.playlog_tab.refresh())
        log_edits.plays_changed.connect(lambda _channel: self.reconcile_page.refresh())
        log_edits.log_changed.connect(lambda _channel: self.reconcile_page.refresh())
        self.schedule_tab.channels.channels_changed.connect(self.reconcile_page.reload_channels)
        for index, (tab, label) in enumerate(
            (
                (self.libraries_tab, "&Libraries"),
                (self.content_tab, "&Content"),
                (self.tags_tab, "&Tags"),
                (self.schedule_tab, "&Schedule"),
                (self.playlog_tab, "&Play Log"),
            )
        ):
            self.tabs.addTab(tab, label)
            self._add_tab_shortcut(index)
        for index, name in enumerate(TAB_ICONS):
            self.tabs.setTabIcon(index, icon(name))
        self.welcome = WelcomePage()
        self.welcome.connect_plex.connect(self.connect_plex)
        self.welcome.add_folder.connect(self.add_folder)
        self.welcome.open_demo.connect(self.demo_requested)
        self.welcome.skip.connect(self.show_tabs)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.tabs)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        if demo:
            column.addWidget(self._demo_banner())
        column.addWidget(self.pages)
        self.setCentralWidget(central)
        with context.sessions() as session:
            first_run = station_is_empty(session)
        self.pages.setCurrentWidget(self.welcome if first_run else self.tabs)

        self.export_dialog: ExportDialog | None = None
        self.as_run_dialog: AsRunImportDialog | None = None
        self.archives_dialog: ArchivesDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self._moved_to: str | None = None
        self.rotation_job: Job | None = None
        self._build_menus()
        self._rotate_if_due()
        self.database_label = QLabel(f"Database: {self.database_location}")
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.database_label)
        self.statusBar().showMessage("Ready", 5000)
        self._restore_state()

    def _add_tab_shortcut(self, index: int) -> None:
        """Ctrl+1…Ctrl+5 switch tabs, as in most tabbed desktop programs."""
        action = QAction(self)
        action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
        action.triggered.connect(lambda: self.show_tabs(index))
        self.addAction(action)

    def _demo_banner(self) -> QFrame:
        """The strip that says this is the demo, with the one click that leaves it."""
        banner = QFrame()
        banner.setObjectName("demoBanner")
        banner.setFrameShape(QFrame.Shape.StyledPanel)
        set_banner(banner, "#demoBanner")
        row = QHBoxLayout(banner)
        row.setContentsMargins(12, 6, 8, 6)
        self.demo_label = QLabel(DEMO_BANNER)
        self.demo_label.setWordWrap(True)
        row.addWidget(self.demo_label, 1)
        self.leave_demo_button = QPushButton("&Leave demo")
        self.leave_demo_button.setToolTip("Close the demo and go back to your own station")
        self.leave_demo_button.clicked.connect(self.leave_demo_requested)
        row.addWidget(self.leave_demo_button)
        return banner

    def welcome_shown(self) -> bool:
        return self.pages.currentWidget() is self.welcome

    def show_tabs(self, index: int | None = None) -> None:
        """Leave the welcome page for the tabs (at tab `index` when given)."""
        self.pages.setCurrentWidget(self.tabs)
        if index is not None:
            self.tabs.setCurrentIndex(index)

    def _back_to_welcome_if_still_empty(self) -> None:
        """A first-run choice the operator cancelled leaves the station empty: show the
        welcome page again rather than empty tabs."""
        if self.libraries_tab.busy():
            return
        with self.context.sessions() as session:
            if station_is_empty(session):
                self.pages.setCurrentWidget(self.welcome)

    def connect_plex(self) -> None:
        """First run: the Add server dialog on the Libraries tab, then its first sync
        (the tab starts it once the server is saved)."""
        self.show_tabs(self.tabs.indexOf(self.libraries_tab))
        self.libraries_tab.add_server()
        self._back_to_welcome_if_still_empty()

    def add_folder(self) -> None:
        """First run: the Libraries tab's local-folder import."""
        self.show_tabs(self.tabs.indexOf(self.libraries_tab))
        self.libraries_tab.add_folder()
        self._back_to_welcome_if_still_empty()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        if self.demo:
            self.demo_action = QAction("Leave the &demo station", self)
            self.demo_action.setStatusTip("Close the demo and go back to your own station")
            self.demo_action.triggered.connect(self.leave_demo_requested)
        else:
            self.demo_action = QAction("Open the &demo station", self)
            self.demo_action.setStatusTip(
                "Look around a made-up station; your own database is not touched"
            )
            self.demo_action.triggered.connect(self.demo_requested)
        self.export_guide_action = QAction("Export &guide (XMLTV)…", self)
        self.export_guide_action.setStatusTip("Write the programme guide of every active channel")
        self.export_guide_action.triggered.connect(lambda: self.open_export(XMLTV))
        self.export_playlist_action = QAction("Export &playlist (M3U)…", self)
        self.export_playlist_action.setStatusTip("Write the playlist of every active channel")
        self.export_playlist_action.triggered.connect(lambda: self.open_export(M3U))
        self.import_as_run_action = QAction("&Import as-run…", self)
        self.import_as_run_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.import_as_run_action.setStatusTip(
            "Add a playout system's as-run log (CSV) to the play log"
        )
        self.import_as_run_action.triggered.connect(self.open_as_run_import)
        file_menu.addAction(self.import_as_run_action)
        self.archives_action = QAction("Play log &archives…", self)
        self.archives_action.setStatusTip(
            "Archived weeks of the play log: open one read-only, restore it, or rotate now"
        )
        self.archives_action.triggered.connect(self.open_archives)
        file_menu.addAction(self.archives_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_guide_action)
        file_menu.addAction(self.export_playlist_action)
        file_menu.addSeparator()
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self.edits.stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.edits.stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.settings_action = QAction("&Settings…", self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.setStatusTip(
            "Station time zone, grid, play log, Plex and file checks, and where the database is"
        )
        self.settings_action.triggered.connect(self.open_settings)
        edit_menu.addAction(self.settings_action)

        help_menu = self.menuBar().addMenu("&Help")
        self.about_action = QAction("&About RetroVue Desktop", self)
        self.about_action.triggered.connect(self.show_about)
        self.log_folder_action = QAction("Open &log folder", self)
        self.log_folder_action.setStatusTip("Show the folder of RetroVue Desktop's log files")
        self.log_folder_action.triggered.connect(lambda: self.open_log_folder())
        help_menu.addAction(self.log_folder_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        # One menu per tab, listing its commands with their shortcuts; only the current
        # tab's menu (and so its shortcuts) is live.
        self.tab_menus = install_tab_menus(self.menuBar(), self.tabs, help_menu.menuAction())

    def open_export(self, kind: str) -> ExportDialog:
        """Show the export dialog for `kind` (XMLTV or M3U), window-modal, without
        blocking; its result line goes to the status bar."""
        if self.export_dialog is not None and self.export_dialog.is_running():
            self.export_dialog.raise_()
            return self.export_dialog
        dialog = ExportDialog(self.context, kind, self._settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exported.connect(self._show_status)
        dialog.destroyed.connect(lambda: setattr(self, "export_dialog", None))
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def open_as_run_import(self) -> AsRunImportDialog:
        """Show the as-run import, window-modal, without blocking; what it adds shows in
        the Play Log tab and its summary in the status bar."""
        if self.as_run_dialog is not None and self.as_run_dialog.isVisible():
            self.as_run_dialog.raise_()
            return self.as_run_dialog
        dialog = open_as_run_import(self, self.context, self._settings)
        dialog.imported.connect(self._show_status)
        dialog.imported.connect(lambda _summary: self.playlog_tab.refresh())
        dialog.destroyed.connect(lambda: setattr(self, "as_run_dialog", None))
        self.as_run_dialog = dialog
        return dialog

    def open_settings(self) -> SettingsDialog:
        """The Settings dialog, window-modal without blocking. A moved database is shown
        at once (the window reopens on it)."""
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            return self.settings_dialog
        refusal = None
        if self.demo:
            refusal = "The demo station cannot be moved; leave the demo to move your own."
        elif self.libraries_tab.busy():
            refusal = (
                "A sync or file check is running; move the database once it has finished, "
                "so that nothing is written during the copy."
            )
        dialog = SettingsDialog(self.context, self._settings, self, move_refusal=refusal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.settings_changed.connect(self._settings_changed)
        dialog.database_moved.connect(self._database_moved)
        dialog.finished.connect(self._settings_closed)
        dialog.destroyed.connect(lambda: setattr(self, "settings_dialog", None))
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def _settings_changed(self) -> None:
        self.schedule_tab.apply_preferences()
        self.playlog_tab.refresh()
        self.reconcile_page.refresh()
        self._show_status("Settings saved.")

    def _database_moved(self, url: str) -> None:
        """The dialog says where the database went; the window reopens on it once the
        operator has read that and closed the dialog."""
        self._moved_to = url

    def _settings_closed(self, _result: int) -> None:
        url, self._moved_to = self._moved_to, None
        if url is not None:
            QTimer.singleShot(0, lambda: self.database_switch_requested.emit(url))

    def open_log_folder(self) -> object:
        """Seam: tests replace it; the window shows the log folder in the file manager."""
        return open_folder(log_dir())

    def open_archives(self) -> ArchivesDialog:
        """The play log's archived weeks, window-modal without blocking."""
        if self.archives_dialog is not None and self.archives_dialog.isVisible():
            self.archives_dialog.raise_()
            return self.archives_dialog
        dialog = ArchivesDialog(self.context, self.show_archived_week, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.message.connect(self._show_status)
        dialog.play_log_changed.connect(self.playlog_tab.refresh)
        dialog.destroyed.connect(lambda: setattr(self, "archives_dialog", None))
        self.archives_dialog = dialog
        dialog.open()
        return dialog

    def show_archived_week(self, label: str, rows: list[PlayRow]) -> None:
        self.tabs.setCurrentWidget(self.playlog_tab)
        self.playlog_tab.show_archive(label, rows)

    def _rotate_if_due(self) -> None:
        """Start-up: archive play-log weeks older than the weeks kept, at most once a
        day, on a worker (nothing is deleted before its archive is verified). Not in the
        demo: its rotation would count as the day's for the operator's own database."""
        if self.demo:
            return
        job = rotate_if_due(self.context, self)
        if job is None:
            return
        self.rotation_job = job
        job.succeeded.connect(lambda report: self._show_status(report.line()))
        job.succeeded.connect(lambda _report: self.playlog_tab.refresh())
        job.failed.connect(self._show_status)

    def about_text(self) -> str:
        return (
            f"<h3>RetroVue Desktop {__version__}</h3>"
            "<p>Station manager for a home retro TV broadcaster.</p>"
            f"<p><b>Database:</b> {self.database_location}<br>"
            f"<b>Schema revision:</b> {self.schema_revision}</p>"
            f"<p>Qt {qVersion()} · Python {platform.python_version()}</p>"
        )

    def show_about(self) -> None:
        QMessageBox.about(self, "About RetroVue Desktop", self.about_text())

    def _restore_state(self) -> None:
        geometry = self._settings.value(KEY_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(*DEFAULT_SIZE)
        state = self._settings.value(KEY_STATE)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        last_tab = self._settings.value(KEY_LAST_TAB, 0)
        try:
            index = int(str(last_tab))
        except ValueError:
            index = 0
        if 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)

    def save_state(self) -> None:
        self._settings.setValue(KEY_GEOMETRY, self.saveGeometry())
        self._settings.setValue(KEY_STATE, self.saveState())
        self._settings.setValue(KEY_LAST_TAB, self.tabs.currentIndex())
        self._settings.sync()

    def _show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)

    def _show_error(self, message: str) -> None:
        """An edit that failed after the fact (a background tagging, an undo): the
        operator must see it, not just a status line that fades."""
        self._show_status(message)
        QMessageBox.warning(self, "RetroVue Desktop", message)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.libraries_tab.confirm_close():
            event.ignore()
            return
        self.save_state()
        self.schedule_tab.save_preferences()
        self.libraries_tab.shutdown()
        self.schedule_tab.shutdown()
        self.playlog_tab.shutdown()
        self.reconcile_page.shutdown()
        if self.export_dialog is not None:
            self.export_dialog.shutdown()
        if self.as_run_dialog is not None:
            self.as_run_dialog.shutdown()
        if self.archives_dialog is not None:
            self.archives_dialog.shutdown()
        if self.settings_dialog is not None:
            self.settings_dialog.shutdown()
        if self.rotation_job is not None and self.rotation_job.is_running():
            # Weeks already archived stay so; the rest is rotated at the next start.
            self.rotation_job.cancel()
            self.rotation_job.wait()
        self.edits.wait()
        wait_for_loaders()
        wait_for_form_jobs()
        super().closeEvent(event)
