"""The Tags tab: the tag palette and drag-and-drop tagging."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from .placeholder import PlaceholderPanel


class TagsTab(PlaceholderPanel):
    """Tags: placeholder until its issue builds it."""

    TITLE = "Tags"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.TITLE,
            "Build the tag palette and tag content by dragging tags onto it.",
            parent,
        )
