"""Add or edit one channel: name, number, callsign, on air, rating ceiling, time zone.

The dialog does not write: `save` (given by the owner) writes and returns None, or the
operator's sentence, which the dialog shows while staying open with the typing kept.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop import ratings
from retrovue_desktop.store.channels import CALLSIGN_MAX, NAME_MAX, ChannelValues, time_zones

from .style import ERROR, muted, plain_label, set_tone

SaveFn = Callable[[ChannelValues], str | None]


class ChannelDialog(QDialog):
    def __init__(
        self,
        save: SaveFn,
        station_zone: str,
        station_rating: str | None,
        values: ChannelValues | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit channel" if values else "Add channel")
        self.setMinimumWidth(460)
        self._save = save
        self.saved: ChannelValues | None = None

        self.name = QLineEdit()
        self.name.setMaxLength(NAME_MAX)
        self.name.setPlaceholderText("Retro One")
        self.number = QLineEdit()
        self.number.setPlaceholderText("7 or 2.1")
        self.number.setMaximumWidth(120)
        self.callsign = QLineEdit()
        self.callsign.setMaxLength(CALLSIGN_MAX)
        self.callsign.setPlaceholderText("KRTV")
        self.callsign.setMaximumWidth(160)
        self.active = QCheckBox("On air (scheduled and shown in the play log)")
        self.active.setChecked(True)

        self.rating = QComboBox()
        default_rating = station_rating or "no ceiling"
        self.rating.addItem(f"Station default ({default_rating})", None)
        for code in ratings.CODES:
            self.rating.addItem(code, code)
        self.rating.setToolTip(
            "Nothing rated above this airs on the channel; a block may only be gentler."
        )

        self.zone = QComboBox()
        self.zone.setEditable(True)
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zone.addItem(f"Station default ({station_zone})", None)
        for name in time_zones():
            self.zone.addItem(name, name)
        completer = QCompleter([self.zone.itemText(i) for i in range(self.zone.count())], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone.setCompleter(completer)
        self.zone.setToolTip("Block times are wall-clock times in this zone.")

        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("N&umber:", self.number)
        form.addRow("&Callsign:", self.callsign)
        form.addRow("", self.active)
        form.addRow("Maximum &rating:", self.rating)
        form.addRow("&Time zone:", self.zone)

        hint = plain_label("Leave the rating and time zone on the station's default to follow it.")
        muted(hint)
        hint.setWordWrap(True)
        self.error = plain_label()
        set_tone(self.error, ERROR)
        self.error.setWordWrap(True)
        self.error.hide()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.accept)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        if values is not None:
            self.set_values(values)

    def set_values(self, values: ChannelValues) -> None:
        self.name.setText(values.name)
        self.number.setText(values.number or "")
        self.callsign.setText(values.callsign or "")
        self.active.setChecked(values.is_active)
        index = self.rating.findData(values.max_rating_code)
        self.rating.setCurrentIndex(max(index, 0))
        zone = self.zone.findData(values.time_zone)
        if zone >= 0:
            self.zone.setCurrentIndex(zone)
        else:  # a zone this machine does not know: keep it visible, saving will say so
            self.zone.setEditText(values.time_zone or "")

    def values(self) -> ChannelValues:
        zone_text = self.zone.currentText().strip()
        found = self.zone.findText(zone_text)
        zone = self.zone.itemData(found) if found >= 0 else (zone_text or None)
        return ChannelValues(
            name=self.name.text(),
            number=self.number.text() or None,
            callsign=self.callsign.text() or None,
            is_active=self.active.isChecked(),
            max_rating_code=self.rating.currentData(),
            time_zone=zone,
        )

    def accept(self) -> None:
        values = self.values()
        problem = self._save(values)
        if problem is not None:
            self.error.setText(problem)
            self.error.show()
            return
        self.saved = values
        super().accept()
