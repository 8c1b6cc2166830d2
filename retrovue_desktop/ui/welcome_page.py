"""The first-run page: on an empty database the window shows this instead of empty tabs.

Three ways in, as a newcomer needs them: connect Plex, add a folder of ads and bumpers,
or look around the demo station before committing. The page only says what was chosen;
the window does the work with the same dialogs and jobs the tabs use.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal, SignalInstance
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .icons import APP
from .icons import icon as app_icon
from .style import muted

CONNECT_TEXT = "&Connect to Plex"
CONNECT_NOTE = (
    "Add your Plex server. RetroVue reads its shows and movies and keeps them in step "
    "with one click; what you edit here is never lost to a resync."
)
FOLDER_TEXT = "&Add a folder of ads and bumpers"
FOLDER_NOTE = "Import ads, bumpers or promos from a folder on this computer or your network."
DEMO_TEXT = "Open the &demo station"
DEMO_NOTE = (
    "Look around a small made-up station: two channels, a week's schedule, a programme "
    "log and a play log. Your own database is not touched; leave it with one click."
)


class WelcomePage(QWidget):
    """Three large choices and a way past them; signals only, no work of its own."""

    connect_plex = Signal()
    add_folder = Signal()
    open_demo = Signal()
    skip = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        icon = QLabel()
        icon.setPixmap(app_icon(APP).pixmap(QSize(72, 72)))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Welcome to RetroVue Desktop")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro = QLabel("Your station is empty. Bring in your programmes, or look around first.")
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro.setWordWrap(True)
        muted(intro)

        self.connect_button = self._choice(CONNECT_TEXT, CONNECT_NOTE, self.connect_plex)
        self.folder_button = self._choice(FOLDER_TEXT, FOLDER_NOTE, self.add_folder)
        self.demo_button = self._choice(DEMO_TEXT, DEMO_NOTE, self.open_demo)
        self.skip_button = QPushButton("&Skip: show the empty tabs")
        self.skip_button.setFlat(True)
        self.skip_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.skip_button.clicked.connect(self.skip)

        column = QVBoxLayout()
        column.setSpacing(10)
        column.addStretch(2)
        column.addWidget(icon)
        column.addWidget(title)
        column.addWidget(intro)
        column.addSpacing(18)
        for button in (self.connect_button, self.folder_button, self.demo_button):
            column.addWidget(button)
        column.addSpacing(8)
        column.addWidget(self.skip_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(3)
        holder = QWidget()
        holder.setLayout(column)
        holder.setMaximumWidth(640)
        holder.setMinimumWidth(420)
        row = QHBoxLayout(self)
        row.addStretch(1)
        row.addWidget(holder, 3)
        row.addStretch(1)
        self.setFocusProxy(self.connect_button)

    def _choice(self, text: str, note: str, signal: SignalInstance) -> QCommandLinkButton:
        button = QCommandLinkButton(text, note)
        font = QFont(button.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        button.setFont(font)
        button.setMinimumHeight(72)
        button.clicked.connect(signal)
        return button
