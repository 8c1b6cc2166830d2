"""The Tags tab: the tag palette and drag-and-drop tagging."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QWidget

from .context import AppContext
from .edits import CatalogEdits
from .placeholder import PlaceholderPanel


class TagsTab(PlaceholderPanel):
    """Tags: placeholder until its issue builds it."""

    TITLE = "Tags"

    def __init__(
        self, context: AppContext, edits: CatalogEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            self.TITLE,
            "Build the tag palette and tag content by dragging tags onto it.",
            parent,
        )
        self.context = context
        self.edits = edits

    @Slot()
    def reload(self) -> None:
        """The catalogue changed: re-read the palette."""
