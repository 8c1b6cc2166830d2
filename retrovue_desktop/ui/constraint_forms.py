"""The block editor's constraints forms: what a block draws from, per strategy.

Every form has `set_constraints(c)` and `constraints()`, which give back exactly what
was set (through `constraints.serialize` and `parse`), emits `changed` on every edit,
and offers `suggested_name()` for a block left unnamed. This module holds the shared
pieces and the `collection` / `auto` selection form; the series form is in
show_picker.py and the specific form in item_picker.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QDate, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop import ratings
from retrovue_desktop.errors import OperatorError
from retrovue_desktop.progress import CancelFn, ProgressFn
from retrovue_desktop.scheduling.constraints import (
    Constraints,
    DateRange,
    SelectionConstraints,
    effective_ceiling,
)
from retrovue_desktop.store.catalog import CONTENT_KINDS
from retrovue_desktop.store.content_query import library_choices, tag_choices
from retrovue_desktop.store.tags import parse_tag

from .content_model import kind_text
from .jobs import Job
from .style import ERROR, muted, plain_label, set_tone
from .tag_chips import FlowLayout, TagChip

# Jobs of every form and editor still running; each is waited for before the window or
# the test session ends ("QThread destroyed while running" would abort the interpreter).
_RUNNING: set[Job] = set()
NO_MINUTES = -1  # the duration spins' "none"
MAX_MINUTES = 9_999
LEAP_YEAR = 2000  # every-year dates are edited on a leap year, so 29 February exists

log = logging.getLogger(__name__)


def wait_for_jobs(msecs: int = 30_000) -> None:
    """Block until every count and search job has ended (shutdown, tests)."""
    for job in list(_RUNNING):
        job.wait(msecs)


class LatestOnly(QObject):
    """Runs a function on a Job, newest request wins: the answer to an older request is
    dropped, so a slow count never overwrites a newer one. The function opens its own
    session; an OperatorError comes back as its sentence through `failed`, anything else
    as a short sentence (its traceback goes to the log).

    Outcomes reach this runner through a bound slot only: a runner deleted with its
    dialog is disconnected by Qt, so a job that outlives it never calls into it."""

    answered = Signal(object)
    failed = Signal(str)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._generation = 0
        self._answered = 0
        self._mine: set[Job] = set()

    def run(self, fn: Callable[[], object]) -> None:
        self._generation += 1
        generation = self._generation
        name = self.name

        def work(_progress: ProgressFn, _cancelled: CancelFn) -> tuple[int, object, str | None]:
            # Every outcome comes back as an answer tagged with its request, so an older
            # request's failure is dropped like its answer would be.
            try:
                return generation, fn(), None
            except OperatorError as error:
                return generation, None, str(error)
            except Exception:
                log.exception("%s failed unexpectedly", name)
                return generation, None, f"{name} failed unexpectedly; see the log for details."

        job = Job(self.name, work)  # no parent: it may outlive a closed dialog
        _RUNNING.add(job)
        job.finished.connect(lambda: _RUNNING.discard(job))  # even if this runner is gone
        self._mine.add(job)
        job.succeeded.connect(self._arrived)
        job.finished.connect(self._prune)
        job.start()

    def drop_pending(self) -> None:
        """Forget whatever is on its way (the form went invalid meanwhile)."""
        self._generation += 1
        self._answered = self._generation

    def pending(self) -> bool:
        """Whether the newest request has not been answered yet."""
        return self._answered < self._generation

    def wait(self, msecs: int = 30_000) -> None:
        for job in list(self._mine):
            job.wait(msecs)

    @Slot(object)
    def _arrived(self, result: object) -> None:
        assert isinstance(result, tuple)
        generation, value, problem = result
        if generation != self._generation:
            return
        self._answered = generation
        if problem is None:
            self.answered.emit(value)
        else:
            self.failed.emit(problem)

    @Slot()
    def _prune(self) -> None:
        self._mine = {job for job in self._mine if job.is_running()}


class ConstraintsForm(QWidget):
    """What every strategy's form offers the editor."""

    changed = Signal()

    def set_constraints(self, value: Constraints) -> None:
        raise NotImplementedError

    def constraints(self) -> Constraints:
        raise NotImplementedError

    def suggested_name(self) -> str:
        raise NotImplementedError

    def _emit(self, *_args: object) -> None:
        self.changed.emit()


def hint_label(text: str = "") -> QLabel:
    """A muted, wrapping line under a field."""
    label = plain_label(text)
    label.setWordWrap(True)
    muted(label)
    return label


def checked_ids(widget: QListWidget) -> list[int]:
    return [
        int(widget.item(row).data(Qt.ItemDataRole.UserRole))
        for row in range(widget.count())
        if widget.item(row).checkState() == Qt.CheckState.Checked
    ]


class TagListEditor(QWidget):
    """Tags chosen one by one: a combo of the tags items carry (any `namespace:key`
    may be typed), Add, and the chosen tags as chips that wrap; a chip's remove button
    (or Delete on a focused chip) takes it off."""

    changed = Signal()

    def __init__(self, caption: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(caption)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMinimumContentsLength(12)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        edit = self.combo.lineEdit()
        assert edit is not None
        edit.setPlaceholderText("namespace:key")
        edit.returnPressed.connect(self.add_typed)
        self.combo.activated.connect(lambda _i: self.add_typed())
        self.add_button = QPushButton("Add")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_typed)
        self.empty = hint_label(empty_text)
        self.empty.setWordWrap(False)  # the flow gives it its one-line width
        self.chips_box = QWidget()
        self.flow = FlowLayout(self.chips_box, spacing=4)
        self.flow.addWidget(self.empty)
        self._chips: list[TagChip] = []
        self.error = plain_label()
        set_tone(self.error, ERROR)
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.caption)
        layout.addLayout(row)
        layout.addWidget(self.chips_box)
        layout.addWidget(self.error)

    def set_choices(self, tags: Sequence[str]) -> None:
        text = self.combo.currentText()
        self.combo.clear()
        self.combo.addItems(list(tags))
        self.combo.setCurrentIndex(-1)
        self.combo.setEditText(text)

    def tags(self) -> list[str]:
        return sorted(f"{chip.namespace}:{chip.key}" for chip in self._chips)

    def chips(self) -> list[TagChip]:
        return list(self._chips)

    def set_tags(self, tags: Sequence[str]) -> None:
        for chip in self._chips:
            self.flow.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self._chips = []
        for tag in sorted(set(tags)):
            namespace, key = tag.split(":", 1)
            chip = TagChip(namespace, key, None, self.chips_box)
            chip.button.setToolTip(f"Take {tag} out of this list")
            chip.setToolTip(f"{tag}: select and press Delete to take it out")
            chip.remove_requested.connect(self.remove)
            self.flow.addWidget(chip)
            chip.show()
            self._chips.append(chip)
        self.empty.setVisible(not self._chips)
        self.chips_box.updateGeometry()

    def add(self, text: str) -> bool:
        """Add `text` as a tag; a sentence under the field when it is not one."""
        try:
            namespace, key = parse_tag(text)
        except OperatorError as error:
            self.error.setText(str(error))
            self.error.show()
            return False
        self.error.hide()
        tag = f"{namespace}:{key}"
        if tag not in self.tags():
            self.set_tags([*self.tags(), tag])
            self.changed.emit()
        self.combo.setCurrentIndex(-1)
        self.combo.setEditText("")
        return True

    @Slot()
    def add_typed(self) -> None:
        text = self.combo.currentText().strip()
        if text:
            self.add(text)

    @Slot(str, str)
    def remove(self, namespace: str, key: str) -> None:
        tags = self.tags()
        tag = f"{namespace}:{key}"
        if tag in tags:
            self.set_tags([t for t in tags if t != tag])
            self.changed.emit()


class MinutesSpin(QSpinBox):
    """Whole minutes, or "none" (NO_MINUTES)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(NO_MINUTES, MAX_MINUTES)
        self.setSpecialValueText("none")
        self.setSuffix(" min")
        self.setValue(NO_MINUTES)
        self.setAccelerated(True)

    def minutes(self) -> int | None:
        return None if self.value() == NO_MINUTES else self.value()

    def set_minutes(self, minutes: int | None) -> None:
        self.setValue(NO_MINUTES if minutes is None else min(minutes, MAX_MINUTES))


DATE_NONE, DATE_YEARLY, DATE_FIXED = "none", "yearly", "fixed"


class DateRangeEditor(QWidget):
    """No date limit / every year from a month-day to a month-day (may wrap the year
    end) / from a date to a date."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = QComboBox()
        self.mode.addItem("Any date", DATE_NONE)
        self.mode.addItem("Every year, between", DATE_YEARLY)
        self.mode.addItem("Only between the dates", DATE_FIXED)
        self.year_start, self.year_end = self._month_day(), self._month_day()
        self.year_end.setDate(QDate(LEAP_YEAR, 12, 31))
        self.fixed_start, self.fixed_end = self._full_date(), self._full_date()
        self.fixed_end.setDate(QDate.currentDate().addMonths(1))
        self.hint = hint_label()
        self.stack = QStackedWidget()
        self.stack.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.stack.addWidget(QWidget())
        for start, end in ((self.year_start, self.year_end), (self.fixed_start, self.fixed_end)):
            page = QWidget()
            row = QHBoxLayout(page)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(start)
            row.addWidget(QLabel("and"))
            row.addWidget(end)
            row.addStretch(1)
            self.stack.addWidget(page)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.mode)
        line.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(line)
        layout.addWidget(self.hint)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        for edit in (self.year_start, self.year_end, self.fixed_start, self.fixed_end):
            edit.dateChanged.connect(self._dates_changed)
        self._mode_changed()

    @staticmethod
    def _month_day() -> QDateEdit:
        edit = QDateEdit(QDate(LEAP_YEAR, 1, 1))
        edit.setDisplayFormat("d MMMM")
        edit.setDateRange(QDate(LEAP_YEAR, 1, 1), QDate(LEAP_YEAR, 12, 31))
        edit.setWrapping(True)
        return edit

    @staticmethod
    def _full_date() -> QDateEdit:
        edit = QDateEdit(QDate.currentDate())
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setCalendarPopup(True)
        return edit

    def date_range(self) -> DateRange | None:
        mode = self.mode.currentData()
        if mode == DATE_YEARLY:
            return DateRange(
                self.year_start.date().toString("MM-dd"), self.year_end.date().toString("MM-dd")
            )
        if mode == DATE_FIXED:
            return DateRange(
                self.fixed_start.date().toString("yyyy-MM-dd"),
                self.fixed_end.date().toString("yyyy-MM-dd"),
            )
        return None

    def set_date_range(self, value: DateRange | None) -> None:
        if value is None:
            self.mode.setCurrentIndex(self.mode.findData(DATE_NONE))
        elif value.every_year:
            self.year_start.setDate(QDate.fromString(f"{LEAP_YEAR}-{value.start}", "yyyy-MM-dd"))
            self.year_end.setDate(QDate.fromString(f"{LEAP_YEAR}-{value.end}", "yyyy-MM-dd"))
            self.mode.setCurrentIndex(self.mode.findData(DATE_YEARLY))
        else:
            self.fixed_start.setDate(QDate.fromString(value.start, "yyyy-MM-dd"))
            self.fixed_end.setDate(QDate.fromString(value.end, "yyyy-MM-dd"))
            self.mode.setCurrentIndex(self.mode.findData(DATE_FIXED))
        self._update_hint()

    def _mode_changed(self, *_args: object) -> None:
        self.stack.setCurrentIndex(self.mode.currentIndex())
        self._update_hint()
        self.changed.emit()

    def _dates_changed(self, *_args: object) -> None:
        self._update_hint()
        self.changed.emit()

    def _update_hint(self) -> None:
        mode = self.mode.currentData()
        if mode == DATE_NONE:
            text = "The block airs all year."
        elif mode == DATE_YEARLY:
            wraps = self.year_end.date() < self.year_start.date()
            text = "Every year; the range runs over New Year." if wraps else "Every year."
        else:
            text = "Only on these dates, both included."
        self.hint.setText(text + " Dates decide when the block airs, not what matches.")


class SelectionForm(ConstraintsForm):
    """What `collection` and `auto` draw from: tags, kinds, libraries, a rating
    ceiling (never above the channel's), durations and dates."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        channel_ceiling: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.sessions = sessions
        self.channel_ceiling = channel_ceiling
        self.include = TagListEditor("Needs all of:", "None: no tag is needed.")
        self.exclude = TagListEditor("Leaves out any of:", "None: no tag leaves an item out.")
        self.kinds: dict[str, QCheckBox] = {}
        kinds = QGridLayout()
        kinds.setContentsMargins(0, 0, 0, 0)
        kinds.setHorizontalSpacing(14)
        for index, kind in enumerate(CONTENT_KINDS):
            box = QCheckBox(kind_text(kind))
            box.toggled.connect(self._emit)
            self.kinds[kind] = box
            kinds.addWidget(box, index // 5, index % 5)
        self.libraries = QListWidget()
        self.libraries.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.libraries.itemChanged.connect(self._emit)
        self.rating = QComboBox()
        self.allow_unrated = QCheckBox("Allow unrated items")
        self.allow_unrated.setToolTip(
            "Items without a rating (or with one the station does not know) air under a"
            " ceiling only when this is ticked."
        )
        self.min_minutes, self.max_minutes = MinutesSpin(), MinutesSpin()
        self.dates = DateRangeEditor()

        for signal in (self.include.changed, self.exclude.changed, self.dates.changed):
            signal.connect(self._emit)
        self.rating.currentIndexChanged.connect(self._emit)
        self.allow_unrated.toggled.connect(self._emit)
        self.min_minutes.valueChanged.connect(self._emit)
        self.max_minutes.valueChanged.connect(self._emit)

        kinds_box = QVBoxLayout()
        kinds_box.setSpacing(2)
        kinds_box.addLayout(kinds)
        kinds_box.addWidget(hint_label("None ticked: movies and episodes (no ads or fillers)."))
        rating_row = QHBoxLayout()
        rating_row.addWidget(self.rating)
        rating_row.addSpacing(12)
        rating_row.addWidget(self.allow_unrated)
        rating_row.addStretch(1)
        minutes_row = QHBoxLayout()
        minutes_row.setSpacing(6)
        minutes_row.addWidget(QLabel("at least"))
        minutes_row.addWidget(self.min_minutes)
        minutes_row.addSpacing(10)
        minutes_row.addWidget(QLabel("at most"))
        minutes_row.addWidget(self.max_minutes)
        minutes_row.addStretch(1)
        libraries_box = QVBoxLayout()
        libraries_box.setSpacing(2)
        libraries_box.addWidget(self.libraries)
        libraries_box.addWidget(hint_label("None ticked: every library."))

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(10)
        tags = QHBoxLayout()
        tags.setSpacing(16)
        tags.addWidget(self.include, 1)
        tags.addWidget(self.exclude, 1)
        form.addRow("Tags:", tags)
        form.addRow("Kinds:", kinds_box)
        form.addRow("Libraries:", libraries_box)
        form.addRow("Rating up to:", rating_row)
        form.addRow("Duration:", minutes_row)
        form.addRow("Airs:", self.dates)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 4, 0)
        outer.addLayout(form)
        outer.addStretch(1)
        self.reload()

    # -- choices --------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the tags and libraries to offer (two small index reads), keeping what
        is chosen."""
        keep = self.constraints() if self.rating.count() else SelectionConstraints()
        with self.sessions() as session:
            tags = [f"{n}:{k}" for n, k in tag_choices(session)]
            libraries = library_choices(session)
        self.include.set_choices(tags)
        self.exclude.set_choices(tags)
        self.blockSignals(True)
        try:
            self.libraries.clear()
            for library_id, title in libraries:
                self._add_library(library_id, title)
            self._fill_ratings()
            self.set_constraints(keep)
        finally:
            self.blockSignals(False)

    def _add_library(self, library_id: int, title: str) -> QListWidgetItem:
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, library_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        self.libraries.addItem(item)
        return item

    def _fill_ratings(self) -> None:
        self.rating.clear()
        channel = self.channel_ceiling
        if channel is not None:
            self.rating.addItem(f"Channel's ceiling ({channel})", None)
        else:
            self.rating.addItem("No ceiling", None)
        for code in ratings.CODES:
            if effective_ceiling(code, channel) == code:  # not above the channel's
                self.rating.addItem(code, code)

    # -- the form -------------------------------------------------------------------------

    def set_constraints(self, value: Constraints) -> None:
        if not isinstance(value, SelectionConstraints):
            raise TypeError(f"a selection form cannot show {type(value).__name__}")
        quiet = self.signalsBlocked()
        self.blockSignals(True)
        try:
            self.include.set_tags(value.tags_include)
            self.exclude.set_tags(value.tags_exclude)
            for kind, box in self.kinds.items():
                box.setChecked(kind in value.kinds)
            wanted = set(value.library_ids)
            shown = set()
            for row in range(self.libraries.count()):
                item = self.libraries.item(row)
                library_id = int(item.data(Qt.ItemDataRole.UserRole))
                shown.add(library_id)
                on = library_id in wanted
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            for library_id in sorted(wanted - shown):
                item = self._add_library(library_id, f"Library #{library_id} (removed)")
                item.setCheckState(Qt.CheckState.Checked)
            self._select_rating(value.max_rating)
            self.allow_unrated.setChecked(value.allow_unrated)
            self.min_minutes.set_minutes(value.min_duration_minutes)
            self.max_minutes.set_minutes(value.max_duration_minutes)
            self.dates.set_date_range(value.date_range)
        finally:
            self.blockSignals(quiet)
        self.changed.emit()

    def _select_rating(self, code: str | None) -> None:
        index = self.rating.findData(code) if code is not None else 0
        if index < 0:  # stored above the channel's ceiling: shown, and refused on save
            self.rating.addItem(f"{code} (above the channel's ceiling)", code)
            index = self.rating.count() - 1
        self.rating.setCurrentIndex(index)

    def constraints(self) -> SelectionConstraints:
        data = self.rating.currentData()
        return SelectionConstraints(
            tags_include=tuple(self.include.tags()),
            tags_exclude=tuple(self.exclude.tags()),
            kinds=tuple(sorted(k for k, box in self.kinds.items() if box.isChecked())),
            library_ids=tuple(sorted(checked_ids(self.libraries))),
            max_rating=data if isinstance(data, str) else None,
            allow_unrated=self.allow_unrated.isChecked(),
            min_duration_minutes=self.min_minutes.minutes(),
            max_duration_minutes=self.max_minutes.minutes(),
            date_range=self.dates.date_range(),
        )

    def suggested_name(self) -> str:
        words = [tag.split(":", 1)[1].replace("-", " ").title() for tag in self.include.tags()]
        if words:
            return " & ".join(words[:3]) + (" and more" if len(words) > 3 else "")
        return ""
