"""The Content tab: the catalogue, editorial overrides and markers."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from .placeholder import PlaceholderPanel


class ContentTab(PlaceholderPanel):
    """Content: placeholder until its issue builds it."""

    TITLE = "Content"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.TITLE,
            "Browse the whole catalogue, edit titles and synopses without losing"
            " the source, and manage markers.",
            parent,
        )
