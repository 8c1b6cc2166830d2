"""Files of the selected library: counts by availability and the files with a problem."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.media.validate import ProblemFile, availability_counts, problem_files

from .context import AppContext
from .jobs import CancelFn, Job, ProgressFn

PAGE = 1000
NAMES = {
    "ok": "OK",
    "unknown": "Not checked",
    "unmapped": "Unmapped",
    "missing": "Missing",
    "unreadable": "Unreadable",
    "size_mismatch": "Size mismatch",
    "probe_mismatch": "Probe mismatch",
    "gone": "Gone from Plex",
    "demo": "Demo file",
}
PROBLEMS = ["unmapped", "missing", "unreadable", "size_mismatch", "probe_mismatch", "gone"]


class FilesPanel(QWidget):
    """Counts, a "Check files" button (the tab runs the job) and the problem list."""

    check_requested = Signal(bool)  # with probe?

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.library_id: int | None = None
        self._loader: Job | None = None
        self.counts = QLabel("Select a library.")
        self.counts.setWordWrap(True)
        self.check_button = QPushButton("Check files")
        self.check_button.setToolTip(
            "Check that every file exists, is readable and has the size Plex reported"
        )
        self.probe = QCheckBox("Also read each file (duration, codecs; slower)")
        self.check_button.clicked.connect(lambda: self.check_requested.emit(self.probe.isChecked()))
        self.filter = QComboBox()
        self.filter.addItem("All problems", None)
        for name in PROBLEMS:
            self.filter.addItem(NAMES[name], name)
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.shown = QLabel()
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["Problem", "File", "Programme"])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)

        top = QHBoxLayout()
        top.addWidget(self.check_button)
        top.addWidget(self.probe)
        top.addStretch(1)
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.shown)

    def show_library(self, library_id: int) -> None:
        self.library_id = library_id
        self.reload()

    def reload(self) -> None:
        if self.library_id is None:
            return
        library_id, sessions = self.library_id, self.context.sessions
        wanted = self.filter.currentData()

        def load(
            _progress: ProgressFn, _cancelled: CancelFn
        ) -> tuple[dict[str, int], list[ProblemFile]]:
            with sessions() as session:
                counts = availability_counts(session, library_id)
                if wanted is None:
                    rows: list[ProblemFile] = []
                    for name in PROBLEMS:
                        rows.extend(problem_files(session, library_id, name, limit=PAGE))
                        if len(rows) >= PAGE:
                            break
                    return counts, rows[:PAGE]
                return counts, problem_files(session, library_id, wanted, limit=PAGE)

        loader = Job("Loading files", load, self)
        loader.succeeded.connect(self._show)
        self._loader = loader
        loader.start()

    def _show(self, loaded: object) -> None:
        assert isinstance(loaded, tuple)
        counts, rows = loaded
        parts = [f"{NAMES.get(k, k)}: {v:,}" for k, v in counts.items() if v]
        self.counts.setText(" · ".join(parts) if parts else "No files in this library yet.")
        self.model.removeRows(0, self.model.rowCount())
        for row in rows:
            reason = NAMES.get(row.availability, row.availability)
            if row.reason:
                reason = f"{reason}: {row.reason}"
            cells = [
                QStandardItem(reason),
                QStandardItem(row.path or ""),
                QStandardItem(row.title or ""),
            ]
            cells[0].setForeground(Qt.GlobalColor.darkRed)
            for cell in cells:
                cell.setToolTip(cell.text())
            self.model.appendRow(cells)
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 340))
        self.table.resizeColumnToContents(2)
        total = sum(counts.get(name, 0) for name in PROBLEMS)
        wanted = self.filter.currentData()
        matching = counts.get(wanted, 0) if wanted else total
        more = f" (showing the first {len(rows):,})" if matching > len(rows) else ""
        noun = "file" if matching == 1 else "files"
        self.shown.setText(
            f"{matching:,} {noun} with a problem{more}." if matching else "No problems found."
        )

    def shutdown(self) -> None:
        if self._loader is not None:
            self._loader.wait(10_000)
