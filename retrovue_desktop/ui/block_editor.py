"""The block editor: a schedule block's name, day, times, strategy, constraints and ad
policy, with a live count of the catalogue items it matches.

It never writes the database: the owner reads `values()` after `exec()` returns
Accepted and applies them (through its undo stack). Refusals (times, constraints, the
owner's own `check`, such as an overlap) are shown inside the dialog, which stays open;
nothing here opens a message box, so tests drive it without a modal loop.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTime, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.scheduling import constraints as constraints_schema
from retrovue_desktop.scheduling.blocks import BlockValues
from retrovue_desktop.scheduling.constraints import (
    Constraints,
    SelectionConstraints,
    SeriesConstraints,
    SpecificConstraints,
)
from retrovue_desktop.scheduling.errors import ConstraintsError, ScheduleError
from retrovue_desktop.scheduling.matching import count_matches
from retrovue_desktop.scheduling.week import DAY_NAMES, WeekBlock, describe_length, parse_time

from .ad_policy_dialog import AdPoliciesDialog
from .ad_policy_picker import AdPolicyPicker
from .constraint_forms import ConstraintsForm, LatestOnly, SelectionForm, hint_label
from .item_picker import SpecificForm
from .show_picker import SeriesForm
from .style import ERROR, muted, plain_label, set_banner, set_tone

COUNT_DELAY_MS = 250
NAME_MAX = 100
# (label, one line on what it does), in the order the combo offers them.
STRATEGIES: dict[str, tuple[str, str]] = {
    "auto": ("Auto", "Fills the block from any eligible programme, least recently aired first."),
    "series": ("Series", "Plays a show's episodes in order, carrying on where it left off."),
    "specific": ("Specific items", "Plays the items you list, in that order."),
    "collection": (
        "Collection",
        "Draws from a tag and library selection, without repeats until it runs out.",
    ),
}
DEFAULT_NAMES = {"auto": "Auto fill", "collection": "Collection", "series": "", "specific": ""}


def matches_text(count: int, noun: str = "item") -> str:
    """ "No items match", "1 item matches", "1,234 items match"."""
    if count == 0:
        return f"No {noun}s match"
    return f"1 {noun} matches" if count == 1 else f"{count:,} {noun}s match"


def count_sentence(count: int, strategy: str, value: Constraints) -> str:
    """The live count in words: episodes for a series, and for a specific block how
    many of the listed items can air."""
    if strategy == "series":
        return matches_text(count, "episode")
    if isinstance(value, SpecificConstraints):
        listed = len(set(value.item_ids))
        if count < listed:
            return (
                f"{count:,} of the {listed:,} listed items match; the others are gone, missing"
                " or above the channel's rating ceiling"
            )
    return matches_text(count)


def _qtime(text: str) -> QTime:
    minute = parse_time(text)
    return QTime(minute // 60, minute % 60)


def _time_text(edit: QTimeEdit) -> str:
    return edit.time().toString("HH:mm") + ":00"


class BlockEditor(QDialog):
    """Edit one block's values; `values()` gives them after the dialog is accepted.

    `check(values)` is the owner's last word (such as the overlap check): a sentence
    keeps the dialog open with that sentence shown. `open_policies(dialog)` runs the
    ad policies dialog (tests replace it to answer without a modal loop).
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        channel_ceiling: str | None,
        values: BlockValues | None = None,
        check: Callable[[BlockValues], str | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.sessions = sessions
        self.channel_ceiling = channel_ceiling
        self.check = check
        self.open_policies: Callable[[AdPoliciesDialog], object] = lambda d: d.exec()
        self._accepted: BlockValues | None = None
        initial = values or BlockValues("", 1, "17:00:00", "18:00:00", "auto")
        self.setWindowTitle(f"Edit block “{initial.name}”" if initial.name else "New block")

        self.warning = plain_label()
        self.warning.setWordWrap(True)
        set_banner(self.warning)
        self.warning.hide()

        self.name = QLineEdit()
        self.name.setMaxLength(NAME_MAX)
        self.day = QComboBox()
        self.day.addItems(list(DAY_NAMES))
        self.start = QTimeEdit()
        self.end = QTimeEdit()
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
            edit.setWrapping(True)
        self.length = plain_label()
        muted(self.length)
        self.strategy = QComboBox()
        for key, (label, _line) in STRATEGIES.items():
            self.strategy.addItem(label, key)
        self.strategy_line = hint_label()
        self.policy = AdPolicyPicker()
        self.policy.reload(sessions)
        self.edit_policies_button = QPushButton("Edit policies…")
        self.edit_policies_button.setAutoDefault(False)
        self.edit_policies_button.clicked.connect(self.edit_policies)

        self.series_form = SeriesForm(sessions)
        self.specific_form = SpecificForm(sessions)
        self.selection_form = SelectionForm(sessions, channel_ceiling)
        self.stack = QStackedWidget()
        selection_scroll = QScrollArea()  # room on a small screen; no frame otherwise
        selection_scroll.setWidget(self.selection_form)
        selection_scroll.setWidgetResizable(True)
        selection_scroll.setFrameShape(QFrame.Shape.NoFrame)
        viewport = selection_scroll.viewport()
        assert viewport is not None
        viewport.setAutoFillBackground(False)  # the group box's colour shows through
        for page in (self.series_form, self.specific_form, selection_scroll):
            self.stack.addWidget(page)
        for form in (self.series_form, self.specific_form, self.selection_form):
            form.changed.connect(self._form_changed)

        self.count = plain_label()
        self.error = plain_label()
        set_tone(self.error, ERROR)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save" if values is not None and values.name else "OK")
        self.ok_button.setToolTip("Save the block (Ctrl+Return)")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(sequence), self).activated.connect(self.accept)

        self._counter = LatestOnly("Counting matching items", self)
        self._counter.answered.connect(self._count_arrived)
        self._counter.failed.connect(self._count_failed)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self.count_now)

        self._layout()
        self._load(initial)
        self.day.currentIndexChanged.connect(self._times_changed)
        self.start.timeChanged.connect(self._times_changed)
        self.end.timeChanged.connect(self._times_changed)
        self.strategy.currentIndexChanged.connect(self._strategy_changed)
        self.name.textChanged.connect(lambda _t: self._clear_error())
        self.resize(860, 620)

    def _layout(self) -> None:
        times = QHBoxLayout()
        times.addWidget(self.day)
        times.addSpacing(8)
        times.addWidget(QLabel("from"))
        times.addWidget(self.start)
        times.addWidget(QLabel("to"))
        times.addWidget(self.end)
        times.addSpacing(8)
        times.addWidget(self.length, 1)
        strategy = QHBoxLayout()
        strategy.addWidget(self.strategy)
        strategy.addSpacing(8)
        strategy.addWidget(self.strategy_line, 1)
        policy = QHBoxLayout()
        policy.addWidget(self.policy)
        policy.addWidget(self.edit_policies_button)
        policy.addStretch(1)
        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("When:", times)
        form.addRow("Strategy:", strategy)
        form.addRow("Ad breaks:", policy)
        plays = QGroupBox("What it plays")
        inside = QVBoxLayout(plays)
        inside.addWidget(self.stack)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        layout.addWidget(plays, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)

    def _load(self, values: BlockValues) -> None:
        problems = []
        self.name.setText(values.name)
        self.day.setCurrentIndex(values.day_of_week if values.day_of_week in range(7) else 0)
        try:
            self.start.setTime(_qtime(values.start_time))
            self.end.setTime(_qtime(values.end_time))
        except ScheduleError as error:
            problems.append(f"This block's times could not be read: {error}")
        strategy = values.strategy if values.strategy in STRATEGIES else "auto"
        self.strategy.setCurrentIndex(self.strategy.findData(strategy))
        self._show_form(strategy)
        try:
            self._form_for(strategy).set_constraints(
                constraints_schema.parse(values.constraints_json, values.strategy)
            )
        except ConstraintsError as error:
            problems.append(
                f"This block's constraints could not be read: {error} Saving replaces them."
            )
        self.policy.set_policy_id(values.ad_policy_id)
        self.warning.setText("\n".join(problems))
        self.warning.setVisible(bool(problems))
        self._strategy_changed()
        self._times_changed()

    # -- parts ----------------------------------------------------------------------------

    def _form_for(self, strategy: str) -> ConstraintsForm:
        if strategy == "series":
            return self.series_form
        if strategy == "specific":
            return self.specific_form
        return self.selection_form

    def _show_form(self, strategy: str) -> None:
        self.stack.setCurrentIndex(
            ("series", "specific").index(strategy) if strategy in ("series", "specific") else 2
        )

    def current_strategy(self) -> str:
        return str(self.strategy.currentData())

    def current_form(self) -> ConstraintsForm:
        return self._form_for(self.current_strategy())

    def form_constraints(self) -> Constraints:
        """What the current form holds, not yet checked."""
        return self.current_form().constraints()

    def set_form_constraints(self, value: Constraints) -> None:
        """Show `value` in the form its type belongs to (tests, presets)."""
        if isinstance(value, SeriesConstraints):
            self.series_form.set_constraints(value)
        elif isinstance(value, SpecificConstraints):
            self.specific_form.set_constraints(value)
        elif isinstance(value, SelectionConstraints):
            self.selection_form.set_constraints(value)

    def suggested_name(self) -> str:
        """The name a block left unnamed gets: its show, first item or tags."""
        strategy = self.current_strategy()
        return (
            self.current_form().suggested_name()
            or DEFAULT_NAMES[strategy]
            or (STRATEGIES[strategy][0])
        )

    def week_block(self) -> WeekBlock:
        """Where the times put the block (ScheduleError with a sentence if nowhere)."""
        return WeekBlock.from_times(
            self.day.currentIndex(), _time_text(self.start), _time_text(self.end)
        )

    def checked_constraints(self) -> Constraints:
        """The form's constraints, checked as if read back and against the channel's
        ceiling (ConstraintsError with a sentence)."""
        return constraints_schema.check(
            self.form_constraints(), self.current_strategy(), self.channel_ceiling
        )

    def try_values(self) -> BlockValues:
        """The block as the dialog shows it, or an OperatorError saying what is wrong."""
        block = self.week_block()
        checked = self.checked_constraints()
        name = self.name.text().strip() or self.suggested_name()
        return BlockValues(
            name=name,
            day_of_week=block.day_of_week,
            start_time=block.start_time,
            end_time=block.end_time,
            strategy=self.current_strategy(),
            constraints_json=constraints_schema.serialize(checked),
            ad_policy_id=self.policy.policy_id(),
        )

    def values(self) -> BlockValues:
        """The accepted values; before acceptance, what the dialog shows (or an error)."""
        return self._accepted if self._accepted is not None else self.try_values()

    # -- reactions ------------------------------------------------------------------------

    @Slot()
    def _strategy_changed(self, *_args: object) -> None:
        strategy = self.current_strategy()
        self._show_form(strategy)
        self.strategy_line.setText(STRATEGIES[strategy][1])
        self._form_changed()

    @Slot()
    def _form_changed(self) -> None:
        self.name.setPlaceholderText(f"Left blank: “{self.suggested_name()}”")
        self._clear_error()
        set_tone(self.count, None)
        self.count.setText("Counting…")
        self._counter.drop_pending()
        self._count_timer.start()

    @Slot()
    def _times_changed(self, *_args: object) -> None:
        self._clear_error()
        try:
            block = self.week_block()
        except ScheduleError as error:
            self.length.setText(str(error))
            set_tone(self.length, ERROR)
            return
        set_tone(self.length, None)
        words = describe_length(block)
        if block.end <= block.start:
            next_day = DAY_NAMES[(block.day_of_week + 1) % 7]
            words += f" · ends next day ({next_day} {block.end_time[:5]})"
        self.length.setText(words)

    @Slot()
    def count_now(self) -> None:
        """Count the matching items for the form as it is now (on a worker)."""
        self._count_timer.stop()
        try:
            checked = self.checked_constraints()
        except OperatorError as error:
            self._counter.drop_pending()
            self._count_failed(str(error))
            return
        sessions, strategy, ceiling = self.sessions, self.current_strategy(), self.channel_ceiling

        def count() -> str:
            with sessions() as session:
                found = count_matches(session, strategy, checked, ceiling)
            return count_sentence(found, strategy, checked)

        self._counter.run(count)

    def counting(self) -> bool:
        """Whether a count is waiting to run or on its way (for tests)."""
        return self._count_timer.isActive() or self._counter.pending()

    def _count_arrived(self, sentence: object) -> None:
        set_tone(self.count, None)
        self.count.setText(str(sentence))

    def _count_failed(self, sentence: str) -> None:
        set_tone(self.count, ERROR)
        self.count.setText(sentence)

    @Slot()
    def edit_policies(self) -> None:
        """The ad policies dialog, on the chosen policy; the picker is re-read after."""
        dialog = AdPoliciesDialog(self.sessions, self, select_id=self.policy.policy_id())
        dialog.policies_changed.connect(lambda: self.policy.reload(self.sessions))
        try:
            self.open_policies(dialog)
        finally:
            self.policy.reload(self.sessions)
            dialog.deleteLater()

    # -- closing --------------------------------------------------------------------------

    def show_error(self, sentence: str) -> None:
        self.error.setText(sentence)
        self.error.show()

    def _clear_error(self) -> None:
        self.error.hide()

    def accept(self) -> None:
        """Check the times, the constraints and the owner's `check`; close only when
        all agree, else show the sentence and stay open."""
        try:
            values = self.try_values()
        except OperatorError as error:
            self.show_error(str(error))
            return
        if self.check is not None:
            refusal = self.check(values)
            if refusal:
                self.show_error(refusal)
                return
        self._accepted = values
        super().accept()

    def done(self, result: int) -> None:
        self._count_timer.stop()
        self._counter.drop_pending()
        self._counter.wait()
        self.specific_form.wait()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._counter.wait()
        self.specific_form.wait()
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter inside the constraints form belongs to the form (search, add a tag),
        never to the OK button; Ctrl+Return saves from anywhere."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            event.accept()  # the shortcut's job, when the window is not active
            self.accept()
            return
        focus = self.focusWidget()
        if enter and focus is not None and self.stack.isAncestorOf(focus):
            event.accept()
            return
        super().keyPressEvent(event)
