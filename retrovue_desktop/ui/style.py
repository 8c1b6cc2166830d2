"""Look helpers shared across the panes: plain and muted labels, the error red, local times."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

ERROR_STYLE = "color: #b3261e;"


def plain_label(text: str = "") -> QLabel:
    """A label that never reads its text as HTML: titles and paths come from outside."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def say(label: QLabel, text: str, error: bool = False) -> None:
    """Show a notice line: the sentence, in the error red when it reports a failure."""
    label.setText(text)
    label.setStyleSheet(ERROR_STYLE if error else "")
    label.show()


def muted(widget: QWidget) -> None:
    """Secondary text: the widget's text colour at two thirds, readable on any theme
    (a disabled label is too faint, and says "disabled" to screen readers)."""
    palette = widget.palette()
    colour = QColor(palette.color(QPalette.ColorRole.WindowText))
    colour.setAlphaF(0.65)
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    widget.setPalette(palette)


def local_time_text(epoch_seconds: int) -> str:
    """A moment in the operator's time zone and locale, short form."""
    moment = QDateTime.fromSecsSinceEpoch(int(epoch_seconds)).toLocalTime()
    locale = QLocale()
    if locale.language() == QLocale.Language.C:  # no locale set: ISO reads everywhere
        return moment.toString("yyyy-MM-dd HH:mm")
    return locale.toString(moment, QLocale.FormatType.ShortFormat)
