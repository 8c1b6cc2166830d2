"""Path mappings of the selected Plex library: Plex's prefix → where the files are here.

Anything that touches the disk (checking a folder, testing a path) runs as a Job: a
dead network mount must not freeze the window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from retrovue_desktop.media.pathmap import (
    PathTest,
    StoredMapping,
    add_mapping,
    mapping_rows,
    remove_mapping,
    test_path,
)

from .context import AppContext
from .jobs import CancelFn, Job, ProgressFn
from .style import ERROR, SUCCESS, set_tone


class MappingsPanel(QWidget):
    """Table of the library's mappings, a form to add one, and a path tester."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.library_id: int | None = None
        self._jobs: list[Job] = []

        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Plex path prefix", "Local folder"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)

        self.plex_prefix = QComboBox()
        self.plex_prefix.setEditable(True)
        self.plex_prefix.setMinimumWidth(260)
        self.plex_prefix.setToolTip("A folder as Plex sees it; the library's folders are listed")
        self.local_prefix = QLineEdit()
        self.local_prefix.setPlaceholderText("the same folder on this computer, e.g. /mnt/media/tv")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.add_button = QPushButton("Add mapping")
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton("Remove mapping")
        self.remove_button.clicked.connect(self.remove)
        self.message = QLabel()
        self.message.setWordWrap(True)

        self.test_input = QLineEdit()
        self.test_input.setPlaceholderText("paste a file path as Plex shows it, then Enter")
        self.test_input.returnPressed.connect(self.test)
        test_button = QPushButton("Test path")
        test_button.clicked.connect(self.test)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        grid = QGridLayout(self)
        grid.addWidget(self.table, 0, 0, 1, 4)
        grid.addWidget(QLabel("Plex prefix:"), 1, 0)
        grid.addWidget(self.plex_prefix, 1, 1, 1, 3)
        grid.addWidget(QLabel("Local folder:"), 2, 0)
        grid.addWidget(self.local_prefix, 2, 1)
        grid.addWidget(browse, 2, 2)
        grid.addWidget(self.add_button, 2, 3)
        grid.addWidget(self.message, 3, 0, 1, 3)
        grid.addWidget(self.remove_button, 3, 3)
        grid.addWidget(QLabel("Test a path:"), 4, 0)
        grid.addWidget(self.test_input, 4, 1, 1, 2)
        grid.addWidget(test_button, 4, 3)
        grid.addWidget(self.test_result, 5, 0, 1, 4)
        grid.setColumnStretch(1, 1)

    def show_library(self, library_id: int, locations: list[str]) -> None:
        self.library_id = library_id
        self.plex_prefix.clear()
        self.plex_prefix.addItems(locations)
        self.message.clear()
        self.test_result.clear()
        self.reload()

    def reload(self) -> None:
        if self.library_id is None:
            return
        with self.context.sessions() as session:
            rows = mapping_rows(session, self.library_id)
        self.table.setRowCount(len(rows))
        for n, row in enumerate(rows):
            plex = QTableWidgetItem(row.plex_prefix)
            plex.setData(Qt.ItemDataRole.UserRole, row.id)
            self.table.setItem(n, 0, plex)
            self.table.setItem(n, 1, QTableWidgetItem(row.local_prefix))
        self.remove_button.setEnabled(bool(rows))

    def mappings(self) -> list[StoredMapping]:
        if self.library_id is None:
            return []
        with self.context.sessions() as session:
            return mapping_rows(session, self.library_id)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Where are these files on this computer?")
        if folder:
            self.local_prefix.setText(folder)

    def _run(self, name: str, work: Callable[[], Any], done: Callable[[Any], None]) -> Job:
        def job_fn(_progress: ProgressFn, _cancelled: CancelFn) -> Any:
            return work()

        job = Job(name, job_fn, self)
        job.succeeded.connect(done)
        job.failed.connect(self._error)
        job.finished.connect(lambda: self._jobs.remove(job))
        self._jobs.append(job)
        job.start()
        return job

    def _error(self, message: str) -> None:
        set_tone(self.message, ERROR)
        self.message.setText(message)

    def add(self) -> Job | None:
        if self.library_id is None:
            return None
        library_id, sessions = self.library_id, self.context.sessions
        plex, local = self.plex_prefix.currentText(), self.local_prefix.text()

        def work() -> int:
            with sessions() as session, session.begin():
                return add_mapping(session, library_id, plex, local)

        def done(_id: object) -> None:
            set_tone(self.message, None)
            self.message.setText("Mapping added. Check the library's files to see what it finds.")
            self.local_prefix.clear()
            self.reload()

        set_tone(self.message, None)
        self.message.setText("Checking the folder…")
        return self._run("Adding a path mapping", work, done)

    def remove(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self._error("Select the mapping to remove.")
            return
        cell = self.table.item(rows[0].row(), 0)
        if cell is None:
            return
        mapping_id = cell.data(Qt.ItemDataRole.UserRole)
        with self.context.sessions() as session, session.begin():
            remove_mapping(session, int(mapping_id))
        set_tone(self.message, None)
        self.message.setText("Mapping removed.")
        self.reload()

    def test(self) -> Job | None:
        if self.library_id is None or not self.test_input.text().strip():
            return None
        library_id, sessions, path = self.library_id, self.context.sessions, self.test_input.text()

        def work() -> PathTest:
            with sessions() as session:
                return test_path(session, library_id, path)

        def done(result: object) -> None:
            assert isinstance(result, PathTest)
            if result.local_path is None:
                set_tone(self.test_result, ERROR)
                self.test_result.setText(result.reason or "No mapping covers this path.")
            elif result.exists:
                set_tone(self.test_result, SUCCESS)
                self.test_result.setText(f"→ {result.local_path}  (found)")
            else:
                set_tone(self.test_result, ERROR)
                why = result.reason or "nothing is there"
                self.test_result.setText(f"→ {result.local_path}  ({why})")

        set_tone(self.test_result, None)
        self.test_result.setText("Looking…")
        return self._run("Testing a path", work, done)

    def shutdown(self) -> None:
        for job in list(self._jobs):
            job.wait(10_000)
