"""A plain panel for a tab whose work has not been built yet.

It says what the tab will be for, so the operator is never shown fake data.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPanel(QWidget):
    """Title, one sentence of purpose and a 'not built yet' line, centred."""

    def __init__(self, title: str, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        heading = QLabel(f"<h2>{title}</h2>")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body = QLabel(purpose)
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.setMaximumWidth(560)
        status = QLabel("<i>Not built yet.</i>")
        status.setObjectName("notBuiltYet")
        status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for widget in (heading, body, status):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
