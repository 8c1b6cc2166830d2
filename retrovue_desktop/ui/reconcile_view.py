"""Reconciliation of a channel's day: the plan beside what aired, colour-coded by outcome,
with the counts and an export to CSV.

The day is read on a worker (`reconcile.reconcile` in its own session, through
LatestOnly): a slow server never freezes the window, and an answer to an older request
(another channel or day) is dropped. The lines shown stay until the new ones arrive.
The view is standalone: give it a sessionmaker, then `show_day`; the export's file
dialog is a seam (`choose_export_path`) so tests never open a modal dialog.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.scheduling import clock
from retrovue_desktop.scheduling import reconcile as rc
from retrovue_desktop.scheduling.reconcile import Line, Reconciliation
from retrovue_desktop.words import duration

from .constraint_forms import LatestOnly
from .list_model import Index, ListTableModel
from .log_edits import day_words
from .rundown_model import KIND_WORDS
from .style import AS_PLANNED, EARLY, ERROR, LATE, UNPLANNED, muted, plain_label, say, tone

log = logging.getLogger(__name__)

COLUMNS = ("Planned", "Planned item", "Aired", "Aired item", "Difference", "Outcome")
PLANNED_AT, PLANNED_TITLE, AIRED_AT, AIRED_TITLE, DIFFERENCE, OUTCOME = range(len(COLUMNS))
LINE_ROLE = Qt.ItemDataRole.UserRole + 1

# Each outcome's meaning in style.py: distinct by hue, readable on light and dark rows.
OUTCOME_TONES = {
    rc.AS_PLANNED: AS_PLANNED,
    rc.LATE: LATE,
    rc.EARLY: EARLY,
    rc.NOT_AIRED: ERROR,
    rc.UNPLANNED: UNPLANNED,
}


def outcome_colour(outcome: str) -> QColor:
    """The colour of `outcome` for the current light or dark scheme."""
    return tone(OUTCOME_TONES[outcome])


OUTCOME_WORDS = {outcome: outcome.capitalize() for outcome in rc.OUTCOMES}
READ_FAILED = "The reconciliation could not be read; see the log."

# Where to save the export, given a suggested file name; None: the operator canceled.
ExportPathFn = Callable[[str], "Path | None"]


def difference_text(seconds: int | None) -> str:
    """Signed, e.g. "+1 min 5 s", "0 s", a minus sign when early; nothing without a pair."""
    if seconds is None:
        return ""
    if seconds == 0:
        return "0 s"
    sign = "+" if seconds > 0 else "\N{MINUS SIGN}"
    return f"{sign}{duration(abs(seconds))}"


class ReconcileModel(ListTableModel[Line]):
    """The lines of one reconciliation, read-only, in time order."""

    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._tz: ZoneInfo = ZoneInfo("UTC")

    def set_lines(self, lines: Sequence[Line], tz: ZoneInfo) -> None:
        self._tz = tz  # read by data(): set before the reset the view answers
        self._replace(lines)

    def lines(self) -> list[Line]:
        return list(self._items)

    def _time(self, instant: int | None) -> str:
        return "" if instant is None else clock.local_parts(instant, self._tz)[1]

    def _text(self, line: Line, column: int) -> str:
        p, a = line.planned, line.aired
        if column == PLANNED_AT:
            return self._time(p.starts_at) if p else ""
        if column == PLANNED_TITLE:
            return p.title if p else "\N{EM DASH}"
        if column == AIRED_AT:
            return self._time(a.starts_at) if a else ""
        if column == AIRED_TITLE:
            return a.title if a else "\N{EM DASH}"
        if column == DIFFERENCE:
            return difference_text(line.difference)
        return OUTCOME_WORDS[line.outcome]

    def _tooltip(self, line: Line) -> str:
        parts = []
        if line.planned:
            p = line.planned
            kind = KIND_WORDS.get(p.kind, p.kind)
            parts.append(
                f"Planned: {p.title} ({kind}), {self._time(p.starts_at)}"
                f"\N{EN DASH}{self._time(p.ends_at)}, {p.status}"
            )
        if line.aired:
            a = line.aired
            kind = KIND_WORDS.get(a.kind, a.kind)
            end = f"\N{EN DASH}{self._time(a.ends_at)}" if a.ends_at is not None else ""
            parts.append(f"Aired: {a.title} ({kind}), {self._time(a.starts_at)}{end}")
            if a.notes:
                parts.append(f"Note: {a.notes}")
        return "\n".join(parts)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self._item_at(index.row()) if index.isValid() else None
        if line is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.ForegroundRole and column in (DIFFERENCE, OUTCOME):
            return outcome_colour(line.outcome)
        if role == Qt.ItemDataRole.DecorationRole and column == OUTCOME:
            return outcome_colour(line.outcome)
        if role == Qt.ItemDataRole.FontRole and column == OUTCOME and line.outcome != rc.AS_PLANNED:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == DIFFERENCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[column]}: {self._text(line, column)}"
        if role == LINE_ROLE:
            return line
        return None


def counts_html(reconciliation: Reconciliation) -> str:
    """ "3 aired as planned · 1 started late · …", each count in its outcome's colour."""
    parts = []
    for outcome, number in reconciliation.counts.items():
        colour = outcome_colour(outcome).name() if number else None
        figure = f"<b>{number:,}</b>"
        if colour:
            figure = f"<span style='color: {colour};'>{figure}</span>"
        parts.append(f"{figure} {outcome}")
    return " \N{MIDDLE DOT} ".join(parts)


class ReconcileView(QWidget):
    """Call `show_day`; the view reads the day on a worker and shows it."""

    refreshed = Signal()  # the day asked for is read and shown

    def __init__(
        self,
        sessions: sessionmaker[Session],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.sessions = sessions
        self.channel_id: int | None = None
        self.channel_label = ""
        self.day: date | None = None
        self.tz: ZoneInfo = ZoneInfo("UTC")
        self.tolerance = rc.DEFAULT_TOLERANCE_SECONDS
        self.reconciliation: Reconciliation | None = None
        self.choose_export_path: ExportPathFn = self._ask_export_path
        self._reader = LatestOnly("Reading the reconciliation", self)
        self._reader.answered.connect(self._arrived)
        self._reader.failed.connect(self._read_failed)

        self.title = plain_label()
        self.title.setStyleSheet("font-weight: 600;")
        self.reading_label = plain_label()
        muted(self.reading_label)
        self.export_button = QPushButton("Export\N{HORIZONTAL ELLIPSIS}")
        self.export_button.setToolTip("Save these lines as a CSV file")
        self.export_button.clicked.connect(self.export)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.reading_label)
        top.addWidget(self.export_button)

        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.counts.setAccessibleName("Counts per outcome")
        self.tolerance_label = plain_label()
        muted(self.tolerance_label)
        counts_line = QHBoxLayout()
        counts_line.addWidget(self.counts, 1)
        counts_line.addWidget(self.tolerance_label)

        self.model = ReconcileModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setAccessibleName("Plan beside what aired")
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column in range(len(COLUMNS)):
            stretch = column in (PLANNED_TITLE, AIRED_TITLE)
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch
                if stretch
                else QHeaderView.ResizeMode.ResizeToContents,
            )
        self.empty = plain_label()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        muted(self.empty)
        self.notice = plain_label()
        self.notice.setWordWrap(True)
        self.notice.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(counts_line)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.notice)
        self._show(None)

    # -- reading ---------------------------------------------------------------------------

    def show_day(
        self, channel_id: int, channel_label: str, day: date, tz: ZoneInfo, tolerance: int
    ) -> None:
        """Read and show the channel's local `day` with late/early beyond `tolerance`
        seconds."""
        self.channel_id, self.channel_label = channel_id, channel_label
        self.day, self.tz, self.tolerance = day, tz, max(0, tolerance)
        self.title.setText(f"{channel_label} \N{MIDDLE DOT} {day_words(day)}")
        self.refresh()

    def refresh(self) -> None:
        """Read the day shown again (the play log or the plan changed)."""
        if self.channel_id is None or self.day is None:
            return
        sessions, channel_id, day, tz = self.sessions, self.channel_id, self.day, self.tz
        tolerance = self.tolerance

        def read() -> Reconciliation | None:
            try:
                with sessions() as session:
                    return rc.reconcile(session, channel_id, day, tz, tolerance)
            except OperatorError:
                raise  # its sentence is shown
            except Exception:
                log.exception("reading the reconciliation failed")
                return None

        self.reading_label.setText("Reading\N{HORIZONTAL ELLIPSIS}")
        self.export_button.setEnabled(False)  # the lines shown are not the day asked for
        self._reader.run(read)

    def reading(self) -> bool:
        return self._reader.pending()

    def _arrived(self, answer: object) -> None:
        assert answer is None or isinstance(answer, Reconciliation)
        self.notice.hide()
        if answer is None:
            self._say(READ_FAILED, error=True)
        self._show(answer)
        self.refreshed.emit()

    def _read_failed(self, sentence: str) -> None:
        self._say(sentence or READ_FAILED, error=True)
        self._show(None)
        self.refreshed.emit()

    def _show(self, reconciliation: Reconciliation | None) -> None:
        self.reading_label.clear()
        self.reconciliation = reconciliation
        lines = reconciliation.lines if reconciliation else ()
        self.model.set_lines(lines, self.tz)
        if reconciliation is None:
            self.counts.clear()
            self.tolerance_label.clear()
        else:
            self.counts.setText(counts_html(reconciliation))
            self.tolerance_label.setText(
                f"Late or early: more than {duration(reconciliation.tolerance_seconds)}"
            )
        if lines:
            self.empty.hide()
            self.table.show()
        else:
            self.table.hide()
            if self.day is None:
                text = "Choose a channel and a day to compare its plan with what aired."
            elif reconciliation is None:
                text = "The reconciliation could not be read."
            else:
                text = f"Nothing was planned or aired on {day_words(self.day)}."
            self.empty.setText(text)
            self.empty.show()
        self.export_button.setEnabled(bool(lines))

    # -- export ----------------------------------------------------------------------------

    def suggested_name(self) -> str:
        label = "".join(c if c.isalnum() else "-" for c in self.channel_label).strip("-")
        day = self.day.isoformat() if self.day else "day"
        return f"reconciliation-{label or 'channel'}-{day}.csv"

    def export(self) -> Path | None:
        """Save the lines shown as CSV where the operator chooses; the file written."""
        shown = self.reconciliation
        if shown is None or not shown.lines:
            return None
        path = self.choose_export_path(self.suggested_name())
        if path is None:
            return None
        try:
            with path.open("w", newline="", encoding="utf-8") as out:
                written = rc.to_csv(shown, out)
        except OSError as error:
            log.warning("exporting the reconciliation to %s failed: %s", path, error)
            self._say(
                f"Could not write {path}: {error.strerror or error}. Choose another place.",
                error=True,
            )
            return None
        self._say(f"Exported {written:,} lines to {path}.")
        return path

    def _ask_export_path(self, suggested: str) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Export the reconciliation", str(Path.home() / suggested), "CSV files (*.csv)"
        )
        return Path(chosen) if chosen else None

    def _say(self, text: str, error: bool = False) -> None:
        say(self.notice, text, error)

    def shutdown(self, msecs: int = 30_000) -> None:
        """Wait for a running read (the window is closing)."""
        self._reader.wait(msecs)
