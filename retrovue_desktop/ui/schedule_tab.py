"""The Schedule tab: channels, the weekly block grid and the programme log."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from .placeholder import PlaceholderPanel


class ScheduleTab(PlaceholderPanel):
    """Schedule: placeholder until its issue builds it."""

    TITLE = "Schedule"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.TITLE,
            "Lay out each channel's week as blocks on a grid and turn it into a"
            " programme log for real dates.",
            parent,
        )
