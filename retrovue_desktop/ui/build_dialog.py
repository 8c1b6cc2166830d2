"""The range dialog of the rundown: a first day and a number of days, for Build,
Re-plan range and Approve range, each with its own words about what will happen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .log_edits import range_words
from .style import muted, plain_label

MAX_DAYS = 366


@dataclass(frozen=True)
class RangeMode:
    """What the dialog is for: its title, its button and the sentence under the range."""

    title: str
    button: str
    explanation: str


BUILD = RangeMode(
    "Build the programme log",
    "Build",
    "Plans these days from the week grid. Planned rows already there are replaced;"
    " approved and played rows are kept and planned around.",
)
REPLAN = RangeMode(
    "Re-plan a range",
    "Re-plan",
    "Replaces the planned rows of these days with a fresh plan from the week grid;"
    " approved and played rows are kept and planned around.",
)
APPROVE = RangeMode(
    "Approve a range",
    "Approve",
    "Marks every planned row of these days approved: a rebuild keeps them as they are."
    " Undo (Ctrl+Z) takes it back.",
)


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class RangeDialog(QDialog):
    """Ask for [first day, first day + days)."""

    def __init__(
        self, mode: RangeMode, first_day: date, days: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(mode.title)
        self.first = QDateEdit(qdate(first_day))
        self.first.setCalendarPopup(True)
        self.first.setDisplayFormat("ddd d MMM yyyy")
        self.first.setAccessibleName("First day")
        self.days = QSpinBox()
        self.days.setRange(1, MAX_DAYS)
        self.days.setValue(max(1, min(days, MAX_DAYS)))
        self.days.setSuffix(" days")
        self.days.setAccessibleName("Number of days")
        self.summary = plain_label()
        self.explanation = plain_label(mode.explanation)
        self.explanation.setWordWrap(True)
        muted(self.explanation)

        form = QFormLayout()
        form.addRow("&First day:", self.first)
        form.addRow("&Days:", self.days)
        form.addRow("", self.summary)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(mode.button)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.explanation)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.first.dateChanged.connect(self._update)
        self.days.valueChanged.connect(self._update)
        self._update()

    def value(self) -> tuple[date, int]:
        return pydate(self.first.date()), self.days.value()

    def _update(self) -> None:
        first_day, days = self.value()
        self.days.setSuffix(" day" if days == 1 else " days")
        self.summary.setText(range_words(first_day, days))

    def last_day(self) -> date:
        first_day, days = self.value()
        return first_day + timedelta(days=days - 1)


def ask_range(
    parent: QWidget | None, mode: RangeMode, first_day: date, days: int
) -> tuple[date, int] | None:
    """Run the dialog; the range chosen, or None when the operator canceled."""
    dialog = RangeDialog(mode, first_day, days, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.value()
