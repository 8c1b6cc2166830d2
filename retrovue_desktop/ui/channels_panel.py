"""The channel list beside the grid: pick a channel, add, edit and remove channels.

Channels are few, so the list reads them all on the UI thread. Removing one tells the
operator how many blocks, programme log entries and play log rows go with it and asks
first (`confirm` is a seam tests answer without a modal).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.store import channels
from retrovue_desktop.store.channels import ChannelRow, ChannelValues

from . import settings
from .channel_dialog import ChannelDialog
from .commands import button_command
from .style import muted, plain_label

log = logging.getLogger(__name__)


def _ask(parent: QWidget, question: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "Remove channel",
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class ChannelsPanel(QWidget):
    """Emits `channel_selected(row or None)` and `channels_changed()`; `notice(str)` for
    sentences the status line shows."""

    channel_selected = Signal(object)
    channels_changed = Signal()
    notice = Signal(str)

    def __init__(self, sessions: sessionmaker[Session], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sessions = sessions
        self.confirm: Callable[[str], bool] = lambda question: _ask(self, question)
        # Seam: runs the add/edit dialog; tests replace it to fill the dialog themselves.
        self.run_dialog: Callable[[ChannelDialog], object] = lambda dialog: dialog.exec()
        self._rows: list[ChannelRow] = []

        title = plain_label("Channels")
        title.setStyleSheet("font-weight: 600;")
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.list.setStyleSheet("QListWidget::item { padding: 5px 6px; }")
        self.list.currentRowChanged.connect(self._current_changed)
        self.list.itemDoubleClicked.connect(lambda _item: self.edit_channel())
        self.empty = plain_label("No channels yet: add one to lay out its week.")
        self.empty.setWordWrap(True)
        muted(self.empty)

        self.add_button = QPushButton("Add…")
        self.add_button.setToolTip("Add a channel")
        self.add_button.clicked.connect(self.add_channel)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("Edit the channel (F2 or double-click)")
        self.edit_button.clicked.connect(self.edit_channel)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the channel and its schedule")
        self.remove_button.clicked.connect(self.remove_channel)
        # The buttons' commands for the menu; F2 and Delete work in the channel list.
        self.add_action = button_command(self.add_button, self, "&Add channel…")
        self.edit_action = button_command(
            self.edit_button, self.list, "&Edit channel…", QKeySequence(Qt.Key.Key_F2),
            context=Qt.ShortcutContext.WidgetShortcut,
        )  # fmt: skip
        self.remove_action = button_command(
            self.remove_button, self.list, "&Remove channel…",
            QKeySequence(QKeySequence.StandardKey.Delete),
            context=Qt.ShortcutContext.WidgetShortcut,
        )  # fmt: skip

        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.reload()

    # -- reading -------------------------------------------------------------------------

    def rows(self) -> list[ChannelRow]:
        return list(self._rows)

    def current(self) -> ChannelRow | None:
        index = self.list.currentRow()
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def reload(self, select_id: int | None = None) -> None:
        """Re-read the channels, keeping (or moving to) the selected one."""
        keep = select_id if select_id is not None else getattr(self.current(), "id", None)
        try:
            with self.sessions() as session:
                self._rows = channels.list_channels(session)
        except SQLAlchemyError:
            log.exception("reading channels failed")
            self.notice.emit("The channels could not be read; see the log.")
            self._rows = []
        self.list.blockSignals(True)
        self.list.clear()
        for row in self._rows:
            item = QListWidgetItem(self._text(row))
            item.setToolTip(self._tooltip(row))
            if not row.values.is_active:
                item.setForeground(self.palette().placeholderText())
            self.list.addItem(item)
        target = next((i for i, r in enumerate(self._rows) if r.id == keep), 0)
        if self._rows:
            self.list.setCurrentRow(target)
        self.list.blockSignals(False)
        self.empty.setVisible(not self._rows)
        self.edit_button.setEnabled(bool(self._rows))
        self.remove_button.setEnabled(bool(self._rows))
        self.channel_selected.emit(self.current())

    def select_channel(self, channel_id: int) -> None:
        for index, row in enumerate(self._rows):
            if row.id == channel_id:
                self.list.setCurrentRow(index)

    @staticmethod
    def _text(row: ChannelRow) -> str:
        blocks = f"{row.block_count} block" + ("" if row.block_count == 1 else "s")
        extra = [row.values.callsign] if row.values.callsign else []
        extra.append(blocks)
        if not row.values.is_active:
            extra.append("off air")
        return f"{row.label}\n{' · '.join(extra)}"

    @staticmethod
    def _tooltip(row: ChannelRow) -> str:
        rating = row.values.max_rating_code or "the station's"
        zone = row.values.time_zone or "the station's"
        return f"{row.label}\nRating ceiling: {rating}\nTime zone: {zone}"

    def _current_changed(self, _index: int) -> None:
        self.channel_selected.emit(self.current())

    # -- writing -------------------------------------------------------------------------

    def _write(self, step: Callable[[Session], object]) -> str | None:
        try:
            with self.sessions.begin() as session:
                step(session)
        except OperatorError as error:
            log.info("channel edit refused: %s %s", error, error.detail)
            return str(error)
        except SQLAlchemyError:
            log.exception("channel edit failed")
            return "The channel could not be saved; nothing was changed. See the log."
        return None

    def _dialog(
        self, values: ChannelValues | None, save: Callable[[ChannelValues], str | None]
    ) -> ChannelDialog:
        return ChannelDialog(
            save, settings.station_time_zone(), settings.station_max_rating(), values, self
        )

    def add_channel(self) -> int | None:
        made: list[int] = []

        def save(values: ChannelValues) -> str | None:
            return self._write(lambda s: made.append(channels.create_channel(s, values)))

        self.run_dialog(self._dialog(None, save))
        if not made:
            return None
        self.reload(select_id=made[0])
        self.channels_changed.emit()
        added = self.current()
        self.notice.emit(f"Added channel {added.label if added else ''}")
        return made[0]

    def edit_channel(self) -> None:
        row = self.current()
        if row is None:
            return
        saved: list[bool] = []

        def save(values: ChannelValues) -> str | None:
            problem = self._write(lambda s: channels.update_channel(s, row.id, values))
            saved.append(problem is None)
            return problem

        self.run_dialog(self._dialog(row.values, save))
        if any(saved):
            self.reload(select_id=row.id)
            self.channels_changed.emit()
            self.notice.emit(f"Saved channel {row.values.name}")

    def remove_channel(self) -> None:
        row = self.current()
        if row is None:
            return
        try:
            with self.sessions() as session:
                impact = channels.removal_impact(session, row.id)
        except SQLAlchemyError:
            log.exception("counting a channel's schedule failed")
            self.notice.emit("The channel's schedule could not be counted; see the log.")
            return
        if not self.confirm(f"{impact.sentence(row.values.name)}\n\nRemove the channel?"):
            return
        problem = self._write(lambda s: channels.delete_channel(s, row.id))
        if problem is not None:
            self.notice.emit(problem)
            return
        self.reload()
        self.channels_changed.emit()
        self.notice.emit(f"Removed channel {row.values.name}")
