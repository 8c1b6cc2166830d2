"""The swap picker: what could take a programme's (or fill item's) place, with search.

The candidates come from `log_swap.swap_candidates` on a worker with its own
session (a block may match most of a 100,000-item catalogue), a quarter second after
the last keystroke; an answer to an older search is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling import log_swap
from retrovue_desktop.scheduling.log_swap import SwapCandidate, SwapTarget
from retrovue_desktop.words import duration

from .constraint_forms import LatestOnly
from .content_model import kind_text
from .rundown_model import clock_text
from .style import ERROR, muted, plain_label, set_tone

SEARCH_DEBOUNCE_MS = 250
LIMIT = log_swap.SWAP_LIMIT


class SwapDialog(QDialog):
    """Pick one candidate; `chosen()` after it was accepted."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        instance_id: int,
        target: SwapTarget,
        ceiling: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.sessions = sessions
        self.instance_id = instance_id
        self.target = target
        self.ceiling = ceiling
        self._candidates: dict[int, SwapCandidate] = {}
        self.setWindowTitle("Swap")
        what = "fill item" if target.is_fill else "programme"
        self.heading = plain_label(
            f"Replace “{target.title}” at {target.local_start[:5]}"
            f" ({duration(target.seconds)} on air)"
        )
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: 600;")
        if target.is_fill:
            rule = f"Playable {kind_text(target.kind).lower()}s no longer than this one."
        else:
            rule = (
                "What this block could air that fits in the programme's air time, longest"
                " first; a shorter one leaves the rest of its time unfilled."
            )
        self.rule = plain_label(rule)
        self.rule.setWordWrap(True)
        muted(self.rule)

        self.search = QLineEdit()
        self.search.setPlaceholderText(f"Find a {what} by title or show")
        self.search.setClearButtonEnabled(True)
        self.results = QTreeWidget()
        self.results.setHeaderLabels(["Title", "Kind", "Length", "Rating"])
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.setAlternatingRowColors(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.results.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.note = plain_label()
        muted(self.note)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Swap")
        self.ok_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.rule)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(640, 480)

        self._searcher = LatestOnly("Finding items to swap in", self)
        self._searcher.answered.connect(self._show)
        self._searcher.failed.connect(self._failed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search_now)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.search_now)
        self.results.itemSelectionChanged.connect(self._selection_changed)
        self.results.itemDoubleClicked.connect(lambda _i, _c: self.accept())
        self.search_now()

    def search_now(self) -> None:
        self._debounce.stop()
        text = self.search.text().strip()
        sessions, instance_id, ceiling = self.sessions, self.instance_id, self.ceiling

        def find() -> list[SwapCandidate]:
            with sessions() as session:
                return log_swap.swap_candidates(session, instance_id, ceiling, LIMIT, text)

        set_tone(self.note, None)
        self.note.setText("Searching…")
        self._searcher.run(find)

    def searching(self) -> bool:
        """A search is waiting to run or on its way (tests)."""
        return self._debounce.isActive() or self._searcher.pending()

    def wait(self) -> None:
        self._searcher.wait()

    def _show(self, found: object) -> None:
        assert isinstance(found, list)
        self.results.clear()
        self._candidates = {c.id: c for c in found}
        for c in found:
            item = QTreeWidgetItem(
                [c.title, kind_text(c.kind), clock_text(c.seconds), c.rating or "Unrated"]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, c.id)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.results.addTopLevelItem(item)
        text = self.search.text().strip()
        if not found:
            self.note.setText(
                f"Nothing that fits matches “{text}”." if text else "Nothing playable fits here."
            )
        elif len(found) >= LIMIT:
            self.note.setText(f"The first {LIMIT}; type words to narrow the search.")
        else:
            count = "1 item fits" if len(found) == 1 else f"{len(found)} items fit"
            self.note.setText(f"{count}; double-click one to swap it in.")
        first = self.results.topLevelItem(0)
        if first is not None:
            self.results.setCurrentItem(first)

    def _failed(self, sentence: str) -> None:
        self.results.clear()
        set_tone(self.note, ERROR)
        self.note.setText(sentence)

    def _selection_changed(self) -> None:
        self.ok_button.setEnabled(self.chosen() is not None)

    def chosen(self) -> SwapCandidate | None:
        item = self.results.currentItem()
        if item is None or not item.isSelected():
            return None
        return self._candidates.get(int(item.data(0, Qt.ItemDataRole.UserRole)))
