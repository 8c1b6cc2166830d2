"""The add / edit dialog for the operator's own markers, apart from the panel so its
input checking (times, kinds, refusals) reads and tests on its own."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.store import markers as marker_store
from retrovue_desktop.store.markers import MarkerView, format_timecode, parse_timecode

from .marker_words import kind_word
from .style import ERROR, muted, plain_label, set_tone

# submit(kind, start_ms, end_ms, label) -> None when saved, else the refusal sentence.
Submit = Callable[[str, int, int | None, str | None], str | None]


class MarkerDialog(QDialog):
    """Kind, start, end and label of a manual marker. A refused input (unreadable time,
    end before start, past the end of the file) keeps the dialog open with the sentence
    in it; nothing is written until the input is accepted."""

    def __init__(
        self,
        submit: Submit,
        duration_ms: int | None,
        marker: MarkerView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.submit = submit
        self.setWindowTitle("Edit marker" if marker else "Add marker")
        self.kind = QComboBox()
        for kind in marker_store.KIND_NAMES:
            self.kind.addItem(kind_word(kind), kind)
        self.start = QLineEdit()
        self.start.setPlaceholderText("h:mm:ss.mmm, such as 0:12:30.000")
        self.end = QLineEdit()
        self.label = QLineEdit()
        self.label.setMaxLength(marker_store.LABEL_MAX)
        self.label.setPlaceholderText("optional, such as “Act 2”")
        length = "unknown" if duration_ms is None else format_timecode(duration_ms)
        self.length = QLabel(f"The file is {length} long.")
        muted(self.length)
        self.error = plain_label()
        set_tone(self.error, ERROR)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save" if marker else "Add")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Kind:", self.kind)
        form.addRow("Start:", self.start)
        form.addRow("End:", self.end)
        form.addRow("Label:", self.label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.length)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)

        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        if marker is not None:
            self.kind.setCurrentIndex(max(self.kind.findData(marker.kind), 0))
            self.start.setText(format_timecode(marker.start_ms))
            if marker.end_ms is not None:
                self.end.setText(format_timecode(marker.end_ms))
            self.label.setText(marker.label or "")
        self._kind_changed()

    def _kind_changed(self) -> None:
        cue = self.kind.currentData() == "cue"
        self.end.setPlaceholderText("optional for a cue" if cue else "h:mm:ss.mmm")

    def values(self) -> tuple[str, int, int | None, str | None]:
        """(kind, start_ms, end_ms, label) as typed; an OperatorError says what is wrong."""
        kind = str(self.kind.currentData())
        if not self.start.text().strip():
            raise OperatorError("Give the start time, such as 0:12:30.000.")
        start = parse_timecode(self.start.text())
        end: int | None = None
        if self.end.text().strip():
            end = parse_timecode(self.end.text())
        elif kind != "cue":
            raise OperatorError(
                f"A{'n' if kind == 'ad_break' else ''} {marker_store.KIND_NAMES.get(kind, kind)}"
                " needs an end time too; only a cue may be a single moment."
            )
        return kind, start, end, self.label.text().strip() or None

    def try_submit(self) -> str | None:
        """Check and save; None when saved, else the sentence (also shown)."""
        try:
            refusal = self.submit(*self.values())
        except OperatorError as exc:
            refusal = str(exc)
        self.error.setText(refusal or "")
        self.error.setVisible(refusal is not None)
        return refusal

    def accept(self) -> None:
        if self.try_submit() is None:
            super().accept()
