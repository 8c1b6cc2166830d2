"""The Libraries tab: Plex servers and local folders, one-click resync, path mappings and
file checks. Every long step runs as a Job on its own thread; the tab stays usable."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import delete, select, update

from retrovue_desktop.media.errors import MediaError
from retrovue_desktop.media.localfolder import (
    FOLDER_KINDS,
    add_folder_library,
    scan_folder_library,
)
from retrovue_desktop.media.validate import ValidationResult, validate_library
from retrovue_desktop.plex.servers import ServerSummary, list_servers
from retrovue_desktop.plex.sync import SyncOptions, sync_server
from retrovue_desktop.store.models import Library, PlexServer
from retrovue_desktop.store.overview import (
    LibraryRow,
    SourceRow,
    library_overview,
    removal_impact,
)

from . import settings
from .commands import MenuEntries
from .context import AppContext
from .files_panel import FilesPanel
from .job_bar import JobBar
from .jobs import CancelFn, Job, ProgressFn
from .libraries_model import ROLE_ID, ROLE_KIND, ROLE_ROW, build_model
from .mappings_panel import MappingsPanel
from .server_dialog import ServerDialog

log = logging.getLogger(__name__)


class LibrariesTab(QWidget):
    """Sources → libraries tree, actions, and the panels for the selected library."""

    TITLE = "Libraries"
    catalog_changed = Signal()
    status_message = Signal(str)
    # Emitted after the tree has been (re)loaded; tests and other tabs wait on it.
    refreshed = Signal()
    job_finished = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.sync_options = SyncOptions()
        self.job: Job | None = None
        self._loader: Job | None = None
        self._sources: list[SourceRow] = []
        self._selected_key: tuple[str, int | None] | None = None

        self.toolbar = QToolBar("Libraries")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_server_action = self._action(
            "Add Plex server…",
            "Ctrl+N",
            self.add_server,
            "Connect a Plex server and choose its libraries",
        )
        self.add_folder_action = self._action(
            "Add folder…",
            "Ctrl+Shift+N",
            self.add_folder,
            "Bring in a folder of ads, bumpers or promos",
        )
        self.edit_action = self._action(
            "Edit…", "F2", self.edit_selected, "Edit the selected server or library"
        )
        self.remove_action = self._action(
            "Remove…", "Del", self.remove_selected, "Remove the selected server, library or folder"
        )
        self.toolbar.addSeparator()
        self.resync_action = self._action(
            "Resync", "Ctrl+R", self.resync_selected, "Read the selected server or library again"
        )
        self.resync_all_action = self._action(
            "Resync all", "Ctrl+Shift+R", self.resync_all, "Read every server and library again"
        )
        self.toolbar.addSeparator()
        self.check_action = self._action(
            "Check files",
            "Ctrl+K",
            self.check_selected,
            "Check that the selection's media files are there",
        )

        self.model = QStandardItemModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setUniformRowHeights(True)
        self.tree.doubleClicked.connect(lambda _index: self.edit_selected())
        # Once: the selection model outlives every reload of the tree's model.
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._on_selection())
        self.empty_hint = QLabel(
            "No libraries yet. Add a Plex server (Ctrl+N) to bring in your programmes, or a"
            " folder of ads, bumpers or promos (Ctrl+Shift+N)."
        )
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)

        self.details = QTabWidget()
        self.details.setDocumentMode(True)
        self.files_panel = FilesPanel(context)
        self.files_panel.check_requested.connect(self.check_files)
        self.mappings_panel = MappingsPanel(context)
        self.details.addTab(self.files_panel, "Files")
        self.details.addTab(self.mappings_panel, "Path mappings")
        self.details.setEnabled(False)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree)
        left_layout.addWidget(self.empty_hint)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(left)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.job_bar = JobBar()

        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.job_bar)
        self._update_actions()
        self.refresh()

    # -- building blocks ----------------------------------------------------------------

    def _action(self, text: str, shortcut: str, slot: Callable[[], None], tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{text.rstrip('…')} ({QKeySequence(shortcut).toString()})")
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    menu_title = "Li&braries"

    def menu_actions(self) -> MenuEntries:
        """The tab's commands for its menu in the menu bar (None: a separator)."""
        return [
            self.add_server_action,
            self.add_folder_action,
            None,
            self.edit_action,
            self.remove_action,
            None,
            self.resync_action,
            self.resync_all_action,
            None,
            self.check_action,
        ]

    def selected(self) -> tuple[str, int | None, Any] | None:
        """(kind, id, row) of the selected tree row, or None."""
        indexes = self.tree.selectionModel().selectedRows() if self.tree.selectionModel() else []
        if not indexes:
            return None
        index = indexes[0]
        return index.data(ROLE_KIND), index.data(ROLE_ID), index.data(ROLE_ROW)

    def server_of(self, library_id: int) -> SourceRow | None:
        for source in self._sources:
            if any(lib.id == library_id for lib in source.libraries):
                return source
        return None

    def busy(self) -> bool:
        return self.job is not None and self.job.is_running()

    def _update_actions(self) -> None:
        choice = self.selected()
        busy = self.busy()
        kind = choice[0] if choice else None
        row = choice[2] if choice else None
        self.edit_action.setEnabled(not busy and kind in ("server", "library"))
        self.remove_action.setEnabled(
            not busy
            and (
                kind == "server"
                or (kind == "library" and isinstance(row, LibraryRow) and row.source == "local")
            )
        )
        syncable = kind == "server" or (isinstance(row, LibraryRow) and row.supported)
        self.resync_action.setEnabled(not busy and syncable and kind != "local")
        self.resync_all_action.setEnabled(not busy and bool(self._sources))
        self.add_server_action.setEnabled(not busy)
        self.add_folder_action.setEnabled(not busy)
        checkable = isinstance(row, LibraryRow) and row.supported
        self.check_action.setEnabled(not busy and checkable)
        self.files_panel.check_button.setEnabled(not busy and checkable)

    # -- loading --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the tree in a job (counting items runs in SQL, off the UI thread)."""
        sessions = self.context.sessions

        def load(_progress: ProgressFn, _cancelled: CancelFn) -> list[SourceRow]:
            with sessions() as session:
                return library_overview(session)

        loader = Job("Loading libraries", load, self)
        loader.succeeded.connect(self._show_sources)
        loader.failed.connect(lambda message: self.job_bar.show_result(message, error=True))
        self._loader = loader
        loader.start()

    def _show_sources(self, sources: object) -> None:
        assert isinstance(sources, list)
        keep = self.selected()
        self._sources = sources
        build_model(self.model, sources)
        self.tree.expandAll()
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for column in range(1, 5):
            self.tree.resizeColumnToContents(column)
        self.empty_hint.setVisible(not sources)
        self.tree.setVisible(bool(sources))
        if keep is not None:
            self._reselect(keep[0], keep[1])
        self._update_actions()
        self.refreshed.emit()

    def _reselect(self, kind: str, ident: int | None) -> None:
        def walk(parent: QModelIndex) -> QModelIndex | None:
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                if index.data(ROLE_KIND) == kind and index.data(ROLE_ID) == ident:
                    return index
                found = walk(index)
                if found is not None:
                    return found
            return None

        index = walk(QModelIndex())
        if index is not None:
            self.tree.setCurrentIndex(index)

    def _on_selection(self) -> None:
        self._update_actions()
        self.selection_changed()

    def selection_changed(self) -> None:
        """Show the selected library's files and, for a Plex library, its mappings."""
        choice = self.selected()
        row = choice[2] if choice else None
        if not isinstance(row, LibraryRow) or not row.supported:
            self.details.setEnabled(False)
            return
        self.details.setEnabled(True)
        self.files_panel.show_library(row.id)
        plex = row.source == "plex"
        self.details.setTabEnabled(1, plex)
        self.details.setTabToolTip(
            1, "" if plex else "A folder library's files are already on this computer."
        )
        if plex:
            self.mappings_panel.show_library(row.id, row.locations)

    def select_library(self, title: str) -> bool:
        for source in self._sources:
            for lib in source.libraries:
                if lib.title == title:
                    self._reselect("library", lib.id)
                    return True
        return False

    # -- jobs -----------------------------------------------------------------------------

    def run_job(
        self,
        name: str,
        work: Callable[[ProgressFn, CancelFn], Any],
        on_success: Callable[[Any], None],
        changes_catalog: bool = True,
    ) -> Job | None:
        """Start `work` as the tab's one running job, with the progress bar and Cancel."""
        if self.busy():
            self.status_message.emit("Another job is still running: wait for it or cancel it.")
            return None
        job = Job(name, work, self)
        self.job = job
        job.succeeded.connect(on_success)
        job.failed.connect(lambda message: self.job_bar.show_result(message, error=True))
        job.canceled.connect(
            lambda: self.job_bar.show_result(f"{name} canceled; what was done so far is kept.")
        )

        def finished() -> None:
            self._update_actions()
            self.refresh()
            self.files_panel.reload()
            if changes_catalog:
                self.catalog_changed.emit()
            self.job_finished.emit()

        job.finished.connect(finished)
        self.job_bar.follow(job, f"{name}…")
        job.start()
        self._update_actions()
        return job

    def cancel_job(self) -> None:
        if self.busy() and self.job is not None:
            self.job.cancel()

    # -- Plex servers ---------------------------------------------------------------------

    def add_server(self) -> None:
        dialog = ServerDialog(self.context, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self.status_message.emit(f"Saved Plex server '{dialog.saved.name}'; syncing it now.")
            self.sync_servers([(dialog.saved.id, None)])

    def _server_summary(self, server_id: int) -> ServerSummary | None:
        for server in list_servers(self.context.sessions):
            if server.id == server_id:
                return server
        return None

    def edit_selected(self) -> None:
        choice = self.selected()
        if choice is None or self.busy():
            return
        kind, ident, row = choice
        if kind == "library" and isinstance(row, LibraryRow) and row.source == "local":
            self.rename_folder_library(row)
            return
        if kind == "library":
            source = self.server_of(int(ident or 0))
            if source is None or source.server_id is None:
                return
            ident = source.server_id
        elif kind != "server" or ident is None:
            return
        summary = self._server_summary(int(ident))
        if summary is None:
            return
        dialog = ServerDialog(self.context, summary, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self.status_message.emit(f"Saved Plex server '{dialog.saved.name}'.")
            self.refresh()

    def remove_selected(self) -> None:
        choice = self.selected()
        if choice is None or self.busy():
            return
        kind, ident, row = choice
        sessions = self.context.sessions
        with sessions() as session:
            if kind == "server":
                impact = removal_impact(session, server_id=ident)
                what = f"the Plex server '{row.name}'"
            elif kind == "library" and isinstance(row, LibraryRow) and row.source == "local":
                impact = removal_impact(session, library_id=ident)
                what = f"the folder library '{row.title}'"
            else:
                return
        text = (
            f"Remove {what}?\n\nThis removes {impact.libraries} "
            f"librar{'y' if impact.libraries == 1 else 'ies'}, {impact.items:,} content items"
            f" with their tags, title overrides and markers, {impact.files:,} media files and"
            f" {impact.mappings} path mappings from RetroVue. Programme-log entries and the"
            " play log keep their times but lose the link to these items.\n\nYour media"
            " files and Plex itself are not touched."
        )
        answer = QMessageBox.question(
            self,
            "Remove",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        tokens = self.context.tokens

        def work(_progress: ProgressFn, _cancelled: CancelFn) -> str:
            with sessions() as session, session.begin():
                if kind == "server":
                    server = session.get(PlexServer, ident)
                    machine = server.machine_identifier if server else None
                    session.execute(delete(PlexServer).where(PlexServer.id == ident))
                else:
                    machine = None
                    session.execute(delete(Library).where(Library.id == ident))
            if machine:
                tokens.delete(machine)
            return f"Removed {what}."

        self.run_job("Removing", work, lambda message: self.job_bar.show_result(str(message)))

    # -- sync -----------------------------------------------------------------------------

    def resync_selected(self) -> None:
        choice = self.selected()
        if choice is None:
            return
        kind, ident, row = choice
        if kind == "server" and ident is not None:
            self.sync_servers([(int(ident), None)])
        elif kind == "library" and isinstance(row, LibraryRow):
            if row.source == "local":
                self.scan_folders([row.id])
                return
            source = self.server_of(row.id)
            if source is not None and source.server_id is not None:
                self.sync_servers([(source.server_id, [row.title])])

    def resync_all(self) -> None:
        """Every Plex server, then every folder library, in one job."""
        targets: list[tuple[int, list[str] | None]] = [
            (s.server_id, None) for s in self._sources if s.server_id is not None
        ]
        folders = [lib.id for s in self._sources if s.server_id is None for lib in s.libraries]
        self.sync_servers(targets, folders)

    def sync_servers(
        self, targets: list[tuple[int, list[str] | None]], folders: list[int] | None = None
    ) -> Job | None:
        sessions, tokens = self.context.sessions, self.context.tokens
        # The operator's timeout and concurrency (Settings), read at each sync.
        configured = settings.sync_options()
        options = replace(
            self.sync_options, timeout=configured.timeout, concurrency=configured.concurrency
        )
        folder_ids = list(folders or [])

        def work(progress: ProgressFn, cancelled: CancelFn) -> list[str]:
            lines: list[str] = []
            for server_id, titles in targets:
                result = sync_server(
                    sessions, server_id, tokens, options, progress, cancelled, titles
                )
                lines.extend(lib.line() for lib in result.libraries if lib.status != "unsupported")
            for library_id in folder_ids:
                scanned = scan_folder_library(
                    sessions, library_id, progress=progress, cancelled=cancelled
                )
                lines.append(scanned.line())
            return lines

        return self.run_job("Syncing", work, self._synced)

    def scan_folders(self, library_ids: list[int]) -> Job | None:
        return self.sync_servers([], library_ids)

    def _synced(self, lines: object) -> None:
        assert isinstance(lines, list)
        text = "; ".join(str(line) for line in lines) or "Nothing to sync."
        self.job_bar.show_result(text)
        self.status_message.emit("Sync finished.")

    # -- folders and files ----------------------------------------------------------------

    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a folder of ads, bumpers or promos")
        if not folder:
            return
        kinds = [k.capitalize() for k in FOLDER_KINDS]
        kind, ok = QInputDialog.getItem(
            self, "What is in this folder?", f"The files in {folder} are:", kinds, 0, False
        )
        if ok:
            self.add_folder_library(folder, kind.lower())

    def add_folder_library(self, folder: str, kind: str) -> Job | None:
        sessions = self.context.sessions

        def work(progress: ProgressFn, cancelled: CancelFn) -> list[str]:
            with sessions() as session, session.begin():
                library_id = add_folder_library(session, folder, kind)
            return [
                scan_folder_library(
                    sessions, library_id, progress=progress, cancelled=cancelled
                ).line()
            ]

        return self.run_job("Adding a folder", work, self._synced)

    def rename_folder_library(self, row: LibraryRow) -> None:
        title, ok = QInputDialog.getText(
            self, "Rename folder library", f"New name for '{row.title}':", text=row.title
        )
        if ok and title.strip() and title.strip() != row.title:
            self.rename_library(row.id, title.strip())

    def rename_library(self, library_id: int, title: str) -> Job | None:
        sessions = self.context.sessions

        def work(_progress: ProgressFn, _cancelled: CancelFn) -> str:
            with sessions() as session, session.begin():
                taken = session.scalar(
                    select(Library.id).where(Library.title == title, Library.id != library_id)
                )
                if taken is not None:
                    raise MediaError(
                        f"Another library is already called '{title}': choose another name.",
                        "title taken",
                    )
                session.execute(update(Library).where(Library.id == library_id).values(title=title))
            return f"Renamed to '{title}'."

        return self.run_job(
            "Renaming", work, lambda message: self.job_bar.show_result(str(message))
        )

    def check_selected(self) -> None:
        self.check_files(self.files_panel.probe.isChecked())

    def check_files(self, probe: bool) -> Job | None:
        choice = self.selected()
        row = choice[2] if choice else None
        if not isinstance(row, LibraryRow):
            return None
        sessions, library_id = self.context.sessions, row.id
        configured = settings.validation_options()

        def work(progress: ProgressFn, cancelled: CancelFn) -> ValidationResult:
            return validate_library(
                sessions,
                library_id,
                probe=probe,
                progress=progress,
                cancelled=cancelled,
                workers=configured.workers,
                stat_timeout_s=configured.stat_timeout_s,
            )

        def done(result: object) -> None:
            assert isinstance(result, ValidationResult)
            self.job_bar.show_result(result.line())

        return self.run_job("Checking files", work, done)

    # -- window lifecycle -----------------------------------------------------------------

    def confirm_close(self) -> bool:
        """Ask before closing with a job running; cancel it if the operator agrees."""
        if not self.busy():
            return True
        answer = QMessageBox.question(
            self,
            "A job is running",
            "A job is still running. Cancel it and close? What is done so far is kept.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def shutdown(self) -> None:
        """Cancel and wait for running jobs, so no thread outlives the window."""
        for job in (self.job, self._loader):
            if job is not None and job.is_running():
                job.cancel()
                job.wait(120_000)
        self.files_panel.shutdown()
        self.mappings_panel.shutdown()
