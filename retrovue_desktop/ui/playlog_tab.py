"""The Play Log tab: what aired, as-run import and reconciliation."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from .placeholder import PlaceholderPanel


class PlayLogTab(PlaceholderPanel):
    """Play Log: placeholder until its issue builds it."""

    TITLE = "Play Log"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.TITLE,
            "Keep the record of what aired, import as-run logs and reconcile them"
            " against the plan.",
            parent,
        )
