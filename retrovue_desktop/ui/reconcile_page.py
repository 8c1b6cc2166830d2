"""The Play Log tab's Reconciliation page: choose a channel and a day, see the plan
beside what aired (`ReconcileView`), late or early beyond the tolerance setting."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.scheduling import clock
from retrovue_desktop.store.channels import ChannelRow, list_channels

from . import settings as app_settings
from .commands import MenuEntries, button_command
from .context import AppContext
from .reconcile_view import ReconcileView


class ReconcilePage(QWidget):
    """A channel and a day above the reconciliation of that day."""

    def __init__(
        self, context: AppContext, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._settings = settings
        self.channels: list[ChannelRow] = []
        self.channel_box = QComboBox()
        self.channel_box.setAccessibleName("Channel to reconcile")
        self.channel_box.setMinimumContentsLength(18)
        self.day_edit = QDateEdit()
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("ddd d MMM yyyy")
        self.day_edit.setAccessibleName("Day to reconcile")
        previous = QPushButton("\N{BLACK LEFT-POINTING SMALL TRIANGLE}")
        previous.setToolTip("The day before")
        previous.clicked.connect(lambda: self.day_edit.setDate(self.day_edit.date().addDays(-1)))
        following = QPushButton("\N{BLACK RIGHT-POINTING SMALL TRIANGLE}")
        following.setToolTip("The day after")
        following.clicked.connect(lambda: self.day_edit.setDate(self.day_edit.date().addDays(1)))
        for button in (previous, following):
            button.setFixedWidth(button.sizeHint().height() + 6)
        bar = QHBoxLayout()
        channel_label = QLabel("Cha&nnel:")  # Alt+C is the Content tab's
        channel_label.setBuddy(self.channel_box)
        day_label = QLabel("&Day:")
        day_label.setBuddy(self.day_edit)
        bar.addWidget(channel_label)
        bar.addWidget(self.channel_box)
        bar.addSpacing(12)
        bar.addWidget(day_label)
        bar.addWidget(previous)
        bar.addWidget(self.day_edit)
        bar.addWidget(following)
        bar.addStretch(1)
        self.view = ReconcileView(context.sessions, self)
        self.previous_action = button_command(previous, self, "&Previous day", "Alt+Left")
        self.next_action = button_command(following, self, "&Next day", "Alt+Right")
        self.export_action = button_command(
            self.view.export_button, self, "E&xport reconciliation…", "Ctrl+Shift+E",
            "Save the day's reconciliation lines as a CSV file",
        )  # fmt: skip
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        today = self._today()
        self.day_edit.setDate(QDate(today.year, today.month, today.day))
        self.reload_channels()
        self.channel_box.currentIndexChanged.connect(lambda _index: self.show_chosen())
        self.day_edit.dateChanged.connect(lambda _date: self.show_chosen())

    def menu_actions(self) -> MenuEntries:
        """The page's commands, for the Play Log menu (None: a separator)."""
        return [self.previous_action, self.next_action, self.export_action]

    def _today(self) -> date:
        return datetime.now(clock.zone(app_settings.station_time_zone())).date()

    def reload_channels(self) -> None:
        """Read the channel list again (keeping the choice) and show the chosen day."""
        chosen = self.channel_box.currentData()
        try:
            with self.context.sessions() as session:
                self.channels = list_channels(session)
        except (OperatorError, SQLAlchemyError):
            self.channels = []
        self.channel_box.blockSignals(True)
        self.channel_box.clear()
        for channel in self.channels:
            self.channel_box.addItem(channel.label, channel.id)
        index = self.channel_box.findData(chosen)
        self.channel_box.setCurrentIndex(max(index, 0))
        self.channel_box.blockSignals(False)
        self.show_chosen()

    def show_chosen(self) -> None:
        channel_id = self.channel_box.currentData()
        channel = next((c for c in self.channels if c.id == channel_id), None)
        if channel is None:
            return
        zone = channel.values.time_zone or app_settings.station_time_zone()
        self.view.show_day(
            channel.id,
            channel.label,
            self.chosen_day(),
            clock.zone(zone),
            app_settings.playlog_tolerance_seconds(self._settings),
        )

    def chosen_day(self) -> date:
        chosen = self.day_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def refresh(self) -> None:
        self.view.refresh()

    def shutdown(self) -> None:
        self.view.shutdown()
