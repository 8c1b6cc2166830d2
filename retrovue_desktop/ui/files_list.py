"""The Files tab of the detail pane: one card per file of the item, in a module of its own
so the pane only assembles its tabs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.store.item_detail import ROLE_NAMES, FileView, size_text

from .content_model import duration_text
from .files_panel import NAMES as AVAILABILITY_NAMES
from .style import (
    EARLY,
    ERROR,
    SUCCESS,
    local_time_text,
    muted,
    muted_colour,
    plain_label,
    set_tone,
    tone,
)

# The dot's tone per file state (style.py picks it for a light or a dark window).
AVAILABILITY_TONES = {"ok": SUCCESS, "demo": EARLY}


class ElidedLabel(QLabel):
    """One line that shortens itself in the middle (paths: both ends matter); the whole
    text is in the tooltip and "Copy" on its context menu."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        copy = QAction("Copy", self)
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(self._full))
        self.addAction(copy)
        self.set_full_text(text)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 40)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, width))


class FileCard(QFrame):
    """One file: name and role, availability, where it is, what it is, when checked."""

    def __init__(self, file: FileView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file = file
        self.setFrameShape(QFrame.Shape.StyledPanel)
        name = plain_label(file.name or "(no path)")
        bold = QFont(name.font())
        bold.setBold(True)
        name.setFont(bold)
        name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        name.setWordWrap(True)
        role = QLabel(ROLE_NAMES.get(file.role, file.role))
        muted(role)
        colour = (
            muted_colour(self.palette())
            if file.availability == "unknown"
            else tone(AVAILABILITY_TONES.get(file.availability, ERROR), self.palette())
        ).name()
        word = AVAILABILITY_NAMES.get(file.availability, file.availability)
        self.availability = QLabel(f"<span style='color:{colour}'>&#9679;</span> {word}")
        self.availability.setToolTip(file.availability_reason or word)
        top = QHBoxLayout()
        top.addWidget(name, 1)
        top.addWidget(role)
        top.addSpacing(8)
        top.addWidget(self.availability)

        self.folder = ElidedLabel(file.folder)
        self.folder.setToolTip(file.path)
        technical = [
            (file.container or "").upper(),
            file.codecs,
            file.resolution,
            duration_text(file.duration_ms),
            size_text(file.size_bytes),
        ]
        self.technical = plain_label(
            " \N{MIDDLE DOT} ".join(t for t in technical if t) or "Not read yet"
        )
        self.technical.setWordWrap(True)
        checked = (
            f"Checked {local_time_text(file.last_verified_at)}"
            if file.last_verified_at is not None
            else "Not checked yet: use Check files on the Libraries tab."
        )
        self.checked = QLabel(checked)
        muted(self.checked)
        self.checked.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.folder)
        if file.availability != "ok" and file.availability_reason:
            self.reason = plain_label(file.availability_reason)
            self.reason.setWordWrap(True)
            set_tone(self.reason, AVAILABILITY_TONES.get(file.availability, ERROR))
            layout.addWidget(self.reason)
        layout.addWidget(self.technical)
        if file.plex_path and file.local_path and file.plex_path != file.local_path:
            plex = ElidedLabel(f"Plex: {file.plex_path}")
            muted(plex)
            layout.addWidget(plex)
        elif file.plex_path and not file.local_path:
            unmapped = QLabel("Where Plex has it; no path mapping shows it here yet.")
            muted(unmapped)
            unmapped.setWordWrap(True)
            layout.addWidget(unmapped)
        layout.addWidget(self.checked)


class FilesList(QScrollArea):
    """The item's files as cards, primary first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.cards: list[FileCard] = []
        self._inner = QWidget()
        self._layout = QVBoxLayout(self._inner)
        self.empty = QLabel("This item has no file yet.")
        muted(self.empty)
        self._layout.addWidget(self.empty)
        self._layout.addStretch(1)
        self.setWidget(self._inner)

    def set_files(self, files: Sequence[FileView]) -> None:
        for card in self.cards:
            self._layout.removeWidget(card)
            card.deleteLater()
        self.cards = [FileCard(f, self._inner) for f in files]
        for at, card in enumerate(self.cards):
            self._layout.insertWidget(at, card)
        self.empty.setVisible(not self.cards)
