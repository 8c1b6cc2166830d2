"""The Libraries tab: Plex servers, local folders, path mappings and resync."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from .placeholder import PlaceholderPanel


class LibrariesTab(PlaceholderPanel):
    """Libraries: placeholder until its issue builds it."""

    TITLE = "Libraries"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.TITLE,
            "Connect Plex servers and folders of ads, bumpers and promos, map"
            " their paths, and resync with one click.",
            parent,
        )
