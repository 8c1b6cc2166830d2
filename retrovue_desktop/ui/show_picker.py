"""The series form: which shows a `series` block plays, and where a new run starts."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling.constraints import Constraints, EpisodeRef, SeriesConstraints
from retrovue_desktop.store.tables import CI, SHOW

from .constraint_forms import ConstraintsForm, hint_label

MAX_NUMBER = 9_999


@dataclass(frozen=True)
class ShowChoice:
    id: int
    title: str
    episodes: int  # not gone from the source


def show_choices(session: Session) -> list[ShowChoice]:
    """Every show by title with its episode count: one pass over the
    (show_id, season, episode) index, a few milliseconds at 500 shows."""
    episodes = (
        select(func.count())
        .where(
            CI.c.show_id == SHOW.c.id,
            CI.c.kind == "episode",
            CI.c.gone_from_source_at.is_(None),
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(SHOW.c.id, SHOW.c.title, episodes).order_by(func.lower(SHOW.c.title), SHOW.c.id)
    )
    return [ShowChoice(int(i), str(t), int(n)) for i, t, n in rows]


def episodes_text(count: int) -> str:
    return "1 episode" if count == 1 else f"{count:,} episodes"


class SeriesForm(ConstraintsForm):
    """A searchable, checkable list of the catalogue's shows with their episode counts,
    and an optional starting season and episode."""

    def __init__(self, sessions: sessionmaker[Session], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sessions = sessions
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a show")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.shows = QTreeWidget()
        self.shows.setHeaderLabels(["Show", "Episodes"])
        self.shows.setRootIsDecorated(False)
        self.shows.setUniformRowHeights(True)
        self.shows.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.shows.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.shows.itemChanged.connect(self._show_toggled)
        self.shows.itemActivated.connect(self._toggle)
        self.chosen = hint_label()
        self.start = QCheckBox("Start a new run from")
        self.start.setToolTip(
            "Where the block starts when it has not played the show yet; afterwards it"
            " carries on from the last episode it aired."
        )
        self.season = QSpinBox()
        self.season.setRange(0, MAX_NUMBER)
        self.season.setValue(1)
        self.season.setPrefix("season ")
        self.episode = QSpinBox()
        self.episode.setRange(0, MAX_NUMBER)
        self.episode.setValue(1)
        self.episode.setPrefix("episode ")
        self.start.toggled.connect(self._start_toggled)
        self.season.valueChanged.connect(self._emit)
        self.episode.valueChanged.connect(self._emit)

        start_row = QHBoxLayout()
        start_row.addWidget(self.start)
        start_row.addWidget(self.season)
        start_row.addWidget(self.episode)
        start_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Plays the episodes of the ticked shows, in order:"))
        layout.addWidget(self.search)
        layout.addWidget(self.shows, 1)
        layout.addWidget(self.chosen)
        layout.addLayout(start_row)
        self._start_toggled(False)
        self.reload()

    def reload(self) -> None:
        """Read the shows again, keeping the ticked ones."""
        keep = set(self.show_ids())
        with self.sessions() as session:
            choices = show_choices(session)
        self.shows.blockSignals(True)
        try:
            self.shows.clear()
            for choice in choices:
                self._add(choice.id, choice.title, episodes_text(choice.episodes))
        finally:
            self.shows.blockSignals(False)
        self._tick(keep)

    def _add(self, show_id: int, title: str, episodes: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([title, episodes])
        item.setData(0, Qt.ItemDataRole.UserRole, show_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Unchecked)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.shows.addTopLevelItem(item)
        return item

    def _items(self) -> list[QTreeWidgetItem]:
        rows = (self.shows.topLevelItem(row) for row in range(self.shows.topLevelItemCount()))
        return [item for item in rows if item is not None]

    def _tick(self, show_ids: set[int]) -> None:
        self.shows.blockSignals(True)
        try:
            present = set()
            for item in self._items():
                show_id = int(item.data(0, Qt.ItemDataRole.UserRole))
                present.add(show_id)
                on = show_id in show_ids
                item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            for show_id in sorted(show_ids - present):  # kept so saving changes nothing
                item = self._add(show_id, f"Show #{show_id} (no longer in the catalogue)", "")
                item.setCheckState(0, Qt.CheckState.Checked)
        finally:
            self.shows.blockSignals(False)
        self._update_chosen()

    def show_ids(self) -> list[int]:
        return sorted(
            int(item.data(0, Qt.ItemDataRole.UserRole))
            for item in self._items()
            if item.checkState(0) == Qt.CheckState.Checked
        )

    def chosen_titles(self) -> list[str]:
        return [
            item.text(0) for item in self._items() if item.checkState(0) == Qt.CheckState.Checked
        ]

    # -- the form -------------------------------------------------------------------------

    def set_constraints(self, value: Constraints) -> None:
        if not isinstance(value, SeriesConstraints):
            raise TypeError(f"a series form cannot show {type(value).__name__}")
        self.start.blockSignals(True)
        self.season.blockSignals(True)
        self.episode.blockSignals(True)
        try:
            self._tick(set(value.show_ids))
            self.start.setChecked(value.start_from is not None)
            self._start_toggled(value.start_from is not None, emit=False)
            if value.start_from is not None:
                self.season.setValue(min(value.start_from.season, MAX_NUMBER))
                self.episode.setValue(min(value.start_from.episode, MAX_NUMBER))
        finally:
            self.start.blockSignals(False)
            self.season.blockSignals(False)
            self.episode.blockSignals(False)
        self.changed.emit()

    def constraints(self) -> SeriesConstraints:
        start = None
        if self.start.isChecked():
            start = EpisodeRef(self.season.value(), self.episode.value())
        return SeriesConstraints(tuple(self.show_ids()), start)

    def suggested_name(self) -> str:
        titles = self.chosen_titles()
        if len(titles) <= 2:
            return " & ".join(titles)
        return f"{titles[0]}, {titles[1]} and {len(titles) - 2} more"

    # -- reactions ------------------------------------------------------------------------

    @Slot(str)
    def _filter(self, text: str) -> None:
        words = text.lower().split()
        for item in self._items():
            title = item.text(0).lower()
            item.setHidden(not all(word in title for word in words))

    def _show_toggled(self, _item: QTreeWidgetItem, column: int) -> None:
        if column == 0:
            self._update_chosen()
            self.changed.emit()

    def _toggle(self, item: QTreeWidgetItem, _column: int) -> None:
        """Enter or a double-click ticks or unticks the show."""
        on = item.checkState(0) == Qt.CheckState.Checked
        item.setCheckState(0, Qt.CheckState.Unchecked if on else Qt.CheckState.Checked)

    def _start_toggled(self, on: bool, emit: bool = True) -> None:
        self.season.setEnabled(on)
        self.episode.setEnabled(on)
        if emit:
            self.changed.emit()

    def _update_chosen(self) -> None:
        titles = self.chosen_titles()
        if not titles:
            self.chosen.setText("No show ticked yet: tick at least one.")
        elif len(titles) == 1:
            self.chosen.setText(f"Ticked: {titles[0]}")
        else:
            shown = ", ".join(titles[:4]) + (
                f" and {len(titles) - 4} more" if len(titles) > 4 else ""
            )
            self.chosen.setText(f"Ticked ({len(titles)}): {shown}")
